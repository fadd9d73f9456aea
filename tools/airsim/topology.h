/* Topology file (JSON) -> medium. Every error names the offending key, e.g.
 * "links[1].rate_mbps: 0 is out of range 0.5..127.5"; bad input never crashes. */
#ifndef AIRSIM_TOPOLOGY_H
#define AIRSIM_TOPOLOGY_H

#include <stddef.h>
#include <stdint.h>

#include "medium.h"

/* Default link when neither the link nor "default" says otherwise. */
#define TOPOLOGY_DEFAULT_RATE_500KBPS 108 /* 54 Mb/s */
#define TOPOLOGY_DEFAULT_LOSS 0.0

/* Parses JSON text into m (re-initialised with seed); 0, or -1 with a message in err. */
int topology_parse_text(const char *text, uint64_t seed, struct medium *m, char *err, size_t errlen);

/* Same as topology_parse_text for the file at path; messages start with "<path>: ". */
int topology_load_file(const char *path, uint64_t seed, struct medium *m, char *err, size_t errlen);

#endif
