/* Mesh Peering Management in the running node: the MPM instance (peering/mpm.h), the compatibility
 * of candidates (Linux's mesh_matches_local), peering frames in and out, and established links handed
 * to the neighbour manager (which makes them peers for the FDB, the dataplane and HWMP). */
#ifndef MESHPLANE_CONTROL_PEERING_H
#define MESHPLANE_CONTROL_PEERING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mac.h"
#include "mesh_ies.h"
#include "mpm.h"
#include "neighbours.h"
#include "radiotap.h"

/* Creates the MPM instance from the config; 0 or -1 (logged). */
int peering_init(void);

/* Frees it; no frame is sent. */
void peering_fini(void);

/* True when ies (a beacon's or an Open's) describe our mesh: Mesh ID, path selection, metric,
 * congestion control, synchronisation, authentication, security (RSN presence) and the basic rate set.
 * A mismatch is counted under its reason. */
bool peering_match_counted(const struct mesh_ies *ies);

/* Our Mesh Configuration element for beacons and peering frames, with peers established links. */
void peering_local_config(struct mesh_config_ie *out, unsigned peers);

/* A compatible candidate's beacon (accepts: its "accepting peerings" bit). */
void peering_on_candidate(const struct neighbour *n, bool accepts, uint64_t now_ms);

/* SAE with peer was accepted: the link may open (secure mesh). */
void peering_authenticated(const struct mac_addr *peer, uint64_t now_ms);

/* A Self-protected Action frame (802.11 header first) received on port. */
void peering_on_frame(unsigned port, const uint8_t *frame, size_t len, const struct radiotap_info *rt,
		      uint64_t now_ms);

/* Runs the peering timers. */
void peering_tick(uint64_t now_ms);

/* The neighbour is gone: its link (if any) is closed, with a Close frame when send_close, and its
 * peering state forgotten. */
void peering_forget(const struct mac_addr *mac, bool send_close, uint64_t now_ms);

/* Closes the link with mac (reason) on the next tick; at most 8 at once. */
void peering_close_later(const struct mac_addr *mac, uint16_t reason);

/* Node stopping: Close on every link; returns how many were sent. */
unsigned peering_close_all(uint64_t now_ms);

/* The MESH_EXT_* flags this node announces (beacons, Open and Confirm) and assumes of static peers. */
uint8_t peering_local_ext_flags(void);

/* Established links. */
unsigned peering_estab_count(void);

/* The peering state of mac, or NULL. */
const struct mpm_peer *peering_find(const struct mac_addr *mac);

/* A copy of the MPM counters as last published by the control thread (any thread). */
void peering_counters(struct mpm_counters *out);

#endif
