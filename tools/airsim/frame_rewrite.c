#include "frame_rewrite.h"

#include <string.h>

#include "codec.h"

int frame_check(const uint8_t *frame, size_t len, struct radiotap_info *info)
{
	int ret = radiotap_parse(frame, len, info);

	if (ret < 0)
		return ret;
	if (len - info->header_len < FRAME_MIN_80211_LEN)
		return CODEC_ERR_TRUNCATED;
	return CODEC_OK;
}

int frame_rewrite_radiotap(const uint8_t *frame, size_t len, const struct radiotap_info *info,
			   uint8_t rate_500kbps, uint8_t *out, size_t cap)
{
	size_t body;
	int hdr;

	if (info->header_len > len)
		return CODEC_ERR_TRUNCATED;
	body = len - info->header_len;
	/* Keep the sender's Flags: FCS-at-end (0x10) and data padding (0x20) describe the 802.11 bytes
	 * we copy unchanged, so dropping them would make receivers misparse the frame. */
	hdr = radiotap_build(out, cap, rate_500kbps, info->has_flags ? info->flags : 0);
	if (hdr < 0)
		return hdr;
	if (cap - (size_t)hdr < body)
		return CODEC_ERR_NO_SPACE;
	memcpy(out + hdr, frame + info->header_len, body);
	return (int)((size_t)hdr + body);
}
