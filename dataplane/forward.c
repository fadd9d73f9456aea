#include "forward.h"
#include "link_crypto.h"

#include <string.h>

#include <rte_ethdev.h>
#include <rte_ring.h>

#include "codec.h"
#include "frame_class.h"
#include "mesh_data.h"
#include "mesh_echo.h"
#include "node.h"
#include "radiotap.h"
#include "tables.h"

/* Mesh Control starts right after the 802.11 header; TTL is its second octet. */
#define MESH_TTL_OFFSET 1

static inline void count(struct worker_ctx *w, unsigned port, enum dp_counter c)
{
	counter_add(&w->cnt->ports[port].dp[c], 1);
}

static inline void drop(struct worker_ctx *w, unsigned port, enum dp_counter c, struct rte_mbuf *m)
{
	count(w, port, c);
	rte_pktmbuf_free(m);
}

static inline const struct port_config *port_cfg(unsigned port)
{
	return &the_node.cfg.ports[port];
}

static inline bool is_local_port(unsigned port)
{
	return port_cfg(port)->role != PORT_ROLE_MESH;
}

static void tx_batch_send(struct worker_ctx *w, unsigned out, struct tx_batch *b)
{
	uint16_t sent = 0;

	if (unlikely(w->ccmp != NULL) && port_cfg(out)->role == PORT_ROLE_MESH)
		b->n = link_crypto_tx_run(w, out, b->pkts, b->crypto, b->n);
	/* A port the control thread is restarting takes nothing (its queues are being torn down). */
	if (likely(!__atomic_load_n(&the_node.ports[out].paused, __ATOMIC_ACQUIRE))) {
		sent = rte_eth_tx_burst(the_node.ports[out].port_id, w->queue, b->pkts, b->n);
		counter_add(&w->cnt->ports[out].dp[DP_tx_packets], sent);
		/* The tap PMD refuses frames while its kernel interface is down. */
		if (sent < b->n)
			counter_add(&w->cnt->ports[out].dp[out == the_node.host_port ? DP_drop_host_refused : DP_drop_tx_full],
				    b->n - sent);
	} else {
		counter_add(&w->cnt->ports[out].dp[DP_drop_port_down], b->n);
	}
	if (sent < b->n)
		rte_pktmbuf_free_bulk(b->pkts + sent, b->n - sent);
	b->n = 0;
}

void forward_tx(struct worker_ctx *w, unsigned out, struct rte_mbuf *m)
{
	struct tx_batch *b = &w->tx[out];

	if (unlikely(w->ccmp != NULL) && port_cfg(out)->role == PORT_ROLE_MESH &&
	    !link_crypto_tx_prepare(w, out, m, &b->crypto[b->n])) {
		rte_pktmbuf_free(m);
		return;
	}

	b->pkts[b->n++] = m;
	if (b->n == TX_BATCH)
		tx_batch_send(w, out, b);
}

void forward_flush(struct worker_ctx *w)
{
	for (unsigned p = 0; p < the_node.cfg.n_ports; p++)
		if (w->tx[p].n != 0)
			tx_batch_send(w, p, &w->tx[p]);
}

static void report(struct worker_ctx *w, unsigned port, enum dp_event_type type, const struct mac_addr *mac,
		   const struct mac_addr *proxy)
{
	struct dp_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = (uint8_t)type;
	ev.port = (uint8_t)port;
	ev.mac = *mac;
	if (proxy != NULL)
		ev.proxy = *proxy;
	if (rte_ring_sp_enqueue_elem(the_node.event_ring[w->queue], &ev, sizeof(ev)) != 0)
		count(w, port, DP_drop_event_ring_full);
	else if (type == EVENT_LEARN_LOCAL || type == EVENT_LEARN_PROXY)
		count(w, port, DP_learn_events);
}

static void punt(struct worker_ctx *w, unsigned port, enum punt_reason reason, struct rte_mbuf *m)
{
	m->hash.usr = punt_tag(reason, port);
	if (rte_ring_sp_enqueue(the_node.punt_ring[w->queue], m) != 0) {
		drop(w, port, DP_drop_punt_ring_full, m);
		return;
	}
	count(w, port, reason == PUNT_MGMT ? DP_punt_mgmt : reason == PUNT_ECHO ? DP_punt_echo : DP_punt_no_path);
}

/* Radiotap rate for a port's configured link rate (100 kb/s units -> 500 kb/s units). */
static uint8_t tx_rate(unsigned port)
{
	uint32_t r = port_cfg(port)->link_rate_100kbps / 5;

	return (uint8_t)(r == 0 ? 1 : r > 255 ? 255 : r);
}

/* Length of the header port out's frames carry before the 802.11 header (indexed by enum mesh_link). */
static inline uint16_t tx_link_hdr_len(unsigned out)
{
	static const uint8_t len_of[] = {[MESH_LINK_BARE] = 0, [MESH_LINK_RADIOTAP] = RADIOTAP_TX_LEN,
					 [MESH_LINK_ETHERNET] = WIRED_MESH_HDR_LEN};

	return len_of[port_cfg(out)->link];
}

/* Writes port out's link header at p, for the 802.11 frame that follows it. */
static inline void write_link_hdr(uint8_t *p, unsigned out)
{
	if (port_cfg(out)->link == MESH_LINK_RADIOTAP)
		radiotap_build(p, RADIOTAP_TX_LEN, tx_rate(out), 0);
	else if (port_cfg(out)->link == MESH_LINK_ETHERNET)
		wired_mesh_build(p, p + WIRED_MESH_HDR_LEN);
}

/* Replaces whatever precedes the 802.11 header (received radiotap or wired header) by the egress
 * port's link header. The 802.11 frame must start at l2_off and last l2_len bytes, its addresses
 * already those it goes out with. */
static int set_tx_link_hdr(struct rte_mbuf *m, uint16_t l2_off, uint16_t l2_len, unsigned out)
{
	enum mesh_link link = port_cfg(out)->link;
	uint8_t *p;

	rte_pktmbuf_adj(m, l2_off);
	rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_pkt_len(m) - l2_len));
	if (link == MESH_LINK_BARE)
		return 0;
	p = (uint8_t *)rte_pktmbuf_prepend(m, link == MESH_LINK_RADIOTAP ? RADIOTAP_TX_LEN : WIRED_MESH_HDR_LEN);
	if (p == NULL)
		return -1;
	if (link == MESH_LINK_RADIOTAP)
		radiotap_build(p, RADIOTAP_TX_LEN, tx_rate(out), 0);
	else
		wired_mesh_build(p, p + WIRED_MESH_HDR_LEN);
	return 0;
}

/* Learns that a source address is at this local port, reporting only news (new or moved).
 * e is the source's FDB entry, looked up with the rest of the burst. */
static void learn_local(struct worker_ctx *w, unsigned in, const struct mac_addr *src, const struct fdb_entry *e)
{
	enum fdb_kind kind = fdb_kind_of_role(port_cfg(in)->role);

	if (mac_is_group(src))
		return;
	if (e != NULL && e->kind == kind && e->port == in) {
		/* One store a second at most: a store per frame would bounce the line between cores. */
		if (__atomic_load_n(&e->last_seen_s, __ATOMIC_RELAXED) != w->now_s)
			__atomic_store_n((uint64_t *)(uintptr_t)&e->last_seen_s, w->now_s, __ATOMIC_RELAXED);
		return;
	}
	if (e != NULL && e->is_static)
		return;
	report(w, in, EVENT_LEARN_LOCAL, src, NULL);
}

/* Learns that station sta is behind mesh node proxy. */
static void learn_proxy(struct worker_ctx *w, unsigned in, const struct mac_addr *sta, const struct mac_addr *proxy)
{
	const struct fdb_entry *e = mac_table_lookup(the_node.tables.fdb, sta);

	if (mac_is_group(sta))
		return;
	if (e != NULL && e->kind == FDB_MESH_PROXY && mac_equal(&e->proxy, proxy)) {
		if (__atomic_load_n(&e->last_seen_s, __ATOMIC_RELAXED) != w->now_s)
			__atomic_store_n((uint64_t *)(uintptr_t)&e->last_seen_s, w->now_s, __ATOMIC_RELAXED);
		return;
	}
	if (e != NULL && e->is_static)
		return;
	report(w, in, EVENT_LEARN_PROXY, sta, proxy);
}

/* Sends copies of an Ethernet frame to every local port except skip; consumes m. */
static void flood_local(struct worker_ctx *w, unsigned in, unsigned skip, struct rte_mbuf *m)
{
	int last = -1;

	for (unsigned p = 0; p < the_node.cfg.n_ports; p++) {
		struct rte_mbuf *copy;

		if (p == skip || !is_local_port(p))
			continue;
		if (last >= 0) {
			copy = rte_pktmbuf_copy(m, the_node.pool, 0, UINT32_MAX);
			if (copy == NULL) {
				count(w, in, DP_drop_no_mbuf);
				continue;
			}
			count(w, in, DP_bridge_flood);
			forward_tx(w, (unsigned)last, copy);
		}
		last = (int)p;
	}
	if (last < 0) {
		rte_pktmbuf_free(m);
		return;
	}
	count(w, in, DP_bridge_flood);
	forward_tx(w, (unsigned)last, m);
}

/* Converts the mesh data frame in m (802.11 at view->l2_off) into its Ethernet frame, in place. */
static int decap_in_place(struct rte_mbuf *m, const struct frame_view *v)
{
	const struct mesh_data_hdr *h = &v->data;
	uint16_t body_len = (uint16_t)(v->l2_len - h->body_off);
	struct mac_addr da, sa;
	uint8_t *eth;

	if (!h->has_snap && body_len >= ETHER_TYPE_MIN)
		return -1;
	mesh_data_end_addrs(h, &da, &sa);
	rte_pktmbuf_adj(m, (uint16_t)(v->l2_off + h->body_off));
	rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_pkt_len(m) - body_len));
	eth = (uint8_t *)rte_pktmbuf_prepend(m, ETHER_HDR_LEN);
	if (eth == NULL)
		return -1;
	mac_write(eth, &da);
	mac_write(eth + 6, &sa);
	put_be16(eth + 12, h->has_snap ? h->ethertype : body_len);
	return 0;
}

/* A frame for this node's own address: to its kernel interface (host port), if it has one. */
static void to_host(struct worker_ctx *w, unsigned in, struct rte_mbuf *m)
{
	if (the_node.host_port == NO_HOST_PORT) {
		drop(w, in, DP_drop_to_self, m);
		return;
	}
	count(w, in, DP_host_deliver);
	forward_tx(w, the_node.host_port, m);
}

/* Delivers a decapsulated Ethernet frame from the mesh to the local ports. */
static void deliver_local(struct worker_ctx *w, unsigned in, struct rte_mbuf *m, const struct mac_addr *da)
{
	const struct fdb_entry *e;

	if (mac_is_group(da)) {
		flood_local(w, in, in, m);
		return;
	}
	e = mac_table_lookup(the_node.tables.fdb, da);
	if (e != NULL && fdb_kind_is_local_port(e->kind)) {
		count(w, in, DP_bridge_forward);
		forward_tx(w, e->port, m);
	} else if (e != NULL && e->kind == FDB_LOCAL) {
		to_host(w, in, m);
	} else {
		flood_local(w, in, in, m);
	}
}

/* meshplane's own mesh echo (ping/traceroute) between two mesh nodes; stations' traffic carries AE. */
static inline bool is_mesh_echo(const struct mesh_data_hdr *h)
{
	return mesh_control_ae(&h->mc) == MESH_AE_NONE && h->has_snap && h->ethertype == MESH_ECHO_ETHERTYPE;
}

/* Like Linux (ieee80211_rx_mesh_check), mesh data counts only from established peers. */
static inline bool from_peer(struct worker_ctx *w, const struct mesh_data_hdr *h)
{
	return peer_set_has(&the_node.tables.peers, &w->peer_cache, mac_key(&h->addr2));
}

/* path is the path table entry of the mesh DA (A3), looked up with the rest of the burst. */
static void mesh_unicast(struct worker_ctx *w, unsigned in, struct rte_mbuf *m, struct frame_view *v,
			 const struct path_entry *path)
{
	const struct mac_addr *own = &the_node.cfg.node.mesh_mac;
	struct mesh_data_hdr *h = &v->data;
	const struct fdb_entry *e = NULL;
	uint8_t *f;

	if (!mac_equal(&h->addr1, own)) {
		drop(w, in, DP_drop_not_for_us, m);
		return;
	}
	if (mac_equal(&h->addr4, own)) {
		drop(w, in, DP_drop_own_frame, m);
		return;
	}
	if (unlikely(!from_peer(w, h))) {
		drop(w, in, DP_drop_not_peer, m);
		return;
	}
	if (unlikely(h->mcp_missing))
		count(w, in, DP_mesh_control_bit_missing);
	if (mesh_control_ae(&h->mc) == MESH_AE_A5_A6)
		learn_proxy(w, in, &h->mc.ext[1], &h->addr4);
	if (mac_equal(&h->addr3, own) && is_mesh_echo(h)) {
		punt(w, in, PUNT_ECHO, m);
		return;
	}

	/* A mesh DA without a path may be one of our own stations, addressed directly. */
	if (path == NULL && !mac_equal(&h->addr3, own))
		e = mac_table_lookup(the_node.tables.fdb, &h->addr3);
	if (mac_equal(&h->addr3, own) || (e != NULL && fdb_kind_is_local_port(e->kind))) {
		struct mac_addr da, sa;

		mesh_data_end_addrs(h, &da, &sa);
		if (decap_in_place(m, v) < 0) {
			drop(w, in, DP_drop_no_headroom, m);
			return;
		}
		count(w, in, DP_decap_unicast);
		deliver_local(w, in, m, &da);
		return;
	}

	if (h->mc.ttl <= 1) {
		count(w, in, DP_drop_ttl_expired);
		if (is_mesh_echo(h))
			punt(w, in, PUNT_ECHO, m); /* traceroute: this hop answers */
		else
			rte_pktmbuf_free(m);
		return;
	}
	if (path == NULL) {
		report(w, in, EVENT_NO_ROUTE, &h->addr3, NULL);
		drop(w, in, DP_drop_no_route, m);
		return;
	}
	f = rte_pktmbuf_mtod_offset(m, uint8_t *, v->l2_off);
	mac_write(f + 4, &path->next_hop);
	mac_write(f + 10, own);
	f[h->hdr_len - 1] |= IEEE80211_QOS1_MESH_CONTROL_PRESENT; /* what we forward says it */
	f[h->hdr_len + MESH_TTL_OFFSET] = (uint8_t)(h->mc.ttl - 1);
	if (__atomic_load_n(&path->last_used_ms, __ATOMIC_RELAXED) / 1000 != w->now_s)
		__atomic_store_n((uint64_t *)(uintptr_t)&path->last_used_ms, w->now_ms, __ATOMIC_RELAXED);
	if (set_tx_link_hdr(m, v->l2_off, v->l2_len, path->port) < 0) {
		drop(w, in, DP_drop_no_headroom, m);
		return;
	}
	count(w, in, DP_mesh_forward);
	forward_tx(w, path->port, m);
}

static void mesh_group(struct worker_ctx *w, unsigned in, struct rte_mbuf *m, struct frame_view *v)
{
	const struct mac_addr *own = &the_node.cfg.node.mesh_mac;
	struct mesh_data_hdr *h = &v->data;
	struct mac_addr da, sa;

	if (mac_equal(&h->addr2, own) || mac_equal(&h->addr3, own)) {
		drop(w, in, DP_drop_own_frame, m);
		return;
	}
	if (unlikely(!from_peer(w, h))) {
		drop(w, in, DP_drop_not_peer, m);
		return;
	}
	if (unlikely(h->mcp_missing))
		count(w, in, DP_mesh_control_bit_missing);
	if (rmc_check_and_add(&w->rmc, &h->addr3, h->mc.seq, w->now_ms)) {
		drop(w, in, DP_drop_duplicate, m);
		return;
	}
	if (mesh_control_ae(&h->mc) == MESH_AE_A4)
		learn_proxy(w, in, &h->mc.ext[0], &h->addr3);

	if (h->mc.ttl > 1) {
		for (unsigned p = 0; p < the_node.cfg.n_ports; p++) {
			struct rte_mbuf *copy;
			uint8_t *f;

			if (is_local_port(p))
				continue;
			copy = rte_pktmbuf_copy(m, the_node.pool, 0, UINT32_MAX);
			if (copy == NULL) {
				count(w, in, DP_drop_no_mbuf);
				continue;
			}
			f = rte_pktmbuf_mtod_offset(copy, uint8_t *, v->l2_off);
			mac_write(f + 10, own);
			f[h->hdr_len - 1] |= IEEE80211_QOS1_MESH_CONTROL_PRESENT;
			f[h->hdr_len + MESH_TTL_OFFSET] = (uint8_t)(h->mc.ttl - 1);
			if (set_tx_link_hdr(copy, v->l2_off, v->l2_len, p) < 0) {
				drop(w, in, DP_drop_no_headroom, copy);
				continue;
			}
			count(w, in, DP_mesh_reflood);
			forward_tx(w, p, copy);
		}
	} else {
		count(w, in, DP_drop_ttl_expired); /* not re-flooded; still delivered locally */
	}

	mesh_data_end_addrs(h, &da, &sa);
	if (decap_in_place(m, v) < 0) {
		drop(w, in, DP_drop_no_headroom, m);
		return;
	}
	count(w, in, DP_decap_group);
	flood_local(w, in, in, m);
}

static void mesh_frame(struct worker_ctx *w, unsigned in, struct rte_mbuf *m, enum frame_class c,
		       struct frame_view *v, const void *path)
{
	switch (c) {
	case FRAME_CLASS_mesh_data_unicast:
		mesh_unicast(w, in, m, v, path);
		break;
	case FRAME_CLASS_mesh_data_group:
		mesh_group(w, in, m, v);
		break;
	case FRAME_CLASS_mesh_beacon:
	case FRAME_CLASS_mesh_hwmp_action:
	case FRAME_CLASS_mesh_other_action:
	case FRAME_CLASS_mesh_other_mgmt:
		punt(w, in, PUNT_MGMT, m);
		break;
	case FRAME_CLASS_mesh_protected_action:
		if (unlikely(w->ccmp == NULL))
			drop(w, in, DP_drop_no_key, m); /* an open mesh has no keys */
		else
			punt(w, in, PUNT_MGMT, m);
		break;
	default:
		rte_pktmbuf_free(m);
		break;
	}
}

/* Writes the mesh header for Ethernet frame m (header at the front) and sends it on port out.
 * For unicast, hdr has the addresses; for group, A1 = group DA. hdr->mc.seq is the caller's.
 * Consumes m. */
static void encap_and_send(struct worker_ctx *w, unsigned in, unsigned out, struct rte_mbuf *m,
			   struct mesh_data_hdr *hdr, const struct ether_info *eth, enum dp_counter what)
{
	uint16_t payload_len = (uint16_t)eth->payload_len, link_len = tx_link_hdr_len(out);
	size_t hdr_len;
	uint8_t *p;

	hdr->has_snap = eth->type_or_len >= ETHER_TYPE_MIN;
	hdr->ethertype = hdr->has_snap ? eth->type_or_len : 0;
	hdr->mc.ttl = the_node.cfg.mesh.ttl;
	hdr_len = mesh_data_header_len(hdr) + link_len;

	rte_pktmbuf_adj(m, ETHER_HDR_LEN);
	rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_pkt_len(m) - payload_len)); /* 802.3 padding */
	p = (uint8_t *)rte_pktmbuf_prepend(m, (uint16_t)hdr_len);
	if (p == NULL) {
		drop(w, in, DP_drop_no_headroom, m);
		return;
	}
	mesh_data_encode_header(p + link_len, hdr_len - link_len, hdr);
	write_link_hdr(p, out);
	count(w, in, what);
	forward_tx(w, out, m);
}

/* Sends an Ethernet frame to mesh node mesh_da along its path, or hands it to the control thread
 * to wait for one. Consumes m. */
static void encap_unicast(struct worker_ctx *w, unsigned in, struct rte_mbuf *m, const struct ether_info *eth,
			  const struct mac_addr *mesh_da, const struct path_entry *path)
{
	const struct mac_addr *own = &the_node.cfg.node.mesh_mac;

	struct mesh_data_hdr hdr;

	if (path == NULL) {
		report(w, in, EVENT_NO_PATH, mesh_da, NULL);
		punt(w, in, PUNT_NO_PATH, m);
		return;
	}
	memset(&hdr, 0, sizeof(hdr));
	hdr.addr1 = path->next_hop;
	hdr.addr2 = *own;
	hdr.addr3 = *mesh_da;
	hdr.addr4 = *own;
	/* End stations other than the two mesh nodes travel in A5/A6 (mac80211 does the same). */
	if (!mac_equal(&eth->dst, mesh_da) || !mac_equal(&eth->src, own)) {
		hdr.mc.flags = MESH_AE_A5_A6;
		hdr.mc.ext[0] = eth->dst;
		hdr.mc.ext[1] = eth->src;
	}
	if (__atomic_load_n(&path->last_used_ms, __ATOMIC_RELAXED) / 1000 != w->now_s)
		__atomic_store_n((uint64_t *)(uintptr_t)&path->last_used_ms, w->now_ms, __ATOMIC_RELAXED);
	/* Receivers deduplicate only group frames by (mesh SA, sequence number): unicast frames take the
	 * worker's own counter and skip the locked increment. */
	hdr.mc.seq = w->mesh_seq++;
	encap_and_send(w, in, path->port, m, &hdr, eth, DP_encap_unicast);
}

/* Floods an Ethernet group frame into the mesh on every mesh port. Consumes m. */
static void encap_group(struct worker_ctx *w, unsigned in, struct rte_mbuf *m, const struct ether_info *eth)
{
	const struct mac_addr *own = &the_node.cfg.node.mesh_mac;
	unsigned mesh_ports[CONFIG_MAX_PORTS], k = 0;
	uint32_t seq;

	for (unsigned p = 0; p < the_node.cfg.n_ports; p++)
		if (!is_local_port(p))
			mesh_ports[k++] = p;
	if (k == 0) {
		rte_pktmbuf_free(m);
		return;
	}
	/* One sequence number for every port's copy: a neighbour heard on two ports (a wire and the
	 * radio) gets both, and its RMC must see them as one frame. */
	seq = __atomic_fetch_add(&the_node.mesh_seq, 1, __ATOMIC_RELAXED);
	for (unsigned i = 0; i < k; i++) {
		/* Copies first: the last port gets m itself, which encapsulation rewrites. */
		struct rte_mbuf *out = i + 1 == k ? m : rte_pktmbuf_copy(m, the_node.pool, 0, UINT32_MAX);
		struct mesh_data_hdr hdr;

		if (out == NULL) {
			count(w, in, DP_drop_no_mbuf);
			continue;
		}
		memset(&hdr, 0, sizeof(hdr));
		hdr.group = true;
		hdr.addr1 = eth->dst;
		hdr.addr2 = *own;
		hdr.addr3 = *own;
		if (!mac_equal(&eth->src, own)) {
			hdr.mc.flags = MESH_AE_A4;
			hdr.mc.ext[0] = eth->src;
		}
		hdr.mc.seq = seq;
		encap_and_send(w, in, mesh_ports[i], out, &hdr, eth, DP_encap_group);
	}
}

/* dst_entry and src_entry are the FDB entries of the destination and source, and proxy_path the path
 * to the destination's proxy when it has one (or NULL: looked up here), all looked up with the burst. */
static void ether_frame(struct worker_ctx *w, unsigned in, struct rte_mbuf *m, enum frame_class c,
			const struct frame_view *v, const struct fdb_entry *dst_entry, const struct fdb_entry *src_entry,
			const struct path_entry *proxy_path)
{
	const struct ether_info *eth = &v->eth;
	const struct fdb_entry *e = dst_entry;

	if (c != FRAME_CLASS_eth_unicast && c != FRAME_CLASS_eth_group) {
		rte_pktmbuf_free(m);
		return;
	}
	learn_local(w, in, &eth->src, src_entry);

	if (c == FRAME_CLASS_eth_group) {
		struct rte_mbuf *copy = rte_pktmbuf_copy(m, the_node.pool, 0, UINT32_MAX);

		if (copy == NULL)
			count(w, in, DP_drop_no_mbuf);
		else
			flood_local(w, in, in, copy);
		encap_group(w, in, m, eth);
		return;
	}

	if (e == NULL) {
		/* Unknown: a bridge floods it locally; the mesh copy waits for a path or proxy. */
		struct rte_mbuf *copy = rte_pktmbuf_copy(m, the_node.pool, 0, UINT32_MAX);

		if (copy == NULL)
			count(w, in, DP_drop_no_mbuf);
		else
			flood_local(w, in, in, copy);
		if (mac_table_lookup(the_node.tables.paths, &eth->dst) != NULL)
			encap_unicast(w, in, m, eth, &eth->dst, mac_table_lookup(the_node.tables.paths, &eth->dst));
		else
			punt(w, in, PUNT_NO_PATH, m);
		return;
	}
	switch (e->kind) {
	case FDB_ACCESS:
	case FDB_LAN:
	case FDB_HOST:
		if (e->port == in) {
			drop(w, in, DP_drop_hairpin, m);
		} else {
			count(w, in, DP_bridge_forward);
			forward_tx(w, e->port, m);
		}
		break;
	case FDB_MESH_PROXY: {
		const struct path_entry *pp = proxy_path != NULL ? proxy_path : mac_table_lookup(the_node.tables.paths, &e->proxy);
		const struct path_entry *sp;

		/* No path to its proxy, but one to the station itself: a Linux-form PREP named the station
		 * as its target (lib/hwmp_legacy.h), and the nodes on the way route it as a mesh destination. */
		if (pp == NULL && (sp = mac_table_lookup(the_node.tables.paths, &eth->dst)) != NULL) {
			encap_unicast(w, in, m, eth, &eth->dst, sp);
			break;
		}
		encap_unicast(w, in, m, eth, &e->proxy, pp);
		break;
	}
	case FDB_NEIGHBOUR:
		encap_unicast(w, in, m, eth, &eth->dst, mac_table_lookup(the_node.tables.paths, &eth->dst));
		break;
	case FDB_LOCAL:
		if (in == the_node.host_port)
			drop(w, in, DP_drop_hairpin, m);
		else
			to_host(w, in, m);
		break;
	default:
		drop(w, in, DP_drop_to_self, m);
		break;
	}
}

void forward_reinject(struct worker_ctx *w, unsigned in, struct rte_mbuf *m)
{
	struct frame_view v;
	enum frame_class c = frame_classify_ether(rte_pktmbuf_mtod(m, const uint8_t *), rte_pktmbuf_data_len(m), &v);

	/* Counted once already, when it first arrived. */
	ether_frame(w, in, m, c, &v, c == FRAME_CLASS_eth_unicast ? mac_table_lookup(the_node.tables.fdb, &v.eth.dst) : NULL,
		    mac_table_lookup(the_node.tables.fdb, &v.eth.src), NULL);
}

/* 01:80:c2:00:00:0x frames have the link as their scope and no bridge forwards them. The wired
 * uplink's (LLDP from the switch, 802.1X) go to the node's own stack, where lldpd or wpa_supplicant on
 * the host port's interface take them; what that stack sends (its LLDP) goes out the lan ports only,
 * never into the mesh or to the APs' clients. */
static void link_local_frame(struct worker_ctx *w, unsigned in, struct rte_mbuf *m)
{
	enum port_role role = port_cfg(in)->role;

	if (role == PORT_ROLE_LAN && the_node.host_port != NO_HOST_PORT) {
		count(w, in, DP_link_local_to_host);
		forward_tx(w, the_node.host_port, m);
		return;
	}
	if (role == PORT_ROLE_HOST) {
		int last = -1;

		for (unsigned p = 0; p < the_node.cfg.n_ports; p++) {
			struct rte_mbuf *copy;

			if (port_cfg(p)->role != PORT_ROLE_LAN)
				continue;
			if (last >= 0) {
				copy = rte_pktmbuf_copy(m, the_node.pool, 0, UINT32_MAX);
				if (copy == NULL) {
					count(w, in, DP_drop_no_mbuf);
					continue;
				}
				count(w, in, DP_link_local_out);
				forward_tx(w, (unsigned)last, copy);
			}
			last = (int)p;
		}
		if (last >= 0) {
			count(w, in, DP_link_local_out);
			forward_tx(w, (unsigned)last, m);
			return;
		}
	}
	drop(w, in, DP_drop_link_local, m);
}

/* The burst is handled in three passes: classify every frame, look up all its table keys at once
 * (rte_hash bulk lookups amortise the bucket fetches), then act on each frame. */
void forward_burst(struct worker_ctx *w, unsigned in, struct rte_mbuf **pkts, uint16_t n)
{
	struct port_counters *pc = &w->cnt->ports[in];
	const struct mac_addr *own = &the_node.cfg.node.mesh_mac;
	bool mesh_port = port_cfg(in)->role == PORT_ROLE_MESH;
	struct frame_view views[WORKER_BURST_MAX];
	enum frame_class cls[WORKER_BURST_MAX];
	mac_key_t dst_keys[WORKER_BURST_MAX], src_keys[WORKER_BURST_MAX];
	const void *dst_found[WORKER_BURST_MAX], *src_found[WORKER_BURST_MAX];
	mac_key_t proxy_keys[WORKER_BURST_MAX];
	const void *proxy_found[WORKER_BURST_MAX];
	uint8_t dst_slot[WORKER_BURST_MAX], proxy_slot[WORKER_BURST_MAX];
	unsigned n_dst = 0, n_src = 0, n_proxy = 0;
	uint16_t class_count[FRAME_CLASS_COUNT] = {0};
	uint64_t bytes = 0;

	/* A secure mesh's data frames are decrypted first: classification and forwarding read them plain.
	 * The ones refused (unprotected, unknown key, replayed, forged) are received frames of the class
	 * link_crypto gives them. */
	if (mesh_port && unlikely(w->ccmp != NULL)) {
		uint16_t kept = link_crypto_rx_burst(w, in, pkts, n, class_count, &bytes);

		counter_add(&pc->rx_packets, n - kept);
		n = kept;
	}

	for (uint16_t i = 0; i < n; i++) {
		const uint8_t *data = rte_pktmbuf_mtod(pkts[i], const uint8_t *);
		uint16_t len = rte_pktmbuf_data_len(pkts[i]);

		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
		cls[i] = mesh_port ? frame_classify_mesh(data, len, port_cfg(in)->link, &views[i])
				   : frame_classify_ether(data, len, &views[i]);
		/* Counted per burst: a per-frame add to the shared counter chains every frame on the last. */
		class_count[cls[i]]++;
		dst_slot[i] = UINT8_MAX;
		if (cls[i] == FRAME_CLASS_mesh_data_unicast && mac_equal(&views[i].data.addr1, own) &&
		    !mac_equal(&views[i].data.addr3, own)) {
			dst_slot[i] = (uint8_t)n_dst;
			dst_keys[n_dst++] = mac_key(&views[i].data.addr3);
		} else if (cls[i] == FRAME_CLASS_eth_unicast || cls[i] == FRAME_CLASS_eth_group) {
			if (cls[i] == FRAME_CLASS_eth_unicast) {
				dst_slot[i] = (uint8_t)n_dst;
				dst_keys[n_dst++] = mac_key(&views[i].eth.dst);
			}
			src_keys[n_src++] = mac_key(&views[i].eth.src);
		}
	}
	counter_add(&pc->rx_packets, n);
	counter_add(&pc->rx_bytes, bytes);
	for (unsigned c = 0; c < FRAME_CLASS_COUNT; c++)
		if (class_count[c] != 0)
			counter_add(&pc->classes[c], class_count[c]);
	if (n_dst > 0)
		mac_table_lookup_bulk(mesh_port ? the_node.tables.paths : the_node.tables.fdb, dst_keys, n_dst, dst_found);
	if (n_src > 0)
		mac_table_lookup_bulk(the_node.tables.fdb, src_keys, n_src, src_found);
	/* Stations behind other mesh nodes: their nodes' paths, in one more bulk lookup. */
	if (!mesh_port) {
		for (uint16_t i = 0; i < n; i++) {
			const struct fdb_entry *e = dst_slot[i] == UINT8_MAX ? NULL : dst_found[dst_slot[i]];

			proxy_slot[i] = UINT8_MAX;
			if (e != NULL && e->kind == FDB_MESH_PROXY) {
				proxy_slot[i] = (uint8_t)n_proxy;
				proxy_keys[n_proxy++] = mac_key(&e->proxy);
			}
		}
		if (n_proxy > 0)
			mac_table_lookup_bulk(the_node.tables.paths, proxy_keys, n_proxy, proxy_found);
	}

	n_src = 0;
	for (uint16_t i = 0; i < n; i++) {
		const void *dst = dst_slot[i] == UINT8_MAX ? NULL : dst_found[dst_slot[i]];

		if (mesh_port) {
			mesh_frame(w, in, pkts[i], cls[i], &views[i], dst);
		} else if (cls[i] == FRAME_CLASS_eth_unicast || cls[i] == FRAME_CLASS_eth_group) {
			ether_frame(w, in, pkts[i], cls[i], &views[i], dst, src_found[n_src++],
				    proxy_slot[i] == UINT8_MAX ? NULL : proxy_found[proxy_slot[i]]);
		} else if (cls[i] == FRAME_CLASS_eth_link_local) {
			link_local_frame(w, in, pkts[i]);
		} else {
			rte_pktmbuf_free(pkts[i]);
		}
	}
}
