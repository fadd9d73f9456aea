#include "radiotap.h"

#include <string.h>

#include "codec.h"

#define RADIOTAP_FIXED_LEN 8

/* Alignment and size of the default-namespace fields up to the antenna signal, in bit order. */
static const struct {
	uint8_t align;
	uint8_t size;
} field_layout[] = {
	[RADIOTAP_TSFT] = {8, 8},
	[RADIOTAP_FLAGS] = {1, 1},
	[RADIOTAP_RATE] = {1, 1},
	[RADIOTAP_CHANNEL] = {2, 4},
	[RADIOTAP_FHSS] = {1, 2},
	[RADIOTAP_DBM_ANTSIGNAL] = {1, 1},
};

int radiotap_parse(const uint8_t *buf, size_t len, struct radiotap_info *info)
{
	size_t off = RADIOTAP_FIXED_LEN;
	uint32_t present, word;
	uint16_t it_len;

	if (len < RADIOTAP_FIXED_LEN)
		return CODEC_ERR_TRUNCATED;
	if (buf[0] != 0)
		return CODEC_ERR_BAD_VERSION;
	it_len = get_le16(buf + 2);
	if (it_len < RADIOTAP_FIXED_LEN)
		return CODEC_ERR_BAD_HEADER_LEN;
	if (it_len > len)
		return CODEC_ERR_TRUNCATED;

	present = get_le32(buf + 4);
	/* Extended presence bitmaps follow the first one; our fields are all in the first. */
	word = present;
	while (word & (1u << RADIOTAP_EXT)) {
		if (off + 4 > it_len)
			return CODEC_ERR_BAD_HEADER_LEN;
		word = get_le32(buf + off);
		off += 4;
	}

	memset(info, 0, sizeof(*info));
	info->header_len = it_len;
	for (unsigned bit = 0; bit <= RADIOTAP_DBM_ANTSIGNAL; bit++) {
		if (!(present & (1u << bit)))
			continue;
		off = (off + field_layout[bit].align - 1) & ~(size_t)(field_layout[bit].align - 1);
		if (off + field_layout[bit].size > it_len)
			return CODEC_ERR_BAD_HEADER_LEN;
		if (bit == RADIOTAP_FLAGS) {
			info->has_flags = true;
			info->flags = buf[off];
			info->flags_off = (uint16_t)off;
		} else if (bit == RADIOTAP_RATE) {
			info->has_rate = true;
			info->rate_500kbps = buf[off];
		} else if (bit == RADIOTAP_DBM_ANTSIGNAL) {
			info->has_signal = true;
			info->signal_dbm = (int8_t)buf[off];
		}
		off += field_layout[bit].size;
	}
	return CODEC_OK;
}

