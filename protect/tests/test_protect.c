/* Frame protection against published vectors: CCMP-128 from IEEE 802.11-2016 J.6.4 (802.11-2012
 * M.6.4: AAD, nonce, CCMP header and the whole encrypted MPDU) and M.9.2 (a unicast management frame),
 * then the cases a mesh adds (QoS, four addresses, the fields the AAD masks and keeps), tampering,
 * truncation, replay counters; BIP-CMAC-128 (its AES-CMAC is checked against RFC 4493 in sae_tests). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bip.h"
#include "ccmp.h"

static struct ccmp_engine *engine;

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = 0;

	while (s[0] && s[1]) {
		unsigned v;

		sscanf(s, "%2x", &v);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static void setup(void)
{
	const char *arch = NULL;

	engine = ccmp_engine_create(&arch);
	ck_assert_ptr_nonnull(engine);
	ck_assert_ptr_nonnull(arch);
}

static void teardown(void)
{
	ccmp_engine_destroy(engine);
}

START_TEST(ccmp_j64_vector)
{
	uint8_t tk[16], hdr[24], plain[20], want[64], frame[128], aad[CCMP_AAD_MAX_LEN], nonce[CCMP_NONCE_LEN], buf[32];
	uint64_t pn = 0xB5039776E70CULL, got_pn;
	struct ccmp_key k;
	size_t want_len;

	unhex("c97c1f67ce371185514a8a19f2bdd52f", tk);
	unhex("0848c32c0fd2e128a57c5030f1844408abaea5b8fcba8033", hdr);
	unhex("f8ba1a55d02f85ae967bb62fb6cda8eb7e78a050", plain);
	want_len = unhex("0848c32c0fd2e128a57c5030f1844408abaea5b8fcba8033"
			 "0ce70020769703b5"
			 "f3d0a2fe9a3dbf2342a643e43246e80c3c04d019"
			 "7845ce0b16f97623",
			 want);
	ck_assert_int_eq(ccmp_hdr_len(hdr, sizeof(hdr)), 24);
	ck_assert_uint_eq(ccmp_aad(hdr, 24, aad), 22);
	unhex("08400fd2e128a57c5030f1844408abaea5b8fcba0000", buf);
	ck_assert_mem_eq(aad, buf, 22);
	ccmp_nonce(hdr, 24, pn, nonce);
	unhex("005030f1844408b5039776e70c", buf);
	ck_assert_mem_eq(nonce, buf, 13);

	ccmp_key_set(engine, &k, tk);
	memcpy(frame, hdr, 24);
	memcpy(frame + 24 + CCMP_HDR_LEN, plain, sizeof(plain));
	ck_assert_int_eq(ccmp_encrypt(engine, &k, frame, 24, sizeof(plain), pn, 0), 0);
	ck_assert_uint_eq(24 + CCMP_OVERHEAD + sizeof(plain), want_len);
	ck_assert_mem_eq(frame, want, want_len);

	ck_assert_int_eq(ccmp_decrypt(engine, &k, frame, 24, want_len, &got_pn), 0);
	ck_assert_uint_eq(got_pn, pn);
	ck_assert_mem_eq(frame + 24 + CCMP_HDR_LEN, plain, sizeof(plain));
}
END_TEST

START_TEST(ccmp_m92_management_vector)
{
	uint8_t tk[16], plain[32], want[64], frame[64];
	struct ccmp_key k;
	size_t plain_len, want_len;
	uint64_t pn;

	unhex("66ed21042f9f26d7115706e40414cf2e", tk);
	plain_len = unhex("c00000000200000001000200000000000200000000006000"
			  "0200",
			  plain);
	want_len = unhex("c04000000200000001000200000000000200000000006000"
			 "0100002000000000"
			 "1d07"
			 "cafd0409bb8bafef",
			 want);
	ccmp_key_set(engine, &k, tk);
	memcpy(frame, plain, 24);
	memcpy(frame + 24 + CCMP_HDR_LEN, plain + 24, plain_len - 24);
	ck_assert_int_eq(ccmp_encrypt(engine, &k, frame, 24, plain_len - 24, 1, 0), 0);
	ck_assert_mem_eq(frame, want, want_len);
	ck_assert_int_eq(ccmp_decrypt(engine, &k, frame, 24, want_len, &pn), 0);
	ck_assert_uint_eq(pn, 1);
	ck_assert_mem_eq(frame + 32, plain + 24, plain_len - 24);
}
END_TEST

/* A mesh data frame: QoS data, ToDS and FromDS (four addresses), TID 5, Mesh Control in the body. */
static size_t mesh_frame(uint8_t *f, const uint8_t *body, size_t body_len)
{
	size_t n = unhex("8803" "0000" "020000000002" "020000000001" "020000000003" "3000"
			 "020000000001" "0501",
			 f);

	memcpy(f + n + CCMP_HDR_LEN, body, body_len);
	return n;
}

START_TEST(ccmp_mesh_data_fields)
{
	uint8_t tk[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	uint8_t body[40], f[128], copy[128], aad[CCMP_AAD_MAX_LEN], nonce[CCMP_NONCE_LEN];
	struct ccmp_key k;
	size_t hl, len;
	uint64_t pn;

	for (size_t i = 0; i < sizeof(body); i++)
		body[i] = (uint8_t)i;
	hl = mesh_frame(f, body, sizeof(body));
	ck_assert_int_eq(ccmp_hdr_len(f, 64), 32);
	ck_assert_uint_eq(hl, 32);
	/* AAD: FC 88 43 (subtype bits of data masked, Protected set), A1-A3, SC 00 00 (fragment 0), A4,
	 * QC 05 00 (TID only: the Mesh Control Present bit 0x0100 is masked). */
	ck_assert_uint_eq(ccmp_aad(f, hl, aad), 30);
	ck_assert_uint_eq(aad[0], 0x88);
	ck_assert_uint_eq(aad[1], 0x43);
	ck_assert_uint_eq(aad[20], 0);
	ck_assert_uint_eq(aad[21], 0);
	ck_assert_uint_eq(aad[28], 5);
	ck_assert_uint_eq(aad[29], 0);
	ccmp_nonce(f, hl, 0x010203040506ULL, nonce);
	ck_assert_uint_eq(nonce[0], 5); /* priority = TID */
	ck_assert_uint_eq(nonce[12], 6);

	ccmp_key_set(engine, &k, tk);
	ck_assert_int_eq(ccmp_encrypt(engine, &k, f, hl, sizeof(body), 77, 0), 0);
	len = hl + CCMP_OVERHEAD + sizeof(body);
	ck_assert(f[1] & 0x40);
	ck_assert(memcmp(f + hl + CCMP_HDR_LEN, body, sizeof(body)) != 0);
	memcpy(copy, f, len);
	/* Retry and a new sequence number (a retransmission, a re-sequenced frame) still verify. */
	f[1] |= 0x08;
	f[22] = 0x70;
	f[23] = 0x12;
	ck_assert_int_eq(ccmp_decrypt(engine, &k, f, hl, len, &pn), 0);
	ck_assert_uint_eq(pn, 77);
	ck_assert_mem_eq(f + hl + CCMP_HDR_LEN, body, sizeof(body));
	/* Every octet the AAD keeps, the CCMP header's PN and the ciphertext and MIC are covered. */
	static const size_t covered[] = {0, 4, 9, 10, 15, 16, 21, 24, 29, 30, 32, 33, 36, 39, 40, 60, 79, 87};
	for (size_t i = 0; i < sizeof(covered) / sizeof(covered[0]); i++) {
		memcpy(f, copy, len);
		f[covered[i]] ^= 0x01;
		ck_assert_msg(ccmp_decrypt(engine, &k, f, hl, len, &pn) != 0, "octet %zu not covered", covered[i]);
	}
	/* The TID's neighbour bits in QC (Mesh Control Present, EOSP, ack policy) are not. */
	memcpy(f, copy, len);
	f[31] ^= 0x01;
	f[30] ^= 0x60;
	ck_assert_int_eq(ccmp_decrypt(engine, &k, f, hl, len, &pn), 0);
	/* Another key fails; so does a frame cut anywhere. */
	memcpy(f, copy, len);
	tk[0] ^= 1;
	ccmp_key_set(engine, &k, tk);
	ck_assert_int_eq(ccmp_decrypt(engine, &k, f, hl, len, &pn), -2);
	for (size_t cut = 0; cut < hl + CCMP_OVERHEAD; cut++)
		ck_assert_int_eq(ccmp_decrypt(engine, &k, f, hl, cut, &pn), -1);
	/* No ExtIV bit: not a CCMP header. */
	memcpy(f, copy, len);
	f[hl + 3] &= (uint8_t)~0x20;
	ck_assert_int_eq(ccmp_decrypt(engine, &k, f, hl, len, &pn), -1);
	ccmp_key_wipe(&k);
}
END_TEST

/* A burst through the multi-buffer lanes gives what the one-frame path gives, frame for frame, with
 * frames of every length and two keys mixed; a forged frame in the middle fails alone. */
START_TEST(ccmp_batch_matches_single)
{
	static struct ccmp_batch b;
	static uint8_t single[CCMP_BATCH_MAX][1600], burst[CCMP_BATCH_MAX][1600];
	uint8_t tk[2][16] = {{1, 2, 3}, {9, 8, 7}}, body[1500];
	struct ccmp_key k[2];
	size_t hl = 0, len[CCMP_BATCH_MAX];
	uint64_t pn;

	for (size_t i = 0; i < sizeof(body); i++)
		body[i] = (uint8_t)(i * 7);
	ccmp_key_set(engine, &k[0], tk[0]);
	ccmp_key_set(engine, &k[1], tk[1]);
	b.n = 0;
	for (unsigned i = 0; i < CCMP_BATCH_MAX; i++) {
		size_t body_len = 1 + (i * 97) % 1500;

		hl = mesh_frame(single[i], body, body_len);
		memcpy(burst[i], single[i], sizeof(single[i]));
		len[i] = hl + CCMP_OVERHEAD + body_len;
		ck_assert_int_eq(ccmp_encrypt(engine, &k[i & 1], single[i], hl, body_len, 1000 + i, 0), 0);
		ck_assert_int_eq(ccmp_batch_encrypt(&b, &k[i & 1], burst[i], hl, body_len, 1000 + i, 0), (int)i);
	}
	ck_assert_int_eq(ccmp_batch_encrypt(&b, &k[0], burst[0], hl, 10, 1, 0), -1); /* full */
	ccmp_batch_run(engine, &b);
	for (unsigned i = 0; i < CCMP_BATCH_MAX; i++) {
		ck_assert_int_eq(b.op[i].status, 0);
		ck_assert_msg(memcmp(single[i], burst[i], len[i]) == 0, "frame %u differs from the one-frame path", i);
	}
	burst[17][hl + CCMP_HDR_LEN + 3] ^= 0x10;
	b.n = 0;
	for (unsigned i = 0; i < CCMP_BATCH_MAX; i++) {
		ck_assert_int_eq(ccmp_batch_decrypt(&b, &k[i & 1], burst[i], hl, len[i], &pn), (int)i);
		ck_assert_uint_eq(pn, 1000 + i);
	}
	ccmp_batch_run(engine, &b);
	for (unsigned i = 0; i < CCMP_BATCH_MAX; i++) {
		ck_assert_int_eq(b.op[i].status, i == 17 ? -2 : 0);
		if (i != 17)
			ck_assert_mem_eq(burst[i] + hl + CCMP_HDR_LEN, body, len[i] - hl - CCMP_OVERHEAD);
	}
	b.n = 0;
	ck_assert_int_eq(ccmp_batch_decrypt(&b, &k[0], burst[0], hl, hl + 3, &pn), -1); /* too short */
	ck_assert_uint_eq(b.n, 0);
	ccmp_batch_run(engine, &b); /* nothing queued: nothing happens */
	/* The one-frame path still works on the same manager after a burst. */
	ck_assert_int_eq(ccmp_decrypt(engine, &k[0], single[0], hl, len[0], &pn), 0);
	ccmp_key_wipe(&k[0]);
	ccmp_key_wipe(&k[1]);
}
END_TEST

START_TEST(ccmp_header_and_replay)
{
	uint8_t h[CCMP_HDR_LEN], key_id;
	uint64_t pn, last = 0;

	ccmp_hdr_write(h, 0xB5039776E70CULL, 1);
	ck_assert_uint_eq(h[0], 0x0c);
	ck_assert_uint_eq(h[1], 0xe7);
	ck_assert_uint_eq(h[3], 0x60);
	ck_assert_uint_eq(h[7], 0xb5);
	ck_assert_int_eq(ccmp_hdr_read(h, &pn, &key_id), 0);
	ck_assert_uint_eq(pn, 0xB5039776E70CULL);
	ck_assert_uint_eq(key_id, 1);
	ck_assert(ccmp_replay_ok(&last, 1));
	ccmp_replay_update(&last, 5);
	ck_assert(!ccmp_replay_ok(&last, 5));
	ck_assert(!ccmp_replay_ok(&last, 4));
	ck_assert(ccmp_replay_ok(&last, 6));
	ccmp_replay_update(&last, 3); /* a late, older frame never lowers the counter */
	ck_assert_uint_eq(last, 5);
}
END_TEST

START_TEST(bip_protect_verify)
{
	uint8_t igtk[16], frame[64], copy[64];
	size_t len, n;
	uint16_t key_id;
	uint64_t ipn;

	unhex("4ea9543e09cf2b1eca66ffc58bdecbcf", igtk);
	/* 802.11-2012 M.9.1's frame: a broadcast Deauthentication, reason 2. */
	n = unhex("c0000000ffffffffffff02000000000002000000000009000200", frame);
	len = n;
	ck_assert_int_eq(bip_protect(igtk, frame, &len, sizeof(frame), 4, 4), 0);
	ck_assert_uint_eq(len, n + BIP_MMIE_LEN);
	ck_assert_uint_eq(frame[n], 76);
	ck_assert_uint_eq(frame[n + 1], 16);
	ck_assert_uint_eq(frame[n + 2], 4);
	ck_assert_uint_eq(frame[n + 4], 4);
	ck_assert_int_eq(bip_mmie_read(frame, len, &key_id, &ipn), 0);
	ck_assert_uint_eq(key_id, 4);
	ck_assert_uint_eq(ipn, 4);
	ck_assert_int_eq(bip_verify(igtk, frame, len), 0);
	memcpy(copy, frame, len);
	/* Retry is masked; every other octet but the duration and the sequence control is covered. */
	frame[1] |= 0x08;
	ck_assert_int_eq(bip_verify(igtk, frame, len), 0);
	for (size_t i = 0; i < len; i++) {
		if (i == 1 || i == 2 || i == 3 || i == 22 || i == 23)
			continue;
		memcpy(frame, copy, len);
		frame[i] ^= 0x01;
		ck_assert_msg(bip_verify(igtk, frame, len) != 0, "octet %zu not covered", i);
	}
	memcpy(frame, copy, len);
	igtk[15] ^= 1;
	ck_assert_int_eq(bip_verify(igtk, frame, len), -2);
	ck_assert_int_eq(bip_verify(igtk, frame, n), -1);
	ck_assert_int_lt(bip_protect(igtk, frame, &len, len + 3, 4, 5), 0);
}
END_TEST

static Suite *protect_suite(void)
{
	Suite *s = suite_create("protect");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ccmp_j64_vector);
	tcase_add_test(tc, ccmp_m92_management_vector);
	tcase_add_test(tc, ccmp_mesh_data_fields);
	tcase_add_test(tc, ccmp_header_and_replay);
	tcase_add_test(tc, ccmp_batch_matches_single);
	tcase_add_test(tc, bip_protect_verify);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(protect_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
