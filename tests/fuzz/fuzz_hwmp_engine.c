/* libFuzzer: one HWMP engine fed a sequence of arbitrary inputs, as a node on an open radio sees them:
 * elements from any transmitter (raw bytes, or well-formed elements with fuzzed fields), clock jumps,
 * data waiting for paths, lost neighbours, stations arriving and leaving. After every input the engine's
 * state must stay consistent:
 *   - no path to ourselves, no path whose next hop is ourselves or a group address;
 *   - the table the callbacks built (what the dataplane would hold) agrees with the engine's own table;
 *   - no active path through a neighbour reported lost and not heard since;
 *   - lookups agree with the table, the table never exceeds its capacity;
 *   - every element the engine sends decodes with our own codec.
 * A violation traps, so libFuzzer keeps the input. */
#include <stdint.h>
#include <string.h>

#include "fuzz_input.h"
#include "hwmp.h"
#include "hwmp_elements.h"
#include "mgmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ADDRS 8
#define MAX_PATHS 8
#define SELF 1

struct mirror_path {
	bool used;
	struct mac_addr dest, next_hop;
	uint32_t metric;
};

struct harness {
	struct mirror_path mirror[64];
	bool lost[ADDRS];
	uint64_t now;
	bool in_callback;
};

/* A small address space so that fuzzed elements name the same nodes again and again: index 1 is this
 * node, 7 the broadcast address, 0 the zero address. */
static struct mac_addr addr(uint8_t i)
{
	struct mac_addr a = {{0x02, 0, 0, 0, 0, (uint8_t)(i % ADDRS)}};

	if (i % ADDRS == 7)
		memset(a.bytes, 0xff, 6);
	if (i % ADDRS == 0)
		memset(a.bytes, 0, 6);
	return a;
}

static int addr_index(const struct mac_addr *a)
{
	for (uint8_t i = 0; i < ADDRS; i++) {
		struct mac_addr x = addr(i);

		if (mac_equal(&x, a))
			return i;
	}
	return -1;
}

static struct mirror_path *mirror_find(struct harness *h, const struct mac_addr *dest, bool create)
{
	struct mirror_path *free_slot = NULL;

	for (size_t i = 0; i < sizeof(h->mirror) / sizeof(h->mirror[0]); i++) {
		if (h->mirror[i].used && mac_equal(&h->mirror[i].dest, dest))
			return &h->mirror[i];
		if (!h->mirror[i].used && free_slot == NULL)
			free_slot = &h->mirror[i];
	}
	if (!create || free_slot == NULL)
		return NULL;
	free_slot->used = true;
	free_slot->dest = *dest;
	return free_slot;
}

static void cb_send(void *ctx, const struct mac_addr *receiver, const uint8_t *el, size_t len)
{
	union {
		struct hwmp_preq preq;
		struct hwmp_prep prep;
		struct hwmp_perr perr;
		struct hwmp_rann rann;
		struct hwmp_gann gann;
	} u;
	int rc = -1;

	(void)ctx;
	(void)receiver;
	if (len < 2 || el[1] != len - 2)
		__builtin_trap();
	switch (el[0]) {
	case WLAN_EID_PREQ: rc = hwmp_preq_decode(el + 2, len - 2, &u.preq); break;
	case WLAN_EID_PREP: rc = hwmp_prep_decode(el + 2, len - 2, &u.prep); break;
	case WLAN_EID_PERR: rc = hwmp_perr_decode(el + 2, len - 2, &u.perr); break;
	case WLAN_EID_RANN: rc = hwmp_rann_decode(el + 2, len - 2, &u.rann); break;
	case WLAN_EID_GANN: rc = hwmp_gann_decode(el + 2, len - 2, &u.gann); break;
	}
	if (rc != 0)
		__builtin_trap(); /* the engine sent an element our own decoder refuses */
}

static void cb_path_install(void *ctx, const struct hwmp_path_info *p)
{
	struct harness *h = ctx;
	struct mirror_path *m = mirror_find(h, &p->dest, true);

	if (m == NULL)
		__builtin_trap(); /* more installed paths than the engine can hold */
	m->next_hop = p->next_hop;
	m->metric = p->metric;
}

static void cb_path_remove(void *ctx, const struct mac_addr *dest)
{
	struct mirror_path *m = mirror_find(ctx, dest, false);

	if (m != NULL)
		m->used = false;
}

struct check_ctx {
	struct harness *h;
	const struct hwmp_engine *e;
};

static void check_path(void *arg, const struct hwmp_path_info *p, bool active)
{
	struct check_ctx *c = arg;
	struct mac_addr self = addr(SELF);
	struct mirror_path *m;
	struct hwmp_route r;
	int nh;

	if (mac_equal(&p->dest, &self) || mac_equal(&p->next_hop, &self) || mac_is_group(&p->next_hop) ||
	    mac_is_group(&p->dest))
		__builtin_trap();
	if (!active)
		return;
	m = mirror_find(c->h, &p->dest, false);
	if (m == NULL || !mac_equal(&m->next_hop, &p->next_hop) || m->metric != p->metric)
		__builtin_trap(); /* the dataplane's copy would differ from the engine */
	nh = addr_index(&p->next_hop);
	if (nh >= 0 && c->h->lost[nh])
		__builtin_trap(); /* forwarding through a neighbour known to be gone */
	if (!hwmp_lookup(c->e, &p->dest, c->h->now, &r) || r.proxied || !mac_equal(&r.path.next_hop, &p->next_hop))
		__builtin_trap();
}

struct mirror_check {
	struct mirror_path *m;
	uint64_t now, sweep_ms;
};

static void check_mirror_entry(void *arg, const struct hwmp_path_info *p, bool active)
{
	struct mirror_check *mc = arg;

	if (!mac_equal(&p->dest, &mc->m->dest))
		return;
	if (!mac_equal(&p->next_hop, &mc->m->next_hop))
		__builtin_trap();
	/* Inactive in the engine but still in the dataplane: allowed only between expiry and the next
	 * sweep, never after a path broke (invalidation sets expiry to the break time, so a broken path
	 * would pass here only within one sweep interval; the lost-neighbour check below catches it). */
	if (!active && p->expiry_ms + mc->sweep_ms <= mc->now)
		__builtin_trap();
	mc->m->used = false; /* found: clear in the scratch copy */
}

static void check_state(struct harness *h, const struct hwmp_engine *e, uint64_t sweep_ms)
{
	struct check_ctx c = {.h = h, .e = e};
	struct harness scratch = *h;

	hwmp_foreach_path(e, check_path, &c, h->now);
	/* Every path the callbacks installed and did not remove is still in the engine's table, and none
	 * leads through a neighbour that was reported lost. */
	for (size_t i = 0; i < sizeof(scratch.mirror) / sizeof(scratch.mirror[0]); i++) {
		struct mirror_check mc = {.m = &scratch.mirror[i], .now = h->now, .sweep_ms = sweep_ms};
		int nh;

		if (!scratch.mirror[i].used)
			continue;
		nh = addr_index(&scratch.mirror[i].next_hop);
		if (nh >= 0 && h->lost[nh])
			__builtin_trap();
		hwmp_foreach_path(e, check_mirror_entry, &mc, h->now);
		if (scratch.mirror[i].used)
			__builtin_trap();
	}
	if (hwmp_active_paths(e, h->now) > MAX_PATHS)
		__builtin_trap();
}

/* A well-formed element whose fields come from the input, addresses from the small alphabet (which
 * field takes which byte is the compiler's choice: initialisers are unsequenced; any order serves). */
static int structured_element(struct fuzz_input *in, uint8_t *el, size_t cap)
{
	switch (take8(in) % 5) {
	case 0: {
		struct hwmp_preq q = {
			.flags = take8(in), .hop_count = take8(in), .ttl = take8(in), .discovery_id = take32(in),
			.orig = addr(take8(in)), .orig_sn = take32(in), .orig_ext = addr(take8(in)),
			.lifetime_tu = take32(in), .metric = take32(in), .target_count = (uint8_t)(1 + take8(in) % 3),
		};
		for (int t = 0; t < q.target_count; t++) {
			q.targets[t].flags = take8(in);
			q.targets[t].addr = addr(take8(in));
			q.targets[t].sn = take32(in);
		}
		return hwmp_preq_encode(el, cap, &q);
	}
	case 1: {
		struct hwmp_prep p = {
			.flags = take8(in), .hop_count = take8(in), .ttl = take8(in), .target = addr(take8(in)),
			.target_sn = take32(in), .target_ext = addr(take8(in)), .lifetime_tu = take32(in),
			.metric = take32(in), .orig = addr(take8(in)), .orig_sn = take32(in),
		};
		return hwmp_prep_encode(el, cap, &p);
	}
	case 2: {
		struct hwmp_perr p = {.ttl = take8(in), .dest_count = (uint8_t)(1 + take8(in) % 3)};

		for (int d = 0; d < p.dest_count; d++) {
			p.dests[d].flags = take8(in);
			p.dests[d].addr = addr(take8(in));
			p.dests[d].sn = take32(in);
			p.dests[d].ext = addr(take8(in));
			p.dests[d].reason = take8(in);
		}
		return hwmp_perr_encode(el, cap, &p);
	}
	case 3: {
		struct hwmp_rann r = {
			.flags = take8(in), .hop_count = take8(in), .ttl = take8(in), .root = addr(take8(in)),
			.root_sn = take32(in), .interval_tu = take32(in), .metric = take32(in),
		};
		return hwmp_rann_encode(el, cap, &r);
	}
	default: {
		struct hwmp_gann g = {
			.flags = take8(in), .hop_count = take8(in), .ttl = take8(in), .gate = addr(take8(in)),
			.gann_sn = take32(in), .interval_tu = (uint16_t)take32(in),
		};
		return hwmp_gann_encode(el, cap, &g);
	}
	}
}

static void receive(struct harness *h, struct hwmp_engine *e, uint8_t from, uint32_t metric, uint8_t id,
		    const uint8_t *body, size_t len)
{
	struct mac_addr ta = addr(from);

	/* An element the engine accepted from a transmitter makes it a neighbour again (as the control
	 * thread knows from its beacons); a refused one leaves it lost, so any path through it is a bug. */
	if (hwmp_rx_element(e, &ta, metric, id, body, len, h->now) == 0 && !mac_is_group(&ta))
		h->lost[from % ADDRS] = false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct harness h;
	struct hwmp_params params;
	struct hwmp_callbacks cb = {
		.ctx = &h, .send = cb_send, .path_install = cb_path_install, .path_remove = cb_path_remove,
	};
	struct mac_addr self = addr(SELF);
	struct fuzz_input in = {data, size};
	struct hwmp_engine *e;
	uint8_t el[300];
	int steps = 0;

	memset(&h, 0, sizeof(h));
	h.now = 1000;
	hwmp_params_default(&params, MAX_PATHS);
	params.max_proxies = 8;
	params.max_local_proxies = 4;
	params.max_discoveries = 4;
	params.max_pending_perr = 4;
	params.root_mode = (uint8_t)(take8(&in) % 5);
	params.is_gate = params.gate_announcements = take8(&in) & 1;
	params.initial_sn = take32(&in);
	e = hwmp_create(&self, &params, &cb, h.now);
	if (e == NULL)
		__builtin_trap();
	while (in.left > 0 && steps++ < 256) {
		uint8_t op = take8(&in), who = take8(&in);
		struct mac_addr target = addr(who); /* self, zero and broadcast included: must be refused */

		switch (op % 9) {
		case 0: { /* raw element bytes from a neighbour */
			uint32_t metric = take32(&in);
			uint8_t id = take8(&in), len = take8(&in);
			size_t n = len < in.left ? len : in.left;

			receive(&h, e, who, metric, id, in.p, n);
			in.p += n;
			in.left -= n;
			break;
		}
		case 1:
		case 2: { /* a well-formed element with hostile field values */
			uint32_t metric = take32(&in);
			int n = structured_element(&in, el, sizeof(el));

			if (n >= 2)
				receive(&h, e, who, metric, el[0], el + 2, (size_t)n - 2);
			break;
		}
		case 3:
			h.now += (uint64_t)take8(&in) * (who & 0x80 ? 100 : 1);
			hwmp_tick(e, h.now);
			break;
		case 4:
			hwmp_need_path(e, &target, h.now);
			break;
		case 5:
			hwmp_neighbour_lost(e, &target, h.now);
			if (!mac_is_group(&target) && who % ADDRS != 0)
				h.lost[who % ADDRS] = true;
			break;
		case 6:
			hwmp_forward_failed(e, &target, h.now);
			break;
		case 7:
			if (who & 1)
				hwmp_local_proxy_add(e, &target);
			else
				hwmp_local_proxy_remove(e, &target);
			break;
		default:
			hwmp_path_used(e, &target, h.now);
			break;
		}
		check_state(&h, e, params.sweep_interval_ms);
	}
	hwmp_destroy(e);
	return 0;
}
