#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mgmt.h"

void scenario_build(struct sim *s, const struct scenario *sc)
{
	switch (sc->topology) {
	case SCEN_LINE:
		topo_line(s, &sc->link);
		break;
	case SCEN_RING:
		topo_ring(s, &sc->link);
		break;
	case SCEN_GRID:
		topo_grid(s, sc->grid_w, sc->nodes / sc->grid_w, &sc->link);
		break;
	case SCEN_RANDOM:
		topo_random_geometric(s, sc->radius, &sc->link);
		break;
	}
}

/* HWMP_SIM_DEBUG=1: what each node on a suboptimal path believes. */
static void debug_path(struct sim *s, uint32_t src, uint32_t dst, const uint64_t *dist)
{
	struct mac_addr d = sim_addr(dst);
	uint32_t cur = src;

	fprintf(stderr, "suboptimal %u -> %u at %llu ms\n", src, dst, (unsigned long long)(sim_now(s) / 1000));
	for (int k = 0; k < 64 && cur != dst; k++) {
		struct hwmp_route r;
		uint32_t a, b, m;

		if (!hwmp_lookup(sim_engine(s, cur), &d, sim_now(s) / 1000, &r))
			break;
		sim_link_info(s, sim_find_link(s, cur, sim_index(&r.path.next_hop)), &a, &b, &m);
		fprintf(stderr, "  node %u: next %u link %u believes %u (sn %u, confirmed %d, expiry %llu) optimum %llu\n",
			cur, sim_index(&r.path.next_hop), m, r.path.metric, r.path.sn, r.path.confirmed,
			(unsigned long long)r.path.expiry_ms, (unsigned long long)dist[cur]);
		cur = sim_index(&r.path.next_hop);
	}
}

void scenario_check_pairs(struct sim *s, const uint32_t *src, const uint32_t *dst, uint32_t n,
			  struct scenario_result *res)
{
	uint64_t *dist = malloc(sizeof(*dist) * sim_nodes(s));

	if (dist == NULL)
		return;
	for (uint32_t i = 0; i < n; i++) {
		struct sim_trace t;

		/* Undirected links: the distance from dst equals the distance to it. */
		sim_dijkstra(s, dst[i], dist);
		if (dist[src[i]] == UINT64_MAX) {
			res->unreachable++;
			continue;
		}
		sim_trace(s, src[i], dst[i], &t);
		if (t.result == SIM_LOOP)
			res->loops++;
		else if (t.result != SIM_DELIVERED)
			res->no_path++;
		else {
			res->delivered++;
			if (t.metric == dist[src[i]]) {
				res->optimal++;
			} else {
				res->suboptimal++;
				if (getenv("HWMP_SIM_DEBUG"))
					debug_path(s, src[i], dst[i], dist);
			}
		}
	}
	free(dist);
}

struct disc_log {
	uint64_t last_done_us;
	uint64_t failed;
};

static void on_disc(void *arg, uint32_t node, const struct mac_addr *dest, enum hwmp_discovery_result r,
		    uint64_t now_us)
{
	struct disc_log *log = arg;

	(void)node;
	(void)dest;
	if (now_us > log->last_done_us)
		log->last_done_us = now_us;
	if (r == HWMP_DISCOVERY_FAILED)
		log->failed++;
}

static struct sim *build_started(const struct scenario *sc, struct scenario_result *res)
{
	struct hwmp_params p;
	uint64_t seed = sc->seed;

	hwmp_params_default(&p, sc->nodes + 64);
	if (sc->element_ttl)
		p.element_ttl = sc->element_ttl;
	/* Random graphs: skip draws that are not connected, so that every pair has an optimum. */
	for (int attempt = 0; attempt < 100; attempt++, seed++) {
		struct sim *s = sim_create(sc->nodes, seed, &p);

		if (s == NULL)
			return NULL;
		if (sc->root_mode != HWMP_ROOT_NONE) {
			struct hwmp_params rp = p;

			rp.root_mode = sc->root_mode;
			rp.is_gate = true;
			sim_set_params(s, 0, &rp);
		}
		scenario_build(s, sc);
		if (sim_start(s) < 0) {
			sim_destroy(s);
			return NULL;
		}
		if (sc->topology != SCEN_RANDOM || sim_connected(s)) {
			res->seed_used = (uint32_t)seed;
			return s;
		}
		sim_destroy(s);
	}
	return NULL;
}

int scenario_run(const struct scenario *sc, struct scenario_result *res)
{
	struct timespec t0, t1;
	struct disc_log log = {0};
	uint32_t *src = NULL, *dst = NULL, npairs;
	uint64_t *req_at = NULL;
	const struct sim_stats *st;
	struct sim *s;

	memset(res, 0, sizeof(*res));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	s = build_started(sc, res);
	if (s == NULL)
		return -1;
	sim_on_discovery(s, on_disc, &log);
	res->nodes = sim_nodes(s);
	res->links = sim_links(s);
	npairs = sc->pairs ? sc->pairs : (sc->root_mode ? 2 * (sc->nodes - 1) : 0);
	src = calloc(npairs + 1, sizeof(*src));
	dst = calloc(npairs + 1, sizeof(*dst));
	req_at = calloc(npairs + 1, sizeof(*req_at));
	if (src == NULL || dst == NULL || req_at == NULL) {
		free(src);
		free(dst);
		free(req_at);
		sim_destroy(s);
		return -1;
	}
	if (sc->pairs) {
		for (uint32_t i = 0; i < sc->pairs; i++) {
			uint64_t at = sc->request_window_ms ? sim_rand(s) % ((uint64_t)sc->request_window_ms * 1000) : 0;

			src[i] = (uint32_t)(sim_rand(s) % sc->nodes);
			do
				dst[i] = (uint32_t)(sim_rand(s) % sc->nodes);
			while (dst[i] == src[i]);
			req_at[i] = at;
			sim_schedule_need_path(s, at, src[i], dst[i]);
		}
	} else {
		/* Proactive: every node to the root and the root to every node. */
		for (uint32_t i = 1; i < sc->nodes; i++) {
			src[2 * (i - 1)] = i;
			dst[2 * (i - 1)] = 0;
			src[2 * (i - 1) + 1] = 0;
			dst[2 * (i - 1) + 1] = i;
		}
	}
	if (sc->pairs && sc->data_interval_ms) {
		/* Traffic flows on every requested pair until the check, as data would. */
		uint64_t step = (uint64_t)sc->data_interval_ms * 1000;

		for (uint64_t t = step; t + step <= (uint64_t)sc->check_at_ms * 1000; t += step) {
			sim_run_until(s, t);
			for (uint32_t i = 0; i < sc->pairs; i++)
				if (req_at[i] <= t)
					sim_send_data(s, src[i], dst[i]);
		}
	}
	sim_run_until(s, (uint64_t)sc->check_at_ms * 1000);
	res->pairs = npairs;
	scenario_check_pairs(s, src, dst, npairs, res);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	st = sim_get_stats(s);
	res->frames_total = st->tx_total;
	res->frames_preq = st->tx_by_id[WLAN_EID_PREQ];
	res->frames_prep = st->tx_by_id[WLAN_EID_PREP];
	res->frames_perr = st->tx_by_id[WLAN_EID_PERR];
	res->frames_rann = st->tx_by_id[WLAN_EID_RANN];
	res->frames_per_node = (double)st->tx_total / res->nodes;
	res->last_control_ms = st->last_control_us / 1000;
	res->converge_ms = sc->pairs ? log.last_done_us / 1000 : res->last_control_ms;
	res->discovery_failed = log.failed;
	res->events = st->events;
	res->wall_s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	free(src);
	free(dst);
	free(req_at);
	sim_destroy(s);
	return 0;
}
