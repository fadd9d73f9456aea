/* The shared air: which nodes exist, the state of the link between every pair, and the per-frame
 * delivery decision (cut, node down, loss draw). No sockets, so the rules are unit-testable. */
#ifndef AIRSIM_MEDIUM_H
#define AIRSIM_MEDIUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prng.h"

#define MEDIUM_MAX_NODES 32
#define MEDIUM_NAME_MAX 32  /* node name, NUL included */
#define MEDIUM_IFACE_MAX 16 /* IFNAMSIZ */
#define MEDIUM_MAX_LINKS (MEDIUM_MAX_NODES * (MEDIUM_MAX_NODES - 1) / 2)

/* The radiotap Rate field is one octet in 500 kb/s units: 0.5 .. 127.5 Mb/s. */
#define MEDIUM_RATE_MIN_MBPS 0.5
#define MEDIUM_RATE_MAX_MBPS 127.5

/* One undirected link; both directions share state, counters add both directions. */
struct medium_link {
	bool up;
	uint8_t rate_500kbps;
	double loss; /* probability in [0, 1] that one transmission is lost on this link */
	uint64_t delivered;
	uint64_t dropped_loss;
	uint64_t dropped_cut;
	uint64_t dropped_node_down; /* the receiver was down */
	uint64_t dropped_rule;      /* dropped by a one-shot rule (drop-opens) */
};

struct medium_node {
	char name[MEDIUM_NAME_MAX];
	char iface[MEDIUM_IFACE_MAX];
	bool up;
	uint64_t rx;                /* frames read from this node's port */
	uint64_t invalid;           /* of those, not radiotap + 802.11: dropped */
	uint64_t sent_while_down;   /* of those, sent while the node was down: not on the air */
	uint64_t tx;                /* frames the medium delivered to this node */
	uint64_t tx_errors;         /* of those, refused by the kernel (queue full, interface gone) */
};

enum medium_verdict {
	MEDIUM_DELIVER = 0,
	MEDIUM_DROP_CUT,
	MEDIUM_DROP_NODE_DOWN,
	MEDIUM_DROP_LOSS,
};

struct medium {
	unsigned n_nodes;
	struct medium_node nodes[MEDIUM_MAX_NODES];
	struct medium_link links[MEDIUM_MAX_LINKS];
	/* drop_opens[from][to]: that many of the next Mesh Peering Opens from from to to are lost (a test
	 * of recovery from a lost first Open, as hostap's test_wpas_mesh_secure_dropped_frame does). */
	uint16_t drop_opens[MEDIUM_MAX_NODES][MEDIUM_MAX_NODES];
	struct prng prng;
};

/* Empties m and seeds its loss draws. */
void medium_init(struct medium *m, uint64_t seed);

/* Appends a node (up); returns its index, or -1 when full. Names are not checked here. */
int medium_add_node(struct medium *m, const char *name, const char *iface);

/* Returns the index of the node called name, or -1. */
int medium_find_node(const struct medium *m, const char *name);

/* Returns the link between nodes a and b (a != b, both < n_nodes), in either order. */
struct medium_link *medium_link(struct medium *m, unsigned a, unsigned b);

/* Const variant of medium_link. */
const struct medium_link *medium_link_const(const struct medium *m, unsigned a, unsigned b);

/* Decides the fate of one frame sent by from towards to (from != to) and counts it on the link. */
enum medium_verdict medium_decide(struct medium *m, unsigned from, unsigned to);

/* A frame from from to to that the rules drop: true (and counted) when frame (802.11, after radiotap)
 * is a Mesh Peering Open and a drop-opens rule for that direction has some left. */
bool medium_rule_drops(struct medium *m, unsigned from, unsigned to, const uint8_t *frame, size_t len);

/* Converts Mb/s to radiotap 500 kb/s units; false unless in 0.5..127.5 and a multiple of 0.5. */
bool medium_rate_from_mbps(double mbps, uint8_t *rate_500kbps);

/* Returns the rate in Mb/s of a 500 kb/s unit value. */
double medium_rate_mbps(uint8_t rate_500kbps);

/* Returns a short name of a verdict ("deliver", "cut", "node-down", "loss"). */
const char *medium_verdict_name(enum medium_verdict v);

#endif
