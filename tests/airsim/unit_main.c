/* The Check runner for airsim's pure logic: one binary, one summary line. */
#include <stdlib.h>

#include "suites.h"
#include "topology.h"

void load_lab_topology(struct medium *m, uint64_t seed)
{
	static const char lab[] = "{\"nodes\": [{\"name\": \"gw1\", \"iface\": \"air-gw1\"},"
				  " {\"name\": \"gw2\", \"iface\": \"air-gw2\"},"
				  " {\"name\": \"gw3\", \"iface\": \"air-gw3\"}]}";
	char err[256] = "";

	ck_assert_msg(topology_parse_text(lab, seed, m, err, sizeof(err)) == 0, "%s", err);
}

int main(void)
{
	SRunner *runner = srunner_create(topology_suite());
	int failed;

	srunner_add_suite(runner, medium_suite());
	srunner_add_suite(runner, frame_rewrite_suite());
	srunner_add_suite(runner, relay_suite());
	srunner_add_suite(runner, control_cmd_suite());
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
