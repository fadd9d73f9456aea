/* The Check runner of the secure-mesh tests: every suite in one binary, one summary line. */
#include <stdlib.h>

#include "tests.h"

int main(void)
{
	SRunner *runner = srunner_create(sae_kat_suite());
	int failed;

	srunner_add_suite(runner, sae_machine_suite());
	srunner_add_suite(runner, ampe_suite());
	srunner_add_suite(runner, secure_suite());
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
