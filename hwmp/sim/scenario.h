/* Ready-made simulator runs shared by the benchmark command and the tests: build a topology, let nodes
 * discover paths (or a root announce itself), then check every path against Dijkstra. */
#ifndef MESHPLANE_HWMP_SCENARIO_H
#define MESHPLANE_HWMP_SCENARIO_H

#include <stdint.h>

#include "sim.h"
#include "topology.h"

enum scenario_topology { SCEN_LINE = 0, SCEN_RING, SCEN_GRID, SCEN_RANDOM };

struct scenario {
	enum scenario_topology topology;
	uint32_t nodes;           /* grid: w = ceil(sqrt(n)) columns; n must be a multiple of w */
	uint32_t grid_w;
	double radius;            /* random geometric graph */
	uint64_t seed;
	struct topo_link_model link;
	uint32_t pairs;           /* reactive: random (src, dst) requests; 0 = proactive only */
	uint32_t request_window_ms; /* requests spread uniformly over this window */
	uint32_t data_interval_ms;  /* each requested pair sends a data frame this often (0: never) */
	uint8_t root_mode;        /* proactive: node 0 is root in this mode (0 = none) */
	uint32_t check_at_ms;     /* when paths are checked */
	uint8_t element_ttl;      /* 0: the default (31) */
};

struct scenario_result {
	uint32_t nodes, links;
	uint32_t pairs, delivered, optimal, suboptimal, no_path, loops, unreachable;
	uint64_t frames_total, frames_preq, frames_prep, frames_perr, frames_rann;
	double frames_per_node;
	uint64_t converge_ms;     /* last discovery_done (reactive) or last control frame delivered */
	uint64_t last_control_ms;
	uint64_t discovery_failed;
	double wall_s;
	uint64_t events;
	uint32_t seed_used;       /* random graphs: seed after skipping disconnected draws */
};

/* Runs sc and fills res; 0, or -1 when the simulator could not be built. */
int scenario_run(const struct scenario *sc, struct scenario_result *res);

/* Checks every (src, dst) in the arrays at the current time: counts delivered, optimal, loops. */
void scenario_check_pairs(struct sim *s, const uint32_t *src, const uint32_t *dst, uint32_t n,
			  struct scenario_result *res);

/* Builds the topology of sc into s (not started). */
void scenario_build(struct sim *s, const struct scenario *sc);

#endif
