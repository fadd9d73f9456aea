/* The SAE state machine between instances wired through the real codec (every body is wrapped in an
 * Authentication frame, decoded and delivered): right and wrong passwords, lost frames and
 * retransmission, Sync exhaustion, unsupported groups and fallback (with H2E's Rejected Groups),
 * group conflicts, hash-to-element, anti-clogging tokens, re-authentication, replays, and a flood
 * of spoofed Commits against a bounded table. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "sae.h"
#include "sae_frame.h"
#include "tests.h"

#define NODES 4
#define QUEUE 8192

struct frame {
	unsigned from;
	struct mac_addr to;
	uint8_t buf[600];
	size_t len;
};

struct node {
	struct sae *s;
	struct mac_addr mac;
	unsigned accepted, failed;
	struct sae_keys keys[NODES];  /* by peer index */
	bool has_keys[NODES];
	enum sae_failure last_why;
	uint16_t last_status;
	unsigned sent;
	uint16_t last_sent_status;
};

static struct {
	struct node n[NODES];
	struct frame q[QUEUE];
	unsigned head, tail;
	uint64_t now;
	unsigned drop_next[NODES];
	bool drop_all[NODES];
} N;

static struct mac_addr addr(uint8_t a)
{
	struct mac_addr m = {{0x02, 0, 0, 0, 0, a}};
	return m;
}

/* The address a as an lvalue that lives long enough to pass by pointer. */
static const struct mac_addr *addrp(uint8_t a)
{
	static struct mac_addr slots[256];

	slots[a] = addr(a);
	return &slots[a];
}

static int node_of(const struct mac_addr *mac)
{
	for (int i = 0; i < NODES; i++)
		if (mac_equal(&N.n[i].mac, mac))
			return i;
	return -1;
}

static void on_send(void *ctx, const struct mac_addr *peer, const uint8_t *body, size_t len)
{
	unsigned from = (unsigned)(uintptr_t)ctx;
	struct frame *f;
	struct sae_frame d;
	int n;

	N.n[from].sent++;
	ck_assert_int_eq(sae_frame_decode(body, len, &d), CODEC_OK);
	N.n[from].last_sent_status = d.status;
	if (N.drop_all[from])
		return;
	if (N.drop_next[from] > 0) {
		N.drop_next[from]--;
		return;
	}
	ck_assert_uint_lt(N.tail - N.head, QUEUE);
	f = &N.q[N.tail++ % QUEUE];
	f->from = from;
	f->to = *peer;
	n = sae_auth_frame_encode(f->buf, sizeof(f->buf), &N.n[from].mac, peer, body, len);
	ck_assert_int_gt(n, 0);
	f->len = (size_t)n;
}

static void on_accepted(void *ctx, const struct mac_addr *peer, const struct sae_keys *k, uint64_t now)
{
	struct node *me = &N.n[(uintptr_t)ctx];
	int p = node_of(peer);

	(void)now;
	me->accepted++;
	if (p >= 0) {
		me->keys[p] = *k;
		me->has_keys[p] = true;
	}
}

static void on_failed(void *ctx, const struct mac_addr *peer, uint16_t status, enum sae_failure why, uint64_t now)
{
	struct node *me = &N.n[(uintptr_t)ctx];

	(void)peer;
	(void)now;
	me->failed++;
	me->last_why = why;
	me->last_status = status;
}

static struct sae_params params(unsigned i, const char *password)
{
	struct sae_params p;

	sae_params_default(&p);
	p.self = addr((uint8_t)(i + 1));
	p.password = (const uint8_t *)password;
	p.password_len = strlen(password);
	mesh_id_set(&p.mesh_id, "campus-mesh");
	return p;
}

static void make_node(unsigned i, const struct sae_params *p)
{
	struct sae_callbacks cb = {.ctx = (void *)(uintptr_t)i, .send = on_send, .accepted = on_accepted,
				   .failed = on_failed};
	struct node *n = &N.n[i];

	sae_destroy(n->s);
	memset(n, 0, sizeof(*n));
	n->mac = p->self;
	n->s = sae_create(p, &cb, N.now);
	ck_assert_ptr_nonnull(n->s);
}

static void setup(void)
{
	memset(&N, 0, sizeof(N));
	N.now = 1000;
}

static void teardown(void)
{
	for (unsigned i = 0; i < NODES; i++)
		sae_destroy(N.n[i].s);
	memset(&N, 0, sizeof(N));
}

/* Delivers every queued frame (and what it causes) without moving the clock. */
static void deliver(void)
{
	while (N.head != N.tail) {
		struct frame f = N.q[N.head++ % QUEUE];
		struct mgmt_hdr h;
		struct sae_frame d;
		int to = node_of(&f.to);

		ck_assert_int_eq(sae_auth_frame_decode(f.buf, f.len, &h, &d), CODEC_OK);
		if (to < 0 || N.n[to].s == NULL)
			continue;
		sae_rx(N.n[to].s, &h.addr2, f.buf + MGMT_HDR_LEN, f.len - MGMT_HDR_LEN, N.now);
	}
}

/* Delivers and runs timers until nothing is due before limit_ms from now. */
static void run(uint64_t limit_ms)
{
	uint64_t end = N.now + limit_ms;

	for (;;) {
		uint64_t next = UINT64_MAX;

		deliver();
		for (unsigned i = 0; i < NODES; i++)
			if (N.n[i].s != NULL && sae_next_deadline(N.n[i].s) < next)
				next = sae_next_deadline(N.n[i].s);
		if (next == UINT64_MAX || next > end)
			break;
		N.now = next;
		for (unsigned i = 0; i < NODES; i++)
			if (N.n[i].s != NULL)
				sae_tick(N.n[i].s, N.now);
	}
}

static void assert_same_keys(unsigned a, unsigned b)
{
	ck_assert(N.n[a].has_keys[b] && N.n[b].has_keys[a]);
	ck_assert_mem_eq(N.n[a].keys[b].pmk, N.n[b].keys[a].pmk, SAE_PMK_LEN);
	ck_assert_mem_eq(N.n[a].keys[b].pmkid, N.n[b].keys[a].pmkid, SAE_PMKID_LEN);
	ck_assert_uint_eq(N.n[a].keys[b].kck_len, N.n[b].keys[a].kck_len);
	ck_assert_mem_eq(N.n[a].keys[b].kck, N.n[b].keys[a].kck, N.n[a].keys[b].kck_len);
	ck_assert_uint_eq(N.n[a].keys[b].group, N.n[b].keys[a].group);
}

static enum sae_state state_of(unsigned i, unsigned peer)
{
	struct sae_peer_info info;

	if (!sae_peer(N.n[i].s, &N.n[peer].mac, &info))
		return (enum sae_state)-1;
	return info.state;
}

/* Delivers the oldest queued frame only. */
static void deliver_one(void)
{
	struct frame f = N.q[N.head++ % QUEUE];
	struct mgmt_hdr h;
	struct sae_frame d;
	int to = node_of(&f.to);

	ck_assert_int_eq(sae_auth_frame_decode(f.buf, f.len, &h, &d), CODEC_OK);
	if (to >= 0 && N.n[to].s != NULL)
		sae_rx(N.n[to].s, &h.addr2, f.buf + MGMT_HDR_LEN, f.len - MGMT_HDR_LEN, N.now);
}

/* In Confirmed, a new Commit from a peer that started over is taken and our own Commit is kept
 * (802.11 12.4.8.6.5): the exchange then ends with equal keys, and our Commit on the air is the one
 * we sent first. */
START_TEST(confirmed_keeps_own_commit_when_the_peer_starts_over)
{
	struct sae_params p0 = params(0, "mekmitasdigoat"), p1 = params(1, "mekmitasdigoat");
	struct frame first, again;

	make_node(0, &p0);
	make_node(1, &p1);
	ck_assert_int_eq(sae_start(N.n[0].s, &N.n[1].mac, false, N.now), 0);
	first = N.q[N.head % QUEUE];
	deliver_one(); /* node 1 answers with its Commit and Confirm */
	deliver_one(); /* node 0 takes node 1's Commit and confirms */
	ck_assert_int_eq(state_of(0, 1), SAE_CONFIRMED);
	ck_assert_int_eq(state_of(1, 0), SAE_CONFIRMED);
	N.head = N.tail; /* both Confirms lost */
	ck_assert_int_eq(sae_remove(N.n[1].s, &N.n[0].mac), 0);
	ck_assert_int_eq(sae_start(N.n[1].s, &N.n[0].mac, false, N.now), 0);
	deliver_one(); /* node 1's new Commit reaches node 0 in Confirmed */
	ck_assert_int_eq(state_of(0, 1), SAE_CONFIRMED);
	again = N.q[N.head % QUEUE];
	ck_assert_uint_eq(again.len, first.len);
	ck_assert_mem_eq(again.buf + MGMT_HDR_LEN, first.buf + MGMT_HDR_LEN, first.len - MGMT_HDR_LEN);
	run(10000);
	ck_assert_uint_eq(N.n[0].accepted, 1);
	ck_assert_uint_eq(N.n[1].accepted, 1);
	ck_assert_uint_eq(N.n[0].failed + N.n[1].failed, 0);
	assert_same_keys(0, 1);
}
END_TEST

START_TEST(right_password_both_initiate_both_accept_equal_keys)
{
	struct sae_params p0 = params(0, "mekmitasdigoat"), p1 = params(1, "mekmitasdigoat");

	make_node(0, &p0);
	make_node(1, &p1);
	ck_assert_int_eq(sae_start(N.n[0].s, &N.n[1].mac, false, N.now), 0);
	ck_assert_int_eq(sae_start(N.n[1].s, &N.n[0].mac, false, N.now), 0);
	ck_assert_int_eq(sae_start(N.n[1].s, &N.n[0].mac, false, N.now), 1);
	ck_assert_int_eq(state_of(0, 1), SAE_COMMITTED);
	run(10000);
	ck_assert_uint_eq(N.n[0].accepted, 1);
	ck_assert_uint_eq(N.n[1].accepted, 1);
	ck_assert_uint_eq(N.n[0].failed + N.n[1].failed, 0);
	assert_same_keys(0, 1);
	ck_assert_uint_eq(N.n[0].keys[1].group, 19);
	ck_assert(!N.n[0].keys[1].h2e);
	ck_assert_uint_eq(N.n[0].keys[1].kck_len, 32);
	ck_assert_int_eq(state_of(0, 1), SAE_ACCEPTED);
	ck_assert_int_eq(state_of(1, 0), SAE_ACCEPTED);
	ck_assert_uint_eq(sae_next_deadline(N.n[0].s), UINT64_MAX);
	ck_assert_uint_eq(sae_get_counters(N.n[0].s)->accepted, 1);
	ck_assert_uint_eq(sae_get_counters(N.n[0].s)->retransmissions, 0);
}
END_TEST

START_TEST(one_side_initiates_the_other_answers_commit_and_confirm)
{
	struct sae_params p0 = params(0, "pw"), p1 = params(1, "pw");

	make_node(0, &p0);
	make_node(1, &p1);
	ck_assert_int_eq(sae_start(N.n[0].s, &N.n[1].mac, false, N.now), 0);
	run(10000);
	assert_same_keys(0, 1);
	/* node 1 answered with its Commit and its Confirm at once, and nobody retransmitted */
	ck_assert_uint_eq(sae_get_counters(N.n[1].s)->commit_tx, 1);
	ck_assert_uint_eq(sae_get_counters(N.n[1].s)->confirm_tx, 1);
	ck_assert_uint_eq(sae_get_counters(N.n[0].s)->retransmissions + sae_get_counters(N.n[1].s)->retransmissions, 0);
}
END_TEST

START_TEST(wrong_password_both_fail_without_accepting)
{
	struct sae_params p0 = params(0, "mekmitasdigoat"), p1 = params(1, "not-the-password");

	make_node(0, &p0);
	make_node(1, &p1);
	sae_start(N.n[0].s, &N.n[1].mac, false, N.now);
	sae_start(N.n[1].s, &N.n[0].mac, false, N.now);
	run(60000);
	ck_assert_uint_eq(N.n[0].accepted + N.n[1].accepted, 0);
	ck_assert_uint_eq(N.n[0].failed, 1);
	ck_assert_uint_eq(N.n[1].failed, 1);
	ck_assert_int_eq(N.n[0].last_why, SAE_FAIL_CONFIRM_MISMATCH);
	ck_assert_uint_eq(N.n[0].last_status, WLAN_STATUS_CHALLENGE_FAIL);
	ck_assert_uint_eq(sae_get_counters(N.n[0].s)->confirm_mismatch, 1);
	ck_assert_uint_eq(sae_get_counters(N.n[1].s)->confirm_mismatch, 1);
	/* the sessions ended and their secrets went with them */
	ck_assert_uint_eq(sae_session_count(N.n[0].s), 0);
	ck_assert_uint_eq(sae_session_count(N.n[1].s), 0);
}
END_TEST

START_TEST(lost_commit_is_retransmitted_then_accepted)
{
	struct sae_params p0 = params(0, "pw"), p1 = params(1, "pw");
	struct sae_peer_info info;

	make_node(0, &p0);
	make_node(1, &p1);
	N.drop_next[0] = 1;
	sae_start(N.n[0].s, &N.n[1].mac, false, N.now);
	ck_assert(sae_peer(N.n[0].s, &N.n[1].mac, &info));
	ck_assert_uint_eq(info.deadline_ms, N.now + 1000); /* dot11RSNASAERetransPeriod */
	deliver();
	ck_assert_uint_eq(sae_session_count(N.n[1].s), 0);
	run(10000);
	assert_same_keys(0, 1);
	ck_assert_uint_eq(sae_get_counters(N.n[0].s)->retransmissions, 1);
}
END_TEST

START_TEST(lost_confirm_is_retransmitted_then_accepted)
{
	struct sae_params p0 = params(0, "pw"), p1 = params(1, "pw");

	make_node(0, &p0);
	make_node(1, &p1);
	sae_start(N.n[0].s, &N.n[1].mac, false, N.now);
	deliver(); /* node 1 answers Commit + Confirm; node 0 confirms */
	ck_assert_uint_eq(N.n[1].accepted + N.n[0].accepted, 2);
	/* again, with node 1's Commit+Confirm lost once */
	teardown();
	setup();
	make_node(0, &p0);
	make_node(1, &p1);
	sae_start(N.n[0].s, &N.n[1].mac, false, N.now);
	N.drop_next[1] = 2;
	run(20000);
	assert_same_keys(0, 1);
}
END_TEST

START_TEST(no_answer_gives_up_after_sync_retransmissions)
{
	struct sae_params p0 = params(0, "pw");

	make_node(0, &p0);
	N.drop_all[0] = true;
	sae_start(N.n[0].s, addrp(9), false, N.now);
	run(60000);
	ck_assert_uint_eq(N.n[0].failed, 1);
	ck_assert_int_eq(N.n[0].last_why, SAE_FAIL_NO_ANSWER);
	/* hostap's bound: retransmit while Sync <= dot11RSNASAESync, i.e. sync_max + 1 times */
	ck_assert_uint_eq(sae_get_counters(N.n[0].s)->retransmissions, 6);
	ck_assert_uint_eq(N.n[0].sent, 7);
	ck_assert_uint_eq(sae_session_count(N.n[0].s), 0);
}
END_TEST

START_TEST(unsupported_group_gets_77_and_falls_back)
{
	struct sae_params p0 = params(0, "pw"), p1 = params(1, "pw");

	p0.groups[0] = 21;
	p0.groups[1] = 19;
	p0.groups[2] = 0;
	p1.groups[0] = 19;
	p1.groups[1] = 0;
	make_node(0, &p0);
	make_node(1, &p1);
	sae_start(N.n[0].s, &N.n[1].mac, false, N.now);
	run(10000);
	ck_assert_uint_eq(sae_get_counters(N.n[1].s)->group_reject_tx, 1);
	ck_assert_uint_eq(sae_get_counters(N.n[0].s)->group_reject_rx, 1);
	assert_same_keys(0, 1);
	ck_assert_uint_eq(N.n[0].keys[1].group, 19);
}
END_TEST

START_TEST(h2e_fallback_binds_rejected_groups_into_the_keys)
{
	struct sae_params p0 = params(0, "pw"), p1 = params(1, "pw");

	p0.pwe = p1.pwe = SAE_PWE_HASH_TO_ELEMENT;
	p0.groups[0] = 20;
	p0.groups[1] = 19;
	p0.groups[2] = 0;
	p1.groups[0] = 19;
	p1.groups[1] = 0;
	make_node(0, &p0);
	make_node(1, &p1);
	sae_start(N.n[0].s, &N.n[1].mac, false, N.now);
	run(10000);
	assert_same_keys(0, 1);
	ck_assert(N.n[0].keys[1].h2e);
	ck_assert_uint_eq(N.n[0].keys[1].group, 19);
}
END_TEST

START_TEST(no_common_group_fails)
{
	struct sae_params p0 = params(0, "pw"), p1 = params(1, "pw");

	p0.groups[0] = 21;
	p0.groups[1] = 0;
	p1.groups[0] = 19;
	p1.groups[1] = 0;
	make_node(0, &p0);
	make_node(1, &p1);
	sae_start(N.n[0].s, &N.n[1].mac, false, N.now);
	deliver();
	ck_assert_uint_eq(N.n[0].failed, 1);
	ck_assert_int_eq(N.n[0].last_why, SAE_FAIL_NO_COMMON_GROUP);
	ck_assert_uint_eq(N.n[0].last_status, WLAN_STATUS_FINITE_CYCLIC_GROUP_NOT_SUPPORTED);
	ck_assert_uint_eq(sae_session_count(N.n[1].s), 0);
}
END_TEST

START_TEST(both_initiating_with_different_groups_converge)
{
	struct sae_params p0 = params(0, "pw"), p1 = params(1, "pw");

	p0.groups[0] = 20;
	p0.groups[1] = 19;
	p0.groups[2] = 0;
	make_node(0, &p0);
	make_node(1, &p1); /* 19, 20, 21 */
	sae_start(N.n[0].s, &N.n[1].mac, false, N.now);
	sae_start(N.n[1].s, &N.n[0].mac, false, N.now);
	run(20000);
	assert_same_keys(0, 1);
	/* the higher address (node 1) kept its group */
	ck_assert_uint_eq(N.n[0].keys[1].group, 19);
	ck_assert_uint_ge(sae_get_counters(N.n[0].s)->group_conflicts, 1);
}
END_TEST

START_TEST(hash_to_element_on_groups_19_20_21)
{
	static const uint16_t groups[] = {19, 20, 21};
	static const size_t kck[] = {32, 48, 64};

	for (unsigned g = 0; g < 3; g++) {
		struct sae_params p0 = params(0, "correct horse"), p1 = params(1, "correct horse");

		setup();
		p0.pwe = SAE_PWE_HASH_TO_ELEMENT;
		p1.pwe = SAE_PWE_BOTH;
		p0.groups[0] = p1.groups[0] = groups[g];
		p0.groups[1] = p1.groups[1] = 0;
		make_node(0, &p0);
		make_node(1, &p1);
		sae_start(N.n[0].s, &N.n[1].mac, false, N.now);
		sae_start(N.n[1].s, &N.n[0].mac, true, N.now);
		run(10000);
		assert_same_keys(0, 1);
		ck_assert(N.n[0].keys[1].h2e);
		ck_assert_uint_eq(N.n[0].keys[1].kck_len, kck[g]);
		teardown();
	}
}
END_TEST

START_TEST(hunt_and_peck_on_groups_20_21)
{
	for (uint16_t g = 20; g <= 21; g++) {
		struct sae_params p0 = params(0, "pw"), p1 = params(1, "pw");

		setup();
		p0.groups[0] = p1.groups[0] = g;
		p0.groups[1] = p1.groups[1] = 0;
		make_node(0, &p0);
		make_node(1, &p1);
		sae_start(N.n[0].s, &N.n[1].mac, false, N.now);
		run(10000);
		assert_same_keys(0, 1);
		ck_assert_uint_eq(N.n[0].keys[1].kck_len, 32);
		teardown();
	}
}
END_TEST

START_TEST(pwe_method_mismatch_never_accepts)
{
	struct sae_params p0 = params(0, "pw"), p1 = params(1, "pw");

	p0.pwe = SAE_PWE_HASH_TO_ELEMENT;
	make_node(0, &p0);
	make_node(1, &p1); /* hunting-and-pecking only, like wpa_supplicant 2.10's mesh */
	sae_start(N.n[0].s, &N.n[1].mac, false, N.now);
	sae_start(N.n[1].s, &N.n[0].mac, false, N.now);
	run(60000);
	ck_assert_uint_eq(N.n[0].accepted + N.n[1].accepted, 0);
	ck_assert_uint_ge(sae_get_counters(N.n[1].s)->rx_pwe_mismatch, 1);
	ck_assert_int_eq(N.n[0].last_why, SAE_FAIL_NO_ANSWER);
}
END_TEST

START_TEST(anti_clogging_token_required_then_accepted)
{
	struct sae_params p0 = params(0, "pw"), p1 = params(1, "pw");

	p1.anti_clogging_threshold = 1;
	make_node(0, &p0);
	make_node(1, &p1);
	/* node 1 already has one open session (to a silent address) */
	N.drop_all[1] = true;
	sae_start(N.n[1].s, addrp(9), false, N.now);
	N.drop_all[1] = false;
	ck_assert_uint_eq(sae_open_count(N.n[1].s), 1);
	sae_start(N.n[0].s, &N.n[1].mac, false, N.now);
	deliver();
	ck_assert_uint_eq(sae_get_counters(N.n[1].s)->token_req_tx, 1);
	ck_assert_uint_eq(sae_get_counters(N.n[0].s)->token_req_rx, 1);
	ck_assert_uint_eq(N.n[0].accepted, 1);
	ck_assert_uint_eq(N.n[1].accepted, 1);
	assert_same_keys(0, 1);
}
END_TEST

START_TEST(anti_clogging_token_survives_one_rotation_only)
{
	struct sae_params p1 = params(1, "pw"), p0 = params(0, "pw");
	uint8_t token[64], body[600];
	size_t token_len;
	struct frame f;
	struct sae_frame d;
	int n;

	p1.anti_clogging_threshold = 0; /* always */
	p1.token_key_lifetime_ms = 1000;
	make_node(0, &p0);
	make_node(1, &p1);
	N.drop_all[0] = true;
	sae_start(N.n[0].s, &N.n[1].mac, false, N.now); /* the Commit we will replay by hand */
	N.drop_all[0] = false;
	/* craft node 0's Commit by hand: take it from a second, delivered start */
	sae_remove(N.n[0].s, &N.n[1].mac);
	sae_start(N.n[0].s, &N.n[1].mac, false, N.now);
	f = N.q[N.head % QUEUE];
	N.head = N.tail;
	memcpy(body, f.buf + MGMT_HDR_LEN, f.len - MGMT_HDR_LEN);
	n = (int)(f.len - MGMT_HDR_LEN);
	sae_rx(N.n[1].s, &N.n[0].mac, body, (size_t)n, N.now);
	f = N.q[N.head++ % QUEUE];
	ck_assert_int_eq(sae_frame_decode(f.buf + MGMT_HDR_LEN, f.len - MGMT_HDR_LEN, &d), CODEC_OK);
	ck_assert_uint_eq(d.status, WLAN_STATUS_ANTI_CLOGGING_TOKEN_REQ);
	ck_assert_uint_eq(d.token_len, SAE_TOKEN_LEN);
	token_len = d.token_len;
	memcpy(token, d.token, token_len);
	/* two rotations later the token is stale: the Commit with it is dropped */
	N.now += 2500;
	sae_tick(N.n[1].s, N.now);
	N.now += 1100;
	sae_tick(N.n[1].s, N.now);
	{
		struct sae_frame c;
		uint8_t with_token[600];
		int m;

		ck_assert_int_eq(sae_frame_decode(body, (size_t)n, &c), CODEC_OK);
		c.token = token;
		c.token_len = token_len;
		m = sae_frame_encode(with_token, sizeof(with_token), &c);
		ck_assert_int_gt(m, 0);
		ck_assert_int_eq(sae_rx(N.n[1].s, &N.n[0].mac, with_token, (size_t)m, N.now), -1);
		ck_assert_uint_eq(sae_get_counters(N.n[1].s)->rx_bad_token, 1);
		/* from another address the same token is no good either */
		ck_assert_int_eq(sae_rx(N.n[1].s, addrp(7), with_token, (size_t)m, N.now), -1);
	}
	N.head = N.tail;
}
END_TEST

START_TEST(accepted_peer_that_restarts_reauthenticates)
{
	struct sae_params p0 = params(0, "pw"), p1 = params(1, "pw");
	uint8_t old_pmk[SAE_PMK_LEN];

	make_node(0, &p0);
	make_node(1, &p1);
	sae_start(N.n[0].s, &N.n[1].mac, false, N.now);
	run(10000);
	assert_same_keys(0, 1);
	memcpy(old_pmk, N.n[0].keys[1].pmk, SAE_PMK_LEN);
	/* node 1 restarts (new instance, no memory) and authenticates again */
	make_node(1, &p1);
	sae_start(N.n[1].s, &N.n[0].mac, false, N.now);
	run(10000);
	ck_assert_uint_eq(sae_get_counters(N.n[0].s)->reauth, 1);
	ck_assert_uint_eq(N.n[0].accepted, 2);
	assert_same_keys(0, 1);
	ck_assert_mem_ne(old_pmk, N.n[0].keys[1].pmk, SAE_PMK_LEN);
}
END_TEST

START_TEST(replayed_frames_after_acceptance_change_nothing)
{
	struct sae_params p0 = params(0, "pw"), p1 = params(1, "pw");
	struct frame log[16];
	unsigned n_log = 0;

	make_node(0, &p0);
	make_node(1, &p1);
	sae_start(N.n[0].s, &N.n[1].mac, false, N.now);
	/* deliver by hand, keeping a copy of every frame */
	while (N.head != N.tail) {
		struct frame f = N.q[N.head++ % QUEUE];
		int to = node_of(&f.to);

		log[n_log++] = f;
		sae_rx(N.n[to].s, &N.n[f.from].mac, f.buf + MGMT_HDR_LEN, f.len - MGMT_HDR_LEN, N.now);
	}
	ck_assert_uint_eq(N.n[0].accepted + N.n[1].accepted, 2);
	for (unsigned i = 0; i < n_log; i++) {
		int to = node_of(&log[i].to);

		sae_rx(N.n[to].s, &N.n[log[i].from].mac, log[i].buf + MGMT_HDR_LEN, log[i].len - MGMT_HDR_LEN, N.now);
	}
	N.head = N.tail;
	ck_assert_uint_eq(N.n[0].accepted + N.n[1].accepted, 2);
	ck_assert_uint_eq(sae_get_counters(N.n[0].s)->reauth + sae_get_counters(N.n[1].s)->reauth, 0);
	ck_assert_uint_ge(sae_get_counters(N.n[0].s)->rx_replay + sae_get_counters(N.n[1].s)->rx_replay, 2);
	ck_assert_int_eq(state_of(0, 1), SAE_ACCEPTED);
	ck_assert_int_eq(state_of(1, 0), SAE_ACCEPTED);
}
END_TEST

START_TEST(reflected_commit_is_dropped)
{
	struct sae_params p0 = params(0, "pw");
	struct frame f;

	make_node(0, &p0);
	sae_start(N.n[0].s, addrp(2), false, N.now);
	f = N.q[N.head++ % QUEUE];
	/* an attacker at addr 2 sends node 0 its own Commit back */
	ck_assert_int_eq(sae_rx(N.n[0].s, addrp(2), f.buf + MGMT_HDR_LEN, f.len - MGMT_HDR_LEN, N.now), -1);
	ck_assert_uint_eq(sae_get_counters(N.n[0].s)->rx_reflection, 1);
	{
		struct sae_peer_info info;

		ck_assert(sae_peer(N.n[0].s, addrp(2), &info));
		ck_assert_int_eq(info.state, SAE_COMMITTED);
	}
}
END_TEST

START_TEST(peer_failure_status_ends_the_session)
{
	struct sae_params p0 = params(0, "pw");
	uint8_t body[6] = {3, 0, 2, 0, 1, 0}; /* Confirm, status 1 */

	make_node(0, &p0);
	sae_start(N.n[0].s, addrp(2), false, N.now);
	N.head = N.tail;
	ck_assert_int_eq(sae_rx(N.n[0].s, addrp(2), body, sizeof(body), N.now), 0);
	ck_assert_uint_eq(N.n[0].failed, 1);
	ck_assert_int_eq(N.n[0].last_why, SAE_FAIL_PEER_REFUSED);
	ck_assert_uint_eq(N.n[0].last_status, 1);
	/* truncated garbage is counted and ignored */
	ck_assert_int_eq(sae_rx(N.n[0].s, addrp(2), body, 3, N.now), -1);
	ck_assert_uint_eq(sae_get_counters(N.n[0].s)->rx_bad_frame, 1);
}
END_TEST

/* One valid Commit replayed from 1000 spoofed addresses. */
static void spoof_flood(uint16_t threshold, uint16_t capacity)
{
	struct sae_params p0 = params(0, "pw"), p1 = params(1, "pw");
	struct frame f;

	p1.anti_clogging_threshold = threshold;
	p1.max_sessions = capacity;
	make_node(0, &p0);
	make_node(1, &p1);
	sae_start(N.n[0].s, &N.n[1].mac, false, N.now);
	f = N.q[N.head++ % QUEUE];
	for (unsigned i = 0; i < 1000; i++) {
		struct mac_addr spoof = {{0x06, 0x11, 0x22, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i}};

		sae_rx(N.n[1].s, &spoof, f.buf + MGMT_HDR_LEN, f.len - MGMT_HDR_LEN, N.now);
		N.head = N.tail; /* the answers go nowhere */
		ck_assert_uint_le(sae_session_count(N.n[1].s), capacity);
	}
}

START_TEST(spoofed_commit_flood_is_bounded_by_tokens)
{
	spoof_flood(5, 16);
	ck_assert_uint_eq(sae_session_count(N.n[1].s), 5);
	ck_assert_uint_eq(sae_get_counters(N.n[1].s)->token_req_tx, 995);
	/* the honest peer still gets in (with a token) */
	sae_remove(N.n[0].s, &N.n[1].mac);
	sae_start(N.n[0].s, &N.n[1].mac, false, N.now);
	deliver();
	ck_assert_uint_eq(N.n[0].accepted, 1);
}
END_TEST

START_TEST(spoofed_commit_flood_is_bounded_by_capacity)
{
	spoof_flood(1000, 8);
	ck_assert_uint_eq(sae_session_count(N.n[1].s), 8);
	ck_assert_uint_eq(sae_get_counters(N.n[1].s)->rx_table_full, 992);
	/* their retransmission timers give up and free the table */
	run(60000);
	ck_assert_uint_eq(sae_session_count(N.n[1].s), 0);
	ck_assert_uint_eq(sae_get_counters(N.n[1].s)->sync_exceeded, 8);
}
END_TEST

START_TEST(bad_params_are_refused)
{
	struct sae_params p = params(0, "pw");
	struct sae_callbacks cb = {.send = on_send};

	p.password_len = 0;
	ck_assert_ptr_null(sae_create(&p, &cb, 0));
	p = params(0, "pw");
	p.groups[0] = 1;
	p.groups[1] = 0;
	ck_assert_ptr_null(sae_create(&p, &cb, 0));
	p = params(0, "pw");
	p.max_sessions = 0;
	ck_assert_ptr_null(sae_create(&p, &cb, 0));
	ck_assert_str_eq(sae_state_name(SAE_CONFIRMED), "Confirmed");
}
END_TEST

Suite *sae_machine_suite(void)
{
	Suite *s = suite_create("sae");
	TCase *tc = tcase_create("machine");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, right_password_both_initiate_both_accept_equal_keys);
	tcase_add_test(tc, confirmed_keeps_own_commit_when_the_peer_starts_over);
	tcase_add_test(tc, one_side_initiates_the_other_answers_commit_and_confirm);
	tcase_add_test(tc, wrong_password_both_fail_without_accepting);
	tcase_add_test(tc, lost_commit_is_retransmitted_then_accepted);
	tcase_add_test(tc, lost_confirm_is_retransmitted_then_accepted);
	tcase_add_test(tc, no_answer_gives_up_after_sync_retransmissions);
	tcase_add_test(tc, unsupported_group_gets_77_and_falls_back);
	tcase_add_test(tc, h2e_fallback_binds_rejected_groups_into_the_keys);
	tcase_add_test(tc, no_common_group_fails);
	tcase_add_test(tc, both_initiating_with_different_groups_converge);
	tcase_add_test(tc, hash_to_element_on_groups_19_20_21);
	tcase_add_test(tc, hunt_and_peck_on_groups_20_21);
	tcase_add_test(tc, pwe_method_mismatch_never_accepts);
	tcase_add_test(tc, anti_clogging_token_required_then_accepted);
	tcase_add_test(tc, anti_clogging_token_survives_one_rotation_only);
	tcase_add_test(tc, accepted_peer_that_restarts_reauthenticates);
	tcase_add_test(tc, replayed_frames_after_acceptance_change_nothing);
	tcase_add_test(tc, reflected_commit_is_dropped);
	tcase_add_test(tc, peer_failure_status_ends_the_session);
	tcase_add_test(tc, spoofed_commit_flood_is_bounded_by_tokens);
	tcase_add_test(tc, spoofed_commit_flood_is_bounded_by_capacity);
	tcase_add_test(tc, bad_params_are_refused);
	suite_add_tcase(s, tc);
	return s;
}
