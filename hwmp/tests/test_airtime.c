/* Airtime metric against hand-computed values, SN comparison with wrap, saturation, unit conversion. */
#include <check.h>

#include "airtime.h"
#include "hwmp.h"
#include "sn.h"
#include "suites.h"

/* ca = (O + 8192/r) / (1 - ef) / 10.24 µs, rounded:
 *   OFDM 54 Mb/s: (75 + 151.704) / 10.24 = 22.14 -> 22;  6 Mb/s: (75 + 1365.333) / 10.24 = 140.66 -> 141
 *   DSSS 11 Mb/s: (335 + 744.727) / 10.24 = 105.44 -> 105; 1 Mb/s: (335 + 8192) / 10.24 = 832.71 -> 833
 *   54 Mb/s, ef 10 %: 226.704 / 0.9 / 10.24 = 24.60 -> 25;  6 Mb/s, ef 50 %: 2880.667 / 10.24 = 281.32 -> 281 */
START_TEST(test_airtime_hand_values)
{
	ck_assert_uint_eq(airtime_metric(540, 0, AIRTIME_OVERHEAD_OFDM_US), 22);
	ck_assert_uint_eq(airtime_metric(60, 0, AIRTIME_OVERHEAD_OFDM_US), 141);
	ck_assert_uint_eq(airtime_metric(110, 0, AIRTIME_OVERHEAD_DSSS_US), 105);
	ck_assert_uint_eq(airtime_metric(10, 0, AIRTIME_OVERHEAD_DSSS_US), 833);
	ck_assert_uint_eq(airtime_metric(540, 100000, AIRTIME_OVERHEAD_OFDM_US), 25);
	ck_assert_uint_eq(airtime_metric(60, 500000, AIRTIME_OVERHEAD_OFDM_US), 281);
	/* 1440.333 µs / 1e-6 / 10.24 = 140657552.08 */
	ck_assert_uint_eq(airtime_metric(60, 999999, AIRTIME_OVERHEAD_OFDM_US), 140657552u);
}
END_TEST

/* Linux: tx = 256 + 20971520 / r; retx = 65536 / (256 - err); (tx * retx) >> 16:
 *   54 Mb/s: tx 39092, retx 256 -> 152;  6 Mb/s: tx 349781 -> 1366;  1 Mb/s: tx 2097408 -> 8193
 *   54 Mb/s, 10 %: err 25, retx 283 -> 168;  6 Mb/s, 50 %: err 128, retx 512 -> 2732 */
START_TEST(test_airtime_mac80211_hand_values)
{
	ck_assert_uint_eq(airtime_metric_mac80211(540, 0), 152);
	ck_assert_uint_eq(airtime_metric_mac80211(60, 0), 1366);
	ck_assert_uint_eq(airtime_metric_mac80211(10, 0), 8193);
	ck_assert_uint_eq(airtime_metric_mac80211(540, 100000), 168);
	ck_assert_uint_eq(airtime_metric_mac80211(60, 500000), 2732);
	ck_assert_uint_eq(airtime_metric_mac80211(0, 0), 0xFFFFFFFFu);
	ck_assert_uint_eq(airtime_metric_mac80211(540, 1000000), 0xFFFFFFFFu);
}
END_TEST

START_TEST(test_airtime_saturates)
{
	ck_assert_uint_eq(airtime_metric(0, 0, 75), 0xFFFFFFFFu);
	ck_assert_uint_eq(airtime_metric(540, 1000000, 75), 0xFFFFFFFFu);
	ck_assert_uint_eq(airtime_metric(1, 999999, 0xFFFFFFFFu), 0xFFFFFFFFu);
	/* Never 0, even for an absurdly fast link without overhead. */
	ck_assert_uint_eq(airtime_metric(0xFFFFFFFFu, 0, 0), 1);
	ck_assert_uint_eq(metric_add(0xFFFFFFF0u, 100), 0xFFFFFFFFu);
	ck_assert_uint_eq(metric_add(100, 200), 300);
}
END_TEST

START_TEST(test_sn_wrap)
{
	ck_assert(sn_gt(5, 0xFFFFFFF0u));
	ck_assert(!sn_gt(0xFFFFFFF0u, 5));
	ck_assert(sn_gt(1, 0));
	ck_assert(!sn_gt(7, 7));
	ck_assert(sn_ge(7, 7));
	ck_assert(sn_gt(0x80000000u + 10, 11));
	ck_assert(!sn_gt(0x80000000u + 12, 11));
}
END_TEST

START_TEST(test_tu_conversion)
{
	ck_assert_uint_eq(hwmp_tu_to_ms(100), 102);
	ck_assert_uint_eq(hwmp_tu_to_ms(5000), 5120);
	ck_assert_uint_eq(hwmp_ms_to_tu(5000), 4883);
	ck_assert_uint_eq(hwmp_tu_to_ms(0xFFFFFFFFu), 0xFFFFFFFFu);
}
END_TEST

START_TEST(test_params_from_config)
{
	struct hwmp_params p;

	hwmp_params_default(&p, 100);
	ck_assert_uint_eq(p.element_ttl, 31);
	ck_assert_uint_eq(p.max_preq_retries, 4);
	ck_assert_uint_eq(p.perr_min_interval_ms, 102);
	ck_assert_uint_eq(p.rann_interval_ms, 5120);
	ck_assert_uint_eq(p.path_to_root_timeout_ms, 6144);
	ck_assert_uint_eq(p.preq_min_interval_ms, 10);
	ck_assert_uint_eq(p.max_paths, 100);
	ck_assert(p.target_only);
}
END_TEST

Suite *airtime_suite(void)
{
	Suite *s = suite_create("hwmp_airtime");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_airtime_hand_values);
	tcase_add_test(tc, test_airtime_mac80211_hand_values);
	tcase_add_test(tc, test_airtime_saturates);
	tcase_add_test(tc, test_sn_wrap);
	tcase_add_test(tc, test_tu_conversion);
	tcase_add_test(tc, test_params_from_config);
	suite_add_tcase(s, tc);
	return s;
}
