/* The suites of hwmp_tests. */
#ifndef MESHPLANE_HWMP_TESTS_SUITES_H
#define MESHPLANE_HWMP_TESTS_SUITES_H

#include <check.h>

Suite *airtime_suite(void);
Suite *link_loss_suite(void);
Suite *engine_suite(void);
Suite *sim_suite(void);

#endif
