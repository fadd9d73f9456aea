/* SAE (802.11-2020 §12.4) for one mesh node: a protocol instance per peer, as wpa_supplicant 2.10's
 * mesh runs it (src/ap/ieee802_11.c handle_auth_sae / sae_sm_step in mesh mode): both sides
 * initiate, a node that answers a Commit sends its Commit and its Confirm at once, and the states
 * are Nothing, Committed, Confirmed and Accepted with the Sync counter, the retransmission timer
 * (dot11RSNASAERetransPeriod) and dot11RSNASAESync as the bound on retransmissions. Groups 19, 20,
 * 21; the password element by hunting-and-pecking or hash-to-element (sae_pwe); anti-clogging
 * tokens above dot11RSNASAEAntiCloggingThreshold open sessions; status 77 and group fallback.
 *
 * Like the MPM it never reads a clock and never does I/O: every input carries the time in ms, every
 * output goes through struct sae_callbacks, and every session lives in a table allocated by
 * sae_create (a full table refuses new peers and counts). Callbacks run synchronously inside the
 * input call and must not call back into the same instance. The password and each session's secrets
 * are wiped when the instance or the session ends. */
#ifndef MESHPLANE_PEERING_SAE_H
#define MESHPLANE_PEERING_SAE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mac.h"
#include "mgmt.h"
#include "sae_ecc.h"

#define SAE_MAX_GROUPS 4          /* configured groups, in preference order */
#define SAE_MAX_PASSWORD_LEN 256
#define SAE_TOKEN_LEN 32          /* our anti-clogging tokens (hostap's length too) */
#define SAE_MAX_PEER_TOKEN_LEN 64 /* a token a peer asks us to echo */
#define SAE_MAX_REJECTED 8        /* groups in a Rejected Groups element we keep */

enum sae_state {
	SAE_NOTHING = 0,
	SAE_COMMITTED,
	SAE_CONFIRMED,
	SAE_ACCEPTED,
};

/* Which password element derivations a node offers and accepts (wpa_supplicant's sae_pwe). */
enum sae_pwe_mode {
	SAE_PWE_HUNT_AND_PECK = 0, /* wpa_supplicant 2.10's default, and all its mesh code does */
	SAE_PWE_HASH_TO_ELEMENT = 1,
	SAE_PWE_BOTH = 2,          /* answers either; initiates with H2E when the peer advertises it */
};

struct sae_params {
	struct mac_addr self;
	const uint8_t *password;            /* copied by sae_create */
	size_t password_len;                /* 1..SAE_MAX_PASSWORD_LEN */
	struct mesh_id mesh_id;             /* hash-to-element's "SSID": the Mesh ID */
	enum sae_pwe_mode pwe;
	uint16_t groups[SAE_MAX_GROUPS];    /* preference order; 0 ends the list */
	uint32_t retrans_ms;                /* dot11RSNASAERetransPeriod (wpa_supplicant 1000) */
	uint8_t sync_max;                   /* dot11RSNASAESync (hostapd 5) */
	uint16_t anti_clogging_threshold;   /* open sessions before tokens are required (hostapd 5; 0: always) */
	uint16_t max_sessions;              /* table capacity */
	uint32_t token_key_lifetime_ms;     /* anti-clogging secret rotation (hostapd 60 s) */
};

/* What an accepted session yields (the PMKSA and what AMPE needs). */
struct sae_keys {
	uint16_t group;
	bool h2e;
	uint8_t pmk[SAE_PMK_LEN];
	uint8_t pmkid[SAE_PMKID_LEN];
	uint8_t kck[SAE_MAX_HASH_LEN];
	size_t kck_len;
};

/* Why a session failed. */
enum sae_failure {
	SAE_FAIL_CONFIRM_MISMATCH = 1, /* the peer's Confirm does not verify: most likely another password */
	SAE_FAIL_NO_COMMON_GROUP,      /* the peer refused (77) every group we offer */
	SAE_FAIL_NO_ANSWER,            /* Sync exceeded dot11RSNASAESync */
	SAE_FAIL_PEER_REFUSED,         /* the peer answered with a failure status (status says which) */
	SAE_FAIL_INTERNAL,             /* a crypto operation failed (no PWE found, no entropy) */
};

struct sae_callbacks {
	void *ctx;
	/* Transmit an Authentication frame body (from the algorithm field on) to peer. */
	void (*send)(void *ctx, const struct mac_addr *peer, const uint8_t *body, size_t len);
	/* peer reached Accepted (again after a re-authentication: the new keys replace the old). */
	void (*accepted)(void *ctx, const struct mac_addr *peer, const struct sae_keys *keys, uint64_t now_ms);
	/* The session with peer ended without keys; status is the 802.11 status code that applies. */
	void (*failed)(void *ctx, const struct mac_addr *peer, uint16_t status, enum sae_failure why, uint64_t now_ms);
};

/* Every event the instance sees or causes; names are telemetry keys. */
#define SAE_COUNTERS(X)                                                                              \
	X(commit_tx) X(confirm_tx) X(commit_rx) X(confirm_rx)                                         \
	X(retransmissions)      /* Commits or Confirms sent again by the retransmission timer */      \
	X(accepted)             /* sessions that reached Accepted */                                   \
	X(failed)               /* sessions that ended through the failed callback */                  \
	X(confirm_mismatch)     /* Confirms that did not verify (wrong password) */                   \
	X(sync_exceeded)        /* sessions given up after dot11RSNASAESync retransmissions */         \
	X(token_req_tx)         /* status 76 sent: a token is required before we spend on a Commit */  \
	X(token_req_rx)         /* status 76 received: our Commit went again with the peer's token */   \
	X(token_key_rotations)  /* anti-clogging secret renewed */                                     \
	X(group_reject_tx)      /* status 77 sent: the peer's group is not ours */                     \
	X(group_reject_rx)      /* status 77 received: we fell back to our next group */              \
	X(group_conflicts)      /* both sides committed with different groups or PWE methods */       \
	X(reauth)               /* an accepted peer committed anew: the session restarted */          \
	X(peer_refused)         /* the peer sent a failure status for our session */                  \
	X(rx_bad_frame)         /* bodies the codec rejected */                                       \
	X(rx_bad_commit)        /* scalar or element out of range or off the curve: ignored */       \
	X(rx_reflection)        /* a Commit equal to our own: silently dropped */                     \
	X(rx_bad_token)         /* a Commit with a token we did not issue (or expired): dropped */      \
	X(rx_pwe_mismatch)      /* a Commit whose PWE method (status 0/126) we do not accept */         \
	X(rx_password_id)       /* a Commit with a password identifier: status 123 */                 \
	X(rx_rejected_downgrade) /* a peer claims we rejected a group we support: status 1 */         \
	X(rx_replay)            /* an old Confirm or the accepted Commit again: ignored */            \
	X(rx_unknown_peer)      /* a Confirm or reply for a peer without a session: ignored */          \
	X(rx_unexpected)        /* a frame the current state ignores */                               \
	X(rx_table_full)        /* a Commit from a new peer with no free session: ignored */          \
	X(start_refused)        /* sae_start with no free session */                                  \
	X(internal_errors)      /* crypto operations that failed */

struct sae_counters {
#define SAE_COUNTER_FIELD(name) uint64_t name;
	SAE_COUNTERS(SAE_COUNTER_FIELD)
#undef SAE_COUNTER_FIELD
};

/* What the instance tells of a session. */
struct sae_peer_info {
	struct mac_addr peer;
	enum sae_state state;
	uint16_t group;
	bool h2e;
	uint16_t sync;           /* retransmissions since the last state change */
	uint16_t send_confirm;   /* our Sc */
	uint16_t peer_confirm;   /* the peer's last accepted send-confirm (Rc) */
	uint64_t since_ms;       /* entered the current state */
	uint64_t deadline_ms;    /* retransmission timer (0: none) */
};

struct sae;

/* wpa_supplicant 2.10's mesh defaults: H&P, groups 19, 20, 21, retransmission 1000 ms, Sync 5,
 * anti-clogging threshold 5, 64 sessions, token secret for 60 s. self and the password stay unset. */
void sae_params_default(struct sae_params *p);

/* A new instance (derives the H2E PTs now when H2E is on); NULL on bad params (no password, no
 * supported group, zero capacity or period) or ENOMEM. */
struct sae *sae_create(const struct sae_params *p, const struct sae_callbacks *cb, uint64_t now_ms);

/* Wipes every session and the password, frees the instance (NULL is fine); no callback runs. */
void sae_destroy(struct sae *s);

/* Starts authenticating peer (Init: Nothing -> Committed, Commit sent). peer_h2e: the peer
 * advertises hash-to-element (RSNXE), which decides the method when pwe is SAE_PWE_BOTH. Returns 0
 * when a Commit went out, 1 when a session with peer already exists, -1 when refused (table full,
 * counted) or on a crypto failure. */
int sae_start(struct sae *s, const struct mac_addr *peer, bool peer_h2e, uint64_t now_ms);

/* One received Authentication frame body from peer (the glue decoded the 802.11 header). Returns 0
 * when it changed or answered something, -1 when ignored (counted). */
int sae_rx(struct sae *s, const struct mac_addr *peer, const uint8_t *body, size_t len, uint64_t now_ms);

/* Runs the retransmission timers due at now_ms. */
void sae_tick(struct sae *s, uint64_t now_ms);

/* Earliest timer (UINT64_MAX: none). */
uint64_t sae_next_deadline(const struct sae *s);

/* Ends the session with peer at once, wiping its secrets; no callback. Returns 0, or -1 if none. */
int sae_remove(struct sae *s, const struct mac_addr *peer);

/* The state of the session with peer; false when there is none. */
bool sae_peer(const struct sae *s, const struct mac_addr *peer, struct sae_peer_info *out);

/* Sessions in use, and of those the open ones (Committed or Confirmed: what anti-clogging counts). */
unsigned sae_session_count(const struct sae *s);
unsigned sae_open_count(const struct sae *s);

/* The counters (live, read-only). */
const struct sae_counters *sae_get_counters(const struct sae *s);

/* "Nothing", "Committed", "Confirmed", "Accepted". */
const char *sae_state_name(enum sae_state st);

/* A short fixed description of a failure. */
const char *sae_failure_name(enum sae_failure why);

#endif
