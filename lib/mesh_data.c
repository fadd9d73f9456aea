#include "mesh_data.h"

#include <string.h>

#include "codec.h"

const uint8_t rfc1042_header[6] = {0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00};

static int decode_frame_control(const uint8_t *buf, struct mesh_data_hdr *hdr)
{
	uint8_t fc0 = buf[0];
	uint8_t ds;

	if ((fc0 & 0x03) != 0)
		return CODEC_ERR_BAD_VERSION;
	/* Linux sends a QoS Null after peering to announce its power mode. */
	if (fc0 == IEEE80211_FC0_QOS_NULL || fc0 == IEEE80211_FC0_NULL_DATA)
		return CODEC_ERR_NULL_DATA;
	if (fc0 != IEEE80211_FC0_QOS_DATA)
		return CODEC_ERR_NOT_DATA;
	hdr->fc1 = buf[1];
	if (hdr->fc1 & IEEE80211_FC1_PROTECTED)
		return CODEC_ERR_PROTECTED;
	ds = hdr->fc1 & (IEEE80211_FC1_TODS | IEEE80211_FC1_FROMDS);
	if (ds == (IEEE80211_FC1_TODS | IEEE80211_FC1_FROMDS))
		hdr->group = false;
	else if (ds == IEEE80211_FC1_FROMDS)
		hdr->group = true;
	else
		return CODEC_ERR_BAD_DS;
	return CODEC_OK;
}

static int decode_mesh_control(const uint8_t *buf, size_t len, bool group, struct mesh_control *mc)
{
	unsigned ae;
	size_t need;

	if (len < MESH_CONTROL_BASE_LEN)
		return CODEC_ERR_TRUNCATED;
	mc->flags = buf[0];
	mc->ttl = buf[1];
	mc->seq = get_le32(buf + 2);
	ae = mesh_control_ae(mc);
	if (ae == 3 || (group && ae == MESH_AE_A5_A6) || (!group && ae == MESH_AE_A4))
		return CODEC_ERR_BAD_AE;
	need = mesh_control_len(ae);
	if (len < need)
		return CODEC_ERR_TRUNCATED;
	memset(mc->ext, 0, sizeof(mc->ext));
	if (ae >= MESH_AE_A4)
		mac_read(&mc->ext[0], buf + MESH_CONTROL_BASE_LEN);
	if (ae == MESH_AE_A5_A6)
		mac_read(&mc->ext[1], buf + MESH_CONTROL_BASE_LEN + MAC_LEN);
	return (int)need;
}

int mesh_data_decode(const uint8_t *buf, size_t len, struct mesh_data_hdr *hdr)
{
	size_t off, qos_off;
	int ret;

	if (len < 2)
		return CODEC_ERR_TRUNCATED;
	memset(hdr, 0, sizeof(*hdr));
	ret = decode_frame_control(buf, hdr);
	if (ret < 0)
		return ret;
	hdr->hdr_len = hdr->group ? MESH_DATA_GROUP_HDR_LEN : MESH_DATA_UNICAST_HDR_LEN;
	if (len < hdr->hdr_len)
		return CODEC_ERR_TRUNCATED;
	hdr->duration = get_le16(buf + 2);
	mac_read(&hdr->addr1, buf + 4);
	mac_read(&hdr->addr2, buf + 10);
	mac_read(&hdr->addr3, buf + 16);
	hdr->seq_ctrl = get_le16(buf + 22);
	if (hdr->group) {
		if (!mac_is_group(&hdr->addr1))
			return CODEC_ERR_BAD_DS;
		qos_off = 24;
	} else {
		if (mac_is_group(&hdr->addr1))
			return CODEC_ERR_BAD_DS;
		mac_read(&hdr->addr4, buf + 24);
		qos_off = 30;
	}
	hdr->tid = buf[qos_off] & 0x0f;
	/* An A-MSDU carries subframe headers before each Mesh Control: another layout altogether. */
	if (buf[qos_off] & IEEE80211_QOS0_AMSDU)
		return CODEC_ERR_AMSDU;
	if (!(buf[qos_off + 1] & IEEE80211_QOS1_MESH_CONTROL_PRESENT)) {
		/* Every data frame between mesh STAs carries a Mesh Control (802.11-2016 9.3.2.1), but the
		 * frames a Linux 6.1 mesh point forwards have the bit cleared: take them, and say so (the
		 * dataplane takes data only from established peers, which are mesh STAs). */
		hdr->mcp_missing = true;
	}

	off = hdr->hdr_len;
	ret = decode_mesh_control(buf + off, len - off, hdr->group, &hdr->mc);
	if (ret < 0)
		return ret;
	off += (size_t)ret;
	if (len - off >= LLC_SNAP_LEN && memcmp(buf + off, rfc1042_header, sizeof(rfc1042_header)) == 0) {
		hdr->has_snap = true;
		hdr->ethertype = get_be16(buf + off + 6);
		off += LLC_SNAP_LEN;
	}
	hdr->body_off = (uint16_t)off;
	return CODEC_OK;
}

void mesh_data_end_addrs(const struct mesh_data_hdr *hdr, struct mac_addr *da, struct mac_addr *sa)
{
	unsigned ae = mesh_control_ae(&hdr->mc);

	if (hdr->group) {
		*da = hdr->addr1;
		*sa = ae == MESH_AE_A4 ? hdr->mc.ext[0] : hdr->addr3;
	} else if (ae == MESH_AE_A5_A6) {
		*da = hdr->mc.ext[0];
		*sa = hdr->mc.ext[1];
	} else {
		*da = hdr->addr3;
		*sa = hdr->addr4;
	}
}

int ether_parse(const uint8_t *buf, size_t len, struct ether_info *info)
{
	if (len < ETHER_HDR_LEN)
		return CODEC_ERR_TRUNCATED;
	mac_read(&info->dst, buf);
	mac_read(&info->src, buf + 6);
	info->type_or_len = get_be16(buf + 12);
	info->payload_off = ETHER_HDR_LEN;
	if (info->type_or_len < ETHER_TYPE_MIN) {
		if (info->type_or_len > len - ETHER_HDR_LEN)
			return CODEC_ERR_BAD_ETHER;
		info->payload_len = info->type_or_len;
	} else {
		info->payload_len = len - ETHER_HDR_LEN;
	}
	return CODEC_OK;
}

int mesh_data_to_ether(const uint8_t *frame, size_t len, uint8_t *out, size_t cap)
{
	struct mesh_data_hdr hdr;
	struct mac_addr da, sa;
	size_t body_len;
	int ret = mesh_data_decode(frame, len, &hdr);

	if (ret < 0)
		return ret;
	body_len = len - hdr.body_off;
	if (!hdr.has_snap && body_len >= ETHER_TYPE_MIN)
		return CODEC_ERR_TOO_LONG; /* an 802.3 length field cannot express it */
	if (cap < ETHER_HDR_LEN + body_len)
		return CODEC_ERR_NO_SPACE;
	mesh_data_end_addrs(&hdr, &da, &sa);
	mac_write(out, &da);
	mac_write(out + 6, &sa);
	put_be16(out + 12, hdr.has_snap ? hdr.ethertype : (uint16_t)body_len);
	memcpy(out + ETHER_HDR_LEN, frame + hdr.body_off, body_len);
	return (int)(ETHER_HDR_LEN + body_len);
}

int ether_to_mesh_data(const uint8_t *eth, size_t len, const struct mesh_data_hdr *tmpl,
		       uint8_t *out, size_t cap)
{
	struct mesh_data_hdr hdr = *tmpl;
	struct ether_info info;
	int hdr_len;
	int ret = ether_parse(eth, len, &info);

	if (ret < 0)
		return ret;
	hdr.has_snap = info.type_or_len >= ETHER_TYPE_MIN;
	hdr.ethertype = hdr.has_snap ? info.type_or_len : 0;
	hdr_len = mesh_data_encode_header(out, cap, &hdr);
	if (hdr_len < 0)
		return hdr_len;
	if (cap - (size_t)hdr_len < info.payload_len)
		return CODEC_ERR_NO_SPACE;
	memcpy(out + hdr_len, eth + info.payload_off, info.payload_len);
	return hdr_len + (int)info.payload_len;
}
