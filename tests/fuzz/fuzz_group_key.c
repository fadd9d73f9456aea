/* The MGTK refresh (peering/group_key.c) under any order of events between two honest secure
 * instances that authenticated each other with SAE and exchanged protected Opens, as the node does:
 * refreshes on either side, clock jumps, Informs and Acknowledges delivered, lost, duplicated,
 * replayed later or changed on the air, and re-peerings (a new Open each way) at any moment, also in
 * the middle of a refresh. The input is a program, one step per byte pair. After every step:
 *   - a receiver established with a sender holds, under the key ID the sender's group frames carry,
 *     the sender's current MGTK (no group frame ever meets a receiver without its key);
 *   - every switch of our group key was reported, and only with the key secure_own_mgtk gives;
 *   - a key is installed only for the other node and only under key ID 1 or 2.
 * Every received frame goes through ampe_verify first, so a changed octet is a refusal, never a key;
 * a changed or replayed frame that did install one would break the first invariant at the next switch.
 * No crash, no read past the input (ASan), no undefined behaviour (UBSan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "fuzz_input.h"
#include "mesh_ies.h"
#include "peering_frame.h"
#include "secure.h"

#define QUEUE 64
#define SAVED 8

enum kind { AUTH, GROUP_KEY };

struct qframe {
	enum kind kind;
	unsigned from;
	uint8_t buf[512];
	size_t len;
};

struct fnode {
	struct secure *sec;
	struct peering_local local;
	bool estab;                          /* keyed with the other, as the glue would be */
	uint8_t rx_mgtk[2][AMPE_MGTK_LEN];   /* the other's MGTKs by key ID 1 and 2 */
	bool rx_has[2];
	unsigned switches;
};

static struct {
	struct fnode n[2];
	struct qframe q[QUEUE];
	unsigned head, tail;
	struct qframe saved[SAVED]; /* group key frames seen on the air, to replay */
	unsigned n_saved;
	uint64_t now;
} F;

static void trap(void)
{
	__builtin_trap();
}

static struct mac_addr mac_of(unsigned i)
{
	struct mac_addr m = {{0x02, 0, 0, 0, 0, (uint8_t)(i + 1)}};
	return m;
}

static void enqueue(enum kind k, unsigned from, const uint8_t *buf, size_t len)
{
	struct qframe *f;

	if (F.tail - F.head >= QUEUE || len > sizeof(f->buf))
		return; /* the air is full: a loss like any other */
	f = &F.q[F.tail++ % QUEUE];
	f->kind = k;
	f->from = from;
	memcpy(f->buf, buf, len);
	f->len = len;
	if (k == GROUP_KEY)
		F.saved[F.n_saved++ % SAVED] = *f;
}

static void on_send_auth(void *ctx, const struct mac_addr *peer, const uint8_t *body, size_t len)
{
	(void)peer;
	enqueue(AUTH, (unsigned)(uintptr_t)ctx, body, len);
}

static void on_send_frame(void *ctx, const struct mac_addr *peer, const uint8_t *frame, size_t len)
{
	(void)peer;
	if (len < ACTION_HDR_LEN || frame[MGMT_HDR_LEN] != WLAN_CATEGORY_SELF_PROTECTED ||
	    (frame[MGMT_HDR_LEN + 1] != WLAN_SP_MGK_INFORM && frame[MGMT_HDR_LEN + 1] != WLAN_SP_MGK_ACK))
		trap();
	enqueue(GROUP_KEY, (unsigned)(uintptr_t)ctx, frame, len);
}

static uint64_t on_group_pn(void *ctx)
{
	(void)ctx;
	return F.now;
}

static void on_peer_mgtk(void *ctx, const struct mac_addr *peer, const uint8_t mgtk[AMPE_MGTK_LEN], uint8_t key_id,
			 uint64_t rsc)
{
	struct fnode *n = &F.n[(uintptr_t)ctx];
	const struct fnode *o = &F.n[1 - (uintptr_t)ctx];

	(void)rsc;
	if ((key_id != 1 && key_id != 2) || !mac_equal(peer, &o->local.self))
		trap();
	memcpy(n->rx_mgtk[key_id - 1], mgtk, AMPE_MGTK_LEN);
	n->rx_has[key_id - 1] = true;
}

static void on_own_mgtk(void *ctx, const uint8_t mgtk[AMPE_MGTK_LEN], uint8_t key_id)
{
	struct fnode *n = &F.n[(uintptr_t)ctx];

	if (memcmp(mgtk, secure_own_mgtk(n->sec), AMPE_MGTK_LEN) != 0 || key_id != secure_own_mgtk_key_id(n->sec))
		trap();
	n->switches++;
}

static void on_group_key_failed(void *ctx, const struct mac_addr *peer, uint64_t now)
{
	unsigned i = (unsigned)(uintptr_t)ctx;

	(void)peer;
	(void)now;
	/* The glue closes the link: both ends lose it. */
	F.n[i].estab = F.n[1 - i].estab = false;
	secure_link_down(F.n[0].sec, &F.n[1].local.self);
	secure_link_down(F.n[1].sec, &F.n[0].local.self);
}

static void make(unsigned i, uint64_t refresh_ms)
{
	static const char password[] = "fuzz the group keys";
	struct secure_callbacks cb = {.ctx = (void *)(uintptr_t)i, .send_auth = on_send_auth,
				      .send_frame = on_send_frame, .group_pn = on_group_pn,
				      .peer_mgtk = on_peer_mgtk, .own_mgtk = on_own_mgtk,
				      .group_key_failed = on_group_key_failed};
	struct secure_params p;
	struct fnode *n = &F.n[i];

	secure_params_default(&p);
	p.sae.self = mac_of(i);
	p.sae.password = (const uint8_t *)password;
	p.sae.password_len = sizeof(password) - 1;
	p.sae.groups[0] = 19;
	p.sae.groups[1] = 0;
	mesh_id_set(&p.sae.mesh_id, "fuzz");
	p.max_links = 4;
	p.mgtk_refresh_ms = refresh_ms;
	n->sec = secure_create(&p, &cb, F.now);
	if (n->sec == NULL)
		trap();
	n->local.self = mac_of(i);
	mesh_rates_default_2ghz(&n->local.rates);
	mesh_id_set(&n->local.mesh_id, "fuzz");
	n->local.mesh_config = (struct mesh_config_ie){.path_sel_protocol = 1, .path_sel_metric = 1,
							.sync_method = 1, .auth_protocol = 1, .capability = 0x09};
	n->local.ext_flags = MESH_EXT_MGK;
	n->local.rsn = true;
}

/* Delivers one queued frame (changing octet flip_at when flip), or drops it. */
static void deliver_one(bool drop, bool flip, uint8_t flip_at)
{
	struct qframe f;
	struct mac_addr from;
	struct fnode *to;

	if (F.head == F.tail)
		return;
	f = F.q[F.head++ % QUEUE];
	if (drop)
		return;
	if (flip && f.len > 0)
		f.buf[flip_at % f.len] ^= 0x01;
	from = mac_of(f.from);
	to = &F.n[1 - f.from];
	if (f.kind == AUTH)
		secure_auth_rx(to->sec, &from, f.buf, f.len, F.now);
	else
		secure_group_key_rx(to->sec, &from, f.buf, f.len, F.now);
}

/* Both sides send an Open (what the MPM does on a new peering) and key the link from them. */
static bool peer_up(void)
{
	for (unsigned i = 0; i < 2; i++) {
		struct fnode *n = &F.n[i], *o = &F.n[1 - i];
		struct peering_mgmt_ie ie = {.protocol = MESH_PEERING_PROTO_AMPE, .llid = (uint16_t)(0x100 + i),
					     .has_pmkid = true};
		uint8_t frame[256 + AMPE_TRAILER_MAX_LEN];
		struct peering_frame pf;
		size_t len;
		int r;

		if (secure_pmkid(n->sec, &o->local.self, ie.pmkid) < 0)
			return false;
		n->local.mgtk_key_id = secure_prepare_open(n->sec, &o->local.self, F.now, &n->local.mgtk_replay);
		if (n->local.mgtk_key_id == 0)
			trap(); /* a peer announcing the handshake always gets an Open */
		r = peering_frame_encode(frame, sizeof(frame) - AMPE_TRAILER_MAX_LEN, &n->local, &o->local.self,
					 WLAN_SP_MESH_PEERING_OPEN, 0, &ie);
		if (r <= 0)
			trap();
		len = (size_t)r;
		if (secure_protect(n->sec, &o->local.self, frame, &len, sizeof(frame), F.now, 1) != 0 ||
		    peering_frame_decode(frame, len, &pf) != CODEC_OK ||
		    secure_verify(o->sec, &n->local.self, frame, len, &pf.mpm) != 0)
			trap();
		secure_peer_ext(o->sec, &n->local.self, (pf.elems.ext_flags & MESH_EXT_MGK) != 0,
				pf.elems.ext_mgtk_key_id, pf.elems.ext_replay);
	}
	for (unsigned i = 0; i < 2; i++) {
		struct fnode *n = &F.n[i], *o = &F.n[1 - i];
		struct secure_link_keys k;
		uint8_t id;

		if (secure_link_keys(n->sec, &o->local.self, (uint16_t)(0x100 + i), (uint16_t)(0x101 - i), &k) != 0)
			trap();
		id = k.peer_mgtk_key_id;
		if (id != 1 && id != 2)
			trap();
		memcpy(n->rx_mgtk[id - 1], k.peer_mgtk, AMPE_MGTK_LEN);
		n->rx_has[id - 1] = true;
		n->estab = true;
	}
	return true;
}

static void check(void)
{
	for (unsigned tx = 0; tx < 2; tx++) {
		const struct fnode *s = &F.n[tx], *r = &F.n[1 - tx];
		uint8_t id = secure_own_mgtk_key_id(s->sec);

		if (id != 1 && id != 2)
			trap();
		if (s->switches != secure_get_counters(s->sec)->mgtk_refreshes)
			trap();
		if (s->estab && r->estab &&
		    (!r->rx_has[id - 1] || memcmp(r->rx_mgtk[id - 1], secure_own_mgtk(s->sec), AMPE_MGTK_LEN) != 0))
			trap();
	}
}

static void tick(void)
{
	for (unsigned i = 0; i < 2; i++)
		if (secure_next_deadline(F.n[i].sec) <= F.now)
			secure_tick(F.n[i].sec, F.now);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = {data, size};
	uint8_t cfg = take8(&in);
	uint64_t refresh_ms = cfg & 0x80 ? 100 + 100 * (uint64_t)(cfg & 0x1f) : 0;

	memset(&F, 0, sizeof(F));
	F.now = 1000;
	make(0, refresh_ms);
	make(1, cfg & 0x40 ? refresh_ms : 0);
	secure_start(F.n[0].sec, &F.n[1].local.self, F.now);
	secure_start(F.n[1].sec, &F.n[0].local.self, F.now);
	for (unsigned i = 0; i < 64 && F.head != F.tail; i++)
		deliver_one(false, false, 0);
	if (!secure_authenticated(F.n[0].sec, &F.n[1].local.self) || !peer_up())
		trap(); /* an honest pair with the same password always gets there */
	check();
	for (unsigned step = 0; step < 256 && in.left > 0; step++) {
		uint8_t op = take8(&in), arg = take8(&in);
		unsigned who = op >> 7;

		switch (op & 0x0f) {
		case 0:
			secure_refresh_mgtk(F.n[who].sec, F.now);
			break;
		case 1:
		case 2:
			F.now += 10 * (uint64_t)arg;
			tick();
			break;
		case 3:
		case 4:
		case 5:
			deliver_one(false, false, 0);
			break;
		case 6:
			deliver_one(true, false, 0);
			break;
		case 7:
			deliver_one(false, true, arg);
			break;
		case 8:
			if (F.n_saved > 0) { /* a frame heard earlier, replayed */
				struct qframe f = F.saved[arg % (F.n_saved < SAVED ? F.n_saved : SAVED)];
				struct mac_addr from = mac_of(f.from);

				secure_group_key_rx(F.n[1 - f.from].sec, &from, f.buf, f.len, F.now);
			}
			break;
		case 9:
			/* the link closes and peers again (or comes back after a failed handshake) */
			F.n[0].estab = F.n[1].estab = false;
			secure_link_down(F.n[0].sec, &F.n[1].local.self);
			secure_link_down(F.n[1].sec, &F.n[0].local.self);
			if (!peer_up())
				trap();
			break;
		default:
			deliver_one(false, false, 0);
			F.now += 1;
			tick();
			break;
		}
		check();
	}
	secure_destroy(F.n[0].sec);
	secure_destroy(F.n[1].sec);
	return 0;
}
