#include "link_crypto.h"

#include <string.h>

#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "log.h"
#include "node.h"
#include "radiotap.h"
#include "stats.h"

#define FC1_PROTECTED 0x40

static struct dp_keys *keys;
static struct ccmp_engine *control_engine; /* key expansion in the control thread */

static inline void count(struct worker_ctx *w, unsigned port, enum dp_counter c)
{
	counter_add(&w->cnt->ports[port].dp[c], 1);
}

int link_keys_init(bool secure)
{
	const char *arch = NULL;

	keys = rte_zmalloc("meshplane_keys", sizeof(*keys), RTE_CACHE_LINE_SIZE);
	if (keys == NULL) {
		LOG_ERR("secure mesh: no memory for the key table");
		return -1;
	}
	keys->secure = secure;
	if (!secure)
		return 0;
	control_engine = ccmp_engine_create(&arch);
	if (control_engine == NULL) {
		LOG_ERR("secure mesh: intel-ipsec-mb cannot run on this CPU (CCMP needs at least SSE4.2 with AES-NI)");
		return -1;
	}
	LOG_INFO("secure mesh: CCMP-128 through intel-ipsec-mb (%s code path)", arch);
	return 0;
}

void link_keys_free(void)
{
	if (keys == NULL)
		return;
	for (unsigned i = 0; i < PEER_SET_SLOTS; i++)
		if (keys->peer[i] != NULL) {
			memset(keys->peer[i], 0, sizeof(*keys->peer[i]));
			rte_free(keys->peer[i]);
		}
	memset(keys, 0, sizeof(*keys));
	rte_free(keys);
	keys = NULL;
	ccmp_engine_destroy(control_engine);
	control_engine = NULL;
}

bool link_keys_secure(void)
{
	return keys != NULL && keys->secure;
}

static void grace_period(void)
{
	rte_rcu_qsbr_synchronize(the_node.tables.qsbr, RTE_QSBR_THRID_INVALID);
}

void link_keys_set_own_mgtk(const uint8_t mgtk[16], uint8_t key_id)
{
	unsigned slot = link_group_slot(key_id);
	bool first = keys->own_mgtk_key_id[0] == 0 && keys->own_mgtk_key_id[1] == 0;

	ccmp_key_set(control_engine, &keys->own_mgtk[slot], mgtk);
	keys->own_mgtk_key_id[slot] = key_id;
	__atomic_store_n(&keys->own_mgtk_slot, slot, __ATOMIC_RELEASE);
	if (!first)
		grace_period();
}

int link_keys_set_peer_mgtk(const struct mac_addr *peer, const uint8_t mgtk[16], uint8_t key_id, uint64_t rsc)
{
	int slot = peer_set_slot_of(&the_node.tables.peers, peer);
	struct dp_peer_keys *k = slot < 0 || keys == NULL ? NULL : keys->peer[slot];
	unsigned g = link_group_slot(key_id);

	if (k == NULL || (key_id != 1 && key_id != 2))
		return -1;
	/* Workers that took the slot before it was emptied are done with it after the grace period. */
	__atomic_store_n(&k->mgtk_key_id[g], 0, __ATOMIC_RELEASE);
	grace_period();
	ccmp_key_set(control_engine, &k->mgtk[g], mgtk);
	for (unsigned i = 0; i < LINK_TIDS; i++)
		k->mgtk_rx_pn[g][i] = rsc;
	__atomic_store_n(&k->mgtk_key_id[g], key_id, __ATOMIC_RELEASE);
	return 0;
}

uint64_t link_keys_own_mgtk_pn(void)
{
	return keys != NULL ? __atomic_load_n(&keys->own_mgtk_pn, __ATOMIC_RELAXED) : 0;
}

/* Unpublishes the block of slot and frees it once every worker has passed a quiescent point. */
static void retire(unsigned slot)
{
	struct dp_peer_keys *old = keys->peer[slot];

	if (old == NULL)
		return;
	__atomic_store_n(&keys->peer[slot], NULL, __ATOMIC_RELEASE);
	rte_rcu_qsbr_synchronize(the_node.tables.qsbr, RTE_QSBR_THRID_INVALID);
	memset(old, 0, sizeof(*old));
	rte_free(old);
}

int link_keys_install(const struct secure_link_keys *k)
{
	int slot = peer_set_slot_of(&the_node.tables.peers, &k->peer);
	struct dp_peer_keys *b;
	char mac[MAC_STR_LEN];

	if (slot < 0) {
		LOG_WARN("peer %s: keys not installed, it is not in the dataplane's peer set", mac_format(&k->peer, mac));
		return -1;
	}
	b = rte_zmalloc("meshplane_link_keys", sizeof(*b), RTE_CACHE_LINE_SIZE);
	if (b == NULL) {
		LOG_ERR("peer %s: no memory for its keys", mac_format(&k->peer, mac));
		return -1;
	}
	ccmp_key_set(control_engine, &b->mtk, k->mtk);
	if (k->peer_mgtk_key_id == 1 || k->peer_mgtk_key_id == 2) {
		unsigned g = link_group_slot(k->peer_mgtk_key_id);

		ccmp_key_set(control_engine, &b->mgtk[g], k->peer_mgtk);
		b->mgtk_key_id[g] = k->peer_mgtk_key_id;
		/* The peer's group frames up to its announced counter are old: replays from before we met. */
		for (unsigned i = 0; i < LINK_TIDS; i++)
			b->mgtk_rx_pn[g][i] = k->peer_mgtk_rsc;
	}
	retire((unsigned)slot);
	__atomic_store_n(&keys->peer[slot], b, __ATOMIC_RELEASE);
	return 0;
}

void link_keys_remove(const struct mac_addr *peer)
{
	int slot = peer_set_slot_of(&the_node.tables.peers, peer);

	if (slot >= 0 && keys != NULL)
		retire((unsigned)slot);
}

uint64_t link_keys_next_pn(const struct mac_addr *peer)
{
	int slot = peer_set_slot_of(&the_node.tables.peers, peer);
	struct dp_peer_keys *k = slot < 0 || keys == NULL ? NULL : keys->peer[slot];

	return k == NULL ? 0 : __atomic_add_fetch(&k->tx_pn, 1, __ATOMIC_RELAXED);
}

uint64_t link_keys_next_group_pn(void)
{
	return keys == NULL ? 0 : __atomic_add_fetch(&keys->own_mgtk_pn, 1, __ATOMIC_RELAXED);
}

bool link_keys_installed(const struct mac_addr *peer)
{
	int slot = peer_set_slot_of(&the_node.tables.peers, peer);

	return slot >= 0 && keys != NULL && keys->peer[slot] != NULL;
}

static inline mac_key_t key_at(const uint8_t *addr)
{
	struct mac_addr a;

	mac_read(&a, addr);
	return mac_key(&a);
}

static inline bool is_data(const uint8_t *f)
{
	return (f[0] & 0x0c) == 0x08;
}

/* Null and QoS Null data carry no body: never protected. */
static inline bool is_null_data(const uint8_t *f)
{
	return (f[0] & 0x40) != 0;
}

/* What the burst's decryption needs to finish a frame once the batch ran. */
struct rx_pending {
	int op;               /* index in the batch, or -1: the frame is not ours to decrypt (kept as is) */
	uint64_t *ctr;
	size_t rt, hl;
	bool fcs;
	uint16_t flags_off;
};

/* Checks one received frame and queues its decryption. LINK_RX_TAKEN with pend->op >= 0 (queued) or
 * -1 (not a protected data frame: left to classification), or the class of a refusal (m not freed). */
static enum frame_class rx_prepare(struct worker_ctx *w, unsigned in, struct rte_mbuf *m, struct rx_pending *pend)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	size_t len = rte_pktmbuf_data_len(m), rt = 0, fcs = 0, flen;
	struct radiotap_info ri;
	const struct dp_peer_keys *k;
	uint64_t pn;
	uint8_t *f, key_id;
	bool group;
	int hl, slot;
	unsigned tid, g;

	pend->op = -1;
	memset(&ri, 0, sizeof(ri));
	if (the_node.cfg.ports[in].link == MESH_LINK_RADIOTAP) {
		if (radiotap_parse(p, len, &ri) < 0)
			return LINK_RX_TAKEN; /* classification counts it */
		rt = ri.header_len;
		if (ri.has_flags && (ri.flags & RADIOTAP_F_FCS))
			fcs = 4;
	} else if (the_node.cfg.ports[in].link == MESH_LINK_ETHERNET) {
		if (wired_mesh_check(p, len) != WIRED_MESH_OK)
			return LINK_RX_TAKEN; /* classification counts it */
		rt = WIRED_MESH_HDR_LEN;
	}
	if (len < rt + fcs + 24)
		return LINK_RX_TAKEN;
	f = p + rt;
	flen = len - rt - fcs;
	if (!is_data(f) || is_null_data(f))
		return LINK_RX_TAKEN;
	if (!(f[1] & FC1_PROTECTED))
		return FRAME_CLASS_drop_unprotected;
	hl = ccmp_hdr_len(f, flen);
	if (hl < 0 || flen < (size_t)hl + CCMP_OVERHEAD || ccmp_hdr_read(f + hl, &pn, &key_id) < 0)
		return FRAME_CLASS_drop_mic_failure;
	slot = peer_set_find(&the_node.tables.peers, &w->peer_cache, key_at(f + 10));
	k = slot < 0 ? NULL : __atomic_load_n(&keys->peer[slot], __ATOMIC_ACQUIRE);
	group = (f[4] & 0x01) != 0;
	if (k == NULL || (group && (key_id == 0 || __atomic_load_n(&k->mgtk_key_id[link_group_slot(key_id)],
								     __ATOMIC_ACQUIRE) != key_id)) ||
	    (!group && key_id != 0))
		return FRAME_CLASS_drop_unknown_key;
	g = link_group_slot(key_id);
	tid = (f[0] & 0x80) ? (unsigned)(f[hl - 2] & 0x0f) : 16;
	pend->ctr = (uint64_t *)(uintptr_t)(group ? &k->mgtk_rx_pn[g][tid] : &k->rx_pn[tid]);
	/* Checked before the decryption (cheap refusal of a replay flood), again after it in frame order
	 * (two frames of one burst), and recorded only after the MIC verified, so a forged PN cannot move
	 * the counter. */
	if (!ccmp_replay_ok(pend->ctr, pn))
		return FRAME_CLASS_drop_replay;
	pend->op = ccmp_batch_decrypt(w->crypto, group ? &k->mgtk[g] : &k->mtk, f, (size_t)hl, flen, &pn);
	if (pend->op < 0)
		return FRAME_CLASS_drop_mic_failure;
	pend->rt = rt;
	pend->hl = (size_t)hl;
	pend->fcs = fcs != 0;
	pend->flags_off = (uint16_t)ri.flags_off;
	return LINK_RX_TAKEN;
}

/* A decrypted frame becomes a plain one: FCS, MIC and CCMP header gone, Protected clear. */
static void rx_strip(struct rte_mbuf *m, const struct rx_pending *pend)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);

	if (pend->fcs) {
		rte_pktmbuf_trim(m, 4);
		p[pend->flags_off] &= (uint8_t)~RADIOTAP_F_FCS;
	}
	rte_pktmbuf_trim(m, CCMP_MIC_LEN);
	memmove(p + CCMP_HDR_LEN, p, pend->rt + pend->hl);
	rte_pktmbuf_adj(m, CCMP_HDR_LEN);
	p = rte_pktmbuf_mtod(m, uint8_t *);
	p[pend->rt + 1] &= (uint8_t)~FC1_PROTECTED;
}

uint16_t link_crypto_rx_burst(struct worker_ctx *w, unsigned in, struct rte_mbuf **pkts, uint16_t n,
			      uint16_t *refused, uint64_t *refused_bytes)
{
	struct rx_pending pend[WORKER_BURST_MAX];
	enum frame_class verdict[WORKER_BURST_MAX];
	uint16_t kept = 0;

	w->crypto->n = 0;
	for (uint16_t i = 0; i < n; i++)
		verdict[i] = rx_prepare(w, in, pkts[i], &pend[i]);
	ccmp_batch_run(w->ccmp, w->crypto);
	for (uint16_t i = 0; i < n; i++) {
		if (verdict[i] == LINK_RX_TAKEN && pend[i].op >= 0) {
			const struct ccmp_op *op = &w->crypto->op[pend[i].op];
			uint64_t pn;
			uint8_t key_id;

			ccmp_hdr_read(op->frame + op->hdr_len, &pn, &key_id);
			if (op->status != 0)
				verdict[i] = FRAME_CLASS_drop_mic_failure;
			else if (!ccmp_replay_ok(pend[i].ctr, pn))
				verdict[i] = FRAME_CLASS_drop_replay;
			else
				ccmp_replay_update(pend[i].ctr, pn);
		}
		if (verdict[i] != LINK_RX_TAKEN) {
			refused[verdict[i]]++;
			*refused_bytes += rte_pktmbuf_pkt_len(pkts[i]);
			rte_pktmbuf_free(pkts[i]);
			continue;
		}
		if (pend[i].op >= 0) {
			rx_strip(pkts[i], &pend[i]);
			count(w, in, DP_ccmp_decrypted);
		}
		pkts[kept++] = pkts[i];
	}
	w->crypto->n = 0;
	return kept;
}

bool link_crypto_tx_prepare(struct worker_ctx *w, unsigned out, struct rte_mbuf *m, struct tx_crypto *tc)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	size_t len = rte_pktmbuf_data_len(m), rt = 0;
	uint8_t *f;
	int hl;

	tc->key = NULL;
	if (the_node.cfg.ports[out].link == MESH_LINK_RADIOTAP) {
		if (len < 4)
			return true;
		rt = (size_t)(p[2] | p[3] << 8);
	} else if (the_node.cfg.ports[out].link == MESH_LINK_ETHERNET) {
		rt = WIRED_MESH_HDR_LEN;
	}
	if (len < rt + 24)
		return true;
	f = p + rt;
	if (!is_data(f) || is_null_data(f) || (f[1] & FC1_PROTECTED))
		return true;
	hl = ccmp_hdr_len(f, len - rt);
	if (hl < 0)
		return true;
	if (f[4] & 0x01) {
		unsigned g = __atomic_load_n(&keys->own_mgtk_slot, __ATOMIC_ACQUIRE);

		tc->key = &keys->own_mgtk[g];
		tc->key_id = keys->own_mgtk_key_id[g];
		tc->pn = __atomic_add_fetch(&keys->own_mgtk_pn, 1, __ATOMIC_RELAXED);
	} else {
		int slot = peer_set_find(&the_node.tables.peers, &w->tx_peer_cache, key_at(f + 4));
		struct dp_peer_keys *k = slot < 0 ? NULL : __atomic_load_n(&keys->peer[slot], __ATOMIC_ACQUIRE);

		if (k == NULL) {
			count(w, out, DP_drop_no_key);
			return false;
		}
		tc->key = &k->mtk;
		tc->key_id = 0;
		tc->pn = __atomic_add_fetch(&k->tx_pn, 1, __ATOMIC_RELAXED);
	}
	if (!rte_pktmbuf_is_contiguous(m) || rte_pktmbuf_headroom(m) < CCMP_HDR_LEN ||
	    rte_pktmbuf_tailroom(m) < CCMP_MIC_LEN) {
		tc->key = NULL;
		count(w, out, DP_drop_no_headroom);
		return false;
	}
	p = (uint8_t *)rte_pktmbuf_prepend(m, CCMP_HDR_LEN);
	memmove(p, p + CCMP_HDR_LEN, rt + (size_t)hl);
	rte_pktmbuf_append(m, CCMP_MIC_LEN);
	tc->rt = (uint16_t)rt;
	tc->hl = (uint8_t)hl;
	return true;
}

uint16_t link_crypto_tx_run(struct worker_ctx *w, unsigned out, struct rte_mbuf **pkts, struct tx_crypto *tc,
			    uint16_t n)
{
	int op[TX_BATCH];
	uint16_t kept = 0;

	w->crypto->n = 0;
	for (uint16_t i = 0; i < n; i++) {
		uint8_t *p = rte_pktmbuf_mtod(pkts[i], uint8_t *);
		size_t body_len = rte_pktmbuf_data_len(pkts[i]) - tc[i].rt - tc[i].hl - CCMP_OVERHEAD;

		op[i] = tc[i].key == NULL ? -1
					  : ccmp_batch_encrypt(w->crypto, tc[i].key, p + tc[i].rt, tc[i].hl, body_len,
							       tc[i].pn, tc[i].key_id);
		if (tc[i].key != NULL && op[i] < 0)
			op[i] = -2; /* bad lengths: cannot happen for a frame prepare took */
	}
	ccmp_batch_run(w->ccmp, w->crypto);
	for (uint16_t i = 0; i < n; i++) {
		if (op[i] == -2 || (op[i] >= 0 && w->crypto->op[op[i]].status != 0)) {
			count(w, out, DP_drop_no_key);
			rte_pktmbuf_free(pkts[i]);
			continue;
		}
		if (op[i] >= 0)
			count(w, out, DP_ccmp_encrypted);
		pkts[kept++] = pkts[i];
	}
	w->crypto->n = 0;
	return kept;
}
