/* The running node: its config and its DPDK ports, shared by main, workers and telemetry. */
#ifndef MESHPLANE_DP_NODE_H
#define MESHPLANE_DP_NODE_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "config.h"

struct node_port {
	uint16_t port_id;
	bool started;
};

struct node {
	struct node_config cfg;
	struct node_port ports[CONFIG_MAX_PORTS];
	struct rte_mempool *pool;
	unsigned n_workers;
	uint64_t start_tsc;
	volatile bool stop; /* set by the signal handler, polled by workers */
};

extern struct node the_node;

#endif
