/* SAE Authentication frames (802.11-2020 §9.3.3.11, §9.4.1.x, §12.4.7.4-5): the body after the
 * 24-byte management header — Authentication Algorithm 3, transaction sequence 1 (Commit) or 2
 * (Confirm), status — and the fields each (transaction, status) carries, in the layouts hostap 2.10
 * writes (src/common/sae.c sae_write_commit, src/ap/ieee802_11.c auth_build_token_req). Pure codec,
 * no DPDK, no crypto: decoders return views into the buffer and never read past len.
 *
 * Which fields a body has depends on the status:
 *   Commit, status 0 (hunting-and-pecking):  group, [anti-clogging token], scalar, element
 *   Commit, status 126/127 (hash-to-element): group, scalar, element, [Password Identifier],
 *                                             [Rejected Groups], [Anti-Clogging Token Container]
 *   Commit, status 76 (token required):       group, token (H2E peers: inside a container element)
 *   Commit, status 77 (group not supported):  the rejected group
 *   Confirm, status 0:                        send-confirm, confirm (32/48/64 octets)
 *   any other status:                         nothing is read (the peer refused)
 * A hunting-and-pecking Commit has no length field for its token: every octet beyond group, scalar
 * and element is the token (hostap's rule too, so a Password Identifier there cannot be told
 * apart; 802.11 and hostap use identifiers with hash-to-element only). */
#ifndef MESHPLANE_SAE_FRAME_H
#define MESHPLANE_SAE_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mac.h"
#include "mgmt.h"

#define IEEE80211_FC0_AUTH 0xb0
#define WLAN_AUTH_SAE 3
#define SAE_SEQ_COMMIT 1
#define SAE_SEQ_CONFIRM 2
#define AUTH_FIXED_LEN 6 /* algorithm, transaction, status */

/* Status codes an SAE exchange uses (802.11-2020 Table 9-50). */
#define WLAN_STATUS_SUCCESS 0
#define WLAN_STATUS_UNSPECIFIED_FAILURE 1
#define WLAN_STATUS_UNKNOWN_AUTH_TRANSACTION 14
#define WLAN_STATUS_CHALLENGE_FAIL 15
#define WLAN_STATUS_ANTI_CLOGGING_TOKEN_REQ 76
#define WLAN_STATUS_FINITE_CYCLIC_GROUP_NOT_SUPPORTED 77
#define WLAN_STATUS_UNKNOWN_PASSWORD_IDENTIFIER 123
#define WLAN_STATUS_SAE_HASH_TO_ELEMENT 126
#define WLAN_STATUS_SAE_PK 127

#define WLAN_EID_EXTENSION 255
#define WLAN_EID_EXT_PASSWORD_IDENTIFIER 33
#define WLAN_EID_EXT_REJECTED_GROUPS 92
#define WLAN_EID_EXT_ANTI_CLOGGING_TOKEN 93

#define SAE_FRAME_MAX_PRIME_LEN 66 /* P-521 */
#define SAE_CONFIRM_MIN_LEN 32     /* HMAC-SHA-256; 48/64 with hash-to-element on groups 20/21 */

/* One Authentication frame body as decoded, or as the encoder should write it. */
struct sae_frame {
	uint16_t algorithm;          /* WLAN_AUTH_SAE */
	uint16_t transaction;        /* SAE_SEQ_COMMIT or SAE_SEQ_CONFIRM */
	uint16_t status;
	/* Commit (and the group echoed by status 76/77 replies) */
	uint16_t group;              /* IANA group number */
	bool group_known;            /* decode: the codec knows the group's sizes (else nothing past it) */
	size_t prime_len;            /* octets of the group's prime: scalar prime_len, element 2 x */
	const uint8_t *scalar;
	const uint8_t *element;      /* x || y */
	const uint8_t *token;        /* anti-clogging token (NULL: none) */
	size_t token_len;
	bool token_in_container;     /* hash-to-element form: inside element 255/93 */
	const uint8_t *password_id;  /* Password Identifier's octets (NULL: none) */
	size_t password_id_len;
	const uint8_t *rejected_groups; /* Rejected Groups element body: LE16 group numbers */
	size_t rejected_groups_count;
	/* Confirm */
	uint16_t send_confirm;
	const uint8_t *confirm;
	size_t confirm_len;
};

/* Octets of the prime of an ECC group the codec knows (19, 20, 21, 25, 26, 28, 29, 30), else 0. */
size_t sae_frame_group_prime_len(uint16_t group);

/* True when a Commit with this status uses the hash-to-element layout (126 and 127). */
bool sae_status_is_h2e(uint16_t status);

/* Decodes an Authentication frame body (from the algorithm field on). CODEC_ERR_NOT_MGMT when the
 * algorithm is not SAE or the transaction neither 1 nor 2; CODEC_ERR_TRUNCATED when a field the
 * status requires is cut; CODEC_ERR_ELEMENT_OVERRUN / CODEC_ERR_BAD_LENGTH for malformed trailing
 * elements. A Commit whose group the codec does not know decodes with group_known false. */
int sae_frame_decode(const uint8_t *body, size_t len, struct sae_frame *f);

/* Writes the body f describes (fields chosen by transaction and status as above; the scalar and
 * element lengths come from f->group). Returns its length or < 0. */
int sae_frame_encode(uint8_t *out, size_t cap, const struct sae_frame *f);

/* Decodes a whole Authentication management frame: header (FC 0xB0, not protected) and body. */
int sae_auth_frame_decode(const uint8_t *buf, size_t len, struct mgmt_hdr *hdr, struct sae_frame *f);

/* Writes an Authentication frame from self to peer (A1 peer, A2 and A3 self, as wpa_supplicant's
 * mesh sends its own Commits) around body; returns the frame length or < 0. */
int sae_auth_frame_encode(uint8_t *out, size_t cap, const struct mac_addr *self, const struct mac_addr *peer,
			  const uint8_t *body, size_t body_len);

#endif
