/* The secure mesh in the running node (mesh.security "sae"): the password from its root-only file,
 * the node's SAE/AMPE state (peering/secure.h), Authentication frames in and out, the keys of each
 * established link handed to the dataplane (dataplane/link_crypto.h), and the protection of HWMP
 * frames: CCMP under the receiver's MTK for individually addressed ones, CCMP under our MGTK for group
 * ones (group addressed privacy, as mac80211 does); on receive the transmitter's keys (BIP-protected
 * group frames are taken too), and unprotected HWMP from a peer is dropped. With
 * mesh.security "none" every function here is a no-op that lets frames pass.
 *
 * mesh.security "static" (benchmarks and tests only, loudly warned about at start): no SAE and no AMPE;
 * the link with every static peer is keyed with the config's mesh.static_keys (one MTK for all of them,
 * one MGTK for every node) as it is adopted, the workers protect mesh data as in the secure mesh, and
 * management frames go as in an open mesh. Peering with any other node is refused. */
#ifndef MESHPLANE_CONTROL_SECURITY_H
#define MESHPLANE_CONTROL_SECURITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mac.h"
#include "peering_frame.h"
#include "radiotap.h"
#include "secure.h"

/* Every event the node's security glue sees; names are telemetry keys. */
#define SECURITY_COUNTERS(X)                                                                        \
	X(auth_frames_rx) X(auth_frames_tx)                                                          \
	X(auth_not_for_us)       /* Authentication frames for another address or from a group one */ \
	X(auth_other_algorithm)  /* open-system or other algorithms: a secure mesh speaks SAE only */  \
	X(password_refused)      /* SAE failed with a peer: most often another password (logged) */   \
	X(mgmt_protected_tx)     /* individually addressed HWMP frames sent under the receiver's MTK */ \
	X(mgmt_group_tx)         /* group HWMP frames sent under our MGTK (group addressed privacy) */ \
	X(mgmt_decrypted)        /* individually addressed protected HWMP frames taken */            \
	X(mgmt_group_decrypted)  /* group HWMP frames under the sender's MGTK taken */               \
	X(mgmt_bip_verified)     /* group HWMP frames under BIP (MMIE) taken */                      \
	X(mgmt_unprotected)      /* HWMP without protection in a secure mesh: dropped */             \
	X(mgmt_no_key)           /* protected HWMP from a transmitter without keys: dropped */       \
	X(mgmt_mic_failure)      /* CCMP MIC or BIP MIC did not verify: dropped */                   \
	X(mgmt_replay)           /* PN or IPN not above the last one taken: dropped */               \
	X(keys_installed)        /* links keyed in the dataplane */                                  \
	X(keys_install_failed)   /* links that reached ESTAB but could not be keyed: closed */

struct security_counters {
#define SECURITY_COUNTER_FIELD(name) uint64_t name;
	SECURITY_COUNTERS(SECURITY_COUNTER_FIELD)
#undef SECURITY_COUNTER_FIELD
};

/* Reads the password file, creates the SAE/AMPE state and the key table. 0 or -1 (logged, naming
 * the file and what is wrong with it, never its content). */
int security_init(uint64_t now_ms);

/* Wipes every secret. */
void security_fini(void);

/* True in a secure mesh (SAE; false with static keys). */
bool security_on(void);

/* True with mesh.security "static". */
bool security_static(void);

/* mesh.security static: keys the link with the static peer peer (already in the dataplane's peer set)
 * with mesh.static_keys. 0 (also in any other mode, where it does nothing), or -1 when the keys could
 * not be installed (logged, counted in keys_install_failed). */
int security_static_peer_up(const struct mac_addr *peer);

/* mesh.security static: the static peer peer is lost (carrier down); its keys leave the dataplane
 * before it leaves the peer set. A no-op in any other mode. */
void security_static_peer_down(const struct mac_addr *peer);

/* Reads a password file: a regular file of 1..256 octets (one trailing newline dropped), owned by
 * root or by us and closed to group and others. 0, or -1 with the reason in err. */
int security_read_password(const char *path, uint8_t *out, size_t cap, size_t *len, char *err, size_t errlen);

/* A compatible candidate heard on port: authenticate it (SAE) before peering. */
void security_candidate(const struct mac_addr *peer, uint64_t now_ms);

/* An Authentication frame (802.11 header first) received on port. */
void security_on_auth(unsigned port, const uint8_t *frame, size_t len, uint64_t now_ms);

/* Runs the SAE timers. */
void security_tick(uint64_t now_ms);

/* True when peering frames with peer can be protected (SAE accepted). */
bool security_authenticated(const struct mac_addr *peer);

/* Element 117 of a frame to peer gets the PMKID of the SAE session; -1 when not authenticated. */
int security_fill_pmkid(const struct mac_addr *peer, struct peering_mgmt_ie *ie);

/* Appends MIC and AMPE to an encoded peering frame to peer; 0 or -1. */
int security_protect_peering(const struct mac_addr *peer, uint8_t *frame, size_t *len, size_t cap);

/* Checks a received peering frame from peer (decoded as pf); 0 when the MPM may take it. */
int security_verify_peering(const struct mac_addr *peer, const uint8_t *frame, size_t len,
			    const struct peering_mgmt_ie *mpm);

/* The link with peer reached ESTAB (llid ours, plid the peer's): derives and installs its keys;
 * -1 when it cannot (the caller closes the link). */
int security_link_up(const struct mac_addr *peer, uint16_t llid, uint16_t plid);

/* The link with peer ended: its keys leave the dataplane. SAE stays accepted: a new peering (new link
 * IDs, so a new MTK) needs no new SAE, and a peer that restarted and authenticated anew keeps the
 * AMPE state of its new Open. */
void security_link_down(const struct mac_addr *peer);

/* The neighbour is gone: its keys, SAE session and AMPE state are wiped. */
void security_forget(const struct mac_addr *peer);

/* An HWMP action frame about to be sent (frame[0, *len), cap bytes of room): CCMP under the MTK of
 * an individual receiver, or under our MGTK for a group one. 0 or -1 (no key: do not send). */
int security_protect_mgmt(uint8_t *frame, size_t *len, size_t cap);

/* A received Mesh action frame (*frame, *len, modifiable): a protected one is decrypted in place with
 * the sender's MTK or MGTK (*frame moves past the removed CCMP header); an unprotected group one needs
 * a valid MMIE (removed). true when it may be handled, false when dropped (counted). */
bool security_accept_mgmt(uint8_t **frame, size_t *len);

/* What peer's extension element said (beacon or peering frame): MESH_EXT_MGK in ext_flags, the key ID
 * of the MGTK of its Open (0: not said) and its Inform replay counter (see secure_peer_ext). */
void security_peer_ext(const struct mac_addr *peer, uint8_t ext_flags, uint8_t mgtk_key_id, uint64_t replay);

/* Before an Open to peer is encoded: the key ID of the MGTK it will carry, and *replay for its
 * extension element (see secure_prepare_open). */
uint8_t security_prepare_open(const struct mac_addr *peer, uint64_t now_ms, uint64_t *replay);

/* A Mesh Group Key Inform or Acknowledge (802.11 header first) from peer, addressed to us: handed to
 * the secure state, which counts refusals (link_group_key_rx_refused). A no-op outside a secure mesh. */
void security_on_group_key(const struct mac_addr *peer, const uint8_t *frame, size_t len, uint64_t now_ms);

/* Any thread: the key ID (1 or 2) our group frames go under now; 0 in an open mesh. */
uint8_t security_mgtk_key_id(void);

/* A copy of the counters (any thread), of the SAE/AMPE state's and of SAE's. */
void security_counters(struct security_counters *out, struct secure_counters *sec, struct sae_counters *sae);

/* The SAE state of peer for telemetry: false when none. */
bool security_peer_info(const struct mac_addr *peer, struct sae_peer_info *out, bool *authenticated, bool *keyed);

#endif
