/* CCMP on the mesh ports of a secure mesh: every mesh data frame is decrypted on receive with the
 * transmitter's keys (its MTK for unicast, its MGTK for group frames, replay-checked per TID) and
 * encrypted on transmit with the receiver's MTK or our own MGTK. A transit frame is thus decrypted with
 * the incoming link's key and encrypted with the outgoing link's key. Management frames are the control
 * thread's (control/security.c protects HWMP); data frames it sends (mesh echo) are encrypted here.
 *
 * Keys: one block per established link, indexed by the link's slot in the peer set, published by the
 * control thread (one writer) with an atomic pointer and freed after an RCU grace period; workers take
 * no lock and allocate nothing. Packet numbers: one atomic counter per key (our MGTKs share one).
 *
 * Group keys come in two slots, key IDs 1 and 2 (the MGTK refresh, peering/secure.h): a peer's new
 * MGTK goes into the slot its current one is not in, and ours is switched by publishing the slot
 * index; a slot is rewritten only after an RCU grace period in which no worker could hold it. */
#ifndef MESHPLANE_DP_LINK_CRYPTO_H
#define MESHPLANE_DP_LINK_CRYPTO_H

#include <stdbool.h>
#include <stdint.h>

#include "frame_class.h"

#include <rte_mbuf.h>

#include "ccmp.h"
#include "forward.h"
#include "mac.h"
#include "peer_set.h"
#include "secure.h"

#define LINK_TIDS 17 /* replay counters: TIDs 0..15 of QoS data, 16 for frames without QoS */

#define LINK_GROUP_KEYS 2 /* MGTK slots: key IDs 1 and 2 */

/* The slot of group key ID id (1 or 2; anything else is refused before). */
static inline unsigned link_group_slot(uint8_t id)
{
	return (unsigned)(id - 1) & 1;
}

struct dp_peer_keys {
	struct ccmp_key mtk;
	struct ccmp_key mgtk[LINK_GROUP_KEYS]; /* the peer's group keys, for its group frames */
	uint8_t mgtk_key_id[LINK_GROUP_KEYS];  /* atomic; 0: the slot is empty */
	uint64_t rx_pn[LINK_TIDS];     /* unicast frames from the peer */
	uint64_t mgtk_rx_pn[LINK_GROUP_KEYS][LINK_TIDS];
	uint64_t tx_pn;                /* atomic: the last PN we sent under the MTK */
};

struct dp_keys {
	bool secure;                   /* mesh.security sae: every mesh data frame is protected */
	struct dp_peer_keys *peer[PEER_SET_SLOTS]; /* atomic pointers; NULL: not keyed (yet) */
	struct ccmp_key own_mgtk[LINK_GROUP_KEYS];
	uint8_t own_mgtk_key_id[LINK_GROUP_KEYS];
	unsigned own_mgtk_slot;        /* atomic: the slot our group frames use */
	uint64_t own_mgtk_pn;          /* atomic, for both slots */
};

/* Control thread, at start: allocates the key table (secure: whether the mesh is). 0 or -1. */
int link_keys_init(bool secure);

/* At stop, workers gone: wipes and frees every key. */
void link_keys_free(void);

/* True in a secure mesh. */
bool link_keys_secure(void);

/* Control thread: our MGTK (key ID key_id, 1 or 2) for the group frames we send from now on; the
 * packet numbers go on from where they are. A key ID other than the current one's fills the other slot
 * and switches to it, then waits out an RCU grace period so that the old slot is free for the next
 * refresh. */
void link_keys_set_own_mgtk(const uint8_t mgtk[16], uint8_t key_id);

/* Control thread: peer's new MGTK (key ID key_id, 1 or 2) beside its current one, replay counters at
 * rsc; the slot is emptied and a grace period waited out before it is written. 0, or -1 when the peer
 * has no keys or key_id is not 1 or 2. */
int link_keys_set_peer_mgtk(const struct mac_addr *peer, const uint8_t mgtk[16], uint8_t key_id, uint64_t rsc);

/* The last PN used under our MGTK (the Key RSC an Open announces). */
uint64_t link_keys_own_mgtk_pn(void);

/* Control thread: installs the keys of the established link with k->peer (already in the peer set),
 * replacing older ones (freed once no worker can hold them). 0, or -1 when the peer has no slot or
 * on ENOMEM (logged). */
int link_keys_install(const struct secure_link_keys *k);

/* Control thread: removes the keys of peer (before it leaves the peer set). */
void link_keys_remove(const struct mac_addr *peer);

/* Control thread: the next PN under the MTK of the link with peer (shared with the workers' data
 * frames, so no PN is used twice), or 0 when it has no keys. */
uint64_t link_keys_next_pn(const struct mac_addr *peer);

/* Control thread: the next PN under our MGTK (shared with the workers' group data frames). */
uint64_t link_keys_next_group_pn(void);

/* Control thread: true when the link with peer has keys. */
bool link_keys_installed(const struct mac_addr *peer);

/* What link_crypto_rx_burst counts refusals under, for frames it lets through. */
#define LINK_RX_TAKEN FRAME_CLASS_COUNT

/* Worker: the burst pkts[0, n) received on mesh port in of a secure mesh. Protected data frames are
 * decrypted together (one pass through the multi-buffer manager) and replay-checked in frame order,
 * their CCMP header and MIC removed and the Protected bit cleared, so they read as plain ones; frames
 * that are not data frames are left alone. Unprotected, unknown-key, replayed or forged frames are
 * freed and counted in refused[class] (drop_unprotected, drop_unknown_key, drop_replay,
 * drop_mic_failure) with their bytes in *refused_bytes. The frames kept are moved to the front, in
 * order; returns how many. */
uint16_t link_crypto_rx_burst(struct worker_ctx *w, unsigned in, struct rte_mbuf **pkts, uint16_t n,
			      uint16_t *refused, uint64_t *refused_bytes);

/* Worker: readies the mesh data frame m about to go out on mesh port out for encryption (the
 * receiver's MTK, or our MGTK for a group frame): room for the CCMP header and MIC, the PN taken, *tc
 * filled (tc->key NULL for frames that stay plain). false when it cannot (no key for the receiver, no
 * room): counted, and the caller frees m. */
bool link_crypto_tx_prepare(struct worker_ctx *w, unsigned out, struct rte_mbuf *m, struct tx_crypto *tc);

/* Worker: encrypts every readied frame of pkts[0, n) in one pass, just before they are sent; a frame
 * the library fails is freed and counted. The frames kept are moved to the front, in order; returns
 * how many. */
uint16_t link_crypto_tx_run(struct worker_ctx *w, unsigned out, struct rte_mbuf **pkts, struct tx_crypto *tc,
			    uint16_t n);

#endif
