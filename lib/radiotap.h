/* Radiotap header: parse the fields meshplane uses, build a minimal one for transmission. */
#ifndef MESHPLANE_RADIOTAP_H
#define MESHPLANE_RADIOTAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec.h"

/* Radiotap "present" bits of the fields we read or write. */
#define RADIOTAP_TSFT 0
#define RADIOTAP_FLAGS 1
#define RADIOTAP_RATE 2
#define RADIOTAP_CHANNEL 3
#define RADIOTAP_FHSS 4
#define RADIOTAP_DBM_ANTSIGNAL 5
#define RADIOTAP_EXT 31

/* Flags field: the frame ends with a 4-byte FCS. */
#define RADIOTAP_F_FCS 0x10

/* Length of the header radiotap_build writes (version, pad, len, present, flags, rate). */
#define RADIOTAP_TX_LEN 10

struct radiotap_info {
	uint16_t header_len;  /* it_len: bytes to skip to reach the 802.11 frame */
	bool has_flags;
	uint8_t flags;
	uint16_t flags_off;   /* where the Flags field is in the header (valid with has_flags) */
	bool has_rate;
	uint8_t rate_500kbps; /* legacy rate in 500 kb/s units */
	bool has_signal;
	int8_t signal_dbm;
};

/* Parses the radiotap header at buf; fills info (header_len always) or returns a codec_status < 0. */
int radiotap_parse(const uint8_t *buf, size_t len, struct radiotap_info *info);

/* Writes a RADIOTAP_TX_LEN-byte header with Flags and Rate; returns bytes written or CODEC_ERR_NO_SPACE.
 * Inline: every transmitted mesh frame gets one. */
static inline int radiotap_build(uint8_t *out, size_t cap, uint8_t rate_500kbps, uint8_t flags)
{
	if (cap < RADIOTAP_TX_LEN)
		return CODEC_ERR_NO_SPACE;
	out[0] = 0;
	out[1] = 0;
	put_le16(out + 2, RADIOTAP_TX_LEN);
	put_le32(out + 4, 1u << RADIOTAP_FLAGS | 1u << RADIOTAP_RATE);
	out[8] = flags;
	out[9] = rate_500kbps;
	return RADIOTAP_TX_LEN;
}

#endif
