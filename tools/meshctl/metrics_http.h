/* meshctl metrics --listen: GET /metrics for a Prometheus scraper, served from meshctl, never from
 * the dataplane: each scrape reads the node's telemetry afresh. */
#ifndef MESHCTL_METRICS_HTTP_H
#define MESHCTL_METRICS_HTTP_H

#include <stddef.h>

/* Listens on "ADDR:PORT" ("127.0.0.1:9464", "[::1]:9464", ":9464" for every address) and answers
 * scrapes of the node with this telemetry file prefix until SIGINT/SIGTERM: 0 then, or -1 with a
 * message in err when the address cannot be used. */
int metrics_listen(const char *node, const char *listen_addr, char *err, size_t errlen);

#endif
