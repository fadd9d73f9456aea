/* The control thread: the single writer of the FDB and path table. It applies the workers'
 * learn reports, holds frames that wait for a path, ages entries and reclaims retired ones.
 * (HWMP, neighbours and hostapd sync plug in here with later issues.) */
#ifndef MESHPLANE_CONTROL_H
#define MESHPLANE_CONTROL_H

#include <stdint.h>

#include "mac.h"

#define CONTROL_COUNTERS(X)                                                                 \
	X(mgmt_frames)          /* management frames received from the workers */              \
	X(mgmt_malformed)       /* ... that did not decode (the workers classified them first) */ \
	X(beacons_tx)           /* our mesh beacons sent */                                     \
	X(beacons_rx)           /* beacons of our mesh heard */                                 \
	X(beacons_other_mesh)   /* beacons/Opens with another Mesh ID, or none: ignored */      \
	X(candidates_config_mismatch) /* our Mesh ID, other path selection/metric/sync/auth */  \
	X(candidates_rates_mismatch)  /* our mesh, another basic rate set (Linux requires equal) */ \
	X(candidates_security_mismatch) /* our mesh, but secure (RSN) where we are open */      \
	X(neighbours_table_full)/* mesh points not remembered: neighbour table full */          \
	X(peering_frames_rx)    /* Mesh Peering Open/Confirm/Close for us */                    \
	X(peering_frames_tx)    /* ... sent */                                                  \
	X(peering_malformed)    /* peering frames that did not decode (element 117 lengths too) */ \
	X(peering_not_for_us)   /* peering frames to another or a group address: ignored */     \
	X(peering_not_authenticated) /* secure mesh: a peering frame to a peer without SAE: not sent */ \
	X(peering_static_only)  /* mesh.security static: candidates and peering frames of non-static peers: ignored */ \
	X(hwmp_not_protected)   /* secure mesh: an HWMP frame to a receiver without keys: not sent */ \
	X(peers_adopted)        /* neighbours that became peers (ESTAB, or static at start) */  \
	X(peers_lost)           /* peers whose link ended: Close, silence, carrier loss */      \
	X(peer_link_changes)    /* peers whose traffic moved to another port (wire <-> radio) */ \
	X(neighbour_links_lost) /* a neighbour's link on one port gone (silence, carrier) */    \
	X(neighbour_links_full) /* a neighbour heard on more ports than NEIGHBOUR_LINKS_MAX */  \
	X(neighbour_links_one_way) /* a wired link whose far end stopped hearing us (its hellos' heard list) */ \
	X(hwmp_frames_rx)       /* HWMP action frames from peers, handed to the engine */       \
	X(hwmp_frames_tx)       /* HWMP action frames the engine sent */                        \
	X(hwmp_from_stranger)   /* HWMP frames from a non-peer (not ESTAB): ignored, as Linux */ \
	X(hwmp_legacy_frames)   /* HWMP frames sent in Linux's forms for peers without our extensions */ \
	X(paths_installed)      /* paths the engine installed or changed */                     \
	X(paths_removed)        /* paths the engine removed */                                  \
	X(paths_refused)        /* path table full */                                           \
	X(proxies_installed)    /* remote stations the engine placed behind a mesh node */      \
	X(discoveries_failed)   /* path discoveries that found nothing (frames dropped) */      \
	X(echo_requests_tx)     /* mesh echo requests sent (meshctl ping/traceroute) */          \
	X(echo_replies_tx)      /* mesh echo requests answered */                                \
	X(echo_ttl_exceeded_tx) /* "TTL exceeded" sent for requests whose TTL ran out here */    \
	X(echo_malformed)       /* punted echo frames that did not decode */                     \
	X(topology_tx)          /* our topology announcements sent (one per capable peer) */    \
	X(topology_rx)          /* topology announcements received */                           \
	X(topology_relayed)     /* ... newer ones passed on to our other capable peers */       \
	X(topology_old)         /* ... copies or older ones, and our own coming back: dropped */ \
	X(topology_malformed)   /* ... that did not decode, or not from a peer */               \
	X(topology_table_full)  /* ... from a new origin while 64 are known: dropped */         \
	X(topology_ignored)     /* ... while telemetry.topology_interval_s is 0: dropped */     \
	X(hostapd_attached)     /* attaches to a hostapd control socket (after starts and restarts) */ \
	X(hostapd_reconciled)   /* station lists re-read after an attach */                      \
	X(stations_connected)   /* AP-STA-CONNECTED (or found by a reconcile) */                 \
	X(stations_disconnected)/* AP-STA-DISCONNECTED (or gone at a reconcile) */                \
	X(station_announcements)/* layer-2 updates flooded for a station that arrived here */    \
	X(stations_moved_away)  /* local stations announced behind another node */              \
	X(stations_deauthenticated) /* ... that our hostapd still listed: DEAUTHENTICATE sent */ \
	X(stations_refused)     /* station table full */                                        \
	X(ap_neighbours_set)    /* 802.11k: SET_NEIGHBOR sent for a mesh AP we reach */          \
	X(ap_neighbours_removed)/* 802.11k: REMOVE_NEIGHBOR sent for an AP we no longer reach */ \
	X(link_down)            /* carrier lost on a port's netdev (its peers dropped at once) */ \
	X(link_up)              /* carrier back */                                               \
	X(port_restarts)        /* memif client ports restarted to reconnect after their link went down */ \
	X(reloads)              /* config reloads applied (SIGHUP, meshctl reload), "no change" included */ \
	X(reloads_refused)      /* ... refused: a bad file, or a key that cannot change live */ \
	X(drop_tx_no_mbuf)      /* control frames not sent: no mbuf */                          \
	X(drop_tx_ring_full)    /* control frames not sent: tx ring full */                     \
	X(fdb_learned)          /* FDB entries added or moved from worker reports */            \
	X(fdb_refused)          /* FDB full: learn refused */                                   \
	X(fdb_aged)             /* dynamic FDB entries removed after fdb_aging_s */             \
	X(no_path_events)       /* workers found no path to a mesh node */                      \
	X(pending_held)         /* frames held while waiting for a path or proxy */             \
	X(pending_released)     /* held frames forwarded once the destination became known */   \
	X(drop_pending_full)    /* frames refused: queue of that destination, or all queues, full */ \
	X(drop_no_path)         /* held frames dropped: destination still unknown at timeout */ \
	X(drop_reinject_full)   /* released frames lost: reinjection ring full */

enum control_counter {
#define CONTROL_COUNTER_ENUM(name) CONTROL_##name,
	CONTROL_COUNTERS(CONTROL_COUNTER_ENUM)
#undef CONTROL_COUNTER_ENUM
	CONTROL_COUNTER_COUNT
};

extern uint64_t control_counters[CONTROL_COUNTER_COUNT];

/* Name of a control counter. */
const char *control_counter_name(enum control_counter c);

/* Counts one event (control thread only). */
void control_count(enum control_counter c);

/* Drops the frames waiting for dest (its discovery failed). */
void control_drop_pending(const struct mac_addr *dest);

/* Allocates the pending-frame store, starts the neighbour manager and the HWMP engine; 0 or -1. */
int control_init(void);

/* Runs on the main lcore until the node is asked to stop or duration_ms passes (0 = no limit); then
 * closes every peer link, lets the workers send the Closes and stops them (node.stop). */
void control_run(uint64_t duration_ms);

/* Frees held frames and the pending store. */
void control_fini(void);

#endif
