/* The elements by which mesh points decide whether they belong to the same mesh and may peer
 * (802.11-2016 §14.2.3, Linux's mesh_matches_local): Supported/Extended Supported Rates, DS Parameter
 * Set, Mesh ID, Mesh Configuration, RSN presence, and meshplane's own extension element. Mesh beacons
 * and Mesh Peering Open/Confirm frames carry them. Pure codec, no DPDK. */
#ifndef MESHPLANE_MESH_IES_H
#define MESHPLANE_MESH_IES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mgmt.h"

#define WLAN_EID_DS_PARAMS 3
#define WLAN_EID_RSN 48
#define WLAN_EID_EXT_SUPP_RATES 50

/* Membership selectors ride in the rate elements with the basic bit set but are not rates. */
#define MESH_RATE_SELECTOR_MIN 0x7a

/* meshplane's vendor element (self-assigned Company ID 02-6d-70, "mp", local bit set). Type 1 is the
 * AP element of the neighbour manager; type 2 announces the protocol extensions the sender accepts. */
#define MESHPLANE_OUI0 0x02
#define MESHPLANE_OUI1 0x6d
#define MESHPLANE_OUI2 0x70
#define MESHPLANE_VENDOR_AP 1
#define MESHPLANE_VENDOR_EXT 2
/* Extension flags: multi-target PREQs, AE in PREQ/PREP and multi-destination PERRs are understood. */
#define MESH_EXT_HWMP 0x01
/* Topology announcements (topology_msg.h) are understood and relayed. */
#define MESH_EXT_TOPOLOGY 0x02
/* The mesh group key handshake (Mesh Group Key Inform/Acknowledge, MGTK refresh) is understood; the
 * element then carries a sixth octet in Opens and Informs: the key ID of the MGTK the frame's AMPE
 * element holds (wpa_supplicant, which has no such octet, takes every MGTK as key ID 1); an Open adds
 * the Key Replay Counter of the sender's last Inform to the receiver (LE64): Informs of an earlier
 * peering, which the same SAE session's nonces would let through, are then old. */
#define MESH_EXT_MGK 0x04

/* What a received element list says about its sender's mesh. */
struct mesh_ies {
	bool has_rates;           /* Supported Rates present (Extended ones are merged in) */
	struct mesh_rates rates;  /* without membership selectors; the first MESH_RATES_MAX */
	bool has_ds;
	uint8_t channel;          /* DS Parameter Set: current channel */
	bool has_mesh_id;
	struct mesh_id mesh_id;
	bool has_mesh_config;
	struct mesh_config_ie mesh_config;
	bool has_rsn;             /* an RSN element is present (a secure mesh) */
	bool rsn_sae_ccmp;        /* it offers what a secure mesh needs: CCMP pairwise and group, AKM SAE */
	bool rsn_mfp_required;    /* its capabilities require management frame protection */
	bool has_ext;
	uint8_t ext_flags;        /* MESH_EXT_* from meshplane's extension element */
	uint8_t ext_mgtk_key_id;  /* its MGTK key ID octet; 0: absent */
	uint64_t ext_replay;      /* its Inform replay counter (Opens); 0: absent */
};

/* Parses the elements of a beacon or peering frame body. CODEC_OK, or < 0 when an element runs past
 * the end or a Mesh ID / Mesh Configuration / rates / DS element is malformed (the first of each counts). */
int mesh_ies_parse(const uint8_t *buf, size_t len, struct mesh_ies *out);

/* Writes Supported Rates (the first 8 of r) or, with extended, Extended Supported Rates (the rest;
 * nothing when there is no rest). Returns the bytes written (0 allowed) or CODEC_ERR_NO_SPACE. */
int mesh_rates_write(uint8_t *out, size_t cap, const struct mesh_rates *r, bool extended);

/* Writes a DS Parameter Set element for channel; returns 3 or CODEC_ERR_NO_SPACE. */
int mesh_ds_write(uint8_t *out, size_t cap, uint8_t channel);

/* Writes the RSN element of a secure mesh as wpa_supplicant 2.10 does (version 1, group CCMP, one
 * pairwise CCMP, one AKM SAE, capabilities MFP required and capable; BIP-CMAC-128 implied); returns
 * its length (22) or CODEC_ERR_NO_SPACE. */
int mesh_rsn_write(uint8_t *out, size_t cap);

/* True when e is one of meshplane's vendor elements (our Company ID) of the given type. */
bool mesh_vendor_is(const struct ie *e, uint8_t type);

/* Writes meshplane's extension element with flags and, when mgtk_key_id is not 0, the MGTK key ID
 * octet, followed by replay (LE64) when that is not 0 either; returns its length or
 * CODEC_ERR_NO_SPACE. */
int mesh_ext_write(uint8_t *out, size_t cap, uint8_t flags, uint8_t mgtk_key_id, uint64_t replay);

/* Bitmap of the basic rates of r over the standard's rate list (1, 2, 5.5, 11, 6, 9, ... 54 Mb/s);
 * unknown rates set bit 31 so that they never compare equal to a set without them. */
uint32_t mesh_rates_basic_bitmap(const struct mesh_rates *r);

/* Linux's 2.4 GHz mesh default: all 12 rates, only 1 Mb/s basic. */
void mesh_rates_default_2ghz(struct mesh_rates *r);

/* Linux's 5 GHz mesh default: the 8 OFDM rates, 6/12/24 Mb/s basic. */
void mesh_rates_default_5ghz(struct mesh_rates *r);

#endif
