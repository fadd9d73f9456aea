/* meshctl monitor: the node's events (peers, paths, discoveries, stations, links) as they happen. */
#ifndef MESHCTL_MONITOR_H
#define MESHCTL_MONITOR_H

#include <stdbool.h>

#include "telemetry_client.h"

struct monitor_options {
	bool json;         /* one JSON object a line instead of text */
	bool history;      /* start with the events the node still keeps, not from now */
	long max_events;   /* stop after this many (0: until SIGINT/SIGTERM) */
	unsigned poll_ms;  /* how often the node is asked */
};

/* Polls /meshplane/events and prints every event until stopped; 0 when stopped by a signal or
 * max_events, -1 with a message in err when the node cannot be read (it stopped). */
int monitor_run(struct telemetry_client *c, const struct monitor_options *opt, char *err, size_t errlen);

#endif
