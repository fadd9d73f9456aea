#include "ccmp.h"

#include <stdlib.h>
#include <string.h>

#include <intel-ipsec-mb.h>

#define FC1_TODS 0x01
#define FC1_FROMDS 0x02
#define FC1_RETRY 0x08
#define FC1_PWRMGT 0x10
#define FC1_MOREDATA 0x20
#define FC1_PROTECTED 0x40
#define FC1_ORDER 0x80

struct ccmp_engine {
	IMB_MGR *mgr;
};

struct ccmp_engine *ccmp_engine_create(const char **name_out)
{
	static const char *const names[] = {"none", "no-aesni", "sse", "avx", "avx2", "avx512"};
	struct ccmp_engine *e = calloc(1, sizeof(*e));
	IMB_ARCH arch = IMB_ARCH_NONE;

	if (e == NULL)
		return NULL;
	e->mgr = alloc_mb_mgr(0);
	if (e->mgr == NULL) {
		free(e);
		return NULL;
	}
	init_mb_mgr_auto(e->mgr, &arch);
	if (arch == IMB_ARCH_NONE || imb_get_errno(e->mgr) != 0) {
		ccmp_engine_destroy(e);
		return NULL;
	}
	if (name_out != NULL)
		*name_out = (unsigned)arch < sizeof(names) / sizeof(names[0]) ? names[arch] : "?";
	return e;
}

void ccmp_engine_destroy(struct ccmp_engine *e)
{
	if (e == NULL)
		return;
	free_mb_mgr(e->mgr);
	free(e);
}

void ccmp_key_set(struct ccmp_engine *e, struct ccmp_key *k, const uint8_t tk[CCMP_TK_LEN])
{
	IMB_AES_KEYEXP_128(e->mgr, tk, k->enc, k->dec);
}

void ccmp_key_wipe(struct ccmp_key *k)
{
	volatile uint8_t *p = (volatile uint8_t *)k;

	for (size_t i = 0; i < sizeof(*k); i++)
		p[i] = 0;
}

static bool is_mgmt(const uint8_t *hdr)
{
	return (hdr[0] & 0x0c) == 0x00;
}

static bool is_qos_data(const uint8_t *hdr)
{
	return (hdr[0] & 0x0c) == 0x08 && (hdr[0] & 0x80);
}

static bool has_a4(const uint8_t *hdr)
{
	return !is_mgmt(hdr) && (hdr[1] & (FC1_TODS | FC1_FROMDS)) == (FC1_TODS | FC1_FROMDS);
}

int ccmp_hdr_len(const uint8_t *frame, size_t len)
{
	size_t n = 24;

	if (len < 24)
		return -1;
	switch (frame[0] & 0x0c) {
	case 0x00:
		return 24;
	case 0x08:
		n += has_a4(frame) ? 6 : 0;
		n += is_qos_data(frame) ? 2 : 0;
		return len < n ? -1 : (int)n;
	default:
		return -1;
	}
}

size_t ccmp_aad(const uint8_t *hdr, size_t hdr_len, uint8_t aad[CCMP_AAD_MAX_LEN])
{
	size_t n = 0;
	uint8_t fc1 = (uint8_t)((hdr[1] & ~(FC1_RETRY | FC1_PWRMGT | FC1_MOREDATA)) | FC1_PROTECTED);

	if (is_qos_data(hdr))
		fc1 &= (uint8_t)~FC1_ORDER;
	aad[n++] = is_mgmt(hdr) ? hdr[0] : (uint8_t)(hdr[0] & 0x8f);
	aad[n++] = fc1;
	memcpy(aad + n, hdr + 4, 18); /* A1, A2, A3 */
	n += 18;
	aad[n++] = hdr[22] & 0x0f;    /* fragment number; the sequence number is masked */
	aad[n++] = 0;
	if (has_a4(hdr)) {
		memcpy(aad + n, hdr + 24, 6);
		n += 6;
	}
	if (is_qos_data(hdr)) {
		aad[n++] = hdr[hdr_len - 2] & 0x0f; /* TID */
		aad[n++] = 0;
	}
	return n;
}

void ccmp_nonce(const uint8_t *hdr, size_t hdr_len, uint64_t pn, uint8_t nonce[CCMP_NONCE_LEN])
{
	uint8_t flags = 0;

	if (is_qos_data(hdr))
		flags = hdr[hdr_len - 2] & 0x0f;
	if (is_mgmt(hdr))
		flags |= 0x10;
	nonce[0] = flags;
	memcpy(nonce + 1, hdr + 10, 6);
	for (int i = 0; i < 6; i++)
		nonce[7 + i] = (uint8_t)(pn >> (8 * (5 - i)));
}

void ccmp_hdr_write(uint8_t out[CCMP_HDR_LEN], uint64_t pn, uint8_t key_id)
{
	out[0] = (uint8_t)pn;
	out[1] = (uint8_t)(pn >> 8);
	out[2] = 0;
	out[3] = (uint8_t)(0x20 | (key_id & 3) << 6);
	out[4] = (uint8_t)(pn >> 16);
	out[5] = (uint8_t)(pn >> 24);
	out[6] = (uint8_t)(pn >> 32);
	out[7] = (uint8_t)(pn >> 40);
}

int ccmp_hdr_read(const uint8_t in[CCMP_HDR_LEN], uint64_t *pn, uint8_t *key_id)
{
	if (!(in[3] & 0x20))
		return -1;
	*pn = (uint64_t)in[0] | (uint64_t)in[1] << 8 | (uint64_t)in[4] << 16 | (uint64_t)in[5] << 24 |
	      (uint64_t)in[6] << 32 | (uint64_t)in[7] << 40;
	*key_id = in[3] >> 6;
	return 0;
}

static void fill_job(IMB_JOB *job, struct ccmp_op *op)
{
	IMB_CIPHER_DIRECTION dir = op->decrypt ? IMB_DIR_DECRYPT : IMB_DIR_ENCRYPT;
	uint8_t *body = op->frame + op->hdr_len + CCMP_HDR_LEN;

	job->cipher_direction = dir;
	job->chain_order = dir == IMB_DIR_ENCRYPT ? IMB_ORDER_HASH_CIPHER : IMB_ORDER_CIPHER_HASH;
	job->cipher_mode = IMB_CIPHER_CCM;
	job->hash_alg = IMB_AUTH_AES_CCM;
	job->enc_keys = op->key->enc;
	job->dec_keys = op->key->enc;
	job->key_len_in_bytes = CCMP_TK_LEN;
	job->src = body;
	job->dst = body;
	job->cipher_start_src_offset_in_bytes = 0;
	job->msg_len_to_cipher_in_bytes = op->body_len;
	job->hash_start_src_offset_in_bytes = 0;
	job->msg_len_to_hash_in_bytes = op->body_len;
	job->iv = op->nonce;
	job->iv_len_in_bytes = CCMP_NONCE_LEN;
	job->u.CCM.aad = op->aad;
	job->u.CCM.aad_len_in_bytes = op->aad_len;
	/* Encryption writes the MIC after the body; decryption computes it aside, to compare. */
	job->auth_tag_output = op->decrypt ? op->tag : body + op->body_len;
	job->auth_tag_output_len_in_bytes = CCMP_MIC_LEN;
	job->user_data = op;
}

/* A completed job: its op's status (the MIC compared in constant time: the position of a wrong octet
 * tells an attacker nothing). */
static void complete(IMB_JOB *job)
{
	struct ccmp_op *op = job->user_data;
	const uint8_t *mic;
	uint8_t diff = 0;

	if (job->status != IMB_STATUS_COMPLETED) {
		op->status = -1;
		return;
	}
	if (!op->decrypt) {
		op->status = 0;
		return;
	}
	mic = op->frame + op->hdr_len + CCMP_HDR_LEN + op->body_len;
	for (size_t i = 0; i < CCMP_MIC_LEN; i++)
		diff |= op->tag[i] ^ mic[i];
	op->status = diff == 0 ? 0 : -2;
}

void ccmp_batch_run(struct ccmp_engine *e, struct ccmp_batch *b)
{
	IMB_JOB *job;

	/* The manager hands back completed jobs in submission order, some while later ones are still
	 * submitted; the flush collects the rest. */
	for (unsigned i = 0; i < b->n; i++) {
		job = IMB_GET_NEXT_JOB(e->mgr);
		fill_job(job, &b->op[i]);
		job = IMB_SUBMIT_JOB(e->mgr);
		while (job != NULL) {
			complete(job);
			job = IMB_GET_COMPLETED_JOB(e->mgr);
		}
	}
	while ((job = IMB_FLUSH_JOB(e->mgr)) != NULL) {
		complete(job);
		while ((job = IMB_GET_COMPLETED_JOB(e->mgr)) != NULL)
			complete(job);
	}
}

static int prepare_encrypt(struct ccmp_op *op, const struct ccmp_key *k, uint8_t *frame, size_t hdr_len,
			   size_t body_len, uint64_t pn, uint8_t key_id)
{
	if (hdr_len < 24 || pn > CCMP_PN_MAX)
		return -1;
	frame[1] |= FC1_PROTECTED;
	op->key = k;
	op->frame = frame;
	op->hdr_len = hdr_len;
	op->body_len = body_len;
	op->decrypt = false;
	op->status = -1;
	op->aad_len = (uint8_t)ccmp_aad(frame, hdr_len, op->aad);
	ccmp_nonce(frame, hdr_len, pn, op->nonce);
	ccmp_hdr_write(frame + hdr_len, pn, key_id);
	return 0;
}

static int prepare_decrypt(struct ccmp_op *op, const struct ccmp_key *k, uint8_t *frame, size_t hdr_len, size_t len,
			   uint64_t *pn)
{
	uint8_t key_id;

	if (hdr_len < 24 || len < hdr_len + CCMP_OVERHEAD || ccmp_hdr_read(frame + hdr_len, pn, &key_id) < 0)
		return -1;
	op->key = k;
	op->frame = frame;
	op->hdr_len = hdr_len;
	op->body_len = len - hdr_len - CCMP_OVERHEAD;
	op->decrypt = true;
	op->status = -1;
	op->aad_len = (uint8_t)ccmp_aad(frame, hdr_len, op->aad);
	ccmp_nonce(frame, hdr_len, *pn, op->nonce);
	return 0;
}

int ccmp_batch_encrypt(struct ccmp_batch *b, const struct ccmp_key *k, uint8_t *frame, size_t hdr_len,
		       size_t body_len, uint64_t pn, uint8_t key_id)
{
	if (b->n == CCMP_BATCH_MAX || prepare_encrypt(&b->op[b->n], k, frame, hdr_len, body_len, pn, key_id) < 0)
		return -1;
	return (int)b->n++;
}

int ccmp_batch_decrypt(struct ccmp_batch *b, const struct ccmp_key *k, uint8_t *frame, size_t hdr_len, size_t len,
		       uint64_t *pn)
{
	if (b->n == CCMP_BATCH_MAX || prepare_decrypt(&b->op[b->n], k, frame, hdr_len, len, pn) < 0)
		return -1;
	return (int)b->n++;
}

/* One frame: the manager still batches internally, so it is flushed at once (the control thread's
 * rate; the fast path queues whole bursts). */
static int run_one(struct ccmp_engine *e, struct ccmp_op *op)
{
	IMB_JOB *job = IMB_GET_NEXT_JOB(e->mgr);

	fill_job(job, op);
	job = IMB_SUBMIT_JOB(e->mgr);
	while (job == NULL)
		job = IMB_FLUSH_JOB(e->mgr);
	complete(job);
	return op->status;
}

int ccmp_encrypt(struct ccmp_engine *e, const struct ccmp_key *k, uint8_t *frame, size_t hdr_len, size_t body_len,
		 uint64_t pn, uint8_t key_id)
{
	struct ccmp_op op;

	if (prepare_encrypt(&op, k, frame, hdr_len, body_len, pn, key_id) < 0)
		return -1;
	return run_one(e, &op);
}

int ccmp_decrypt(struct ccmp_engine *e, const struct ccmp_key *k, uint8_t *frame, size_t hdr_len, size_t len,
		 uint64_t *pn)
{
	struct ccmp_op op;

	if (prepare_decrypt(&op, k, frame, hdr_len, len, pn) < 0)
		return -1;
	return run_one(e, &op);
}
