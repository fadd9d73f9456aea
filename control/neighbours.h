/* Mesh neighbours: this node's beacons on every mesh port, peers adopted from matching beacons,
 * expired after missed beacons, with a frame-loss estimate from beacon loss and a link rate from
 * radiotap, which make the airtime link metric HWMP works with. */
#ifndef MESHPLANE_CONTROL_NEIGHBOURS_H
#define MESHPLANE_CONTROL_NEIGHBOURS_H

#include <stdbool.h>
#include <stdint.h>

#include "mac.h"
#include "mgmt.h"
#include "radiotap.h"

#define NEIGHBOURS_MAX 256

/* The AP a mesh node serves, from the vendor element of its beacons (for 802.11k neighbour lists). */
struct neighbour_ap {
	bool present;
	struct mac_addr bssid;
	uint8_t op_class;
	uint8_t channel;
	char ssid[33];
};

struct neighbour {
	struct mac_addr mac;
	uint8_t port;
	bool active;
	uint64_t since_ms;
	uint64_t last_beacon_ms;
	uint32_t beacons;
	uint32_t rate_100kbps; /* from the radiotap Rate field, else the port's link_rate_mbps */
	uint32_t loss_ppm;     /* beacon loss, exponentially weighted */
	uint32_t metric;       /* airtime, 0.01 TU */
	int8_t signal_dbm;
	bool has_signal;
	struct neighbour_ap ap;
};

struct neighbour_events {
	void *ctx;
	void (*adopted)(void *ctx, const struct neighbour *n, uint64_t now_ms);
	void (*lost)(void *ctx, const struct neighbour *n, uint64_t now_ms);
};

/* Prepares the table and the beacon schedule; ev is called on adoption and loss. */
void neighbours_init(const struct neighbour_events *ev);

/* A beacon heard on port; adopts or refreshes the sender when its Mesh ID and path selection match. */
void neighbours_on_beacon(unsigned port, const struct beacon *b, const struct radiotap_info *rt, uint64_t now_ms);

/* Sends due beacons and expires silent neighbours. */
void neighbours_tick(uint64_t now_ms);

/* The active neighbour with this address, or NULL. */
const struct neighbour *neighbours_find(const struct mac_addr *mac);

/* Calls fn for every active neighbour. */
void neighbours_foreach(void (*fn)(void *arg, const struct neighbour *n), void *arg);

/* Drops every neighbour of port at once (carrier lost). */
void neighbours_port_down(unsigned port, uint64_t now_ms);

/* Active neighbours on port. */
unsigned neighbours_count(unsigned port);

#endif
