/* Authenticated Mesh Peering Exchange crypto (802.11-2020 §14.5), laid out as wpa_supplicant 2.10
 * does it (wpa_supplicant/mesh_rsn.c, mesh_mpm.c), so the main engineer can wrap the MPM's Open,
 * Confirm and Close in it:
 *   AEK = KDF-SHA256-256(PMK, "AEK Derivation", AKM 00-0f-ac:8 || min(MAC) || max(MAC))
 *   MTK = KDF-SHA256-128(PMK, "Temporal Key Derivation", min(nonce) || max(nonce) ||
 *         min(link ID) || max(link ID) (LE16) || AKM 00-0f-ac:8 || min(MAC) || max(MAC))
 *   The frame ends with the MIC element (140, 16) whose body is AES-SIV's V, then AES-SIV's
 *   ciphertext of the whole AMPE element (139, id and length included). AES-SIV key: the AEK; its
 *   three associated-data vectors: the sender's MAC, the receiver's MAC, and the frame from the
 *   category octet up to (not including) the MIC element.
 *   AMPE element body: pairwise suite (00-0f-ac:4), local nonce (32), peer nonce (32, zeros until
 *   known), and in Open only: MGTK (16) || Key RSC (8) || GTKExpirationTime (LE32, wpa_supplicant
 *   sends 0xffffffff), then with MFP: IGTK Key ID (LE16, wpa_supplicant 4) || IPN (6) || IGTK (16).
 *   The mesh group key handshake (802.11-2016 §14.6; wpa_supplicant 2.10 has none, so meshplane sends
 *   it only to peers that announce MESH_EXT_MGK): Mesh Group Key Inform (action 4) and Acknowledge (5)
 *   are category, action, [meshplane's extension element], MIC element, encrypted AMPE element, under
 *   the link's AEK like the peering frames; their AMPE body is the nonces of the peering, then the Key
 *   Replay Counter (8, LE: one Inform after another, the Ack echoes it), then in an Inform GTKdata.
 * Pure functions over buffers; libcrypto only. Return 0 on success, -1 on failure unless said. */
#ifndef MESHPLANE_PEERING_AMPE_H
#define MESHPLANE_PEERING_AMPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mac.h"
#include "peering_frame.h"

#define WLAN_EID_AMPE 139
/* WLAN_EID_MIC (140) comes from mgmt.h. */
#define AMPE_MIC_LEN 16
#define AMPE_NONCE_LEN 32
#define AMPE_AEK_LEN 32
#define AMPE_MTK_LEN 16    /* CCMP-128 */
#define AMPE_MGTK_LEN 16   /* CCMP-128 group key */
#define AMPE_IGTK_LEN 16   /* BIP-CMAC-128 */
#define AMPE_RSC_LEN 8
#define AMPE_IPN_LEN 6
#define AMPE_PMK_LEN 32
#define AMPE_BODY_BASE_LEN (4 + 2 * AMPE_NONCE_LEN)                         /* 68 */
#define AMPE_GTKDATA_LEN (AMPE_MGTK_LEN + AMPE_RSC_LEN + 4)                 /* 28 */
#define AMPE_IGTKDATA_LEN (2 + AMPE_IPN_LEN + AMPE_IGTK_LEN)                /* 24 */
#define AMPE_REPLAY_LEN 8
#define AMPE_BODY_MAX_LEN (AMPE_BODY_BASE_LEN + AMPE_GTKDATA_LEN + AMPE_IGTKDATA_LEN)
/* What ampe_protect appends: MIC element + encrypted AMPE element. */
#define AMPE_TRAILER_MAX_LEN (2 + AMPE_MIC_LEN + 2 + AMPE_BODY_MAX_LEN)

/* The AKM and cipher suite selectors AMPE binds into its keys and element. */
#define RSN_SUITE_AKM_SAE {0x00, 0x0f, 0xac, 0x08}
#define RSN_SUITE_CIPHER_CCMP {0x00, 0x0f, 0xac, 0x04}

/* The AMPE element's content. */
struct ampe_element {
	uint8_t pairwise_suite[4];           /* selected pairwise cipher suite */
	uint8_t local_nonce[AMPE_NONCE_LEN]; /* the sender's nonce */
	uint8_t peer_nonce[AMPE_NONCE_LEN];  /* the receiver's nonce as the sender knows it (zeros: not yet) */
	uint64_t replay_counter;             /* Key Replay Counter: Inform and Acknowledge only */
	bool has_gtk;                        /* GTKdata: Open and Inform frames only */
	uint8_t mgtk[AMPE_MGTK_LEN];
	uint8_t mgtk_rsc[AMPE_RSC_LEN];
	uint32_t mgtk_expiration_s;
	bool has_igtk;                       /* IGTKdata: Open with management frame protection */
	uint16_t igtk_key_id;
	uint8_t igtk_ipn[AMPE_IPN_LEN];
	uint8_t igtk[AMPE_IGTK_LEN];
};

/* AEK for the link between self and peer. */
int ampe_derive_aek(const uint8_t pmk[AMPE_PMK_LEN], const struct mac_addr *self, const struct mac_addr *peer,
		    uint8_t aek[AMPE_AEK_LEN]);

/* MTK (the CCMP-128 key of unicast frames with peer) from both nonces and link IDs. */
int ampe_derive_mtk(const uint8_t pmk[AMPE_PMK_LEN], const uint8_t local_nonce[AMPE_NONCE_LEN],
		    const uint8_t peer_nonce[AMPE_NONCE_LEN], uint16_t local_lid, uint16_t peer_lid,
		    const struct mac_addr *self, const struct mac_addr *peer, uint8_t mtk[AMPE_MTK_LEN]);

/* Writes the AMPE element (id, length, body) for a frame of the given action (GTKdata and IGTKdata
 * only in Open, as wpa_supplicant 2.10; the replay counter in Inform and Acknowledge, GTKdata too in
 * Inform); returns its length or -1. */
int ampe_element_encode(uint8_t *out, size_t cap, uint8_t action, const struct ampe_element *a);

/* Reads an AMPE element (id, length, body) found in a frame of the given action: Open needs
 * GTKdata (IGTKdata when it fits), Confirm/Close ignore any key data after the nonces, as
 * wpa_supplicant does for old peers; Acknowledge needs the replay counter, Inform it and GTKdata. */
int ampe_element_decode(const uint8_t *in, size_t len, uint8_t action, struct ampe_element *out);

/* Protects an outgoing Self-protected Open/Confirm/Close/Inform/Acknowledge: frame[0..*len) is the whole 802.11 frame
 * (24-octet header, category, action, fields, every element up to and including element 117 and
 * whatever else precedes the MIC); appends the MIC element and the encrypted AMPE element, growing
 * *len (cap: buffer size, AMPE_TRAILER_MAX_LEN more is enough). self/peer: A2/A1. */
int ampe_protect(const uint8_t aek[AMPE_AEK_LEN], const struct mac_addr *self, const struct mac_addr *peer,
		 uint8_t *frame, size_t *len, size_t cap, const struct ampe_element *a);

/* Verifies and decrypts an incoming protected peering frame (whole 802.11 frame) from peer to
 * self: finds the MIC element after the fixed fields, checks AES-SIV over the same associated data
 * and decodes the AMPE element. my_nonce: the nonce we sent (NULL: skip the check); the frame's peer
 * nonce must be zeros or equal it (wpa_supplicant's rule). -1: malformed or no MIC, -2: the MIC
 * does not verify (wpa_supplicant closes an Open with reason 58 then), -3: bad nonce. */
int ampe_verify(const uint8_t aek[AMPE_AEK_LEN], const struct mac_addr *self, const struct mac_addr *peer,
		const uint8_t *frame, size_t len, const uint8_t *my_nonce, struct ampe_element *out);

/* True when element 117 carries the PMKID ("Chosen PMK") of the SAE session (constant time). */
bool ampe_pmkid_matches(const struct peering_mgmt_ie *ie, const uint8_t pmkid[MESH_PMKID_LEN]);

/* A fresh random MGTK (this node's group key; wpa_supplicant makes one at start, no rekeying). */
int ampe_mgtk_generate(uint8_t mgtk[AMPE_MGTK_LEN]);

/* A fresh random nonce for one peering. */
int ampe_nonce_generate(uint8_t nonce[AMPE_NONCE_LEN]);

#endif
