/* Topology builders for the simulator: line, ring, grid, random geometric graph. Link metrics are
 * airtime costs (hwmp/airtime.h) of an OFDM rate picked per link, so equal-cost ties are rare and
 * "shortest" really means lowest airtime, not fewest hops. */
#ifndef MESHPLANE_HWMP_TOPOLOGY_H
#define MESHPLANE_HWMP_TOPOLOGY_H

#include <stdint.h>

#include "sim.h"

struct topo_link_model {
	uint32_t loss_ppm;
	uint32_t delay_us;    /* fixed per-hop delay on top of the link's airtime */
	bool uniform_rate;    /* every link at 54 Mb/s (else a seeded random OFDM rate per link) */
};

/* 0 - 1 - ... - (n-1). */
void topo_line(struct sim *s, const struct topo_link_model *m);
/* A line closed into a ring. */
void topo_ring(struct sim *s, const struct topo_link_model *m);
/* w x h grid, 4-neighbour (w*h must equal the node count). */
void topo_grid(struct sim *s, uint32_t w, uint32_t h, const struct topo_link_model *m);
/* Nodes uniform in a square of side sqrt(n), linked within radius r (rate falls with distance).
 * Returns the number of links; the graph may be disconnected (check sim_connected). */
uint32_t topo_random_geometric(struct sim *s, double radius, const struct topo_link_model *m);

/* The OFDM rate (100 kb/s units) for distance d within radius r: 54 Mb/s close, 6 Mb/s at the edge. */
uint32_t topo_rate_for_distance(double d, double r);

#endif
