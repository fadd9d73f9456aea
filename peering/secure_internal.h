/* The secure mesh's state, shared by its two halves: secure.c (SAE, AMPE in the peering frames, the
 * link keys) and group_key.c (the MGTK refresh and its handshake). Private to peering/. */
#ifndef MESHPLANE_PEERING_SECURE_INTERNAL_H
#define MESHPLANE_PEERING_SECURE_INTERNAL_H

#include "secure.h"

#define ACTION_OFF 25 /* 24-octet header, category, then the action */

/* What this node knows of one peer's security. */
struct link_sec {
	bool used;
	struct mac_addr peer;
	bool authenticated;               /* SAE accepted: pmk, pmkid, aek, my_nonce valid */
	uint8_t pmk[SAE_PMK_LEN];
	uint8_t pmkid[SAE_PMKID_LEN];
	uint8_t aek[AMPE_AEK_LEN];
	uint8_t my_nonce[AMPE_NONCE_LEN];
	uint8_t peer_nonce[AMPE_NONCE_LEN];
	bool have_peer_nonce;
	bool have_peer_keys;              /* from the peer's Open */
	uint8_t peer_mgtk[AMPE_MGTK_LEN];
	uint64_t peer_mgtk_rsc;
	bool has_peer_igtk;
	uint8_t peer_igtk[AMPE_IGTK_LEN];
	uint16_t peer_igtk_key_id;
	uint64_t peer_ipn;
	uint64_t failed_until_ms;         /* SAE failed: no new start before this */
	uint64_t quiet_until_ms;          /* SAE failed: until then, the failed exchange's frames drain */
	/* the mesh group key handshake (group_key.c) */
	bool mgk;                         /* the peer announces MESH_EXT_MGK */
	uint8_t peer_mgtk_key_id;         /* the key ID of the MGTK of its Open (1 unless it said) */
	uint8_t open_key_id;              /* the key ID of the MGTK our last Open to it carried (0: none yet,
					     or the link closed since) */
	bool keyed;                       /* the link is established and keyed */
	bool acked;                       /* it holds our pending MGTK */
	uint8_t tries;                    /* Informs of the pending MGTK sent to it */
	uint64_t next_inform_ms;
	uint64_t tx_replay;               /* the Key Replay Counter of our last Inform to it */
	uint64_t rx_replay;               /* of its last Inform taken */
	uint8_t rx_inform_mgtk[AMPE_MGTK_LEN]; /* that Inform's key: a retransmission is only acknowledged */
	uint8_t rx_inform_key_id;
};

struct secure {
	struct secure_params p;
	struct secure_callbacks cb;
	struct sae *sae;
	struct link_sec *links;
	uint8_t mgtk[AMPE_MGTK_LEN];      /* our group frames' key now */
	uint8_t mgtk_key_id;              /* 1 or 2 */
	uint8_t igtk[AMPE_IGTK_LEN];
	bool pending;                     /* a refresh under way: next_mgtk goes to every peer first */
	uint8_t next_mgtk[AMPE_MGTK_LEN];
	uint8_t next_key_id;
	uint64_t next_rsc;                /* the PN our group frames were at when it was made */
	uint64_t next_refresh_ms;         /* UINT64_MAX: no refresh by time */
	bool deferred;                    /* the refresh due waits for peers without the handshake to leave */
	struct secure_counters c;
};

/* The entry of peer, or NULL. */
struct link_sec *secure_link_find(const struct secure *s, const struct mac_addr *peer);

/* group_key.c: the MGTK an Open to the link l carries (our current one or the pending one). */
const uint8_t *group_key_for_open(const struct secure *s, const struct link_sec *l);

/* group_key.c: the refresh state at create (first refresh one period after now). */
void group_key_init(struct secure *s, uint64_t now_ms);

/* group_key.c: the refresh timer and the Informs due at now. */
void group_key_tick(struct secure *s, uint64_t now_ms);

/* group_key.c: its earliest deadline (UINT64_MAX: none). */
uint64_t group_key_next_deadline(const struct secure *s);

#endif
