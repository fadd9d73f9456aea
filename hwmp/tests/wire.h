/* A hand-wired bench of a few engines for unit tests: frames go into a FIFO and are delivered when the
 * test says so, over links the test sets; every transmitted element is also recorded for inspection. */
#ifndef MESHPLANE_HWMP_TESTS_WIRE_H
#define MESHPLANE_HWMP_TESTS_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hwmp.h"

#define WIRE_MAX_NODES 6
#define WIRE_MAX_FRAMES 4096

struct wire_frame {
	uint32_t from;
	struct mac_addr ra;
	uint8_t len;
	uint8_t data[2 + 255];
	uint64_t at_ms;
};

struct wire_done {
	struct mac_addr dest;
	enum hwmp_discovery_result result;
	uint64_t at_ms;
};

struct wire;

struct wire_node {
	struct wire *w;
	uint32_t index;
	struct hwmp_engine *e;
	struct wire_done done[64];
	uint32_t n_done;
	uint32_t proxy_installs;
	struct mac_addr last_proxy_station, last_proxy_node;
	uint32_t path_removes;
};

struct wire {
	uint32_t n;
	struct wire_node nodes[WIRE_MAX_NODES];
	uint32_t metric[WIRE_MAX_NODES][WIRE_MAX_NODES]; /* 0 = no link */
	struct wire_frame queue[WIRE_MAX_FRAMES];
	uint32_t q_head, q_tail;
	struct wire_frame log[WIRE_MAX_FRAMES];       /* every element sent */
	uint32_t n_log;
	uint64_t now_ms;
};

/* n engines with params (NULL: defaults), addresses 02:00:00:00:00:0i. */
void wire_init(struct wire *w, uint32_t n, const struct hwmp_params *params);
/* Same, with one node's params overridden. */
void wire_init_one(struct wire *w, uint32_t n, const struct hwmp_params *params, uint32_t special,
		   const struct hwmp_params *special_params);
void wire_free(struct wire *w);
/* A symmetric link. */
void wire_link(struct wire *w, uint32_t a, uint32_t b, uint32_t metric);
/* Address of node i. */
struct mac_addr wire_addr(uint32_t i);
/* Delivers queued frames (and the frames they cause) until none is left; returns how many. */
uint32_t wire_run(struct wire *w);
/* Advances time to t_ms, ticking every engine each ms and delivering frames as they appear. */
void wire_advance(struct wire *w, uint64_t t_ms);
/* Number of logged elements with element id sent by node from (UINT32_MAX: any node). */
uint32_t wire_count(const struct wire *w, uint8_t id, uint32_t from);

#endif
