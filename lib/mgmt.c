#include "mgmt.h"

#include <string.h>

#include "codec.h"
#include "mesh_ies.h"

int mgmt_hdr_decode(const uint8_t *buf, size_t len, struct mgmt_hdr *hdr)
{
	if (len < 2)
		return CODEC_ERR_TRUNCATED;
	if ((buf[0] & 0x03) != 0)
		return CODEC_ERR_BAD_VERSION;
	if ((buf[0] & 0x0c) != 0)
		return CODEC_ERR_NOT_MGMT;
	if (len < MGMT_HDR_LEN)
		return CODEC_ERR_TRUNCATED;
	hdr->fc0 = buf[0];
	hdr->fc1 = buf[1];
	hdr->duration = get_le16(buf + 2);
	mac_read(&hdr->addr1, buf + 4);
	mac_read(&hdr->addr2, buf + 10);
	mac_read(&hdr->addr3, buf + 16);
	hdr->seq_ctrl = get_le16(buf + 22);
	return CODEC_OK;
}

int mgmt_hdr_encode(uint8_t *out, size_t cap, const struct mgmt_hdr *hdr)
{
	if (cap < MGMT_HDR_LEN)
		return CODEC_ERR_NO_SPACE;
	out[0] = hdr->fc0;
	out[1] = hdr->fc1;
	put_le16(out + 2, hdr->duration);
	mac_write(out + 4, &hdr->addr1);
	mac_write(out + 10, &hdr->addr2);
	mac_write(out + 16, &hdr->addr3);
	put_le16(out + 22, hdr->seq_ctrl);
	return MGMT_HDR_LEN;
}

int action_decode(const uint8_t *buf, size_t len, struct action_frame *af)
{
	int ret = mgmt_hdr_decode(buf, len, &af->hdr);

	if (ret < 0)
		return ret;
	if (af->hdr.fc0 != IEEE80211_FC0_ACTION)
		return CODEC_ERR_NOT_MGMT;
	if (af->hdr.fc1 & 0x40)
		return CODEC_ERR_PROTECTED;
	if (len < ACTION_HDR_LEN)
		return CODEC_ERR_TRUNCATED;
	af->category = buf[MGMT_HDR_LEN];
	af->action = buf[MGMT_HDR_LEN + 1];
	af->body = buf + ACTION_HDR_LEN;
	af->body_len = len - ACTION_HDR_LEN;
	return CODEC_OK;
}

int action_encode_header(uint8_t *out, size_t cap, const struct mgmt_hdr *hdr, uint8_t category,
			 uint8_t action)
{
	struct mgmt_hdr h = *hdr;

	if (cap < ACTION_HDR_LEN)
		return CODEC_ERR_NO_SPACE;
	h.fc0 = IEEE80211_FC0_ACTION;
	mgmt_hdr_encode(out, cap, &h);
	out[MGMT_HDR_LEN] = category;
	out[MGMT_HDR_LEN + 1] = action;
	return ACTION_HDR_LEN;
}

void ie_iter_init(struct ie_iter *it, const uint8_t *buf, size_t len)
{
	it->buf = buf;
	it->len = len;
	it->off = 0;
}

int ie_iter_next(struct ie_iter *it, struct ie *out)
{
	size_t left = it->len - it->off;

	if (left == 0)
		return 0;
	if (left < 2 || (size_t)it->buf[it->off + 1] > left - 2)
		return CODEC_ERR_ELEMENT_OVERRUN;
	out->id = it->buf[it->off];
	out->len = it->buf[it->off + 1];
	out->data = it->buf + it->off + 2;
	it->off += 2 + (size_t)out->len;
	return 1;
}

int ie_find(const uint8_t *buf, size_t len, uint8_t id, struct ie *out)
{
	struct ie_iter it;
	struct ie e;
	int ret;

	ie_iter_init(&it, buf, len);
	while ((ret = ie_iter_next(&it, &e)) == 1) {
		if (e.id == id) {
			*out = e;
			return 1;
		}
	}
	return ret;
}

int ie_write(uint8_t *out, size_t cap, uint8_t id, const uint8_t *data, size_t len)
{
	if (len > 255)
		return CODEC_ERR_TOO_LONG;
	if (cap < 2 + len)
		return CODEC_ERR_NO_SPACE;
	out[0] = id;
	out[1] = (uint8_t)len;
	if (len > 0)
		memcpy(out + 2, data, len);
	return (int)(2 + len);
}

int mesh_id_decode(const uint8_t *data, size_t len, struct mesh_id *out)
{
	if (len > MESH_ID_MAX_LEN)
		return CODEC_ERR_TOO_LONG;
	out->len = (uint8_t)len;
	memset(out->id, 0, sizeof(out->id));
	if (len > 0)
		memcpy(out->id, data, len);
	return CODEC_OK;
}

int mesh_id_set(struct mesh_id *out, const char *text)
{
	return mesh_id_decode((const uint8_t *)text, strlen(text), out);
}

bool mesh_id_equal(const struct mesh_id *a, const struct mesh_id *b)
{
	return a->len == b->len && memcmp(a->id, b->id, a->len) == 0;
}

int mesh_config_decode(const uint8_t *data, size_t len, struct mesh_config_ie *out)
{
	if (len < MESH_CONFIG_LEN)
		return CODEC_ERR_TRUNCATED;
	if (len > MESH_CONFIG_LEN)
		return CODEC_ERR_BAD_LENGTH;
	out->path_sel_protocol = data[0];
	out->path_sel_metric = data[1];
	out->congestion_control = data[2];
	out->sync_method = data[3];
	out->auth_protocol = data[4];
	out->formation_info = data[5];
	out->capability = data[6];
	return CODEC_OK;
}

int mesh_config_encode(uint8_t *out, size_t cap, const struct mesh_config_ie *cfg)
{
	const uint8_t body[MESH_CONFIG_LEN] = {
		cfg->path_sel_protocol, cfg->path_sel_metric, cfg->congestion_control, cfg->sync_method,
		cfg->auth_protocol, cfg->formation_info, cfg->capability,
	};

	return ie_write(out, cap, WLAN_EID_MESH_CONFIG, body, sizeof(body));
}

int beacon_decode(const uint8_t *buf, size_t len, struct beacon *b)
{
	struct ie_iter it;
	struct ie e;
	int ret = mgmt_hdr_decode(buf, len, &b->hdr);

	if (ret < 0)
		return ret;
	if (b->hdr.fc0 != IEEE80211_FC0_BEACON)
		return CODEC_ERR_NOT_MGMT;
	if (len < MGMT_HDR_LEN + BEACON_FIXED_LEN)
		return CODEC_ERR_TRUNCATED;
	b->timestamp = (uint64_t)get_le32(buf + MGMT_HDR_LEN) |
		       (uint64_t)get_le32(buf + MGMT_HDR_LEN + 4) << 32;
	b->interval_tu = get_le16(buf + MGMT_HDR_LEN + 8);
	b->capability = get_le16(buf + MGMT_HDR_LEN + 10);
	b->ies = buf + MGMT_HDR_LEN + BEACON_FIXED_LEN;
	b->ies_len = len - MGMT_HDR_LEN - BEACON_FIXED_LEN;
	b->has_mesh_id = false;
	b->has_mesh_config = false;
	ie_iter_init(&it, b->ies, b->ies_len);
	while ((ret = ie_iter_next(&it, &e)) == 1) {
		if (e.id == WLAN_EID_MESH_ID && !b->has_mesh_id) {
			ret = mesh_id_decode(e.data, e.len, &b->mesh_id);
			b->has_mesh_id = true;
		} else if (e.id == WLAN_EID_MESH_CONFIG && !b->has_mesh_config) {
			ret = mesh_config_decode(e.data, e.len, &b->mesh_config);
			b->has_mesh_config = true;
		}
		if (ret < 0)
			return ret;
	}
	return ret;
}

int beacon_encode(uint8_t *out, size_t cap, const struct beacon *b, const uint8_t *extra_ies,
		  size_t extra_len)
{
	struct mgmt_hdr h = b->hdr;
	struct mesh_rates rates = b->rates;
	size_t off;
	int ret;

	h.fc0 = IEEE80211_FC0_BEACON;
	if (cap < MGMT_HDR_LEN + BEACON_FIXED_LEN)
		return CODEC_ERR_NO_SPACE;
	mgmt_hdr_encode(out, cap, &h);
	off = MGMT_HDR_LEN;
	put_le32(out + off, (uint32_t)b->timestamp);
	put_le32(out + off + 4, (uint32_t)(b->timestamp >> 32));
	put_le16(out + off + 8, b->interval_tu);
	put_le16(out + off + 10, b->capability);
	off += BEACON_FIXED_LEN;

	/* Mesh beacons carry the wildcard SSID; the mesh is named by the Mesh ID. */
	ret = ie_write(out + off, cap - off, WLAN_EID_SSID, NULL, 0);
	if (ret < 0)
		return ret;
	off += (size_t)ret;
	if (b->rates.n == 0)
		mesh_rates_default_2ghz(&rates);
	ret = mesh_rates_write(out + off, cap - off, &rates, false);
	if (ret < 0)
		return ret;
	off += (size_t)ret;
	if (b->channel != 0) {
		ret = mesh_ds_write(out + off, cap - off, b->channel);
		if (ret < 0)
			return ret;
		off += (size_t)ret;
	}
	ret = mesh_rates_write(out + off, cap - off, &rates, true);
	if (ret < 0)
		return ret;
	off += (size_t)ret;
	ret = ie_write(out + off, cap - off, WLAN_EID_MESH_ID, b->mesh_id.id, b->mesh_id.len);
	if (ret < 0)
		return ret;
	off += (size_t)ret;
	ret = mesh_config_encode(out + off, cap - off, &b->mesh_config);
	if (ret < 0)
		return ret;
	off += (size_t)ret;
	if (extra_len > cap - off)
		return CODEC_ERR_NO_SPACE;
	if (extra_len > 0)
		memcpy(out + off, extra_ies, extra_len);
	return (int)(off + extra_len);
}
