#include "hwmp_elements.h"

#include <string.h>

#include "codec.h"
#include "mgmt.h"

/* A length check shared by the fixed-size elements: short is truncated, long is malformed. */
static int check_exact_len(size_t len, size_t expected)
{
	if (len < expected)
		return CODEC_ERR_TRUNCATED;
	if (len > expected)
		return CODEC_ERR_BAD_LENGTH;
	return CODEC_OK;
}

/* Reserves room for an element header and returns where its body starts, or NULL. */
static uint8_t *element_begin(uint8_t *out, size_t cap, uint8_t id, size_t body_len)
{
	if (body_len > 255 || cap < 2 + body_len)
		return NULL;
	out[0] = id;
	out[1] = (uint8_t)body_len;
	return out + 2;
}

static int element_error(size_t body_len)
{
	return body_len > 255 ? CODEC_ERR_TOO_LONG : CODEC_ERR_NO_SPACE;
}

int hwmp_preq_decode(const uint8_t *body, size_t len, struct hwmp_preq *out)
{
	size_t off, ae_len;
	uint8_t count;
	int ret;

	if (len < 1)
		return CODEC_ERR_TRUNCATED;
	ae_len = (body[0] & HWMP_F_AE) ? MAC_LEN : 0;
	if (len < HWMP_PREQ_BASE_LEN + ae_len)
		return CODEC_ERR_TRUNCATED;
	count = body[HWMP_PREQ_BASE_LEN + ae_len - 1];
	if (count == 0 || count > HWMP_MAX_TARGETS)
		return CODEC_ERR_BAD_COUNT;
	ret = check_exact_len(len, HWMP_PREQ_BASE_LEN + ae_len + (size_t)count * HWMP_PREQ_TARGET_LEN);
	if (ret < 0)
		return ret;

	memset(out, 0, sizeof(*out));
	out->flags = body[0];
	out->hop_count = body[1];
	out->ttl = body[2];
	out->discovery_id = get_le32(body + 3);
	mac_read(&out->orig, body + 7);
	out->orig_sn = get_le32(body + 13);
	off = 17;
	if (ae_len) {
		mac_read(&out->orig_ext, body + off);
		off += MAC_LEN;
	}
	out->lifetime_tu = get_le32(body + off);
	out->metric = get_le32(body + off + 4);
	out->target_count = count;
	off += 9;
	for (unsigned i = 0; i < count; i++, off += HWMP_PREQ_TARGET_LEN) {
		out->targets[i].flags = body[off];
		mac_read(&out->targets[i].addr, body + off + 1);
		out->targets[i].sn = get_le32(body + off + 7);
	}
	return CODEC_OK;
}

int hwmp_preq_encode(uint8_t *out, size_t cap, const struct hwmp_preq *preq)
{
	size_t ae_len = (preq->flags & HWMP_F_AE) ? MAC_LEN : 0;
	size_t body_len, off;
	uint8_t *b;

	if (preq->target_count == 0 || preq->target_count > HWMP_MAX_TARGETS)
		return CODEC_ERR_BAD_COUNT;
	body_len = HWMP_PREQ_BASE_LEN + ae_len + (size_t)preq->target_count * HWMP_PREQ_TARGET_LEN;
	b = element_begin(out, cap, WLAN_EID_PREQ, body_len);
	if (b == NULL)
		return element_error(body_len);
	b[0] = preq->flags;
	b[1] = preq->hop_count;
	b[2] = preq->ttl;
	put_le32(b + 3, preq->discovery_id);
	mac_write(b + 7, &preq->orig);
	put_le32(b + 13, preq->orig_sn);
	off = 17;
	if (ae_len) {
		mac_write(b + off, &preq->orig_ext);
		off += MAC_LEN;
	}
	put_le32(b + off, preq->lifetime_tu);
	put_le32(b + off + 4, preq->metric);
	b[off + 8] = preq->target_count;
	off += 9;
	for (unsigned i = 0; i < preq->target_count; i++, off += HWMP_PREQ_TARGET_LEN) {
		b[off] = preq->targets[i].flags;
		mac_write(b + off + 1, &preq->targets[i].addr);
		put_le32(b + off + 7, preq->targets[i].sn);
	}
	return (int)(2 + body_len);
}

int hwmp_prep_decode(const uint8_t *body, size_t len, struct hwmp_prep *out)
{
	size_t ae_len, off;
	int ret;

	if (len < 1)
		return CODEC_ERR_TRUNCATED;
	ae_len = (body[0] & HWMP_F_AE) ? MAC_LEN : 0;
	ret = check_exact_len(len, HWMP_PREP_LEN + ae_len);
	if (ret < 0)
		return ret;
	memset(out, 0, sizeof(*out));
	out->flags = body[0];
	out->hop_count = body[1];
	out->ttl = body[2];
	mac_read(&out->target, body + 3);
	out->target_sn = get_le32(body + 9);
	off = 13;
	if (ae_len) {
		mac_read(&out->target_ext, body + off);
		off += MAC_LEN;
	}
	out->lifetime_tu = get_le32(body + off);
	out->metric = get_le32(body + off + 4);
	mac_read(&out->orig, body + off + 8);
	out->orig_sn = get_le32(body + off + 14);
	return CODEC_OK;
}

int hwmp_prep_encode(uint8_t *out, size_t cap, const struct hwmp_prep *prep)
{
	size_t ae_len = (prep->flags & HWMP_F_AE) ? MAC_LEN : 0;
	size_t body_len = HWMP_PREP_LEN + ae_len, off;
	uint8_t *b = element_begin(out, cap, WLAN_EID_PREP, body_len);

	if (b == NULL)
		return element_error(body_len);
	b[0] = prep->flags;
	b[1] = prep->hop_count;
	b[2] = prep->ttl;
	mac_write(b + 3, &prep->target);
	put_le32(b + 9, prep->target_sn);
	off = 13;
	if (ae_len) {
		mac_write(b + off, &prep->target_ext);
		off += MAC_LEN;
	}
	put_le32(b + off, prep->lifetime_tu);
	put_le32(b + off + 4, prep->metric);
	mac_write(b + off + 8, &prep->orig);
	put_le32(b + off + 14, prep->orig_sn);
	return (int)(2 + body_len);
}

static size_t perr_dest_len(uint8_t flags)
{
	return HWMP_PERR_DEST_LEN + ((flags & HWMP_F_AE) ? MAC_LEN : 0);
}

int hwmp_perr_decode(const uint8_t *body, size_t len, struct hwmp_perr *out)
{
	size_t off = HWMP_PERR_BASE_LEN;
	uint8_t count;

	if (len < HWMP_PERR_BASE_LEN)
		return CODEC_ERR_TRUNCATED;
	count = body[1];
	if (count == 0 || count > HWMP_MAX_PERR_DESTS)
		return CODEC_ERR_BAD_COUNT;
	memset(out, 0, sizeof(*out));
	out->ttl = body[0];
	out->dest_count = count;
	for (unsigned i = 0; i < count; i++) {
		struct hwmp_perr_dest *d = &out->dests[i];
		size_t dlen;

		if (off >= len)
			return CODEC_ERR_TRUNCATED;
		dlen = perr_dest_len(body[off]);
		if (len - off < dlen)
			return CODEC_ERR_TRUNCATED;
		d->flags = body[off];
		mac_read(&d->addr, body + off + 1);
		d->sn = get_le32(body + off + 7);
		off += 11;
		if (d->flags & HWMP_F_AE) {
			mac_read(&d->ext, body + off);
			off += MAC_LEN;
		}
		d->reason = get_le16(body + off);
		off += 2;
	}
	return off == len ? CODEC_OK : CODEC_ERR_BAD_LENGTH;
}

int hwmp_perr_encode(uint8_t *out, size_t cap, const struct hwmp_perr *perr)
{
	size_t body_len = HWMP_PERR_BASE_LEN, off = HWMP_PERR_BASE_LEN;
	uint8_t *b;

	if (perr->dest_count == 0 || perr->dest_count > HWMP_MAX_PERR_DESTS)
		return CODEC_ERR_BAD_COUNT;
	for (unsigned i = 0; i < perr->dest_count; i++)
		body_len += perr_dest_len(perr->dests[i].flags);
	b = element_begin(out, cap, WLAN_EID_PERR, body_len);
	if (b == NULL)
		return element_error(body_len);
	b[0] = perr->ttl;
	b[1] = perr->dest_count;
	for (unsigned i = 0; i < perr->dest_count; i++) {
		const struct hwmp_perr_dest *d = &perr->dests[i];

		b[off] = d->flags;
		mac_write(b + off + 1, &d->addr);
		put_le32(b + off + 7, d->sn);
		off += 11;
		if (d->flags & HWMP_F_AE) {
			mac_write(b + off, &d->ext);
			off += MAC_LEN;
		}
		put_le16(b + off, d->reason);
		off += 2;
	}
	return (int)(2 + body_len);
}

int hwmp_rann_decode(const uint8_t *body, size_t len, struct hwmp_rann *out)
{
	int ret = check_exact_len(len, HWMP_RANN_LEN);

	if (ret < 0)
		return ret;
	memset(out, 0, sizeof(*out));
	out->flags = body[0];
	out->hop_count = body[1];
	out->ttl = body[2];
	mac_read(&out->root, body + 3);
	out->root_sn = get_le32(body + 9);
	out->interval_tu = get_le32(body + 13);
	out->metric = get_le32(body + 17);
	return CODEC_OK;
}

int hwmp_rann_encode(uint8_t *out, size_t cap, const struct hwmp_rann *rann)
{
	uint8_t *b = element_begin(out, cap, WLAN_EID_RANN, HWMP_RANN_LEN);

	if (b == NULL)
		return CODEC_ERR_NO_SPACE;
	b[0] = rann->flags;
	b[1] = rann->hop_count;
	b[2] = rann->ttl;
	mac_write(b + 3, &rann->root);
	put_le32(b + 9, rann->root_sn);
	put_le32(b + 13, rann->interval_tu);
	put_le32(b + 17, rann->metric);
	return 2 + HWMP_RANN_LEN;
}

int hwmp_gann_decode(const uint8_t *body, size_t len, struct hwmp_gann *out)
{
	int ret = check_exact_len(len, HWMP_GANN_LEN);

	if (ret < 0)
		return ret;
	memset(out, 0, sizeof(*out));
	out->flags = body[0];
	out->hop_count = body[1];
	out->ttl = body[2];
	mac_read(&out->gate, body + 3);
	out->gann_sn = get_le32(body + 9);
	out->interval_tu = get_le16(body + 13);
	return CODEC_OK;
}

int hwmp_gann_encode(uint8_t *out, size_t cap, const struct hwmp_gann *gann)
{
	uint8_t *b = element_begin(out, cap, WLAN_EID_GANN, HWMP_GANN_LEN);

	if (b == NULL)
		return CODEC_ERR_NO_SPACE;
	b[0] = gann->flags;
	b[1] = gann->hop_count;
	b[2] = gann->ttl;
	mac_write(b + 3, &gann->gate);
	put_le32(b + 9, gann->gann_sn);
	put_le16(b + 13, gann->interval_tu);
	return 2 + HWMP_GANN_LEN;
}
