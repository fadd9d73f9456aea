/* Beacon loss: missed beacons from the sender's clock and its sequence numbers, the weighted estimate. */
#include <check.h>

#include "airtime.h"
#include "link_loss.h"
#include "suites.h"

#define TU100_US 102400u /* a 100 TU beacon interval */

/* The beacon sent `intervals` intervals after one at t = 1 s, with sequence number seq, heard on time. */
static struct beacon_mark after(double intervals, uint16_t seq)
{
	uint64_t ts = 1000000 + (uint64_t)(intervals * TU100_US);

	return (struct beacon_mark){.ts_us = ts, .heard_ms = 5000 + ts / 1000, .seq = seq};
}

START_TEST(test_missed_from_intervals_and_seq)
{
	struct beacon_mark prev = after(0, 100);

	ck_assert_uint_eq(link_loss_missed(&prev, &((struct beacon_mark){0}), 0), 0); /* no interval */
	ck_assert_uint_eq(link_loss_missed(&prev, &(struct beacon_mark){after(1, 101).ts_us, 0, 101}, 100), 0);
	/* One lost: two intervals on the sender's clock, two sequence numbers on. */
	struct beacon_mark two = after(2, 102);
	ck_assert_uint_eq(link_loss_missed(&prev, &two, 100), 1);
	/* A late beacon is no loss until 1.75 intervals. */
	struct beacon_mark late = after(1.74, 102), later = after(1.76, 102);
	ck_assert_uint_eq(link_loss_missed(&prev, &late, 100), 0);
	ck_assert_uint_eq(link_loss_missed(&prev, &later, 100), 1);
	/* A sender stopped for 300 ms: four intervals passed, but it sent nothing in between. */
	struct beacon_mark silent = after(4, 101);
	ck_assert_uint_eq(link_loss_missed(&prev, &silent, 100), 0);
	/* Three lost and one silence in ten intervals: the sequence numbers hold it to three. */
	struct beacon_mark some = after(10, 104);
	ck_assert_uint_eq(link_loss_missed(&prev, &some, 100), 3);
}
END_TEST

START_TEST(test_seq_never_raises_the_count)
{
	struct beacon_mark prev = after(0, 4000);

	/* One counter for all its management frames: five frames an interval, none lost. */
	struct beacon_mark next = after(1, 4005), skip = after(3, 4015);
	ck_assert_uint_eq(link_loss_missed(&prev, &next, 100), 0);
	ck_assert_uint_eq(link_loss_missed(&prev, &skip, 100), 2);
	/* Beacons that all carry one number: the intervals count. */
	struct beacon_mark same = after(3, 4000);
	ck_assert_uint_eq(link_loss_missed(&prev, &same, 100), 2);
	/* The counter wraps at 4096. */
	struct beacon_mark wrap0 = after(0, 4095), wrap = after(3, 1);
	ck_assert_uint_eq(link_loss_missed(&wrap0, &wrap, 100), 1);
}
END_TEST

START_TEST(test_missed_on_our_clock_when_the_sender_jumps)
{
	struct beacon_mark prev = after(0, 7);
	/* The sender restarted (its clock went back): our receive times, 3 intervals apart, count. */
	struct beacon_mark back = {.ts_us = 10, .heard_ms = prev.heard_ms + 307, .seq = 0};
	ck_assert_uint_eq(link_loss_missed(&prev, &back, 100), 2);
	/* A jump of 64 intervals or more on its clock is not believed either; at most 63 are missed. */
	struct beacon_mark jump = {.ts_us = prev.ts_us + 64ull * TU100_US, .heard_ms = prev.heard_ms + 205, .seq = 0};
	ck_assert_uint_eq(link_loss_missed(&prev, &jump, 100), 1);
	struct beacon_mark long_ago = {.ts_us = 0, .heard_ms = prev.heard_ms + 100000, .seq = 7};
	ck_assert_uint_eq(link_loss_missed(&prev, &long_ago, 100), 63);
}
END_TEST

START_TEST(test_account_weights)
{
	ck_assert_uint_eq(link_loss_account(0, 0), 0);
	ck_assert_uint_eq(link_loss_account(0, 4), 115534); /* four lost, one heard, 1/32 each */
	ck_assert_uint_eq(link_loss_account(500000, 0), 484375);
	ck_assert_uint_eq(link_loss_account(AIRTIME_ERR_PPM_ONE + 5, 0), AIRTIME_ERR_PPM_ONE - AIRTIME_ERR_PPM_ONE / 32);
	ck_assert_uint_lt(link_loss_account(0, 1000), AIRTIME_ERR_PPM_ONE);
}
END_TEST

Suite *link_loss_suite(void)
{
	Suite *s = suite_create("hwmp_link_loss");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_missed_from_intervals_and_seq);
	tcase_add_test(tc, test_seq_never_raises_the_count);
	tcase_add_test(tc, test_missed_on_our_clock_when_the_sender_jumps);
	tcase_add_test(tc, test_account_weights);
	suite_add_tcase(s, tc);
	return s;
}
