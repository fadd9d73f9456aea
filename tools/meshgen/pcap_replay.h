/* pcap replay: every record of a capture becomes a frame template, sent round robin. */
#ifndef MESHGEN_PCAP_REPLAY_H
#define MESHGEN_PCAP_REPLAY_H

#include <stddef.h>

#include "frames.h"

/* Most frames one replay file may hold (templates are ~1.6 KB each). */
#define MG_REPLAY_MAX 4096

/* Loads up to max records of the classic-format pcap at path into t[] (records longer than
 * MG_MAX_FRAME or shorter than 14 bytes are refused). A record carrying meshgen's payload magic in
 * its first 128 bytes gets flow, sequence and timestamp stamped like a generated frame; others are
 * sent unchanged (and not measured). Returns the number of templates, or -1 with err filled. */
int mg_replay_load(const char *path, struct mg_template *t, size_t max, char *err, size_t errlen);

#endif
