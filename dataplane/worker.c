#include "worker.h"

#include <stdint.h>
#include <unistd.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include "forward.h"
#include "link_crypto.h"
#include "log.h"
#include "node.h"
#include "stats.h"

/* Worker 0 also carries the control thread's frames out: to send as they are, or to forward
 * again once a path appeared. */
static void drain_control_rings(struct worker_ctx *w)
{
	struct rte_mbuf *pkts[WORKER_BURST_MAX];
	unsigned n;

	n = rte_ring_sc_dequeue_burst(the_node.tx_ring, (void **)pkts, WORKER_BURST_MAX, NULL);
	for (unsigned i = 0; i < n; i++)
		forward_tx(w, pkts[i]->hash.usr, pkts[i]);
	n = rte_ring_sc_dequeue_burst(the_node.reinject_ring, (void **)pkts, WORKER_BURST_MAX, NULL);
	for (unsigned i = 0; i < n; i++)
		forward_reinject(w, pkts[i]->hash.usr, pkts[i]);
}

int worker_main(void *arg)
{
	struct node *node = &the_node;
	const struct workers_config *wc = &node->cfg.workers;
	struct rte_rcu_qsbr *qsbr = node->tables.qsbr;
	struct rte_mbuf *pkts[WORKER_BURST_MAX];
	uint16_t burst = wc->burst > WORKER_BURST_MAX ? WORKER_BURST_MAX : wc->burst;
	uint32_t empty_polls = 0;
	struct worker_ctx w = {
		.queue = (uint16_t)(uintptr_t)arg,
		.cnt = &lcore_counters[rte_lcore_id()],
	};

	if (rmc_init(&w.rmc, node->cfg.tables.rmc_entries, node->cfg.tables.rmc_timeout_ms) < 0) {
		LOG_ERR("worker %u: no memory for the recent multicast cache", w.queue);
		return -1;
	}
	if (link_keys_secure() &&
	    ((w.ccmp = ccmp_engine_create(NULL)) == NULL ||
	     (w.crypto = rte_zmalloc_socket("ccmp_batch", sizeof(*w.crypto), RTE_CACHE_LINE_SIZE, (int)rte_socket_id())) == NULL)) {
		LOG_ERR("worker %u: cannot create its AES-CCM manager", w.queue);
		ccmp_engine_destroy(w.ccmp);
		return -1;
	}
	rte_rcu_qsbr_thread_register(qsbr, w.queue);
	rte_rcu_qsbr_thread_online(qsbr, w.queue);
	while (!__atomic_load_n(&node->stop, __ATOMIC_RELAXED)) {
		uint64_t start_tsc = rte_rdtsc();
		uint16_t total = 0;

		w.now_ms = node_ms_at(start_tsc);
		w.now_s = w.now_ms / 1000;
		for (unsigned p = 0; p < node->cfg.n_ports; p++) {
			uint16_t n;

			if (unlikely(__atomic_load_n(&node->ports[p].paused, __ATOMIC_ACQUIRE)))
				continue;
			n = rte_eth_rx_burst(node->ports[p].port_id, w.queue, pkts, burst);
			if (n == 0)
				continue;
			forward_burst(&w, p, pkts, n);
			total += n;
		}
		if (w.queue == 0)
			drain_control_rings(&w);
		forward_flush(&w);
		/* No table entry is held past this point: the writer may reclaim what it retired. */
		rte_rcu_qsbr_quiescent(qsbr, w.queue);
		counter_add(&w.cnt->polls, 1);
		if (total > 0) {
			/* Cycles per packet = busy_cycles / rx_packets: the cost of a packet at full load. */
			counter_add(&w.cnt->busy_cycles, rte_rdtsc() - start_tsc);
			empty_polls = 0;
			continue;
		}
		/* Several nodes share two cores in the lab: sleep after a run of empty polls. */
		if (wc->idle_sleep_us > 0 && ++empty_polls >= wc->idle_polls) {
			rte_rcu_qsbr_thread_offline(qsbr, w.queue);
			usleep(wc->idle_sleep_us);
			rte_rcu_qsbr_thread_online(qsbr, w.queue);
			counter_add(&w.cnt->idle_sleeps, 1);
		}
	}
	rte_rcu_qsbr_thread_offline(qsbr, w.queue);
	rte_rcu_qsbr_thread_unregister(qsbr, w.queue);
	rmc_free(&w.rmc);
	ccmp_engine_destroy(w.ccmp);
	rte_free(w.crypto);
	return 0;
}
