/* Mesh neighbours: this node's beacons on every mesh port, the mesh points heard (candidates: beacons
 * of our mesh, or peering frames), their liveness by the beacon interval each one announces, a
 * frame-loss estimate from beacon loss and a link rate from radiotap, which make the airtime link
 * metric HWMP works with. A neighbour is a peer (FDB, dataplane, HWMP) only while established
 * (peering.c), or when configured as a static peer. */
#ifndef MESHPLANE_CONTROL_NEIGHBOURS_H
#define MESHPLANE_CONTROL_NEIGHBOURS_H

#include <stdbool.h>
#include <stdint.h>

#include "link_loss.h"
#include "mac.h"
#include "mesh_ies.h"
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

/* One port on which a neighbour is heard: a mesh node reachable over radio and a wire has two. */
struct neighbour_link {
	uint8_t port;
	uint16_t interval_tu;    /* its beacon (hello) interval on this port */
	uint64_t last_heard_ms;  /* last beacon or peering frame on this port */
	struct beacon_mark last_beacon; /* what link_loss needs of the last beacon heard here */
	uint32_t beacons;
	uint32_t rate_100kbps;
	uint32_t loss_ppm;
	uint32_t metric;
	int8_t signal_dbm;
	bool has_signal;
	bool one_way;            /* wired: its last hello said it does not hear us (mesh_heard.h): not used
	                          * while the neighbour has another link */
};

#define NEIGHBOUR_LINKS_MAX 4

/* The fields from port to has_signal are those of the link in use (the lowest metric; links[0..n_links)
 * are all the ports it is heard on). */
struct neighbour {
	struct mac_addr mac;
	uint8_t port;
	bool active;             /* the table slot is in use (a candidate or a peer) */
	bool established;        /* a peer: MPM ESTAB, or static */
	bool is_static;          /* static_peers: established from the start, never expires */
	uint8_t ext_flags;       /* MESH_EXT_* it announced */
	uint16_t interval_tu;    /* its beacon interval (ours until a beacon says) */
	uint64_t since_ms;       /* heard first (established: since when) */
	uint64_t last_heard_ms;  /* last beacon or peering frame */
	uint64_t last_beacon_ms;  /* when its last beacon on this link was heard */
	uint32_t beacons;
	uint32_t rate_100kbps;   /* from the radiotap Rate field, else the port's link_rate_mbps */
	uint32_t loss_ppm;       /* beacon loss, exponentially weighted */
	uint32_t metric;         /* airtime, in mesh.airtime_units */
	int8_t signal_dbm;
	bool has_signal;
	struct neighbour_ap ap;
	uint8_t n_links;
	struct neighbour_link links[NEIGHBOUR_LINKS_MAX];
};

struct neighbour_events {
	void *ctx;
	void (*adopted)(void *ctx, const struct neighbour *n, uint64_t now_ms);
	void (*lost)(void *ctx, const struct neighbour *n, uint64_t now_ms);
	/* A peer's traffic moves to another of its links (n->port now; old_port before). */
	void (*moved)(void *ctx, const struct neighbour *n, unsigned old_port, uint64_t now_ms);
};

/* Prepares the table and the beacon schedule, and adopts the static peers; ev is called when a
 * neighbour becomes a peer and when it stops being one. */
void neighbours_init(const struct neighbour_events *ev, uint64_t now_ms);

/* A beacon heard on port: a compatible sender becomes (or stays) a candidate and peering is told. */
void neighbours_on_beacon(unsigned port, const struct beacon *b, const struct radiotap_info *rt, uint64_t now_ms);

/* A peering frame from mac on port: the sender is a candidate from now on (created when new).
 * NULL when the table is full. */
struct neighbour *neighbours_heard(unsigned port, const struct mac_addr *mac, const struct radiotap_info *rt,
				   uint64_t now_ms);

/* Peering reached ESTAB with mac (ext_flags as it announced) or the link ended: adopted/lost fire. */
void neighbours_set_established(const struct mac_addr *mac, bool established, uint8_t ext_flags, uint64_t now_ms);

/* Sends due beacons and expires silent neighbours (peers get a Close first). */
void neighbours_tick(uint64_t now_ms);

/* The established neighbour (peer) with this address, or NULL. */
const struct neighbour *neighbours_find(const struct mac_addr *mac);

/* Any neighbour (candidate or peer) with this address, or NULL. */
const struct neighbour *neighbours_find_any(const struct mac_addr *mac);

/* Calls fn for every neighbour, candidates included. */
void neighbours_foreach(void (*fn)(void *arg, const struct neighbour *n), void *arg);

/* Carrier lost on port: its links go at once; a neighbour with no other link is dropped. */
void neighbours_port_down(unsigned port, uint64_t now_ms);

/* Peers on port. */
unsigned neighbours_count(unsigned port);

/* True when port has peers and every one announced MESH_EXT_HWMP (and the extensions are enabled). */
bool neighbours_port_extended(unsigned port);

/* The airtime metric of a radio link at rate_100kbps losing loss_ppm, in mesh.airtime_units. */
uint32_t neighbours_link_metric(uint32_t rate_100kbps, uint32_t loss_ppm);

/* The metric of a link on port: the airtime metric for radio; on a wired port its path_cost, else
 * the same formula without the radio's channel access overhead (so a wire and the air compare fairly). */
uint32_t neighbours_port_metric(unsigned port, uint32_t rate_100kbps, uint32_t loss_ppm);

/* True when the neighbour is heard on port (a link there). */
bool neighbours_has_link(const struct neighbour *n, unsigned port);

#endif
