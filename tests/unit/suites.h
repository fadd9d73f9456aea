/* Every Check suite of the unit-test runner; one constructor per lib/ module. */
#ifndef MESHPLANE_TEST_SUITES_H
#define MESHPLANE_TEST_SUITES_H

#include <check.h>

Suite *mac_suite(void);
Suite *radiotap_suite(void);
Suite *mesh_data_suite(void);
Suite *mgmt_suite(void);
Suite *hwmp_elements_suite(void);
Suite *tshark_suite(void);
Suite *frame_class_suite(void);
Suite *config_suite(void);
Suite *hostapd_msg_suite(void);
Suite *peering_frame_suite(void);
Suite *linux_frames_suite(void);
Suite *sae_frame_suite(void);
Suite *topology_suite(void);

#endif
