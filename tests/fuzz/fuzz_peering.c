/* The peering frame codec and the MPM state machine under any sequence of frames, beacons, clock
 * jumps and closes. The input is a program: each step picks an action and its bytes. Raw frames go
 * through peering_frame_decode like received ones; well-formed frames are built from fuzzed fields so
 * that the state machine is reached past the codec. After every step the invariants must hold:
 * bounded tables, established links within max_peers, established/closed callbacks balanced, every
 * ESTAB entry with both link IDs and an AID unique among entries, every frame sent encodes and decodes
 * back to what was asked. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "fuzz_input.h"
#include "mpm.h"
#include "peering_frame.h"

#define PEERS 6

static struct peering_local local;
static unsigned estab_events, closed_events;

static void trap(void)
{
	__builtin_trap();
}

static void on_send(void *ctx, const struct mpm_tx *tx)
{
	uint8_t buf[256];
	struct peering_frame f;
	int len;

	(void)ctx;
	len = peering_frame_encode(buf, sizeof(buf), &local, &tx->peer, tx->action, tx->aid, &tx->ie);
	if (len < 0 || peering_frame_decode(buf, (size_t)len, &f) != CODEC_OK)
		trap();
	if (f.action != tx->action || f.mpm.llid != tx->ie.llid || f.mpm.has_plid != tx->ie.has_plid ||
	    (tx->ie.has_plid && f.mpm.plid != tx->ie.plid) ||
	    (tx->action == WLAN_SP_MESH_PEERING_CLOSE && f.mpm.reason != tx->ie.reason) ||
	    (tx->action == WLAN_SP_MESH_PEERING_CONFIRM && f.aid != tx->aid) || !mac_equal(&f.hdr.addr1, &tx->peer))
		trap();
}

static void on_estab(void *ctx, const struct mpm_peer *p, uint64_t now)
{
	(void)ctx;
	(void)now;
	if (p->state != MPM_ESTAB || p->llid == 0)
		trap();
	estab_events++;
}

static void on_closed(void *ctx, const struct mpm_peer *p, uint16_t reason, uint64_t now)
{
	(void)ctx;
	(void)p;
	(void)reason;
	(void)now;
	closed_events++;
}

struct check {
	unsigned entries, estab;
	uint16_t aids[64];
};

static void check_entry(void *arg, const struct mpm_peer *p)
{
	struct check *c = arg;

	if (p->state == MPM_ESTAB && (p->llid == 0 || p->plid == 0))
		trap();
	if (p->aid == 0 || p->aid > 2007)
		trap();
	for (unsigned i = 0; i < c->entries && i < 64; i++)
		if (c->aids[i] == p->aid)
			trap();
	if (c->entries < 64)
		c->aids[c->entries] = p->aid;
	c->entries++;
	c->estab += p->state == MPM_ESTAB;
}

static void check_invariants(const struct mpm *m, const struct mpm_params *p)
{
	struct check c;

	memset(&c, 0, sizeof(c));
	mpm_foreach(m, check_entry, &c);
	if (c.entries > p->max_candidates || c.estab > p->max_peers || c.estab != mpm_estab_count(m) ||
	    estab_events - closed_events != c.estab)
		trap();
}

static struct mac_addr peer_addr(uint8_t i)
{
	struct mac_addr a = {{0x02, 0, 0, 0, 0x10, (uint8_t)(i % PEERS + 1)}};

	return a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = {data, size};
	struct mpm_callbacks cb = {.send = on_send, .established = on_estab, .closed = on_closed};
	struct mpm_params p;
	struct mpm *m;
	uint64_t now = 1000;

	memset(&local, 0, sizeof(local));
	local.self = (struct mac_addr){{0x02, 0, 0, 0, 0, 0xaa}};
	mesh_rates_default_2ghz(&local.rates);
	mesh_id_set(&local.mesh_id, "fuzz");
	estab_events = closed_events = 0;
	mpm_params_default(&p);
	p.max_peers = (uint16_t)(take8(&in) % 4 + 1);
	p.max_candidates = (uint16_t)(p.max_peers + take8(&in) % 4);
	p.max_retries = take8(&in) % 4;
	p.protocol = take8(&in) & 1;
	p.seed = take32(&in);
	m = mpm_create(&p, &cb);
	if (m == NULL)
		return 0;
	for (unsigned step = 0; step < 256 && in.left > 0; step++) {
		uint8_t op = take8(&in), who = take8(&in);
		struct mac_addr peer = peer_addr(who);

		switch (op % 8) {
		case 0: /* a beacon */
			mpm_candidate(m, &peer, take8(&in) & 1, now);
			break;
		case 1: { /* a raw frame, decoded as the node does */
			uint8_t buf[300];
			size_t n = take8(&in);
			struct peering_frame f;

			for (size_t i = 0; i < n; i++)
				buf[i] = take8(&in);
			if (peering_frame_decode(buf, n, &f) == CODEC_OK) {
				struct mpm_rx rx = {.action = f.action, .ie = f.mpm, .aid = f.aid, .ext_flags = f.elems.ext_flags};

				mpm_rx(m, &f.hdr.addr2, &rx, take8(&in) & 1, now);
			}
			break;
		}
		case 2:
		case 3: { /* a well-formed frame with fuzzed fields; link IDs often right */
			struct mpm_rx rx;
			const struct mpm_peer *known = mpm_find(m, &peer);
			uint8_t pick = take8(&in);

			memset(&rx, 0, sizeof(rx));
			rx.action = (uint8_t)(take8(&in) % 3 + 1);
			rx.ie.protocol = (pick & 0x80) ? (uint16_t)(p.protocol ^ 1) : p.protocol;
			rx.ie.llid = (uint16_t)((pick & 1) && known != NULL && known->plid ? known->plid : take8(&in) % 4 + 1);
			rx.ie.has_plid = rx.action == WLAN_SP_MESH_PEERING_CONFIRM || (pick & 2);
			rx.ie.plid = (uint16_t)((pick & 4) && known != NULL ? known->llid : take8(&in));
			rx.ie.has_reason = rx.action == WLAN_SP_MESH_PEERING_CLOSE;
			rx.ie.reason = take8(&in);
			rx.aid = take8(&in);
			mpm_rx(m, &peer, &rx, !(pick & 0x40), now);
			break;
		}
		case 4: /* time passes, timers fire */
			now += (uint64_t)take8(&in) * 4;
			mpm_tick(m, now);
			break;
		case 5:
			mpm_close(m, &peer, take8(&in), now);
			break;
		case 6:
			mpm_forget(m, &peer, now);
			break;
		default:
			if (take8(&in) == 0)
				mpm_close_all(m, WLAN_REASON_MESH_PEERING_CANCELED, now);
			else if (mpm_next_deadline(m) != UINT64_MAX)
				now = mpm_next_deadline(m); /* straight to the next timer */
			mpm_tick(m, now);
			break;
		}
		check_invariants(m, &p);
	}
	mpm_destroy(m);
	return 0;
}
