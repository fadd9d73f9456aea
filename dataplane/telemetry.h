/* DPDK telemetry commands under /meshplane/ (dpdk-telemetry.py -f <file-prefix>). */
#ifndef MESHPLANE_DP_TELEMETRY_H
#define MESHPLANE_DP_TELEMETRY_H

#include <jansson.h>

/* Registers /meshplane/info, /meshplane/ports, /meshplane/stats and /meshplane/config; 0 or -1. */
int telemetry_register(void);

/* The same statistics as /meshplane/stats, as a JSON object (for the exit report). */
json_t *stats_to_json(void);

#endif
