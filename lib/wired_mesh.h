/* The wired mesh link header: how 802.11s frames cross an Ethernet port (medium "ethernet") so that a
 * plain switch between two mesh nodes forwards them. Byte layout (README "Wired mesh links"):
 *   0..5   destination = the 802.11 frame's Address 1 (receiver: the next hop, or a group address)
 *   6..11  source      = the 802.11 frame's Address 2 (transmitter: this node's mesh address)
 *   12..13 EtherType 0x88B5 (IEEE Std 802 Local Experimental EtherType 1)
 *   14..   the 802.11 frame from its Frame Control field, as it would go on the air, without FCS
 * A switch thus learns mesh node addresses only, never those of the stations behind them. */
#ifndef MESHPLANE_WIRED_MESH_H
#define MESHPLANE_WIRED_MESH_H

#include <stddef.h>
#include <stdint.h>

#define WIRED_MESH_ETHERTYPE 0x88B5
#define WIRED_MESH_HDR_LEN 14

/* What a mesh port's frames carry before the 802.11 header (port_config.link). */
enum mesh_link {
	MESH_LINK_BARE = 0,     /* nothing: the 802.11 frame starts the buffer */
	MESH_LINK_RADIOTAP = 1, /* a radiotap header (radio ports) */
	MESH_LINK_ETHERNET = 2, /* the wired mesh link header above */
};

enum wired_mesh_status {
	WIRED_MESH_OK = 0,
	WIRED_MESH_TRUNCATED = -1,  /* shorter than the header, or than the 802.11 addresses it names */
	WIRED_MESH_NOT_MESH = -2,   /* another EtherType: not a wired mesh frame */
	WIRED_MESH_MISMATCH = -3,   /* the Ethernet addresses are not the 802.11 receiver and transmitter */
};

/* Checks the wired mesh link header of buf (len bytes): WIRED_MESH_OK when the 802.11 frame at
 * buf + WIRED_MESH_HDR_LEN may be taken, else why not. */
enum wired_mesh_status wired_mesh_check(const uint8_t *buf, size_t len);

/* Writes the WIRED_MESH_HDR_LEN-byte header at hdr for the 802.11 frame at frame (at least 16 bytes:
 * Frame Control, Duration, Address 1 and 2). hdr and frame may not overlap. */
void wired_mesh_build(uint8_t *hdr, const uint8_t *frame);

#endif
