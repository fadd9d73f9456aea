#include "telemetry.h"

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_telemetry.h>

#include "control.h"
#include "echo.h"
#include "reload.h"
#include "topology_msg.h"
#include "hwmp_glue.h"
#include "log.h"
#include "peering.h"
#include "security.h"
#include "snapshot.h"
#include "node.h"
#include "stats.h"
#include "telemetry_events.h"

static uint64_t uptime_ms(void)
{
	return (rte_get_tsc_cycles() - the_node.start_tsc) * 1000 / rte_get_tsc_hz();
}

/* DPDK 22.11 accepts dicts inside dicts but not inside arrays (-EINVAL, checked on this machine),
 * so tables are dicts keyed by port name (config restricts port names to the key alphabet). */
static int add_child(struct rte_tel_data *d, const char *key, struct rte_tel_data *child)
{
	if (rte_tel_data_add_dict_container(d, key, child, 0) != 0) {
		rte_tel_data_free(child);
		return -EINVAL;
	}
	return 0;
}

static int cmd_info(const char *cmd __rte_unused, const char *params __rte_unused, struct rte_tel_data *d)
{
	const struct node_config *cfg = &the_node.cfg;
	char mac[MAC_STR_LEN];

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "node", cfg->node.name);
	rte_tel_data_add_dict_string(d, "mesh_mac", mac_format(&cfg->node.mesh_mac, mac));
	rte_tel_data_add_dict_string(d, "mesh_id", cfg->mesh.mesh_id);
	rte_tel_data_add_dict_string(d, "version", MESHPLANE_VERSION);
	rte_tel_data_add_dict_int(d, "ports", (int)cfg->n_ports);
	rte_tel_data_add_dict_int(d, "workers", (int)the_node.n_workers);
	rte_tel_data_add_dict_u64(d, "uptime_ms", uptime_ms());
	/* Entries in use (the writer's count, read as it stands). */
	rte_tel_data_add_dict_u64(d, "fdb_entries", __atomic_load_n(&the_node.tables.fdb->count, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_u64(d, "path_entries", __atomic_load_n(&the_node.tables.paths->count, __ATOMIC_RELAXED));
	if (security_mgtk_key_id() != 0)
		rte_tel_data_add_dict_int(d, "mgtk_key_id", security_mgtk_key_id());
	return 0;
}

static int cmd_ports(const char *cmd __rte_unused, const char *params __rte_unused, struct rte_tel_data *d)
{
	rte_tel_data_start_dict(d);
	for (unsigned i = 0; i < the_node.cfg.n_ports; i++) {
		const struct port_config *pc = &the_node.cfg.ports[i];
		struct rte_tel_data *p = rte_tel_data_alloc();
		struct rte_eth_link link;
		struct rte_eth_stats es;

		if (p == NULL)
			return -ENOMEM;
		rte_tel_data_start_dict(p);
		rte_tel_data_add_dict_string(p, "role", port_role_name(pc->role));
		rte_tel_data_add_dict_string(p, "devargs", pc->devargs);
		rte_tel_data_add_dict_int(p, "dpdk_port", the_node.ports[i].port_id);
		if (rte_eth_link_get_nowait(the_node.ports[i].port_id, &link) == 0)
			rte_tel_data_add_dict_string(p, "link", link.link_status ? "up" : "down");
		if (rte_eth_stats_get(the_node.ports[i].port_id, &es) == 0) {
			rte_tel_data_add_dict_u64(p, "ipackets", es.ipackets);
			rte_tel_data_add_dict_u64(p, "opackets", es.opackets);
			rte_tel_data_add_dict_u64(p, "imissed", es.imissed);
			rte_tel_data_add_dict_u64(p, "rx_nombuf", es.rx_nombuf);
		}
		if (add_child(d, pc->name, p) < 0)
			return -EINVAL;
	}
	return 0;
}

static int add_control_stats(struct rte_tel_data *d)
{
	struct rte_tel_data *c = rte_tel_data_alloc();

	if (c == NULL)
		return -ENOMEM;
	rte_tel_data_start_dict(c);
	for (unsigned i = 0; i < CONTROL_COUNTER_COUNT; i++)
		rte_tel_data_add_dict_u64(c, control_counter_name((enum control_counter)i),
					  counter_read(&control_counters[i]));
	return add_child(d, "control", c);
}

/* The engine's counters, from the copy the control thread publishes. */
#define HWMP_COUNTER_FIELDS(X)                                                                               \
	X(preq_tx) X(preq_rx) X(preq_fwd) X(preq_targets_tx) X(preq_rate_limited) X(prep_tx) X(prep_rx)      \
	X(prep_fwd) X(prep_intermediate_tx) X(prep_no_reverse_path) X(perr_tx) X(perr_rx) X(perr_dests_tx)   \
	X(perr_dests_invalidated) X(perr_dropped_queue_full) X(rann_tx) X(rann_rx) X(rann_fwd) X(gann_tx)    \
	X(gann_rx) X(gann_fwd) X(proactive_preq_tx) X(root_registrations) X(discovery_started)               \
	X(discovery_ok) X(discovery_failed) X(discovery_via_gate) X(discovery_retries)                       \
	X(discovery_table_full) X(path_installed) X(path_removed) X(path_expired) X(path_table_full)         \
	X(path_refresh) X(path_confirm) X(path_refresh_costlier) X(info_rejected_stale) X(path_offers_held)  \
	X(path_holds_forgiven) X(path_holds_taken) X(path_refresh_other_hop) X(proxy_learned)                \
	X(proxy_table_full) X(local_proxy_table_full) X(proxy_replies) X(rejected_malformed)                 \
	X(rejected_bad_ttl)                                                                                  \
	X(rejected_bad_address) X(rejected_unknown_element) X(rejected_own) X(neighbour_lost)

static int add_hwmp_stats(struct rte_tel_data *d)
{
	struct rte_tel_data *h = rte_tel_data_alloc();
	struct hwmp_counters c;

	if (h == NULL)
		return -ENOMEM;
	hwmp_glue_counters(&c);
	rte_tel_data_start_dict(h);
#define ADD_HWMP_COUNTER(name) rte_tel_data_add_dict_u64(h, #name, c.name);
	HWMP_COUNTER_FIELDS(ADD_HWMP_COUNTER)
#undef ADD_HWMP_COUNTER
	return add_child(d, "hwmp", h);
}

static int add_peering_stats(struct rte_tel_data *d)
{
	struct rte_tel_data *h = rte_tel_data_alloc();
	struct mpm_counters c;

	if (h == NULL)
		return -ENOMEM;
	peering_counters(&c);
	rte_tel_data_start_dict(h);
#define ADD_MPM_COUNTER(name) rte_tel_data_add_dict_u64(h, #name, c.name);
	MPM_COUNTERS(ADD_MPM_COUNTER)
#undef ADD_MPM_COUNTER
	return add_child(d, "peering", h);
}

/* The secure mesh's counters in one dict: the glue's, the SAE/AMPE state's (link_*) and SAE's (sae_*). */
static int add_security_stats(struct rte_tel_data *d)
{
	struct rte_tel_data *h = rte_tel_data_alloc();
	struct security_counters c;
	struct secure_counters sc;
	struct sae_counters ac;

	if (h == NULL)
		return -ENOMEM;
	security_counters(&c, &sc, &ac);
	rte_tel_data_start_dict(h);
#define ADD_SEC_COUNTER(name) rte_tel_data_add_dict_u64(h, #name, c.name);
	SECURITY_COUNTERS(ADD_SEC_COUNTER)
#undef ADD_SEC_COUNTER
#define ADD_SECURE_COUNTER(name) rte_tel_data_add_dict_u64(h, "link_" #name, sc.name);
	SECURE_COUNTERS(ADD_SECURE_COUNTER)
#undef ADD_SECURE_COUNTER
#define ADD_SAE_COUNTER(name) rte_tel_data_add_dict_u64(h, "sae_" #name, ac.name);
	SAE_COUNTERS(ADD_SAE_COUNTER)
#undef ADD_SAE_COUNTER
	return add_child(d, "security", h);
}

static int add_lcore_stats(struct rte_tel_data *d)
{
	struct rte_tel_data *all = rte_tel_data_alloc();
	unsigned lcore;

	if (all == NULL)
		return -ENOMEM;
	rte_tel_data_start_dict(all);
	RTE_LCORE_FOREACH_WORKER(lcore) {
		struct rte_tel_data *l = rte_tel_data_alloc();
		char key[16];

		if (l == NULL)
			break;
		uint64_t rx = 0, tx = 0, drops = 0;

		for (unsigned p = 0; p < the_node.cfg.n_ports; p++) {
			const struct port_counters *pc = &lcore_counters[lcore].ports[p];

			rx += counter_read(&pc->rx_packets);
			tx += counter_read(&pc->dp[DP_tx_packets]);
			for (unsigned c = 0; c < FRAME_CLASS_COUNT; c++)
				if (frame_class_is_drop((enum frame_class)c))
					drops += counter_read(&pc->classes[c]);
			for (unsigned c = 0; c < DP_COUNTER_COUNT; c++)
				if (dp_counter_is_drop((enum dp_counter)c))
					drops += counter_read(&pc->dp[c]);
		}
		snprintf(key, sizeof(key), "lcore%u", lcore);
		rte_tel_data_start_dict(l);
		rte_tel_data_add_dict_u64(l, "rx_packets", rx);
		rte_tel_data_add_dict_u64(l, "tx_packets", tx);
		rte_tel_data_add_dict_u64(l, "dropped", drops);
		rte_tel_data_add_dict_u64(l, "polls", counter_read(&lcore_counters[lcore].polls));
		rte_tel_data_add_dict_u64(l, "idle_sleeps", counter_read(&lcore_counters[lcore].idle_sleeps));
		rte_tel_data_add_dict_u64(l, "busy_cycles", counter_read(&lcore_counters[lcore].busy_cycles));
		rte_tel_data_add_dict_u64(l, "cycles_per_packet",
					  rx ? counter_read(&lcore_counters[lcore].busy_cycles) / rx : 0);
		add_child(all, key, l);
	}
	return add_child(d, "lcores", all);
}

/* /meshplane/stats[,<port name>]: per-port counters of every frame class and drop reason, and
 * per-lcore poll counters. */
static int cmd_stats(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	rte_tel_data_start_dict(d);
	for (unsigned i = 0; i < the_node.cfg.n_ports; i++) {
		const struct port_config *pc = &the_node.cfg.ports[i];
		struct rte_tel_data *p;
		struct port_counters sum;

		if (params != NULL && params[0] != '\0' && strcmp(params, pc->name) != 0)
			continue;
		p = rte_tel_data_alloc();
		if (p == NULL)
			return -ENOMEM;
		stats_sum_port(i, &sum);
		rte_tel_data_start_dict(p);
		rte_tel_data_add_dict_u64(p, "rx_packets", sum.rx_packets);
		rte_tel_data_add_dict_u64(p, "rx_bytes", sum.rx_bytes);
		for (unsigned c = 0; c < FRAME_CLASS_COUNT; c++)
			rte_tel_data_add_dict_u64(p, frame_class_name((enum frame_class)c), sum.classes[c]);
		for (unsigned c = 0; c < DP_COUNTER_COUNT; c++)
			rte_tel_data_add_dict_u64(p, dp_counter_name((enum dp_counter)c), sum.dp[c]);
		if (add_child(d, pc->name, p) < 0)
			return -EINVAL;
	}
	if (add_control_stats(d) < 0 || add_hwmp_stats(d) < 0 || add_peering_stats(d) < 0 || add_security_stats(d) < 0)
		return -ENOMEM;
	return add_lcore_stats(d);
}

/* Telemetry strings hold at most 127 characters: a long text goes as "<name>_0", "<name>_1", ... of
 * TEXT_PART_LEN characters from offset on (at most TEXT_PARTS_MAX of them, 12 KiB, within one reply)
 * and "<name>_parts"; meshctl joins them. Returns the offset after the last part added. */
#define TEXT_PART_LEN 120
#define TEXT_PARTS_MAX 100

static size_t add_text_parts(struct rte_tel_data *d, const char *name, const char *text, size_t offset)
{
	size_t len = strlen(text), parts = 0;
	char key[40];

	for (; offset < len && parts < TEXT_PARTS_MAX; offset += TEXT_PART_LEN, parts++) {
		char part[TEXT_PART_LEN + 1];

		snprintf(key, sizeof(key), "%s_%zu", name, parts);
		snprintf(part, sizeof(part), "%.*s", TEXT_PART_LEN, text + offset);
		rte_tel_data_add_dict_string(d, key, part);
	}
	snprintf(key, sizeof(key), "%s_parts", name);
	rte_tel_data_add_dict_int(d, key, (int)parts);
	return offset < len ? offset : len;
}

static int parse_offset(const char *params, uint32_t *offset);

/* "/meshplane/config[,OFFSET]": the effective config as JSON text, from character OFFSET on. */
static int cmd_config(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	json_t *json = config_to_json(&the_node.cfg);
	uint32_t offset;
	size_t next;
	char *text;

	if (json == NULL)
		return -ENOMEM;
	/* Config keys include ones telemetry dicts cannot hold; hand over the JSON text. */
	text = json_dumps(json, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(json);
	if (text == NULL)
		return -ENOMEM;
	if (parse_offset(params, &offset) < 0 || offset > strlen(text)) {
		free(text);
		return -EINVAL;
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "total_len", strlen(text));
	rte_tel_data_add_dict_u64(d, "offset", offset);
	next = add_text_parts(d, "json", text, offset);
	if (next < strlen(text))
		rte_tel_data_add_dict_u64(d, "next_offset", next);
	free(text);
	return 0;
}

/* "/meshplane/fdb,<offset>": the page offset comes in the params string. */
static int parse_offset(const char *params, uint32_t *offset)
{
	char *end;
	unsigned long v;

	*offset = 0;
	if (params == NULL || params[0] == '\0')
		return 0;
	v = strtoul(params, &end, 10);
	if (*end != '\0' || v > UINT32_MAX)
		return -EINVAL;
	*offset = (uint32_t)v;
	return 0;
}

static void page_header(struct rte_tel_data *d, const struct snapshot_page *page)
{
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "total", page->total);
	rte_tel_data_add_dict_u64(d, "offset", page->offset);
	rte_tel_data_add_dict_u64(d, "count", page->n);
	if (page->offset + page->n < page->total)
		rte_tel_data_add_dict_u64(d, "next_offset", page->offset + page->n);
}

/* Rows are keyed by their index: telemetry keys cannot hold a MAC, and 22.11 arrays cannot hold dicts. */
static int add_row(struct rte_tel_data *d, uint32_t index, struct rte_tel_data *row)
{
	char key[16];

	snprintf(key, sizeof(key), "%u", index);
	return add_child(d, key, row);
}

/* Milliseconds from then to now, 0 when then is (by a hair) later. */
static uint64_t ms_since(uint64_t now_ms, uint64_t then_ms)
{
	return now_ms > then_ms ? now_ms - then_ms : 0;
}

static void fdb_row(struct rte_tel_data *row, const struct snapshot_row *r, uint64_t now_ms)
{
	char mac[MAC_STR_LEN];
	uint64_t now_s = now_ms / 1000;

	rte_tel_data_add_dict_string(row, "mac", mac_format(&r->mac, mac));
	rte_tel_data_add_dict_string(row, "kind", fdb_kind_name((enum fdb_kind)r->fdb.kind));
	rte_tel_data_add_dict_string(row, "type", fdb_kind_mikrotik_name((enum fdb_kind)r->fdb.kind));
	if (r->fdb.kind == FDB_MESH_PROXY)
		rte_tel_data_add_dict_string(row, "proxy", mac_format(&r->fdb.proxy, mac));
	else if (r->fdb.kind != FDB_LOCAL)
		rte_tel_data_add_dict_string(row, "port", the_node.cfg.ports[r->fdb.port].name);
	rte_tel_data_add_dict_u64(row, "age_s", now_s > r->fdb.last_seen_s ? now_s - r->fdb.last_seen_s : 0);
	rte_tel_data_add_dict_int(row, "static", r->fdb.is_static);
}

static void path_row(struct rte_tel_data *row, const struct snapshot_row *r, uint64_t now_ms)
{
	char mac[MAC_STR_LEN];

	rte_tel_data_add_dict_string(row, "dest", mac_format(&r->mac, mac));
	rte_tel_data_add_dict_string(row, "next_hop", mac_format(&r->path.next_hop, mac));
	rte_tel_data_add_dict_string(row, "port", the_node.cfg.ports[r->path.port].name);
	rte_tel_data_add_dict_u64(row, "metric", r->path.metric);
	rte_tel_data_add_dict_u64(row, "sn", r->path.sn);
	rte_tel_data_add_dict_int(row, "hops", r->path.hop_count);
	rte_tel_data_add_dict_u64(row, "changes", r->path.changes);
	rte_tel_data_add_dict_string(row, "state", r->path.state == PATH_STATIC ? "static" : "active");
	rte_tel_data_add_dict_u64(row, "expires_ms", r->path.expiry_ms > now_ms ? r->path.expiry_ms - now_ms : 0);
}

static void peer_row(struct rte_tel_data *row, const struct snapshot_row *r, uint64_t now_ms)
{
	const struct neighbour *n = &r->peer.n;
	const struct mpm_peer *pl = &r->peer.plink;
	char mac[MAC_STR_LEN];

	rte_tel_data_add_dict_string(row, "mac", mac_format(&n->mac, mac));
	char links[NEIGHBOUR_LINKS_MAX * (CONFIG_PORT_NAME_MAX + 1) + 1] = "";
	char one_way[sizeof(links)] = "";

	rte_tel_data_add_dict_string(row, "port", the_node.cfg.ports[n->port].name);
	rte_tel_data_add_dict_string(row, "medium", the_node.cfg.ports[n->port].wired ? "ethernet" : "radio");
	for (unsigned i = 0; i < n->n_links; i++) {
		const char *name = the_node.cfg.ports[n->links[i].port].name;
		size_t off = strlen(links), off1 = strlen(one_way);

		snprintf(links + off, sizeof(links) - off, "%s%s", off ? "," : "", name);
		if (n->links[i].one_way)
			snprintf(one_way + off1, sizeof(one_way) - off1, "%s%s", off1 ? "," : "", name);
	}
	rte_tel_data_add_dict_string(row, "links", links);
	rte_tel_data_add_dict_string(row, "one_way_links", one_way);
	rte_tel_data_add_dict_int(row, "established", n->established);
	rte_tel_data_add_dict_string(row, "plink", n->is_static ? "static" : r->peer.has_plink ? mpm_state_name(pl->state)
											       : "none");
	if (r->peer.has_plink) {
		rte_tel_data_add_dict_int(row, "llid", pl->llid);
		rte_tel_data_add_dict_int(row, "plid", pl->plid);
		rte_tel_data_add_dict_int(row, "aid", pl->aid);
		rte_tel_data_add_dict_int(row, "peer_aid", pl->peer_aid);
		rte_tel_data_add_dict_u64(row, "plink_since_ms", ms_since(now_ms, pl->since_ms));
	}
	if (r->peer.secure) {
		const struct sae_peer_info *sae = &r->peer.sae;

		rte_tel_data_add_dict_string(row, "security", r->peer.keyed ? "keyed" : r->peer.authenticated ? "authenticated"
											: "none");
		rte_tel_data_add_dict_string(row, "sae", r->peer.authenticated && sae->state == SAE_NOTHING
								 ? "Accepted" : sae_state_name(sae->state));
		if (sae->group != 0)
			rte_tel_data_add_dict_int(row, "sae_group", sae->group);
	}
	rte_tel_data_add_dict_int(row, "extensions", n->ext_flags);
	rte_tel_data_add_dict_int(row, "beacon_interval_tu", n->interval_tu);
	rte_tel_data_add_dict_u64(row, "metric", n->metric);
	rte_tel_data_add_dict_u64(row, "rate_100kbps", n->rate_100kbps);
	rte_tel_data_add_dict_u64(row, "loss_ppm", n->loss_ppm);
	if (n->has_signal)
		rte_tel_data_add_dict_int(row, "signal_dbm", n->signal_dbm);
	rte_tel_data_add_dict_u64(row, "beacons", n->beacons);
	rte_tel_data_add_dict_u64(row, "age_ms", ms_since(now_ms, n->since_ms));
	rte_tel_data_add_dict_u64(row, "last_heard_ms", ms_since(now_ms, n->last_heard_ms));
	rte_tel_data_add_dict_u64(row, "last_beacon_ms", n->beacons > 0 ? ms_since(now_ms, n->last_beacon_ms) : 0);
}

static void station_row(struct rte_tel_data *row, const struct snapshot_row *r, uint64_t now_ms)
{
	const struct station *st = &r->station;
	char mac[MAC_STR_LEN];

	rte_tel_data_add_dict_string(row, "mac", mac_format(&st->mac, mac));
	rte_tel_data_add_dict_string(row, "origin", st->local ? "local" : "remote");
	if (st->local)
		rte_tel_data_add_dict_string(row, "port", the_node.cfg.ports[st->port].name);
	else
		rte_tel_data_add_dict_string(row, "node", mac_format(&st->node, mac));
	rte_tel_data_add_dict_u64(row, "since_ms", ms_since(now_ms, st->since_ms));
}

static void topology_row(struct rte_tel_data *row, const struct snapshot_row *r, uint64_t now_ms)
{
	static const char *const kinds[] = {"node", "link", "station"};
	const struct snapshot_topology *t = &r->topology;
	char mac[MAC_STR_LEN];

	rte_tel_data_add_dict_string(row, "kind", kinds[t->kind]);
	rte_tel_data_add_dict_string(row, "node", mac_format(&t->origin, mac));
	rte_tel_data_add_dict_int(row, "self", t->self);
	switch (t->kind) {
	case TOPOLOGY_ROW_NODE:
		rte_tel_data_add_dict_string(row, "name", t->name);
		rte_tel_data_add_dict_int(row, "gate", (t->flags & TOPOLOGY_FLAG_GATE) != 0);
		rte_tel_data_add_dict_int(row, "truncated", (t->flags & TOPOLOGY_FLAG_TRUNCATED) != 0);
		rte_tel_data_add_dict_int(row, "peers", t->n_peers);
		rte_tel_data_add_dict_int(row, "stations", t->n_stations);
		rte_tel_data_add_dict_int(row, "interval_s", t->interval_s);
		if (!t->self) {
			rte_tel_data_add_dict_u64(row, "seq", t->seq);
			rte_tel_data_add_dict_u64(row, "age_ms", ms_since(now_ms, t->heard_ms));
			rte_tel_data_add_dict_string(row, "via", mac_format(&t->other, mac));
		}
		break;
	case TOPOLOGY_ROW_LINK:
		rte_tel_data_add_dict_string(row, "peer", mac_format(&t->other, mac));
		rte_tel_data_add_dict_u64(row, "metric", t->metric);
		break;
	default:
		rte_tel_data_add_dict_string(row, "station", mac_format(&t->other, mac));
		break;
	}
}

/* One page of a table the control thread owns, rows formatted by fill: the shared shape of
 * /meshplane/fdb, /paths, /peers and /stations. */
static int paged_table(enum snapshot_table table, const char *params, struct rte_tel_data *d,
		       void (*fill)(struct rte_tel_data *row, const struct snapshot_row *r, uint64_t now_ms))
{
	static __thread struct snapshot_page page;
	uint64_t now_ms;
	uint32_t offset;

	if (parse_offset(params, &offset) < 0 || snapshot_request(table, offset, &page) < 0)
		return -EINVAL;
	now_ms = node_now_ms(); /* after the snapshot: its times must not lie in our future */
	page_header(d, &page);
	for (uint32_t i = 0; i < page.n; i++) {
		struct rte_tel_data *row = rte_tel_data_alloc();

		if (row == NULL)
			return -ENOMEM;
		rte_tel_data_start_dict(row);
		fill(row, &page.rows[i], now_ms);
		if (add_row(d, page.offset + i, row) < 0)
			return -EINVAL;
	}
	return 0;
}

static int cmd_fdb(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	return paged_table(SNAPSHOT_FDB, params, d, fdb_row);
}

static int cmd_paths(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	return paged_table(SNAPSHOT_PATHS, params, d, path_row);
}

static int cmd_peers(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	return paged_table(SNAPSHOT_PEERS, params, d, peer_row);
}

static int cmd_stations(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	return paged_table(SNAPSHOT_STATIONS, params, d, station_row);
}

static int cmd_topology(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	return paged_table(SNAPSHOT_TOPOLOGY, params, d, topology_row);
}

/* "/meshplane/reload": re-read the config file (as SIGHUP does) and say what happened. */
static int cmd_reload(const char *cmd __rte_unused, const char *params __rte_unused, struct rte_tel_data *d)
{
	char msg[RELOAD_MSG_MAX];
	int ret = reload_request(msg, sizeof(msg));

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "result", ret == 0 ? "applied" : ret == 1 ? "refused" : "timeout");
	add_text_parts(d, "message", msg, 0);
	return 0;
}

/* "/meshplane/probe,<mac>,<ttl>": one mesh echo to a mesh node (meshctl ping, traceroute). */
static int cmd_probe(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	char text[64], mac[MAC_STR_LEN], *comma, *end;
	struct echo_result r;
	struct mac_addr dest;
	unsigned long ttl = 31;

	if (params == NULL || strlen(params) >= sizeof(text))
		return -EINVAL;
	snprintf(text, sizeof(text), "%s", params);
	comma = strchr(text, ',');
	if (comma != NULL) {
		*comma = '\0';
		ttl = strtoul(comma + 1, &end, 10);
		if (*end != '\0' || ttl < 1 || ttl > 255)
			return -EINVAL;
	}
	if (mac_parse(text, &dest) < 0 || mac_is_group(&dest))
		return -EINVAL;
	echo_probe(&dest, (uint8_t)ttl, &r);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "result", echo_outcome_name(r.outcome));
	rte_tel_data_add_dict_int(d, "ttl", (int)ttl);
	if (r.outcome == ECHO_REPLY || r.outcome == ECHO_TTL_EXCEEDED) {
		rte_tel_data_add_dict_string(d, "responder", mac_format(&r.responder, mac));
		rte_tel_data_add_dict_u64(d, "rtt_us", r.rtt_us);
	}
	return 0;
}

int telemetry_register(void)
{
	int ret = 0;

	ret |= rte_telemetry_register_cmd("/meshplane/info", cmd_info,
					  "Node name, mesh MAC, Mesh ID, version, uptime. No parameters");
	ret |= rte_telemetry_register_cmd("/meshplane/ports", cmd_ports,
					  "Ports with role, devargs, link and ethdev counters. No parameters");
	ret |= rte_telemetry_register_cmd("/meshplane/stats", cmd_stats,
					  "Per-port frame classes and drop reasons. Parameter: port name (optional)");
	ret |= rte_telemetry_register_cmd("/meshplane/fdb", cmd_fdb,
					  "Forwarding database page. Parameter: offset (default 0)");
	ret |= rte_telemetry_register_cmd("/meshplane/paths", cmd_paths,
					  "Mesh path table page. Parameter: offset (default 0)");
	ret |= rte_telemetry_register_cmd("/meshplane/peers", cmd_peers,
					  "Mesh neighbours and peering: plink state, link IDs, AID, metric, rate, loss, age. Parameter: offset (default 0)");
	ret |= rte_telemetry_register_cmd("/meshplane/topology", cmd_topology,
					  "Mesh topology page (node, link, station rows). Parameter: offset");
	ret |= rte_telemetry_register_cmd("/meshplane/reload", cmd_reload,
					  "Re-read the config file, as SIGHUP does. No parameters");
	ret |= rte_telemetry_register_cmd("/meshplane/stations", cmd_stations,
					  "Stations: local (hostapd) or remote (behind a mesh node), since. Parameter: offset");
	ret |= rte_telemetry_register_cmd("/meshplane/probe", cmd_probe,
					  "One mesh echo to a mesh node. Parameters: MAC[,TTL] (TTL default 31)");
	ret |= rte_telemetry_register_cmd("/meshplane/config", cmd_config,
					  "The effective configuration as JSON text in parts. Parameter: offset");
	ret |= telemetry_events_register();
	return ret == 0 ? 0 : -1;
}

static int fdb_entry_to_json(const struct mac_addr *mac, void *entry, void *arg)
{
	const struct fdb_entry *e = entry;
	char a[MAC_STR_LEN], b[MAC_STR_LEN];
	json_t *row = json_pack("{s:s, s:s, s:s, s:b}", "mac", mac_format(mac, a), "kind",
				fdb_kind_name((enum fdb_kind)e->kind), "port",
				e->kind == FDB_MESH_PROXY || e->kind == FDB_LOCAL ? "" : the_node.cfg.ports[e->port].name,
				"static", e->is_static != 0);

	if (e->kind == FDB_MESH_PROXY)
		json_object_set_new(row, "proxy", json_string(mac_format(&e->proxy, b)));
	json_array_append_new(arg, row);
	return 0;
}

static int path_entry_to_json(const struct mac_addr *mac, void *entry, void *arg)
{
	const struct path_entry *p = entry;
	char a[MAC_STR_LEN], b[MAC_STR_LEN];

	json_array_append_new(arg, json_pack("{s:s, s:s, s:s, s:I, s:I, s:i, s:I, s:s}", "dest", mac_format(mac, a),
					     "next_hop", mac_format(&p->next_hop, b), "port",
					     the_node.cfg.ports[p->port].name, "metric", (json_int_t)p->metric, "sn",
					     (json_int_t)p->sn, "hops", p->hop_count, "changes", (json_int_t)p->changes,
					     "state", p->state == PATH_STATIC ? "static" : "active"));
	return 0;
}

/* Per worker lcore: packets received and the cycles spent on them. */
static json_t *lcores_to_json(void)
{
	json_t *all = json_object();
	unsigned lcore;

	RTE_LCORE_FOREACH_WORKER(lcore) {
		uint64_t rx = 0, busy = counter_read(&lcore_counters[lcore].busy_cycles);
		char key[16];

		for (unsigned p = 0; p < the_node.cfg.n_ports; p++)
			rx += counter_read(&lcore_counters[lcore].ports[p].rx_packets);
		snprintf(key, sizeof(key), "lcore%u", lcore);
		json_object_set_new(all, key, json_pack("{s:I, s:I, s:I}", "rx_packets", (json_int_t)rx, "busy_cycles",
							(json_int_t)busy, "cycles_per_packet",
							(json_int_t)(rx ? busy / rx : 0)));
	}
	return all;
}

json_t *stats_to_json(void)
{
	json_t *ports = json_array(), *control = json_object(), *fdb = json_array(), *paths = json_array();

	for (unsigned i = 0; i < the_node.cfg.n_ports; i++) {
		json_t *classes = json_object(), *forwarding = json_object();
		struct port_counters sum;

		stats_sum_port(i, &sum);
		for (unsigned c = 0; c < FRAME_CLASS_COUNT; c++)
			json_object_set_new(classes, frame_class_name((enum frame_class)c),
					    json_integer((json_int_t)sum.classes[c]));
		for (unsigned c = 0; c < DP_COUNTER_COUNT; c++)
			json_object_set_new(forwarding, dp_counter_name((enum dp_counter)c),
					    json_integer((json_int_t)sum.dp[c]));
		json_array_append_new(ports, json_pack("{s:s, s:I, s:I, s:o, s:o}", "port", the_node.cfg.ports[i].name,
						       "rx_packets", (json_int_t)sum.rx_packets, "rx_bytes",
						       (json_int_t)sum.rx_bytes, "classes", classes, "forwarding",
						       forwarding));
	}
	for (unsigned c = 0; c < CONTROL_COUNTER_COUNT; c++)
		json_object_set_new(control, control_counter_name((enum control_counter)c),
				    json_integer((json_int_t)counter_read(&control_counters[c])));
	/* Only after the workers stopped: walking the tables is the writer's privilege. */
	mac_table_walk(the_node.tables.fdb, fdb_entry_to_json, fdb);
	mac_table_walk(the_node.tables.paths, path_entry_to_json, paths);
	{
		json_t *hwmp = json_object(), *peering = json_object(), *security = json_object();
		struct hwmp_counters c;
		struct mpm_counters pc;
		struct security_counters sc;
		struct secure_counters lc;
		struct sae_counters ac;

		hwmp_glue_counters(&c);
		peering_counters(&pc);
		security_counters(&sc, &lc, &ac);
#define JSON_SEC_COUNTER(name) json_object_set_new(security, #name, json_integer((json_int_t)sc.name));
		SECURITY_COUNTERS(JSON_SEC_COUNTER)
#undef JSON_SEC_COUNTER
#define JSON_SECURE_COUNTER(name) json_object_set_new(security, "link_" #name, json_integer((json_int_t)lc.name));
		SECURE_COUNTERS(JSON_SECURE_COUNTER)
#undef JSON_SECURE_COUNTER
#define JSON_SAE_COUNTER(name) json_object_set_new(security, "sae_" #name, json_integer((json_int_t)ac.name));
		SAE_COUNTERS(JSON_SAE_COUNTER)
#undef JSON_SAE_COUNTER
#define JSON_HWMP_COUNTER(name) json_object_set_new(hwmp, #name, json_integer((json_int_t)c.name));
		HWMP_COUNTER_FIELDS(JSON_HWMP_COUNTER)
#undef JSON_HWMP_COUNTER
#define JSON_MPM_COUNTER(name) json_object_set_new(peering, #name, json_integer((json_int_t)pc.name));
		MPM_COUNTERS(JSON_MPM_COUNTER)
#undef JSON_MPM_COUNTER
		return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I}", "node", the_node.cfg.node.name,
				 "ports", ports, "control", control, "hwmp", hwmp, "peering", peering, "security", security,
				 "fdb", fdb,
				 "paths", paths, "lcores", lcores_to_json(), "tsc_hz", (json_int_t)rte_get_tsc_hz());
	}
}
