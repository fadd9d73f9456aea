#include "peering_frame.h"

#include <string.h>

#include "codec.h"

#define CAPABILITY_LEN 2
#define AID_LEN 2

/* Element 117 length without and with the PMKID, for each frame kind. */
static bool length_ok(uint8_t action, size_t body, bool *has_plid)
{
	switch (action) {
	case WLAN_SP_MESH_PEERING_OPEN:
		*has_plid = false;
		return body == 4;
	case WLAN_SP_MESH_PEERING_CONFIRM:
		*has_plid = true;
		return body == 6;
	case WLAN_SP_MESH_PEERING_CLOSE:
		*has_plid = body == 8;
		return body == 6 || body == 8;
	default:
		return false;
	}
}

int peering_mgmt_ie_decode(uint8_t action, const uint8_t *data, size_t len, struct peering_mgmt_ie *out)
{
	size_t body;
	size_t off = 4;

	memset(out, 0, sizeof(*out));
	if (len < 4)
		return CODEC_ERR_TRUNCATED;
	out->protocol = get_le16(data);
	if (out->protocol != MESH_PEERING_PROTO_MPM && out->protocol != MESH_PEERING_PROTO_AMPE)
		return CODEC_ERR_BAD_LENGTH;
	out->has_pmkid = out->protocol == MESH_PEERING_PROTO_AMPE;
	if (out->has_pmkid && len < 4 + MESH_PMKID_LEN)
		return CODEC_ERR_BAD_LENGTH;
	body = out->has_pmkid ? len - MESH_PMKID_LEN : len;
	if (!length_ok(action, body, &out->has_plid))
		return CODEC_ERR_BAD_LENGTH;
	out->llid = get_le16(data + 2);
	if (out->has_plid) {
		out->plid = get_le16(data + off);
		off += 2;
	}
	if (action == WLAN_SP_MESH_PEERING_CLOSE) {
		out->has_reason = true;
		out->reason = get_le16(data + off);
		off += 2;
	}
	if (out->has_pmkid)
		memcpy(out->pmkid, data + off, MESH_PMKID_LEN);
	return CODEC_OK;
}

int peering_mgmt_ie_encode(uint8_t *out, size_t cap, uint8_t action, const struct peering_mgmt_ie *ie)
{
	uint8_t body[4 + 2 + 2 + MESH_PMKID_LEN];
	size_t n = 4;
	bool plid = action == WLAN_SP_MESH_PEERING_CONFIRM || (action == WLAN_SP_MESH_PEERING_CLOSE && ie->has_plid);

	if (action < WLAN_SP_MESH_PEERING_OPEN || action > WLAN_SP_MESH_PEERING_CLOSE)
		return CODEC_ERR_BAD_LENGTH;
	put_le16(body, ie->protocol);
	put_le16(body + 2, ie->llid);
	if (plid) {
		put_le16(body + n, ie->plid);
		n += 2;
	}
	if (action == WLAN_SP_MESH_PEERING_CLOSE) {
		put_le16(body + n, ie->reason);
		n += 2;
	}
	if (ie->protocol == MESH_PEERING_PROTO_AMPE) {
		memcpy(body + n, ie->pmkid, MESH_PMKID_LEN);
		n += MESH_PMKID_LEN;
	}
	return ie_write(out, cap, WLAN_EID_PEER_MGMT, body, n);
}

/* Octets of elements before an AMPE MIC element (140): what follows it is AES-SIV output, not
 * elements (wpa_supplicant's parser stops there too). The whole list when there is no MIC. */
static size_t clear_elements_len(const uint8_t *ies, size_t len)
{
	size_t off = 0;

	while (len - off >= 2) {
		if (ies[off] == WLAN_EID_MIC)
			return off;
		if (len - off - 2 < ies[off + 1])
			break;
		off += 2 + (size_t)ies[off + 1];
	}
	return len;
}

int peering_frame_decode(const uint8_t *buf, size_t len, struct peering_frame *f)
{
	struct action_frame af;
	struct ie e;
	size_t fixed, clear;
	int ret;

	memset(f, 0, sizeof(*f));
	ret = action_decode(buf, len, &af);
	if (ret < 0)
		return ret;
	if (af.category != WLAN_CATEGORY_SELF_PROTECTED || af.action < WLAN_SP_MESH_PEERING_OPEN ||
	    af.action > WLAN_SP_MESH_PEERING_CLOSE)
		return CODEC_ERR_NOT_MGMT;
	f->hdr = af.hdr;
	f->action = af.action;
	fixed = af.action == WLAN_SP_MESH_PEERING_OPEN ? CAPABILITY_LEN
		: af.action == WLAN_SP_MESH_PEERING_CONFIRM ? CAPABILITY_LEN + AID_LEN : 0;
	if (af.body_len < fixed)
		return CODEC_ERR_TRUNCATED;
	if (fixed >= CAPABILITY_LEN)
		f->capability = get_le16(af.body);
	if (fixed == CAPABILITY_LEN + AID_LEN)
		f->aid = get_le16(af.body + CAPABILITY_LEN);
	f->ies = af.body + fixed;
	f->ies_len = af.body_len - fixed;
	clear = clear_elements_len(f->ies, f->ies_len);
	ret = mesh_ies_parse(f->ies, clear, &f->elems);
	if (ret < 0)
		return ret;
	ret = ie_find(f->ies, clear, WLAN_EID_PEER_MGMT, &e);
	if (ret < 0)
		return ret;
	if (ret == 0)
		return CODEC_ERR_TRUNCATED;
	return peering_mgmt_ie_decode(f->action, e.data, e.len, &f->mpm);
}

/* Appends one element written by a writer's return value; keeps the first error. */
static int advance(int ret, size_t *off)
{
	if (ret < 0)
		return ret;
	*off += (size_t)ret;
	return 0;
}

int peering_frame_encode(uint8_t *out, size_t cap, const struct peering_local *l, const struct mac_addr *peer,
			 uint8_t action, uint16_t aid, const struct peering_mgmt_ie *mpm)
{
	struct mgmt_hdr h;
	size_t off;
	int ret;

	memset(&h, 0, sizeof(h));
	h.addr1 = *peer;
	h.addr2 = l->self;
	h.addr3 = l->self;
	ret = action_encode_header(out, cap, &h, WLAN_CATEGORY_SELF_PROTECTED, action);
	if (ret < 0)
		return ret;
	off = (size_t)ret;
	if (action != WLAN_SP_MESH_PEERING_CLOSE) {
		/* Capability 0: Linux parses an Open's elements from the capability field on, where 00 00
		 * reads as an empty SSID element; any other value would garble the rest for it. */
		size_t fixed = action == WLAN_SP_MESH_PEERING_CONFIRM ? CAPABILITY_LEN + AID_LEN : CAPABILITY_LEN;

		if (cap - off < fixed)
			return CODEC_ERR_NO_SPACE;
		put_le16(out + off, 0);
		if (action == WLAN_SP_MESH_PEERING_CONFIRM)
			put_le16(out + off + CAPABILITY_LEN, aid);
		off += fixed;
		if ((ret = advance(mesh_rates_write(out + off, cap - off, &l->rates, false), &off)) < 0 ||
		    (ret = advance(mesh_rates_write(out + off, cap - off, &l->rates, true), &off)) < 0)
			return ret;
		/* A secure mesh's Open and Confirm carry the RSN element where wpa_supplicant puts it. */
		if (l->rsn && (ret = advance(mesh_rsn_write(out + off, cap - off), &off)) < 0)
			return ret;
	}
	if ((ret = advance(ie_write(out + off, cap - off, WLAN_EID_MESH_ID, l->mesh_id.id, l->mesh_id.len), &off)) < 0)
		return ret;
	if (action != WLAN_SP_MESH_PEERING_CLOSE &&
	    (ret = advance(mesh_config_encode(out + off, cap - off, &l->mesh_config), &off)) < 0)
		return ret;
	if ((ret = advance(peering_mgmt_ie_encode(out + off, cap - off, action, mpm), &off)) < 0)
		return ret;
	if (action != WLAN_SP_MESH_PEERING_CLOSE && l->ext_flags != 0 &&
	    (ret = advance(mesh_ext_write(out + off, cap - off, l->ext_flags,
								  action == WLAN_SP_MESH_PEERING_OPEN ? l->mgtk_key_id : 0,
								  l->mgtk_replay), &off)) < 0)
		return ret;
	return (int)off;
}
