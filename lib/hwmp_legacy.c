#include "hwmp_legacy.h"

#include <string.h>

#include "codec.h"
#include "hwmp_elements.h"
#include "mgmt.h"

#define LINUX_PREQ_LEN (HWMP_PREQ_BASE_LEN + HWMP_PREQ_TARGET_LEN)
#define LINUX_PERR_LEN (HWMP_PERR_BASE_LEN + HWMP_PERR_DEST_LEN)

int hwmp_is_legacy_form(const uint8_t *element, size_t len)
{
	if (len < 2)
		return 0;
	switch (element[0]) {
	case WLAN_EID_PREQ:
		return element[1] == LINUX_PREQ_LEN;
	case WLAN_EID_PREP:
		return element[1] == HWMP_PREP_LEN;
	case WLAN_EID_PERR:
		return element[1] == LINUX_PERR_LEN;
	default:
		return 1;
	}
}

static int emit_encoded(int len, const uint8_t *buf, hwmp_legacy_emit emit, void *ctx)
{
	if (len < 0)
		return len;
	emit(ctx, buf, (size_t)len);
	return 1;
}

static int preq_forms(const uint8_t *body, size_t len, hwmp_legacy_emit emit, void *ctx)
{
	struct hwmp_preq in, out;
	uint8_t buf[2 + LINUX_PREQ_LEN];
	int ret = hwmp_preq_decode(body, len, &in);

	if (ret < 0)
		return ret;
	out = in;
	out.flags &= (uint8_t)~HWMP_F_AE;
	memset(&out.orig_ext, 0, sizeof(out.orig_ext));
	out.target_count = 1;
	for (unsigned i = 0; i < in.target_count; i++) {
		out.targets[0] = in.targets[i];
		ret = emit_encoded(hwmp_preq_encode(buf, sizeof(buf), &out), buf, emit, ctx);
		if (ret < 0)
			return ret;
	}
	return in.target_count;
}

static int prep_form(const uint8_t *body, size_t len, hwmp_legacy_emit emit, void *ctx)
{
	struct hwmp_prep p;
	uint8_t buf[2 + HWMP_PREP_LEN];
	int ret = hwmp_prep_decode(body, len, &p);

	if (ret < 0)
		return ret;
	if (p.flags & HWMP_F_AE) {
		p.target = p.target_ext;
		p.flags &= (uint8_t)~HWMP_F_AE;
	}
	return emit_encoded(hwmp_prep_encode(buf, sizeof(buf), &p), buf, emit, ctx);
}

static int perr_forms(const uint8_t *body, size_t len, hwmp_legacy_emit emit, void *ctx)
{
	struct hwmp_perr in, out;
	uint8_t buf[2 + LINUX_PERR_LEN];
	int ret = hwmp_perr_decode(body, len, &in);

	if (ret < 0)
		return ret;
	memset(&out, 0, sizeof(out));
	out.ttl = in.ttl;
	out.dest_count = 1;
	for (unsigned i = 0; i < in.dest_count; i++) {
		out.dests[0] = in.dests[i];
		out.dests[0].flags &= (uint8_t)~HWMP_F_AE;
		memset(&out.dests[0].ext, 0, sizeof(out.dests[0].ext));
		ret = emit_encoded(hwmp_perr_encode(buf, sizeof(buf), &out), buf, emit, ctx);
		if (ret < 0)
			return ret;
	}
	return in.dest_count;
}

int hwmp_legacy_forms(const uint8_t *element, size_t len, hwmp_legacy_emit emit, void *ctx)
{
	if (len < 2)
		return CODEC_ERR_TRUNCATED;
	if ((size_t)element[1] + 2 != len)
		return CODEC_ERR_BAD_LENGTH;
	if (hwmp_is_legacy_form(element, len)) {
		emit(ctx, element, len);
		return 1;
	}
	switch (element[0]) {
	case WLAN_EID_PREQ:
		return preq_forms(element + 2, len - 2, emit, ctx);
	case WLAN_EID_PREP:
		return prep_form(element + 2, len - 2, emit, ctx);
	default:
		return perr_forms(element + 2, len - 2, emit, ctx);
	}
}
