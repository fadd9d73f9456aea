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

void link_keys_set_own_mgtk(const uint8_t mgtk[16], uint8_t key_id)
{
	ccmp_key_set(control_engine, &keys->own_mgtk, mgtk);
	keys->own_mgtk_key_id = key_id;
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
	ccmp_key_set(control_engine, &b->mgtk, k->peer_mgtk);
	b->mgtk_key_id = k->peer_mgtk_key_id;
	/* The peer's group frames up to its announced counter are old: replays from before we met. */
	for (unsigned i = 0; i < LINK_TIDS; i++)
		b->mgtk_rx_pn[i] = k->peer_mgtk_rsc;
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

/* A refused frame: freed, its class returned for the caller to count. */
static enum frame_class refuse(struct rte_mbuf *m, enum frame_class c)
{
	rte_pktmbuf_free(m);
	return c;
}

enum frame_class link_crypto_rx(struct worker_ctx *w, unsigned in, struct rte_mbuf *m)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	size_t len = rte_pktmbuf_data_len(m), rt = 0, fcs = 0, flen;
	struct radiotap_info ri;
	const struct dp_peer_keys *k;
	const struct ccmp_key *key;
	uint64_t pn, *ctr;
	uint8_t *f, key_id;
	bool group;
	int hl, slot;
	unsigned tid;

	if (the_node.cfg.ports[in].radiotap) {
		if (radiotap_parse(p, len, &ri) < 0)
			return LINK_RX_TAKEN; /* classification counts it */
		rt = ri.header_len;
		if (ri.has_flags && (ri.flags & RADIOTAP_F_FCS))
			fcs = 4;
	}
	if (len < rt + fcs + 24)
		return LINK_RX_TAKEN;
	f = p + rt;
	flen = len - rt - fcs;
	if (!is_data(f) || is_null_data(f))
		return LINK_RX_TAKEN;
	if (!(f[1] & FC1_PROTECTED)) {
		return refuse(m, FRAME_CLASS_drop_unprotected);
	}
	hl = ccmp_hdr_len(f, flen);
	if (hl < 0 || flen < (size_t)hl + CCMP_OVERHEAD || ccmp_hdr_read(f + hl, &pn, &key_id) < 0) {
		return refuse(m, FRAME_CLASS_drop_mic_failure);
	}
	slot = peer_set_find(&the_node.tables.peers, &w->peer_cache, key_at(f + 10));
	k = slot < 0 ? NULL : __atomic_load_n(&keys->peer[slot], __ATOMIC_ACQUIRE);
	group = (f[4] & 0x01) != 0;
	if (k == NULL || (group && key_id != k->mgtk_key_id) || (!group && key_id != 0)) {
		return refuse(m, FRAME_CLASS_drop_unknown_key);
	}
	tid = (f[0] & 0x80) ? (unsigned)(f[hl - 2] & 0x0f) : 16;
	key = group ? &k->mgtk : &k->mtk;
	ctr = (uint64_t *)(uintptr_t)(group ? &k->mgtk_rx_pn[tid] : &k->rx_pn[tid]);
	/* Checked before the decryption (cheap refusal of a replay flood) and recorded only after the MIC
	 * verified, so a forged PN cannot move the counter. */
	if (!ccmp_replay_ok(ctr, pn)) {
		return refuse(m, FRAME_CLASS_drop_replay);
	}
	if (ccmp_decrypt(w->ccmp, key, f, (size_t)hl, flen, &pn) != 0) {
		return refuse(m, FRAME_CLASS_drop_mic_failure);
	}
	ccmp_replay_update(ctr, pn);
	if (fcs) {
		rte_pktmbuf_trim(m, 4);
		p[ri.flags_off] &= (uint8_t)~RADIOTAP_F_FCS;
	}
	rte_pktmbuf_trim(m, CCMP_MIC_LEN);
	memmove(p + CCMP_HDR_LEN, p, rt + (size_t)hl);
	rte_pktmbuf_adj(m, CCMP_HDR_LEN);
	p = rte_pktmbuf_mtod(m, uint8_t *);
	p[rt + 1] &= (uint8_t)~FC1_PROTECTED;
	count(w, in, DP_ccmp_decrypted);
	return LINK_RX_TAKEN;
}

bool link_crypto_tx(struct worker_ctx *w, unsigned out, struct rte_mbuf *m)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	size_t len = rte_pktmbuf_data_len(m), rt = 0, body_len;
	const struct ccmp_key *key;
	uint64_t pn;
	uint8_t *f, key_id;
	int hl;

	if (the_node.cfg.ports[out].radiotap) {
		if (len < 4)
			return true;
		rt = (size_t)(p[2] | p[3] << 8);
	}
	if (len < rt + 24)
		return true;
	f = p + rt;
	if (!is_data(f) || is_null_data(f) || (f[1] & FC1_PROTECTED))
		return true;
	hl = ccmp_hdr_len(f, len - rt);
	if (hl < 0)
		return true;
	body_len = len - rt - (size_t)hl;
	if (f[4] & 0x01) {
		key = &keys->own_mgtk;
		key_id = keys->own_mgtk_key_id;
		pn = __atomic_add_fetch(&keys->own_mgtk_pn, 1, __ATOMIC_RELAXED);
	} else {
		int slot = peer_set_find(&the_node.tables.peers, &w->tx_peer_cache, key_at(f + 4));
		struct dp_peer_keys *k = slot < 0 ? NULL : __atomic_load_n(&keys->peer[slot], __ATOMIC_ACQUIRE);

		if (k == NULL) {
			count(w, out, DP_drop_no_key);
			return false;
		}
		key = &k->mtk;
		key_id = 0;
		pn = __atomic_add_fetch(&k->tx_pn, 1, __ATOMIC_RELAXED);
	}
	if (!rte_pktmbuf_is_contiguous(m) || rte_pktmbuf_headroom(m) < CCMP_HDR_LEN ||
	    rte_pktmbuf_tailroom(m) < CCMP_MIC_LEN) {
		count(w, out, DP_drop_no_headroom);
		return false;
	}
	p = (uint8_t *)rte_pktmbuf_prepend(m, CCMP_HDR_LEN);
	memmove(p, p + CCMP_HDR_LEN, rt + (size_t)hl);
	rte_pktmbuf_append(m, CCMP_MIC_LEN);
	if (ccmp_encrypt(w->ccmp, key, p + rt, (size_t)hl, body_len, pn, key_id) != 0) {
		count(w, out, DP_drop_no_key);
		return false;
	}
	count(w, out, DP_ccmp_encrypted);
	return true;
}
