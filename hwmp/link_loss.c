#include "link_loss.h"

#include "airtime.h"

/* Loss weight: each beacon moves the estimate 1/32 of the way. At mac80211's 1/8 one missed beacon
 * (a neighbour busy for 100 ms) raised its link's metric by 14 %, enough to move a path between
 * equal routes past the 5 % hysteresis; at 1/32 it takes four in a row, and a lasting loss of half
 * the beacons still shows within about 1.5 s at 10 beacons a second. */
#define LOSS_WEIGHT_SHIFT 5
#define MISSED_MAX 63
#define SEQ_MASK 0xfffu

unsigned link_loss_missed(const struct beacon_mark *prev, const struct beacon_mark *cur, uint16_t interval_tu)
{
	uint64_t interval_us = (uint64_t)interval_tu * 1024, gap_us, intervals;
	unsigned missed, seq_gap;

	if (interval_us == 0)
		return 0;
	/* Our own scheduling delays (a busy control thread that takes two beacons at once) are not
	 * losses: the sender's clock is read where it is plausible. */
	if (cur->ts_us > prev->ts_us && cur->ts_us - prev->ts_us < 64 * interval_us)
		gap_us = cur->ts_us - prev->ts_us;
	else
		gap_us = cur->heard_ms > prev->heard_ms ? (cur->heard_ms - prev->heard_ms) * 1000 : 0;
	intervals = (gap_us + interval_us / 4) / interval_us;
	missed = intervals <= 1 ? 0 : intervals - 1 > MISSED_MAX ? MISSED_MAX : (unsigned)(intervals - 1);
	seq_gap = (unsigned)(cur->seq - prev->seq) & SEQ_MASK;
	if (seq_gap != 0 && seq_gap - 1 < missed)
		missed = seq_gap - 1;
	return missed;
}

uint32_t link_loss_account(uint32_t loss_ppm, unsigned missed)
{
	if (loss_ppm > AIRTIME_ERR_PPM_ONE)
		loss_ppm = AIRTIME_ERR_PPM_ONE;
	for (unsigned i = 0; i < missed && i < MISSED_MAX; i++)
		loss_ppm += (AIRTIME_ERR_PPM_ONE - loss_ppm) >> LOSS_WEIGHT_SHIFT;
	return loss_ppm - (loss_ppm >> LOSS_WEIGHT_SHIFT);
}
