/* Transmit and receive in one loop. No allocation besides mbufs, no syscalls: TSC for time. */
#include "worker.h"

#include <stddef.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "radiotap.h"
#include "wired_mesh.h"

/* Publishes a counter for main's progress lines (single writer, so a relaxed store suffices). */
#define PUBLISH(r, field, v) __atomic_store_n(&(r)->live.field, (v), __ATOMIC_RELAXED)

struct tx_state {
	uint32_t flow, sta, dest; /* sta = flow % stations, dest = flow % mesh_dests, without divisions */
	unsigned pi;              /* position in the size pattern */
	uint32_t mesh_seq;
	uint64_t built;
	uint64_t forgiven; /* rate credit dropped after stalls */
	uint64_t pn_mtk, pn_mgtk; /* the next PN under each key */
};

/* Protects the frame just built from t in place (the CCMP gap and MIC room are in the template). */
static inline void protect_one(struct mg_run *r, struct tx_state *s, const struct mg_template *t, uint8_t *p,
				struct mg_counters *c)
{
	bool group = t->protect == MG_PROTECT_MGTK;
	size_t body = (size_t)(t->len - t->wlan_off - t->wlan_hdr_len - CCMP_OVERHEAD);

	/* Cannot fail: the lengths are the template's, and the PN stays below 2^48 (--pn-start). */
	ccmp_encrypt(r->ccmp, group ? &r->mgtk : &r->mtk, p + t->wlan_off, t->wlan_hdr_len, body,
		     group ? s->pn_mgtk++ : s->pn_mtk++, group ? MG_MGTK_KEY_ID : 0);
	c->tx_ccmp_encrypted++;
}

static inline void fill_one(struct mg_run *r, struct tx_state *s, struct rte_mbuf *m, uint64_t now,
			    struct mg_counters *c)
{
	const struct mg_template *t = r->pattern[s->pi];
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	struct mg_payload pl;

	if (++s->pi == r->n_pattern)
		s->pi = 0;
	rte_memcpy(p, t->data, t->len);
	m->data_len = t->len;
	m->pkt_len = t->len;
	if (t->off_sta_dst != MG_OFF_NONE)
		mg_put_mac(p + t->off_sta_dst, r->sta_dst_base + s->sta);
	if (t->off_sta_src != MG_OFF_NONE)
		mg_put_mac(p + t->off_sta_src, r->sta_src_base + s->sta);
	if (t->off_mesh_da != MG_OFF_NONE)
		mg_put_mac(p + t->off_mesh_da, r->mesh_da_base + s->dest);
	/* A fresh mesh sequence number per frame: group frames would be duplicates otherwise. */
	if (t->off_mesh_seq != MG_OFF_NONE)
		mg_put_le32(p + t->off_mesh_seq, s->mesh_seq++);
	if (t->payload_off != MG_OFF_NONE) { /* only replayed frames lack it */
		pl.magic = MG_MAGIC;
		pl.flow = s->flow;
		pl.seq = ++r->tx_seq[s->flow];
		pl.tsc = now;
		memcpy(p + t->payload_off, &pl, sizeof(pl));
	}
	if (t->protect != MG_PROTECT_NONE)
		protect_one(r, s, t, p, c);
	/* Wire length and payload offset ride in the mbuf: a partial burst is counted right and a
	 * retried frame is re-stamped without looking for its payload. A protected frame is not: its
	 * timestamp is encrypted (and under the MIC), so its latency starts when it was built. */
	m->hash.usr = (uint32_t)t->wire_len |
		      (uint32_t)(t->protect != MG_PROTECT_NONE ? MG_OFF_NONE : t->payload_off) << 16;
	if (++s->flow == r->flows) {
		s->flow = s->sta = s->dest = 0;
	} else {
		if (++s->sta == r->stations)
			s->sta = 0;
		if (++s->dest == r->mesh_dests)
			s->dest = 0;
	}
	s->built++;
}

/* Re-stamps frames that waited for room in the tx ring, so latency starts at the real handover. */
static void restamp(struct rte_mbuf **pend, unsigned n, uint64_t now)
{
	for (unsigned i = 0; i < n; i++) {
		uint8_t *p = rte_pktmbuf_mtod(pend[i], uint8_t *);
		uint32_t off = pend[i]->hash.usr >> 16;

		if (off != MG_OFF_NONE)
			memcpy(p + off + offsetof(struct mg_payload, tsc), &now, sizeof(now));
	}
}

/* A received frame at p (len octets) that is a protected 802.11 data frame is verified and decrypted
 * in place under the key its key ID names. Returns the octets that stay meaningful (without MIC and
 * FCS), 0 for a frame that is not protected (left alone), -1 for one refused (counted). */
static int unprotect(struct mg_run *r, struct mg_counters *c, uint8_t *p, uint16_t len)
{
	size_t rt = 0, fcs = 0, flen;
	struct radiotap_info ri;
	const struct ccmp_key *key;
	uint64_t pn, *last;
	uint8_t *f, key_id;
	int hl;

	if (r->radiotap) {
		if (len < 8 || p[0] != 0 || radiotap_parse(p, len, &ri) < 0)
			return 0;
		rt = ri.header_len;
		if (ri.has_flags && (ri.flags & RADIOTAP_F_FCS))
			fcs = 4;
	} else if (r->wired) {
		if (wired_mesh_check(p, len) != WIRED_MESH_OK)
			return 0;
		rt = WIRED_MESH_HDR_LEN;
	}
	if (len < rt + fcs + 24)
		return 0;
	f = p + rt;
	flen = len - rt - fcs;
	if ((f[0] & 0x0c) != 0x08 || !(f[1] & 0x40)) /* data frames with the Protected bit only */
		return 0;
	hl = ccmp_hdr_len(f, flen);
	if (hl < 0 || flen < (size_t)hl + CCMP_OVERHEAD || ccmp_hdr_read(f + hl, &pn, &key_id) < 0) {
		c->rx_ccmp_mic_failure++;
		return -1;
	}
	if (key_id == 0 ? !r->has_mtk : !r->has_mgtk) {
		c->rx_ccmp_no_key++;
		return -1;
	}
	key = key_id == 0 ? &r->mtk : &r->mgtk;
	if (ccmp_decrypt(r->ccmp, key, f, (size_t)hl, flen, &pn) != 0) {
		c->rx_ccmp_mic_failure++;
		return -1;
	}
	last = key_id == 0 ? &r->rx_pn_mtk : &r->rx_pn_mgtk;
	if (pn <= *last)
		c->rx_ccmp_replay++;
	else
		*last = pn;
	c->rx_ccmp_decrypted++;
	return (int)(rt + flen - CCMP_MIC_LEN);
}

static void receive_queue(struct mg_run *r, struct mg_counters *c, uint64_t now, uint16_t queue)
{
	struct rte_mbuf *bufs[MG_BURST];
	uint16_t n = rte_eth_rx_burst(r->rx_port, queue, bufs, MG_BURST);

	for (uint16_t i = 0; i < n; i++) {
		uint8_t *p = rte_pktmbuf_mtod(bufs[i], uint8_t *);
		uint16_t len = bufs[i]->data_len;
		uint16_t cl = len < MG_CAPTURE_SNAP ? len : MG_CAPTURE_SNAP;
		struct mg_payload pl;
		int off;

		/* The capture keeps the frame as received (still protected): copied before decryption, kept
		 * only if the frame turns out to be one of ours. */
		if (r->captured < r->capture_max)
			memcpy(r->capture + (size_t)r->captured * MG_CAPTURE_SNAP, p, cl);
		if (r->ccmp != NULL) {
			int plain = unprotect(r, c, p, len);

			if (plain < 0)
				continue;
			if (plain > 0)
				len = (uint16_t)plain;
		}
		off = mg_find_payload(p, len, r->rx_payload_off);
		if (off < 0) {
			c->rx_other++;
			continue;
		}
		memcpy(&pl, p + off, sizeof(pl));
		if (pl.flow >= r->flows) {
			c->rx_other++;
			continue;
		}
		c->rx_packets++;
		c->rx_bits += (uint64_t)(len - off + MG_ETH_OVERHEAD) * 8;
		if (pl.tsc <= now)
			mg_latency_add(&r->lat, now - pl.tsc);
		if (pl.seq > r->rx_seq[pl.flow])
			r->rx_seq[pl.flow] = pl.seq;
		else
			c->reordered++;
		if (r->captured < r->capture_max)
			r->capture_len[r->captured++] = cl;
	}
	if (n > 0) {
		rte_pktmbuf_free_bulk(bufs, n);
		PUBLISH(r, rx_packets, c->rx_packets);
		PUBLISH(r, rx_bits, c->rx_bits);
		PUBLISH(r, rx_other, c->rx_other);
		PUBLISH(r, reordered, c->reordered);
		if (r->ccmp != NULL) {
			PUBLISH(r, rx_ccmp_decrypted, c->rx_ccmp_decrypted);
			PUBLISH(r, rx_ccmp_mic_failure, c->rx_ccmp_mic_failure);
			PUBLISH(r, rx_ccmp_no_key, c->rx_ccmp_no_key);
			PUBLISH(r, rx_ccmp_replay, c->rx_ccmp_replay);
		}
	}
	if (r->tx_port != r->rx_port) {
		/* Keep the tx port's rx ring from filling (memif would back-pressure its peer). */
		n = rte_eth_rx_burst(r->tx_port, queue, bufs, MG_BURST);
		if (n > 0) {
			rte_pktmbuf_free_bulk(bufs, n);
			c->tx_port_rx += n;
			PUBLISH(r, tx_port_rx, c->tx_port_rx);
		}
	}
}

static void receive(struct mg_run *r, struct mg_counters *c, uint64_t now)
{
	for (uint16_t q = 0; q < r->queues; q++)
		receive_queue(r, c, now, q);
}

/* How many frames may be built now: a burst, limited by the rate and the count. */
static unsigned tx_budget(const struct mg_run *r, struct tx_state *s, uint64_t now, double pkts_per_tsc)
{
	uint64_t want = MG_BURST;

	if (r->rate_pps != 0) {
		uint64_t due = (uint64_t)((double)(now - r->t_start) * pkts_per_tsc) + 1 - s->forgiven;

		/* After a stall (peer not draining, preemption) send at most max_debt of backlog at once. */
		if (due > s->built + r->max_debt) {
			s->forgiven += due - s->built - r->max_debt;
			due = s->built + r->max_debt;
		}
		want = due > s->built ? due - s->built : 0;
		if (want > MG_BURST)
			want = MG_BURST;
	}
	if (r->count != 0 && want > r->count - s->built)
		want = r->count - s->built;
	return (unsigned)want;
}

int mg_worker_main(void *arg)
{
	struct mg_run *r = arg;
	struct mg_counters c = {0};
	struct tx_state s = {.pn_mtk = r->pn_start, .pn_mgtk = r->pn_start};
	struct rte_mbuf *pend[MG_BURST];
	unsigned npend = 0;
	uint64_t stamp = 0; /* when the pending frames were last stamped */
	uint16_t txq = 0;   /* queue of the pending burst: bursts rotate over the queues */
	bool tx_active = true;
	double pkts_per_tsc = (double)r->rate_pps / (double)rte_get_tsc_hz();

	r->t_start = rte_rdtsc();
	r->t_tx_end = r->t_start;
	for (;;) {
		uint64_t now = rte_rdtsc();

		if (tx_active) {
			bool finished = r->count != 0 ? c.tx_packets >= r->count
						      : now - r->t_start >= r->duration_tsc;

			if (finished || *r->stop) {
				tx_active = false;
				r->t_tx_end = now;
				if (npend > 0)
					rte_pktmbuf_free_bulk(pend, npend);
				npend = 0;
			} else {
				if (npend == 0) {
					unsigned want = tx_budget(r, &s, now, pkts_per_tsc);

					if (want > 0 && rte_pktmbuf_alloc_bulk(r->pool, pend, want) == 0) {
						for (unsigned i = 0; i < want; i++)
							fill_one(r, &s, pend[i], now, &c);
						if (r->ccmp != NULL)
							PUBLISH(r, tx_ccmp_encrypted, c.tx_ccmp_encrypted);
						npend = want;
						txq = (uint16_t)((txq + 1) % r->queues);
					} else if (want > 0) {
						PUBLISH(r, tx_nombuf, ++c.tx_nombuf);
					}
					stamp = now;
				} else if (now - stamp > r->restamp_tsc) {
					/* Not on every retry: spinning on a full ring would rewrite them for nothing. */
					restamp(pend, npend, now);
					stamp = now;
				}
				if (npend > 0) {
					uint16_t sent = rte_eth_tx_burst(r->tx_port, txq, pend, (uint16_t)npend);

					for (uint16_t i = 0; i < sent; i++)
						c.tx_bits += (pend[i]->hash.usr & 0xffff) * 8ull;
					c.tx_packets += sent;
					npend -= sent;
					/* Unsent frames go first next turn, so per-flow order is kept. */
					if (npend > 0 && sent > 0)
						memmove(pend, pend + sent, npend * sizeof(pend[0]));
					PUBLISH(r, tx_packets, c.tx_packets);
					PUBLISH(r, tx_bits, c.tx_bits);
				}
			}
		} else if (now - r->t_tx_end >= r->drain_tsc) {
			break;
		}
		receive(r, &c, now);
	}
	r->t_end = rte_rdtsc();
	__atomic_store_n(&r->done, true, __ATOMIC_RELEASE);
	return 0;
}
