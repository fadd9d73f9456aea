/* hwmp_bench: 1,000-node HWMP runs in the simulator (grid and random geometric graph, reactive and
 * proactive), printing convergence time, control frames per node, wall-clock time and how many paths
 * differ from the Dijkstra optimum. Usage: hwmp_bench [nodes] [seed] [per-hop delay us] */
#include <stdio.h>
#include <stdlib.h>

#include "scenario.h"

static void print(const char *name, const struct scenario_result *r)
{
	printf("%-26s nodes=%u links=%u pairs=%u delivered=%u optimal=%u differ=%u no_path=%u loops=%u\n", name,
	       r->nodes, r->links, r->pairs, r->delivered, r->optimal, r->suboptimal, r->no_path, r->loops);
	printf("%-26s converge=%llu ms (last control frame %llu ms) frames/node=%.1f (PREQ %llu PREP %llu "
	       "PERR %llu RANN %llu) failed=%llu events=%llu wall=%.2f s\n",
	       "", (unsigned long long)r->converge_ms, (unsigned long long)r->last_control_ms, r->frames_per_node,
	       (unsigned long long)r->frames_preq, (unsigned long long)r->frames_prep,
	       (unsigned long long)r->frames_perr, (unsigned long long)r->frames_rann,
	       (unsigned long long)r->discovery_failed, (unsigned long long)r->events, r->wall_s);
}

int main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 1000;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
	uint32_t delay_us = argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 0) : 50;
	uint32_t w = 25;
	struct scenario_result r;
	struct scenario grid = {
		.topology = SCEN_GRID, .nodes = n, .seed = seed, .link = {.delay_us = delay_us},
		.element_ttl = 255, /* a 25 x 40 grid is 63 hops across: beyond the default TTL of 31 */
		.pairs = n, .request_window_ms = 1000, .data_interval_ms = 100, .check_at_ms = 3000,
	};
	struct scenario rgg = grid;
	struct scenario rann;
	int failed = 0;

	while (w * w < n)
		w++;
	while (n % w != 0)
		w++;
	grid.grid_w = w;
	rgg.topology = SCEN_RANDOM;
	rgg.radius = 1.9; /* about 11 neighbours on average at density 1 */
	rann = rgg;
	rann.pairs = 0;
	rann.root_mode = HWMP_ROOT_RANN;
	rann.check_at_ms = 2000;

	printf("hwmp_bench: %u nodes, seed %llu, per-hop delay %u us + link airtime, no loss, Linux defaults "
	       "(element TTL 255)\n", n, (unsigned long long)seed, delay_us);
	if (scenario_run(&grid, &r) < 0)
		return 1;
	print("grid reactive", &r);
	failed |= r.loops != 0;
	if (scenario_run(&rgg, &r) < 0)
		return 1;
	print("random reactive", &r);
	failed |= r.loops != 0;
	if (scenario_run(&rann, &r) < 0)
		return 1;
	print("random proactive (RANN)", &r);
	failed |= r.loops != 0;
	return failed;
}
