#include "hwmp_glue.h"

#include <string.h>

#include "control.h"
#include "events.h"
#include "hwmp_legacy.h"
#include "log.h"
#include "neighbours.h"
#include "node.h"
#include "pending.h"
#include "security.h"
#include "tx.h"

/* How often paths that carried traffic are reported to the engine (refresh before expiry). */
#define PATH_USE_SCAN_MS 500
/* A path counts as in use when it carried traffic this recently. The workers stamp a path's use once
 * a second (the first frame of each second), so "since the last scan" saw a busy path in only one scan
 * of two: one report a second against a refresh window of path_refresh_time_ms (1 s), and a scan late
 * by a few ms under load let a busy path expire unrefreshed (path_stability's flake: the first copy
 * of the next flood then chose between equal routes). A stamp up to a second old plus one scan
 * interval means every scan while traffic flows sees it. */
#define PATH_USE_RECENT_MS (1000 + PATH_USE_SCAN_MS)

static struct hwmp_engine *engine;
static struct hwmp_counters published; /* relaxed copies for telemetry */
static uint64_t last_use_scan_ms;

static unsigned first_mesh_port(void)
{
	for (unsigned p = 0; p < the_node.cfg.n_ports; p++)
		if (the_node.cfg.ports[p].role == PORT_ROLE_MESH)
			return p;
	return 0;
}

static unsigned port_of_neighbour(const struct mac_addr *mac)
{
	const struct neighbour *n = neighbours_find(mac);

	return n != NULL ? n->port : first_mesh_port();
}

static bool neighbour_extended(const struct mac_addr *mac)
{
	const struct neighbour *n = neighbours_find(mac);

	return the_node.cfg.peering.hwmp_extensions && n != NULL && (n->ext_flags & MESH_EXT_HWMP);
}

/* The engine asks before it originates a PREQ (hwmp.h). */
static bool extended_ok(void *ctx, const struct mac_addr *receiver)
{
	(void)ctx;
	if (!mac_is_group(receiver))
		return neighbour_extended(receiver);
	for (unsigned p = 0; p < the_node.cfg.n_ports; p++)
		if (the_node.cfg.ports[p].role == PORT_ROLE_MESH && !neighbours_port_extended(p))
			return false;
	return true;
}

struct action_out {
	unsigned port;
	const struct mac_addr *receiver;
	bool legacy;
};

/* Sends one element in its own Mesh Action frame (Linux reads only the first PREQ/PREP/PERR of a frame). */
static void send_action(void *arg, const uint8_t *element, size_t len)
{
	const struct action_out *o = arg;
	uint8_t frame[ACTION_HDR_LEN + 257 + 32]; /* room for CCMP's 16 octets or BIP's 18 */
	uint8_t action = element[0] == WLAN_EID_GANN ? WLAN_MESH_ACTION_GATE_ANNOUNCEMENT : WLAN_MESH_ACTION_HWMP;
	struct mgmt_hdr h;
	size_t flen = ACTION_HDR_LEN + len;

	if (len > 257)
		return;
	memset(&h, 0, sizeof(h));
	h.addr1 = *o->receiver;
	h.addr2 = the_node.cfg.node.mesh_mac;
	h.addr3 = the_node.cfg.node.mesh_mac;
	action_encode_header(frame, sizeof(frame), &h, WLAN_CATEGORY_MESH, action);
	memcpy(frame + ACTION_HDR_LEN, element, len);
	/* A secure mesh protects every HWMP frame: one it cannot protect (no key for the receiver yet) is
	 * not sent, since the receiver would drop it. */
	if (security_protect_mgmt(frame, &flen, sizeof(frame)) < 0) {
		control_count(CONTROL_hwmp_not_protected);
		return;
	}
	if (control_tx_80211(o->port, frame, flen) == 0) {
		control_count(CONTROL_hwmp_frames_tx);
		if (o->legacy)
			control_count(CONTROL_hwmp_legacy_frames);
	}
}

/* One element to one port: as the engine wrote it where every receiver understands our forms, in
 * Linux's forms elsewhere (the interop rule of PROTOCOL.md). */
static void send_on_port(unsigned port, const struct mac_addr *receiver, bool extended, const uint8_t *element,
			 size_t len)
{
	struct action_out o = {.port = port, .receiver = receiver, .legacy = !extended};

	if (extended || hwmp_is_legacy_form(element, len)) {
		o.legacy = false;
		send_action(&o, element, len);
	} else if (hwmp_legacy_forms(element, len, send_action, &o) < 0) {
		LOG_WARN("hwmp: element %u of %zu bytes has no Linux form: not sent", element[0], len);
	}
}

static void send_element(void *ctx, const struct mac_addr *receiver, const uint8_t *element, size_t len)
{
	(void)ctx;
	if (mac_is_group(receiver)) {
		for (unsigned p = 0; p < the_node.cfg.n_ports; p++)
			if (the_node.cfg.ports[p].role == PORT_ROLE_MESH)
				send_on_port(p, receiver, neighbours_port_extended(p), element, len);
	} else {
		send_on_port(port_of_neighbour(receiver), receiver, neighbour_extended(receiver), element, len);
	}
}

/* A path appeared or its next hop or metric moved: an event for meshctl monitor. */
static void log_path(const struct mac_addr *dest, const struct path_entry *old, const struct path_entry *p)
{
	struct event_body e = {.time_ms = node_now_ms(), .type = EVENT_path_new, .port = p->port,
			       .old_port = EVENT_NO_PORT, .mac = *dest, .addr = p->next_hop, .metric = p->metric,
			       .hops = p->hop_count};

	if (old != NULL) {
		if (mac_equal(&old->next_hop, &p->next_hop) && old->metric == p->metric && old->port == p->port)
			return; /* a refresh */
		e.type = EVENT_path_changed;
		e.old_port = old->port;
		e.old_addr = old->next_hop;
		e.old_metric = old->metric;
	}
	events_log(&e);
}

static void install_path(void *ctx, const struct hwmp_path_info *info)
{
	const struct path_entry *found = mac_table_lookup(the_node.tables.paths, &info->dest);
	struct path_entry p, prev, *old = NULL;

	(void)ctx;
	if (found != NULL && found->state == PATH_STATIC)
		return;
	if (found != NULL) { /* copied: the put retires the entry */
		prev = *found;
		old = &prev;
	}
	memset(&p, 0, sizeof(p));
	p.next_hop = info->next_hop;
	p.port = (uint8_t)port_of_neighbour(&info->next_hop);
	p.state = PATH_ACTIVE;
	p.metric = info->metric;
	p.sn = info->sn;
	p.hop_count = info->hop_count;
	p.changes = info->changes;
	p.expiry_ms = info->expiry_ms;
	if (old != NULL)
		p.last_used_ms = __atomic_load_n(&old->last_used_ms, __ATOMIC_RELAXED);
	if (mac_table_put(the_node.tables.paths, &info->dest, &p, false) == 0) {
		control_count(CONTROL_paths_installed);
		log_path(&info->dest, old, &p);
	} else
		control_count(CONTROL_paths_refused);
}

static void repoint_path(void *arg, const struct hwmp_path_info *info, bool active)
{
	if (active && mac_equal(&info->next_hop, (const struct mac_addr *)arg))
		install_path(NULL, info);
}

void hwmp_glue_neighbour_moved(const struct mac_addr *neighbour)
{
	if (engine != NULL)
		hwmp_foreach_path(engine, repoint_path, (void *)(uintptr_t)neighbour, node_now_ms());
}

static void remove_path(void *ctx, const struct mac_addr *dest)
{
	const struct path_entry *old = mac_table_lookup(the_node.tables.paths, dest);

	(void)ctx;
	if (old == NULL || old->state == PATH_STATIC)
		return;
	struct event_body e = {.time_ms = node_now_ms(), .type = EVENT_path_removed, .port = EVENT_NO_PORT,
			       .old_port = old->port, .mac = *dest, .old_addr = old->next_hop,
			       .old_metric = old->metric};

	if (mac_table_remove(the_node.tables.paths, dest) == 0) {
		control_count(CONTROL_paths_removed);
		events_log(&e);
	}
}

static void install_proxy(void *ctx, const struct mac_addr *station, const struct mac_addr *mesh_node)
{
	const struct fdb_entry *old = mac_table_lookup(the_node.tables.fdb, station);
	struct fdb_entry e;

	(void)ctx;
	/* Our own stations stay ours until roaming (hostapd sync) says they moved. */
	if (old != NULL && (old->is_static || old->kind != FDB_MESH_PROXY || mac_equal(&old->proxy, mesh_node)))
		return;
	memset(&e, 0, sizeof(e));
	e.kind = FDB_MESH_PROXY;
	e.proxy = *mesh_node;
	e.last_seen_s = node_now_ms() / 1000;
	if (mac_table_put(the_node.tables.fdb, station, &e, false) == 0)
		control_count(CONTROL_proxies_installed);
	else
		control_count(CONTROL_fdb_refused);
}

static void remove_proxy(void *ctx, const struct mac_addr *station)
{
	const struct fdb_entry *old = mac_table_lookup(the_node.tables.fdb, station);

	(void)ctx;
	if (old != NULL && !old->is_static && old->kind == FDB_MESH_PROXY)
		mac_table_remove(the_node.tables.fdb, station);
}

static void discovery_done(void *ctx, const struct mac_addr *dest, enum hwmp_discovery_result result,
			   const struct hwmp_route *route)
{
	(void)ctx;
	if (result == HWMP_DISCOVERY_FAILED) {
		struct event_body e = {.time_ms = node_now_ms(), .type = EVENT_discovery_failed,
				       .port = EVENT_NO_PORT, .old_port = EVENT_NO_PORT, .mac = *dest};

		control_count(CONTROL_discoveries_failed);
		events_log(&e);
		control_drop_pending(dest);
		return;
	}
	/* A station behind another node, or an unknown address that a gate takes: frames go there. */
	if (route != NULL && (route->proxied || route->via_gate) && !mac_equal(dest, &route->path.dest))
		install_proxy(NULL, dest, &route->path.dest);
}

int hwmp_glue_init(uint64_t now_ms)
{
	struct hwmp_params params;
	struct hwmp_callbacks cb = {
		.send = send_element,
		.path_install = install_path,
		.path_remove = remove_path,
		.proxy_install = install_proxy,
		.proxy_remove = remove_proxy,
		.discovery_done = discovery_done,
		.extended_ok = extended_ok,
	};

	hwmp_params_from_config(&params, &the_node.cfg.hwmp, &the_node.cfg.mesh, the_node.cfg.tables.path_entries);
	engine = hwmp_create(&the_node.cfg.node.mesh_mac, &params, &cb, now_ms);
	if (engine == NULL) {
		LOG_ERR("hwmp: cannot create the engine (check the hwmp section of the config)");
		return -1;
	}
	for (unsigned i = 0; i < the_node.cfg.n_static_fdb; i++)
		hwmp_local_proxy_add(engine, &the_node.cfg.static_fdb[i].mac);
	for (unsigned i = 0; i < the_node.cfg.n_ports; i++)
		if (the_node.cfg.ports[i].role == PORT_ROLE_ACCESS && the_node.cfg.ports[i].ap.present)
			hwmp_local_proxy_add(engine, &the_node.cfg.ports[i].ap.bssid);
	memset(&published, 0, sizeof(published));
	return 0;
}

int hwmp_glue_reconfigure(uint64_t now_ms)
{
	struct hwmp_params params;

	hwmp_params_from_config(&params, &the_node.cfg.hwmp, &the_node.cfg.mesh, the_node.cfg.tables.path_entries);
	return hwmp_set_params(engine, &params, now_ms);
}

void hwmp_glue_fini(void)
{
	hwmp_destroy(engine);
	engine = NULL;
}

void hwmp_glue_on_action(unsigned port, const struct action_frame *af, uint64_t now_ms)
{
	const struct neighbour *n = neighbours_find(&af->hdr.addr2);
	struct ie_iter it;
	struct ie e;

	(void)port;
	if (!mac_is_group(&af->hdr.addr1) && !mac_equal(&af->hdr.addr1, &the_node.cfg.node.mesh_mac))
		return; /* for another node: a promiscuous port hears everything */
	/* Like mac80211, path selection frames count only from peers. */
	if (n == NULL) {
		control_count(CONTROL_hwmp_from_stranger);
		return;
	}
	control_count(CONTROL_hwmp_frames_rx);
	ie_iter_init(&it, af->body, af->body_len);
	while (ie_iter_next(&it, &e) == 1)
		hwmp_rx_element(engine, &af->hdr.addr2, n->metric, e.id, e.data, e.len, now_ms);
}

void hwmp_glue_need_path(const struct mac_addr *dest, const struct mac_addr *src_station, uint64_t now_ms)
{
	struct hwmp_route route;

	if (hwmp_need_path_from(engine, dest, src_station, now_ms) == 1 && hwmp_lookup(engine, dest, now_ms, &route)) {
		/* The engine knew already: make sure the tables say so too. */
		install_path(NULL, &route.path);
		if (!mac_equal(dest, &route.path.dest))
			install_proxy(NULL, dest, &route.path.dest);
	}
}

void hwmp_glue_forward_failed(const struct mac_addr *dest, uint64_t now_ms)
{
	hwmp_forward_failed(engine, dest, now_ms);
}

void hwmp_glue_local_station(const struct mac_addr *station, bool present)
{
	if (present)
		hwmp_local_proxy_add(engine, station);
	else
		hwmp_local_proxy_remove(engine, station);
}

void hwmp_glue_neighbour_lost(const struct mac_addr *neighbour, uint64_t now_ms)
{
	hwmp_neighbour_lost(engine, neighbour, now_ms);
}

struct use_scan {
	uint64_t since_ms;
	uint32_t n;
	struct mac_addr used[64];
};

static int collect_used(const struct mac_addr *mac, void *entry, void *arg)
{
	const struct path_entry *p = entry;
	struct use_scan *s = arg;

	if (p->state == PATH_ACTIVE && __atomic_load_n(&p->last_used_ms, __ATOMIC_RELAXED) >= s->since_ms)
		s->used[s->n++] = *mac;
	return s->n == 64;
}

void hwmp_glue_tick(uint64_t now_ms)
{
	const struct hwmp_counters *c;

	hwmp_tick(engine, now_ms);
	if (now_ms - last_use_scan_ms >= PATH_USE_SCAN_MS) {
		struct use_scan s = {.since_ms = now_ms > PATH_USE_RECENT_MS ? now_ms - PATH_USE_RECENT_MS : 0};

		mac_table_walk(the_node.tables.paths, collect_used, &s);
		for (uint32_t i = 0; i < s.n; i++)
			hwmp_path_used(engine, &s.used[i], now_ms);
		last_use_scan_ms = now_ms;
	}
	c = hwmp_get_counters(engine);
	for (size_t i = 0; i < sizeof(published) / sizeof(uint64_t); i++)
		__atomic_store_n(&((uint64_t *)&published)[i], ((const uint64_t *)c)[i], __ATOMIC_RELAXED);
}

void hwmp_glue_counters(struct hwmp_counters *out)
{
	for (size_t i = 0; i < sizeof(*out) / sizeof(uint64_t); i++)
		((uint64_t *)out)[i] = __atomic_load_n(&((uint64_t *)&published)[i], __ATOMIC_RELAXED);
}
