/* The Check runner: every suite of tests/unit in one binary, so one summary line covers them all. */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
	SRunner *runner = srunner_create(mac_suite());
	int failed;

	srunner_add_suite(runner, radiotap_suite());
	srunner_add_suite(runner, mesh_data_suite());
	srunner_add_suite(runner, mgmt_suite());
	srunner_add_suite(runner, hwmp_elements_suite());
	srunner_add_suite(runner, frame_class_suite());
	srunner_add_suite(runner, tshark_suite());
	srunner_add_suite(runner, config_suite());
	srunner_add_suite(runner, hostapd_msg_suite());
	srunner_add_suite(runner, peering_frame_suite());
	srunner_add_suite(runner, linux_frames_suite());
	srunner_add_suite(runner, sae_frame_suite());
	srunner_add_suite(runner, topology_suite());
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
