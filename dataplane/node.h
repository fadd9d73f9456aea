/* The running node: config, ports, tables and the rings between workers and the control thread. */
#ifndef MESHPLANE_DP_NODE_H
#define MESHPLANE_DP_NODE_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>
#include <rte_ring.h>

#include "config.h"
#include "tables.h"

#define MAX_WORKERS CONFIG_MAX_LCORES
#define PUNT_RING_SIZE 1024
#define EVENT_RING_SIZE 4096
#define TX_RING_SIZE 1024

/* Why a frame went to the control thread, kept in the mbuf's hash.usr field with its port. */
enum punt_reason {
	PUNT_MGMT = 1,    /* management / action / beacon frame from a mesh port */
	PUNT_NO_PATH = 2, /* Ethernet frame whose destination has no path or proxy yet */
	PUNT_ECHO = 3,    /* mesh echo for this node, or whose mesh TTL ran out here */
};

static inline uint32_t punt_tag(enum punt_reason reason, unsigned port)
{
	return (uint32_t)reason << 8 | port;
}

/* A worker's report to the control thread (the table writer). */
enum dp_event_type {
	EVENT_LEARN_LOCAL = 1, /* mac seen as a source on a local (access/lan) port */
	EVENT_LEARN_PROXY = 2, /* mac is a station behind mesh node proxy */
	EVENT_NO_PATH = 3,     /* our frame waits: no path to mesh node mac */
	EVENT_NO_ROUTE = 4,    /* a transit frame for mesh node mac found no path here */
};

struct dp_event {
	uint8_t type;
	uint8_t port;
	struct mac_addr mac;
	struct mac_addr proxy;
	uint16_t pad;
};

struct node_port {
	uint16_t port_id;
	bool attached; /* probed with rte_dev_probe: must be removed */
	bool started;
	/* Workers neither poll nor transmit on the port (atomic): set while the control thread restarts it. */
	bool paused;
	bool restartable;       /* a memif client: it reconnects only when started again */
	uint64_t down_since_ms; /* link down since (0: up), for restartable ports */
	uint64_t last_restart_ms;
	struct rte_device *device;
};

#define NO_HOST_PORT UINT8_MAX

struct node {
	struct node_config cfg;
	uint8_t host_port;    /* index of the host port, or NO_HOST_PORT */
	struct node_port ports[CONFIG_MAX_PORTS];
	struct rte_mempool *pool;
	struct node_tables tables;
	unsigned n_workers;
	struct rte_ring *punt_ring[MAX_WORKERS];  /* worker -> control: mbufs */
	struct rte_ring *event_ring[MAX_WORKERS]; /* worker -> control: struct dp_event */
	struct rte_ring *tx_ring;       /* control -> worker 0: frames to send as they are, port index in hash.usr */
	struct rte_ring *reinject_ring; /* control -> worker 0: Ethernet frames to forward again (a path
					 * appeared), ingress port index in hash.usr */
	uint32_t mesh_seq;    /* Mesh Control sequence number of frames we originate (atomic) */
	uint64_t start_tsc;
	volatile bool stop_requested; /* set by the signal handler (or --duration): control winds down */
	volatile bool stop;   /* set by the control thread once it closed the peer links: workers end */
};

extern struct node the_node;

/* Milliseconds since the node started (TSC based, any thread). */
uint64_t node_now_ms(void);

/* Milliseconds since the node started at TSC value tsc (a caller that read the TSC already). */
uint64_t node_ms_at(uint64_t tsc);

#endif
