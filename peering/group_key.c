/* The MGTK refresh: a new group key for our group frames, brought to every established peer in a
 * Mesh Group Key Inform (802.11-2016 §14.6) before any frame uses it, so that no receiver ever meets a
 * group frame under a key it lacks. Receivers keep two MGTKs per sender (key IDs 1 and 2), so frames
 * under the old key still in flight after the switch are taken too. */
#include <string.h>

#include "codec.h"
#include "mesh_crypto.h"
#include "mesh_ies.h"
#include "mgmt.h"
#include "peering_frame.h"
#include "secure_internal.h"

#define GK_FRAME_MAX (ACTION_HDR_LEN + 8 + AMPE_TRAILER_MAX_LEN)

static uint8_t other_key_id(uint8_t id)
{
	return id == 1 ? 2 : 1;
}

static bool handshake_peer(const struct link_sec *l)
{
	return l->used && l->authenticated && l->keyed && l->mgk;
}

/* A peer without the handshake is established, or peering: our Open gave it our MGTK of then, and a
 * refresh before its ESTAB would leave it with a key we no longer use. */
static bool legacy_peer_up(const struct secure *s)
{
	for (unsigned i = 0; i < s->p.max_links; i++) {
		const struct link_sec *l = &s->links[i];

		if (l->used && l->authenticated && !l->mgk && (l->keyed || l->open_key_id != 0))
			return true;
	}
	return false;
}

void group_key_init(struct secure *s, uint64_t now_ms)
{
	s->pending = false;
	s->deferred = false;
	s->next_refresh_ms = s->p.mgtk_refresh_ms > 0 ? now_ms + s->p.mgtk_refresh_ms : UINT64_MAX;
}

const uint8_t *group_key_for_open(const struct secure *s, const struct link_sec *l)
{
	return s->pending && l->open_key_id == s->next_key_id ? s->next_mgtk : s->mgtk;
}

static void begin(struct secure *s, uint8_t key_id)
{
	if (ampe_mgtk_generate(s->next_mgtk) != 0)
		return; /* no entropy: tried again at the next tick */
	s->pending = true;
	s->next_key_id = key_id;
	s->next_rsc = s->cb.group_pn != NULL ? s->cb.group_pn(s->cb.ctx) : 0;
	for (unsigned i = 0; i < s->p.max_links; i++) {
		s->links[i].acked = false;
		s->links[i].tries = 0;
		s->links[i].next_inform_ms = 0;
	}
}

/* A refresh waiting for peers without the handshake looks again this often. */
#define DEFERRED_CHECK_MS 1000

static void abandon(struct secure *s, uint64_t now_ms)
{
	s->pending = false;
	mesh_wipe(s->next_mgtk, sizeof(s->next_mgtk));
	s->c.mgtk_refresh_abandoned++;
	if (s->next_refresh_ms != UINT64_MAX)
		s->next_refresh_ms = now_ms + DEFERRED_CHECK_MS;
}

/* Every peer with the handshake holds the new key: switch to it. */
static void maybe_switch(struct secure *s, uint64_t now_ms)
{
	if (!s->pending)
		return;
	for (unsigned i = 0; i < s->p.max_links; i++)
		if (handshake_peer(&s->links[i]) && !s->links[i].acked)
			return;
	memcpy(s->mgtk, s->next_mgtk, AMPE_MGTK_LEN);
	s->mgtk_key_id = s->next_key_id;
	mesh_wipe(s->next_mgtk, sizeof(s->next_mgtk));
	s->pending = false;
	s->deferred = false;
	s->next_refresh_ms = s->p.mgtk_refresh_ms > 0 ? now_ms + s->p.mgtk_refresh_ms : UINT64_MAX;
	s->c.mgtk_refreshes++;
	if (s->cb.own_mgtk != NULL)
		s->cb.own_mgtk(s->cb.ctx, s->mgtk, s->mgtk_key_id);
}

/* Header, category, action, the extension element naming key_id: what precedes MIC and AMPE. */
static size_t frame_start(const struct secure *s, const struct mac_addr *peer, uint8_t action, uint8_t key_id,
			  uint8_t *f, size_t cap)
{
	struct mgmt_hdr h;
	int n;

	memset(&h, 0, sizeof(h));
	h.fc0 = IEEE80211_FC0_ACTION;
	h.addr1 = *peer;
	h.addr2 = s->p.sae.self;
	h.addr3 = s->p.sae.self;
	if (mgmt_hdr_encode(f, cap, &h) < 0)
		return 0;
	f[MGMT_HDR_LEN] = WLAN_CATEGORY_SELF_PROTECTED;
	f[MGMT_HDR_LEN + 1] = action;
	n = mesh_ext_write(f + ACTION_HDR_LEN, cap - ACTION_HDR_LEN, MESH_EXT_MGK, key_id, 0);
	return n < 0 ? 0 : ACTION_HDR_LEN + (size_t)n;
}

static void send_gk(struct secure *s, struct link_sec *l, uint8_t action, uint64_t replay, uint8_t key_id,
		    const uint8_t *mgtk, uint64_t rsc)
{
	static const uint8_t ccmp[4] = RSN_SUITE_CIPHER_CCMP;
	uint8_t f[GK_FRAME_MAX];
	struct ampe_element a;
	size_t len = frame_start(s, &l->peer, action, key_id, f, sizeof(f));

	if (len == 0)
		return;
	memset(&a, 0, sizeof(a));
	memcpy(a.pairwise_suite, ccmp, 4);
	memcpy(a.local_nonce, l->my_nonce, AMPE_NONCE_LEN);
	memcpy(a.peer_nonce, l->peer_nonce, AMPE_NONCE_LEN);
	a.replay_counter = replay;
	if (mgtk != NULL) {
		a.has_gtk = true;
		memcpy(a.mgtk, mgtk, AMPE_MGTK_LEN);
		for (int i = 0; i < AMPE_RSC_LEN; i++)
			a.mgtk_rsc[i] = (uint8_t)(rsc >> (8 * i));
		a.mgtk_expiration_s = 0xffffffff; /* until the next refresh replaces it */
	}
	if (ampe_protect(l->aek, &s->p.sae.self, &l->peer, f, &len, sizeof(f), &a) == 0 && s->cb.send_frame != NULL) {
		s->cb.send_frame(s->cb.ctx, &l->peer, f, len);
		if (action == WLAN_SP_MGK_INFORM)
			s->c.group_key_inform_tx++;
		else
			s->c.group_key_ack_tx++;
	}
	mesh_wipe(&a, sizeof(a));
	mesh_wipe(f, sizeof(f));
}

static int start_refresh(struct secure *s, uint64_t now_ms)
{
	if (s->pending)
		return -1;
	if (legacy_peer_up(s)) {
		if (!s->deferred)
			s->c.mgtk_refresh_deferred++;
		s->deferred = true;
		if (s->next_refresh_ms != UINT64_MAX)
			s->next_refresh_ms = now_ms + DEFERRED_CHECK_MS;
		return -1;
	}
	begin(s, other_key_id(s->mgtk_key_id));
	if (!s->pending)
		return -1;
	maybe_switch(s, now_ms); /* no peer with the handshake: nothing to wait for */
	return 0;
}

int secure_refresh_mgtk(struct secure *s, uint64_t now_ms)
{
	return start_refresh(s, now_ms);
}

bool secure_refresh_pending(const struct secure *s)
{
	return s->pending;
}

void group_key_tick(struct secure *s, uint64_t now_ms)
{
	if (!s->pending && now_ms >= s->next_refresh_ms)
		start_refresh(s, now_ms);
	if (!s->pending)
		return;
	for (unsigned i = 0; i < s->p.max_links; i++) {
		struct link_sec *l = &s->links[i];

		if (!handshake_peer(l) || l->acked || l->next_inform_ms > now_ms)
			continue;
		if (l->tries >= s->p.group_key_tries) {
			struct mac_addr peer = l->peer;

			/* It cannot take our group frames after the switch: give the link up rather than
			 * leave it half working. */
			l->keyed = false;
			s->c.group_key_failed++;
			if (s->cb.group_key_failed != NULL)
				s->cb.group_key_failed(s->cb.ctx, &peer, now_ms);
			continue;
		}
		/* The same Key Replay Counter for every retransmission: the receiver acknowledges it again
		 * without installing anything twice. */
		if (l->tries == 0)
			l->tx_replay++;
		l->tries++;
		l->next_inform_ms = now_ms + s->p.group_key_retry_ms;
		send_gk(s, l, WLAN_SP_MGK_INFORM, l->tx_replay, s->next_key_id, s->next_mgtk, s->next_rsc);
	}
	maybe_switch(s, now_ms);
}

uint64_t group_key_next_deadline(const struct secure *s)
{
	uint64_t t = UINT64_MAX;

	if (!s->pending)
		return s->next_refresh_ms;
	for (unsigned i = 0; i < s->p.max_links; i++) {
		const struct link_sec *l = &s->links[i];

		if (handshake_peer(l) && !l->acked && l->next_inform_ms < t)
			t = l->next_inform_ms;
	}
	return t;
}

void secure_peer_ext(struct secure *s, const struct mac_addr *peer, bool mgk, uint8_t open_key_id,
		     uint64_t open_replay)
{
	struct link_sec *l = secure_link_find(s, peer);

	if (l == NULL)
		return;
	l->mgk = mgk;
	if (open_key_id != 0)
		l->peer_mgtk_key_id = open_key_id;
	/* The same SAE session keeps the nonces across peerings: only the counter tells an Inform of
	 * this peering from one of the last, delayed on the air or replayed. */
	if (open_replay > l->rx_replay) {
		l->rx_replay = open_replay;
		memset(l->rx_inform_mgtk, 0, sizeof(l->rx_inform_mgtk));
		l->rx_inform_key_id = 0;
	}
}

uint8_t secure_prepare_open(struct secure *s, const struct mac_addr *peer, uint64_t now_ms, uint64_t *replay)
{
	struct link_sec *l = secure_link_find(s, peer);

	*replay = 0;
	if (l == NULL)
		return 0;
	*replay = l->tx_replay;
	if (l->mgk) {
		l->open_key_id = s->mgtk_key_id;
		return l->open_key_id;
	}
	/* It takes whatever MGTK it gets as key ID 1 and hears of no other. */
	if (s->mgtk_key_id == 1) {
		if (s->pending)
			abandon(s, now_ms);
		l->open_key_id = 1;
	} else {
		if (!s->pending) {
			begin(s, 1);
			if (!s->pending)
				return 0;
		}
		l->open_key_id = s->next_key_id;
		maybe_switch(s, now_ms);
		if (l->open_key_id != s->mgtk_key_id && !s->pending)
			return 0;
	}
	return l->open_key_id;
}

void secure_link_down(struct secure *s, const struct mac_addr *peer)
{
	struct link_sec *l = secure_link_find(s, peer);

	if (l == NULL)
		return;
	l->keyed = false;
	l->acked = false;
	l->tries = 0;
	l->open_key_id = 0;
}

int secure_group_key_rx(struct secure *s, const struct mac_addr *peer, const uint8_t *frame, size_t len,
			uint64_t now_ms)
{
	struct link_sec *l = secure_link_find(s, peer);
	struct ampe_element a;
	struct mesh_ies ext;
	uint8_t action;
	int ret = -1;

	if (l == NULL || !l->authenticated || !l->keyed || !l->have_peer_nonce || len <= ACTION_OFF)
		goto refused;
	action = frame[ACTION_OFF];
	if (action != WLAN_SP_MGK_INFORM && action != WLAN_SP_MGK_ACK)
		goto refused;
	if (ampe_verify(l->aek, &s->p.sae.self, peer, frame, len, l->my_nonce, &a) != 0)
		goto refused;
	/* Both nonces of this peering, the one it sent too: an Inform of an earlier peering fails here. */
	if (!mesh_equal_ct(a.local_nonce, l->peer_nonce, AMPE_NONCE_LEN) ||
	    !mesh_equal_ct(a.peer_nonce, l->my_nonce, AMPE_NONCE_LEN))
		goto wipe;
	/* The key ID rides in the extension element, the frame's first, covered by AES-SIV. */
	if (len < ACTION_HDR_LEN + 2 || frame[ACTION_HDR_LEN] != WLAN_EID_VENDOR ||
	    mesh_ies_parse(frame + ACTION_HDR_LEN, 2 + (size_t)frame[ACTION_HDR_LEN + 1], &ext) < 0 || !ext.has_ext ||
	    (ext.ext_mgtk_key_id != 1 && ext.ext_mgtk_key_id != 2))
		goto wipe;
	if (action == WLAN_SP_MGK_ACK) {
		if (a.replay_counter != l->tx_replay || l->tx_replay == 0)
			goto wipe;
		/* The answer to a retransmission of our last Inform, late: already taken. */
		if (l->acked || !s->pending) {
			s->c.group_key_ack_duplicate++;
			ret = 0;
			goto wipe;
		}
		/* It answers an Inform of this refresh only if one went out: before that, tx_replay is
		 * still the counter of an earlier peering's Inform, whose late Acknowledge this would be. */
		if (ext.ext_mgtk_key_id != s->next_key_id || l->tries == 0)
			goto wipe;
		l->acked = true;
		s->c.group_key_ack_rx++;
		maybe_switch(s, now_ms);
		ret = 0;
		goto wipe;
	}
	if (a.replay_counter < l->rx_replay)
		goto wipe;
	if (a.replay_counter == l->rx_replay) {
		/* Our Acknowledge was lost: the same Inform again is acknowledged again, anything else
		 * under an old counter is a replay. */
		if (l->rx_replay == 0 || ext.ext_mgtk_key_id != l->rx_inform_key_id ||
		    !mesh_equal_ct(a.mgtk, l->rx_inform_mgtk, AMPE_MGTK_LEN))
			goto wipe;
	} else {
		uint64_t rsc = 0;

		for (int i = 0; i < AMPE_RSC_LEN; i++)
			rsc |= (uint64_t)a.mgtk_rsc[i] << (8 * i);
		l->rx_replay = a.replay_counter;
		l->rx_inform_key_id = ext.ext_mgtk_key_id;
		memcpy(l->rx_inform_mgtk, a.mgtk, AMPE_MGTK_LEN);
		s->c.group_key_inform_rx++;
		if (s->cb.peer_mgtk != NULL)
			s->cb.peer_mgtk(s->cb.ctx, peer, a.mgtk, ext.ext_mgtk_key_id, rsc);
	}
	send_gk(s, l, WLAN_SP_MGK_ACK, a.replay_counter, ext.ext_mgtk_key_id, NULL, 0);
	ret = 0;
wipe:
	mesh_wipe(&a, sizeof(a));
	if (ret == 0)
		return 0;
refused:
	s->c.group_key_rx_refused++;
	return -1;
}
