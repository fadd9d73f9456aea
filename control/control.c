#include "control.h"

#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "codec.h"
#include "echo.h"
#include "events.h"
#include "hostapd_sync.h"
#include "hwmp_glue.h"
#include "link_monitor.h"
#include "log.h"
#include "neighbours.h"
#include "node.h"
#include "peer_set.h"
#include "security.h"
#include "peering.h"
#include "pending.h"
#include "ports.h"
#include "radiotap.h"
#include "reload.h"
#include "snapshot.h"
#include "stations.h"
#include "topology.h"

#define CONTROL_BURST 64
#define AGING_BATCH 256
#define PENDING_SCAN_MS 10

uint64_t control_counters[CONTROL_COUNTER_COUNT];
static struct pending_store *pending;

static const char *const control_counter_names[] = {
#define CONTROL_COUNTER_NAME(name) #name,
	CONTROL_COUNTERS(CONTROL_COUNTER_NAME)
#undef CONTROL_COUNTER_NAME
};

const char *control_counter_name(enum control_counter c)
{
	return (unsigned)c < CONTROL_COUNTER_COUNT ? control_counter_names[c] : "unknown";
}

/* Single writer; telemetry reads with relaxed loads. */
void control_count(enum control_counter c)
{
	__atomic_store_n(&control_counters[c], control_counters[c] + 1, __ATOMIC_RELAXED);
}
#define ccount control_count

static void expire_frame(struct rte_mbuf *m)
{
	ccount(CONTROL_drop_no_path);
	rte_pktmbuf_free(m);
}

void control_drop_pending(const struct mac_addr *dest)
{
	pending_drop(pending, dest, expire_frame);
}

static void log_peer(enum event_type type, const struct neighbour *n, uint64_t now_ms)
{
	struct event_body e = {.time_ms = now_ms, .type = type, .port = n->port, .old_port = EVENT_NO_PORT,
			       .mac = n->mac, .metric = n->metric};

	events_log(&e);
}

/* A neighbour is reachable directly: the FDB knows it (reserved room, so a MAC flood cannot refuse it). */
static void neighbour_adopted(void *ctx, const struct neighbour *n, uint64_t now_ms)
{
	const struct fdb_entry *old = mac_table_lookup(the_node.tables.fdb, &n->mac);
	struct fdb_entry e;
	char mac[MAC_STR_LEN];

	(void)ctx;
	memset(&e, 0, sizeof(e));
	e.kind = FDB_NEIGHBOUR; /* not aged: the neighbour manager removes it */
	e.port = n->port;
	e.last_seen_s = now_ms / 1000;
	if (old == NULL || !old->is_static)
		mac_table_put(the_node.tables.fdb, &n->mac, &e, true);
	if (peer_set_add(&the_node.tables.peers, &n->mac) < 0)
		LOG_WARN("peer %s: the dataplane's peer set is full", mac_format(&n->mac, mac));
	/* mesh.security static: the link is keyed now that the peer has its slot (a no-op otherwise). */
	else if (n->is_static)
		security_static_peer_up(&n->mac);
	log_peer(EVENT_peer_up, n, now_ms);
	hostapd_sync_reannounce_local(now_ms);
	LOG_INFO("peer %s up on %s", mac_format(&n->mac, mac), the_node.cfg.ports[n->port].name);
}

static void neighbour_lost(void *ctx, const struct neighbour *n, uint64_t now_ms)
{
	const struct fdb_entry *e = mac_table_lookup(the_node.tables.fdb, &n->mac);
	char mac[MAC_STR_LEN];

	(void)ctx;
	/* Static keys leave before the peer leaves the peer set (their slot is its). */
	if (n->is_static)
		security_static_peer_down(&n->mac);
	peer_set_remove(&the_node.tables.peers, &n->mac);
	if (e != NULL && e->kind == FDB_NEIGHBOUR && !e->is_static)
		mac_table_remove(the_node.tables.fdb, &n->mac);
	hwmp_glue_neighbour_lost(&n->mac, now_ms);
	log_peer(EVENT_peer_down, n, now_ms);
	LOG_INFO("peer %s down on %s", mac_format(&n->mac, mac), the_node.cfg.ports[n->port].name);
}

/* A peer heard on several ports now goes through another one: its FDB entry and every path through it
 * follow at once, without waiting for HWMP (a pulled cable falls back to the radio). */
static void neighbour_moved(void *ctx, const struct neighbour *n, unsigned old_port, uint64_t now_ms)
{
	const struct fdb_entry *old = mac_table_lookup(the_node.tables.fdb, &n->mac);
	struct event_body ev = {.time_ms = now_ms, .type = EVENT_peer_moved, .port = n->port,
				.old_port = (uint8_t)old_port, .mac = n->mac, .metric = n->metric};
	char mac[MAC_STR_LEN];

	(void)ctx;
	if (old != NULL && old->kind == FDB_NEIGHBOUR && !old->is_static) {
		struct fdb_entry e = *old;

		e.port = n->port;
		mac_table_put(the_node.tables.fdb, &n->mac, &e, true);
	}
	hwmp_glue_neighbour_moved(&n->mac);
	events_log(&ev);
	LOG_INFO("peer %s: traffic moved from %s to %s (metric %u)", mac_format(&n->mac, mac),
		 the_node.cfg.ports[old_port].name, the_node.cfg.ports[n->port].name, n->metric);
}

int control_init(void)
{
	const struct tables_config *tc = &the_node.cfg.tables;
	struct neighbour_events ev = {.adopted = neighbour_adopted, .lost = neighbour_lost, .moved = neighbour_moved};

	memset(control_counters, 0, sizeof(control_counters));
	events_reset();
	pending = pending_create(tc->pending_dests, tc->pending_frames_per_dest);
	if (pending == NULL) {
		LOG_ERR("control: no memory for %u pending destinations", tc->pending_dests);
		return -1;
	}
	link_monitor_init(); /* without it, lost links are noticed by missed beacons */
	hostapd_sync_init();
	if (security_init(node_now_ms()) < 0 || hwmp_glue_init(node_now_ms()) < 0 || peering_init() < 0)
		return -1;
	neighbours_init(&ev, node_now_ms());
	topology_init(node_now_ms());
	return 0;
}

void control_fini(void)
{
	peering_fini();
	security_fini();
	hwmp_glue_fini();
	hostapd_sync_fini();
	link_monitor_fini();
	pending_free(pending);
	pending = NULL;
}

static void learn(const struct dp_event *ev, uint64_t now_ms)
{
	uint64_t now_s = now_ms / 1000;
	const struct fdb_entry *old = mac_table_lookup(the_node.tables.fdb, &ev->mac);
	struct fdb_entry e;

	if (old != NULL && old->is_static)
		return;
	memset(&e, 0, sizeof(e));
	e.port = ev->port;
	e.last_seen_s = now_s;
	if (ev->type == EVENT_LEARN_PROXY) {
		e.kind = FDB_MESH_PROXY;
		e.proxy = ev->proxy;
	} else {
		e.kind = fdb_kind_of_role(the_node.cfg.ports[ev->port].role);
	}
	/* Several workers may report the same news before the first report is applied. */
	if (old != NULL && old->kind == e.kind && old->port == e.port && mac_equal(&old->proxy, &e.proxy))
		return;
	if (e.kind == FDB_MESH_PROXY)
		stations_set_remote(&ev->mac, &ev->proxy, now_ms);
	/* A frame from a station its AP's hostapd does not list (a wired "AP" passes them; a radio would
	 * not) is forwarded, but makes no station: after a hostapd restart forgot it, the node shows what
	 * hostapd lists until the station associates again. */
	else if (e.kind == FDB_ACCESS && (!hostapd_sync_port_up(e.port) || hostapd_sync_associated(&ev->mac, e.port)))
		stations_set_local(&ev->mac, e.port, now_ms);
	/* One of our AP's stations is now behind another node: it roamed. */
	if (old != NULL && old->kind == FDB_ACCESS && e.kind == FDB_MESH_PROXY) {
		ccount(CONTROL_stations_moved_away);
		hostapd_sync_station_moved(&ev->mac);
	}
	if (mac_table_put(the_node.tables.fdb, &ev->mac, &e, false) < 0) {
		ccount(CONTROL_fdb_refused);
		return;
	}
	ccount(CONTROL_fdb_learned);
	/* HWMP answers PREQs for our own stations, and forgets them when they move behind another node. */
	hwmp_glue_local_station(&ev->mac, e.kind != FDB_MESH_PROXY);
}

static unsigned drain_events(uint64_t now_ms);

/* A management frame from a mesh port: beacons feed the neighbour manager, Mesh Action frames HWMP. */
static void handle_mgmt(unsigned port, struct rte_mbuf *m, uint64_t now_ms)
{
	uint8_t *buf = rte_pktmbuf_mtod(m, uint8_t *);
	size_t len = rte_pktmbuf_data_len(m);
	struct radiotap_info rt;
	struct action_frame af;
	struct beacon b;

	memset(&rt, 0, sizeof(rt));
	if (the_node.cfg.ports[port].link == MESH_LINK_RADIOTAP) {
		if (radiotap_parse(buf, len, &rt) < 0)
			goto malformed;
		buf += rt.header_len;
		len -= rt.header_len;
		if (rt.has_flags && (rt.flags & RADIOTAP_F_FCS) && len >= 4)
			len -= 4;
	} else if (the_node.cfg.ports[port].link == MESH_LINK_ETHERNET) {
		if (wired_mesh_check(buf, len) != WIRED_MESH_OK) /* the workers classified it already */
			goto malformed;
		buf += WIRED_MESH_HDR_LEN;
		len -= WIRED_MESH_HDR_LEN;
	}
	ccount(CONTROL_mgmt_frames);
	if (len > 0 && buf[0] == IEEE80211_FC0_BEACON) {
		if (beacon_decode(buf, len, &b) < 0)
			goto malformed;
		neighbours_on_beacon(port, &b, &rt, now_ms);
	} else if (len > 0 && buf[0] == IEEE80211_FC0_AUTH) {
		security_on_auth(port, buf, len, now_ms);
	} else if (len > 0 && buf[0] == IEEE80211_FC0_ACTION) {
		/* A secure mesh's HWMP frames are protected (CCMP, or BIP when group addressed): decrypted or
		 * checked here, dropped when they are not. Peering frames carry their own protection (AMPE). */
		if (security_on() && len > MGMT_HDR_LEN && ((buf[1] & 0x40) || buf[MGMT_HDR_LEN] == WLAN_CATEGORY_MESH) &&
		    !security_accept_mgmt(&buf, &len))
			return;
		if (action_decode(buf, len, &af) < 0)
			goto malformed;
		if (af.category == WLAN_CATEGORY_SELF_PROTECTED)
			peering_on_frame(port, buf, len, &rt, now_ms);
		else if (af.category == WLAN_CATEGORY_MESH &&
		    (af.action == WLAN_MESH_ACTION_HWMP || af.action == WLAN_MESH_ACTION_GATE_ANNOUNCEMENT))
			hwmp_glue_on_action(port, &af, now_ms);
	}
	return;
malformed:
	ccount(CONTROL_mgmt_malformed);
}

/* HWMP gets the time in ms: a time truncated to the second set deadlines and lifetimes up to 999 ms in
 * the past (a PREQ's retry due at once, a path installed with a shorter life). */
static unsigned drain_events(uint64_t now_ms)
{
	struct dp_event ev[CONTROL_BURST];
	unsigned total = 0;

	for (unsigned q = 0; q < the_node.n_workers; q++) {
		unsigned n = rte_ring_sc_dequeue_burst_elem(the_node.event_ring[q], ev, sizeof(ev[0]),
							    CONTROL_BURST, NULL);

		for (unsigned i = 0; i < n; i++) {
			if (ev[i].type == EVENT_NO_PATH) {
				ccount(CONTROL_no_path_events);
				hwmp_glue_need_path(&ev[i].mac, NULL, now_ms);
			} else if (ev[i].type == EVENT_NO_ROUTE) {
				ccount(CONTROL_no_path_events);
				hwmp_glue_forward_failed(&ev[i].mac, now_ms);
			} else {
				learn(&ev[i], now_ms);
			}
		}
		total += n;
	}
	return total;
}

static unsigned drain_punts(uint64_t now_ms)
{
	struct rte_mbuf *pkts[CONTROL_BURST];
	unsigned total = 0;

	for (unsigned q = 0; q < the_node.n_workers; q++) {
		unsigned n = rte_ring_sc_dequeue_burst(the_node.punt_ring[q], (void **)pkts, CONTROL_BURST, NULL);

		for (unsigned i = 0; i < n; i++) {
			struct rte_mbuf *m = pkts[i];
			struct mac_addr dest, src;
			const struct fdb_entry *se;

			if (m->hash.usr >> 8 == PUNT_ECHO) {
				echo_handle(m->hash.usr & 0xff, m, now_ms);
				rte_pktmbuf_free(m);
				continue;
			}
			if (m->hash.usr >> 8 != PUNT_NO_PATH) {
				handle_mgmt(m->hash.usr & 0xff, m, now_ms);
				rte_pktmbuf_free(m);
				continue;
			}
			mac_read(&dest, rte_pktmbuf_mtod(m, const uint8_t *));
			mac_read(&src, rte_pktmbuf_mtod_offset(m, const uint8_t *, MAC_LEN));
			if (pending_hold(pending, &dest, m, now_ms)) {
				ccount(CONTROL_pending_held);
				/* A waiting frame's destination may be a station behind some node: ask HWMP, and
				 * tell the target where our station lives. The engine runs one discovery at a time. */
				se = mac_table_lookup(the_node.tables.fdb, &src);
				hwmp_glue_need_path(&dest, se != NULL && fdb_kind_is_local_port(se->kind) ? &src : NULL,
						    now_ms);
			} else {
				ccount(CONTROL_drop_pending_full);
				rte_pktmbuf_free(m);
			}
		}
		total += n;
	}
	return total;
}

/* A held frame can go once the worker would not punt it again. */
static bool destination_known(const struct mac_addr *dest)
{
	const struct fdb_entry *e = mac_table_lookup(the_node.tables.fdb, dest);

	if (mac_table_lookup(the_node.tables.paths, dest) != NULL)
		return true;
	if (e == NULL)
		return false;
	if (e->kind == FDB_MESH_PROXY)
		return mac_table_lookup(the_node.tables.paths, &e->proxy) != NULL;
	return fdb_kind_is_local_port(e->kind) || (e->kind == FDB_LOCAL && the_node.host_port != NO_HOST_PORT);
}

static void release_frame(struct rte_mbuf *m)
{
	m->hash.usr &= 0xff; /* the ingress port index */
	if (rte_ring_sp_enqueue(the_node.reinject_ring, m) != 0) {
		ccount(CONTROL_drop_reinject_full);
		rte_pktmbuf_free(m);
		return;
	}
	ccount(CONTROL_pending_released);
}

struct aging_walk {
	uint64_t now_s, now_ms;
	uint32_t n;
	struct mac_addr victims[AGING_BATCH];
};

static int collect_aged_fdb(const struct mac_addr *mac, void *entry, void *arg)
{
	const struct fdb_entry *e = entry;
	struct aging_walk *a = arg;

	if (!e->is_static && e->kind != FDB_LOCAL && e->kind != FDB_NEIGHBOUR &&
	    a->now_s - __atomic_load_n(&e->last_seen_s, __ATOMIC_RELAXED) > the_node.cfg.tables.fdb_aging_s &&
	    !(e->kind == FDB_ACCESS && hostapd_sync_associated(mac, e->port)))
		a->victims[a->n++] = *mac;
	return a->n == AGING_BATCH;
}

/* Removes the victims; returns how many went. */
static uint32_t remove_aged(const struct aging_walk *a)
{
	uint32_t removed = 0;

	for (uint32_t i = 0; i < a->n; i++) {
		const struct fdb_entry *e = mac_table_lookup(the_node.tables.fdb, &a->victims[i]);
		bool local = e != NULL && fdb_kind_is_local_port(e->kind);

		if (mac_table_remove(the_node.tables.fdb, &a->victims[i]) == 0) {
			removed++;
			ccount(CONTROL_fdb_aged);
			stations_remove(&a->victims[i]);
			if (local)
				hwmp_glue_local_station(&a->victims[i], false);
		}
	}
	return removed;
}

static void age_tables(uint64_t now_ms)
{
	struct aging_walk a = {.now_s = now_ms / 1000, .now_ms = now_ms};

	uint32_t removed;

	/* Paths are HWMP's to expire (it refreshes the ones in use); the FDB ages here, every entry due
	 * (a batch at a time), not just one batch a second. */
	do {
		a.n = 0;
		mac_table_walk(the_node.tables.fdb, collect_aged_fdb, &a);
		removed = remove_aged(&a);
	} while (a.n == AGING_BATCH && removed > 0);
}

/* How long HWMP may take to resolve a destination: every PREQ retry doubles the wait. */
static uint64_t discovery_timeout_ms(void)
{
	const struct hwmp_config *h = &the_node.cfg.hwmp;

	return (uint64_t)h->min_discovery_timeout_ms * ((2ull << h->max_preq_retries) - 1);
}

/* Every peer gets a Close (Linux would otherwise keep the link for 30 minutes and ignore our Opens
 * when we come back); worker 0 sends them from the tx ring, which is given a moment to drain. */
static void close_links(void)
{
	unsigned n = peering_close_all(node_now_ms());
	uint64_t deadline = node_now_ms() + 100;

	while (n > 0 && !rte_ring_empty(the_node.tx_ring) && node_now_ms() < deadline)
		usleep(1000);
	if (n > 0)
		usleep(2000); /* the last burst leaves the worker's tx batch */
	peering_tick(node_now_ms()); /* publishes the counters for the exit report */
	LOG_INFO("sent Close to %u peers", n);
}

void control_run(uint64_t duration_ms)
{
	uint64_t last_scan = 0, last_aging = 0;

	while (!__atomic_load_n(&the_node.stop_requested, __ATOMIC_RELAXED)) {
		uint64_t now_ms = node_now_ms();
		unsigned work;

		if (duration_ms != 0 && now_ms >= duration_ms)
			break;
		work = drain_events(now_ms) + drain_punts(now_ms);
		if (now_ms - last_scan >= PENDING_SCAN_MS) {
			link_monitor_poll(now_ms);
			for (unsigned n = ports_recover(&the_node, now_ms); n > 0; n--)
				ccount(CONTROL_port_restarts);
			hostapd_sync_poll(now_ms);
			pending_scan(pending, now_ms, discovery_timeout_ms(), destination_known, release_frame,
				     expire_frame);
			last_scan = now_ms;
		}
		neighbours_tick(now_ms);
		peering_tick(now_ms);
		hwmp_glue_tick(now_ms);
		topology_tick(now_ms);
		if (now_ms - last_aging >= 1000) {
			age_tables(now_ms);
			last_aging = now_ms;
		}
		snapshot_serve();
		echo_serve(now_ms);
		reload_serve(now_ms);
		mac_table_reclaim(the_node.tables.fdb);
		mac_table_reclaim(the_node.tables.paths);
		if (work == 0)
			usleep(1000);
	}
	close_links();
	__atomic_store_n(&the_node.stop, true, __ATOMIC_RELAXED);
}
