/* Output: the per-second progress line and the final JSON summary. */
#ifndef MESHGEN_REPORT_H
#define MESHGEN_REPORT_H

#include <stdint.h>

#include "options.h"
#include "worker.h"

/* Prints one progress line to stderr from two counter snapshots taken dt seconds apart. */
void mg_report_progress(double elapsed_s, double dt, const struct mg_counters *prev, const struct mg_counters *cur);

/* Writes the JSON summary of a finished run to o->json_path or stdout; 0, or -1 with a message
 * on stderr. tsc_hz converts the run's TSC values. */
int mg_report_summary(const struct mg_opts *o, const struct mg_run *r, uint64_t tsc_hz);

/* Writes the captured rx frames as pcap to o->capture_path; 0 or -1 with a message on stderr. */
int mg_report_capture(const struct mg_opts *o, const struct mg_run *r);

#endif
