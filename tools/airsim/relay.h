/* One frame on the air: check it, then hand a rewritten copy to every node the medium lets hear it.
 * I/O goes through callbacks, so the whole relay step runs in unit tests without sockets. */
#ifndef AIRSIM_RELAY_H
#define AIRSIM_RELAY_H

#include <stddef.h>
#include <stdint.h>

#include "medium.h"
#include "radiotap.h"

/* Largest frame relayed: a veth MTU of 65535 plus an Ethernet-sized header of slack. */
#define RELAY_MAX_FRAME 65550

struct relay_ops {
	/* Sends frame to node to's port; 0, or -1 when the kernel refused it. */
	int (*transmit)(void *ctx, unsigned to, const uint8_t *frame, size_t len);
	/* Records a frame that node from put on the air, as sent (for the pcap); may be NULL. */
	void (*capture)(void *ctx, unsigned from, const uint8_t *frame, size_t len);
	void *ctx;
};

struct relay {
	struct medium *medium;
	struct relay_ops ops;
	uint8_t out[RELAY_MAX_FRAME + RADIOTAP_TX_LEN];
};

/* Binds a relay to a medium and its I/O callbacks. */
void relay_init(struct relay *r, struct medium *m, const struct relay_ops *ops);

/* Relays one frame received from node from; returns the number of deliveries, or -1 for an invalid
 * frame (counted on the node and dropped). */
int relay_frame(struct relay *r, unsigned from, const uint8_t *frame, size_t len);

#endif
