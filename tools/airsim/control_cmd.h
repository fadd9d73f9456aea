/* The control language: one text command in, one text reply out ("ok", "error: ...", or the stats
 * JSON). Pure logic over a medium, shared by the control socket and the unit tests. */
#ifndef AIRSIM_CONTROL_CMD_H
#define AIRSIM_CONTROL_CMD_H

#include <stdbool.h>

#include "medium.h"

/* Longest command accepted, in bytes. */
#define CONTROL_CMD_MAX 256

/* Runs line against m; returns a malloc'ed reply (NULL only when out of memory); sets *quit on "quit". */
char *control_cmd_execute(struct medium *m, const char *line, bool *quit);

#endif
