#include "stats.h"

#include <string.h>

struct lcore_counters lcore_counters[RTE_MAX_LCORE];

static const char *const dp_counter_names[] = {
#define DP_COUNTER_NAME(name) #name,
	DP_COUNTERS(DP_COUNTER_NAME)
#undef DP_COUNTER_NAME
};

const char *dp_counter_name(enum dp_counter c)
{
	return (unsigned)c < DP_COUNTER_COUNT ? dp_counter_names[c] : "unknown";
}

void stats_sum_port(unsigned port_index, struct port_counters *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned lcore = 0; lcore < RTE_MAX_LCORE; lcore++) {
		const struct port_counters *p = &lcore_counters[lcore].ports[port_index];

		out->rx_packets += counter_read(&p->rx_packets);
		out->rx_bytes += counter_read(&p->rx_bytes);
		for (unsigned c = 0; c < FRAME_CLASS_COUNT; c++)
			out->classes[c] += counter_read(&p->classes[c]);
		for (unsigned c = 0; c < DP_COUNTER_COUNT; c++)
			out->dp[c] += counter_read(&p->dp[c]);
	}
}
