/* Beacon loss of one link, from the beacons heard on it: which of the sender's beacons were missed, and
 * the exponentially weighted loss estimate the airtime metric takes as its frame error rate.
 *
 * A missed beacon is one the sender sent and we did not hear. Two clocks tell how many there were
 * between two beacons heard: the sender's Timestamp fields (or, where those are implausible, our own
 * receive times) give the beacon intervals that passed; the 802.11 sequence numbers give the frames the
 * sender sent. A sender that was silent (a stalled process, a radio that could not transmit) sent
 * nothing: its link lost nothing, and the sequence numbers show it. A sender whose beacons share their
 * counter with its other management frames (802.11 allows one counter for all of them) makes the
 * sequence gap larger than the beacons sent, never smaller, so the smaller of the two estimates is the
 * one that holds; a sender whose beacons all carry one sequence number tells nothing by it, and the
 * intervals alone count. */
#ifndef MESHPLANE_HWMP_LINK_LOSS_H
#define MESHPLANE_HWMP_LINK_LOSS_H

#include <stdint.h>

/* What the loss estimate keeps of one beacon heard. */
struct beacon_mark {
	uint64_t ts_us;     /* its Timestamp field: the sender's clock */
	uint64_t heard_ms;  /* when we received it: our clock */
	uint16_t seq;       /* its 802.11 sequence number (Sequence Control >> 4), 0..4095 */
};

/* Beacons of a sender with interval_tu missed between prev and cur (consecutive beacons heard on one
 * link): the intervals that passed, counted from 1.75 intervals so that a late beacon of a busy sender
 * is not a loss, read on the sender's clock where it advanced by less than 64 intervals, on ours
 * otherwise; no more than the sequence numbers say were sent between them, where they differ; at most
 * 63; 0 when interval_tu is 0. */
unsigned link_loss_missed(const struct beacon_mark *prev, const struct beacon_mark *cur, uint16_t interval_tu);

/* The loss estimate loss_ppm (parts per million) after missed beacons lost and one heard: each moves it
 * 1/32 of the way to 100 % or to 0. */
uint32_t link_loss_account(uint32_t loss_ppm, unsigned missed);

#endif
