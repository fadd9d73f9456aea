/* Simulator checks: paths equal Dijkstra's optimum and walk without loops, re-routing after link and
 * node failures, proactive trees, sequence-number wrap, loss, and a 1,000-node run (figures printed). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "scenario.h"
#include "suites.h"

static void assert_all_optimal(const struct scenario *sc, const char *name)
{
	struct scenario_result r;

	ck_assert_int_eq(scenario_run(sc, &r), 0);
	printf("%s: nodes=%u pairs=%u optimal=%u differ=%u no_path=%u loops=%u frames/node=%.1f wall=%.2fs\n", name,
	       r.nodes, r.pairs, r.optimal, r.suboptimal, r.no_path, r.loops, r.frames_per_node, r.wall_s);
	ck_assert_uint_eq(r.loops, 0);
	ck_assert_uint_eq(r.unreachable, 0);
	ck_assert_uint_eq(r.delivered, r.pairs);
	ck_assert_uint_eq(r.optimal, r.pairs);
}

static struct scenario base(enum scenario_topology t, uint32_t n, uint32_t pairs)
{
	struct scenario sc = {
		.topology = t, .nodes = n, .seed = 42, .link = {.delay_us = 200}, .radius = 1.9,
		.pairs = pairs, .request_window_ms = 500, .data_interval_ms = 100, .check_at_ms = 2000,
	};
	return sc;
}

START_TEST(test_line_all_pairs_optimal)
{
	struct scenario sc = base(SCEN_LINE, 12, 60);

	assert_all_optimal(&sc, "line 12");
}
END_TEST

START_TEST(test_ring_optimal)
{
	struct scenario sc = base(SCEN_RING, 16, 80);

	assert_all_optimal(&sc, "ring 16");
}
END_TEST

START_TEST(test_grid_optimal)
{
	struct scenario sc = base(SCEN_GRID, 64, 128);

	sc.grid_w = 8;
	assert_all_optimal(&sc, "grid 8x8");
}
END_TEST

START_TEST(test_random_geometric_optimal)
{
	struct scenario sc = base(SCEN_RANDOM, 150, 150);

	assert_all_optimal(&sc, "random 150");
}
END_TEST

START_TEST(test_proactive_rann_tree)
{
	struct scenario sc = base(SCEN_RANDOM, 150, 0);

	sc.root_mode = HWMP_ROOT_RANN;
	sc.check_at_ms = 1000;
	assert_all_optimal(&sc, "RANN random 150");
}
END_TEST

START_TEST(test_proactive_preq_tree)
{
	struct scenario sc = base(SCEN_GRID, 49, 0);

	sc.grid_w = 7;
	sc.root_mode = HWMP_ROOT_PROACTIVE_PREQ_WITH_PREP;
	sc.check_at_ms = 1000;
	assert_all_optimal(&sc, "proactive PREQ grid 7x7");
}
END_TEST

/* Sends data every 50 ms on (src, dst) until t_end; returns the last trace. */
static void traffic(struct sim *s, uint32_t src, uint32_t dst, uint64_t t_end_ms)
{
	for (uint64_t t = sim_now(s) / 1000 + 50; t <= t_end_ms; t += 50) {
		sim_run_until(s, t * 1000);
		sim_send_data(s, src, dst);
	}
}

static void assert_optimal_now(struct sim *s, uint32_t src, uint32_t dst)
{
	uint64_t *dist = malloc(sizeof(*dist) * sim_nodes(s));
	struct sim_trace t;

	sim_dijkstra(s, dst, dist);
	sim_trace(s, src, dst, &t);
	ck_assert_int_eq(t.result, SIM_DELIVERED);
	ck_assert_uint_eq(t.metric, dist[src]);
	free(dist);
}

START_TEST(test_link_failure_reroutes)
{
	struct hwmp_params p;
	struct scenario sc = base(SCEN_RING, 10, 0);
	struct sim *s;
	struct sim_trace t;
	uint32_t link;

	sc.link.uniform_rate = true;
	hwmp_params_default(&p, 64);
	s = sim_create(10, 1, &p);
	scenario_build(s, &sc);
	ck_assert_int_eq(sim_start(s), 0);
	sim_schedule_need_path(s, 0, 0, 3);
	traffic(s, 0, 3, 500);
	sim_trace(s, 0, 3, &t);
	ck_assert_int_eq(t.result, SIM_DELIVERED);
	ck_assert_uint_eq(t.hops, 3); /* 0-1-2-3 */
	link = sim_find_link(s, 1, 2);
	sim_schedule_link(s, 600 * 1000, link, false);
	traffic(s, 0, 3, 1500);
	assert_optimal_now(s, 0, 3);
	sim_trace(s, 0, 3, &t);
	ck_assert_uint_eq(t.hops, 7); /* 0-9-8-7-6-5-4-3 */
	ck_assert_uint_ge(hwmp_get_counters(sim_engine(s, 1))->perr_tx, 1);
	ck_assert_uint_ge(hwmp_get_counters(sim_engine(s, 0))->perr_dests_invalidated, 1);
	/* The link comes back: the refresh/confirmation finds the short way again. */
	sim_schedule_link(s, 1600 * 1000, link, true);
	traffic(s, 0, 3, 7000);
	assert_optimal_now(s, 0, 3);
	sim_destroy(s);
}
END_TEST

START_TEST(test_node_failure_reroutes)
{
	struct hwmp_params p;
	struct scenario sc = base(SCEN_GRID, 25, 0);
	struct sim *s;
	struct sim_trace t;

	sc.grid_w = 5;
	hwmp_params_default(&p, 64);
	s = sim_create(25, 3, &p);
	scenario_build(s, &sc);
	ck_assert_int_eq(sim_start(s), 0);
	sim_schedule_need_path(s, 0, 0, 24);
	traffic(s, 0, 24, 500);
	assert_optimal_now(s, 0, 24);
	sim_trace(s, 0, 24, &t);
	/* Kill the middle node of the current path (not an end). */
	{
		uint32_t cur = 0, mid = 0, hops = 0;
		struct mac_addr d = sim_addr(24);
		struct hwmp_route r;

		while (cur != 24 && hops < t.hops / 2 + 1) {
			ck_assert(hwmp_lookup(sim_engine(s, cur), &d, sim_now(s) / 1000, &r));
			cur = sim_index(&r.path.next_hop);
			hops++;
			mid = cur;
		}
		ck_assert_uint_ne(mid, 24);
		sim_schedule_node(s, 600 * 1000, mid, false);
	}
	traffic(s, 0, 24, 2000);
	assert_optimal_now(s, 0, 24);
	sim_destroy(s);
}
END_TEST

START_TEST(test_sn_wraps_in_sim)
{
	struct hwmp_params p;
	struct scenario sc = base(SCEN_LINE, 6, 0);
	struct sim *s;

	hwmp_params_default(&p, 64);
	p.initial_sn = 0xFFFFFFF0u;
	s = sim_create(6, 5, &p);
	scenario_build(s, &sc);
	ck_assert_int_eq(sim_start(s), 0);
	/* Node 0 runs 40 discoveries (one SN each), crossing 2^32; the others keep finding it. */
	for (uint32_t round = 0; round < 40; round++) {
		sim_run_until(s, (uint64_t)(round + 1) * 200 * 1000);
		hwmp_forward_failed(sim_engine(s, 0), &(struct mac_addr){{0x02, 0, 0, 0, 0, 5}}, sim_now(s) / 1000);
		sim_send_data(s, 0, 5);
		sim_send_data(s, 5, 0);
	}
	sim_run_until(s, 8500 * 1000);
	ck_assert_uint_lt(hwmp_own_sn(sim_engine(s, 0)), 0x100); /* wrapped */
	sim_send_data(s, 0, 5);
	sim_send_data(s, 5, 0);
	sim_run_until(s, 8700 * 1000);
	assert_optimal_now(s, 0, 5);
	assert_optimal_now(s, 5, 0);
	sim_destroy(s);
}
END_TEST

START_TEST(test_lossy_links_no_loops)
{
	struct scenario sc = base(SCEN_RANDOM, 100, 100);
	struct scenario_result r;

	sc.link.loss_ppm = 100000; /* 10 % per broadcast copy */
	ck_assert_int_eq(scenario_run(&sc, &r), 0);
	printf("random 100, 10%% loss: delivered=%u/%u optimal=%u loops=%u\n", r.delivered, r.pairs, r.optimal, r.loops);
	ck_assert_uint_eq(r.loops, 0);
	ck_assert_uint_ge(r.delivered, 98);
}
END_TEST

/* fuzz_hwmp_mesh's first finding (tests/fuzz/corpus/hwmp_mesh/regression-loop-1), replayed step by step:
 * 4 nodes, n0 and n1 RANN roots and gates, links n0-n3 (metric 12850) and n3-n1 (250), 40 % loss each,
 * target_only, 10 % hysteresis, seed 3. n1 learns n0 via n3; n0 goes down at 620 ms; n3's PERR for n0
 * is lost on n3-n1, so n1 keeps its path; n3's discovery of n0 gives up at 3720 ms and routes n0 to
 * its gate n1. The old trace followed n3's gate route as if it were a transit hop and reported a loop
 * n1 -> n3 -> n1. No frame takes it: only a source uses a gate route (the gate becomes the mesh DA), and
 * a transit node without a path drops the frame and sends a PERR (dataplane/forward.c, Linux). */
START_TEST(test_transit_never_takes_gate_route)
{
	struct hwmp_params p, rp;
	struct mac_addr n0 = sim_addr(0), n1 = sim_addr(1), n3 = sim_addr(3);
	struct hwmp_route r;
	struct sim_trace t;
	struct sim *s;
	uint64_t now;
	int tries;

	hwmp_params_default(&p, 16);
	p.switch_hysteresis_pct = 10;
	p.target_only = true;
	s = sim_create(4, 3, &p);
	rp = p;
	rp.root_mode = HWMP_ROOT_RANN;
	rp.is_gate = rp.gate_announcements = true;
	sim_set_params(s, 0, &rp);
	sim_set_params(s, 1, &rp);
	ck_assert_uint_eq(sim_add_link(s, 0, 3, 12850, 400000, 1360), 0);
	ck_assert_uint_eq(sim_add_link(s, 3, 1, 250, 400000, 1340), 1);
	ck_assert_int_eq(sim_start(s), 0);
	/* The harness's steps: each schedules at now + 1 µs and runs up to 620 ms (or 1 µs). */
	sim_send_data(s, 2, 0); /* n2 has no link: a discovery that fails */
	sim_run_until(s, 620001);
	sim_schedule_node(s, 620002, 0, false);
	sim_run_until(s, 620002);
	sim_send_data(s, 3, 0);
	sim_run_until(s, 1240003);
	sim_schedule_link(s, 1240004, 1, true); /* already up: no change */
	sim_run_until(s, 1860004);
	sim_run_until(s, 2480005);
	sim_send_data(s, 3, 1);
	sim_run_until(s, 3100006);
	sim_run_until(s, 3720007);
	now = sim_now(s) / 1000;
	/* The state of the finding: n1's stale path to n0 through n3, n3's gate route for n0 to n1. */
	ck_assert(hwmp_lookup(sim_engine(s, 1), &n0, now, &r));
	ck_assert(!r.via_gate && mac_equal(&r.path.next_hop, &n3));
	ck_assert(hwmp_lookup(sim_engine(s, 3), &n0, now, &r));
	ck_assert(r.via_gate && mac_equal(&r.path.dest, &n1) && mac_equal(&r.path.next_hop, &n1));
	/* Through n3 the frame stops (no path at a transit node); from n3 it goes to the gate n1. */
	sim_trace(s, 1, 0, &t);
	ck_assert_int_eq(t.result, SIM_NO_PATH);
	ck_assert_uint_eq(t.at, 3);
	sim_trace(s, 3, 0, &t);
	ck_assert_int_eq(t.result, SIM_VIA_GATE);
	ck_assert_uint_eq(t.at, 1);
	ck_assert_uint_eq(t.mesh_da, 1);
	/* Data from n1 makes n3 report n0 (forward_failed, PERR from n1's next hop): the stale path goes.
	 * The PERR is a broadcast on a 40 % loss link, so the data keeps coming until one gets through. */
	for (tries = 0; tries < 20 && hwmp_lookup(sim_engine(s, 1), &n0, sim_now(s) / 1000, &r) && !r.via_gate; tries++) {
		ck_assert_int_eq(sim_send_data(s, 1, 0), SIM_NO_PATH);
		sim_run_until(s, sim_now(s) + 110 * 1000);
	}
	ck_assert(!hwmp_lookup(sim_engine(s, 1), &n0, sim_now(s) / 1000, &r) || r.via_gate);
	ck_assert_uint_ge(hwmp_get_counters(sim_engine(s, 1))->perr_dests_invalidated, 1);
	sim_destroy(s);
}
END_TEST

START_TEST(test_thousand_nodes)
{
	struct scenario sc = base(SCEN_RANDOM, 1000, 200);
	struct scenario_result r;

	sc.element_ttl = 255;
	sc.request_window_ms = 1000;
	sc.check_at_ms = 3000;
	ck_assert_int_eq(scenario_run(&sc, &r), 0);
	printf("random 1000 reactive: links=%u pairs=%u optimal=%u differ=%u loops=%u converge=%llums "
	       "frames/node=%.1f events=%llu wall=%.2fs\n", r.links, r.pairs, r.optimal, r.suboptimal, r.loops,
	       (unsigned long long)r.converge_ms, r.frames_per_node, (unsigned long long)r.events, r.wall_s);
	ck_assert_uint_eq(r.loops, 0);
	ck_assert_uint_eq(r.delivered, r.pairs);
	sc.pairs = 0;
	sc.root_mode = HWMP_ROOT_RANN;
	sc.check_at_ms = 1000;
	ck_assert_int_eq(scenario_run(&sc, &r), 0);
	printf("random 1000 RANN: pairs=%u optimal=%u loops=%u converge=%llums frames/node=%.1f wall=%.2fs\n", r.pairs,
	       r.optimal, r.loops, (unsigned long long)r.converge_ms, r.frames_per_node, r.wall_s);
	ck_assert_uint_eq(r.loops, 0);
	ck_assert_uint_eq(r.delivered, r.pairs);
}
END_TEST

Suite *sim_suite(void)
{
	Suite *s = suite_create("hwmp_sim");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, test_line_all_pairs_optimal);
	tcase_add_test(tc, test_ring_optimal);
	tcase_add_test(tc, test_grid_optimal);
	tcase_add_test(tc, test_random_geometric_optimal);
	tcase_add_test(tc, test_proactive_rann_tree);
	tcase_add_test(tc, test_proactive_preq_tree);
	tcase_add_test(tc, test_link_failure_reroutes);
	tcase_add_test(tc, test_node_failure_reroutes);
	tcase_add_test(tc, test_sn_wraps_in_sim);
	tcase_add_test(tc, test_lossy_links_no_loops);
	tcase_add_test(tc, test_transit_never_takes_gate_route);
	tcase_add_test(tc, test_thousand_nodes);
	suite_add_tcase(s, tc);
	return s;
}
