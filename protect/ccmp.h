/* CCMP-128 (802.11-2020 §12.5.3) on whole 802.11 frames in a flat buffer: data frames (mesh data,
 * 3 or 4 addresses, QoS) and management frames (robust action frames under management frame
 * protection). The 802.11 constructions (AAD, nonce, CCMP header) are here; AES-CCM itself comes from
 * intel-ipsec-mb (AES-NI, the same library DPDK's aesni_mb crypto PMD wraps), never from our code.
 * No DPDK: the dataplane hands in its mbuf's bytes, the control thread its frame buffers.
 *
 * Layout of a protected frame: 802.11 header (hdr_len) | CCMP header (8) | encrypted body | MIC (8).
 * Encryption and decryption work in place and never move the header: a frame decrypted for transit
 * keeps the 8-octet gap, so the next hop's encryption needs no memmove. */
#ifndef MESHPLANE_PROTECT_CCMP_H
#define MESHPLANE_PROTECT_CCMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CCMP_TK_LEN 16
#define CCMP_HDR_LEN 8
#define CCMP_MIC_LEN 8
#define CCMP_OVERHEAD (CCMP_HDR_LEN + CCMP_MIC_LEN)
#define CCMP_AAD_MAX_LEN 30 /* FC 2, A1-A3 18, SC 2, A4 6, QC 2 */
#define CCMP_NONCE_LEN 13
#define CCMP_PN_MAX 0xffffffffffffULL

/* An expanded CCMP-128 key (the AES key schedule intel-ipsec-mb wants, 16-octet aligned). */
struct ccmp_key {
	uint32_t enc[4 * 15] __attribute__((aligned(16)));
	uint32_t dec[4 * 15] __attribute__((aligned(16))); /* unused by CCM; the expansion writes it */
};

/* One lcore's or thread's intel-ipsec-mb manager (not shareable across threads). */
struct ccmp_engine;

/* A manager for the best code path this CPU has (AVX-512, AVX2, AVX or SSE); NULL when the library
 * cannot run here or on ENOMEM. name_out (optional) gets the architecture's name. */
struct ccmp_engine *ccmp_engine_create(const char **name_out);

/* Frees it (NULL is fine). */
void ccmp_engine_destroy(struct ccmp_engine *e);

/* Expands the 16-octet temporal key into k. */
void ccmp_key_set(struct ccmp_engine *e, struct ccmp_key *k, const uint8_t tk[CCMP_TK_LEN]);

/* Wipes k. */
void ccmp_key_wipe(struct ccmp_key *k);

/* Length of the 802.11 header of frame (data: 24, +6 with A4, +2 with QoS; management: 24), or -1
 * when len is too short or it is a control frame. */
int ccmp_hdr_len(const uint8_t *frame, size_t len);

/* The AAD of §12.5.3.3.3 for the header hdr (hdr_len octets): FC with subtype bits 4-6 of data frames,
 * Retry, Power Management and More Data masked, Protected set, and (QoS data) Order masked; A1-A3;
 * SC with the sequence number masked; A4 if present; QC with only the TID kept. Returns its length. */
size_t ccmp_aad(const uint8_t *hdr, size_t hdr_len, uint8_t aad[CCMP_AAD_MAX_LEN]);

/* The nonce: flags (priority = TID of QoS data, else 0; bit 4 for management frames), A2, PN
 * big-endian. */
void ccmp_nonce(const uint8_t *hdr, size_t hdr_len, uint64_t pn, uint8_t nonce[CCMP_NONCE_LEN]);

/* Writes the CCMP header (PN0 PN1 0 ExtIV|KeyID PN2..PN5). */
void ccmp_hdr_write(uint8_t out[CCMP_HDR_LEN], uint64_t pn, uint8_t key_id);

/* Reads PN and key ID from a CCMP header; -1 when the ExtIV bit is clear (not CCMP). */
int ccmp_hdr_read(const uint8_t in[CCMP_HDR_LEN], uint64_t *pn, uint8_t *key_id);

/* Protects in place: frame[0, hdr_len) is the header (Protected bit set here), frame[hdr_len,
 * hdr_len + 8) is reserved for the CCMP header, the body_len plaintext octets follow, and
 * CCMP_MIC_LEN octets of room after them get the MIC. 0, or -1 on bad lengths. */
int ccmp_encrypt(struct ccmp_engine *e, const struct ccmp_key *k, uint8_t *frame, size_t hdr_len, size_t body_len,
		 uint64_t pn, uint8_t key_id);

/* Verifies and decrypts in place a protected frame of len octets whose header is hdr_len: on success
 * the plaintext body is at frame + hdr_len + 8 (len - hdr_len - 16 octets), *pn is the frame's PN and
 * the Protected bit stays set (the caller clears it if it passes the frame on unprotected).
 * -1: malformed (too short, no ExtIV), -2: the MIC does not verify (the body is then garbage). */
int ccmp_decrypt(struct ccmp_engine *e, const struct ccmp_key *k, uint8_t *frame, size_t hdr_len, size_t len,
		 uint64_t *pn);

/* A burst of frames protected or verified in one pass through intel-ipsec-mb's multi-buffer manager,
 * whose lanes work on several frames at once (one frame at a time leaves all but one lane idle and
 * pays a flush per frame): queue them, run, read each op's status. */
#define CCMP_BATCH_MAX 64

struct ccmp_op {
	const struct ccmp_key *key;
	uint8_t *frame;
	size_t hdr_len, body_len;
	uint8_t aad[CCMP_AAD_MAX_LEN];
	uint8_t aad_len;
	uint8_t nonce[CCMP_NONCE_LEN];
	uint8_t tag[CCMP_MIC_LEN]; /* decryption: the MIC computed over the received body */
	bool decrypt;
	int status;                /* after ccmp_batch_run: 0, -1 (the library failed it), -2 (MIC wrong) */
};

struct ccmp_batch {
	unsigned n;
	struct ccmp_op op[CCMP_BATCH_MAX];
};

/* Queues what ccmp_encrypt does (the header's Protected bit and the CCMP header are written now, the
 * body and MIC by ccmp_batch_run); the op's index, or -1 when the batch is full or lengths are bad. */
int ccmp_batch_encrypt(struct ccmp_batch *b, const struct ccmp_key *k, uint8_t *frame, size_t hdr_len,
		       size_t body_len, uint64_t pn, uint8_t key_id);

/* Queues what ccmp_decrypt does; *pn is read from the CCMP header now. The op's index, or -1 when
 * the batch is full or the frame malformed (too short, no ExtIV). */
int ccmp_batch_decrypt(struct ccmp_batch *b, const struct ccmp_key *k, uint8_t *frame, size_t hdr_len, size_t len,
		       uint64_t *pn);

/* Runs every queued op and sets its status; the ops stay readable until the caller sets b->n = 0. */
void ccmp_batch_run(struct ccmp_engine *e, struct ccmp_batch *b);

/* The replay counter of one key and traffic class: a frame is taken only if its PN is greater than
 * every PN taken before (§12.5.3.4.4). */
static inline bool ccmp_replay_ok(const uint64_t *last, uint64_t pn)
{
	return pn > __atomic_load_n(last, __ATOMIC_RELAXED);
}

/* Records pn as taken (only ever raises the counter, also when two readers race). */
static inline void ccmp_replay_update(uint64_t *last, uint64_t pn)
{
	uint64_t cur = __atomic_load_n(last, __ATOMIC_RELAXED);

	while (pn > cur && !__atomic_compare_exchange_n(last, &cur, pn, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

#endif
