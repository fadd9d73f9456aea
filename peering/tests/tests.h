/* The Check suites of the secure-mesh test executable (sae_tests). */
#ifndef MESHPLANE_PEERING_TESTS_H
#define MESHPLANE_PEERING_TESTS_H

#include <check.h>

Suite *sae_kat_suite(void);
Suite *sae_machine_suite(void);
Suite *ampe_suite(void);
Suite *secure_suite(void);

#endif
