/* The secure mesh's per-link security (802.11-2016 §14.5, as wpa_supplicant 2.10's mesh runs it):
 * SAE authenticates a candidate before any peering, AMPE protects the peering frames that follow
 * and carries each side's group keys, and an established link yields its keys. One instance per node
 * joins an SAE instance (sae.h), the AMPE constructions (ampe.h) and this node's own group keys; the
 * MPM (mpm.h) stays unaware of security and the glue wires the three.
 *
 *   candidate heard (RSN beacon) -> secure_start: SAE Commit
 *   SAE accepted                  -> callbacks.authenticated: the glue lets the MPM open the link
 *   every Open/Confirm/Close out  -> element 117 gets secure_pmkid, then secure_protect appends
 *                                    MIC + encrypted AMPE (Open: our MGTK and IGTK with their counters)
 *   every one in                  -> secure_verify before the MPM sees it (PMKID, AES-SIV, nonces;
 *                                    an Open's MGTK and IGTK are kept)
 *   MPM ESTAB                     -> secure_link_keys: MTK from both nonces and link IDs, the peer's
 *                                    MGTK and IGTK, for the dataplane and the HWMP frames
 *   link closed, peer gone        -> secure_forget: every secret of that peer wiped; the next
 *                                    peering starts with a new SAE (a new PMK, a new MTK)
 *   every mgtk_refresh_ms         -> a new MGTK (key ID 1 and 2 in turn) goes to every established
 *                                    peer in a Mesh Group Key Inform; each installs it beside the old
 *                                    one and acknowledges; once all have, callbacks.own_mgtk switches
 *                                    our group frames to it (so no receiver lacks the key of a frame)
 *
 * wpa_supplicant 2.10 has no group key handshake (its mesh_mpm.c takes Open, Confirm and Close only)
 * and takes every MGTK as key ID 1. Peers that do not announce MESH_EXT_MGK are therefore never sent
 * an Inform: while one is established the refresh waits (mgtk_refresh_deferred), a refresh to key ID 2
 * under way is abandoned when one peers, and when our MGTK is key ID 2 such a peer's Open carries a
 * new key ID 1 MGTK, which the refresh it starts brings the other peers before we switch to it.
 *
 * No clock, no I/O, no DPDK: time comes in, frames go out through callbacks. Bounded: a table of
 * max_links peers allocated at create; a full table refuses new peers and counts. */
#ifndef MESHPLANE_PEERING_SECURE_H
#define MESHPLANE_PEERING_SECURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ampe.h"
#include "mac.h"
#include "sae.h"

#define SECURE_MGTK_KEY_ID 1 /* wpa_supplicant's key IDs for its MGTK and IGTK */
#define SECURE_IGTK_KEY_ID 4

struct secure_params {
	struct sae_params sae;       /* self, password, Mesh ID, groups, timers, anti-clogging */
	uint16_t max_links;          /* peers with security state at once */
	uint32_t retry_backoff_ms;   /* after a failed SAE, no new attempt with that peer for this long,
				      plus up to as long again at random */
	uint64_t mgtk_refresh_ms;    /* a new MGTK this often; 0: never (wpa_supplicant's way) */
	uint32_t group_key_retry_ms; /* an unacknowledged Inform is sent again after this long */
	uint8_t group_key_tries;     /* Informs per peer and key before the link is given up on */
};

/* The keys of one established link (what the dataplane and the HWMP protection install). */
struct secure_link_keys {
	struct mac_addr peer;
	uint8_t mtk[AMPE_MTK_LEN];            /* unicast frames both ways (key ID 0) */
	uint8_t peer_mgtk[AMPE_MGTK_LEN];     /* the peer's group data frames */
	uint8_t peer_mgtk_key_id;
	uint64_t peer_mgtk_rsc;               /* its last used PN (from its Open) */
	bool has_peer_igtk;
	uint8_t peer_igtk[AMPE_IGTK_LEN];     /* the peer's group management frames (BIP) */
	uint16_t peer_igtk_key_id;
	uint64_t peer_ipn;
};

struct secure_callbacks {
	void *ctx;
	/* Transmit an Authentication frame body (algorithm 3, from the algorithm field on) to peer. */
	void (*send_auth)(void *ctx, const struct mac_addr *peer, const uint8_t *body, size_t len);
	/* SAE with peer succeeded: peering may start (Open/Confirm will be protected). */
	void (*authenticated)(void *ctx, const struct mac_addr *peer, uint64_t now_ms);
	/* SAE with peer failed (most often another password); status is the 802.11 status code. */
	void (*auth_failed)(void *ctx, const struct mac_addr *peer, uint16_t status, enum sae_failure why,
			    uint64_t now_ms);
	/* The group key handshake; any of these may be NULL where it is not used. */
	/* Transmit a whole 802.11 frame (a Mesh Group Key Inform or Acknowledge) to peer. */
	void (*send_frame)(void *ctx, const struct mac_addr *peer, const uint8_t *frame, size_t len);
	/* The PN our group frames are at (an Inform's Key RSC). */
	uint64_t (*group_pn)(void *ctx);
	/* peer's new MGTK (key ID key_id, frames above rsc): install it beside its current one. */
	void (*peer_mgtk)(void *ctx, const struct mac_addr *peer, const uint8_t mgtk[AMPE_MGTK_LEN], uint8_t key_id,
			  uint64_t rsc);
	/* Every peer holds our new MGTK: our group frames go under it (key ID key_id) from now on. */
	void (*own_mgtk)(void *ctx, const uint8_t mgtk[AMPE_MGTK_LEN], uint8_t key_id);
	/* peer never acknowledged our new MGTK (group_key_tries Informs): the caller closes the link
	 * (reason 58, MESH-INVALID-GTK) and forgets the peer; the switch then goes ahead without it. */
	void (*group_key_failed)(void *ctx, const struct mac_addr *peer, uint64_t now_ms);
};

#define SECURE_COUNTERS(X)                                                                           \
	X(auth_started)         /* SAE sessions we started (a candidate heard) */                     \
	X(authenticated)        /* SAE sessions accepted */                                            \
	X(auth_failed)          /* SAE sessions that ended without keys */                             \
	X(auth_backoff)         /* starts refused: the peer failed recently */                         \
	X(table_full)           /* a new peer refused: every entry in use */                           \
	X(frames_protected)     /* peering frames we sent with MIC and AMPE */                         \
	X(frames_verified)      /* peering frames whose MIC and AMPE verified */                       \
	X(rx_not_authenticated) /* a peering frame from a peer without an accepted SAE: dropped */     \
	X(rx_bad_pmkid)         /* element 117's PMKID is not the SAE session's: dropped */            \
	X(rx_mic_failure)       /* AES-SIV did not verify: dropped */                                  \
	X(rx_bad_ampe)          /* no MIC or AMPE element, a bad nonce, an Open without keys: dropped */ \
	X(links_keyed)          /* established links whose keys were derived */                        \
	X(forgotten)            /* peers whose security state was wiped */                             \
	X(rx_after_failure)     /* Authentication frames of an exchange that just failed: dropped */ \
	X(mgtk_refreshes)       /* our group frames switched to a new MGTK */                          \
	X(mgtk_refresh_deferred) /* refreshes due that waited: a peer without the handshake is up */   \
	X(mgtk_refresh_abandoned) /* refreshes given up: a peer without the handshake came */           \
	X(group_key_inform_tx)  /* Mesh Group Key Informs sent (retransmissions too) */                \
	X(group_key_inform_rx)  /* Informs taken: the peer's new MGTK installed */                     \
	X(group_key_ack_tx)     /* Mesh Group Key Acknowledges sent */                                 \
	X(group_key_ack_rx)     /* Acknowledges taken */                                               \
	X(group_key_ack_duplicate) /* late Acknowledges of an Inform sent again, already taken */       \
	X(group_key_rx_refused) /* Informs or Acknowledges dropped: no keyed link, MIC, nonce, replay, bad key ID */ \
	X(group_key_failed)     /* peers that never acknowledged a new MGTK: link given up */

struct secure_counters {
#define SECURE_COUNTER_FIELD(name) uint64_t name;
	SECURE_COUNTERS(SECURE_COUNTER_FIELD)
#undef SECURE_COUNTER_FIELD
};

struct secure;

/* wpa_supplicant 2.10's defaults (sae_params_default), 64 links, 10 s back-off after a failure. */
void secure_params_default(struct secure_params *p);

/* A new instance with a fresh MGTK and IGTK; NULL on bad params (see sae_create) or no entropy. */
struct secure *secure_create(const struct secure_params *p, const struct secure_callbacks *cb, uint64_t now_ms);

/* Wipes every secret and frees the instance (NULL is fine); no callback runs. */
void secure_destroy(struct secure *s);

/* This node's MGTK now (key ID secure_own_mgtk_key_id: 1 at start, then 2 and 1 in turn with every
 * refresh) and IGTK (key ID SECURE_IGTK_KEY_ID). */
const uint8_t *secure_own_mgtk(const struct secure *s);
uint8_t secure_own_mgtk_key_id(const struct secure *s);
const uint8_t *secure_own_igtk(const struct secure *s);

/* What peer announced in its extension element (beacon or peering frame): whether it takes the group
 * key handshake (MESH_EXT_MGK), the key ID of the MGTK in its Open (0: not said, i.e. 1), and the
 * replay counter of its last Inform to us (an Open's; no Inform at or below it is taken after). */
void secure_peer_ext(struct secure *s, const struct mac_addr *peer, bool mgk, uint8_t open_key_id,
		     uint64_t open_replay);

/* Called before an Open to peer is encoded: the key ID of the MGTK it will carry (the extension
 * element's octet), and in *replay the counter of our last Inform to it. A peer without the
 * handshake gets key ID 1, which may start or abandon a refresh (see above). 0 when peer is unknown. */
uint8_t secure_prepare_open(struct secure *s, const struct mac_addr *peer, uint64_t now_ms, uint64_t *replay);

/* A Mesh Group Key Inform or Acknowledge (whole 802.11 frame) from peer: verified under the link's
 * AEK with the peering's nonces and the replay counter; an Inform's MGTK goes to callbacks.peer_mgtk
 * and is acknowledged, an Acknowledge may complete the refresh. 0, or -1 when refused (counted). */
int secure_group_key_rx(struct secure *s, const struct mac_addr *peer, const uint8_t *frame, size_t len,
			uint64_t now_ms);

/* Starts a refresh now, as the timer would (the tests drive it so); 0, or -1 when one is under way or a
 * peer without the handshake is established (counted as deferred). */
int secure_refresh_mgtk(struct secure *s, uint64_t now_ms);

/* True while a refresh waits for acknowledgements. */
bool secure_refresh_pending(const struct secure *s);

/* The link with peer is down (no longer keyed); SAE and the replay counters stay. */
void secure_link_down(struct secure *s, const struct mac_addr *peer);

/* A compatible candidate: starts SAE unless a session exists, it is authenticated already or it
 * failed less than its back-off ago (retry_backoff_ms plus up to as much at random). 0 when a Commit went out, 1 when nothing was needed, -1 when
 * refused (backoff, full table; counted). */
int secure_start(struct secure *s, const struct mac_addr *peer, uint64_t now_ms);

/* An Authentication frame body (algorithm 3) from peer. Returns sae_rx's result, or -1 when the
 * table is full for a new peer, or when the peer's SAE failed less than 2 retransmission periods
 * ago and no session is running (that exchange's late frames: rx_after_failure). */
int secure_auth_rx(struct secure *s, const struct mac_addr *peer, const uint8_t *body, size_t len, uint64_t now_ms);

/* Runs the SAE timers due at now_ms. */
void secure_tick(struct secure *s, uint64_t now_ms);

/* Earliest timer (UINT64_MAX: none). */
uint64_t secure_next_deadline(const struct secure *s);

/* True when SAE with peer is accepted (its peering frames can be protected and verified). */
bool secure_authenticated(const struct secure *s, const struct mac_addr *peer);

/* The PMKID of the accepted SAE session with peer for element 117; -1 when not authenticated. */
int secure_pmkid(const struct secure *s, const struct mac_addr *peer, uint8_t pmkid[MESH_PMKID_LEN]);

/* Protects an outgoing Open/Confirm/Close to peer: frame[0, *len) is the whole 802.11 frame up to
 * the end of its elements; MIC and encrypted AMPE are appended (cap: buffer size). An Open carries
 * our MGTK with mgtk_rsc (the PN our group data frames are at) and our IGTK with ipn. 0 or -1. */
int secure_protect(struct secure *s, const struct mac_addr *peer, uint8_t *frame, size_t *len, size_t cap,
		   uint64_t mgtk_rsc, uint64_t ipn);

/* Verifies a received Open/Confirm/Close (whole 802.11 frame) from peer whose element 117 is mpm:
 * 0 when it may go to the MPM (an Open's keys are kept); -1 not authenticated, -2 bad PMKID, -3 MIC
 * failure, -4 malformed AMPE or nonce (all counted). */
int secure_verify(struct secure *s, const struct mac_addr *peer, const uint8_t *frame, size_t len,
		  const struct peering_mgmt_ie *mpm);

/* The established link with peer (our link ID llid, the peer's plid): its keys. 0, or -1 when the
 * peer is not authenticated or never sent its Open's keys. */
int secure_link_keys(struct secure *s, const struct mac_addr *peer, uint16_t llid, uint16_t plid,
		     struct secure_link_keys *out);

/* Wipes peer's SAE session and AMPE state (the link closed or the peer went away). */
void secure_forget(struct secure *s, const struct mac_addr *peer);

/* The counters (live, read-only), and those of the SAE instance. */
const struct secure_counters *secure_get_counters(const struct secure *s);
const struct sae_counters *secure_sae_counters(const struct secure *s);

/* The SAE instance's view of peer; false when there is no session. */
bool secure_sae_peer(const struct secure *s, const struct mac_addr *peer, struct sae_peer_info *out);

#endif
