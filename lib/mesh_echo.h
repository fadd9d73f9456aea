/* Mesh echo: the payload of meshplane's mesh-level ping and traceroute. It travels as unicast mesh
 * data between two mesh nodes (AE none, A3 = target, A4 = originator) with LLC/SNAP EtherType
 * MESH_ECHO_ETHERTYPE (IEEE 802 local experimental) and starts with a magic, so user traffic of that
 * EtherType (which travels between stations, with AE) is never taken for it. */
#ifndef MESHPLANE_MESH_ECHO_H
#define MESHPLANE_MESH_ECHO_H

#include <stddef.h>
#include <stdint.h>

#include "mac.h"

#define MESH_ECHO_ETHERTYPE 0x88b5
#define MESH_ECHO_LEN 28

enum mesh_echo_type {
	MESH_ECHO_REQUEST = 1,
	MESH_ECHO_REPLY = 2,
	MESH_ECHO_TTL_EXCEEDED = 3, /* sent by the node where a request's mesh TTL ran out */
};

struct mesh_echo {
	uint8_t type;
	uint8_t ttl_sent;        /* the request's initial mesh TTL */
	uint16_t id;
	uint16_t seq;
	uint64_t sent_us;        /* the originator's clock, echoed back */
	struct mac_addr responder;
};

/* Writes the echo payload (MESH_ECHO_LEN bytes); returns MESH_ECHO_LEN or CODEC_ERR_NO_SPACE. */
int mesh_echo_encode(uint8_t *out, size_t cap, const struct mesh_echo *e);

/* Decodes an echo payload; CODEC_ERR_TRUNCATED, or CODEC_ERR_NOT_DATA when the magic or type is wrong. */
int mesh_echo_decode(const uint8_t *buf, size_t len, struct mesh_echo *e);

#endif
