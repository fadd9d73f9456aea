/* Mesh echo (meshctl ping and traceroute): answers requests for this node, reports "TTL exceeded"
 * for requests whose mesh TTL runs out here, and runs one probe at a time for telemetry. */
#ifndef MESHPLANE_CONTROL_ECHO_H
#define MESHPLANE_CONTROL_ECHO_H

#include <stdint.h>

#include <rte_mbuf.h>

#include "mac.h"

enum echo_outcome { ECHO_REPLY = 0, ECHO_TTL_EXCEEDED, ECHO_TIMEOUT, ECHO_NO_PATH };

struct echo_result {
	enum echo_outcome outcome;
	struct mac_addr responder;
	uint32_t rtt_us;
};

/* Control thread: a punted echo frame from mesh port index port (consumed by the caller). */
void echo_handle(unsigned port, struct rte_mbuf *m, uint64_t now_ms);

/* Control thread: sends the probe telemetry asked for, once there is a path (it asks HWMP for one). */
void echo_serve(uint64_t now_ms);

/* Telemetry thread: one echo request to mesh node dest with mesh TTL ttl; waits up to 2 s. */
void echo_probe(const struct mac_addr *dest, uint8_t ttl, struct echo_result *out);

/* Name of an outcome ("reply", "ttl_exceeded", "timeout", "no_path"). */
const char *echo_outcome_name(enum echo_outcome o);

#endif
