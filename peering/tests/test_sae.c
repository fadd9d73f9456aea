#include "tests.h"
Suite *sae_machine_suite(void) { return suite_create("sae"); }
