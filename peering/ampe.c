#include "ampe.h"

#include <string.h>

#include "codec.h"
#include "mesh_crypto.h"
#include "mgmt.h"

static const uint8_t akm_sae[4] = RSN_SUITE_AKM_SAE;

/* min(a, b) then max(a, b), compared as octet strings. */
static void put_min_max(uint8_t *out, const uint8_t *a, const uint8_t *b, size_t n)
{
	bool a_first = memcmp(a, b, n) < 0;

	memcpy(out, a_first ? a : b, n);
	memcpy(out + n, a_first ? b : a, n);
}

int ampe_derive_aek(const uint8_t pmk[AMPE_PMK_LEN], const struct mac_addr *self, const struct mac_addr *peer,
		    uint8_t aek[AMPE_AEK_LEN])
{
	uint8_t context[4 + 2 * MAC_LEN];

	memcpy(context, akm_sae, 4);
	put_min_max(context + 4, self->bytes, peer->bytes, MAC_LEN);
	return ieee80211_kdf(32, pmk, AMPE_PMK_LEN, "AEK Derivation", context, sizeof(context), aek, AMPE_AEK_LEN * 8);
}

int ampe_derive_mtk(const uint8_t pmk[AMPE_PMK_LEN], const uint8_t local_nonce[AMPE_NONCE_LEN],
		    const uint8_t peer_nonce[AMPE_NONCE_LEN], uint16_t local_lid, uint16_t peer_lid,
		    const struct mac_addr *self, const struct mac_addr *peer, uint8_t mtk[AMPE_MTK_LEN])
{
	uint8_t context[2 * AMPE_NONCE_LEN + 4 + 4 + 2 * MAC_LEN], *p = context;
	uint16_t lo = local_lid < peer_lid ? local_lid : peer_lid, hi = local_lid < peer_lid ? peer_lid : local_lid;
	int ret;

	put_min_max(p, local_nonce, peer_nonce, AMPE_NONCE_LEN);
	p += 2 * AMPE_NONCE_LEN;
	/* Link IDs compare as numbers and go little-endian (mesh_rsn_derive_mtk). */
	put_le16(p, lo);
	put_le16(p + 2, hi);
	p += 4;
	memcpy(p, akm_sae, 4);
	p += 4;
	put_min_max(p, self->bytes, peer->bytes, MAC_LEN);
	ret = ieee80211_kdf(32, pmk, AMPE_PMK_LEN, "Temporal Key Derivation", context, sizeof(context), mtk,
			    AMPE_MTK_LEN * 8);
	mesh_wipe(context, sizeof(context));
	return ret;
}

static bool group_key_action(uint8_t action)
{
	return action == WLAN_SP_MGK_INFORM || action == WLAN_SP_MGK_ACK;
}

static void put_gtkdata(uint8_t *p, const struct ampe_element *a)
{
	memcpy(p, a->mgtk, AMPE_MGTK_LEN);
	memcpy(p + AMPE_MGTK_LEN, a->mgtk_rsc, AMPE_RSC_LEN);
	put_le32(p + AMPE_MGTK_LEN + AMPE_RSC_LEN, a->mgtk_expiration_s);
}

static void get_gtkdata(const uint8_t *p, struct ampe_element *out)
{
	out->has_gtk = true;
	memcpy(out->mgtk, p, AMPE_MGTK_LEN);
	memcpy(out->mgtk_rsc, p + AMPE_MGTK_LEN, AMPE_RSC_LEN);
	out->mgtk_expiration_s = get_le32(p + AMPE_MGTK_LEN + AMPE_RSC_LEN);
}

int ampe_element_encode(uint8_t *out, size_t cap, uint8_t action, const struct ampe_element *a)
{
	size_t n = AMPE_BODY_BASE_LEN;
	uint8_t *p;

	if (action == WLAN_SP_MESH_PEERING_OPEN)
		n += AMPE_GTKDATA_LEN + (a->has_igtk ? AMPE_IGTKDATA_LEN : 0);
	else if (action == WLAN_SP_MGK_INFORM)
		n += AMPE_REPLAY_LEN + AMPE_GTKDATA_LEN;
	else if (action == WLAN_SP_MGK_ACK)
		n += AMPE_REPLAY_LEN;
	if (cap < 2 + n)
		return -1;
	out[0] = WLAN_EID_AMPE;
	out[1] = (uint8_t)n;
	p = out + 2;
	memcpy(p, a->pairwise_suite, 4);
	memcpy(p + 4, a->local_nonce, AMPE_NONCE_LEN);
	memcpy(p + 4 + AMPE_NONCE_LEN, a->peer_nonce, AMPE_NONCE_LEN);
	p += AMPE_BODY_BASE_LEN;
	if (group_key_action(action)) {
		put_le64(p, a->replay_counter);
		if (action == WLAN_SP_MGK_INFORM)
			put_gtkdata(p + AMPE_REPLAY_LEN, a);
		return (int)(2 + n);
	}
	if (action != WLAN_SP_MESH_PEERING_OPEN)
		return (int)(2 + n);
	put_gtkdata(p, a);
	p += AMPE_GTKDATA_LEN;
	if (a->has_igtk) {
		put_le16(p, a->igtk_key_id);
		memcpy(p + 2, a->igtk_ipn, AMPE_IPN_LEN);
		memcpy(p + 2 + AMPE_IPN_LEN, a->igtk, AMPE_IGTK_LEN);
	}
	return (int)(2 + n);
}

int ampe_element_decode(const uint8_t *in, size_t len, uint8_t action, struct ampe_element *out)
{
	const uint8_t *p, *end;

	memset(out, 0, sizeof(*out));
	if (len < 2 || in[0] != WLAN_EID_AMPE || (size_t)in[1] + 2 > len || in[1] < AMPE_BODY_BASE_LEN)
		return -1;
	p = in + 2;
	end = p + in[1];
	memcpy(out->pairwise_suite, p, 4);
	memcpy(out->local_nonce, p + 4, AMPE_NONCE_LEN);
	memcpy(out->peer_nonce, p + 4 + AMPE_NONCE_LEN, AMPE_NONCE_LEN);
	p += AMPE_BODY_BASE_LEN;
	if (group_key_action(action)) {
		if (end - p < AMPE_REPLAY_LEN + (action == WLAN_SP_MGK_INFORM ? AMPE_GTKDATA_LEN : 0))
			return -1;
		out->replay_counter = get_le64(p);
		if (action == WLAN_SP_MGK_INFORM)
			get_gtkdata(p + AMPE_REPLAY_LEN, out);
		return 0;
	}
	if (action != WLAN_SP_MESH_PEERING_OPEN)
		return 0;
	if (end - p < AMPE_GTKDATA_LEN)
		return -1;
	get_gtkdata(p, out);
	p += AMPE_GTKDATA_LEN;
	if (end - p >= AMPE_IGTKDATA_LEN) {
		out->has_igtk = true;
		out->igtk_key_id = get_le16(p);
		memcpy(out->igtk_ipn, p + 2, AMPE_IPN_LEN);
		memcpy(out->igtk, p + 2 + AMPE_IPN_LEN, AMPE_IGTK_LEN);
	}
	return 0;
}

/* Octets of fixed fields after category and action: Open capability, Confirm capability + AID. */
static int fixed_len(uint8_t action)
{
	switch (action) {
	case WLAN_SP_MESH_PEERING_OPEN: return 2;
	case WLAN_SP_MESH_PEERING_CONFIRM: return 4;
	case WLAN_SP_MESH_PEERING_CLOSE: return 0;
	case WLAN_SP_MGK_INFORM: return 0;
	case WLAN_SP_MGK_ACK: return 0;
	default: return -1;
	}
}

int ampe_protect(const uint8_t aek[AMPE_AEK_LEN], const struct mac_addr *self, const struct mac_addr *peer,
		 uint8_t *frame, size_t *len, size_t cap, const struct ampe_element *a)
{
	uint8_t plain[2 + AMPE_BODY_MAX_LEN];
	const uint8_t *aad[3];
	size_t aad_len[3], start = *len;
	int n, ret;

	if (start < ACTION_HDR_LEN || frame[MGMT_HDR_LEN] != WLAN_CATEGORY_SELF_PROTECTED ||
	    fixed_len(frame[MGMT_HDR_LEN + 1]) < 0)
		return -1;
	n = ampe_element_encode(plain, sizeof(plain), frame[MGMT_HDR_LEN + 1], a);
	if (n < 0 || cap < start || cap - start < 2 + AMPE_MIC_LEN + (size_t)n)
		return -1;
	aad[0] = self->bytes;
	aad_len[0] = MAC_LEN;
	aad[1] = peer->bytes;
	aad_len[1] = MAC_LEN;
	aad[2] = frame + MGMT_HDR_LEN; /* category .. the end of the last element before the MIC */
	aad_len[2] = start - MGMT_HDR_LEN;
	frame[start] = WLAN_EID_MIC;
	frame[start + 1] = AMPE_MIC_LEN;
	/* SIV's output V || C lands as the MIC element's body followed by the encrypted element. */
	ret = aes_siv_encrypt(aek, AMPE_AEK_LEN, 3, aad, aad_len, plain, (size_t)n, frame + start + 2);
	mesh_wipe(plain, sizeof(plain));
	if (ret < 0)
		return -1;
	*len = start + 2 + AMPE_MIC_LEN + (size_t)n;
	return 0;
}

int ampe_verify(const uint8_t aek[AMPE_AEK_LEN], const struct mac_addr *self, const struct mac_addr *peer,
		const uint8_t *frame, size_t len, const uint8_t *my_nonce, struct ampe_element *out)
{
	static const uint8_t zeros[AMPE_NONCE_LEN];
	uint8_t plain[256];
	const uint8_t *aad[3];
	size_t aad_len[3], off, mic = 0, crypt_len;
	uint8_t action;
	int fixed;
	bool found = false;

	memset(out, 0, sizeof(*out));
	if (len < ACTION_HDR_LEN || frame[MGMT_HDR_LEN] != WLAN_CATEGORY_SELF_PROTECTED)
		return -1;
	action = frame[MGMT_HDR_LEN + 1];
	fixed = fixed_len(action);
	if (fixed < 0 || len - ACTION_HDR_LEN < (size_t)fixed)
		return -1;
	/* Walk the elements to the MIC element; everything after it is ciphertext, not elements. */
	for (off = ACTION_HDR_LEN + (size_t)fixed; len - off >= 2;) {
		if (frame[off] == WLAN_EID_MIC) {
			mic = off;
			found = true;
			break;
		}
		if (len - off - 2 < frame[off + 1])
			return -1;
		off += 2 + (size_t)frame[off + 1];
	}
	if (!found || frame[mic + 1] != AMPE_MIC_LEN || len - mic - 2 < AMPE_MIC_LEN + 2)
		return -1;
	crypt_len = len - mic - 2; /* V (16) || C */
	if (crypt_len - AES_SIV_TAG_LEN > sizeof(plain))
		return -1;
	aad[0] = peer->bytes; /* the sender's address first */
	aad_len[0] = MAC_LEN;
	aad[1] = self->bytes;
	aad_len[1] = MAC_LEN;
	aad[2] = frame + MGMT_HDR_LEN;
	aad_len[2] = mic - MGMT_HDR_LEN;
	if (aes_siv_decrypt(aek, AMPE_AEK_LEN, 3, aad, aad_len, frame + mic + 2, crypt_len, plain) < 0)
		return -2;
	if (ampe_element_decode(plain, crypt_len - AES_SIV_TAG_LEN, action, out) < 0) {
		mesh_wipe(plain, sizeof(plain));
		return -1;
	}
	mesh_wipe(plain, sizeof(plain));
	if (my_nonce != NULL && !mesh_equal_ct(out->peer_nonce, zeros, AMPE_NONCE_LEN) &&
	    !mesh_equal_ct(out->peer_nonce, my_nonce, AMPE_NONCE_LEN)) {
		mesh_wipe(out, sizeof(*out));
		return -3;
	}
	return 0;
}

bool ampe_pmkid_matches(const struct peering_mgmt_ie *ie, const uint8_t pmkid[MESH_PMKID_LEN])
{
	return ie->has_pmkid && mesh_equal_ct(ie->pmkid, pmkid, MESH_PMKID_LEN);
}

int ampe_mgtk_generate(uint8_t mgtk[AMPE_MGTK_LEN])
{
	return mesh_random(mgtk, AMPE_MGTK_LEN);
}

int ampe_nonce_generate(uint8_t nonce[AMPE_NONCE_LEN])
{
	return mesh_random(nonce, AMPE_NONCE_LEN);
}
