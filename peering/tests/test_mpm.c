/* MPM state machine: instances wired through the real frame codec (encode, decode, deliver), state by
 * state, with drops, timers, refusals, restarts and an Open storm. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "mpm.h"
#include "peering_frame.h"

#define NODES 4
#define QUEUE 4096

struct frame {
	unsigned from;
	uint8_t buf[256];
	size_t len;
};

struct node {
	struct mpm *m;
	struct peering_local local;
	unsigned established, closed;
	uint16_t last_closed_reason;
};

static struct {
	struct node n[NODES];
	unsigned count;
	struct frame q[QUEUE];
	unsigned head, tail;
	uint64_t now;
	unsigned drop_next[NODES]; /* drop the next k frames node i sends */
	bool mismatch;             /* receivers judge every Open/Confirm as not matching */
	unsigned sent[NODES][4];   /* frames sent per node and action */
	uint16_t last_reason[NODES];
	struct mac_addr last_to[NODES];
} N;

static struct mac_addr addr(uint8_t a)
{
	struct mac_addr m = {{0x02, 0, 0, 0, 0, a}};
	return m;
}

static unsigned node_of(const struct mac_addr *mac)
{
	for (unsigned i = 0; i < N.count; i++)
		if (mac_equal(&N.n[i].local.self, mac))
			return i;
	return UINT32_MAX;
}

static void on_send(void *ctx, const struct mpm_tx *tx)
{
	unsigned from = (unsigned)(uintptr_t)ctx;
	struct frame *f;
	int len;

	N.sent[from][tx->action]++;
	N.last_to[from] = tx->peer;
	if (tx->action == WLAN_SP_MESH_PEERING_CLOSE)
		N.last_reason[from] = tx->ie.reason;
	if (N.drop_next[from] > 0) {
		N.drop_next[from]--;
		return;
	}
	ck_assert_uint_lt(N.tail - N.head, QUEUE);
	f = &N.q[N.tail++ % QUEUE];
	f->from = from;
	len = peering_frame_encode(f->buf, sizeof(f->buf), &N.n[from].local, &tx->peer, tx->action, tx->aid, &tx->ie);
	ck_assert_int_gt(len, 0);
	f->len = (size_t)len;
}

static void on_estab(void *ctx, const struct mpm_peer *p, uint64_t now)
{
	(void)p;
	(void)now;
	N.n[(uintptr_t)ctx].established++;
}

static void on_closed(void *ctx, const struct mpm_peer *p, uint16_t reason, uint64_t now)
{
	(void)p;
	(void)now;
	N.n[(uintptr_t)ctx].closed++;
	N.n[(uintptr_t)ctx].last_closed_reason = reason;
}

static void setup_nodes(unsigned count, const struct mpm_params *p)
{
	memset(&N, 0, sizeof(N));
	N.count = count;
	N.now = 1000;
	for (unsigned i = 0; i < count; i++) {
		struct mpm_params params = *p;
		struct mpm_callbacks cb = {.ctx = (void *)(uintptr_t)i, .send = on_send, .established = on_estab,
					   .closed = on_closed};

		params.seed = 1000 + i;
		N.n[i].m = mpm_create(&params, &cb);
		ck_assert_ptr_nonnull(N.n[i].m);
		N.n[i].local.self = addr((uint8_t)(i + 1));
		mesh_rates_default_2ghz(&N.n[i].local.rates);
		mesh_id_set(&N.n[i].local.mesh_id, "test");
		N.n[i].local.mesh_config.path_sel_protocol = 1;
		N.n[i].local.mesh_config.path_sel_metric = 1;
		N.n[i].local.mesh_config.sync_method = 1;
		N.n[i].local.mesh_config.capability = 0x09;
		N.n[i].local.ext_flags = MESH_EXT_HWMP;
	}
}

static void setup(unsigned count)
{
	struct mpm_params p;

	mpm_params_default(&p);
	setup_nodes(count, &p);
}

static void teardown_nodes(void)
{
	for (unsigned i = 0; i < N.count; i++)
		mpm_destroy(N.n[i].m);
}

/* Delivers one queued frame through the decoder; false when the queue is empty. */
static bool deliver_one(void)
{
	struct peering_frame pf;
	struct mpm_rx rx;
	struct frame *f;
	unsigned to;

	if (N.head == N.tail)
		return false;
	f = &N.q[N.head++ % QUEUE];
	ck_assert_int_eq(peering_frame_decode(f->buf, f->len, &pf), CODEC_OK);
	to = node_of(&pf.hdr.addr1);
	if (to == UINT32_MAX)
		return true; /* to an address no instance has */
	memset(&rx, 0, sizeof(rx));
	rx.action = pf.action;
	rx.ie = pf.mpm;
	rx.aid = pf.aid;
	rx.ext_flags = pf.elems.ext_flags;
	mpm_rx(N.n[to].m, &pf.hdr.addr2, &rx, !N.mismatch, N.now);
	return true;
}

static void deliver_all(void)
{
	while (deliver_one())
		;
}

static uint64_t next_deadline(void)
{
	uint64_t t = UINT64_MAX;

	for (unsigned i = 0; i < N.count; i++) {
		uint64_t d = mpm_next_deadline(N.n[i].m);

		if (d < t)
			t = d;
	}
	return t;
}

/* Delivers frames and fires timers until nothing is left before until_ms. */
static void run_until(uint64_t until_ms)
{
	for (;;) {
		uint64_t t;

		deliver_all();
		t = next_deadline();
		if (t == UINT64_MAX || t > until_ms)
			break;
		N.now = t > N.now ? t : N.now;
		for (unsigned i = 0; i < N.count; i++)
			mpm_tick(N.n[i].m, N.now);
	}
	if (until_ms > N.now)
		N.now = until_ms;
}

static const struct mpm_peer *peer_of(unsigned i, unsigned j)
{
	return mpm_find(N.n[i].m, &N.n[j].local.self);
}

static void beacon(unsigned from, unsigned to)
{
	mpm_candidate(N.n[to].m, &N.n[from].local.self, true, N.now);
}

static void assert_estab_pair(unsigned a, unsigned b)
{
	const struct mpm_peer *pa = peer_of(a, b), *pb = peer_of(b, a);

	ck_assert_ptr_nonnull(pa);
	ck_assert_ptr_nonnull(pb);
	ck_assert_int_eq(pa->state, MPM_ESTAB);
	ck_assert_int_eq(pb->state, MPM_ESTAB);
	ck_assert_uint_eq(pa->llid, pb->plid);
	ck_assert_uint_eq(pa->plid, pb->llid);
	ck_assert_uint_ne(pa->llid, 0);
	ck_assert_uint_eq(pa->peer_aid, pb->aid);
	ck_assert_uint_eq(pb->peer_aid, pa->aid);
	ck_assert_uint_eq(pa->ext_flags, MESH_EXT_HWMP);
}

START_TEST(one_side_hears_the_other)
{
	setup(2);
	beacon(1, 0); /* only node 0 hears node 1 */
	run_until(N.now + 50);
	assert_estab_pair(0, 1);
	ck_assert_uint_eq(N.n[0].established, 1);
	ck_assert_uint_eq(N.n[1].established, 1);
	/* The stale-link Close, the Open, then the Confirm; the other side answered Open + Confirm. */
	ck_assert_uint_eq(N.sent[0][WLAN_SP_MESH_PEERING_CLOSE], 1);
	ck_assert_uint_eq(N.sent[0][WLAN_SP_MESH_PEERING_OPEN], 1);
	ck_assert_uint_eq(N.sent[0][WLAN_SP_MESH_PEERING_CONFIRM], 1);
	ck_assert_uint_eq(N.sent[1][WLAN_SP_MESH_PEERING_OPEN], 1);
	ck_assert_uint_eq(N.sent[1][WLAN_SP_MESH_PEERING_CONFIRM], 1);
	ck_assert_uint_eq(mpm_get_counters(N.n[1].m)->rx_unknown_peer, 1); /* the stale Close */
	teardown_nodes();
}
END_TEST

START_TEST(simultaneous_open)
{
	setup(2);
	beacon(1, 0);
	beacon(0, 1);
	run_until(N.now + 50);
	assert_estab_pair(0, 1);
	ck_assert_uint_eq(N.n[0].established, 1);
	ck_assert_uint_eq(N.n[1].established, 1);
	teardown_nodes();
}
END_TEST

START_TEST(first_open_lost)
{
	setup(2);
	N.drop_next[0] = 2; /* the stale Close and the first Open */
	beacon(1, 0);
	run_until(N.now + 99);
	ck_assert_int_eq(peer_of(0, 1)->state, MPM_OPN_SNT);
	ck_assert_ptr_null(peer_of(1, 0));
	run_until(N.now + 50);
	assert_estab_pair(0, 1);
	ck_assert_uint_eq(mpm_get_counters(N.n[0].m)->open_retries, 1);
	teardown_nodes();
}
END_TEST

START_TEST(lost_confirm_recovers)
{
	setup(2);
	beacon(1, 0);
	deliver_one(); /* stale Close */
	deliver_one(); /* Open 0->1: node 1 answers Open + Confirm */
	N.drop_next[0] = 1; /* node 0's Confirm in answer is lost */
	deliver_all();
	ck_assert_int_eq(peer_of(0, 1)->state, MPM_ESTAB);
	ck_assert_int_eq(peer_of(1, 0)->state, MPM_OPN_RCVD);
	run_until(N.now + 1000); /* node 1 retries its Open; node 0 in ESTAB confirms again */
	assert_estab_pair(0, 1);
	teardown_nodes();
}
END_TEST

START_TEST(no_answer_gives_up_and_holds)
{
	const struct mpm_peer *p;
	struct mac_addr ghost = addr(0x99);

	setup(1);
	mpm_candidate(N.n[0].m, &ghost, true, N.now);
	run_until(N.now + 5000);
	ck_assert_uint_eq(N.sent[0][WLAN_SP_MESH_PEERING_OPEN], 4); /* first + 3 retries */
	ck_assert_uint_eq(N.sent[0][WLAN_SP_MESH_PEERING_CLOSE], 2); /* stale + give up */
	ck_assert_uint_eq(N.last_reason[0], WLAN_REASON_MESH_MAX_RETRIES);
	ck_assert_uint_eq(mpm_get_counters(N.n[0].m)->max_retries_reached, 1);
	p = mpm_find(N.n[0].m, &ghost);
	ck_assert_ptr_nonnull(p); /* heard in a beacon: kept as a LISTEN candidate */
	ck_assert_int_eq(p->state, MPM_LISTEN);
	/* The next beacon starts over with a new link ID. */
	mpm_candidate(N.n[0].m, &ghost, true, N.now);
	ck_assert_int_eq(p->state, MPM_OPN_SNT);
	teardown_nodes();
}
END_TEST

START_TEST(retry_timeouts_grow)
{
	struct mac_addr ghost = addr(0x99);
	uint64_t t0, last = 0;
	unsigned opens = 0;

	setup(1);
	t0 = N.now;
	mpm_candidate(N.n[0].m, &ghost, true, N.now);
	while (opens < 3) {
		uint64_t d = mpm_next_deadline(N.n[0].m);

		ck_assert(d - N.now >= (opens == 0 ? 100 : last));
		last = d - N.now;
		N.now = d;
		mpm_tick(N.n[0].m, N.now);
		opens++;
	}
	ck_assert_uint_ge(N.now - t0, 100 + 100 + 100 + 100);
	teardown_nodes();
}
END_TEST

START_TEST(config_mismatch_is_refused)
{
	setup(2);
	N.mismatch = true;
	beacon(1, 0);
	run_until(N.now + 20);
	ck_assert_ptr_null(peer_of(1, 0));
	ck_assert_uint_eq(mpm_get_counters(N.n[1].m)->rx_config_mismatch, 1);
	ck_assert_uint_eq(N.last_reason[1], WLAN_REASON_MESH_CONFIG_POLICY_VIOLATION);
	/* The Close names node 0's link ID: node 0 takes it and holds. */
	ck_assert_int_eq(peer_of(0, 1)->state, MPM_HOLDING);
	teardown_nodes();
}
END_TEST

START_TEST(max_peers_answers_close_53)
{
	struct mpm_params p;

	mpm_params_default(&p);
	p.max_peers = 1;
	setup_nodes(3, &p);
	beacon(1, 0);
	run_until(N.now + 50);
	assert_estab_pair(0, 1);
	ck_assert(!mpm_accepting(N.n[0].m));
	beacon(0, 2); /* node 2 opens towards the full node 0 */
	run_until(N.now + 50);
	ck_assert_ptr_null(peer_of(0, 2));
	ck_assert_uint_eq(mpm_get_counters(N.n[0].m)->rx_max_peers, 1);
	ck_assert_uint_eq(N.last_reason[0], WLAN_REASON_MESH_MAX_PEERS);
	ck_assert_int_eq(peer_of(0, 1)->state, MPM_ESTAB);
	teardown_nodes();
}
END_TEST

START_TEST(close_in_estab_with_any_ids)
{
	struct mpm_rx rx;

	setup(2);
	beacon(1, 0);
	run_until(N.now + 50);
	assert_estab_pair(0, 1);
	memset(&rx, 0, sizeof(rx));
	rx.action = WLAN_SP_MESH_PEERING_CLOSE;
	rx.ie.llid = 0x4242; /* not the link's IDs */
	rx.ie.has_reason = true;
	rx.ie.reason = WLAN_REASON_MESH_PEERING_CANCELED;
	ck_assert_int_eq(mpm_rx(N.n[0].m, &N.n[1].local.self, &rx, true, N.now), 0);
	ck_assert_int_eq(peer_of(0, 1)->state, MPM_HOLDING);
	ck_assert_uint_eq(N.n[0].closed, 1);
	ck_assert_uint_eq(N.n[0].last_closed_reason, WLAN_REASON_MESH_CLOSE_RCVD);
	ck_assert_uint_eq(N.last_reason[0], WLAN_REASON_MESH_CLOSE_RCVD);
	teardown_nodes();
}
END_TEST

START_TEST(close_tears_both_sides_down)
{
	setup(2);
	beacon(1, 0);
	run_until(N.now + 50);
	mpm_close(N.n[0].m, &N.n[1].local.self, WLAN_REASON_MESH_PEERING_CANCELED, N.now);
	deliver_all();
	/* Node 1 answered with its own Close, which ends node 0's holding at once (as in Linux). */
	ck_assert_int_eq(peer_of(0, 1)->state, MPM_LISTEN);
	ck_assert_int_eq(peer_of(1, 0)->state, MPM_HOLDING);
	ck_assert_uint_eq(N.n[0].closed, 1);
	ck_assert_uint_eq(N.n[1].closed, 1);
	run_until(N.now + 200);
	ck_assert_int_eq(peer_of(0, 1)->state, MPM_LISTEN);
	/* Node 1 never heard a beacon of node 0: its entry is gone after holding. */
	ck_assert_ptr_null(peer_of(1, 0));
	teardown_nodes();
}
END_TEST

START_TEST(confirm_with_wrong_link_id_is_ignored)
{
	struct mpm_rx rx;

	setup(2);
	N.drop_next[1] = 10; /* node 1 stays silent */
	beacon(1, 0);
	deliver_all();
	memset(&rx, 0, sizeof(rx));
	rx.action = WLAN_SP_MESH_PEERING_CONFIRM;
	rx.ie.llid = 7;
	rx.ie.has_plid = true;
	rx.ie.plid = (uint16_t)(peer_of(0, 1)->llid + 1);
	ck_assert_int_eq(mpm_rx(N.n[0].m, &N.n[1].local.self, &rx, true, N.now), -1);
	ck_assert_int_eq(peer_of(0, 1)->state, MPM_OPN_SNT);
	ck_assert_uint_eq(mpm_get_counters(N.n[0].m)->rx_link_id_mismatch, 1);
	rx.ie.plid = peer_of(0, 1)->llid;
	ck_assert_int_eq(mpm_rx(N.n[0].m, &N.n[1].local.self, &rx, true, N.now), 0);
	ck_assert_int_eq(peer_of(0, 1)->state, MPM_CNF_RCVD);
	teardown_nodes();
}
END_TEST

START_TEST(confirm_timeout_closes_57)
{
	struct mpm_rx rx;

	setup(2);
	N.drop_next[1] = 10;
	beacon(1, 0);
	deliver_all();
	memset(&rx, 0, sizeof(rx));
	rx.action = WLAN_SP_MESH_PEERING_CONFIRM;
	rx.ie.llid = 7;
	rx.ie.has_plid = true;
	rx.ie.plid = peer_of(0, 1)->llid;
	mpm_rx(N.n[0].m, &N.n[1].local.self, &rx, true, N.now);
	run_until(N.now + 150);
	ck_assert_uint_eq(N.last_reason[0], WLAN_REASON_MESH_CONFIRM_TIMEOUT);
	ck_assert_uint_eq(mpm_get_counters(N.n[0].m)->confirm_timeouts, 1);
	teardown_nodes();
}
END_TEST

START_TEST(restarted_peer_reestablishes)
{
	struct mpm_params p;
	struct mpm_callbacks cb = {.ctx = (void *)(uintptr_t)1, .send = on_send, .established = on_estab,
				   .closed = on_closed};

	setup(2);
	beacon(1, 0);
	beacon(0, 1);
	run_until(N.now + 50);
	assert_estab_pair(0, 1);
	/* Node 1 restarts without a Close (a crash): a fresh instance, fresh link IDs. */
	mpm_destroy(N.n[1].m);
	mpm_params_default(&p);
	p.seed = 77;
	N.n[1].m = mpm_create(&p, &cb);
	beacon(0, 1);
	/* Its stale-link Close ends the old link at node 0, which holds for 100 ms; node 1's first Open
	 * retry then gets through. */
	run_until(N.now + 500);
	assert_estab_pair(0, 1);
	ck_assert_uint_eq(N.n[0].closed, 1);
	ck_assert_uint_eq(N.n[0].established, 2);
	teardown_nodes();
}
END_TEST

START_TEST(open_with_new_link_id_in_estab_restarts)
{
	struct mpm_rx rx;

	setup(2);
	beacon(1, 0);
	run_until(N.now + 50);
	memset(&rx, 0, sizeof(rx));
	rx.action = WLAN_SP_MESH_PEERING_OPEN;
	rx.ie.llid = (uint16_t)(peer_of(0, 1)->plid + 1);
	ck_assert_int_eq(mpm_rx(N.n[0].m, &N.n[1].local.self, &rx, true, N.now), 0);
	ck_assert_uint_eq(mpm_get_counters(N.n[0].m)->peer_restarts, 1);
	ck_assert_uint_eq(N.n[0].closed, 1);
	ck_assert_int_eq(peer_of(0, 1)->state, MPM_OPN_RCVD);
	ck_assert_uint_eq(peer_of(0, 1)->plid, rx.ie.llid);
	teardown_nodes();
}
END_TEST

START_TEST(open_in_holding_answers_close)
{
	struct mpm_rx rx;

	setup(2);
	beacon(1, 0);
	run_until(N.now + 50);
	mpm_close(N.n[0].m, &N.n[1].local.self, WLAN_REASON_MESH_PEERING_CANCELED, N.now);
	memset(&rx, 0, sizeof(rx));
	rx.action = WLAN_SP_MESH_PEERING_OPEN;
	rx.ie.llid = peer_of(0, 1)->plid;
	mpm_rx(N.n[0].m, &N.n[1].local.self, &rx, true, N.now);
	ck_assert_uint_eq(mpm_get_counters(N.n[0].m)->rx_in_holding, 1);
	ck_assert_uint_eq(N.sent[0][WLAN_SP_MESH_PEERING_CLOSE], 3); /* stale, close, answer */
	teardown_nodes();
}
END_TEST

START_TEST(open_storm_stays_bounded)
{
	const struct mpm_counters *c;
	struct mpm_rx rx;
	unsigned entries = 0;

	setup(3);
	beacon(1, 0);
	run_until(N.now + 50);
	assert_estab_pair(0, 1);
	memset(&rx, 0, sizeof(rx));
	rx.action = WLAN_SP_MESH_PEERING_OPEN;
	for (unsigned i = 0; i < 1000; i++) {
		struct mac_addr fake = {{0x02, 0xee, 0, 0, (uint8_t)(i >> 8), (uint8_t)i}};

		rx.ie.llid = (uint16_t)(i + 1);
		mpm_rx(N.n[0].m, &fake, &rx, true, N.now + i);
	}
	N.head = N.tail; /* the answers go to nobody */
	c = mpm_get_counters(N.n[0].m);
	ck_assert_uint_eq(c->rx_table_full, 1000 - 63); /* 64 entries, one held by the real peer */
	ck_assert_int_eq(peer_of(0, 1)->state, MPM_ESTAB);
	/* A neighbour that beacons still gets in: it evicts an entry that never beaconed. */
	beacon(2, 0);
	ck_assert_ptr_nonnull(peer_of(0, 2));
	run_until(N.now + 1000 + 5000);
	for (unsigned i = 0; i < 1000; i++) {
		struct mac_addr fake = {{0x02, 0xee, 0, 0, (uint8_t)(i >> 8), (uint8_t)i}};

		entries += mpm_find(N.n[0].m, &fake) != NULL;
	}
	ck_assert_uint_eq(entries, 0); /* every made-up entry freed after one attempt */
	assert_estab_pair(0, 1);
	assert_estab_pair(0, 2);
	teardown_nodes();
}
END_TEST

START_TEST(close_all_and_aids)
{
	setup(4);
	beacon(1, 0);
	beacon(2, 0);
	beacon(3, 0);
	run_until(N.now + 50);
	ck_assert_uint_eq(mpm_estab_count(N.n[0].m), 3);
	ck_assert_uint_eq(peer_of(0, 1)->aid, 1);
	ck_assert_uint_eq(peer_of(0, 2)->aid, 2);
	ck_assert_uint_eq(peer_of(0, 3)->aid, 3);
	ck_assert_uint_eq(mpm_close_all(N.n[0].m, WLAN_REASON_MESH_PEERING_CANCELED, N.now), 3);
	deliver_all();
	ck_assert_uint_eq(mpm_estab_count(N.n[0].m), 0);
	for (unsigned i = 1; i < 4; i++) {
		ck_assert_uint_eq(N.n[i].closed, 1);
		ck_assert_uint_eq(mpm_estab_count(N.n[i].m), 0);
	}
	teardown_nodes();
}
END_TEST

START_TEST(wrong_protocol_is_ignored)
{
	struct mpm_rx rx;

	setup(1);
	memset(&rx, 0, sizeof(rx));
	rx.action = WLAN_SP_MESH_PEERING_OPEN;
	rx.ie.protocol = MESH_PEERING_PROTO_AMPE;
	rx.ie.llid = 5;
	ck_assert_int_eq(mpm_rx(N.n[0].m, &N.n[0].local.self, &rx, true, N.now), -1);
	ck_assert_uint_eq(mpm_get_counters(N.n[0].m)->rx_wrong_protocol, 1);
	ck_assert_uint_eq(N.sent[0][WLAN_SP_MESH_PEERING_CLOSE], 0);
	teardown_nodes();
}
END_TEST

START_TEST(forget_reports_closed)
{
	setup(2);
	beacon(1, 0);
	run_until(N.now + 50);
	mpm_forget(N.n[0].m, &N.n[1].local.self, N.now);
	ck_assert_ptr_null(peer_of(0, 1));
	ck_assert_uint_eq(N.n[0].closed, 1);
	ck_assert_uint_eq(mpm_estab_count(N.n[0].m), 0);
	teardown_nodes();
}
END_TEST

START_TEST(bad_params_refused)
{
	struct mpm_params p;
	struct mpm_callbacks cb = {.send = on_send};

	mpm_params_default(&p);
	p.max_candidates = 4;
	p.max_peers = 8;
	ck_assert_ptr_null(mpm_create(&p, &cb));
	mpm_params_default(&p);
	p.retry_timeout_ms = 0;
	ck_assert_ptr_null(mpm_create(&p, &cb));
	mpm_params_default(&p);
	cb.send = NULL;
	ck_assert_ptr_null(mpm_create(&p, &cb));
}
END_TEST

Suite *mpm_suite(void)
{
	Suite *s = suite_create("mpm");
	TCase *tc = tcase_create("fsm");

	tcase_add_test(tc, one_side_hears_the_other);
	tcase_add_test(tc, simultaneous_open);
	tcase_add_test(tc, first_open_lost);
	tcase_add_test(tc, lost_confirm_recovers);
	tcase_add_test(tc, no_answer_gives_up_and_holds);
	tcase_add_test(tc, retry_timeouts_grow);
	tcase_add_test(tc, config_mismatch_is_refused);
	tcase_add_test(tc, max_peers_answers_close_53);
	tcase_add_test(tc, close_in_estab_with_any_ids);
	tcase_add_test(tc, close_tears_both_sides_down);
	tcase_add_test(tc, confirm_with_wrong_link_id_is_ignored);
	tcase_add_test(tc, confirm_timeout_closes_57);
	tcase_add_test(tc, restarted_peer_reestablishes);
	tcase_add_test(tc, open_with_new_link_id_in_estab_restarts);
	tcase_add_test(tc, open_in_holding_answers_close);
	tcase_add_test(tc, open_storm_stays_bounded);
	tcase_add_test(tc, close_all_and_aids);
	tcase_add_test(tc, wrong_protocol_is_ignored);
	tcase_add_test(tc, forget_reports_closed);
	tcase_add_test(tc, bad_params_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(mpm_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
