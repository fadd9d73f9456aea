/* AMPE: AEK and MTK against vectors computed independently (ampe_vectors.py), the protected Open
 * byte for byte, verification from the receiving side, tampering, nonce rules, the layout of each
 * frame kind, and the PMKID check of element 117. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "ampe.h"
#include "codec.h"
#include "mesh_crypto.h"
#include "peering_frame.h"
#include "tests.h"

#define VEC_PMK "4e4dfab1a2dd8ac1a91790f953faaa452ae5c6873ab75b63605ba663f8a7fe59"
#define VEC_AEK "c7165337ef38a005c3cce5ac07ed183e5d8d2e84296cade2cdd8cfdae1aa33ee"
#define VEC_MTK "8a51f9479c8e974a200d412f4c40abfb"
#define VEC_FRAME                                                                                     \
	"d000000002000000000202000000000102000000000100000f011000720b63616d7075732d6d657368751401003412" \
	"8747a600eea3f9f22475df58ca1e5498"
#define VEC_PROTECTED                                                                                 \
	VEC_FRAME "8c10a1793e74cca0e236dfb8633547882fe118285a24df4adbeac6c16a6c4214c460f231d3d60caeac25751e" \
		  "2076b30b09abe555077c176542c524ba535b8bf513e33df4c1f13a1d25829f413525e8a8e3a535ea78855a8" \
		  "7dde2841c1f56a366d6a337cfdef0eac72eac437696a7edf6ea5c0978d0298b3e6f28d0ff67d47534391" \
		  "27bc271ad967090a67ff4"

static const struct mac_addr self = {{0x02, 0, 0, 0, 0, 0x01}};
static const struct mac_addr peer = {{0x02, 0, 0, 0, 0, 0x02}};

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = strlen(s) / 2;

	ck_assert_uint_le(n, cap);
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		ck_assert_int_eq(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

static void nonces(uint8_t local[32], uint8_t remote[32])
{
	for (unsigned i = 0; i < 32; i++) {
		local[i] = (uint8_t)(0x10 + i);
		remote[i] = (uint8_t)(0x40 + i);
	}
}

static struct ampe_element vector_element(void)
{
	struct ampe_element a;
	static const uint8_t ccmp[4] = RSN_SUITE_CIPHER_CCMP;
	uint8_t remote[32];

	memset(&a, 0, sizeof(a));
	memcpy(a.pairwise_suite, ccmp, 4);
	nonces(a.local_nonce, remote);
	a.has_gtk = true;
	for (unsigned i = 0; i < 16; i++) {
		a.mgtk[i] = (uint8_t)(0xa0 + i);
		a.igtk[i] = (uint8_t)(0xc0 + i);
	}
	unhex("0102030405060000", a.mgtk_rsc, 8);
	a.mgtk_expiration_s = 0xffffffff;
	a.has_igtk = true;
	a.igtk_key_id = 4;
	unhex("0a0b0c0d0e0f", a.igtk_ipn, 6);
	return a;
}

START_TEST(aek_and_mtk_match_independent_vectors)
{
	uint8_t pmk[32], aek[32], aek_peer[32], mtk[16], mtk_peer[16], want[32], local[32], remote[32];

	unhex(VEC_PMK, pmk, 32);
	nonces(local, remote);
	ck_assert_int_eq(ampe_derive_aek(pmk, &self, &peer, aek), 0);
	unhex(VEC_AEK, want, 32);
	ck_assert_mem_eq(aek, want, 32);
	ck_assert_int_eq(ampe_derive_aek(pmk, &peer, &self, aek_peer), 0);
	ck_assert_mem_eq(aek_peer, want, 32);
	ck_assert_int_eq(ampe_derive_mtk(pmk, local, remote, 0x1234, 0x0abc, &self, &peer, mtk), 0);
	unhex(VEC_MTK, want, 16);
	ck_assert_mem_eq(mtk, want, 16);
	/* the peer computes the same MTK with every pair swapped */
	ck_assert_int_eq(ampe_derive_mtk(pmk, remote, local, 0x0abc, 0x1234, &peer, &self, mtk_peer), 0);
	ck_assert_mem_eq(mtk_peer, want, 16);
}
END_TEST

START_TEST(protected_open_matches_vector_and_verifies_at_the_peer)
{
	uint8_t pmk[32], aek[32], frame[512], want[512];
	struct ampe_element a = vector_element(), got;
	size_t len = unhex(VEC_FRAME, frame, sizeof(frame)), want_len = unhex(VEC_PROTECTED, want, sizeof(want));
	uint8_t local[32], remote[32];

	unhex(VEC_PMK, pmk, 32);
	ck_assert_int_eq(ampe_derive_aek(pmk, &self, &peer, aek), 0);
	ck_assert_int_eq(ampe_protect(aek, &self, &peer, frame, &len, sizeof(frame), &a), 0);
	ck_assert_uint_eq(len, want_len);
	ck_assert_mem_eq(frame, want, len);
	/* at the peer: self and peer swap; its own nonce (remote) is not yet in our frame (zeros) */
	nonces(local, remote);
	ck_assert_int_eq(ampe_verify(aek, &peer, &self, frame, len, remote, &got), 0);
	ck_assert_mem_eq(got.local_nonce, local, 32);
	ck_assert(got.has_gtk && got.has_igtk);
	ck_assert_mem_eq(got.mgtk, a.mgtk, 16);
	ck_assert_mem_eq(got.mgtk_rsc, a.mgtk_rsc, 8);
	ck_assert_uint_eq(got.mgtk_expiration_s, 0xffffffff);
	ck_assert_uint_eq(got.igtk_key_id, 4);
	ck_assert_mem_eq(got.igtk, a.igtk, 16);
	/* the receiver's view of the addresses is part of the AAD: the sender cannot verify its own */
	ck_assert_int_eq(ampe_verify(aek, &self, &peer, frame, len, NULL, &got), -2);
}
END_TEST

START_TEST(any_flipped_bit_fails_verification)
{
	uint8_t pmk[32], aek[32], frame[512];
	struct ampe_element a = vector_element(), got;
	size_t len = unhex(VEC_FRAME, frame, sizeof(frame));

	unhex(VEC_PMK, pmk, 32);
	ampe_derive_aek(pmk, &self, &peer, aek);
	ck_assert_int_eq(ampe_protect(aek, &self, &peer, frame, &len, sizeof(frame), &a), 0);
	/* every octet from the category on is covered: AAD before the MIC, V and C after it */
	for (size_t i = 24; i < len; i++) {
		int ret;

		frame[i] ^= 0x01;
		ret = ampe_verify(aek, &peer, &self, frame, len, NULL, &got);
		ck_assert_msg(ret < 0, "flip at %zu verified", i);
		frame[i] ^= 0x01;
	}
	ck_assert_int_eq(ampe_verify(aek, &peer, &self, frame, len, NULL, &got), 0);
	/* truncated anywhere: never verifies, never reads past the end */
	for (size_t cut = 0; cut < len; cut++)
		ck_assert_int_lt(ampe_verify(aek, &peer, &self, frame, cut, NULL, &got), 0);
}
END_TEST

START_TEST(confirm_and_close_carry_no_keys_and_nonce_rules_hold)
{
	static const uint8_t actions[] = {WLAN_SP_MESH_PEERING_CONFIRM, WLAN_SP_MESH_PEERING_CLOSE};
	uint8_t pmk[32], aek[32], local[32], remote[32];
	struct peering_local l;
	struct peering_mgmt_ie ie;

	unhex(VEC_PMK, pmk, 32);
	ampe_derive_aek(pmk, &self, &peer, aek);
	nonces(local, remote);
	memset(&l, 0, sizeof(l));
	l.self = self;
	mesh_rates_default_2ghz(&l.rates);
	mesh_id_set(&l.mesh_id, "campus-mesh");
	memset(&ie, 0, sizeof(ie));
	ie.protocol = MESH_PEERING_PROTO_AMPE;
	ie.llid = 0x1234;
	ie.has_plid = true;
	ie.plid = 0x0abc;
	ie.reason = WLAN_REASON_MESH_CLOSE_RCVD;
	for (unsigned k = 0; k < 2; k++) {
		uint8_t frame[512], other[32];
		struct ampe_element a = vector_element(), got;
		int n = peering_frame_encode(frame, sizeof(frame), &l, &peer, actions[k], 1, &ie);
		size_t len;

		ck_assert_int_gt(n, 0);
		len = (size_t)n;
		memcpy(a.peer_nonce, remote, 32);
		ck_assert_int_eq(ampe_protect(aek, &self, &peer, frame, &len, sizeof(frame), &a), 0);
		/* MIC element (2 + 16) and an AMPE element of the 68-octet base form only */
		ck_assert_uint_eq(len, (size_t)n + 2 + 16 + 2 + AMPE_BODY_BASE_LEN);
		ck_assert_uint_eq(frame[n], WLAN_EID_MIC);
		/* the peering codec reads the clear elements and stops at the MIC */
		{
			struct peering_frame pf;

			ck_assert_int_eq(peering_frame_decode(frame, len, &pf), CODEC_OK);
			ck_assert_uint_eq(pf.mpm.protocol, MESH_PEERING_PROTO_AMPE);
			ck_assert_uint_eq(pf.mpm.llid, 0x1234);
			ck_assert(pf.mpm.has_pmkid);
		}
		ck_assert_int_eq(ampe_verify(aek, &peer, &self, frame, len, remote, &got), 0);
		ck_assert(!got.has_gtk && !got.has_igtk);
		ck_assert_mem_eq(got.peer_nonce, remote, 32);
		/* a peer nonce that is neither zeros nor ours: refused */
		memset(other, 0x77, sizeof(other));
		ck_assert_int_eq(ampe_verify(aek, &peer, &self, frame, len, other, &got), -3);
	}
}
END_TEST

START_TEST(pmkid_check_and_random_keys)
{
	struct peering_mgmt_ie ie;
	uint8_t pmkid[16], m1[16], m2[16], n1[32], n2[32];

	memset(&ie, 0, sizeof(ie));
	memset(pmkid, 0x5a, sizeof(pmkid));
	ck_assert(!ampe_pmkid_matches(&ie, pmkid));
	ie.has_pmkid = true;
	memcpy(ie.pmkid, pmkid, 16);
	ck_assert(ampe_pmkid_matches(&ie, pmkid));
	ie.pmkid[15] ^= 1;
	ck_assert(!ampe_pmkid_matches(&ie, pmkid));
	ck_assert_int_eq(ampe_mgtk_generate(m1), 0);
	ck_assert_int_eq(ampe_mgtk_generate(m2), 0);
	ck_assert_mem_ne(m1, m2, 16);
	ck_assert_int_eq(ampe_nonce_generate(n1), 0);
	ck_assert_int_eq(ampe_nonce_generate(n2), 0);
	ck_assert_mem_ne(n1, n2, 32);
}
END_TEST

/* The group key handshake's AMPE body: the nonces, then the Key Replay Counter (LE64), then in an
 * Inform GTKdata; an Acknowledge carries no key. Both protect and verify like the peering frames. */
START_TEST(group_key_inform_and_ack_layout)
{
	struct ampe_element a = vector_element(), got;
	uint8_t el[2 + AMPE_BODY_MAX_LEN], frame[256];
	size_t len;
	int n;

	a.replay_counter = 0x0102030405060708ull;
	n = ampe_element_encode(el, sizeof(el), WLAN_SP_MGK_INFORM, &a);
	ck_assert_int_eq(n, 2 + 68 + 8 + 28);
	ck_assert_uint_eq(el[1], 68 + 8 + 28);
	ck_assert_uint_eq(el[2 + 68], 0x08);
	ck_assert_uint_eq(el[2 + 68 + 7], 0x01);
	ck_assert_mem_eq(el + 2 + 76, a.mgtk, AMPE_MGTK_LEN);
	ck_assert_int_eq(ampe_element_decode(el, (size_t)n, WLAN_SP_MGK_INFORM, &got), 0);
	ck_assert(got.has_gtk && !got.has_igtk);
	ck_assert_uint_eq(got.replay_counter, a.replay_counter);
	ck_assert_mem_eq(got.mgtk, a.mgtk, AMPE_MGTK_LEN);
	/* an Inform without GTKdata is malformed */
	el[1] = 68 + 8;
	ck_assert_int_eq(ampe_element_decode(el, 2 + 76, WLAN_SP_MGK_INFORM, &got), -1);
	n = ampe_element_encode(el, sizeof(el), WLAN_SP_MGK_ACK, &a);
	ck_assert_int_eq(n, 2 + 68 + 8);
	ck_assert_int_eq(ampe_element_decode(el, (size_t)n, WLAN_SP_MGK_ACK, &got), 0);
	ck_assert(!got.has_gtk);
	ck_assert_uint_eq(got.replay_counter, a.replay_counter);

	/* header, category 15, action 4, MIC, AMPE: verifies at the peer, with the same content */
	memset(frame, 0, sizeof(frame));
	frame[0] = 0xd0;
	memcpy(frame + 4, peer.bytes, 6);
	memcpy(frame + 10, self.bytes, 6);
	memcpy(frame + 16, self.bytes, 6);
	frame[24] = WLAN_CATEGORY_SELF_PROTECTED;
	frame[25] = WLAN_SP_MGK_INFORM;
	len = 26;
	{
		uint8_t aek[AMPE_AEK_LEN] = {1, 2, 3};

		ck_assert_int_eq(ampe_protect(aek, &self, &peer, frame, &len, sizeof(frame), &a), 0);
		ck_assert_uint_eq(len, 26 + 2 + 16 + 2 + 104);
		ck_assert_int_eq(ampe_verify(aek, &peer, &self, frame, len, NULL, &got), 0);
		ck_assert_uint_eq(got.replay_counter, a.replay_counter);
		ck_assert_mem_eq(got.mgtk, a.mgtk, AMPE_MGTK_LEN);
		frame[25] = WLAN_SP_MGK_ACK; /* the action is covered too */
		ck_assert_int_eq(ampe_verify(aek, &peer, &self, frame, len, NULL, &got), -2);
	}
}
END_TEST

Suite *ampe_suite(void)
{
	Suite *s = suite_create("ampe");
	TCase *tc = tcase_create("ampe");

	tcase_add_test(tc, aek_and_mtk_match_independent_vectors);
	tcase_add_test(tc, protected_open_matches_vector_and_verifies_at_the_peer);
	tcase_add_test(tc, any_flipped_bit_fails_verification);
	tcase_add_test(tc, confirm_and_close_carry_no_keys_and_nonce_rules_hold);
	tcase_add_test(tc, pmkid_check_and_random_keys);
	tcase_add_test(tc, group_key_inform_and_ack_layout);
	suite_add_tcase(s, tc);
	return s;
}
