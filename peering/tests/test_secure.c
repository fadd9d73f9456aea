/* The secure mesh's link setup between two nodes, every piece real: SAE frames through sae_rx, peering
 * frames through the codec, MIC and AMPE through AES-SIV, the MPM deciding. Checked: both ends reach
 * ESTAB with the same MTK and each other's group keys, a wrong password never gets a peering frame
 * through, tampered or unauthenticated peering frames are dropped, a re-authentication gives a new MTK,
 * and a failed peer is backed off. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "mesh_ies.h"
#include "mpm.h"
#include "peering_frame.h"
#include "secure.h"
#include "tests.h"

#define QUEUE 256

enum kind { AUTH, PEERING, GROUP_KEY };

#define NODES 3

struct qframe {
	enum kind kind;
	unsigned from, to;
	uint8_t buf[512];
	size_t len;
};

struct snode {
	struct secure *sec;
	struct mpm *mpm;
	struct peering_local local;
	unsigned authenticated, auth_failed, established;
	uint16_t llid, plid;
	bool keyed;
	struct secure_link_keys keys;          /* of its last established link */
	/* the glue's part of the group key handshake */
	bool legacy;                           /* plays wpa_supplicant: no MESH_EXT_MGK, no handshake */
	bool estab_with[NODES];
	uint8_t rx_mgtk[NODES][2][AMPE_MGTK_LEN]; /* each sender's MGTKs by key ID 1 and 2 */
	unsigned own_switches, peer_installs, failed;
	uint64_t estab_ms, first_open_ms;
};

static struct {
	struct snode n[NODES];
	unsigned n_nodes;
	bool check_group_keys;   /* after every step: every receiver holds each sender's current MGTK */
	unsigned drop_group_key; /* drop the next k group key frames on the air */
	bool drop_all_group_key_from[NODES];
	struct qframe last_inform; /* a copy of the last Inform on the air */
	struct qframe last_ack;    /* and of the last Acknowledge */
	uint64_t drop_peering_until; /* peering frames sent before then are lost */
	struct qframe q[QUEUE];
	unsigned head, tail;
	uint64_t now;
	bool tamper_next_open; /* flip one ciphertext octet of the next Open */
	unsigned dropped_open; /* drop the first k Opens on the air */
} T;

static struct mac_addr node_mac(unsigned i)
{
	struct mac_addr m = {{0x02, 0, 0, 0, 0, (uint8_t)(i + 1)}};
	return m;
}

static unsigned node_index(const struct mac_addr *m)
{
	ck_assert_uint_lt(m->bytes[5] - 1u, NODES);
	return m->bytes[5] - 1u;
}

static struct qframe *enqueue(enum kind k, unsigned from, const struct mac_addr *to)
{
	ck_assert_uint_lt(T.tail - T.head, QUEUE);
	struct qframe *f = &T.q[T.tail++ % QUEUE];

	f->kind = k;
	f->from = from;
	f->to = node_index(to);
	return f;
}

static void send_auth(void *ctx, const struct mac_addr *peer, const uint8_t *body, size_t len)
{
	struct qframe *f = enqueue(AUTH, (unsigned)(uintptr_t)ctx, peer);

	ck_assert_uint_le(len, sizeof(f->buf));
	memcpy(f->buf, body, len);
	f->len = len;
}

static void on_authenticated(void *ctx, const struct mac_addr *peer, uint64_t now)
{
	struct snode *n = &T.n[(uintptr_t)ctx];

	n->authenticated++;
	mpm_candidate(n->mpm, peer, true, now);
}

static void on_auth_failed(void *ctx, const struct mac_addr *peer, uint16_t status, enum sae_failure why, uint64_t now)
{
	(void)peer;
	(void)status;
	(void)why;
	(void)now;
	T.n[(uintptr_t)ctx].auth_failed++;
}

static void mpm_send(void *ctx, const struct mpm_tx *tx)
{
	unsigned from = (unsigned)(uintptr_t)ctx;
	struct snode *n = &T.n[from];
	struct mpm_tx t = *tx;
	struct qframe *f;
	size_t len;
	int ret;

	t.ie.has_pmkid = true;
	ck_assert_int_eq(secure_pmkid(n->sec, &tx->peer, t.ie.pmkid), 0);
	if (tx->action == WLAN_SP_MESH_PEERING_OPEN && n->first_open_ms == 0)
		n->first_open_ms = T.now;
	if (tx->action == WLAN_SP_MESH_PEERING_OPEN && !n->legacy) {
		n->local.mgtk_key_id = secure_prepare_open(n->sec, &tx->peer, T.now, &n->local.mgtk_replay);
		ck_assert_uint_ne(n->local.mgtk_key_id, 0);
	}
	/* lost on the air, after the node made it */
	if (T.now < T.drop_peering_until)
		return;
	if (tx->action == WLAN_SP_MESH_PEERING_OPEN && T.dropped_open > 0) {
		T.dropped_open--;
		return;
	}
	f = enqueue(PEERING, from, &tx->peer);
	ret = peering_frame_encode(f->buf, sizeof(f->buf) - AMPE_TRAILER_MAX_LEN, &n->local, &tx->peer, tx->action,
				   tx->aid, &t.ie);
	ck_assert_int_gt(ret, 0);
	len = (size_t)ret;
	ck_assert_int_eq(secure_protect(n->sec, &tx->peer, f->buf, &len, sizeof(f->buf), 42, 7), 0);
	f->len = len;
	if (tx->action == WLAN_SP_MESH_PEERING_OPEN && T.tamper_next_open) {
		T.tamper_next_open = false;
		f->buf[len - 3] ^= 0x10;
	}
}

static void on_estab(void *ctx, const struct mpm_peer *p, uint64_t now)
{
	struct snode *n = &T.n[(uintptr_t)ctx];

	n->established++;
	n->estab_ms = now;
	n->llid = p->llid;
	n->plid = p->plid;
	n->keyed = secure_link_keys(n->sec, &p->mac, p->llid, p->plid, &n->keys) == 0;
	if (n->keyed) {
		unsigned peer = node_index(&p->mac);
		/* wpa_supplicant installs every peer MGTK as key ID 1 */
		uint8_t id = n->legacy ? 1 : n->keys.peer_mgtk_key_id;

		ck_assert(id == 1 || id == 2);
		memcpy(n->rx_mgtk[peer][id - 1], n->keys.peer_mgtk, AMPE_MGTK_LEN);
		n->estab_with[peer] = true;
	}
}

static void gk_send(void *ctx, const struct mac_addr *peer, const uint8_t *frame, size_t len)
{
	unsigned from = (unsigned)(uintptr_t)ctx;
	struct qframe *f;

	struct qframe *last = frame[ACTION_HDR_LEN - 1] == WLAN_SP_MGK_INFORM ? &T.last_inform : &T.last_ack;

	/* what was on the air, delivered or not */
	ck_assert_uint_le(len, sizeof(last->buf));
	last->kind = GROUP_KEY;
	last->from = from;
	last->to = node_index(peer);
	memcpy(last->buf, frame, len);
	last->len = len;
	if (T.drop_group_key > 0) {
		T.drop_group_key--;
		return;
	}
	if (T.drop_all_group_key_from[from])
		return;
	f = enqueue(GROUP_KEY, from, peer);
	memcpy(f->buf, frame, len);
	f->len = len;
}

static void gk_peer_mgtk(void *ctx, const struct mac_addr *peer, const uint8_t mgtk[AMPE_MGTK_LEN], uint8_t key_id,
			 uint64_t rsc)
{
	struct snode *n = &T.n[(uintptr_t)ctx];

	(void)rsc;
	ck_assert(key_id == 1 || key_id == 2);
	memcpy(n->rx_mgtk[node_index(peer)][key_id - 1], mgtk, AMPE_MGTK_LEN);
	n->peer_installs++;
}

static void gk_own_mgtk(void *ctx, const uint8_t mgtk[AMPE_MGTK_LEN], uint8_t key_id)
{
	struct snode *n = &T.n[(uintptr_t)ctx];

	ck_assert_mem_eq(mgtk, secure_own_mgtk(n->sec), AMPE_MGTK_LEN);
	ck_assert_uint_eq(key_id, secure_own_mgtk_key_id(n->sec));
	n->own_switches++;
}

static void gk_failed(void *ctx, const struct mac_addr *peer, uint64_t now)
{
	struct snode *n = &T.n[(uintptr_t)ctx];

	n->failed++;
	n->estab_with[node_index(peer)] = false;
	mpm_close(n->mpm, peer, WLAN_REASON_MESH_INVALID_GTK, now);
}

static uint64_t gk_pn(void *ctx)
{
	(void)ctx;
	return 1000;
}

static void on_closed(void *ctx, const struct mpm_peer *p, uint16_t reason, uint64_t now)
{
	struct snode *n = &T.n[(uintptr_t)ctx];

	(void)reason;
	(void)now;
	n->estab_with[node_index(&p->mac)] = false;
	secure_link_down(n->sec, &p->mac);
}

static void make_node_refreshing(unsigned i, const char *password, uint64_t refresh_ms, bool legacy)
{
	struct secure_params sp;
	struct mpm_params mp;
	struct secure_callbacks scb = {.ctx = (void *)(uintptr_t)i, .send_auth = send_auth,
				       .authenticated = on_authenticated, .auth_failed = on_auth_failed,
				       .send_frame = gk_send, .group_pn = gk_pn, .peer_mgtk = gk_peer_mgtk,
				       .own_mgtk = gk_own_mgtk, .group_key_failed = gk_failed};
	struct mpm_callbacks mcb = {.ctx = (void *)(uintptr_t)i, .send = mpm_send, .established = on_estab,
				    .closed = on_closed};
	struct snode *n = &T.n[i];

	secure_params_default(&sp);
	sp.sae.self = node_mac(i);
	sp.sae.password = (const uint8_t *)password;
	sp.sae.password_len = strlen(password);
	mesh_id_set(&sp.sae.mesh_id, "campus-mesh");
	sp.mgtk_refresh_ms = refresh_ms;
	n->legacy = legacy;
	n->sec = secure_create(&sp, &scb, T.now);
	ck_assert_ptr_nonnull(n->sec);
	mpm_params_default(&mp);
	mp.protocol = MESH_PEERING_PROTO_AMPE;
	mp.auto_open = true;
	mp.seed = 77 + i;
	n->mpm = mpm_create(&mp, &mcb);
	ck_assert_ptr_nonnull(n->mpm);
	n->local.self = node_mac(i);
	mesh_rates_default_2ghz(&n->local.rates);
	mesh_id_set(&n->local.mesh_id, "campus-mesh");
	n->local.mesh_config.path_sel_protocol = 1;
	n->local.mesh_config.path_sel_metric = 1;
	n->local.mesh_config.sync_method = 1;
	n->local.mesh_config.auth_protocol = 1;
	n->local.mesh_config.capability = 0x09;
	n->local.ext_flags = legacy ? 0 : MESH_EXT_MGK;
	T.n_nodes = i + 1 > T.n_nodes ? i + 1 : T.n_nodes;
}

static void make_node(unsigned i, const char *password)
{
	make_node_refreshing(i, password, 0, false);
}

static void setup_pair(const char *pw0, const char *pw1)
{
	memset(&T, 0, sizeof(T));
	T.now = 1000;
	make_node(0, pw0);
	make_node(1, pw1);
}

static void teardown_pair(void)
{
	for (unsigned i = 0; i < T.n_nodes; i++) {
		mpm_destroy(T.n[i].mpm);
		secure_destroy(T.n[i].sec);
	}
}

/* Delivers every queued frame (the air takes no time). */
static void deliver(void)
{
	while (T.head != T.tail) {
		struct qframe f = T.q[T.head++ % QUEUE];
		unsigned to = f.to;
		struct snode *n = &T.n[to];
		struct mac_addr from = node_mac(f.from);
		struct peering_frame pf;
		struct mpm_rx rx;

		if (f.kind == AUTH) {
			secure_auth_rx(n->sec, &from, f.buf, f.len, T.now);
			continue;
		}
		if (f.kind == GROUP_KEY) {
			if (!n->legacy) /* wpa_supplicant ignores these action codes */
				secure_group_key_rx(n->sec, &from, f.buf, f.len, T.now);
			continue;
		}
		ck_assert_int_eq(peering_frame_decode(f.buf, f.len, &pf), 0);
		if (secure_verify(n->sec, &from, f.buf, f.len, &pf.mpm) != 0)
			continue;
		if (!n->legacy)
			secure_peer_ext(n->sec, &from, pf.elems.has_ext && (pf.elems.ext_flags & MESH_EXT_MGK),
					pf.action == WLAN_SP_MESH_PEERING_OPEN && pf.elems.has_ext ? pf.elems.ext_mgtk_key_id : 0,
					pf.action == WLAN_SP_MESH_PEERING_OPEN && pf.elems.has_ext ? pf.elems.ext_replay : 0);
		memset(&rx, 0, sizeof(rx));
		rx.action = pf.action;
		rx.ie = pf.mpm;
		rx.aid = pf.aid;
		mpm_rx(n->mpm, &from, &rx, true, T.now);
	}
}

/* What a group data frame needs: a receiver established with a sender holds, under the key ID the
 * sender's frames carry now, the sender's current MGTK (the receiver's glue as it is told). */
static void check_group_keys(void)
{
	for (unsigned tx = 0; tx < T.n_nodes; tx++)
		for (unsigned rx = 0; rx < T.n_nodes; rx++) {
			uint8_t id = secure_own_mgtk_key_id(T.n[tx].sec);

			if (rx == tx || !T.n[rx].estab_with[tx] || !T.n[tx].estab_with[rx])
				continue;
			ck_assert_msg(memcmp(T.n[rx].rx_mgtk[tx][id - 1], secure_own_mgtk(T.n[tx].sec), AMPE_MGTK_LEN) == 0,
				      "at %llu ms node %u lacks node %u's MGTK (key ID %u)", (unsigned long long)T.now, rx,
				      tx, id);
		}
}

/* Runs both nodes for `ms`: frames are delivered as soon as they are sent, so a frame sent by one
 * node's timer reaches the other before that node's timer of the same millisecond runs. */
static void run(uint64_t ms)
{
	uint64_t end = T.now + ms;

	deliver();
	while (T.now < end) {
		T.now += 10;
		for (unsigned i = 0; i < T.n_nodes; i++) {
			if (secure_next_deadline(T.n[i].sec) <= T.now)
				secure_tick(T.n[i].sec, T.now);
			mpm_tick(T.n[i].mpm, T.now);
			deliver();
		}
		if (T.check_group_keys)
			check_group_keys();
	}
}

START_TEST(secure_link_comes_up_with_matching_keys)
{
	struct mac_addr a = node_mac(0), b = node_mac(1);

	setup_pair("correct horse", "correct horse");
	ck_assert_int_eq(secure_start(T.n[0].sec, &b, T.now), 0);
	ck_assert_int_eq(secure_start(T.n[1].sec, &a, T.now), 0);
	run(3000);
	for (unsigned i = 0; i < 2; i++) {
		ck_assert_uint_eq(T.n[i].authenticated, 1);
		ck_assert_uint_eq(T.n[i].established, 1);
		ck_assert(T.n[i].keyed);
		ck_assert_uint_ge(secure_get_counters(T.n[i].sec)->frames_verified, 2);
	}
	ck_assert_mem_eq(T.n[0].keys.mtk, T.n[1].keys.mtk, AMPE_MTK_LEN);
	ck_assert_mem_eq(T.n[0].keys.peer_mgtk, secure_own_mgtk(T.n[1].sec), AMPE_MGTK_LEN);
	ck_assert_mem_eq(T.n[1].keys.peer_mgtk, secure_own_mgtk(T.n[0].sec), AMPE_MGTK_LEN);
	ck_assert(T.n[0].keys.has_peer_igtk && T.n[1].keys.has_peer_igtk);
	ck_assert_mem_eq(T.n[0].keys.peer_igtk, secure_own_igtk(T.n[1].sec), AMPE_IGTK_LEN);
	ck_assert_uint_eq(T.n[0].keys.peer_igtk_key_id, SECURE_IGTK_KEY_ID);
	ck_assert_uint_eq(T.n[0].keys.peer_mgtk_key_id, SECURE_MGTK_KEY_ID);
	ck_assert_uint_eq(T.n[0].keys.peer_mgtk_rsc, 42);
	ck_assert_uint_eq(T.n[0].keys.peer_ipn, 7);
	/* Group keys differ per node (each sends under its own). */
	ck_assert(memcmp(secure_own_mgtk(T.n[0].sec), secure_own_mgtk(T.n[1].sec), AMPE_MGTK_LEN) != 0);

	/* The link closes and the peers meet again: a new SAE, a new MTK. */
	uint8_t old_mtk[AMPE_MTK_LEN];

	memcpy(old_mtk, T.n[0].keys.mtk, AMPE_MTK_LEN);
	for (unsigned i = 0; i < 2; i++) {
		mpm_forget(T.n[i].mpm, i == 0 ? &b : &a, T.now);
		secure_forget(T.n[i].sec, i == 0 ? &b : &a);
		ck_assert(!secure_authenticated(T.n[i].sec, i == 0 ? &b : &a));
	}
	ck_assert_int_eq(secure_start(T.n[0].sec, &b, T.now), 0);
	run(3000);
	ck_assert_uint_eq(T.n[0].established, 2);
	ck_assert_uint_eq(T.n[1].established, 2);
	ck_assert_mem_eq(T.n[0].keys.mtk, T.n[1].keys.mtk, AMPE_MTK_LEN);
	ck_assert(memcmp(old_mtk, T.n[0].keys.mtk, AMPE_MTK_LEN) != 0);
	teardown_pair();
}
END_TEST

START_TEST(secure_wrong_password_never_peers)
{
	struct mac_addr a = node_mac(0), b = node_mac(1);

	setup_pair("correct horse", "battery staple");
	ck_assert_int_eq(secure_start(T.n[0].sec, &b, T.now), 0);
	ck_assert_int_eq(secure_start(T.n[1].sec, &a, T.now), 0);
	run(8000);
	for (unsigned i = 0; i < 2; i++) {
		ck_assert_uint_eq(T.n[i].authenticated, 0);
		ck_assert_uint_ge(T.n[i].auth_failed, 1);
		ck_assert_uint_eq(T.n[i].established, 0);
		ck_assert_uint_eq(secure_get_counters(T.n[i].sec)->frames_protected, 0);
	}
	/* Backed off: no new attempt for retry_backoff_ms plus up to as much at random. */
	ck_assert_int_eq(secure_start(T.n[0].sec, &b, T.now), -1);
	ck_assert_uint_eq(secure_get_counters(T.n[0].sec)->auth_backoff, 1);
	T.now += 20001;
	ck_assert_int_eq(secure_start(T.n[0].sec, &b, T.now), 0);
	teardown_pair();
}
END_TEST

/* Right after a failed SAE the peer's late frames of that exchange open no session (they would pair
 * a fresh Commit with stale ones and fail again, over and over: seen in the lab under load); after
 * two retransmission periods a Commit from it starts a new exchange. */
START_TEST(secure_failure_drains_late_frames)
{
	struct mac_addr a = node_mac(0), b = node_mac(1);
	struct sae_peer_info info;
	struct qframe late;
	bool found = false;

	setup_pair("correct horse", "battery staple");
	ck_assert_int_eq(secure_start(T.n[0].sec, &b, T.now), 0);
	ck_assert_int_eq(secure_start(T.n[1].sec, &a, T.now), 0);
	for (unsigned i = T.head; !found && i != T.tail; i++)
		if (T.q[i % QUEUE].kind == AUTH && T.q[i % QUEUE].from == 1) {
			late = T.q[i % QUEUE];
			found = true;
		}
	ck_assert(found);
	run(100);
	ck_assert_uint_ge(T.n[0].auth_failed, 1);
	ck_assert(!secure_sae_peer(T.n[0].sec, &b, &info));
	secure_auth_rx(T.n[0].sec, &b, late.buf, late.len, T.now);
	ck_assert(!secure_sae_peer(T.n[0].sec, &b, &info));
	ck_assert_uint_eq(secure_get_counters(T.n[0].sec)->rx_after_failure, 1);
	T.now += 2001;
	T.head = T.tail; /* A's answers are not wanted here */
	secure_auth_rx(T.n[0].sec, &b, late.buf, late.len, T.now);
	ck_assert(secure_sae_peer(T.n[0].sec, &b, &info));
	ck_assert_uint_eq(secure_get_counters(T.n[0].sec)->rx_after_failure, 1);
	teardown_pair();
}
END_TEST

START_TEST(secure_drops_tampered_and_unauthenticated)
{
	struct mac_addr a = node_mac(0), b = node_mac(1);
	struct peering_mgmt_ie ie;
	uint8_t frame[512];
	int n;

	setup_pair("correct horse", "correct horse");
	/* A peering frame before any SAE: dropped, counted. */
	memset(&ie, 0, sizeof(ie));
	ie.protocol = MESH_PEERING_PROTO_AMPE;
	ie.llid = 5;
	ie.has_pmkid = true;
	n = peering_frame_encode(frame, sizeof(frame), &T.n[0].local, &b, WLAN_SP_MESH_PEERING_OPEN, 0, &ie);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(secure_verify(T.n[1].sec, &a, frame, (size_t)n, &ie), -1);
	ck_assert_uint_eq(secure_get_counters(T.n[1].sec)->rx_not_authenticated, 1);

	/* The first Open is changed on the air: its MIC fails, the retry gets through. */
	T.tamper_next_open = true;
	ck_assert_int_eq(secure_start(T.n[0].sec, &b, T.now), 0);
	run(5000);
	ck_assert_uint_ge(secure_get_counters(T.n[0].sec)->rx_mic_failure + secure_get_counters(T.n[1].sec)->rx_mic_failure,
			  1);
	ck_assert_uint_eq(T.n[0].established, 1);
	ck_assert_uint_eq(T.n[1].established, 1);
	ck_assert_mem_eq(T.n[0].keys.mtk, T.n[1].keys.mtk, AMPE_MTK_LEN);

	/* Another PMKID in element 117: dropped before AES-SIV. */
	ie.pmkid[0] ^= 0xff;
	ck_assert_int_eq(secure_verify(T.n[1].sec, &a, frame, (size_t)n, &ie), -2);
	teardown_pair();
}
END_TEST

/* hostap's test_wpas_mesh_secure_dropped_frame: the first Opens are lost on the air. */
START_TEST(secure_first_opens_dropped)
{
	struct mac_addr b = node_mac(1);

	setup_pair("correct horse", "correct horse");
	T.dropped_open = 2;
	ck_assert_int_eq(secure_start(T.n[0].sec, &b, T.now), 0);
	run(5000);
	ck_assert_uint_eq(T.n[0].established, 1);
	ck_assert_uint_eq(T.n[1].established, 1);
	ck_assert_mem_eq(T.n[0].keys.mtk, T.n[1].keys.mtk, AMPE_MTK_LEN);
	teardown_pair();
}
END_TEST

static const struct secure_counters *cnt(unsigned i)
{
	return secure_get_counters(T.n[i].sec);
}

/* Nodes i and j (already made) authenticate and peer; group keys checked from then on. */
static void peer_up(unsigned i, unsigned j)
{
	struct mac_addr mi = node_mac(i), mj = node_mac(j);

	ck_assert_int_eq(secure_start(T.n[i].sec, &mj, T.now), 0);
	ck_assert_int_ge(secure_start(T.n[j].sec, &mi, T.now), 0);
	run(3000);
	ck_assert(T.n[i].estab_with[j] && T.n[j].estab_with[i]);
	T.check_group_keys = true;
}

static void setup_refreshing(unsigned nodes, uint64_t refresh_ms, unsigned legacy_node)
{
	memset(&T, 0, sizeof(T));
	T.now = 1000;
	for (unsigned i = 0; i < nodes; i++)
		make_node_refreshing(i, "correct horse", i == legacy_node ? 0 : refresh_ms, i == legacy_node);
}

/* Both sides refresh every second for 20 s; at every 10 ms step each holds the other's current MGTK,
 * so no group frame ever meets a receiver without its key. */
START_TEST(group_key_refresh_keeps_every_receiver_keyed)
{
	setup_refreshing(2, 1000, NODES);
	peer_up(0, 1);
	run(20000);
	for (unsigned i = 0; i < 2; i++) {
		ck_assert_uint_ge(cnt(i)->mgtk_refreshes, 15);
		ck_assert_uint_eq(T.n[i].own_switches, cnt(i)->mgtk_refreshes);
		ck_assert_uint_eq(cnt(1 - i)->group_key_inform_rx, cnt(i)->mgtk_refreshes +
				  (secure_refresh_pending(T.n[i].sec) ? 1 : 0));
		ck_assert_uint_eq(cnt(i)->group_key_rx_refused, 0);
		ck_assert_uint_eq(cnt(i)->group_key_failed, 0);
		ck_assert_uint_eq(T.n[i].established, 1); /* no re-peering on the way */
	}
	/* Key IDs alternate: an odd number of refreshes leaves key ID 2. */
	ck_assert_uint_eq(secure_own_mgtk_key_id(T.n[0].sec), cnt(0)->mgtk_refreshes % 2 ? 2 : 1);
	teardown_pair();
}
END_TEST

/* Lost Informs and Acknowledges are sent again; a retransmitted Inform is acknowledged without a second
 * install; an old Inform replayed later, or a changed one, is refused. */
START_TEST(group_key_losses_replays_and_forgeries)
{
	struct mac_addr a = node_mac(0);
	struct qframe old;

	setup_refreshing(2, 0, NODES);
	peer_up(0, 1);
	T.drop_group_key = 1; /* the first Inform */
	ck_assert_int_eq(secure_refresh_mgtk(T.n[0].sec, T.now), 0);
	run(2000);
	ck_assert_uint_eq(cnt(0)->mgtk_refreshes, 1);
	ck_assert_uint_eq(cnt(0)->group_key_inform_tx, 2);
	ck_assert_uint_eq(cnt(1)->group_key_inform_rx, 1);
	old = T.last_inform;
	/* the Acknowledges are lost this time: the Inform again, acknowledged again, installed once */
	{
		unsigned installs = T.n[1].peer_installs;

		T.drop_all_group_key_from[1] = true;
		ck_assert_int_eq(secure_refresh_mgtk(T.n[0].sec, T.now), 0);
		run(300);
		T.drop_all_group_key_from[1] = false;
		run(2000);
		ck_assert_uint_eq(T.n[1].peer_installs, installs + 1);
	}
	ck_assert_uint_eq(cnt(0)->mgtk_refreshes, 2);
	ck_assert_uint_eq(cnt(1)->group_key_ack_tx, 3);
	ck_assert_uint_eq(cnt(0)->group_key_ack_rx, 2);
	/* an Acknowledge that comes late, after the switch (the answer to a retransmission): taken
	 * quietly, not a refusal */
	{
		struct mac_addr b = node_mac(1);

		ck_assert_int_eq(secure_group_key_rx(T.n[0].sec, &b, T.last_ack.buf, T.last_ack.len, T.now), 0);
		ck_assert_uint_eq(cnt(0)->group_key_ack_duplicate, 1);
		ck_assert_uint_eq(cnt(0)->group_key_rx_refused, 0);
	}
	/* the first refresh's Inform, replayed: refused */
	ck_assert_int_eq(secure_group_key_rx(T.n[1].sec, &a, old.buf, old.len, T.now), -1);
	ck_assert_uint_eq(cnt(1)->group_key_rx_refused, 1);
	/* a changed octet of the ciphertext: refused */
	old = T.last_inform;
	old.buf[old.len - 1] ^= 1;
	ck_assert_int_eq(secure_group_key_rx(T.n[1].sec, &a, old.buf, old.len, T.now), -1);
	ck_assert_uint_eq(cnt(1)->group_key_rx_refused, 2);
	ck_assert_uint_eq(cnt(1)->group_key_inform_rx, 2);
	teardown_pair();
}
END_TEST

/* A peer that never acknowledges is given up on after group_key_tries Informs (the glue closes the
 * link); the switch then goes ahead, and the link comes back with the new key in its Open. */
START_TEST(group_key_unacknowledged_peer_is_closed)
{
	struct mac_addr a = node_mac(0), b = node_mac(1);

	setup_refreshing(2, 0, NODES);
	peer_up(0, 1);
	T.drop_all_group_key_from[1] = true;
	ck_assert_int_eq(secure_refresh_mgtk(T.n[0].sec, T.now), 0);
	run(2000);
	T.check_group_keys = false; /* B holds the new key, A does not know it */
	run(2000);
	ck_assert_uint_eq(T.n[0].failed, 1);
	ck_assert_uint_eq(cnt(0)->group_key_failed, 1);
	ck_assert_uint_eq(cnt(0)->group_key_inform_tx, 5);
	ck_assert_uint_eq(cnt(0)->mgtk_refreshes, 1);
	T.drop_all_group_key_from[1] = false;
	/* their beacons make them candidates again */
	run(200);
	mpm_candidate(T.n[0].mpm, &b, true, T.now);
	mpm_candidate(T.n[1].mpm, &a, true, T.now);
	run(3000);
	ck_assert(T.n[0].estab_with[1] && T.n[1].estab_with[0]);
	check_group_keys();
	teardown_pair();
}
END_TEST

/* wpa_supplicant (node 1 here) has no handshake: with it established, refreshes wait and are counted;
 * our key stays key ID 1, which is what it took. */
START_TEST(group_key_waits_for_legacy_peers)
{
	setup_refreshing(2, 1000, 1);
	peer_up(0, 1);
	run(5000);
	ck_assert_uint_eq(cnt(0)->mgtk_refreshes, 0);
	ck_assert_uint_eq(cnt(0)->mgtk_refresh_deferred, 1);
	ck_assert_uint_eq(cnt(0)->group_key_inform_tx, 0);
	ck_assert_uint_eq(secure_own_mgtk_key_id(T.n[0].sec), 1);
	ck_assert_int_eq(secure_refresh_mgtk(T.n[0].sec, T.now), -1);
	teardown_pair();
}
END_TEST

/* A refresh falling between our Open to wpa_supplicant and its ESTAB waits too: the Open gave it the
 * key ID 1 MGTK of then (seen against wpa_supplicant 2.10: switched away, our group HWMP unreadable). */
START_TEST(group_key_waits_for_a_legacy_peering)
{
	struct mac_addr a = node_mac(0), b = node_mac(1);

	setup_refreshing(2, 1000, 1);
	T.check_group_keys = true;
	T.now = 1850; /* SAE is done within 100 ms; the first refresh is due at 2000 */
	T.drop_peering_until = 2100; /* the peering takes retries: its ESTAB comes after 2000 */
	ck_assert_int_eq(secure_start(T.n[0].sec, &b, T.now), 0);
	ck_assert_int_eq(secure_start(T.n[1].sec, &a, T.now), 0);
	run(3000);
	ck_assert(T.n[0].estab_with[1] && T.n[1].estab_with[0]);
	ck_assert_uint_lt(T.n[0].first_open_ms, 2000);
	ck_assert_uint_gt(T.n[0].estab_ms, 2000);
	ck_assert_uint_eq(secure_own_mgtk_key_id(T.n[0].sec), 1);
	ck_assert_uint_eq(cnt(0)->mgtk_refreshes, 0);
	ck_assert_uint_ge(cnt(0)->mgtk_refresh_deferred, 1);
	teardown_pair();
}
END_TEST

/* Node 0 refreshed to key ID 2 with node 2 (ours); then wpa_supplicant (node 1) peers: its Open gets a
 * new key ID 1 MGTK, which node 2 is informed of before node 0 switches to it. A refresh to key ID 2
 * under way when such a peer comes is abandoned. */
START_TEST(group_key_legacy_peer_joins)
{
	setup_refreshing(3, 0, 1);
	peer_up(0, 2);
	ck_assert_int_eq(secure_refresh_mgtk(T.n[0].sec, T.now), 0);
	run(1000);
	ck_assert_uint_eq(secure_own_mgtk_key_id(T.n[0].sec), 2);
	peer_up(0, 1);
	run(1000);
	check_group_keys();
	ck_assert_uint_eq(secure_own_mgtk_key_id(T.n[0].sec), 1);
	ck_assert_uint_eq(cnt(0)->mgtk_refreshes, 2);
	ck_assert_mem_eq(T.n[1].rx_mgtk[0][0], secure_own_mgtk(T.n[0].sec), AMPE_MGTK_LEN);
	teardown_pair();

	/* the abandoned refresh: node 2's Acknowledges are held back so that it is still under way */
	setup_refreshing(3, 0, 1);
	peer_up(0, 2);
	T.drop_all_group_key_from[2] = true;
	ck_assert_int_eq(secure_refresh_mgtk(T.n[0].sec, T.now), 0);
	peer_up(0, 1);
	ck_assert_uint_eq(cnt(0)->mgtk_refresh_abandoned, 1);
	ck_assert(!secure_refresh_pending(T.n[0].sec));
	ck_assert_uint_eq(secure_own_mgtk_key_id(T.n[0].sec), 1);
	T.drop_all_group_key_from[2] = false;
	run(2000);
	check_group_keys();
	ck_assert_uint_eq(cnt(0)->group_key_failed, 0);
	teardown_pair();
}
END_TEST

/* An Inform of an earlier peering (the same SAE session, so the same nonces), delayed on the air or
 * replayed after the link came back, must not overwrite the key the new Open gave: the Open says how
 * far the sender's Inform counter got (found by fuzz_group_key). */
START_TEST(group_key_refuses_an_inform_of_an_earlier_peering)
{
	struct mac_addr a = node_mac(0), b = node_mac(1);
	struct qframe stale;

	setup_refreshing(2, 0, NODES);
	peer_up(0, 1);
	T.drop_all_group_key_from[0] = true; /* B never hears A's Informs: A gives the link up */
	ck_assert_int_eq(secure_refresh_mgtk(T.n[0].sec, T.now), 0);
	T.check_group_keys = false;
	run(4000);
	ck_assert_uint_eq(cnt(0)->group_key_failed, 1);
	stale = T.last_inform;
	T.drop_all_group_key_from[0] = false;
	mpm_candidate(T.n[0].mpm, &b, true, T.now);
	mpm_candidate(T.n[1].mpm, &a, true, T.now);
	run(3000);
	ck_assert(T.n[0].estab_with[1] && T.n[1].estab_with[0]);
	check_group_keys();
	ck_assert_int_eq(secure_group_key_rx(T.n[1].sec, &a, stale.buf, stale.len, T.now), -1);
	ck_assert_uint_eq(cnt(1)->group_key_inform_rx, 0);
	check_group_keys();
	teardown_pair();
}
END_TEST

Suite *secure_suite(void)
{
	Suite *s = suite_create("secure");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, secure_link_comes_up_with_matching_keys);
	tcase_add_test(tc, secure_wrong_password_never_peers);
	tcase_add_test(tc, secure_failure_drains_late_frames);
	tcase_add_test(tc, secure_drops_tampered_and_unauthenticated);
	tcase_add_test(tc, secure_first_opens_dropped);
	tcase_add_test(tc, group_key_refresh_keeps_every_receiver_keyed);
	tcase_add_test(tc, group_key_losses_replays_and_forgeries);
	tcase_add_test(tc, group_key_unacknowledged_peer_is_closed);
	tcase_add_test(tc, group_key_waits_for_legacy_peers);
	tcase_add_test(tc, group_key_legacy_peer_joins);
	tcase_add_test(tc, group_key_waits_for_a_legacy_peering);
	tcase_add_test(tc, group_key_refuses_an_inform_of_an_earlier_peering);
	suite_add_tcase(s, tc);
	return s;
}
