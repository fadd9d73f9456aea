/* AMPE under hostile input: the AMPE element codec and the verification of protected peering
 * frames. The first byte picks what the rest is:
 *   0: an AMPE element (id, length, body) in a frame of a fuzzed action: when it decodes, it must
 *      re-encode to a form that decodes to the same content;
 *   1: a whole received peering frame: ampe_verify must reject it or return an element that encodes
 *      (AES-SIV makes a forgery a finding: it would be a broken MIC check);
 *   2: an honest frame built from fuzzed fields and elements, protected under an AEK derived from a
 *      fuzzed PMK: it must verify at the peer with the same content, and with any one octet from the
 *      category on changed it must not; both ends derive the same AEK and MTK from their own views
 *      (self and peer, local and peer nonce and link ID swapped), and element 117's PMKID matches.
 * No crash, no read past the input (ASan), no undefined behaviour (UBSan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ampe.h"
#include "fuzz_input.h"
#include "peering_frame.h"

static const uint8_t fixed_aek[AMPE_AEK_LEN] = {0x5a, 0x01, 0x02, 0x03};
static const struct mac_addr self = {{0x02, 0, 0, 0, 0, 0x01}};
static const struct mac_addr peer = {{0x02, 0, 0, 0, 0, 0x02}};

static void trap(void)
{
	__builtin_trap();
}

static bool same_element(const struct ampe_element *a, const struct ampe_element *b)
{
	if (memcmp(a->pairwise_suite, b->pairwise_suite, 4) || memcmp(a->local_nonce, b->local_nonce, AMPE_NONCE_LEN) ||
	    memcmp(a->peer_nonce, b->peer_nonce, AMPE_NONCE_LEN) || a->has_gtk != b->has_gtk || a->has_igtk != b->has_igtk ||
	    a->replay_counter != b->replay_counter)
		return false;
	if (a->has_gtk && (memcmp(a->mgtk, b->mgtk, AMPE_MGTK_LEN) || memcmp(a->mgtk_rsc, b->mgtk_rsc, AMPE_RSC_LEN) ||
			   a->mgtk_expiration_s != b->mgtk_expiration_s))
		return false;
	if (a->has_igtk && (a->igtk_key_id != b->igtk_key_id || memcmp(a->igtk_ipn, b->igtk_ipn, AMPE_IPN_LEN) ||
			    memcmp(a->igtk, b->igtk, AMPE_IGTK_LEN)))
		return false;
	return true;
}

static uint8_t pick_action(uint8_t b)
{
	return (uint8_t)(WLAN_SP_MESH_PEERING_OPEN + b % 5); /* Open .. Mesh Group Key Acknowledge */
}

static void element_roundtrip(const uint8_t *data, size_t len)
{
	struct ampe_element a, b;
	uint8_t out[2 + AMPE_BODY_MAX_LEN];
	uint8_t action;
	int n;

	if (len < 1)
		return;
	action = pick_action(data[0]);
	if (ampe_element_decode(data + 1, len - 1, action, &a) != 0)
		return;
	n = ampe_element_encode(out, sizeof(out), action, &a);
	if (n < 0 || ampe_element_decode(out, (size_t)n, action, &b) != 0 || !same_element(&a, &b))
		trap();
}

static void verify_received(const uint8_t *data, size_t len)
{
	struct ampe_element a;
	uint8_t out[2 + AMPE_BODY_MAX_LEN];

	if (ampe_verify(fixed_aek, &self, &peer, data, len, NULL, &a) == 0 &&
	    (len < 26 || ampe_element_encode(out, sizeof(out), data[25], &a) < 0))
		trap();
}

static void protect_and_verify(const uint8_t *data, size_t len)
{
	struct fuzz_input in = {data, len};
	struct peering_local l;
	struct peering_mgmt_ie mpm;
	struct ampe_element a, got;
	uint8_t pmk[AMPE_PMK_LEN], aek[AMPE_AEK_LEN], aek_peer[AMPE_AEK_LEN];
	uint8_t mtk[AMPE_MTK_LEN], mtk_peer[AMPE_MTK_LEN];
	uint8_t frame[512];
	uint8_t action = pick_action(take8(&in));
	size_t flen;
	int n;

	memset(&l, 0, sizeof(l));
	l.self = self;
	l.mesh_id.len = (uint8_t)(take8(&in) % (MESH_ID_MAX_LEN + 1));
	for (unsigned i = 0; i < l.mesh_id.len; i++)
		l.mesh_id.id[i] = take8(&in);
	l.rates.n = 1;
	l.rates.rate[0] = 0x82;
	l.ext_flags = take8(&in) & 1 ? MESH_EXT_HWMP : 0;
	memset(&mpm, 0, sizeof(mpm));
	mpm.protocol = MESH_PEERING_PROTO_AMPE;
	mpm.llid = (uint16_t)take32(&in);
	mpm.has_plid = action != WLAN_SP_MESH_PEERING_OPEN;
	mpm.plid = (uint16_t)take32(&in);
	mpm.has_reason = action == WLAN_SP_MESH_PEERING_CLOSE;
	mpm.reason = (uint16_t)take32(&in);
	mpm.has_pmkid = true;
	for (unsigned i = 0; i < MESH_PMKID_LEN; i++)
		mpm.pmkid[i] = take8(&in);
	n = peering_frame_encode(frame, sizeof(frame) - AMPE_TRAILER_MAX_LEN, &l, &peer, action, (uint16_t)take32(&in), &mpm);
	if (n < 0)
		return;
	memset(&a, 0, sizeof(a));
	for (unsigned i = 0; i < 4; i++)
		a.pairwise_suite[i] = take8(&in);
	for (unsigned i = 0; i < AMPE_NONCE_LEN; i++) {
		a.local_nonce[i] = take8(&in);
		a.peer_nonce[i] = take8(&in);
	}
	a.has_gtk = action == WLAN_SP_MESH_PEERING_OPEN;
	for (unsigned i = 0; i < AMPE_MGTK_LEN; i++)
		a.mgtk[i] = take8(&in);
	a.mgtk_expiration_s = take32(&in);
	a.has_igtk = a.has_gtk && (take8(&in) & 1);
	a.igtk_key_id = (uint16_t)take32(&in);
	for (unsigned i = 0; i < AMPE_IGTK_LEN; i++)
		a.igtk[i] = take8(&in);
	for (unsigned i = 0; i < AMPE_PMK_LEN; i++)
		pmk[i] = take8(&in);
	if (ampe_derive_aek(pmk, &self, &peer, aek) != 0 || ampe_derive_aek(pmk, &peer, &self, aek_peer) != 0 ||
	    memcmp(aek, aek_peer, AMPE_AEK_LEN) != 0)
		trap();
	if (ampe_derive_mtk(pmk, a.local_nonce, a.peer_nonce, mpm.llid, mpm.plid, &self, &peer, mtk) != 0 ||
	    ampe_derive_mtk(pmk, a.peer_nonce, a.local_nonce, mpm.plid, mpm.llid, &peer, &self, mtk_peer) != 0 ||
	    memcmp(mtk, mtk_peer, AMPE_MTK_LEN) != 0)
		trap();
	if (!ampe_pmkid_matches(&mpm, mpm.pmkid))
		trap();
	flen = (size_t)n;
	if (ampe_protect(aek, &self, &peer, frame, &flen, sizeof(frame), &a) != 0)
		trap();
	if (ampe_verify(aek, &peer, &self, frame, flen, NULL, &got) != 0 || !same_element(&a, &got))
		trap();
	/* Any octet from the category on is covered: the fields and elements before the MIC as
	 * associated data, the AMPE element as ciphertext, the MIC as the SIV. */
	size_t at = 24 + take32(&in) % (flen - 24);
	uint8_t flip = take8(&in) | 1;

	frame[at] ^= flip;
	if (ampe_verify(aek, &peer, &self, frame, flen, NULL, &got) == 0)
		trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		element_roundtrip(data + 1, size - 1);
		break;
	case 1:
		verify_received(data + 1, size - 1);
		break;
	default:
		protect_and_verify(data + 1, size - 1);
		break;
	}
	return 0;
}
