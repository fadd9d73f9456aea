/* meshctl topology: the mesh as the node's /meshplane/topology knows it, as Graphviz DOT (or SVG/PNG
 * through graphviz's dot). */
#ifndef MESHCTL_TOPOLOGY_H
#define MESHCTL_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>

#include "telemetry_client.h"

struct topology_options {
	const char *path_to;  /* a mesh node's MAC: highlight the route to it (traced hop by hop), or NULL */
	const char *format;   /* "dot" (default), "svg" or "png" */
	const char *output;   /* a file, or NULL for standard output */
	bool json;            /* the rows as the node reports them instead of a picture */
};

/* Writes the picture; 0, or -1 with a message in err. */
int topology_write(struct telemetry_client *c, const struct topology_options *o, char *err, size_t errlen);

#endif
