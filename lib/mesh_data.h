/* 802.11s mesh data frames (QoS data + Mesh Control + LLC/SNAP) and Ethernet conversion. */
#ifndef MESHPLANE_MESH_DATA_H
#define MESHPLANE_MESH_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "mac.h"

#define IEEE80211_FC0_QOS_DATA 0x88
#define IEEE80211_FC0_NULL_DATA 0x48
#define IEEE80211_FC0_QOS_NULL 0xc8
#define IEEE80211_QOS0_AMSDU 0x80
#define IEEE80211_FC1_TODS 0x01
#define IEEE80211_FC1_FROMDS 0x02
#define IEEE80211_FC1_PROTECTED 0x40
/* QoS Control octet 1, bit 0 (bit 8 of the field). */
#define IEEE80211_QOS1_MESH_CONTROL_PRESENT 0x01

#define MESH_DATA_UNICAST_HDR_LEN 32
#define MESH_DATA_GROUP_HDR_LEN 26
#define MESH_CONTROL_BASE_LEN 6
#define MESH_FLAGS_AE_MASK 0x03
#define LLC_SNAP_LEN 8
#define ETHER_HDR_LEN 14
/* Type/length values below this are 802.3 lengths, not EtherTypes. */
#define ETHER_TYPE_MIN 0x0600
#define MESH_DEFAULT_TTL 31

enum mesh_ae_mode {
	MESH_AE_NONE = 0,  /* no extended address */
	MESH_AE_A4 = 1,    /* group frames: A4 = end-station source */
	MESH_AE_A5_A6 = 2, /* unicast frames: A5 = end DA, A6 = end SA */
};

struct mesh_control {
	uint8_t flags; /* AE mode in bits 0-1, the rest reserved (kept as received) */
	uint8_t ttl;
	uint32_t seq;
	/* AE A4: ext[0] = A4. AE A5+A6: ext[0] = A5, ext[1] = A6. */
	struct mac_addr ext[2];
};

struct mesh_data_hdr {
	bool group;        /* 3-address group-addressed form (FromDS only) */
	uint8_t fc1;       /* second Frame Control octet as received (DS bits, retry, ...) */
	uint16_t duration;
	struct mac_addr addr1, addr2, addr3, addr4; /* addr4 only in the unicast form */
	uint16_t seq_ctrl;
	uint8_t tid;
	struct mesh_control mc;
	bool has_snap;      /* body starts with RFC 1042 LLC/SNAP */
	uint16_t ethertype; /* valid when has_snap */
	uint16_t hdr_len;   /* 802.11 MAC header: 26 or 32 */
	uint16_t body_off;  /* first payload byte: after SNAP, or after Mesh Control without SNAP */
	bool mcp_missing;   /* Mesh Control Present bit clear: the frames a Linux 6.1 mesh point forwards
			     * are so, with the Mesh Control there all the same */
};

struct ether_info {
	struct mac_addr dst, src;
	uint16_t type_or_len; /* EtherType, or 802.3 length when below ETHER_TYPE_MIN */
	size_t payload_off;   /* always 14 */
	size_t payload_len;   /* 802.3: the length field; Ethernet II: the rest of the frame */
};

/* AE mode of a Mesh Control flags octet. */
static inline unsigned mesh_control_ae(const struct mesh_control *mc)
{
	return mc->flags & MESH_FLAGS_AE_MASK;
}

/* Bytes of Mesh Control for an AE mode (6, 12 or 18); 0 for the reserved mode 3. Inline: the
 * encapsulation fast path sizes every header with it. */
static inline size_t mesh_control_len(unsigned ae_mode)
{
	return ae_mode < 3 ? MESH_CONTROL_BASE_LEN + ae_mode * MAC_LEN : 0;
}

/* Decodes a mesh data frame (no radiotap); fills hdr or returns a codec_status < 0. */
int mesh_data_decode(const uint8_t *buf, size_t len, struct mesh_data_hdr *hdr);

/* Length of the header mesh_data_encode_header writes for hdr (802.11 + Mesh Control + SNAP). */
static inline size_t mesh_data_header_len(const struct mesh_data_hdr *hdr)
{
	return (hdr->group ? MESH_DATA_GROUP_HDR_LEN : MESH_DATA_UNICAST_HDR_LEN) +
	       mesh_control_len(mesh_control_ae(&hdr->mc)) + (hdr->has_snap ? LLC_SNAP_LEN : 0);
}

/* RFC 1042 LLC/SNAP header (AA AA 03 00 00 00) that precedes the EtherType. */
extern const uint8_t rfc1042_header[6];

/* Writes 802.11 header, Mesh Control and (if has_snap) LLC/SNAP for hdr; returns bytes or < 0.
 * The DS bits come from hdr->group; other fc1 bits are ignored. Inline: the encapsulation fast path
 * calls it for every frame, and the constant parts fold away there. */
static inline int mesh_data_encode_header(uint8_t *out, size_t cap, const struct mesh_data_hdr *hdr)
{
	unsigned ae = mesh_control_ae(&hdr->mc);
	size_t need, off;

	if (ae == 3 || (hdr->group && ae == MESH_AE_A5_A6) || (!hdr->group && ae == MESH_AE_A4))
		return CODEC_ERR_BAD_AE;
	need = mesh_data_header_len(hdr);
	if (cap < need)
		return CODEC_ERR_NO_SPACE;
	out[0] = IEEE80211_FC0_QOS_DATA;
	out[1] = hdr->group ? IEEE80211_FC1_FROMDS : (IEEE80211_FC1_TODS | IEEE80211_FC1_FROMDS);
	put_le16(out + 2, hdr->duration);
	mac_write(out + 4, &hdr->addr1);
	mac_write(out + 10, &hdr->addr2);
	mac_write(out + 16, &hdr->addr3);
	put_le16(out + 22, hdr->seq_ctrl);
	off = 24;
	if (!hdr->group) {
		mac_write(out + off, &hdr->addr4);
		off += MAC_LEN;
	}
	out[off] = hdr->tid & 0x0f;
	out[off + 1] = IEEE80211_QOS1_MESH_CONTROL_PRESENT;
	off += 2;
	out[off] = hdr->mc.flags;
	out[off + 1] = hdr->mc.ttl;
	put_le32(out + off + 2, hdr->mc.seq);
	off += MESH_CONTROL_BASE_LEN;
	if (ae >= MESH_AE_A4) {
		mac_write(out + off, &hdr->mc.ext[0]);
		off += MAC_LEN;
	}
	if (ae == MESH_AE_A5_A6) {
		mac_write(out + off, &hdr->mc.ext[1]);
		off += MAC_LEN;
	}
	if (hdr->has_snap) {
		memcpy(out + off, rfc1042_header, sizeof(rfc1042_header));
		put_be16(out + off + 6, hdr->ethertype);
		off += LLC_SNAP_LEN;
	}
	return (int)off;
}

/* The end-station addresses a decoded frame carries: what its Ethernet DA/SA become. */
void mesh_data_end_addrs(const struct mesh_data_hdr *hdr, struct mac_addr *da, struct mac_addr *sa);

/* Parses an Ethernet II or 802.3 frame header; returns CODEC_OK or < 0. */
int ether_parse(const uint8_t *buf, size_t len, struct ether_info *info);

/* Converts a mesh data frame into the Ethernet frame it carries; returns its length or < 0.
 * Frames without SNAP become 802.3 frames whose length field is the body length. */
int mesh_data_to_ether(const uint8_t *frame, size_t len, uint8_t *out, size_t cap);

/* Encapsulates an Ethernet frame as mesh data using the addresses and Mesh Control of tmpl
 * (has_snap and ethertype are taken from the Ethernet frame); returns the frame length or < 0. */
int ether_to_mesh_data(const uint8_t *eth, size_t len, const struct mesh_data_hdr *tmpl,
		       uint8_t *out, size_t cap);

#endif
