/* libFuzzer: a small mesh of honest HWMP engines in the simulator, with topology, link loss, root
 * modes, link and node failures and traffic all taken from the input. After every step no walk along
 * the installed next hops may visit a node twice (HWMP's sequence numbers promise loop freedom among
 * nodes that follow the rules; hostile elements into one engine are fuzz_hwmp_engine's job). The walk is
 * sim_trace's, which forwards as the dataplane does: a gate's default route only at the source (the
 * gate becomes the mesh destination), HWMP paths only at transit nodes (regression-loop-1). */
#include <stdint.h>
#include <string.h>

#include "fuzz_input.h"
#include "sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void assert_loop_free(const struct sim *s)
{
	uint32_t n = sim_nodes(s);

	for (uint32_t a = 0; a < n; a++) {
		for (uint32_t b = 0; b < n; b++) {
			struct sim_trace t;

			if (a == b)
				continue;
			sim_trace(s, a, b, &t);
			if (t.result == SIM_LOOP)
				__builtin_trap();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t loss_ppm[4] = {0, 0, 100000, 400000};
	struct fuzz_input in = {data, size};
	struct hwmp_params params;
	uint32_t nodes = 2 + take8(&in) % 7;
	uint32_t link_specs = take8(&in) % 16;
	uint64_t seed = take8(&in);
	struct sim *s;
	int steps = 0;

	hwmp_params_default(&params, 16);
	params.switch_hysteresis_pct = take8(&in) % 2 ? 10 : 0;
	params.target_only = take8(&in) & 1;
	s = sim_create(nodes, seed, &params);
	if (s == NULL)
		return 0;
	for (uint32_t i = 0; i < nodes; i++) {
		uint8_t root = take8(&in);

		if (root < 40) { /* a few roots and gates, in every root mode */
			struct hwmp_params rp = params;

			rp.root_mode = (uint8_t)(1 + root % 4);
			rp.is_gate = rp.gate_announcements = root & 1;
			sim_set_params(s, i, &rp);
		}
	}
	for (uint32_t i = 0; i < link_specs; i++) {
		uint8_t a = take8(&in), b = take8(&in), m = take8(&in), loss = take8(&in);

		sim_add_link(s, a % nodes, b % nodes, 100u + m * 50u, loss_ppm[loss % 4], 100u + (loss >> 2) * 20u);
	}
	if (sim_start(s) != 0) {
		sim_destroy(s);
		return 0;
	}
	while (in.left > 0 && steps++ < 64) {
		uint8_t op = take8(&in), x = take8(&in), y = take8(&in);
		uint64_t now = sim_now(s);
		uint32_t links = sim_links(s);

		switch (op % 6) {
		case 0:
			if (links > 0)
				sim_schedule_link(s, now + 1, x % links, y & 1);
			break;
		case 1:
			sim_schedule_node(s, now + 1, x % nodes, y & 1);
			break;
		case 2:
			sim_schedule_need_path(s, now + 1, x % nodes, y % nodes);
			break;
		case 3:
			if (x % nodes != y % nodes)
				sim_send_data(s, x % nodes, y % nodes);
			break;
		default:
			break;
		}
		sim_run_until(s, now + 1 + (uint64_t)(op >> 3) * 20000u); /* up to 0.6 s per step */
		assert_loop_free(s);
	}
	sim_destroy(s);
	return 0;
}
