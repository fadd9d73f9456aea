#include "frame_class.h"

#include "codec.h"
#include "mac.h"
#include "mesh_data.h"
#include "mgmt.h"
#include "radiotap.h"

#define FCS_LEN 4

static const char *const class_names[] = {
#define FRAME_CLASS_NAME(name) #name,
	FRAME_CLASSES(FRAME_CLASS_NAME)
#undef FRAME_CLASS_NAME
};

const char *frame_class_name(enum frame_class c)
{
	return (unsigned)c < FRAME_CLASS_COUNT ? class_names[c] : "unknown";
}

static enum frame_class class_of_codec_error(int status)
{
	switch (status) {
	case CODEC_ERR_BAD_DS: return FRAME_CLASS_drop_bad_ds;
	case CODEC_ERR_BAD_AE: return FRAME_CLASS_drop_bad_ae;
	case CODEC_ERR_PROTECTED: return FRAME_CLASS_drop_protected;
	case CODEC_ERR_NULL_DATA: return FRAME_CLASS_mesh_null_data;
	case CODEC_ERR_AMSDU: return FRAME_CLASS_drop_amsdu;
	case CODEC_ERR_NOT_DATA:
	case CODEC_ERR_NO_MESH_CONTROL:
	case CODEC_ERR_BAD_VERSION: return FRAME_CLASS_drop_not_mesh_data;
	case CODEC_ERR_ELEMENT_OVERRUN:
	case CODEC_ERR_BAD_LENGTH:
	case CODEC_ERR_TOO_LONG: return FRAME_CLASS_drop_bad_element;
	default: return FRAME_CLASS_drop_truncated;
	}
}

static enum frame_class classify_mgmt(const uint8_t *f, size_t len)
{
	struct action_frame af;
	struct beacon b;
	int ret;

	if (f[0] == IEEE80211_FC0_BEACON) {
		ret = beacon_decode(f, len, &b);
		return ret < 0 ? class_of_codec_error(ret) : FRAME_CLASS_mesh_beacon;
	}
	if (f[0] == IEEE80211_FC0_ACTION) {
		/* Its body is ciphertext: the control thread, which holds the keys, decrypts and judges it. */
		if (len >= MGMT_HDR_LEN && (f[1] & 0x40))
			return len < MGMT_HDR_LEN + 16 ? FRAME_CLASS_drop_truncated : FRAME_CLASS_mesh_protected_action;
		ret = action_decode(f, len, &af);
		if (ret < 0)
			return class_of_codec_error(ret);
		if (af.category == WLAN_CATEGORY_MESH && (af.action == WLAN_MESH_ACTION_HWMP ||
							  af.action == WLAN_MESH_ACTION_GATE_ANNOUNCEMENT)) {
			struct ie_iter it;
			struct ie e;

			ie_iter_init(&it, af.body, af.body_len);
			while ((ret = ie_iter_next(&it, &e)) == 1)
				;
			return ret < 0 ? FRAME_CLASS_drop_bad_element : FRAME_CLASS_mesh_hwmp_action;
		}
		return FRAME_CLASS_mesh_other_action;
	}
	return len < MGMT_HDR_LEN ? FRAME_CLASS_drop_truncated : FRAME_CLASS_mesh_other_mgmt;
}

enum frame_class frame_classify_mesh(const uint8_t *buf, size_t len, enum mesh_link link, struct frame_view *view)
{
	const uint8_t *f = buf;
	size_t flen = len;
	int ret;

	if (link == MESH_LINK_ETHERNET) {
		switch (wired_mesh_check(buf, len)) {
		case WIRED_MESH_OK:
			break;
		case WIRED_MESH_TRUNCATED:
			return FRAME_CLASS_drop_truncated;
		case WIRED_MESH_NOT_MESH:
			return FRAME_CLASS_drop_not_wired_mesh;
		default:
			return FRAME_CLASS_drop_bad_wired_header;
		}
		f = buf + WIRED_MESH_HDR_LEN;
		flen = len - WIRED_MESH_HDR_LEN;
	} else if (link == MESH_LINK_RADIOTAP) {
		struct radiotap_info rt;

		ret = radiotap_parse(buf, len, &rt);
		if (ret == CODEC_ERR_TRUNCATED)
			return FRAME_CLASS_drop_truncated;
		if (ret < 0)
			return FRAME_CLASS_drop_bad_radiotap;
		f = buf + rt.header_len;
		flen = len - rt.header_len;
		if (rt.has_flags && (rt.flags & RADIOTAP_F_FCS)) {
			if (flen < FCS_LEN)
				return FRAME_CLASS_drop_truncated;
			flen -= FCS_LEN;
		}
	}
	view->l2_off = (uint16_t)(f - buf);
	view->l2_len = (uint16_t)flen;
	if (flen < 2)
		return FRAME_CLASS_drop_truncated;
	if ((f[0] & 0x03) != 0)
		return FRAME_CLASS_drop_not_mesh_data;
	switch ((f[0] >> 2) & 0x03) {
	case 0:
		return classify_mgmt(f, flen);
	case 1:
		return FRAME_CLASS_drop_control;
	case 2:
		ret = mesh_data_decode(f, flen, &view->data);
		if (ret < 0)
			return class_of_codec_error(ret);
		return view->data.group ? FRAME_CLASS_mesh_data_group : FRAME_CLASS_mesh_data_unicast;
	default:
		return FRAME_CLASS_drop_not_mesh_data;
	}
}

enum frame_class frame_classify_ether(const uint8_t *buf, size_t len, struct frame_view *view)
{
	view->l2_off = 0;
	view->l2_len = (uint16_t)len;
	if (ether_parse(buf, len, &view->eth) < 0)
		return FRAME_CLASS_drop_bad_ether;
	if (mac_is_link_local(&view->eth.dst))
		return FRAME_CLASS_eth_link_local;
	return mac_is_group(&view->eth.dst) ? FRAME_CLASS_eth_group : FRAME_CLASS_eth_unicast;
}
