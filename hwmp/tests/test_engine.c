/* Engine units: two to four engines wired by hand (wire.h), or one engine fed crafted elements. */
#include <check.h>
#include <string.h>

#include "codec.h"
#include "hwmp.h"
#include "mgmt.h"
#include "suites.h"
#include "wire.h"

static struct wire W; /* large: static, and each test runs in its own process */

static struct mac_addr addr(uint8_t a, uint8_t b)
{
	struct mac_addr m = {{0x02, 0, 0, 0, a, b}};
	return m;
}

static bool lookup(uint32_t node, const struct mac_addr *dest, uint64_t now, struct hwmp_route *r)
{
	return hwmp_lookup(W.nodes[node].e, dest, now, r);
}

/* Delivers an encoded element (len from its encoder) from transmitter ta over a link of that metric. */
static int deliver(struct hwmp_engine *e, const struct mac_addr *ta, uint32_t link, const uint8_t *buf, int len,
		   uint64_t now)
{
	ck_assert_int_gt(len, 0);
	return hwmp_rx_element(e, ta, link, buf[0], buf + 2, (size_t)len - 2, now);
}

/* Feeds a PREQ from transmitter ta (orig, orig_sn, metric) with one target to engine e. */
static int feed_preq(struct hwmp_engine *e, const struct mac_addr *ta, uint32_t link, const struct mac_addr *orig,
		     uint32_t orig_sn, uint32_t metric, const struct mac_addr *target, uint64_t now)
{
	struct hwmp_preq q;
	uint8_t buf[300];

	memset(&q, 0, sizeof(q));
	q.ttl = 31;
	q.discovery_id = orig_sn;
	q.orig = *orig;
	q.orig_sn = orig_sn;
	q.lifetime_tu = 4883;
	q.metric = metric;
	q.target_count = 1;
	q.targets[0].flags = HWMP_TARGET_F_TO | HWMP_TARGET_F_USN;
	q.targets[0].addr = *target;
	return deliver(e, ta, link, buf, hwmp_preq_encode(buf, sizeof(buf), &q), now);
}

/* Feeds a PREP from transmitter ta: target's answer (target_sn, metric) to orig's discovery. */
static int feed_prep(struct hwmp_engine *e, const struct mac_addr *ta, uint32_t link, const struct mac_addr *target,
		     uint32_t target_sn, uint32_t metric, const struct mac_addr *orig, uint64_t now)
{
	struct hwmp_prep q;
	uint8_t buf[64];

	memset(&q, 0, sizeof(q));
	q.ttl = 31;
	q.target = *target;
	q.target_sn = target_sn;
	q.lifetime_tu = 4883;
	q.metric = metric;
	q.orig = *orig;
	q.orig_sn = hwmp_own_sn(e);
	return deliver(e, ta, link, buf, hwmp_prep_encode(buf, sizeof(buf), &q), now);
}

static int feed_perr(struct hwmp_engine *e, const struct mac_addr *ta, const struct mac_addr *dest, uint32_t sn,
		     uint64_t now)
{
	struct hwmp_perr p;
	uint8_t buf[300];

	memset(&p, 0, sizeof(p));
	p.ttl = 31;
	p.dest_count = 1;
	p.dests[0].addr = *dest;
	p.dests[0].sn = sn;
	p.dests[0].reason = HWMP_REASON_DEST_UNREACHABLE;
	return deliver(e, ta, 10, buf, hwmp_perr_encode(buf, sizeof(buf), &p), now);
}

START_TEST(test_two_node_discovery)
{
	struct mac_addr b = wire_addr(1);
	struct hwmp_route r;

	wire_init(&W, 2, NULL);
	wire_link(&W, 0, 1, 100);
	ck_assert_int_eq(hwmp_need_path(W.nodes[0].e, &b, 0), 0);
	ck_assert(!lookup(0, &b, 0, &r));
	wire_run(&W);
	ck_assert(lookup(0, &b, 0, &r));
	ck_assert(mac_equal(&r.path.next_hop, &b));
	ck_assert_uint_eq(r.path.metric, 100);
	ck_assert_uint_eq(r.path.hop_count, 1);
	ck_assert(r.path.confirmed);
	ck_assert_uint_eq(W.nodes[0].n_done, 1);
	ck_assert_int_eq(W.nodes[0].done[0].result, HWMP_DISCOVERY_FOUND);
	ck_assert_uint_eq(hwmp_get_counters(W.nodes[0].e)->preq_tx, 1);
	ck_assert_uint_eq(hwmp_get_counters(W.nodes[1].e)->prep_tx, 1);
	/* A path exists: no second discovery. */
	ck_assert_int_eq(hwmp_need_path(W.nodes[0].e, &b, 1), 1);
	ck_assert_uint_eq(hwmp_get_counters(W.nodes[0].e)->preq_tx, 1);
	wire_free(&W);
}
END_TEST

START_TEST(test_line_and_best_metric)
{
	struct mac_addr d = wire_addr(3), b = wire_addr(1), a = wire_addr(0);
	struct hwmp_route r;

	/* 0-1 (10), 1-3 (10), 0-2 (5), 2-3 (50): best 0->3 is via 1 at 20, though 2 is heard first. */
	wire_init(&W, 4, NULL);
	wire_link(&W, 0, 2, 5);
	wire_link(&W, 0, 1, 10);
	wire_link(&W, 1, 3, 10);
	wire_link(&W, 2, 3, 50);
	hwmp_need_path(W.nodes[0].e, &d, 0);
	wire_run(&W);
	ck_assert(lookup(0, &d, 0, &r));
	ck_assert(mac_equal(&r.path.next_hop, &b));
	ck_assert_uint_eq(r.path.metric, 20);
	ck_assert_uint_eq(r.path.hop_count, 2);
	/* The target learned the reverse path, the middle node both. */
	ck_assert(lookup(3, &a, 0, &r));
	ck_assert_uint_eq(r.path.metric, 20);
	ck_assert(lookup(1, &d, 0, &r));
	ck_assert_uint_eq(r.path.metric, 10);
	wire_free(&W);
}
END_TEST

START_TEST(test_retries_backoff_then_fail)
{
	struct mac_addr x = addr(9, 9);
	uint64_t expect[] = {0, 100, 300, 700, 1500};

	wire_init(&W, 1, NULL);
	hwmp_need_path(W.nodes[0].e, &x, 0);
	wire_advance(&W, 3099);
	ck_assert_uint_eq(wire_count(&W, WLAN_EID_PREQ, 0), 5);
	for (unsigned i = 0; i < 5; i++)
		ck_assert_uint_eq(W.log[i].at_ms, expect[i]);
	ck_assert_uint_eq(W.nodes[0].n_done, 0);
	wire_advance(&W, 3100);
	ck_assert_uint_eq(W.nodes[0].n_done, 1);
	ck_assert_int_eq(W.nodes[0].done[0].result, HWMP_DISCOVERY_FAILED);
	ck_assert_uint_eq(hwmp_get_counters(W.nodes[0].e)->discovery_failed, 1);
	ck_assert_uint_eq(hwmp_get_counters(W.nodes[0].e)->discovery_retries, 4);
	wire_free(&W);
}
END_TEST

START_TEST(test_preq_rate_limit_and_batching)
{
	struct hwmp_preq q;
	unsigned counts[3] = {0}, n = 0;
	uint64_t last = 0;

	wire_init(&W, 1, NULL);
	for (uint8_t i = 0; i < 25; i++) {
		struct mac_addr x = addr(7, i);

		ck_assert_int_eq(hwmp_need_path(W.nodes[0].e, &x, 0), 0);
	}
	wire_advance(&W, 35);
	for (uint32_t i = 0; i < W.n_log; i++) {
		if (W.log[i].data[0] != WLAN_EID_PREQ)
			continue;
		ck_assert_int_eq(hwmp_preq_decode(W.log[i].data + 2, W.log[i].data[1], &q), CODEC_OK);
		ck_assert_uint_lt(n, 3);
		if (n > 0)
			ck_assert_uint_ge(W.log[i].at_ms - last, 10);
		last = W.log[i].at_ms;
		counts[n++] = q.target_count;
	}
	/* One at once, then everything queued in one PREQ of 20 targets and one of 4: Linux needs 25 PREQs
	 * and 240 ms for the same burst. */
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(counts[0], 1);
	ck_assert_uint_eq(counts[1], 20);
	ck_assert_uint_eq(counts[2], 4);
	ck_assert_uint_ge(hwmp_get_counters(W.nodes[0].e)->preq_rate_limited, 1);
	wire_free(&W);
}
END_TEST

START_TEST(test_perr_batching_on_neighbour_loss)
{
	struct mac_addr x = wire_addr(0), t = addr(9, 9);
	struct hwmp_perr p;
	uint64_t at[2];
	unsigned n = 0, dests = 0;

	/* Node 1 learns 25 originators through neighbour 0, then loses 0. Node 2 listens. */
	wire_init(&W, 3, NULL);
	wire_link(&W, 1, 2, 10);
	for (uint8_t i = 0; i < 25; i++) {
		struct mac_addr o = addr(5, i);

		ck_assert_int_eq(feed_preq(W.nodes[1].e, &x, 10, &o, 100 + i, 50, &t, 0), 0);
	}
	W.n_log = 0; /* ignore the forwarded PREQs */
	W.q_head = W.q_tail = 0;
	W.now_ms = 1000;
	hwmp_neighbour_lost(W.nodes[1].e, &x, 1000);
	wire_advance(&W, 1300);
	for (uint32_t i = 0; i < W.n_log; i++) {
		if (W.log[i].data[0] != WLAN_EID_PERR || W.log[i].from != 1)
			continue;
		ck_assert_int_eq(hwmp_perr_decode(W.log[i].data + 2, W.log[i].data[1], &p), CODEC_OK);
		ck_assert_uint_lt(n, 2);
		at[n++] = W.log[i].at_ms;
		dests += p.dest_count;
		ck_assert_uint_eq(p.dests[0].reason, HWMP_REASON_DEST_UNREACHABLE);
		if (n == 1)
			ck_assert_uint_eq(p.dest_count, 19);
		for (unsigned k = 0; k < p.dest_count; k++) {
			struct mac_addr o0 = addr(5, 0);

			/* SN raised by one so that receivers accept it; the neighbour itself has none. */
			if (mac_equal(&p.dests[k].addr, &o0))
				ck_assert_uint_eq(p.dests[k].sn, 101);
			if (mac_equal(&p.dests[k].addr, &x))
				ck_assert_uint_eq(p.dests[k].sn, 0);
		}
	}
	/* 25 originators + the neighbour itself = 26 destinations in 2 PERRs, one interval apart. */
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(dests, 26);
	ck_assert_uint_eq(at[0], 1000);
	ck_assert_uint_eq(at[1], 1000 + 102);
	ck_assert_uint_eq(W.nodes[1].path_removes, 26);
	wire_free(&W);
}
END_TEST

START_TEST(test_perr_rx_rules)
{
	struct mac_addr b = addr(1, 1), c = addr(1, 2), d = addr(1, 3), t = addr(9, 9), self = addr(0, 0);
	struct hwmp_params p;
	struct hwmp_engine *e;
	struct hwmp_route r;

	hwmp_params_default(&p, 16);
	e = hwmp_create(&self, &p, NULL, 0);
	ck_assert_int_eq(feed_preq(e, &b, 10, &d, 5, 20, &t, 0), 0);
	ck_assert(hwmp_lookup(e, &d, 1, &r));
	/* From a node that is not our next hop: ignored. */
	ck_assert_int_eq(feed_perr(e, &c, &d, 6, 1), 0);
	ck_assert(hwmp_lookup(e, &d, 1, &r));
	/* Not newer: ignored. */
	ck_assert_int_eq(feed_perr(e, &b, &d, 5, 1), 0);
	ck_assert(hwmp_lookup(e, &d, 1, &r));
	/* Newer, from the next hop: invalidated and propagated. */
	ck_assert_int_eq(feed_perr(e, &b, &d, 6, 1), 0);
	ck_assert(!hwmp_lookup(e, &d, 1, &r));
	ck_assert_uint_eq(hwmp_get_counters(e)->perr_dests_invalidated, 1);
	ck_assert_uint_eq(hwmp_get_counters(e)->perr_tx, 1);
	/* The old information (SN 5) cannot come back right after the break; SN 6 can. */
	ck_assert_int_eq(feed_preq(e, &c, 10, &d, 5, 1, &t, 2), 0);
	ck_assert(!hwmp_lookup(e, &d, 2, &r));
	ck_assert_int_eq(feed_preq(e, &c, 10, &d, 6, 1, &t, 2), 0);
	ck_assert(hwmp_lookup(e, &d, 2, &r));
	/* Broken again at 3; 100 ms later (2 x net diameter traversal) older SNs are heard again. */
	ck_assert_int_eq(feed_perr(e, &c, &d, 7, 3), 0);
	ck_assert(!hwmp_lookup(e, &d, 3, &r));
	ck_assert_int_eq(feed_preq(e, &b, 10, &d, 4, 1, &t, 102), 0);
	ck_assert(!hwmp_lookup(e, &d, 102, &r));
	ck_assert_int_eq(feed_preq(e, &b, 10, &d, 4, 1, &t, 103), 0);
	ck_assert(hwmp_lookup(e, &d, 103, &r));
	ck_assert_uint_eq(r.path.sn, 4);
	hwmp_destroy(e);
}
END_TEST

START_TEST(test_sn_wrap_and_saturation)
{
	struct mac_addr b = addr(1, 1), c = addr(1, 2), d = addr(1, 3), t = addr(9, 9), self = addr(0, 0);
	struct hwmp_params p;
	struct hwmp_engine *e;
	struct hwmp_route r;

	hwmp_params_default(&p, 16);
	p.next_hop_hold_ms = 0; /* SN arithmetic alone: a newer SN moves the path at once */
	e = hwmp_create(&self, &p, NULL, 0);
	ck_assert_int_eq(feed_preq(e, &b, 10, &d, 0xFFFFFFF0u, 20, &t, 0), 0);
	ck_assert(hwmp_lookup(e, &d, 0, &r));
	ck_assert_uint_eq(r.path.sn, 0xFFFFFFF0u);
	/* 5 is newer than 0xFFFFFFF0 across the wrap: taken although worse. */
	feed_preq(e, &c, 10, &d, 5, 500, &t, 0);
	ck_assert(hwmp_lookup(e, &d, 0, &r));
	ck_assert_uint_eq(r.path.sn, 5);
	ck_assert(mac_equal(&r.path.next_hop, &c));
	/* 0xFFFFFFF8 is older than 5: refused although better. */
	feed_preq(e, &b, 10, &d, 0xFFFFFFF8u, 1, &t, 0);
	ck_assert(hwmp_lookup(e, &d, 0, &r));
	ck_assert_uint_eq(r.path.sn, 5);
	ck_assert_uint_eq(r.path.metric, 510);
	ck_assert_uint_eq(hwmp_get_counters(e)->info_rejected_stale, 1);
	/* Metric saturates instead of wrapping to a small value. */
	feed_preq(e, &b, 100, &d, 6, 0xFFFFFFF0u, &t, 0);
	ck_assert(hwmp_lookup(e, &d, 0, &r));
	ck_assert_uint_eq(r.path.metric, 0xFFFFFFFFu);
	hwmp_destroy(e);
}
END_TEST

struct dump {
	struct hwmp_path_info p[64];
	bool active[64];
	unsigned n;
};

static void dump_fn(void *arg, const struct hwmp_path_info *p, bool active)
{
	struct dump *d = arg;

	d->active[d->n] = active;
	d->p[d->n++] = *p;
}

START_TEST(test_malformed_changes_nothing)
{
	struct mac_addr b = addr(1, 1), d = addr(1, 3), t = addr(9, 9), self = addr(0, 0), bc;
	struct hwmp_params p;
	struct hwmp_engine *e;
	struct hwmp_counters before;
	struct dump d1, d2;
	struct hwmp_preq q;
	uint8_t buf[300], bad[300];
	int len;

	hwmp_params_default(&p, 16);
	e = hwmp_create(&self, &p, NULL, 0);
	feed_preq(e, &b, 10, &d, 5, 20, &t, 0);
	memset(&d1, 0, sizeof(d1));
	memset(&d2, 0, sizeof(d2));
	hwmp_foreach_path(e, dump_fn, &d1, 1);
	before = *hwmp_get_counters(e);

	memset(&q, 0, sizeof(q));
	q.ttl = 31;
	q.orig = addr(4, 4);
	q.orig_sn = 9;
	q.target_count = 1;
	q.targets[0].addr = t;
	len = hwmp_preq_encode(buf, sizeof(buf), &q);
	/* truncated, long, count 0, count 21 */
	ck_assert_int_lt(hwmp_rx_element(e, &b, 10, WLAN_EID_PREQ, buf + 2, 10, 1), 0);
	memcpy(bad, buf + 2, (size_t)len - 2);
	bad[len - 2] = 0;
	ck_assert_int_lt(hwmp_rx_element(e, &b, 10, WLAN_EID_PREQ, bad, (size_t)len - 1, 1), 0);
	bad[25] = 0;
	ck_assert_int_lt(hwmp_rx_element(e, &b, 10, WLAN_EID_PREQ, bad, (size_t)len - 2, 1), 0);
	bad[25] = 21;
	ck_assert_int_lt(hwmp_rx_element(e, &b, 10, WLAN_EID_PREQ, bad, (size_t)len - 2, 1), 0);
	/* PREP / PERR / RANN / GANN of the wrong size */
	ck_assert_int_lt(hwmp_rx_element(e, &b, 10, WLAN_EID_PREP, bad, 30, 1), 0);
	ck_assert_int_lt(hwmp_rx_element(e, &b, 10, WLAN_EID_PERR, bad, 1, 1), 0);
	memset(bad, 0, 40);
	bad[0] = 31;
	bad[1] = 1;
	ck_assert_int_lt(hwmp_rx_element(e, &b, 10, WLAN_EID_PERR, bad, 14, 1), 0);
	ck_assert_int_lt(hwmp_rx_element(e, &b, 10, WLAN_EID_RANN, bad, 20, 1), 0);
	ck_assert_int_lt(hwmp_rx_element(e, &b, 10, WLAN_EID_GANN, bad, 16, 1), 0);
	ck_assert_uint_eq(hwmp_get_counters(e)->rejected_malformed, before.rejected_malformed + 9);
	/* TTL 0, our own PREQ, a group originator, a group or own transmitter, unknown element */
	q.ttl = 0;
	len = hwmp_preq_encode(buf, sizeof(buf), &q);
	ck_assert_int_lt(hwmp_rx_element(e, &b, 10, buf[0], buf + 2, (size_t)len - 2, 1), 0);
	q.ttl = 31;
	q.orig = self;
	len = hwmp_preq_encode(buf, sizeof(buf), &q);
	ck_assert_int_lt(hwmp_rx_element(e, &b, 10, buf[0], buf + 2, (size_t)len - 2, 1), 0);
	memset(q.orig.bytes, 0xff, 6);
	len = hwmp_preq_encode(buf, sizeof(buf), &q);
	ck_assert_int_lt(hwmp_rx_element(e, &b, 10, buf[0], buf + 2, (size_t)len - 2, 1), 0);
	q.orig = addr(4, 4);
	len = hwmp_preq_encode(buf, sizeof(buf), &q);
	memset(bc.bytes, 0xff, 6);
	ck_assert_int_lt(hwmp_rx_element(e, &bc, 10, buf[0], buf + 2, (size_t)len - 2, 1), 0);
	ck_assert_int_lt(hwmp_rx_element(e, &self, 10, buf[0], buf + 2, (size_t)len - 2, 1), 0);
	ck_assert_int_lt(hwmp_rx_element(e, &b, 10, 99, buf + 2, (size_t)len - 2, 1), 0);
	ck_assert_uint_eq(hwmp_get_counters(e)->rejected_bad_ttl, 1);
	ck_assert_uint_eq(hwmp_get_counters(e)->rejected_own, 1);
	ck_assert_uint_eq(hwmp_get_counters(e)->rejected_bad_address, 3);
	ck_assert_uint_eq(hwmp_get_counters(e)->rejected_unknown_element, 1);

	hwmp_foreach_path(e, dump_fn, &d2, 1);
	ck_assert_uint_eq(d1.n, d2.n);
	ck_assert_mem_eq(&d1, &d2, sizeof(d1));
	ck_assert_uint_eq(hwmp_get_counters(e)->preq_rx, before.preq_rx);
	ck_assert_uint_eq(hwmp_get_counters(e)->path_installed, before.path_installed);
	hwmp_destroy(e);
}
END_TEST

START_TEST(test_proxy_answer_and_learn)
{
	struct mac_addr st = addr(0xaa, 1), my_st = addr(0xbb, 1), c = wire_addr(2), b = wire_addr(1), a = wire_addr(0);
	struct hwmp_route r;

	wire_init(&W, 3, NULL);
	wire_link(&W, 0, 1, 10);
	wire_link(&W, 1, 2, 10);
	ck_assert_int_eq(hwmp_local_proxy_add(W.nodes[2].e, &st), 0);
	ck_assert_int_eq(hwmp_local_proxy_add(W.nodes[0].e, &my_st), 0);
	/* Node 0 looks for a station behind node 2, announcing its own station in AE. */
	ck_assert_int_eq(hwmp_need_path_from(W.nodes[0].e, &st, &my_st, 0), 0);
	wire_run(&W);
	ck_assert(lookup(0, &st, 0, &r));
	ck_assert(r.proxied);
	ck_assert(mac_equal(&r.path.dest, &c));
	ck_assert(mac_equal(&r.path.next_hop, &b));
	ck_assert_uint_eq(r.path.metric, 20);
	ck_assert_uint_eq(W.nodes[0].proxy_installs, 1);
	ck_assert(mac_equal(&W.nodes[0].last_proxy_station, &st));
	ck_assert_uint_eq(W.nodes[0].n_done, 1);
	ck_assert(mac_equal(&W.nodes[0].done[0].dest, &st));
	ck_assert_uint_eq(hwmp_get_counters(W.nodes[2].e)->proxy_replies, 1);
	/* Node 2 learned node 0's station from the PREQ's AE. */
	ck_assert_uint_eq(W.nodes[2].proxy_installs, 1);
	ck_assert(lookup(2, &my_st, 0, &r));
	ck_assert(mac_equal(&r.path.dest, &a));
	wire_free(&W);
}
END_TEST

static void intermediate_case(bool reply_and_forward)
{
	struct hwmp_params p;
	struct mac_addr c = wire_addr(2);
	struct hwmp_route r;
	uint64_t c_preq_rx;

	hwmp_params_default(&p, 64);
	p.target_only = false;
	p.reply_and_forward = reply_and_forward;
	wire_init(&W, 3, &p);
	wire_link(&W, 0, 1, 10);
	wire_link(&W, 1, 2, 15);
	hwmp_need_path(W.nodes[1].e, &c, 0);
	wire_run(&W);
	c_preq_rx = hwmp_get_counters(W.nodes[2].e)->preq_rx;
	hwmp_need_path(W.nodes[0].e, &c, 1);
	wire_run(&W);
	ck_assert_uint_eq(hwmp_get_counters(W.nodes[1].e)->prep_intermediate_tx, 1);
	ck_assert(lookup(0, &c, 1, &r));
	ck_assert_uint_eq(r.path.metric, 25);
	ck_assert_uint_eq(hwmp_get_counters(W.nodes[2].e)->preq_rx, c_preq_rx + (reply_and_forward ? 1 : 0));
	ck_assert_uint_eq(hwmp_get_counters(W.nodes[2].e)->prep_tx, reply_and_forward ? 2 : 1);
	wire_free(&W);
}

START_TEST(test_intermediate_reply)
{
	intermediate_case(false);
}
END_TEST

START_TEST(test_intermediate_reply_and_forward)
{
	intermediate_case(true);
}
END_TEST

static void root_case(uint8_t mode)
{
	struct hwmp_params p, rp;
	struct mac_addr root = wire_addr(2), a = wire_addr(0), b = wire_addr(1);
	struct hwmp_route r;

	hwmp_params_default(&p, 64);
	rp = p;
	rp.root_mode = mode;
	rp.is_gate = true;
	wire_init_one(&W, 3, &p, 2, &rp);
	wire_link(&W, 0, 1, 10);
	wire_link(&W, 1, 2, 20);
	wire_advance(&W, 50);
	ck_assert(lookup(0, &root, 50, &r));
	ck_assert_uint_eq(r.path.metric, 30);
	ck_assert(mac_equal(&r.path.next_hop, &b));
	if (mode == HWMP_ROOT_PROACTIVE_PREQ_NO_PREP) {
		/* Without PREP the root learns nothing beyond its neighbour. */
		ck_assert(!lookup(2, &a, 50, &r));
	} else {
		ck_assert(lookup(2, &a, 50, &r));
		ck_assert_uint_eq(r.path.metric, 30);
	}
	if (mode == HWMP_ROOT_RANN) {
		ck_assert_uint_eq(hwmp_get_counters(W.nodes[2].e)->rann_tx, 1);
		ck_assert_uint_ge(hwmp_get_counters(W.nodes[0].e)->root_registrations, 1);
	} else {
		ck_assert_uint_eq(hwmp_get_counters(W.nodes[2].e)->proactive_preq_tx, 1);
	}
	wire_free(&W);
}

START_TEST(test_root_rann)
{
	root_case(HWMP_ROOT_RANN);
}
END_TEST

START_TEST(test_root_proactive_prep)
{
	root_case(HWMP_ROOT_PROACTIVE_PREQ_WITH_PREP);
}
END_TEST

START_TEST(test_root_proactive_no_prep)
{
	root_case(HWMP_ROOT_PROACTIVE_PREQ_NO_PREP);
}
END_TEST

/* A reload: node 2 becomes a RANN root while running, at once and keeping its paths; a table size
 * cannot change. */
START_TEST(test_set_params_makes_a_root)
{
	struct hwmp_params p, rp;
	struct mac_addr root = wire_addr(2), a = wire_addr(0);
	struct hwmp_route r;

	hwmp_params_default(&p, 64);
	wire_init_one(&W, 3, &p, 2, &p);
	wire_link(&W, 0, 1, 10);
	wire_link(&W, 1, 2, 20);
	wire_advance(&W, 50);
	ck_assert(!lookup(0, &root, 50, &r));
	rp = p;
	rp.root_mode = HWMP_ROOT_RANN;
	rp.is_gate = true;
	rp.max_paths = p.max_paths + 1;
	ck_assert_int_eq(hwmp_set_params(W.nodes[2].e, &rp, 50), -1);
	rp.max_paths = p.max_paths;
	rp.root_mode = 9;
	ck_assert_int_eq(hwmp_set_params(W.nodes[2].e, &rp, 50), -1);
	rp.root_mode = HWMP_ROOT_RANN;
	ck_assert_int_eq(hwmp_set_params(W.nodes[2].e, &rp, 50), 0);
	wire_advance(&W, 100);
	ck_assert_uint_eq(hwmp_get_counters(W.nodes[2].e)->rann_tx, 1);
	ck_assert(lookup(0, &root, 100, &r));
	ck_assert_uint_eq(r.path.metric, 30);
	ck_assert(lookup(2, &a, 100, &r));
	wire_free(&W);
}
END_TEST

START_TEST(test_gate_default_route)
{
	struct hwmp_params p, rp;
	struct mac_addr x = addr(9, 9), root = wire_addr(2);
	struct hwmp_route r;

	hwmp_params_default(&p, 64);
	rp = p;
	rp.root_mode = HWMP_ROOT_RANN;
	rp.is_gate = true;
	wire_init_one(&W, 3, &p, 2, &rp);
	wire_link(&W, 0, 1, 10);
	wire_link(&W, 1, 2, 20);
	wire_advance(&W, 50);
	ck_assert_int_eq(hwmp_need_path(W.nodes[0].e, &x, 50), 0);
	wire_advance(&W, 3200);
	ck_assert_uint_eq(W.nodes[0].n_done, 1);
	ck_assert_int_eq(W.nodes[0].done[0].result, HWMP_DISCOVERY_VIA_GATE);
	ck_assert(lookup(0, &x, 3200, &r));
	ck_assert(r.via_gate);
	ck_assert(mac_equal(&r.path.dest, &root));
	wire_free(&W);
}
END_TEST

START_TEST(test_gann)
{
	struct hwmp_params p, gp;

	hwmp_params_default(&p, 64);
	gp = p;
	gp.is_gate = true;
	gp.gate_announcements = true;
	wire_init_one(&W, 3, &p, 2, &gp);
	wire_link(&W, 0, 1, 10);
	wire_link(&W, 1, 2, 20);
	wire_advance(&W, 10);
	ck_assert_uint_eq(hwmp_get_counters(W.nodes[2].e)->gann_tx, 1);
	ck_assert_uint_eq(hwmp_get_counters(W.nodes[1].e)->gann_fwd, 1);
	/* Node 0 forwards once; node 1 drops the copy coming back. */
	ck_assert_uint_eq(hwmp_get_counters(W.nodes[0].e)->gann_fwd, 1);
	ck_assert_uint_eq(hwmp_get_counters(W.nodes[1].e)->info_rejected_stale, 1);
	wire_advance(&W, 5200);
	ck_assert_uint_eq(hwmp_get_counters(W.nodes[2].e)->gann_tx, 2);
	wire_free(&W);
}
END_TEST

START_TEST(test_expiry_and_refresh)
{
	struct mac_addr b = wire_addr(1);
	struct hwmp_route r;

	wire_init(&W, 2, NULL);
	wire_link(&W, 0, 1, 10);
	hwmp_need_path(W.nodes[0].e, &b, 0);
	wire_run(&W);
	/* Used 800 ms before expiry: refreshed (Linux's 1000 ms refresh time). */
	wire_advance(&W, 4200);
	hwmp_path_used(W.nodes[0].e, &b, 4200);
	wire_run(&W);
	ck_assert_uint_eq(hwmp_get_counters(W.nodes[0].e)->path_refresh, 1);
	ck_assert_uint_eq(hwmp_get_counters(W.nodes[0].e)->preq_tx, 2);
	ck_assert(lookup(0, &b, 9000, &r));
	/* Not used any more: expires and is removed by the sweep. */
	wire_advance(&W, 10300);
	ck_assert(!lookup(0, &b, 10300, &r));
	ck_assert_uint_ge(hwmp_get_counters(W.nodes[0].e)->path_expired, 1);
	ck_assert_uint_ge(W.nodes[0].path_removes, 1);
	wire_free(&W);
}
END_TEST

/* A refresh that comes back costlier under the same SN (a link on the route got worse) keeps the path
 * alive with its metric (a metric never rises under one SN: loop freedom), and the next refresh asks
 * the target for a newer SN, whose answer brings the real cost. */
START_TEST(test_costlier_refresh)
{
	struct mac_addr c = wire_addr(2);
	struct hwmp_route r;
	uint32_t sn;

	wire_init(&W, 3, NULL);
	wire_link(&W, 0, 1, 100);
	wire_link(&W, 1, 2, 100);
	hwmp_need_path(W.nodes[0].e, &c, 0);
	wire_run(&W);
	ck_assert(lookup(0, &c, 0, &r) && r.path.metric == 200);
	sn = r.path.sn;
	wire_link(&W, 1, 2, 130);
	wire_advance(&W, 4200);
	hwmp_path_used(W.nodes[0].e, &c, 4200);
	wire_run(&W);
	ck_assert_uint_eq(hwmp_get_counters(W.nodes[0].e)->path_refresh_costlier, 1);
	ck_assert(lookup(0, &c, 4200, &r) && r.path.metric == 200 && r.path.sn == sn);
	ck_assert(lookup(0, &c, 9000, &r)); /* the lifetime was extended: it would have expired at 5000 */
	wire_advance(&W, 8400);
	hwmp_path_used(W.nodes[0].e, &c, 8400);
	wire_run(&W);
	ck_assert(lookup(0, &c, 8400, &r) && r.path.metric == 230 && r.path.sn == sn + 1);
	ck_assert_uint_eq(r.path.changes, 0);
	wire_free(&W);
}
END_TEST

/* Found by fuzz_hwmp_engine: a path past its expiry but not yet swept still sits in the dataplane; when
 * its next hop is lost it must be withdrawn at once, not at the next sweep. */
START_TEST(test_lost_neighbour_withdraws_expired_path)
{
	struct mac_addr b = wire_addr(1);
	struct hwmp_route r;
	uint32_t removes;

	wire_init(&W, 2, NULL);
	wire_link(&W, 0, 1, 10);
	hwmp_need_path(W.nodes[0].e, &b, 0);
	wire_run(&W);
	ck_assert(lookup(0, &b, 0, &r));
	removes = W.nodes[0].path_removes;
	/* 5 s lifetime: at 5001 ms it has expired, and no tick has swept it. */
	ck_assert(!lookup(0, &b, 5001, &r));
	hwmp_neighbour_lost(W.nodes[0].e, &b, 5001);
	ck_assert_uint_eq(W.nodes[0].path_removes, removes + 1);
	wire_free(&W);
}
END_TEST

START_TEST(test_switch_hysteresis)
{
	struct mac_addr b = addr(1, 1), c = addr(1, 2), d = addr(1, 3), t = addr(9, 9), self = addr(0, 0);
	struct hwmp_params p;
	struct hwmp_engine *e;
	struct hwmp_route r;

	hwmp_params_default(&p, 16);
	p.switch_hysteresis_pct = 10;
	e = hwmp_create(&self, &p, NULL, 0);
	feed_preq(e, &b, 10, &d, 5, 90, &t, 0); /* 100 via b */
	feed_preq(e, &c, 10, &d, 5, 85, &t, 0); /* 95 via c: not 10 % better */
	ck_assert(hwmp_lookup(e, &d, 0, &r));
	ck_assert(mac_equal(&r.path.next_hop, &b));
	feed_preq(e, &c, 10, &d, 5, 79, &t, 0); /* 89 via c: switch */
	ck_assert(hwmp_lookup(e, &d, 0, &r));
	ck_assert(mac_equal(&r.path.next_hop, &c));
	ck_assert_uint_eq(r.path.metric, 89);
	hwmp_destroy(e);
}
END_TEST

/* Path stability: a flood's newer SN that reaches us first through another next hop, and is no better,
 * waits for the current next hop's copy; taken when that next hop has missed floods for the path refresh
 * time, or when its copy is clearly worse. */
START_TEST(test_next_hop_hold)
{
	struct mac_addr b = addr(1, 1), c = addr(1, 2), d = addr(1, 3), t = addr(9, 9), self = addr(0, 0);
	struct hwmp_params p;
	struct hwmp_engine *e;
	struct hwmp_route r;

	hwmp_params_default(&p, 16);
	ck_assert_uint_eq(p.next_hop_hold_ms, 50);
	e = hwmp_create(&self, &p, NULL, 0);
	feed_preq(e, &b, 10, &d, 10, 90, &t, 0); /* 100 via b */
	/* SN 11 via c, equal: held; b's copy follows and keeps the path on b. */
	feed_preq(e, &c, 10, &d, 11, 90, &t, 1);
	ck_assert(hwmp_lookup(e, &d, 1, &r) && mac_equal(&r.path.next_hop, &b) && r.path.sn == 10);
	ck_assert_uint_eq(hwmp_get_counters(e)->path_offers_held, 1);
	ck_assert_uint_le(hwmp_next_deadline(e), 51);
	feed_preq(e, &b, 10, &d, 11, 90, &t, 2);
	ck_assert(hwmp_lookup(e, &d, 2, &r) && mac_equal(&r.path.next_hop, &b) && r.path.sn == 11);
	hwmp_tick(e, 30);
	ck_assert(hwmp_lookup(e, &d, 30, &r) && mac_equal(&r.path.next_hop, &b));
	ck_assert_uint_eq(r.path.changes, 0);
	/* SN 12 via c; b's copy is late: the first flood b misses is forgiven, and its late copy refreshes
	 * the path without a change. */
	feed_preq(e, &c, 10, &d, 12, 90, &t, 40);
	hwmp_tick(e, 89);
	ck_assert(hwmp_lookup(e, &d, 89, &r) && mac_equal(&r.path.next_hop, &b));
	hwmp_tick(e, 90);
	ck_assert(hwmp_lookup(e, &d, 90, &r) && mac_equal(&r.path.next_hop, &b) && r.path.sn == 11);
	ck_assert_uint_eq(hwmp_get_counters(e)->path_holds_forgiven, 1);
	ck_assert_uint_eq(hwmp_get_counters(e)->path_holds_taken, 0);
	feed_preq(e, &b, 10, &d, 12, 90, &t, 150);
	ck_assert(hwmp_lookup(e, &d, 150, &r) && mac_equal(&r.path.next_hop, &b) && r.path.sn == 12);
	ck_assert_uint_eq(r.path.changes, 0);
	/* SN 13, 14 and 15 via c, b's copies never come: forgiven while b has missed floods for less than
	 * the path refresh time (1000 ms), then taken. */
	feed_preq(e, &c, 10, &d, 13, 90, &t, 160);
	hwmp_tick(e, 210);
	ck_assert(hwmp_lookup(e, &d, 210, &r) && mac_equal(&r.path.next_hop, &b) && r.path.sn == 12);
	ck_assert_uint_eq(hwmp_get_counters(e)->path_holds_forgiven, 2);
	feed_preq(e, &c, 10, &d, 14, 90, &t, 900);
	hwmp_tick(e, 950);
	ck_assert(hwmp_lookup(e, &d, 950, &r) && mac_equal(&r.path.next_hop, &b) && r.path.sn == 12);
	ck_assert_uint_eq(hwmp_get_counters(e)->path_holds_forgiven, 3);
	feed_preq(e, &c, 10, &d, 15, 90, &t, 1200);
	hwmp_tick(e, 1249);
	ck_assert(hwmp_lookup(e, &d, 1249, &r) && mac_equal(&r.path.next_hop, &b));
	hwmp_tick(e, 1250);
	ck_assert(hwmp_lookup(e, &d, 1250, &r) && mac_equal(&r.path.next_hop, &c) && r.path.sn == 15);
	ck_assert_uint_eq(r.path.changes, 1);
	ck_assert_uint_eq(hwmp_get_counters(e)->path_holds_taken, 1);
	/* SN 16 via b, equal, held; c's copy is clearly worse (300): the held one wins. */
	feed_preq(e, &b, 10, &d, 16, 90, &t, 1300);
	feed_preq(e, &c, 10, &d, 16, 290, &t, 1301);
	ck_assert(hwmp_lookup(e, &d, 1301, &r) && mac_equal(&r.path.next_hop, &b) && r.path.metric == 100);
	/* SN 17 via c, clearly better (50): no hold. */
	feed_preq(e, &c, 10, &d, 17, 40, &t, 1400);
	ck_assert(hwmp_lookup(e, &d, 1400, &r) && mac_equal(&r.path.next_hop, &c) && r.path.metric == 50);
	ck_assert_uint_eq(r.path.changes, 3);
	hwmp_destroy(e);
}
END_TEST

/* Between two equal routes the ends may disagree: our path to the target through b, the target's path
 * to us through c, so the answer to our refresh comes back through c under the SN we hold. Unused, it
 * let our path expire every cycle and its rediscovery pick a route at random; it extends the lifetime
 * and keeps the next hop. */
START_TEST(test_refresh_answered_other_way)
{
	struct mac_addr b = addr(1, 1), c = addr(1, 2), a = addr(1, 3), self = addr(0, 0);
	struct hwmp_params p;
	struct hwmp_engine *e;
	struct hwmp_route r;

	hwmp_params_default(&p, 16);
	e = hwmp_create(&self, &p, NULL, 0);
	feed_preq(e, &b, 10, &a, 10, 90, &self, 0); /* a's discovery of us: 100 via b, SN 10 */
	ck_assert(hwmp_lookup(e, &a, 0, &r) && mac_equal(&r.path.next_hop, &b));
	hwmp_path_used(e, &a, 4200); /* in its last second: our refresh */
	ck_assert_uint_eq(hwmp_get_counters(e)->path_refresh, 1);
	feed_prep(e, &c, 10, &a, 10, 90, &self, 4210); /* answered through c, equal, same SN */
	ck_assert_uint_eq(hwmp_get_counters(e)->path_refresh_other_hop, 1);
	hwmp_tick(e, 6000);
	ck_assert(hwmp_lookup(e, &a, 6000, &r) && mac_equal(&r.path.next_hop, &b) && r.path.metric == 100);
	ck_assert_uint_eq(r.path.changes, 0);
	ck_assert_uint_eq(hwmp_get_counters(e)->discovery_retries, 0);
	/* Someone else's answer (we are only the relay) extends nothing. */
	feed_prep(e, &c, 10, &a, 10, 90, &b, 6010);
	ck_assert_uint_eq(hwmp_get_counters(e)->path_refresh_other_hop, 1);
	hwmp_destroy(e);
}
END_TEST

/* Found by fuzz_hwmp_engine: an offer held from a neighbour that is then lost must not be taken when
 * its hold ends (it would install a path through a neighbour known to be gone). */
START_TEST(test_hold_dropped_with_lost_neighbour)
{
	struct mac_addr b = addr(1, 1), c = addr(1, 2), d = addr(1, 3), t = addr(9, 9), self = addr(0, 0);
	struct hwmp_params p;
	struct hwmp_engine *e;
	struct hwmp_route r;

	hwmp_params_default(&p, 16);
	e = hwmp_create(&self, &p, NULL, 0);
	feed_preq(e, &b, 10, &d, 10, 90, &t, 0); /* 100 via b */
	feed_preq(e, &c, 10, &d, 11, 90, &t, 1); /* SN 11 via c: held */
	ck_assert_uint_eq(hwmp_get_counters(e)->path_offers_held, 1);
	hwmp_neighbour_lost(e, &c, 5);
	hwmp_tick(e, 60);
	ck_assert_uint_eq(hwmp_get_counters(e)->path_holds_taken, 0);
	ck_assert(!hwmp_lookup(e, &d, 60, &r) || !mac_equal(&r.path.next_hop, &c));
	ck_assert(hwmp_lookup(e, &d, 60, &r) && mac_equal(&r.path.next_hop, &b));
	hwmp_destroy(e);
}
END_TEST

START_TEST(test_bounded_tables)
{
	struct mac_addr self = addr(0, 0), b = addr(1, 1), t = addr(9, 9), bc;
	struct hwmp_params p;
	struct hwmp_engine *e;

	hwmp_params_default(&p, 4);
	p.max_local_proxies = 2;
	p.max_discoveries = 2;
	e = hwmp_create(&self, &p, NULL, 0);
	ck_assert_ptr_nonnull(e);
	/* 4 paths: the neighbour and 3 originators; the next ones are refused and counted. */
	for (uint8_t i = 0; i < 6; i++) {
		struct mac_addr o = addr(5, i);

		feed_preq(e, &b, 10, &o, 1, 10, &t, 0);
	}
	ck_assert_uint_eq(hwmp_active_paths(e, 0), 4);
	ck_assert_uint_eq(hwmp_get_counters(e)->path_table_full, 3);
	ck_assert_int_eq(hwmp_local_proxy_add(e, &t), 0);
	ck_assert_int_eq(hwmp_local_proxy_add(e, &b), 0);
	ck_assert_int_eq(hwmp_local_proxy_add(e, &(struct mac_addr){{2, 0, 0, 0, 0xcc, 1}}), -1);
	ck_assert_uint_eq(hwmp_get_counters(e)->local_proxy_table_full, 1);
	ck_assert_int_eq(hwmp_need_path(e, &self, 0), -1);
	memset(bc.bytes, 0xff, 6);
	ck_assert_int_eq(hwmp_need_path(e, &bc, 0), -1);
	ck_assert_int_eq(hwmp_need_path(e, &(struct mac_addr){{2, 0, 0, 0, 8, 1}}, 0), 0);
	ck_assert_int_eq(hwmp_need_path(e, &(struct mac_addr){{2, 0, 0, 0, 8, 2}}, 0), 0);
	ck_assert_int_eq(hwmp_need_path(e, &(struct mac_addr){{2, 0, 0, 0, 8, 3}}, 0), -1);
	ck_assert_uint_eq(hwmp_get_counters(e)->discovery_table_full, 1);
	hwmp_destroy(e);
}
END_TEST

Suite *engine_suite(void)
{
	Suite *s = suite_create("hwmp_engine");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_two_node_discovery);
	tcase_add_test(tc, test_line_and_best_metric);
	tcase_add_test(tc, test_retries_backoff_then_fail);
	tcase_add_test(tc, test_preq_rate_limit_and_batching);
	tcase_add_test(tc, test_perr_batching_on_neighbour_loss);
	tcase_add_test(tc, test_perr_rx_rules);
	tcase_add_test(tc, test_sn_wrap_and_saturation);
	tcase_add_test(tc, test_malformed_changes_nothing);
	tcase_add_test(tc, test_proxy_answer_and_learn);
	tcase_add_test(tc, test_intermediate_reply);
	tcase_add_test(tc, test_intermediate_reply_and_forward);
	tcase_add_test(tc, test_root_rann);
	tcase_add_test(tc, test_set_params_makes_a_root);
	tcase_add_test(tc, test_root_proactive_prep);
	tcase_add_test(tc, test_root_proactive_no_prep);
	tcase_add_test(tc, test_gate_default_route);
	tcase_add_test(tc, test_gann);
	tcase_add_test(tc, test_expiry_and_refresh);
	tcase_add_test(tc, test_lost_neighbour_withdraws_expired_path);
	tcase_add_test(tc, test_switch_hysteresis);
	tcase_add_test(tc, test_next_hop_hold);
	tcase_add_test(tc, test_costlier_refresh);
	tcase_add_test(tc, test_refresh_answered_other_way);
	tcase_add_test(tc, test_hold_dropped_with_lost_neighbour);
	tcase_add_test(tc, test_bounded_tables);
	suite_add_tcase(s, tc);
	return s;
}
