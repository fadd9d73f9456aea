#include "wired_mesh.h"

#include <string.h>

/* Offsets of Address 1 and 2 in an 802.11 header (after Frame Control and Duration). */
#define A1_OFF 4
#define A2_OFF 10
#define ADDRS_END 16

enum wired_mesh_status wired_mesh_check(const uint8_t *buf, size_t len)
{
	if (len < WIRED_MESH_HDR_LEN)
		return WIRED_MESH_TRUNCATED;
	if (((unsigned)buf[12] << 8 | buf[13]) != WIRED_MESH_ETHERTYPE)
		return WIRED_MESH_NOT_MESH;
	if (len < WIRED_MESH_HDR_LEN + ADDRS_END)
		return WIRED_MESH_TRUNCATED;
	/* The switch learnt the outer source: one that is not the transmitter would teach it a lie. */
	if (memcmp(buf, buf + WIRED_MESH_HDR_LEN + A1_OFF, 6) != 0 ||
	    memcmp(buf + 6, buf + WIRED_MESH_HDR_LEN + A2_OFF, 6) != 0)
		return WIRED_MESH_MISMATCH;
	return WIRED_MESH_OK;
}

void wired_mesh_build(uint8_t *hdr, const uint8_t *frame)
{
	memcpy(hdr, frame + A1_OFF, 6);
	memcpy(hdr + 6, frame + A2_OFF, 6);
	hdr[12] = WIRED_MESH_ETHERTYPE >> 8;
	hdr[13] = WIRED_MESH_ETHERTYPE & 0xff;
}
