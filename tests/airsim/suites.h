/* Every Check suite of the airsim unit-test runner; one constructor per tools/airsim logic module. */
#ifndef AIRSIM_TEST_SUITES_H
#define AIRSIM_TEST_SUITES_H

#include <check.h>

#include "medium.h"

Suite *topology_suite(void);
Suite *medium_suite(void);
Suite *frame_rewrite_suite(void);
Suite *relay_suite(void);
Suite *control_cmd_suite(void);

/* Loads the three-node lab topology (gw1, gw2, gw3, full mesh at 54 Mb/s, no loss) into m. */
void load_lab_topology(struct medium *m, uint64_t seed);

#endif
