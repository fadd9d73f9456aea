/* Mesh Peering Management (802.11-2016 §14.3), one instance per mesh node, no DPDK.
 *
 * A finite state machine per candidate (LISTEN, OPN_SNT, OPN_RCVD, CNF_RCVD, ESTAB, HOLDING) with link
 * IDs, AID allocation, the retry, confirm and holding timers and the event rules Linux mac80211 applies
 * (mesh_plink.c), so that it peers with Linux and wpa_supplicant. Like the HWMP engine it never reads a
 * clock and never does I/O: every input carries the time in ms, every output goes through struct
 * mpm_callbacks, and all memory is allocated in mpm_create (a full table refuses and counts).
 * Callbacks run synchronously inside the input call and must not call back into the same instance. */
#ifndef MESHPLANE_PEERING_MPM_H
#define MESHPLANE_PEERING_MPM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mac.h"
#include "peering_frame.h"

enum mpm_state {
	MPM_LISTEN = 0,
	MPM_OPN_SNT,
	MPM_OPN_RCVD,
	MPM_CNF_RCVD,
	MPM_ESTAB,
	MPM_HOLDING,
};

struct mpm_params {
	uint32_t retry_timeout_ms;    /* dot11MeshRetryTimeout: first Open retry (Linux 100) */
	uint32_t confirm_timeout_ms;  /* dot11MeshConfirmTimeout (Linux 100) */
	uint32_t holding_timeout_ms;  /* dot11MeshHoldingTimeout (Linux 100) */
	uint8_t max_retries;          /* dot11MeshMaxRetries: Open retries before giving up (Linux 3) */
	uint16_t max_peers;           /* established links (mesh.max_peers); more Opens get Close 53 */
	uint16_t max_candidates;      /* table entries, established or not (>= max_peers) */
	bool auto_open;               /* open to compatible candidates heard in beacons (Linux's default) */
	uint16_t protocol;            /* MESH_PEERING_PROTO_MPM (open mesh) or _AMPE */
	uint64_t seed;                /* link IDs and retry jitter; any value, 0 included */
};

/* A frame the instance wants sent. */
struct mpm_tx {
	struct mac_addr peer;
	uint8_t action;               /* WLAN_SP_MESH_PEERING_* */
	uint16_t aid;                 /* Confirm: the AID we gave the peer */
	struct peering_mgmt_ie ie;    /* element 117 (protocol, llid, plid, reason) */
};

/* What the instance knows of a candidate or peer. */
struct mpm_peer {
	struct mac_addr mac;
	enum mpm_state state;
	uint16_t llid;                /* our local link ID (0: none yet) */
	uint16_t plid;                /* the peer's link ID (0: none yet) */
	uint16_t aid;                 /* the AID we gave it */
	uint16_t peer_aid;            /* the AID it gave us (from its Confirm) */
	uint16_t reason;              /* reason of the last Close we sent or took */
	uint8_t retries;
	uint8_t ext_flags;            /* MESH_EXT_* from its last Open/Confirm */
	bool heard_beacon;            /* a beacon of it arrived (not only peering frames) */
	uint64_t since_ms;            /* entered the current state */
	uint64_t estab_ms;            /* established at (valid in ESTAB) */
	uint32_t timeout_ms;          /* current retry timeout (grows with jitter) */
	uint64_t deadline_ms;         /* timer (0: none) */
};

struct mpm_callbacks {
	void *ctx;
	/* Transmit a peering frame (the caller adds rates, Mesh ID, configuration, ...). */
	void (*send)(void *ctx, const struct mpm_tx *tx);
	/* peer reached ESTAB. */
	void (*established)(void *ctx, const struct mpm_peer *peer, uint64_t now_ms);
	/* peer left ESTAB (reason: why). */
	void (*closed)(void *ctx, const struct mpm_peer *peer, uint16_t reason, uint64_t now_ms);
};

/* Every event the instance sees or causes; names are telemetry keys. */
#define MPM_COUNTERS(X)                                                                              \
	X(open_tx) X(confirm_tx) X(close_tx) X(open_rx) X(confirm_rx) X(close_rx)                     \
	X(established)          /* links that reached ESTAB */                                        \
	X(estab_closed)         /* established links that ended (any reason) */                        \
	X(peer_restarts)        /* an established peer opened with a new link ID: it had restarted */   \
	X(open_retries)         /* Opens sent again after the retry timer */                           \
	X(max_retries_reached)  /* attempts given up: Close 56 */                                      \
	X(confirm_timeouts)     /* no Confirm after the peer's Open: Close 57 */                        \
	X(stale_close_tx)       /* Close sent to a new candidate to clear a link from our past */       \
	X(rx_config_mismatch)   /* its elements do not match our mesh: Close 54 */                     \
	X(rx_max_peers)         /* Open while at mesh.max_peers: Close 53 */                           \
	X(rx_table_full)        /* Open from a new address with no free entry: ignored */              \
	X(rx_unknown_peer)      /* Confirm or Close from an address without an entry: ignored */       \
	X(rx_link_id_mismatch)  /* link IDs that do not match the entry's: ignored */                  \
	X(rx_wrong_protocol)    /* element 117 protocol is not ours (MPM vs AMPE): ignored */          \
	X(rx_in_holding)        /* answered with Close while holding */

struct mpm_counters {
#define MPM_COUNTER_FIELD(name) uint64_t name;
	MPM_COUNTERS(MPM_COUNTER_FIELD)
#undef MPM_COUNTER_FIELD
};

/* A peering frame as received (the glue decoded it). */
struct mpm_rx {
	uint8_t action;                   /* WLAN_SP_MESH_PEERING_* */
	struct peering_mgmt_ie ie;
	uint16_t aid;                     /* Confirm */
	uint8_t ext_flags;
};

struct mpm;

/* Linux's defaults (100/100/100 ms, 3 retries, 32 peers, 64 candidates, auto open, open mesh). */
void mpm_params_default(struct mpm_params *p);

/* A new instance; NULL on bad params (max_candidates < max_peers, zero timeouts) or ENOMEM. */
struct mpm *mpm_create(const struct mpm_params *p, const struct mpm_callbacks *cb);

/* Frees the instance (NULL is fine); no callback runs. */
void mpm_destroy(struct mpm *m);

/* A compatible mesh point's beacon: remembers it as a candidate and opens a link when it accepts
 * peerings and we auto-open. A new entry first gets a Close that clears a link the peer may still
 * hold from an earlier life of ours (Linux keeps one for 30 min and ignores new Opens meanwhile). */
void mpm_candidate(struct mpm *m, const struct mac_addr *peer, bool accepts_peerings, uint64_t now_ms);

/* One received Open/Confirm/Close from peer; matches_local says whether its elements match our mesh
 * (ignored for Close). Returns 0 when it changed or answered something, -1 when ignored (counted). */
int mpm_rx(struct mpm *m, const struct mac_addr *peer, const struct mpm_rx *f, bool matches_local,
	   uint64_t now_ms);

/* Runs the timers due at now_ms. */
void mpm_tick(struct mpm *m, uint64_t now_ms);

/* Earliest timer (UINT64_MAX: none). */
uint64_t mpm_next_deadline(const struct mpm *m);

/* Closes the link with peer (any state but LISTEN) with reason: Close sent, HOLDING. */
void mpm_close(struct mpm *m, const struct mac_addr *peer, uint16_t reason, uint64_t now_ms);

/* Closes every link (node stopping); returns how many Close frames went out. */
unsigned mpm_close_all(struct mpm *m, uint16_t reason, uint64_t now_ms);

/* Forgets peer at once, without a frame (its beacons stopped); an established link is reported closed. */
void mpm_forget(struct mpm *m, const struct mac_addr *peer, uint64_t now_ms);

/* The entry of peer, or NULL. */
const struct mpm_peer *mpm_find(const struct mpm *m, const struct mac_addr *peer);

/* Calls fn for every entry. */
void mpm_foreach(const struct mpm *m, void (*fn)(void *arg, const struct mpm_peer *p), void *arg);

/* Established links. */
unsigned mpm_estab_count(const struct mpm *m);

/* True while another link can be established (our beacons' "accepting peerings" bit). */
bool mpm_accepting(const struct mpm *m);

/* The counters (live, read-only). */
const struct mpm_counters *mpm_get_counters(const struct mpm *m);

/* "LISTEN", "OPN_SNT", ... */
const char *mpm_state_name(enum mpm_state s);

#endif
