/* ccmp_cost: what CCMP-128 costs per frame on this CPU, without DPDK (by hand, a second or two).
 *
 * 1. Through protect/ccmp: ccmp_encrypt and ccmp_decrypt of one 4-address QoS mesh data frame at a
 *    time (the control thread's and meshgen's way), and bursts of 32 through ccmp_batch_* (the
 *    workers' way: a burst's frames in flight together), on the manager intel-ipsec-mb picks here.
 * 2. The same AES-CCM-128 jobs straight through intel-ipsec-mb for each code path this CPU runs, one
 *    job at a time (submit, then flush: what protect/ccmp does per frame) and 32 in flight (a burst's
 *    frames submitted together, then flushed), to show what batching a burst would save.
 * Cycles are TSC ticks, the unit of meshplane's busy_cycles. Each figure is the best of 5 rounds.
 *   ccmp_cost [ITERATIONS]   (default 20000 frames per round) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <intel-ipsec-mb.h>
#include <x86intrin.h>

#include "ccmp.h"

#define HDR 32    /* 4-address QoS data */
#define BATCH 32
#define ROUNDS 5

/* Frame bodies (Mesh Control 6 + LLC/SNAP 8 + the Ethernet payload) of 64- and 1518-byte frames. */
static const struct {
	unsigned eth_size;
	size_t body;
} sizes[] = {{64, 6 + 8 + 46}, {1518, 6 + 8 + 1500}};

static uint8_t frames[BATCH][HDR + CCMP_OVERHEAD + 1600] __attribute__((aligned(64)));

static void frame_init(uint8_t *f)
{
	memset(f, 0x5a, HDR + CCMP_OVERHEAD + 1600);
	f[0] = 0x88; /* QoS data */
	f[1] = 0x03; /* ToDS | FromDS: 4 addresses */
	f[30] = 0x05;
	f[31] = 0x01; /* QoS: TID 5, Mesh Control present */
}

static uint64_t protect_cost(struct ccmp_engine *e, const struct ccmp_key *k, size_t body, unsigned n, bool enc)
{
	uint8_t *f = frames[0];
	uint64_t best = UINT64_MAX, pn = 0;

	frame_init(f);
	if (!enc && ccmp_encrypt(e, k, f, HDR, body, 1, 0) != 0)
		return 0;
	for (int r = 0; r < ROUNDS; r++) {
		uint64_t t0 = __rdtsc(), t;

		for (unsigned i = 0; i < n; i++) {
			int rc = enc ? ccmp_encrypt(e, k, f, HDR, body, i + 1, 0)
				     : ccmp_decrypt(e, k, f, HDR, HDR + CCMP_OVERHEAD + body, &pn);

			if (rc != 0)
				return 0;
			/* Decryption leaves plaintext behind: protect the frame again for the next one (the
			 * caller subtracts the cost of an encryption). */
			if (!enc)
				ccmp_encrypt(e, k, f, HDR, body, 1, 0);
		}
		t = (__rdtsc() - t0) / n;
		best = t < best ? t : best;
	}
	return best;
}

/* A burst of BATCH frames through ccmp_batch_encrypt / ccmp_batch_run (decryption: the same frames,
 * protected again between rounds, whose cost the caller subtracts). */
static uint64_t batch_cost(struct ccmp_engine *e, const struct ccmp_key *k, size_t body, unsigned n, bool enc)
{
	static struct ccmp_batch b;
	uint64_t best = UINT64_MAX, pn;

	for (unsigned f = 0; f < BATCH; f++)
		frame_init(frames[f]);
	for (int r = 0; r < ROUNDS; r++) {
		uint64_t t0 = __rdtsc(), t;

		for (unsigned i = 0; i < n / BATCH; i++) {
			b.n = 0;
			for (unsigned f = 0; f < BATCH; f++)
				ccmp_batch_encrypt(&b, k, frames[f], HDR, body, (uint64_t)i * BATCH + f + 1, 0);
			ccmp_batch_run(e, &b);
			if (enc)
				continue;
			b.n = 0;
			for (unsigned f = 0; f < BATCH; f++)
				ccmp_batch_decrypt(&b, k, frames[f], HDR, HDR + CCMP_OVERHEAD + body, &pn);
			ccmp_batch_run(e, &b);
			for (unsigned f = 0; f < BATCH; f++)
				if (b.op[f].status != 0)
					return 0;
		}
		t = (__rdtsc() - t0) / (n / BATCH * BATCH);
		best = t < best ? t : best;
	}
	return best;
}

/* One AES-CCM job on frame f (AAD and nonce fixed: the cost does not depend on them). */
static void submit(IMB_MGR *m, const uint32_t *keys, uint8_t *f, size_t body)
{
	static const uint8_t nonce[CCMP_NONCE_LEN], aad[CCMP_AAD_MAX_LEN];
	IMB_JOB *job = IMB_GET_NEXT_JOB(m);

	job->cipher_direction = IMB_DIR_ENCRYPT;
	job->chain_order = IMB_ORDER_HASH_CIPHER;
	job->cipher_mode = IMB_CIPHER_CCM;
	job->hash_alg = IMB_AUTH_AES_CCM;
	job->enc_keys = keys;
	job->dec_keys = keys;
	job->key_len_in_bytes = CCMP_TK_LEN;
	job->src = f + HDR + CCMP_HDR_LEN;
	job->dst = f + HDR + CCMP_HDR_LEN;
	job->cipher_start_src_offset_in_bytes = 0;
	job->msg_len_to_cipher_in_bytes = body;
	job->hash_start_src_offset_in_bytes = 0;
	job->msg_len_to_hash_in_bytes = body;
	job->iv = nonce;
	job->iv_len_in_bytes = CCMP_NONCE_LEN;
	job->u.CCM.aad = aad;
	job->u.CCM.aad_len_in_bytes = 30;
	job->auth_tag_output = f + HDR + CCMP_HDR_LEN + body;
	job->auth_tag_output_len_in_bytes = CCMP_MIC_LEN;
	IMB_SUBMIT_JOB(m);
}

static uint64_t imb_cost(IMB_MGR *m, const uint32_t *keys, size_t body, unsigned n, unsigned in_flight)
{
	uint64_t best = UINT64_MAX;

	for (int r = 0; r < ROUNDS; r++) {
		uint64_t t0 = __rdtsc(), t;

		for (unsigned i = 0; i < n / in_flight; i++) {
			for (unsigned b = 0; b < in_flight; b++)
				submit(m, keys, frames[b], body);
			while (IMB_FLUSH_JOB(m) != NULL)
				;
		}
		t = (__rdtsc() - t0) / (n / in_flight * in_flight);
		best = t < best ? t : best;
	}
	return best;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		uint64_t needs;
		void (*init)(IMB_MGR *);
	} paths[] = {{"sse", IMB_CPUFLAGS_SSE, init_mb_mgr_sse},
		     {"avx", IMB_CPUFLAGS_AVX, init_mb_mgr_avx},
		     {"avx2", IMB_CPUFLAGS_AVX2, init_mb_mgr_avx2},
		     {"avx512", IMB_CPUFLAGS_AVX512, init_mb_mgr_avx512}};
	static const uint8_t tk[CCMP_TK_LEN] = {1, 2, 3, 4};
	static struct ccmp_key key;
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 20000;
	uint64_t features = imb_get_feature_flags();
	const char *arch = "?";
	struct ccmp_engine *e = ccmp_engine_create(&arch);

	if (e == NULL || n < BATCH) {
		fprintf(stderr, "ccmp_cost: %s\n", e == NULL ? "intel-ipsec-mb cannot run on this CPU" : "ITERATIONS >= 32");
		return 1;
	}
	ccmp_key_set(e, &key, tk);
	printf("protect/ccmp (intel-ipsec-mb %s, the path meshplane and meshgen use), TSC cycles per frame:\n", arch);
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		uint64_t enc = protect_cost(e, &key, sizes[s].body, n, true);
		uint64_t both = protect_cost(e, &key, sizes[s].body, n, false);

		if (enc == 0 || both == 0) {
			fprintf(stderr, "ccmp_cost: protect/ccmp refused a frame\n");
			return 1;
		}
		uint64_t benc = batch_cost(e, &key, sizes[s].body, n, true);
		uint64_t bboth = batch_cost(e, &key, sizes[s].body, n, false);

		if (benc == 0 || bboth == 0) {
			fprintf(stderr, "ccmp_cost: a burst's frame did not verify\n");
			return 1;
		}
		printf("  %4u-byte frame (body %4zu): encrypt %5llu, decrypt and verify %5llu; in bursts of %d: "
		       "encrypt %5llu, decrypt and verify %5llu\n",
		       sizes[s].eth_size, sizes[s].body, (unsigned long long)enc,
		       (unsigned long long)(both > enc ? both - enc : 0), BATCH, (unsigned long long)benc,
		       (unsigned long long)(bboth > benc ? bboth - benc : 0));
	}
	ccmp_engine_destroy(e);
	printf("AES-CCM-128 jobs through intel-ipsec-mb, TSC cycles per frame, one job at a time / %d in flight:\n",
	       BATCH);
	for (size_t p = 0; p < sizeof(paths) / sizeof(paths[0]); p++) {
		static uint32_t enc[4 * 15] __attribute__((aligned(16))), dec[4 * 15] __attribute__((aligned(16)));
		IMB_MGR *m;

		if ((features & paths[p].needs) != paths[p].needs)
			continue;
		m = alloc_mb_mgr(0);
		if (m == NULL)
			return 1;
		paths[p].init(m);
		IMB_AES_KEYEXP_128(m, tk, enc, dec);
		for (unsigned b = 0; b < BATCH; b++)
			frame_init(frames[b]);
		printf("  %-6s", paths[p].name);
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
			printf("  %4u bytes: %5llu / %5llu", sizes[s].eth_size,
			       (unsigned long long)imb_cost(m, enc, sizes[s].body, n, 1),
			       (unsigned long long)imb_cost(m, enc, sizes[s].body, n, BATCH));
		printf("\n");
		free_mb_mgr(m);
	}
	return 0;
}
