/* The Check runner of hwmp/: airtime metric, beacon loss, engine units (hand-wired engines), simulator checks. */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
	SRunner *runner = srunner_create(airtime_suite());
	int failed;

	srunner_add_suite(runner, link_loss_suite());
	srunner_add_suite(runner, engine_suite());
	srunner_add_suite(runner, sim_suite());
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
