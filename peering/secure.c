#include "secure.h"

#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "mesh_crypto.h"
#include "peering_frame.h"
#include "secure_internal.h"

void secure_params_default(struct secure_params *p)
{
	memset(p, 0, sizeof(*p));
	sae_params_default(&p->sae);
	p->max_links = 64;
	p->retry_backoff_ms = 10000;
	p->mgtk_refresh_ms = 0;
	p->group_key_retry_ms = 500;
	p->group_key_tries = 5;
}

static void wipe_link(struct link_sec *l)
{
	mesh_wipe(l, sizeof(*l));
}

struct link_sec *secure_link_find(const struct secure *s, const struct mac_addr *peer)
{
	for (unsigned i = 0; i < s->p.max_links; i++)
		if (s->links[i].used && mac_equal(&s->links[i].peer, peer))
			return &s->links[i];
	return NULL;
}

/* The entry of peer, a free one, or one whose only content is an expired back-off; NULL when full. */
static struct link_sec *get(struct secure *s, const struct mac_addr *peer, uint64_t now)
{
	struct link_sec *l = secure_link_find(s, peer), *spare = NULL;

	if (l != NULL)
		return l;
	for (unsigned i = 0; i < s->p.max_links; i++) {
		struct link_sec *c = &s->links[i];

		if (!c->used || (!c->authenticated && c->failed_until_ms <= now)) {
			spare = c;
			break;
		}
	}
	if (spare == NULL) {
		s->c.table_full++;
		return NULL;
	}
	wipe_link(spare);
	spare->used = true;
	spare->peer = *peer;
	return spare;
}

static void send_auth(void *ctx, const struct mac_addr *peer, const uint8_t *body, size_t len)
{
	struct secure *s = ctx;

	if (s->cb.send_auth != NULL)
		s->cb.send_auth(s->cb.ctx, peer, body, len);
}

static void on_accepted(void *ctx, const struct mac_addr *peer, const struct sae_keys *keys, uint64_t now)
{
	struct secure *s = ctx;
	struct link_sec *l = get(s, peer, now);

	if (l == NULL)
		return;
	memcpy(l->pmk, keys->pmk, SAE_PMK_LEN);
	memcpy(l->pmkid, keys->pmkid, SAE_PMKID_LEN);
	/* A fresh nonce per authentication, the peer's unknown until its first AMPE frame: a re-peering
	 * after a new SAE never reuses an MTK. */
	if (ampe_derive_aek(l->pmk, &s->p.sae.self, peer, l->aek) != 0 || ampe_nonce_generate(l->my_nonce) != 0) {
		wipe_link(l);
		return;
	}
	memset(l->peer_nonce, 0, sizeof(l->peer_nonce));
	l->have_peer_nonce = false;
	l->have_peer_keys = false;
	l->keyed = false;
	l->tx_replay = 0; /* a new AEK: the handshake's replay counters start again */
	l->rx_replay = 0;
	l->authenticated = true;
	l->failed_until_ms = 0;
	s->c.authenticated++;
	if (s->cb.authenticated != NULL)
		s->cb.authenticated(s->cb.ctx, peer, now);
}

static void on_failed(void *ctx, const struct mac_addr *peer, uint16_t status, enum sae_failure why, uint64_t now)
{
	struct secure *s = ctx;
	struct link_sec *l = get(s, peer, now);

	s->c.auth_failed++;
	if (l != NULL) {
		struct mac_addr p = l->peer;

		uint32_t r = 0;

		wipe_link(l);
		l->used = true;
		l->peer = p;
		/* Random, as wpa_supplicant's 10 s + rand(10 s): two nodes that failed together do not
		 * start again together. */
		if (s->p.retry_backoff_ms > 0 && mesh_random((uint8_t *)&r, sizeof(r)) == 0)
			r %= s->p.retry_backoff_ms + 1;
		l->failed_until_ms = now + s->p.retry_backoff_ms + r;
		l->quiet_until_ms = now + 2 * (uint64_t)s->p.sae.retrans_ms;
	}
	if (s->cb.auth_failed != NULL)
		s->cb.auth_failed(s->cb.ctx, peer, status, why, now);
}

struct secure *secure_create(const struct secure_params *p, const struct secure_callbacks *cb, uint64_t now_ms)
{
	struct sae_callbacks scb;
	struct secure *s;

	if (p->max_links == 0)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	s->p = *p;
	s->p.sae.password = NULL; /* sae_create keeps its own copy; ours is not needed */
	s->cb = *cb;
	s->links = calloc(p->max_links, sizeof(*s->links));
	if (s->links == NULL || ampe_mgtk_generate(s->mgtk) != 0 || mesh_random(s->igtk, sizeof(s->igtk)) != 0)
		goto fail;
	s->mgtk_key_id = SECURE_MGTK_KEY_ID;
	group_key_init(s, now_ms);
	scb = (struct sae_callbacks){.ctx = s, .send = send_auth, .accepted = on_accepted, .failed = on_failed};
	s->sae = sae_create(&p->sae, &scb, now_ms);
	if (s->sae == NULL)
		goto fail;
	return s;
fail:
	secure_destroy(s);
	return NULL;
}

void secure_destroy(struct secure *s)
{
	if (s == NULL)
		return;
	sae_destroy(s->sae);
	if (s->links != NULL) {
		mesh_wipe(s->links, s->p.max_links * sizeof(*s->links));
		free(s->links);
	}
	mesh_wipe(s, sizeof(*s));
	free(s);
}

const uint8_t *secure_own_mgtk(const struct secure *s)
{
	return s->mgtk;
}

uint8_t secure_own_mgtk_key_id(const struct secure *s)
{
	return s->mgtk_key_id;
}

const uint8_t *secure_own_igtk(const struct secure *s)
{
	return s->igtk;
}

int secure_start(struct secure *s, const struct mac_addr *peer, uint64_t now_ms)
{
	struct link_sec *l = secure_link_find(s, peer);
	struct sae_peer_info info;

	if (l != NULL && l->authenticated)
		return 1;
	if (sae_peer(s->sae, peer, &info))
		return 1;
	if (l != NULL && l->failed_until_ms > now_ms) {
		s->c.auth_backoff++;
		return -1;
	}
	if (sae_start(s->sae, peer, false, now_ms) != 0)
		return -1;
	s->c.auth_started++;
	return 0;
}

int secure_auth_rx(struct secure *s, const struct mac_addr *peer, const uint8_t *body, size_t len, uint64_t now_ms)
{
	const struct link_sec *l = secure_link_find(s, peer);
	struct sae_peer_info info;

	/* Right after a failure the peer's frames of that exchange (retransmitted Commits, Confirms of
	 * its side) are still arriving: taken, each would open a session that pairs our fresh Commit
	 * with its stale ones, fail, and start over, a livelock seen under load. They are dropped until
	 * both sides' retransmissions are over; a Commit after that starts a new exchange. */
	if (l != NULL && l->quiet_until_ms > now_ms && !sae_peer(s->sae, peer, &info)) {
		s->c.rx_after_failure++;
		return -1;
	}
	return sae_rx(s->sae, peer, body, len, now_ms);
}

void secure_tick(struct secure *s, uint64_t now_ms)
{
	sae_tick(s->sae, now_ms);
	group_key_tick(s, now_ms);
}

uint64_t secure_next_deadline(const struct secure *s)
{
	uint64_t sae = sae_next_deadline(s->sae), gk = group_key_next_deadline(s);

	return sae < gk ? sae : gk;
}

bool secure_authenticated(const struct secure *s, const struct mac_addr *peer)
{
	const struct link_sec *l = secure_link_find(s, peer);

	return l != NULL && l->authenticated;
}

int secure_pmkid(const struct secure *s, const struct mac_addr *peer, uint8_t pmkid[MESH_PMKID_LEN])
{
	const struct link_sec *l = secure_link_find(s, peer);

	if (l == NULL || !l->authenticated)
		return -1;
	memcpy(pmkid, l->pmkid, MESH_PMKID_LEN);
	return 0;
}

int secure_protect(struct secure *s, const struct mac_addr *peer, uint8_t *frame, size_t *len, size_t cap,
		   uint64_t mgtk_rsc, uint64_t ipn)
{
	static const uint8_t ccmp[4] = RSN_SUITE_CIPHER_CCMP;
	struct link_sec *l = secure_link_find(s, peer);
	struct ampe_element a;
	int ret;

	if (l == NULL || !l->authenticated || *len <= ACTION_OFF)
		return -1;
	memset(&a, 0, sizeof(a));
	memcpy(a.pairwise_suite, ccmp, 4);
	memcpy(a.local_nonce, l->my_nonce, AMPE_NONCE_LEN);
	memcpy(a.peer_nonce, l->peer_nonce, AMPE_NONCE_LEN);
	if (frame[ACTION_OFF] == WLAN_SP_MESH_PEERING_OPEN) {
		a.has_gtk = true;
		memcpy(a.mgtk, group_key_for_open(s, l), AMPE_MGTK_LEN);
		for (int i = 0; i < AMPE_RSC_LEN; i++)
			a.mgtk_rsc[i] = (uint8_t)(mgtk_rsc >> (8 * i));
		a.mgtk_expiration_s = 0xffffffff; /* no rekeying by time, as wpa_supplicant */
		a.has_igtk = true;
		a.igtk_key_id = SECURE_IGTK_KEY_ID;
		for (int i = 0; i < AMPE_IPN_LEN; i++)
			a.igtk_ipn[i] = (uint8_t)(ipn >> (8 * i));
		memcpy(a.igtk, s->igtk, AMPE_IGTK_LEN);
	}
	ret = ampe_protect(l->aek, &s->p.sae.self, peer, frame, len, cap, &a);
	mesh_wipe(&a, sizeof(a));
	if (ret == 0)
		s->c.frames_protected++;
	return ret;
}

int secure_verify(struct secure *s, const struct mac_addr *peer, const uint8_t *frame, size_t len,
		  const struct peering_mgmt_ie *mpm)
{
	struct link_sec *l = secure_link_find(s, peer);
	struct ampe_element a;
	int ret;

	if (l == NULL || !l->authenticated) {
		s->c.rx_not_authenticated++;
		return -1;
	}
	if (!ampe_pmkid_matches(mpm, l->pmkid)) {
		s->c.rx_bad_pmkid++;
		return -2;
	}
	ret = ampe_verify(l->aek, &s->p.sae.self, peer, frame, len, l->my_nonce, &a);
	if (ret == -2) {
		s->c.rx_mic_failure++;
		return -3;
	}
	if (ret != 0 || len <= ACTION_OFF || (frame[ACTION_OFF] == WLAN_SP_MESH_PEERING_OPEN && !a.has_gtk)) {
		s->c.rx_bad_ampe++;
		mesh_wipe(&a, sizeof(a));
		return -4;
	}
	memcpy(l->peer_nonce, a.local_nonce, AMPE_NONCE_LEN);
	l->have_peer_nonce = true;
	if (frame[ACTION_OFF] == WLAN_SP_MESH_PEERING_OPEN) {
		memcpy(l->peer_mgtk, a.mgtk, AMPE_MGTK_LEN);
		l->peer_mgtk_rsc = 0;
		for (int i = 0; i < AMPE_RSC_LEN; i++)
			l->peer_mgtk_rsc |= (uint64_t)a.mgtk_rsc[i] << (8 * i);
		l->has_peer_igtk = a.has_igtk;
		if (a.has_igtk) {
			memcpy(l->peer_igtk, a.igtk, AMPE_IGTK_LEN);
			l->peer_igtk_key_id = a.igtk_key_id;
			l->peer_ipn = 0;
			for (int i = 0; i < AMPE_IPN_LEN; i++)
				l->peer_ipn |= (uint64_t)a.igtk_ipn[i] << (8 * i);
		}
		l->have_peer_keys = true;
	}
	mesh_wipe(&a, sizeof(a));
	s->c.frames_verified++;
	return 0;
}

int secure_link_keys(struct secure *s, const struct mac_addr *peer, uint16_t llid, uint16_t plid,
		     struct secure_link_keys *out)
{
	struct link_sec *l = secure_link_find(s, peer);

	memset(out, 0, sizeof(*out));
	if (l == NULL || !l->authenticated || !l->have_peer_nonce || !l->have_peer_keys)
		return -1;
	if (ampe_derive_mtk(l->pmk, l->my_nonce, l->peer_nonce, llid, plid, &s->p.sae.self, peer, out->mtk) != 0)
		return -1;
	out->peer = *peer;
	memcpy(out->peer_mgtk, l->peer_mgtk, AMPE_MGTK_LEN);
	/* AMPE does not carry it: wpa_supplicant takes 1; meshplane says it in its extension element. */
	out->peer_mgtk_key_id = l->peer_mgtk_key_id != 0 ? l->peer_mgtk_key_id : SECURE_MGTK_KEY_ID;
	out->peer_mgtk_rsc = l->peer_mgtk_rsc;
	out->has_peer_igtk = l->has_peer_igtk;
	memcpy(out->peer_igtk, l->peer_igtk, AMPE_IGTK_LEN);
	out->peer_igtk_key_id = l->peer_igtk_key_id;
	out->peer_ipn = l->peer_ipn;
	l->keyed = true;
	/* Its Open carried our current MGTK, or the pending one (a peer without the handshake). */
	l->acked = s->pending && l->open_key_id == s->next_key_id;
	l->tries = 0;
	l->next_inform_ms = 0;
	s->c.links_keyed++;
	return 0;
}

void secure_forget(struct secure *s, const struct mac_addr *peer)
{
	struct link_sec *l = secure_link_find(s, peer);

	sae_remove(s->sae, peer);
	if (l == NULL)
		return;
	s->c.forgotten++;
	if (l->failed_until_ms != 0) {
		uint64_t until = l->failed_until_ms, quiet = l->quiet_until_ms;

		wipe_link(l);
		l->used = true;
		l->peer = *peer;
		l->failed_until_ms = until;
		l->quiet_until_ms = quiet;
		return;
	}
	wipe_link(l);
}

const struct secure_counters *secure_get_counters(const struct secure *s)
{
	return &s->c;
}

const struct sae_counters *secure_sae_counters(const struct secure *s)
{
	return sae_get_counters(s->sae);
}

bool secure_sae_peer(const struct secure *s, const struct mac_addr *peer, struct sae_peer_info *out)
{
	return sae_peer(s->sae, peer, out);
}
