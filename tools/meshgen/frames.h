/* Frame templates: one pre-encoded frame per size, plus the offsets meshgen patches per packet. */
#ifndef MESHGEN_FRAMES_H
#define MESHGEN_FRAMES_H

#include <stdint.h>
#include <string.h>

#include "options.h"

/* Largest frame: 1518-byte Ethernet equivalent as 802.11 with radiotap and AE A5/A6. */
#define MG_MAX_FRAME 1600
#define MG_OFF_NONE 0xffff
/* EtherType of generated frames (IEEE local experimental 2; 88B5 is meshplane's mesh echo). */
#define MG_ETHERTYPE 0x88B6
#define MG_MAGIC 0x4e45474du /* "MGEN" in memory on little-endian hosts */
/* Bytes of Ethernet header + FCS that an Ethernet-equivalent size counts besides the payload. */
#define MG_ETH_OVERHEAD 18

/* What every generated frame carries at payload_off (unaligned: always memcpy). */
struct mg_payload {
	uint32_t magic;
	uint32_t flow;
	uint64_t seq; /* per flow, from 1 */
	uint64_t tsc; /* rte_rdtsc() when handed to the driver */
} __attribute__((packed));

struct mg_template {
	uint8_t data[MG_MAX_FRAME];
	uint16_t len;          /* bytes handed to the port */
	uint16_t wire_len;     /* the Ethernet-equivalent size, for bit rates */
	uint16_t payload_off;  /* where struct mg_payload goes */
	uint16_t off_sta_dst;  /* end-station DA (Ethernet DA or A5), or MG_OFF_NONE */
	uint16_t off_sta_src;  /* end-station SA (Ethernet SA, A6 or group A4), or MG_OFF_NONE */
	uint16_t off_mesh_da;  /* mesh DA (A3 of unicast), or MG_OFF_NONE */
	uint16_t off_mesh_seq; /* Mesh Control sequence number (LE32), or MG_OFF_NONE */
	/* CCMP: the frame has an 8-octet gap for the CCMP header after its 802.11 header and 8 octets
	 * for the MIC at its end (both counted in len; every offset past the header includes the gap),
	 * and is encrypted per packet under the key protect names. */
	uint8_t protect;       /* MG_PROTECT_* */
	uint8_t wlan_hdr_len;  /* 802.11 header length (24..32) when protected */
	uint16_t wlan_off;     /* where the 802.11 header starts (the radiotap length) */
};

#define MG_PROTECT_NONE 0
#define MG_PROTECT_MTK 1  /* unicast: key ID 0 */
#define MG_PROTECT_MGTK 2 /* group: key ID 1 */
#define MG_MGTK_KEY_ID 1  /* wpa_supplicant's and meshplane's MGTK key ID */

/* Builds the template of kind for the Ethernet-equivalent size (64..1518) from o's addresses, with
 * the base addresses of flow 0, in the protected layout when mg_kind_protected(o, kind); returns 0
 * or -1 if the encoder refuses. */
int mg_template_build(const struct mg_opts *o, enum mg_kind kind, unsigned size, struct mg_template *t);

/* MAC address as a 48-bit integer, so flow ranges are additions. */
static inline uint64_t mg_mac_to_u64(const struct mac_addr *a)
{
	uint64_t v = 0;

	for (int i = 0; i < MAC_LEN; i++)
		v = (v << 8) | a->bytes[i];
	return v;
}

/* Writes the low 48 bits of v as a MAC address at p. */
static inline void mg_put_mac(uint8_t *p, uint64_t v)
{
	for (int i = MAC_LEN - 1; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

/* Writes v little-endian at p (the Mesh Control sequence number's byte order). */
static inline void mg_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Offset of the payload in a frame of len bytes: at expect when the magic is there, else the
 * first match in the first 128 bytes; -1 when there is none. */
static inline int mg_find_payload(const uint8_t *p, uint16_t len, uint16_t expect)
{
	const uint32_t magic = MG_MAGIC;
	uint16_t lim;

	if ((uint32_t)expect + sizeof(struct mg_payload) <= len && memcmp(p + expect, &magic, 4) == 0)
		return expect;
	lim = len < 128 + sizeof(struct mg_payload) ? len : 128 + sizeof(struct mg_payload);
	for (uint16_t i = 0; i + sizeof(struct mg_payload) <= lim; i++)
		if (p[i] == 'M' && memcmp(p + i, &magic, 4) == 0)
			return i;
	return -1;
}

#endif
