/* meshctl metrics: every counter of a node (/meshplane/stats), its ports, peers, paths and stations
 * in Prometheus' text exposition format (version 0.0.4). */
#ifndef MESHCTL_METRICS_H
#define MESHCTL_METRICS_H

#include <stdio.h>

#include "telemetry_client.h"

/* Reads the node through c and writes its metrics to out; 0, or -1 with a message in err. */
int metrics_write(struct telemetry_client *c, FILE *out, char *err, size_t errlen);

#endif
