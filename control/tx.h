/* Frames the control thread originates (beacons, HWMP action frames): built here, sent by worker 0. */
#ifndef MESHPLANE_CONTROL_TX_H
#define MESHPLANE_CONTROL_TX_H

#include <stddef.h>
#include <stdint.h>

/* Sends an 802.11 frame on mesh port index port, behind a radiotap header when the port wants one.
 * 0, or -1 (counted) when no mbuf or the tx ring is full. */
int control_tx_80211(unsigned port, const uint8_t *frame, size_t len);

struct mac_addr;

/* Sends payload (at most CONTROL_TX_PAYLOAD_MAX bytes) as unicast mesh data between two mesh nodes,
 * ours and dest, through next_hop on port: AE none, A4 = us, LLC/SNAP with ethertype, mesh TTL ttl.
 * 0, or -1 (counted when the ring or pool failed). */
int control_tx_mesh_data(unsigned port, const struct mac_addr *next_hop, const struct mac_addr *dest, uint8_t ttl,
			 uint16_t ethertype, const uint8_t *payload, size_t len);

#define CONTROL_TX_PAYLOAD_MAX 1400

#endif
