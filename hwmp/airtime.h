/* The airtime link metric of 802.11-2012 §13.9: ca = (O + Bt / r) / (1 - ef), in units of 0.01 TU.
 *
 * O is the channel access overhead of the PHY (Table 13-5): 75 µs for OFDM PHYs (802.11a/g/n/ac, what
 * mesh radios use) and 335 µs for DSSS/HR-DSSS (802.11b). Bt is the 8192-bit test frame. We use the
 * standard's units rather than Linux's (8-bit fixed point with O = 1, about 10x larger) so that metrics
 * in PREQ/PREP mean the same thing to every standard implementation on the mesh. */
#ifndef MESHPLANE_HWMP_AIRTIME_H
#define MESHPLANE_HWMP_AIRTIME_H

#include <stdint.h>

#define AIRTIME_OVERHEAD_OFDM_US 75
#define AIRTIME_OVERHEAD_DSSS_US 335
#define AIRTIME_TEST_FRAME_BITS 8192
#define AIRTIME_ERR_PPM_ONE 1000000u

/* Airtime cost in 0.01 TU for a link at rate_100kbps (54 Mb/s = 540) with frame error rate err_ppm
 * (parts per million) and PHY overhead overhead_us; rounded to nearest; 0xFFFFFFFF when the rate is 0,
 * the error rate is 100 % or the value does not fit. Never 0 (a link always costs something). */
uint32_t airtime_metric(uint32_t rate_100kbps, uint32_t err_ppm, uint32_t overhead_us);

/* Adds two metrics, saturating at 0xFFFFFFFF. */
static inline uint32_t metric_add(uint32_t a, uint32_t b)
{
	uint32_t s = a + b;
	return s < a ? 0xFFFFFFFFu : s;
}

#endif
