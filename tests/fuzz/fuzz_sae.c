/* The SAE frame codec and an SAE instance under any sequence of frames, starts, removals and clock
 * jumps. The input is a program: each step picks an action and its bytes. Raw bodies go through
 * sae_frame_decode like received ones (and must re-encode to the same octets when they decode);
 * well-formed Commits and Confirms are built from fuzzed fields and from a real peer's frames
 * (a second, honest instance sharing the password) so the state machine is reached past the codec
 * and the crypto checks. After every step the invariants must hold: sessions within capacity and
 * open sessions within the table, every sent body decodes back as SAE, accepted/failed callbacks
 * only for peers we know, keys of every acceptance non-zero with the KCK length of the method,
 * the honest pair's keys equal whenever both sessions are accepted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "fuzz_input.h"
#include "sae.h"
#include "sae_frame.h"

#define PEERS 4
#define SAVED 8

static struct mac_addr self_mac = {{0x02, 0, 0, 0, 0, 0x01}};
static struct mac_addr honest_mac = {{0x02, 0, 0, 0, 0, 0x02}};

/* The last bodies each side sent, to deliver or replay. */
struct saved {
	uint8_t body[SAVED][600];
	size_t len[SAVED];
	unsigned n;
};

static struct saved from_honest, from_self;

static struct sae_keys self_keys, honest_keys;
static bool self_accepted_honest, honest_accepted;

static void trap(void)
{
	__builtin_trap();
}

static struct mac_addr peer_addr(uint8_t i)
{
	struct mac_addr a = {{0x02, 0, 0, 0, 0x10, (uint8_t)(i % PEERS)}};

	if (i % PEERS == 0)
		return honest_mac;
	return a;
}

static void check_body(const uint8_t *body, size_t len)
{
	struct sae_frame f;

	if (sae_frame_decode(body, len, &f) != CODEC_OK || f.algorithm != WLAN_AUTH_SAE)
		trap();
}

static void save(unsigned which, const uint8_t *body, size_t len)
{
	struct saved *q = which ? &from_honest : &from_self;
	unsigned slot = q->n++ % SAVED;

	if (len > sizeof(q->body[0]))
		trap();
	memcpy(q->body[slot], body, len);
	q->len[slot] = len;
}

static void on_send(void *ctx, const struct mac_addr *peer, const uint8_t *body, size_t len)
{
	(void)peer;
	check_body(body, len);
	save((unsigned)(uintptr_t)ctx, body, len);
}

static void check_keys(const struct sae_keys *k)
{
	static const uint8_t zeros[SAE_PMK_LEN];

	if (k->kck_len != (k->h2e ? (k->group == 19 ? 32u : k->group == 20 ? 48u : 64u) : 32u) ||
	    memcmp(k->pmk, zeros, SAE_PMK_LEN) == 0)
		trap();
}

static void on_accepted(void *ctx, const struct mac_addr *peer, const struct sae_keys *k, uint64_t now)
{
	(void)now;
	check_keys(k);
	if ((uintptr_t)ctx == 0 && mac_equal(peer, &honest_mac)) {
		self_keys = *k;
		self_accepted_honest = true;
	} else if ((uintptr_t)ctx == 1) {
		honest_keys = *k;
		honest_accepted = true;
	}
}

static void on_failed(void *ctx, const struct mac_addr *peer, uint16_t status, enum sae_failure why, uint64_t now)
{
	(void)ctx;
	(void)peer;
	(void)status;
	(void)now;
	if (why < SAE_FAIL_CONFIRM_MISMATCH || why > SAE_FAIL_INTERNAL)
		trap();
	if ((uintptr_t)ctx == 0 && mac_equal(peer, &honest_mac))
		self_accepted_honest = false;
	if ((uintptr_t)ctx == 1)
		honest_accepted = false;
}

static void check_invariants(const struct sae *s, const struct sae *honest, const struct sae_params *p)
{
	struct sae_peer_info info, hinfo;

	if (sae_session_count(s) > p->max_sessions || sae_open_count(s) > sae_session_count(s))
		trap();
	for (uint8_t i = 0; i < PEERS; i++) {
		struct mac_addr a = peer_addr(i);

		if (sae_peer(s, &a, &info) && (info.state > SAE_ACCEPTED || (info.state == SAE_ACCEPTED && info.deadline_ms)))
			trap();
	}
	/* Both sides accepted each other and both sessions are still accepted: the same keys. Only the
	 * current sessions count: an accepted honest peer that takes a new Commit from us starts a new
	 * exchange, and we may accept its keys before it does (the harness compared our new keys with
	 * its old ones: fuzz_sae's regression seed sae-regression-new-exchange). */
	if (self_accepted_honest && honest_accepted && sae_peer(s, &honest_mac, &info) && info.state == SAE_ACCEPTED &&
	    sae_peer(honest, &self_mac, &hinfo) && hinfo.state == SAE_ACCEPTED &&
	    memcmp(self_keys.pmk, honest_keys.pmk, SAE_PMK_LEN) != 0 && self_keys.group == honest_keys.group)
		trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = {data, size};
	struct sae_callbacks cb0 = {.ctx = (void *)0, .send = on_send, .accepted = on_accepted, .failed = on_failed};
	struct sae_callbacks cb1 = {.ctx = (void *)1, .send = on_send, .accepted = on_accepted, .failed = on_failed};
	struct sae_params p, hp;
	struct sae *s, *honest;
	uint64_t now = 1000;
	uint8_t cfg = take8(&in);

	memset(&from_self, 0, sizeof(from_self));
	memset(&from_honest, 0, sizeof(from_honest));
	self_accepted_honest = honest_accepted = false;
	sae_params_default(&p);
	p.self = self_mac;
	p.password = (const uint8_t *)"fuzz-password";
	p.password_len = 13;
	mesh_id_set(&p.mesh_id, "fuzz");
	p.pwe = (enum sae_pwe_mode)(cfg % 3);
	p.max_sessions = (uint16_t)(take8(&in) % 4 + 1);
	p.anti_clogging_threshold = take8(&in) % 4;
	p.sync_max = take8(&in) % 4;
	p.groups[0] = (cfg & 0x10) ? 20 : 19;
	p.groups[1] = (cfg & 0x10) ? 19 : 0;
	p.groups[2] = 0;
	hp = p;
	hp.self = honest_mac;
	hp.groups[0] = 19;
	hp.groups[1] = 0;
	hp.anti_clogging_threshold = 100;
	s = sae_create(&p, &cb0, now);
	honest = sae_create(&hp, &cb1, now);
	if (s == NULL || honest == NULL)
		trap();
	for (unsigned step = 0; step < 64 && in.left > 0; step++) {
		uint8_t op = take8(&in), who = take8(&in);
		struct mac_addr peer = peer_addr(who);

		switch (op % 8) {
		case 0: /* a raw body */
		{
			uint8_t buf[400], re[600];
			size_t n = take8(&in) * 2u % sizeof(buf);
			struct sae_frame f;

			for (size_t i = 0; i < n; i++)
				buf[i] = take8(&in);
			if (sae_frame_decode(buf, n, &f) == CODEC_OK && f.group_known &&
			    !(f.transaction == 1 && f.status == 0 && f.token != NULL)) {
				int m = sae_frame_encode(re, sizeof(re), &f);

				/* what decodes re-encodes to a prefix-equal body (unknown elements are dropped) */
				if (m < 0 || memcmp(re, buf, (size_t)m < n ? (size_t)m : n) != 0)
					trap();
			}
			sae_rx(s, &peer, buf, n, now);
			break;
		}
		case 1: /* a frame the honest peer sent, delivered (or replayed) */
			if (from_honest.n > 0) {
				unsigned k = (from_honest.n - 1 - take8(&in) % SAVED) % SAVED;

				if (from_honest.len[k] > 0)
					sae_rx(s, &honest_mac, from_honest.body[k], from_honest.len[k], now);
			}
			break;
		case 2: /* a frame we sent, delivered to the honest peer */
			if (from_self.n > 0) {
				unsigned k = (from_self.n - 1 - take8(&in) % SAVED) % SAVED;

				if (from_self.len[k] > 0)
					sae_rx(honest, &self_mac, from_self.body[k], from_self.len[k], now);
			}
			break;
		case 3: /* a Commit or Confirm with fuzzed fields */
		{
			uint8_t scalar[32], element[64], confirm[32], body[300];
			struct sae_frame f;
			int m;

			memset(&f, 0, sizeof(f));
			for (unsigned i = 0; i < 32; i++)
				scalar[i] = take8(&in);
			for (unsigned i = 0; i < 64; i++)
				element[i] = take8(&in);
			memcpy(confirm, element, 32);
			f.transaction = (uint16_t)(take8(&in) % 2 + 1);
			f.status = (uint16_t)((uint16_t[]){0, 126, 76, 77, 1})[take8(&in) % 5];
			f.group = 19;
			f.scalar = scalar;
			f.element = element;
			f.token = element;
			f.token_len = take8(&in) % 40;
			if (f.token_len == 0)
				f.token = NULL;
			f.send_confirm = take8(&in);
			f.confirm = confirm;
			f.confirm_len = 32;
			m = sae_frame_encode(body, sizeof(body), &f);
			if (m > 0)
				sae_rx(s, &peer, body, (size_t)m, now);
			break;
		}
		case 4:
			now += (uint64_t)take8(&in) * 16;
			sae_tick(s, now);
			sae_tick(honest, now);
			break;
		case 5:
			if (take8(&in) & 1)
				sae_start(s, &peer, take8(&in) & 1, now);
			else
				sae_start(honest, &self_mac, take8(&in) & 1, now);
			break;
		case 6:
			sae_remove(s, &peer);
			if (mac_equal(&peer, &honest_mac))
				self_accepted_honest = false;
			break;
		default:
			if (sae_next_deadline(s) != UINT64_MAX)
				now = sae_next_deadline(s);
			sae_tick(s, now);
			break;
		}
		check_invariants(s, honest, &p);
	}
	sae_destroy(s);
	sae_destroy(honest);
	return 0;
}
