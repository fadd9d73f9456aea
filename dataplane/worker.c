#include "worker.h"

#include <stdint.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "frame_class.h"
#include "node.h"
#include "stats.h"

/* Classifies and counts a burst. Forwarding (issue 3) hooks in here; until then every frame is
 * counted by class and released. */
static void process_burst(const struct port_config *pc, struct port_counters *pcnt,
			  struct rte_mbuf **pkts, uint16_t n)
{
	uint64_t bytes = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const uint8_t *data = rte_pktmbuf_mtod(m, const uint8_t *);
		struct frame_view view;
		enum frame_class c;

		/* Chained mbufs carry jumbo frames we never configure; classify the first segment. */
		if (pc->role == PORT_ROLE_MESH)
			c = frame_classify_mesh(data, rte_pktmbuf_data_len(m), pc->radiotap, &view);
		else
			c = frame_classify_ether(data, rte_pktmbuf_data_len(m), &view);
		counter_add(&pcnt->classes[c], 1);
		bytes += rte_pktmbuf_pkt_len(m);
	}
	counter_add(&pcnt->rx_packets, n);
	counter_add(&pcnt->rx_bytes, bytes);
	rte_pktmbuf_free_bulk(pkts, n);
}

int worker_main(void *arg)
{
	const uint16_t queue = (uint16_t)(uintptr_t)arg;
	struct node *node = &the_node;
	const struct workers_config *wc = &node->cfg.workers;
	struct lcore_counters *cnt = &lcore_counters[rte_lcore_id()];
	struct rte_mbuf *pkts[WORKER_MAX_BURST];
	uint16_t burst = wc->burst > WORKER_MAX_BURST ? WORKER_MAX_BURST : wc->burst;
	uint32_t empty_polls = 0;

	while (!__atomic_load_n(&node->stop, __ATOMIC_RELAXED)) {
		uint16_t total = 0;

		for (unsigned p = 0; p < node->cfg.n_ports; p++) {
			uint16_t n = rte_eth_rx_burst(node->ports[p].port_id, queue, pkts, burst);

			if (n == 0)
				continue;
			process_burst(&node->cfg.ports[p], &cnt->ports[p], pkts, n);
			total += n;
		}
		counter_add(&cnt->polls, 1);
		if (total > 0) {
			empty_polls = 0;
			continue;
		}
		/* Several nodes share two cores in the lab: sleep after a run of empty polls. */
		if (wc->idle_sleep_us > 0 && ++empty_polls >= wc->idle_polls) {
			usleep(wc->idle_sleep_us);
			counter_add(&cnt->idle_sleeps, 1);
		}
	}
	return 0;
}
