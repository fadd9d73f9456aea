/* 802.11 management frames: header, Action frames, information elements, Mesh ID, Mesh
 * Configuration and mesh beacons. */
#ifndef MESHPLANE_MGMT_H
#define MESHPLANE_MGMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mac.h"

#define IEEE80211_FC0_BEACON 0x80
#define IEEE80211_FC0_ACTION 0xd0
#define IEEE80211_FC0_AUTH 0xb0
#define MGMT_HDR_LEN 24
#define ACTION_HDR_LEN (MGMT_HDR_LEN + 2)
#define BEACON_FIXED_LEN 12 /* timestamp, interval, capability */

#define WLAN_CATEGORY_MESH 13
#define WLAN_CATEGORY_MULTIHOP 14
#define WLAN_CATEGORY_SELF_PROTECTED 15
#define WLAN_MESH_ACTION_LINK_METRIC_REPORT 0
#define WLAN_MESH_ACTION_HWMP 1
#define WLAN_MESH_ACTION_GATE_ANNOUNCEMENT 2

#define WLAN_EID_SSID 0
#define WLAN_EID_SUPP_RATES 1
#define WLAN_EID_MESH_CONFIG 113
#define WLAN_EID_MESH_ID 114
#define WLAN_EID_PEER_MGMT 117
#define WLAN_EID_MIC 140 /* AMPE: AES-SIV output follows; see peering/ampe.h */
#define WLAN_EID_GANN 125
#define WLAN_EID_RANN 126
#define WLAN_EID_PREQ 130
#define WLAN_EID_PREP 131
#define WLAN_EID_PERR 132
#define WLAN_EID_VENDOR 221

#define MESH_ID_MAX_LEN 32
#define MESH_CONFIG_LEN 7
/* Mesh Configuration capability bits. */
#define MESH_CAP_ACCEPTING_PEERINGS 0x01
#define MESH_CAP_FORWARDING 0x08
/* Capability field of a mesh beacon: ESS and IBSS both clear (802.11-2012 8.4.1.4). */
#define BEACON_CAPABILITY_MESH 0x0000

struct mgmt_hdr {
	uint8_t fc0;  /* type/subtype octet, e.g. IEEE80211_FC0_ACTION */
	uint8_t fc1;
	uint16_t duration;
	struct mac_addr addr1, addr2, addr3;
	uint16_t seq_ctrl;
};

struct action_frame {
	struct mgmt_hdr hdr;
	uint8_t category;
	uint8_t action;
	const uint8_t *body; /* the bytes after category and action (elements for HWMP) */
	size_t body_len;
};

struct ie {
	uint8_t id;
	uint8_t len;
	const uint8_t *data;
};

struct ie_iter {
	const uint8_t *buf;
	size_t len;
	size_t off;
};

struct mesh_id {
	uint8_t len;
	uint8_t id[MESH_ID_MAX_LEN];
};

struct mesh_config_ie {
	uint8_t path_sel_protocol; /* 1 = HWMP */
	uint8_t path_sel_metric;   /* 1 = airtime */
	uint8_t congestion_control;
	uint8_t sync_method;       /* 1 = neighbour offset */
	uint8_t auth_protocol;     /* 0 none, 1 SAE */
	uint8_t formation_info;    /* b0 connected to gate, b1-6 number of peerings */
	uint8_t capability;        /* b0 accepting peerings, b3 forwarding */
};

#define MESH_RATES_MAX 16     /* 802.11 allows 8 + 255; real sets have at most 12 */
#define MESH_RATE_BASIC 0x80  /* "basic" (mandatory) bit of a rate octet */

/* A rate set: octets as on the air, 500 kb/s units with MESH_RATE_BASIC on basic rates. */
struct mesh_rates {
	uint8_t n;
	uint8_t rate[MESH_RATES_MAX];
};

struct beacon {
	struct mgmt_hdr hdr;
	uint64_t timestamp;
	uint16_t interval_tu;
	uint16_t capability;
	bool has_mesh_id;
	struct mesh_id mesh_id;
	bool has_mesh_config;
	struct mesh_config_ie mesh_config;
	/* encode only: Supported/Extended Supported Rates (n == 0: Linux's 2.4 GHz default set) and the
	 * DS Parameter Set channel (0: no DS element) */
	struct mesh_rates rates;
	uint8_t channel;
	const uint8_t *ies; /* every element of the body, for callers that want more (vendor IEs) */
	size_t ies_len;
};

/* Decodes the 24-byte management header; CODEC_ERR_NOT_MGMT if the frame is not management. */
int mgmt_hdr_decode(const uint8_t *buf, size_t len, struct mgmt_hdr *hdr);

/* Writes the 24-byte management header; returns MGMT_HDR_LEN or CODEC_ERR_NO_SPACE. */
int mgmt_hdr_encode(uint8_t *out, size_t cap, const struct mgmt_hdr *hdr);

/* Decodes an Action frame (header, category, action, body view); returns CODEC_OK or < 0. */
int action_decode(const uint8_t *buf, size_t len, struct action_frame *af);

/* Writes an Action frame header with category and action; returns ACTION_HDR_LEN or < 0. */
int action_encode_header(uint8_t *out, size_t cap, const struct mgmt_hdr *hdr, uint8_t category,
			 uint8_t action);

/* Starts iterating the elements in buf[0..len). */
void ie_iter_init(struct ie_iter *it, const uint8_t *buf, size_t len);

/* Next element: 1 and *out set, 0 at the clean end, CODEC_ERR_ELEMENT_OVERRUN if one runs past it. */
int ie_iter_next(struct ie_iter *it, struct ie *out);

/* Finds the first element with id; 1 found, 0 absent, < 0 when the list is malformed. */
int ie_find(const uint8_t *buf, size_t len, uint8_t id, struct ie *out);

/* Writes one element (id, len, data); returns 2 + len or < 0. */
int ie_write(uint8_t *out, size_t cap, uint8_t id, const uint8_t *data, size_t len);

/* Decodes a Mesh ID element body; CODEC_ERR_TOO_LONG above 32 octets. */
int mesh_id_decode(const uint8_t *data, size_t len, struct mesh_id *out);

/* Sets a Mesh ID from a C string; CODEC_ERR_TOO_LONG above 32 octets. */
int mesh_id_set(struct mesh_id *out, const char *text);

/* True when two Mesh IDs are equal. */
bool mesh_id_equal(const struct mesh_id *a, const struct mesh_id *b);

/* Decodes a Mesh Configuration element body (exactly 7 octets). */
int mesh_config_decode(const uint8_t *data, size_t len, struct mesh_config_ie *out);

/* Writes a whole Mesh Configuration element; returns 9 or < 0. */
int mesh_config_encode(uint8_t *out, size_t cap, const struct mesh_config_ie *cfg);

/* Decodes a mesh beacon: fixed fields, Mesh ID and Mesh Configuration if present. */
int beacon_decode(const uint8_t *buf, size_t len, struct beacon *b);

/* Writes a mesh beacon (header, fixed fields, wildcard SSID, Supported Rates, DS Parameter Set,
 * Extended Supported Rates, Mesh ID, Mesh Configuration, then extra_ies verbatim); returns the frame
 * length or < 0. */
int beacon_encode(uint8_t *out, size_t cap, const struct beacon *b, const uint8_t *extra_ies,
		  size_t extra_len);

#endif
