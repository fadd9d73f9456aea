/* The EAL command line a node's config implies. */
#ifndef MESHPLANE_DP_EAL_ARGS_H
#define MESHPLANE_DP_EAL_ARGS_H

#include "config.h"

#define EAL_ARGS_MAX 96

struct eal_args {
	int argc;
	char *argv[EAL_ARGS_MAX + 1];  /* handed to rte_eal_init, which reorders and overwrites it */
	char *owned[EAL_ARGS_MAX + 1]; /* the same strings, for freeing */
};

/* Builds argv for rte_eal_init: file prefix, memory, lcores, log level, eal.extra_args, then
 * user_argv. Ports are attached after EAL init (ports.c), so a failing one can be named. 0, or -1 when it would exceed EAL_ARGS_MAX. */
int eal_args_build(struct eal_args *args, const struct node_config *cfg, int user_argc, char **user_argv);

/* Frees what eal_args_build allocated. */
void eal_args_free(struct eal_args *args);

#endif
