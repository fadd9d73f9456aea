/* Mesh Peering Management frames (802.11-2016 §9.6.16): Self-protected Action frames Open, Confirm and
 * Close with the Mesh Peering Management element (117), in the open (MPM) and the authenticated (AMPE)
 * forms. Pure codec, no DPDK. Layouts and Linux's length rules: ../shared/PROTOCOL.md. */
#ifndef MESHPLANE_PEERING_FRAME_H
#define MESHPLANE_PEERING_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mac.h"
#include "mesh_ies.h"
#include "mgmt.h"

#define WLAN_SP_MESH_PEERING_OPEN 1
#define WLAN_SP_MESH_PEERING_CONFIRM 2
#define WLAN_SP_MESH_PEERING_CLOSE 3
#define WLAN_SP_MGK_INFORM 4 /* Mesh Group Key Inform (802.11-2016 §14.6): a new MGTK for one peer */
#define WLAN_SP_MGK_ACK 5    /* Mesh Group Key Acknowledge */

#define MESH_PEERING_PROTO_MPM 0
#define MESH_PEERING_PROTO_AMPE 1
#define MESH_PMKID_LEN 16

/* Reason codes of Close frames (802.11-2016 Table 9-45). */
#define WLAN_REASON_MESH_PEERING_CANCELED 52
#define WLAN_REASON_MESH_MAX_PEERS 53
#define WLAN_REASON_MESH_CONFIG_POLICY_VIOLATION 54
#define WLAN_REASON_MESH_CLOSE_RCVD 55
#define WLAN_REASON_MESH_MAX_RETRIES 56
#define WLAN_REASON_MESH_CONFIRM_TIMEOUT 57
#define WLAN_REASON_MESH_INVALID_GTK 58
#define WLAN_REASON_MESH_INCONSISTENT_PARAMETERS 59
#define WLAN_REASON_MESH_INVALID_SECURITY 60

/* Element 117's body: protocol, local link ID, [peer link ID], [reason, Close only], [PMKID, AMPE]. */
struct peering_mgmt_ie {
	uint16_t protocol;   /* MESH_PEERING_PROTO_* */
	uint16_t llid;       /* the sender's local link ID */
	bool has_plid;
	uint16_t plid;       /* the sender's peer link ID (= the receiver's local link ID) */
	bool has_reason;     /* Close only, always present there */
	uint16_t reason;
	bool has_pmkid;      /* AMPE only, always present there */
	uint8_t pmkid[MESH_PMKID_LEN];
};

/* A decoded Open, Confirm or Close. */
struct peering_frame {
	struct mgmt_hdr hdr;
	uint8_t action;          /* WLAN_SP_MESH_PEERING_* */
	uint16_t capability;     /* Open and Confirm */
	uint16_t aid;            /* Confirm: the AID the sender gave us */
	struct peering_mgmt_ie mpm;
	const uint8_t *ies;      /* every element after the fixed fields (AMPE's MIC and AMPE elements too; elems
	                          * and mpm come from the elements before the MIC, the rest is ciphertext) */
	size_t ies_len;
	struct mesh_ies elems;   /* their parsed view (a Close carries only the Mesh ID) */
};

/* What this node puts into its Open and Confirm frames. */
struct peering_local {
	struct mac_addr self;
	struct mesh_rates rates;
	struct mesh_id mesh_id;
	struct mesh_config_ie mesh_config;
	uint8_t ext_flags;       /* MESH_EXT_*; 0: no extension element */
	uint8_t mgtk_key_id;     /* with MESH_EXT_MGK: the key ID of the MGTK an Open carries (0: none) */
	uint64_t mgtk_replay;    /* and the replay counter of our last Inform to the receiver */
	bool rsn;                /* a secure mesh: Open and Confirm carry the RSN element */
};

/* Decodes element 117's body as found in a frame of the given action. CODEC_ERR_BAD_LENGTH for any
 * length other than Open 4 (AMPE 20), Confirm 6 (22), Close 6 or 8 (22 or 24) — Linux's rule —, and
 * for an unknown protocol. */
int peering_mgmt_ie_decode(uint8_t action, const uint8_t *data, size_t len, struct peering_mgmt_ie *out);

/* Writes a whole element 117 for a frame of the given action (has_* choose the optional fields; a
 * Close always carries the reason, AMPE always the PMKID). Returns its length or < 0. */
int peering_mgmt_ie_encode(uint8_t *out, size_t cap, uint8_t action, const struct peering_mgmt_ie *ie);

/* Decodes a Self-protected Action frame (802.11 header first) that is an Open, Confirm or Close.
 * CODEC_ERR_NOT_MGMT when it is another frame, < 0 when malformed or element 117 is missing/bad. */
int peering_frame_decode(const uint8_t *buf, size_t len, struct peering_frame *f);

/* Writes an Open, Confirm (with aid) or Close from l->self to peer carrying mpm: capability 0,
 * rates, RSN (with l->rsn), Mesh ID, Mesh Configuration, element 117 and the extension element
 * (Close: Mesh ID and element 117 only). Returns the frame length or < 0. */
int peering_frame_encode(uint8_t *out, size_t cap, const struct peering_local *l, const struct mac_addr *peer,
			 uint8_t action, uint16_t aid, const struct peering_mgmt_ie *mpm);

#endif
