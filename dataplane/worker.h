/* The poll-mode worker loop. */
#ifndef MESHPLANE_DP_WORKER_H
#define MESHPLANE_DP_WORKER_H


/* Worker lcore entry (rte_lcore_function_t): polls its queue on every port until node.stop.
 * arg is the worker's queue index cast to a pointer. */
int worker_main(void *arg);

#endif
