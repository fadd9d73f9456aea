/* A deterministic discrete-event simulator of N HWMP engines over an in-memory medium.
 *
 * Links are undirected with a metric (airtime, 0.01 TU), a loss probability and a delay. A broadcast
 * reaches every neighbour whose link and node are up, each copy lost independently; a unicast is lost
 * only when all 4 MAC attempts are (p^4), as 802.11 retries unicast frames and not broadcast ones.
 * Links and nodes fail and recover at scheduled times; both ends of a failed link are told at once
 * (hwmp_neighbour_lost), as a peer-link close or beacon loss would. Time is in µs; engines see ms. Same
 * seed, same inputs: same run, to the event. */
#ifndef MESHPLANE_HWMP_SIM_H
#define MESHPLANE_HWMP_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "hwmp.h"

#define SIM_NONE UINT32_MAX

struct sim;

enum sim_trace_result {
	SIM_DELIVERED = 0,
	SIM_NO_PATH,      /* a node on the way has no route */
	SIM_LINK_DOWN,    /* a next hop is not reachable any more */
	SIM_LOOP,         /* a node was visited twice */
	SIM_VIA_GATE,     /* the source had no path and sent the frame to a gate, which took it (at) */
};

struct sim_trace {
	enum sim_trace_result result;
	uint32_t at;          /* node where it stopped (dest when delivered) */
	uint32_t mesh_da;     /* the mesh destination the frame carries: dst, or the gate the source chose */
	uint32_t hops;
	uint64_t metric;      /* sum of the traversed links' metrics */
};

struct sim_stats {
	uint64_t tx_by_id[256];  /* elements sent, by element ID */
	uint64_t tx_total;
	uint64_t deliveries;     /* element copies received by an engine */
	uint64_t lost;           /* copies dropped by the loss model */
	uint64_t events;
	uint64_t last_control_us; /* when the last element was delivered */
	uint64_t path_installs, path_removes, proxy_installs;
};

typedef void (*sim_discovery_fn)(void *arg, uint32_t node, const struct mac_addr *dest,
				 enum hwmp_discovery_result r, uint64_t now_us);

/* A simulator of n nodes (addresses 02:00:00:xx:xx:xx = index), all with params; NULL on ENOMEM. */
struct sim *sim_create(uint32_t n, uint64_t seed, const struct hwmp_params *params);

/* Frees everything. */
void sim_destroy(struct sim *s);

/* Gives node its own parameters (root mode, ...); only before sim_start. */
void sim_set_params(struct sim *s, uint32_t node, const struct hwmp_params *params);

/* Adds an undirected link; its index, or SIM_NONE (self-link, duplicate, ENOMEM). Before sim_start. */
uint32_t sim_add_link(struct sim *s, uint32_t a, uint32_t b, uint32_t metric, uint32_t loss_ppm, uint32_t delay_us);

/* Creates the engines at time 0. 0, or -1 on failure. */
int sim_start(struct sim *s);

/* Runs every event up to and including t_us; time becomes t_us. */
void sim_run_until(struct sim *s, uint64_t t_us);

/* Current simulated time. */
uint64_t sim_now(const struct sim *s);

/* Schedules a link or node state change at t_us. */
void sim_schedule_link(struct sim *s, uint64_t t_us, uint32_t link, bool up);
void sim_schedule_node(struct sim *s, uint64_t t_us, uint32_t node, bool up);
/* Schedules "data waits at src for dst" (hwmp_need_path) at t_us. */
void sim_schedule_need_path(struct sim *s, uint64_t t_us, uint32_t src, uint32_t dst);

/* Follows next hops from src to dst at the current time without side effects, as the dataplane
 * forwards: the source resolves dst with hwmp_lookup (a gate route makes the gate the mesh destination,
 * the frame leaves the mesh there), every node after it looks up only an HWMP path to the mesh
 * destination (the dataplane's path table; a transit frame never falls back to a gate). */
void sim_trace(const struct sim *s, uint32_t src, uint32_t dst, struct sim_trace *out);

/* Sends one data frame now: trace, then what a data plane would do (need_path at the source when it has
 * no route, forward_failed where forwarding stops, path_used when delivered). */
enum sim_trace_result sim_send_data(struct sim *s, uint32_t src, uint32_t dst);

/* Shortest-path metrics from src over the links and nodes up now (UINT64_MAX: unreachable). */
void sim_dijkstra(const struct sim *s, uint32_t src, uint64_t *dist);

/* Number of nodes / links. */
uint32_t sim_nodes(const struct sim *s);
uint32_t sim_links(const struct sim *s);
/* The link between a and b, or SIM_NONE. */
uint32_t sim_find_link(const struct sim *s, uint32_t a, uint32_t b);
/* Endpoints and metric of a link. */
void sim_link_info(const struct sim *s, uint32_t link, uint32_t *a, uint32_t *b, uint32_t *metric);

/* Node index <-> address. */
struct mac_addr sim_addr(uint32_t node);
uint32_t sim_index(const struct mac_addr *a);

/* A node's engine (tests inspect and poke it between runs). */
struct hwmp_engine *sim_engine(struct sim *s, uint32_t node);

/* Counters of the medium. */
const struct sim_stats *sim_get_stats(const struct sim *s);

/* Called on every discovery_done. */
void sim_on_discovery(struct sim *s, sim_discovery_fn fn, void *arg);

/* The simulator's PRNG (splitmix64), for topology builders: uniform 64-bit value. */
uint64_t sim_rand(struct sim *s);

/* True when every node reaches every other over links that are up. */
bool sim_connected(const struct sim *s);

#endif
