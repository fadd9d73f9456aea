/* Per-lcore counters: each worker writes only its own block, readers sum them. */
#ifndef MESHPLANE_DP_STATS_H
#define MESHPLANE_DP_STATS_H

#include <stdint.h>

#include <rte_common.h>
#include <rte_lcore.h>

#include "config.h"
#include "frame_class.h"

struct port_counters {
	uint64_t rx_packets;
	uint64_t rx_bytes;
	uint64_t classes[FRAME_CLASS_COUNT];
};

struct lcore_counters {
	uint64_t polls;
	uint64_t idle_sleeps;
	struct port_counters ports[CONFIG_MAX_PORTS];
} __rte_cache_aligned;

extern struct lcore_counters lcore_counters[RTE_MAX_LCORE];

/* Adds n to a counter owned by the calling lcore; readers on other threads see whole values. */
static inline void counter_add(uint64_t *counter, uint64_t n)
{
	__atomic_store_n(counter, *counter + n, __ATOMIC_RELAXED);
}

/* Reads a counter another lcore may be writing. */
static inline uint64_t counter_read(const uint64_t *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

/* Sums every lcore's counters of one port into out. */
void stats_sum_port(unsigned port_index, struct port_counters *out);

#endif
