/* The airtime link metric of 802.11-2012 §13.9: ca = (O + Bt / r) / (1 - ef), in units of 0.01 TU.
 *
 * O is the channel access overhead of the PHY (Table 13-5): 75 µs for OFDM PHYs (802.11a/g/n/ac, what
 * mesh radios use) and 335 µs for DSSS/HR-DSSS (802.11b). Bt is the 8192-bit test frame. Nodes choose
 * between these units and Linux's (airtime_metric_mac80211) with mesh.airtime_units. */
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

/* The same link as Linux mac80211 rates it (mesh_hwmp.c airtime_link_metric_get): 8-bit fixed point,
 * O = 1, about 10x the standard's numbers (152 at 54 Mb/s without loss). A mesh that mixes Linux and
 * meshplane nodes sums both nodes' link metrics along a path, so using Linux's scale keeps those sums
 * comparable. 0xFFFFFFFF at 100 % loss or rate 0. */
uint32_t airtime_metric_mac80211(uint32_t rate_100kbps, uint32_t err_ppm);

/* Adds two metrics, saturating at 0xFFFFFFFF. */
static inline uint32_t metric_add(uint32_t a, uint32_t b)
{
	uint32_t s = a + b;
	return s < a ? 0xFFFFFFFFu : s;
}

#endif
