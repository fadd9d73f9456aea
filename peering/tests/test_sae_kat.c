/* Known-answer tests of the secure-mesh crypto: the SAE vectors of IEEE Std 802.11-2020 Annex J.10
 * (the ones hostap's src/common/common_module_tests.c checks: hunting-and-pecking Commit, KCK,
 * PMK, PMKID for group 19, and the hash-to-element PT -> PWE), RFC 5297 AES-SIV (A.1 deterministic,
 * A.2 with several associated-data vectors), RFC 4493 AES-CMAC, and AEK/MTK/AMPE vectors computed
 * independently with Python (peering/tests/ampe_vectors.py: hashlib/hmac and the cryptography
 * module's AESSIV). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "ampe.h"
#include "codec.h"
#include "mesh_crypto.h"
#include "sae_ecc.h"
#include "sae_frame.h"
#include "tests.h"

static void hex(const char *s, uint8_t *out, size_t n)
{
	ck_assert_uint_eq(strlen(s), 2 * n);
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		ck_assert_int_eq(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

#define ck_assert_bytes(got, want_hex, n)                                                             \
	do {                                                                                          \
		uint8_t want_[512];                                                                   \
		hex(want_hex, want_, n);                                                              \
		ck_assert_mem_eq(got, want_, n);                                                      \
	} while (0)

/* IEEE Std 802.11-2020 Annex J.10 (hostap common_module_tests.c sae_tests) */
static const struct mac_addr j10_a = {{0x4d, 0x3f, 0x2f, 0xff, 0xe3, 0x87}};
static const struct mac_addr j10_b = {{0xa5, 0xd8, 0xaa, 0x95, 0x8e, 0x3c}};
#define J10_PASSWORD "mekmitasdigoat"
#define J10_RAND "992465fd3daa3c60aa6565b7f62a2a7f2e12dd12f198faf4fbed89d7ff1ace94"
#define J10_MASK "9507a90f777a044d6a0830b91ea3d5dd70bece44e1acffb86983b5e1bf9fb322"
#define J10_COMMIT "13002e2c0f0db52440ad146d967114ce005ce1eab0aa2c2e5c2871b774f6c2575c65d5ad9e00829707aa36ba8b859738fc961d08243505f47c035376d7ac4bc8d7b95083bf43827d0fc31ed778dd3671fd21a46d1091d64b6f9a1e1272621325dbe1"
#define J10_PEER_COMMIT "1300591b96f3397fb945100848e7b550543b6720d88337ee93fc49fd6df7e08b5223e71b9bb048d3873f20556953a96c91536fd8ee6ca9b4a68a148b056a909be03e83ae208f60f8ef5537858074db06687032399862999b511e0a1552a5fea317c2"
#define J10_KCK "1e733f6d9bd53256287304338831b09a39406d121017073a5c30db36f36cb81a"
#define J10_PMK "4e4dfab1a2dd8ac1a91790f953faaa452ae5c6873ab75b63605ba663f8a7fe59"
#define J10_PMKID "8747a600eea3f9f22475df58ca1e5498"

START_TEST(sae_hunt_and_peck_commit_and_keys_match_annex_j10)
{
	struct sae_group *g = sae_group_new(19);
	uint8_t pwe[64], rnd[32], mask[32], rand_out[32], scalar[32], element[64], peer[98], commit[98];
	uint8_t k[32], kck[64], pmk[32], pmkid[16];
	size_t kck_len;

	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(sae_pwe_hunt_and_peck(g, &j10_a, &j10_b, (const uint8_t *)J10_PASSWORD,
					       strlen(J10_PASSWORD), pwe), 0);
	hex(J10_RAND, rnd, 32);
	hex(J10_MASK, mask, 32);
	ck_assert_int_eq(sae_commit_make(g, pwe, rnd, mask, rand_out, scalar, element), 0);
	hex(J10_COMMIT, commit, sizeof(commit));
	ck_assert_uint_eq(get_le16(commit), 19);
	ck_assert_mem_eq(scalar, commit + 2, 32);
	ck_assert_mem_eq(element, commit + 34, 64);
	hex(J10_PEER_COMMIT, peer, sizeof(peer));
	ck_assert(sae_commit_valid(g, peer + 2, peer + 34));
	ck_assert_int_eq(sae_shared_secret(g, pwe, rand_out, peer + 2, peer + 34, k), 0);
	ck_assert_int_eq(sae_derive_keys(g, false, NULL, 0, k, scalar, peer + 2, kck, &kck_len, pmk, pmkid), 0);
	ck_assert_uint_eq(kck_len, 32);
	ck_assert_bytes(kck, J10_KCK, 32);
	ck_assert_bytes(pmk, J10_PMK, 32);
	ck_assert_bytes(pmkid, J10_PMKID, 16);
	/* the same PWE from the other side (the address order must not matter) */
	{
		uint8_t pwe2[64];

		ck_assert_int_eq(sae_pwe_hunt_and_peck(g, &j10_b, &j10_a, (const uint8_t *)J10_PASSWORD,
						       strlen(J10_PASSWORD), pwe2), 0);
		ck_assert_mem_eq(pwe, pwe2, 64);
	}
	sae_group_free(g);
}
END_TEST

/* The hash-to-element vector of the same annex: SSID "byteme", identifier "psk4internet". */
START_TEST(sae_h2e_pt_to_pwe_matches_annex_j10)
{
	static const struct mac_addr a = {{0x00, 0x09, 0x5b, 0x66, 0xec, 0x1e}};
	static const struct mac_addr b = {{0x00, 0x0b, 0x6b, 0xd9, 0x02, 0x46}};
	struct sae_group *g = sae_group_new(19);
	uint8_t pt[64], pwe[64];

	ck_assert_int_eq(sae_pt_derive(g, (const uint8_t *)"byteme", 6, (const uint8_t *)J10_PASSWORD,
				       strlen(J10_PASSWORD), (const uint8_t *)"psk4internet", 12, pt), 0);
	ck_assert_int_eq(sae_pwe_from_pt(g, pt, &a, &b, pwe), 0);
	ck_assert_bytes(pwe, "c93049b9e64000f848201649e999f2b5c22dea69b5632c9df4d633b8aa1f6c1e", 32);
	ck_assert_bytes(pwe + 32, "73634e94b53d82e7383a8d258199d9dc1a5ee8269d060382ccbf33e614ff59a0", 32);
	sae_group_free(g);
}
END_TEST

START_TEST(aes_siv_matches_rfc5297)
{
	uint8_t key[32], ad[24], pt[14], out[30], back[14];
	const uint8_t *aad[3];
	size_t aad_len[3];

	/* A.1 deterministic authenticated encryption */
	hex("fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", key, 32);
	hex("101112131415161718191a1b1c1d1e1f2021222324252627", ad, 24);
	hex("112233445566778899aabbccddee", pt, 14);
	aad[0] = ad;
	aad_len[0] = 24;
	ck_assert_int_eq(aes_siv_encrypt(key, 32, 1, aad, aad_len, pt, 14, out), 0);
	ck_assert_bytes(out, "85632d07c6e8f37f950acd320a2ecc9340c02b9690c4dc04daef7f6afe5c", 30);
	ck_assert_int_eq(aes_siv_decrypt(key, 32, 1, aad, aad_len, out, 30, back), 0);
	ck_assert_mem_eq(back, pt, 14);
	out[29] ^= 1;
	ck_assert_int_eq(aes_siv_decrypt(key, 32, 1, aad, aad_len, out, 30, back), -1);
	/* A.2 nonce-based: two associated-data vectors, then the nonce as the last one */
	{
		uint8_t key2[32], ad1[40], ad2[10], nonce[16], pt2[47], out2[63], back2[47];

		hex("7f7e7d7c7b7a79787776757473727170404142434445464748494a4b4c4d4e4f", key2, 32);
		hex("00112233445566778899aabbccddeeffdeaddadadeaddadaffeeddccbbaa99887766554433221100", ad1, 40);
		hex("102030405060708090a0", ad2, 10);
		hex("09f911029d74e35bd84156c5635688c0", nonce, 16);
		hex("7468697320697320736f6d6520706c61696e7465787420746f20656e6372797074207573696e67205349562d414553",
		    pt2, 47);
		aad[0] = ad1;
		aad_len[0] = 40;
		aad[1] = ad2;
		aad_len[1] = 10;
		aad[2] = nonce;
		aad_len[2] = 16;
		ck_assert_int_eq(aes_siv_encrypt(key2, 32, 3, aad, aad_len, pt2, 47, out2), 0);
		ck_assert_bytes(out2,
				"7bdb6e3b432667eb06f4d14bff2fbd0fcb900f2fddbe404326601965c889bf17dba77ceb094fa663b7a3f748ba8af829ea64ad544a272e9c485b62a3fd5c0d",
				63);
		ck_assert_int_eq(aes_siv_decrypt(key2, 32, 3, aad, aad_len, out2, 63, back2), 0);
		ck_assert_mem_eq(back2, pt2, 47);
	}
}
END_TEST

START_TEST(aes_cmac_matches_rfc4493)
{
	static const char *const tags[] = {"bb1d6929e95937287fa37d129b756746", "070a16b46b4d4144f79bdd9dd04a287c",
					   "dfa66747de9ae63030ca32611497c827", "51f0bebf7e3b9d92fc49741779363cfe"};
	static const size_t lens[] = {0, 16, 40, 64};
	uint8_t key[16], msg[64], mac[16];

	hex("2b7e151628aed2a6abf7158809cf4f3c", key, 16);
	hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411"
	    "e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710", msg, 64);
	for (unsigned i = 0; i < 4; i++) {
		ck_assert_int_eq(aes_cmac(key, msg, lens[i], mac), 0);
		ck_assert_bytes(mac, tags[i], 16);
	}
}
END_TEST

Suite *sae_kat_suite(void)
{
	Suite *s = suite_create("sae_kat");
	TCase *tc = tcase_create("kat");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sae_hunt_and_peck_commit_and_keys_match_annex_j10);
	tcase_add_test(tc, sae_h2e_pt_to_pwe_matches_annex_j10);
	tcase_add_test(tc, aes_siv_matches_rfc5297);
	tcase_add_test(tc, aes_cmac_matches_rfc4493);
	suite_add_tcase(s, tc);
	return s;
}
