/* The SAE protocol instances of one mesh node: the session table, the Nothing / Committed /
 * Confirmed / Accepted machine with hostap's mesh rules (src/ap/ieee802_11.c sae_sm_step), the
 * retransmission timer, anti-clogging tokens and group fallback. The math is in sae_ecc.c. */
#include "sae.h"

#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "mesh_crypto.h"
#include "sae_frame.h"

#define BODY_MAX 512
#define TOKEN_KEY_LEN 32

struct session {
	bool used;
	struct mac_addr peer;
	enum sae_state state;
	unsigned group_idx;               /* into params.groups */
	bool h2e;
	uint16_t sync, sc, rc;
	uint64_t since_ms, deadline_ms;
	uint8_t pwe[SAE_MAX_ELEMENT_LEN];
	uint8_t rand[SAE_MAX_PRIME_LEN];
	uint8_t scalar[SAE_MAX_PRIME_LEN];
	uint8_t element[SAE_MAX_ELEMENT_LEN];
	bool has_peer_commit;
	uint8_t peer_scalar[SAE_MAX_PRIME_LEN];
	uint8_t peer_element[SAE_MAX_ELEMENT_LEN];
	bool has_accepted_scalar;
	uint8_t accepted_peer_scalar[SAE_MAX_PRIME_LEN];
	struct sae_keys keys;
	uint8_t token[SAE_MAX_PEER_TOKEN_LEN]; /* the token the peer asked us to echo */
	size_t token_len;
	uint16_t own_rejected[SAE_MAX_REJECTED]; /* our groups the peer refused (77) */
	unsigned n_own_rejected;
	uint8_t peer_rejected[2 * SAE_MAX_REJECTED]; /* its Rejected Groups element, for the H2E salt */
	size_t peer_rejected_len;
};

struct sae {
	struct sae_params params;
	uint8_t password[SAE_MAX_PASSWORD_LEN];
	struct sae_callbacks cb;
	struct sae_counters c;
	unsigned n_groups;
	struct sae_group *groups[SAE_MAX_GROUPS];
	bool has_pt[SAE_MAX_GROUPS];
	uint8_t pt[SAE_MAX_GROUPS][SAE_MAX_ELEMENT_LEN];
	struct session *sess;
	/* Anti-clogging: tokens are MACs over the peer address under a secret that rotates; the
	 * previous secret still verifies so a token issued just before a rotation stays good. */
	uint8_t token_key[TOKEN_KEY_LEN], prev_token_key[TOKEN_KEY_LEN];
	uint16_t token_gen;
	bool has_prev_key;
	uint64_t token_key_since;
};

static const char *const state_names[] = {"Nothing", "Committed", "Confirmed", "Accepted"};

const char *sae_state_name(enum sae_state st)
{
	return (unsigned)st < sizeof(state_names) / sizeof(state_names[0]) ? state_names[st] : "unknown";
}

const char *sae_failure_name(enum sae_failure why)
{
	switch (why) {
	case SAE_FAIL_CONFIRM_MISMATCH: return "confirm mismatch (password?)";
	case SAE_FAIL_NO_COMMON_GROUP: return "no common group";
	case SAE_FAIL_NO_ANSWER: return "no answer (dot11RSNASAESync exceeded)";
	case SAE_FAIL_PEER_REFUSED: return "refused by the peer";
	case SAE_FAIL_INTERNAL: return "internal error";
	}
	return "unknown";
}

void sae_params_default(struct sae_params *p)
{
	memset(p, 0, sizeof(*p));
	p->pwe = SAE_PWE_HUNT_AND_PECK;
	p->groups[0] = 19;
	p->groups[1] = 20;
	p->groups[2] = 21;
	p->retrans_ms = 1000;
	p->sync_max = 5;
	p->anti_clogging_threshold = 5;
	p->max_sessions = 64;
	p->token_key_lifetime_ms = 60000;
}

static bool pwe_allows(const struct sae *s, bool h2e)
{
	return s->params.pwe == SAE_PWE_BOTH || (s->params.pwe == SAE_PWE_HASH_TO_ELEMENT) == h2e;
}

static int group_index(const struct sae *s, uint16_t id)
{
	for (unsigned i = 0; i < s->n_groups; i++)
		if (s->params.groups[i] == id)
			return (int)i;
	return -1;
}

struct sae *sae_create(const struct sae_params *p, const struct sae_callbacks *cb, uint64_t now_ms)
{
	struct sae *s;

	if (p->password == NULL || p->password_len == 0 || p->password_len > SAE_MAX_PASSWORD_LEN ||
	    p->max_sessions == 0 || p->retrans_ms == 0 || p->token_key_lifetime_ms == 0 || cb->send == NULL ||
	    p->pwe > SAE_PWE_BOTH)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	s->params = *p;
	s->cb = *cb;
	memcpy(s->password, p->password, p->password_len);
	s->params.password = s->password;
	for (unsigned i = 0; i < SAE_MAX_GROUPS && p->groups[i] != 0; i++) {
		unsigned n = s->n_groups;

		/* Unsupported or repeated groups are left out of the list we offer. */
		if (!sae_group_supported(p->groups[i]) || group_index(s, p->groups[i]) >= 0)
			continue;
		s->groups[n] = sae_group_new(p->groups[i]);
		if (s->groups[n] == NULL)
			goto fail;
		s->params.groups[n] = p->groups[i];
		s->n_groups++;
		/* PT depends only on the Mesh ID and the password: one per group for every peer. */
		if (p->pwe != SAE_PWE_HUNT_AND_PECK) {
			if (sae_pt_derive(s->groups[n], p->mesh_id.id, p->mesh_id.len, s->password, p->password_len,
					  NULL, 0, s->pt[n]) < 0)
				goto fail;
			s->has_pt[n] = true;
		}
	}
	for (unsigned i = s->n_groups; i < SAE_MAX_GROUPS; i++)
		s->params.groups[i] = 0;
	if (s->n_groups == 0)
		goto fail;
	s->sess = calloc(p->max_sessions, sizeof(*s->sess));
	if (s->sess == NULL || mesh_random(s->token_key, sizeof(s->token_key)) < 0)
		goto fail;
	s->token_key_since = now_ms;
	return s;
fail:
	sae_destroy(s);
	return NULL;
}

void sae_destroy(struct sae *s)
{
	if (s == NULL)
		return;
	if (s->sess != NULL) {
		mesh_wipe(s->sess, (size_t)s->params.max_sessions * sizeof(*s->sess));
		free(s->sess);
	}
	for (unsigned i = 0; i < SAE_MAX_GROUPS; i++)
		sae_group_free(s->groups[i]);
	mesh_wipe(s, sizeof(*s));
	free(s);
}

static struct session *find(const struct sae *s, const struct mac_addr *peer)
{
	for (unsigned i = 0; i < s->params.max_sessions; i++)
		if (s->sess[i].used && mac_equal(&s->sess[i].peer, peer))
			return &s->sess[i];
	return NULL;
}

static struct session *alloc_session(struct sae *s, const struct mac_addr *peer, uint64_t now)
{
	for (unsigned i = 0; i < s->params.max_sessions; i++) {
		struct session *e = &s->sess[i];

		if (e->used)
			continue;
		memset(e, 0, sizeof(*e));
		e->used = true;
		e->peer = *peer;
		e->state = SAE_NOTHING;
		e->since_ms = now;
		return e;
	}
	return NULL;
}

static void free_session(struct session *e)
{
	mesh_wipe(e, sizeof(*e));
	e->used = false;
}

unsigned sae_session_count(const struct sae *s)
{
	unsigned n = 0;

	for (unsigned i = 0; i < s->params.max_sessions; i++)
		n += s->sess[i].used;
	return n;
}

unsigned sae_open_count(const struct sae *s)
{
	unsigned n = 0;

	for (unsigned i = 0; i < s->params.max_sessions; i++)
		n += s->sess[i].used && (s->sess[i].state == SAE_COMMITTED || s->sess[i].state == SAE_CONFIRMED);
	return n;
}

static struct sae_group *grp(const struct sae *s, const struct session *e)
{
	return s->groups[e->group_idx];
}

static size_t plen(const struct sae *s, const struct session *e)
{
	return sae_group_prime_len(grp(s, e));
}

static void set_state(struct session *e, enum sae_state st, uint64_t now)
{
	e->state = st;
	e->since_ms = now;
	e->sync = 0;
}

static void arm_timer(const struct sae *s, struct session *e, uint64_t now)
{
	e->deadline_ms = now + s->params.retrans_ms;
}

static void fail(struct sae *s, struct session *e, uint16_t status, enum sae_failure why, uint64_t now)
{
	struct mac_addr peer = e->peer;

	s->c.failed++;
	free_session(e);
	if (s->cb.failed != NULL)
		s->cb.failed(s->cb.ctx, &peer, status, why, now);
}

/* Derives the password element and a fresh Commit for the group at idx (Nothing's Init work). */
static int prepare_commit(struct sae *s, struct session *e, unsigned idx, bool h2e)
{
	struct sae_group *g = s->groups[idx];
	int ret;

	e->group_idx = idx;
	e->h2e = h2e;
	e->has_peer_commit = false;
	if (h2e)
		ret = s->has_pt[idx] ? sae_pwe_from_pt(g, s->pt[idx], &s->params.self, &e->peer, e->pwe) : -1;
	else
		ret = sae_pwe_hunt_and_peck(g, &s->params.self, &e->peer, s->password, s->params.password_len, e->pwe);
	if (ret == 0)
		ret = sae_commit_make(g, e->pwe, NULL, NULL, e->rand, e->scalar, e->element);
	if (ret < 0)
		s->c.internal_errors++;
	return ret;
}

static void send_body(struct sae *s, const struct mac_addr *peer, const struct sae_frame *f)
{
	uint8_t body[BODY_MAX];
	int n = sae_frame_encode(body, sizeof(body), f);

	if (n < 0) {
		s->c.internal_errors++;
		return;
	}
	if (f->transaction == SAE_SEQ_COMMIT && (f->status == WLAN_STATUS_SUCCESS || sae_status_is_h2e(f->status)))
		s->c.commit_tx++;
	else if (f->transaction == SAE_SEQ_CONFIRM && f->status == WLAN_STATUS_SUCCESS)
		s->c.confirm_tx++;
	s->cb.send(s->cb.ctx, peer, body, (size_t)n);
}

static void send_commit(struct sae *s, struct session *e)
{
	struct sae_frame f;
	uint8_t rejected[2 * SAE_MAX_REJECTED];

	memset(&f, 0, sizeof(f));
	f.transaction = SAE_SEQ_COMMIT;
	f.status = e->h2e ? WLAN_STATUS_SAE_HASH_TO_ELEMENT : WLAN_STATUS_SUCCESS;
	f.group = s->params.groups[e->group_idx];
	f.scalar = e->scalar;
	f.element = e->element;
	if (e->token_len > 0) {
		f.token = e->token;
		f.token_len = e->token_len;
	}
	/* Rejected Groups exists only with H2E: it binds the fallback into the keys (salt). */
	if (e->h2e && e->n_own_rejected > 0) {
		for (unsigned i = 0; i < e->n_own_rejected; i++)
			put_le16(rejected + 2 * i, e->own_rejected[i]);
		f.rejected_groups = rejected;
		f.rejected_groups_count = e->n_own_rejected;
	}
	send_body(s, &e->peer, &f);
}

static void send_confirm(struct sae *s, struct session *e)
{
	struct sae_frame f;
	uint8_t confirm[SAE_MAX_HASH_LEN];

	if (e->sc < 0xffff)
		e->sc++;
	if (sae_confirm_compute(grp(s, e), e->keys.kck, e->keys.kck_len, e->sc, e->scalar, e->element, e->peer_scalar,
				e->peer_element, confirm) < 0) {
		s->c.internal_errors++;
		return;
	}
	memset(&f, 0, sizeof(f));
	f.transaction = SAE_SEQ_CONFIRM;
	f.send_confirm = e->sc;
	f.confirm = confirm;
	f.confirm_len = e->keys.kck_len;
	send_body(s, &e->peer, &f);
}

/* A Commit-transaction reply carrying only a status and the group (77) or a token (76). */
static void send_status(struct sae *s, const struct mac_addr *peer, uint16_t status, uint16_t group,
			const uint8_t *token, size_t token_len, bool container)
{
	struct sae_frame f;

	memset(&f, 0, sizeof(f));
	f.transaction = SAE_SEQ_COMMIT;
	f.status = status;
	f.group = group;
	f.token = token;
	f.token_len = token_len;
	f.token_in_container = container;
	if (status == WLAN_STATUS_ANTI_CLOGGING_TOKEN_REQ)
		s->c.token_req_tx++;
	else if (status == WLAN_STATUS_FINITE_CYCLIC_GROUP_NOT_SUPPORTED)
		s->c.group_reject_tx++;
	send_body(s, peer, &f);
}

/* Stores the peer's (validated) Commit and derives the shared secret, KCK, PMK and PMKID. */
static int process_peer_commit(struct sae *s, struct session *e, const struct sae_frame *f)
{
	struct sae_group *g = grp(s, e);
	uint8_t k[SAE_MAX_PRIME_LEN], salt[4 * SAE_MAX_REJECTED];
	size_t salt_len = 0, n = plen(s, e);
	bool self_higher = memcmp(s->params.self.bytes, e->peer.bytes, MAC_LEN) > 0;
	int ret;

	memcpy(e->peer_scalar, f->scalar, n);
	memcpy(e->peer_element, f->element, 2 * n);
	e->has_peer_commit = true;
	e->peer_rejected_len = 0;
	if (e->h2e && f->rejected_groups_count > 0) {
		e->peer_rejected_len = 2 * f->rejected_groups_count;
		memcpy(e->peer_rejected, f->rejected_groups, e->peer_rejected_len);
	}
	/* H2E's salt: the Rejected Groups lists, the higher address's first (hostap sae_derive_keys). */
	if (e->h2e && (e->n_own_rejected > 0 || e->peer_rejected_len > 0)) {
		uint8_t own[2 * SAE_MAX_REJECTED];
		size_t own_len = 2 * e->n_own_rejected;

		for (unsigned i = 0; i < e->n_own_rejected; i++)
			put_le16(own + 2 * i, e->own_rejected[i]);
		if (self_higher) {
			memcpy(salt, own, own_len);
			memcpy(salt + own_len, e->peer_rejected, e->peer_rejected_len);
		} else {
			memcpy(salt, e->peer_rejected, e->peer_rejected_len);
			memcpy(salt + e->peer_rejected_len, own, own_len);
		}
		salt_len = own_len + e->peer_rejected_len;
	}
	ret = sae_shared_secret(g, e->pwe, e->rand, e->peer_scalar, e->peer_element, k);
	if (ret == 0)
		ret = sae_derive_keys(g, e->h2e, salt_len > 0 ? salt : NULL, salt_len, k, e->scalar, e->peer_scalar,
				      e->keys.kck, &e->keys.kck_len, e->keys.pmk, e->keys.pmkid);
	mesh_wipe(k, sizeof(k));
	if (ret < 0) {
		s->c.internal_errors++;
		return -1;
	}
	e->keys.group = s->params.groups[e->group_idx];
	e->keys.h2e = e->h2e;
	return 0;
}

static void accept_session(struct sae *s, struct session *e, uint16_t peer_sc, uint64_t now)
{
	set_state(e, SAE_ACCEPTED, now);
	e->deadline_ms = 0;
	e->rc = peer_sc;
	/* hostap sets Sc to its maximum once accepted: later Confirms all carry 0xffff. */
	e->sc = 0xffff;
	memcpy(e->accepted_peer_scalar, e->peer_scalar, plen(s, e));
	e->has_accepted_scalar = true;
	s->c.accepted++;
	if (s->cb.accepted != NULL)
		s->cb.accepted(s->cb.ctx, &e->peer, &e->keys, now);
}

/* Nothing -> Confirmed on a peer's Commit: our Commit and our Confirm go out together (mesh). */
static int answer_commit(struct sae *s, struct session *e, unsigned idx, bool h2e, const struct sae_frame *f,
			 uint64_t now)
{
	if (prepare_commit(s, e, idx, h2e) < 0 || process_peer_commit(s, e, f) < 0)
		return -1;
	send_commit(s, e);
	send_confirm(s, e);
	set_state(e, SAE_CONFIRMED, now);
	arm_timer(s, e, now);
	return 0;
}

/* Anti-clogging token: generation (BE16, high bit clear so it never looks like element 255) ||
 * the first 30 octets of HMAC-SHA256(secret, peer || generation). */
static void make_token(const uint8_t *key, uint16_t gen, const struct mac_addr *peer, uint8_t out[SAE_TOKEN_LEN])
{
	uint8_t mac[32];
	const uint8_t *parts[2] = {peer->bytes, out};
	size_t lens[2] = {MAC_LEN, 2};

	put_be16(out, gen);
	if (hmac_sha2(32, key, TOKEN_KEY_LEN, 2, parts, lens, mac) < 0)
		memset(mac, 0, sizeof(mac)); /* cannot verify: no token will match a random one */
	memcpy(out + 2, mac, SAE_TOKEN_LEN - 2);
}

static void rotate_token_key(struct sae *s, uint64_t now)
{
	if (now - s->token_key_since < s->params.token_key_lifetime_ms)
		return;
	memcpy(s->prev_token_key, s->token_key, TOKEN_KEY_LEN);
	s->has_prev_key = true;
	if (mesh_random(s->token_key, TOKEN_KEY_LEN) < 0)
		s->c.internal_errors++;
	s->token_gen = (uint16_t)((s->token_gen + 1) & 0x7fff);
	s->token_key_since = now;
	s->c.token_key_rotations++;
}

static bool token_valid(struct sae *s, const struct mac_addr *peer, const uint8_t *token, size_t len)
{
	uint8_t expect[SAE_TOKEN_LEN];
	const uint8_t *key = NULL;
	uint16_t gen;
	bool ok;

	if (len != SAE_TOKEN_LEN)
		return false;
	gen = get_be16(token);
	if (gen == s->token_gen)
		key = s->token_key;
	else if (s->has_prev_key && gen == ((s->token_gen - 1) & 0x7fff))
		key = s->prev_token_key;
	if (key == NULL)
		return false;
	make_token(key, gen, peer, expect);
	ok = mesh_equal_ct(expect, token, SAE_TOKEN_LEN);
	mesh_wipe(expect, sizeof(expect));
	return ok;
}

static bool same_commit(const struct sae *s, const struct session *e, const struct sae_frame *f, bool ours)
{
	size_t n = plen(s, e);
	const uint8_t *sc = ours ? e->scalar : e->peer_scalar, *el = ours ? e->element : e->peer_element;

	return memcmp(f->scalar, sc, n) == 0 && memcmp(f->element, el, 2 * n) == 0;
}

static int rx_commit(struct sae *s, struct session *e, const struct mac_addr *peer, const struct sae_frame *f,
		     uint64_t now)
{
	bool h2e = sae_status_is_h2e(f->status);
	int idx;

	if (f->status == WLAN_STATUS_SAE_PK || !pwe_allows(s, h2e)) {
		s->c.rx_pwe_mismatch++;
		return -1;
	}
	idx = f->group_known ? group_index(s, f->group) : -1;
	if (idx < 0) {
		send_status(s, peer, WLAN_STATUS_FINITE_CYCLIC_GROUP_NOT_SUPPORTED, f->group, NULL, 0, false);
		return 0;
	}
	if (f->password_id != NULL) {
		s->c.rx_password_id++;
		send_status(s, peer, WLAN_STATUS_UNKNOWN_PASSWORD_IDENTIFIER, f->group, NULL, 0, false);
		return 0;
	}
	if (f->rejected_groups_count > SAE_MAX_REJECTED) {
		s->c.rx_bad_frame++;
		return -1;
	}
	/* Downgrade protection: the peer says we refused a group, so we must not support it. */
	for (size_t i = 0; i < f->rejected_groups_count; i++)
		if (group_index(s, get_le16(f->rejected_groups + 2 * i)) >= 0) {
			s->c.rx_rejected_downgrade++;
			send_status(s, peer, WLAN_STATUS_UNSPECIFIED_FAILURE, f->group, NULL, 0, false);
			return 0;
		}
	if (!sae_commit_valid(s->groups[idx], f->scalar, f->element)) {
		s->c.rx_bad_commit++;
		return -1;
	}
	if (e == NULL) {
		/* A new peer costs a PWE derivation and a session: above the threshold it must first
		 * prove it receives at its address by echoing a token. */
		unsigned thr = s->params.anti_clogging_threshold;

		if (thr == 0 || sae_open_count(s) >= thr) {
			uint8_t token[SAE_TOKEN_LEN];

			rotate_token_key(s, now);
			if (f->token == NULL) {
				make_token(s->token_key, s->token_gen, peer, token);
				send_status(s, peer, WLAN_STATUS_ANTI_CLOGGING_TOKEN_REQ, f->group, token, sizeof(token), h2e);
				return 0;
			}
			if (!token_valid(s, peer, f->token, f->token_len)) {
				s->c.rx_bad_token++;
				return -1;
			}
		}
		e = alloc_session(s, peer, now);
		if (e == NULL) {
			s->c.rx_table_full++;
			return -1;
		}
		if (answer_commit(s, e, (unsigned)idx, h2e, f, now) < 0) {
			free_session(e);
			return -1;
		}
		return 0;
	}
	switch (e->state) {
	case SAE_COMMITTED:
		if ((unsigned)idx != e->group_idx || h2e != e->h2e) {
			/* Both sides committed with different parameters: the higher address keeps its own,
			 * the lower one adopts the peer's and answers (our rule; hostap refuses with 77). */
			s->c.group_conflicts++;
			if (memcmp(s->params.self.bytes, peer->bytes, MAC_LEN) > 0)
				return -1;
			if (answer_commit(s, e, (unsigned)idx, h2e, f, now) < 0) {
				fail(s, e, WLAN_STATUS_UNSPECIFIED_FAILURE, SAE_FAIL_INTERNAL, now);
				return -1;
			}
			return 0;
		}
		if (same_commit(s, e, f, true)) {
			s->c.rx_reflection++;
			return -1;
		}
		if (process_peer_commit(s, e, f) < 0) {
			fail(s, e, WLAN_STATUS_UNSPECIFIED_FAILURE, SAE_FAIL_INTERNAL, now);
			return -1;
		}
		send_confirm(s, e);
		set_state(e, SAE_CONFIRMED, now);
		arm_timer(s, e, now);
		return 0;
	case SAE_CONFIRMED:
		if ((unsigned)idx == e->group_idx && h2e == e->h2e && same_commit(s, e, f, true)) {
			s->c.rx_reflection++;
			return -1;
		}
		/* The peer has not seen our frames (or restarted): answer again, within Sync. */
		if (e->sync > s->params.sync_max) {
			s->c.sync_exceeded++;
			fail(s, e, WLAN_STATUS_UNSPECIFIED_FAILURE, SAE_FAIL_NO_ANSWER, now);
			return 0;
		}
		e->sync++;
		if ((unsigned)idx == e->group_idx && h2e == e->h2e && same_commit(s, e, f, false)) {
			send_commit(s, e);
			send_confirm(s, e);
		} else if ((unsigned)idx == e->group_idx && h2e == e->h2e) {
			/* A different Commit in the same group: the peer started over. We take its new Commit
			 * and keep our own, as 802.11 §12.4.8.6.5 keeps the instance's scalar and element: if
			 * both sides made new Commits each time, a side's Confirm over the other's previous
			 * Commit would cross its new one and fail, and the retries would cross again (seen
			 * under load, with the right password). */
			if (process_peer_commit(s, e, f) < 0) {
				fail(s, e, WLAN_STATUS_UNSPECIFIED_FAILURE, SAE_FAIL_INTERNAL, now);
				return -1;
			}
			send_commit(s, e);
			send_confirm(s, e);
		} else {
			uint16_t sync = e->sync;

			/* Another group or PWE method: our Commit must be made anew for it. */
			if (answer_commit(s, e, (unsigned)idx, h2e, f, now) < 0) {
				fail(s, e, WLAN_STATUS_UNSPECIFIED_FAILURE, SAE_FAIL_INTERNAL, now);
				return -1;
			}
			e->sync = sync;
		}
		arm_timer(s, e, now);
		return 0;
	case SAE_ACCEPTED:
		if (e->has_accepted_scalar && memcmp(f->scalar, e->accepted_peer_scalar, plen(s, e)) == 0) {
			s->c.rx_replay++;
			return -1;
		}
		/* A new Commit from an accepted peer: it restarted; authenticate anew. */
		s->c.reauth++;
		e->sc = 0;
		e->rc = 0;
		e->token_len = 0;
		if (answer_commit(s, e, (unsigned)idx, h2e, f, now) < 0) {
			fail(s, e, WLAN_STATUS_UNSPECIFIED_FAILURE, SAE_FAIL_INTERNAL, now);
			return -1;
		}
		return 0;
	case SAE_NOTHING:
	default:
		s->c.rx_unexpected++;
		return -1;
	}
}

/* Status 76: send our Commit again with the token; 77: fall back to our next group. */
static int rx_commit_reply(struct sae *s, struct session *e, const struct sae_frame *f, uint64_t now)
{
	if (e == NULL) {
		s->c.rx_unknown_peer++;
		return -1;
	}
	if (e->state != SAE_COMMITTED || f->group != s->params.groups[e->group_idx]) {
		s->c.rx_unexpected++;
		return -1;
	}
	if (f->status == WLAN_STATUS_ANTI_CLOGGING_TOKEN_REQ) {
		if (f->token_len > SAE_MAX_PEER_TOKEN_LEN) {
			s->c.rx_bad_frame++;
			return -1;
		}
		s->c.token_req_rx++;
		memcpy(e->token, f->token, f->token_len);
		e->token_len = f->token_len;
		send_commit(s, e);
		set_state(e, SAE_COMMITTED, now);
		arm_timer(s, e, now);
		return 0;
	}
	s->c.group_reject_rx++;
	if (e->n_own_rejected < SAE_MAX_REJECTED)
		e->own_rejected[e->n_own_rejected++] = f->group;
	for (unsigned next = e->group_idx + 1; next < s->n_groups; next++) {
		e->token_len = 0;
		if (prepare_commit(s, e, next, e->h2e) < 0)
			break;
		send_commit(s, e);
		set_state(e, SAE_COMMITTED, now);
		arm_timer(s, e, now);
		return 0;
	}
	fail(s, e, WLAN_STATUS_FINITE_CYCLIC_GROUP_NOT_SUPPORTED, SAE_FAIL_NO_COMMON_GROUP, now);
	return 0;
}

static bool confirm_verifies(struct sae *s, struct session *e, const struct sae_frame *f)
{
	uint8_t verifier[SAE_MAX_HASH_LEN];
	bool ok;

	if (!e->has_peer_commit || f->confirm_len != e->keys.kck_len)
		return false;
	/* verifier = CN(KCK, peer-send-confirm, peer-scalar, PEER-ELEMENT, scalar, ELEMENT) */
	if (sae_confirm_compute(grp(s, e), e->keys.kck, e->keys.kck_len, f->send_confirm, e->peer_scalar,
				e->peer_element, e->scalar, e->element, verifier) < 0) {
		s->c.internal_errors++;
		return false;
	}
	ok = mesh_equal_ct(verifier, f->confirm, e->keys.kck_len);
	mesh_wipe(verifier, sizeof(verifier));
	return ok;
}

static int rx_confirm(struct sae *s, struct session *e, const struct sae_frame *f, uint64_t now)
{
	if (e == NULL) {
		s->c.rx_unknown_peer++;
		return -1;
	}
	switch (e->state) {
	case SAE_COMMITTED:
		/* Its Commit has not reached us: send ours again so that it sends its own (mesh rule). */
		if (e->sync > s->params.sync_max) {
			s->c.sync_exceeded++;
			fail(s, e, WLAN_STATUS_UNSPECIFIED_FAILURE, SAE_FAIL_NO_ANSWER, now);
			return 0;
		}
		e->sync++;
		send_commit(s, e);
		arm_timer(s, e, now);
		return 0;
	case SAE_CONFIRMED:
		if (!confirm_verifies(s, e, f)) {
			s->c.confirm_mismatch++;
			fail(s, e, WLAN_STATUS_CHALLENGE_FAIL, SAE_FAIL_CONFIRM_MISMATCH, now);
			return 0;
		}
		accept_session(s, e, f->send_confirm, now);
		return 0;
	case SAE_ACCEPTED:
		if (f->send_confirm <= e->rc || f->send_confirm == 0xffff) {
			s->c.rx_replay++;
			return -1;
		}
		/* A forged Confirm must not end an accepted session: only verified ones are answered. */
		if (!confirm_verifies(s, e, f)) {
			s->c.confirm_mismatch++;
			return -1;
		}
		e->rc = f->send_confirm;
		if (e->sync > s->params.sync_max)
			return -1;
		e->sync++;
		send_confirm(s, e);
		return 0;
	case SAE_NOTHING:
	default:
		s->c.rx_unexpected++;
		return -1;
	}
}

int sae_rx(struct sae *s, const struct mac_addr *peer, const uint8_t *body, size_t len, uint64_t now_ms)
{
	struct sae_frame f;
	struct session *e;

	if (sae_frame_decode(body, len, &f) != CODEC_OK) {
		s->c.rx_bad_frame++;
		return -1;
	}
	e = find(s, peer);
	if (f.transaction == SAE_SEQ_COMMIT) {
		switch (f.status) {
		case WLAN_STATUS_SUCCESS:
		case WLAN_STATUS_SAE_HASH_TO_ELEMENT:
		case WLAN_STATUS_SAE_PK:
			s->c.commit_rx++;
			return rx_commit(s, e, peer, &f, now_ms);
		case WLAN_STATUS_ANTI_CLOGGING_TOKEN_REQ:
		case WLAN_STATUS_FINITE_CYCLIC_GROUP_NOT_SUPPORTED:
			return rx_commit_reply(s, e, &f, now_ms);
		default:
			break;
		}
	} else {
		s->c.confirm_rx++;
		if (f.status == WLAN_STATUS_SUCCESS)
			return rx_confirm(s, e, &f, now_ms);
	}
	/* A failure status: the peer gave up on the session we are running with it. */
	if (e == NULL || e->state == SAE_ACCEPTED) {
		s->c.rx_unknown_peer += e == NULL;
		s->c.rx_unexpected += e != NULL;
		return -1;
	}
	s->c.peer_refused++;
	fail(s, e, f.status, SAE_FAIL_PEER_REFUSED, now_ms);
	return 0;
}

int sae_start(struct sae *s, const struct mac_addr *peer, bool peer_h2e, uint64_t now_ms)
{
	struct session *e;
	bool h2e = s->params.pwe == SAE_PWE_HASH_TO_ELEMENT || (s->params.pwe == SAE_PWE_BOTH && peer_h2e);

	if (find(s, peer) != NULL)
		return 1;
	e = alloc_session(s, peer, now_ms);
	if (e == NULL) {
		s->c.start_refused++;
		return -1;
	}
	if (prepare_commit(s, e, 0, h2e) < 0) {
		free_session(e);
		return -1;
	}
	send_commit(s, e);
	set_state(e, SAE_COMMITTED, now_ms);
	arm_timer(s, e, now_ms);
	return 0;
}

void sae_tick(struct sae *s, uint64_t now_ms)
{
	for (unsigned i = 0; i < s->params.max_sessions; i++) {
		struct session *e = &s->sess[i];

		if (!e->used || e->deadline_ms == 0 || e->deadline_ms > now_ms)
			continue;
		if (e->state != SAE_COMMITTED && e->state != SAE_CONFIRMED) {
			e->deadline_ms = 0;
			continue;
		}
		if (e->sync > s->params.sync_max) {
			s->c.sync_exceeded++;
			fail(s, e, WLAN_STATUS_UNSPECIFIED_FAILURE, SAE_FAIL_NO_ANSWER, now_ms);
			continue;
		}
		e->sync++;
		s->c.retransmissions++;
		if (e->state == SAE_COMMITTED)
			send_commit(s, e);
		else
			send_confirm(s, e);
		arm_timer(s, e, now_ms);
	}
	rotate_token_key(s, now_ms);
}

uint64_t sae_next_deadline(const struct sae *s)
{
	uint64_t next = UINT64_MAX;

	for (unsigned i = 0; i < s->params.max_sessions; i++)
		if (s->sess[i].used && s->sess[i].deadline_ms != 0 && s->sess[i].deadline_ms < next)
			next = s->sess[i].deadline_ms;
	return next;
}

int sae_remove(struct sae *s, const struct mac_addr *peer)
{
	struct session *e = find(s, peer);

	if (e == NULL)
		return -1;
	free_session(e);
	return 0;
}

bool sae_peer(const struct sae *s, const struct mac_addr *peer, struct sae_peer_info *out)
{
	const struct session *e = find(s, peer);

	if (e == NULL)
		return false;
	memset(out, 0, sizeof(*out));
	out->peer = e->peer;
	out->state = e->state;
	out->group = s->params.groups[e->group_idx];
	out->h2e = e->h2e;
	out->sync = e->sync;
	out->send_confirm = e->sc;
	out->peer_confirm = e->rc;
	out->since_ms = e->since_ms;
	out->deadline_ms = e->deadline_ms;
	return true;
}

const struct sae_counters *sae_get_counters(const struct sae *s)
{
	return &s->c;
}
