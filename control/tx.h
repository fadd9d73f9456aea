/* Frames the control thread originates (beacons, HWMP action frames): built here, sent by worker 0. */
#ifndef MESHPLANE_CONTROL_TX_H
#define MESHPLANE_CONTROL_TX_H

#include <stddef.h>
#include <stdint.h>

/* Sends an 802.11 frame on mesh port index port, behind a radiotap header when the port wants one.
 * 0, or -1 (counted) when no mbuf or the tx ring is full. */
int control_tx_80211(unsigned port, const uint8_t *frame, size_t len);

#endif
