/* Radiotap handling of a relayed frame: validate what a node sent, and swap its radiotap header for
 * the receiving link's (rate of the link, flags of the sender) while keeping the 802.11 bytes. */
#ifndef AIRSIM_FRAME_REWRITE_H
#define AIRSIM_FRAME_REWRITE_H

#include <stddef.h>
#include <stdint.h>

#include "radiotap.h"

/* Shortest 802.11 frame (CTS/ACK: frame control, duration, RA); anything shorter is not a frame. */
#define FRAME_MIN_80211_LEN 10

/* Checks frame is radiotap + >= FRAME_MIN_80211_LEN bytes of 802.11; fills info; 0 or a codec_status. */
int frame_check(const uint8_t *frame, size_t len, struct radiotap_info *info);

/* Writes a fresh radiotap header (rate_500kbps, the checked header's Flags or 0) and the 802.11 bytes
 * of frame unchanged into out; returns the new length or a codec_status < 0. */
int frame_rewrite_radiotap(const uint8_t *frame, size_t len, const struct radiotap_info *info,
			   uint8_t rate_500kbps, uint8_t *out, size_t cap);

#endif
