/* The "stats" reply: every node's and link's state and counters as one line of JSON. */
#ifndef AIRSIM_MEDIUM_STATS_H
#define AIRSIM_MEDIUM_STATS_H

#include "medium.h"

/* Returns a malloc'ed compact JSON document describing m, or NULL when out of memory. */
char *medium_stats_json(const struct medium *m);

#endif
