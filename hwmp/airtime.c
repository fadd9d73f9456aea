#include "airtime.h"

uint32_t airtime_metric(uint32_t rate_100kbps, uint32_t err_ppm, uint32_t overhead_us)
{
	/* Work in µs scaled by rate (100 kb/s units) and by (1 - ef) in ppm to stay exact in integers:
	 *   t_us = O + 8192 / (r100k / 10) = (O * r100k + 81920) / r100k
	 *   ca   = t_us / (1 - ef) / 10.24 = (O * r100k + 81920) * 1e6 * 100 / (r100k * (1e6 - ppm) * 1024) */
	unsigned __int128 num, den, ca;

	if (rate_100kbps == 0 || err_ppm >= AIRTIME_ERR_PPM_ONE)
		return 0xFFFFFFFFu;
	num = ((unsigned __int128)overhead_us * rate_100kbps + (unsigned __int128)AIRTIME_TEST_FRAME_BITS * 10) *
	      AIRTIME_ERR_PPM_ONE * 100;
	den = (unsigned __int128)rate_100kbps * (AIRTIME_ERR_PPM_ONE - err_ppm) * 1024;
	ca = (num + den / 2) / den;
	if (ca > 0xFFFFFFFFu)
		return 0xFFFFFFFFu;
	return ca == 0 ? 1 : (uint32_t)ca;
}

uint32_t airtime_metric_mac80211(uint32_t rate_100kbps, uint32_t err_ppm)
{
	/* Linux: err = fail_avg (percent) << 8 / 100; tx_time = 256 + 10 * (8192 << 8) / rate;
	 * retx = (1 << 16) / (256 - err); metric = tx_time * retx >> 16 (every division truncating). */
	uint64_t err = (uint64_t)err_ppm * 256 / AIRTIME_ERR_PPM_ONE;
	uint64_t tx_time, retx;

	if (rate_100kbps == 0 || err >= 256)
		return 0xFFFFFFFFu;
	tx_time = 256 + 10ull * (AIRTIME_TEST_FRAME_BITS << 8) / rate_100kbps;
	retx = (1ull << 16) / (256 - err);
	return (uint32_t)((tx_time * retx) >> 16);
}
