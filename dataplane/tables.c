#include "tables.h"

#include <string.h>

#include <rte_malloc.h>

#include "log.h"

/* Entries that must exist even when a MAC flood has filled the FDB: our own address, neighbours
 * and static entries. */
#define FDB_RESERVED_MIN 64

const char *fdb_kind_name(enum fdb_kind kind)
{
	static const char *const names[] = {"local", "access", "lan", "mesh", "neighbour", "host"};

	return (unsigned)kind < FDB_KIND_COUNT ? names[kind] : "unknown";
}

const char *fdb_kind_mikrotik_name(enum fdb_kind kind)
{
	/* MikroTik's /interface mesh fdb "type": outsider = beyond a non-mesh port, direct = a wireless
	 * client of ours, mesh = behind another mesh node, neighbor = a mesh node we hear. */
	static const char *const names[] = {"local", "direct", "outsider", "mesh", "neighbor", "local"};

	return (unsigned)kind < FDB_KIND_COUNT ? names[kind] : "unknown";
}

int tables_create(struct node_tables *t, const struct node_config *cfg, unsigned n_readers)
{
	size_t sz = rte_rcu_qsbr_get_memsize(n_readers);
	uint32_t fdb_reserved = FDB_RESERVED_MIN + cfg->mesh.max_peers + cfg->n_static_peers + cfg->n_static_proxies + cfg->n_static_fdb +
				cfg->n_ports;

	memset(t, 0, sizeof(*t));
	t->qsbr = rte_zmalloc("meshplane_qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (t->qsbr == NULL || rte_rcu_qsbr_init(t->qsbr, n_readers) != 0) {
		LOG_ERR("tables: cannot create the RCU state for %u readers", n_readers);
		return -1;
	}
	t->fdb = mac_table_create("fdb", cfg->tables.fdb_entries, fdb_reserved, sizeof(struct fdb_entry),
				  t->qsbr);
	t->paths = mac_table_create("paths", cfg->tables.path_entries, cfg->n_static_paths,
				    sizeof(struct path_entry), t->qsbr);
	if (t->fdb == NULL || t->paths == NULL) {
		tables_free(t);
		return -1;
	}
	return 0;
}

void tables_free(struct node_tables *t)
{
	mac_table_free(t->fdb);
	mac_table_free(t->paths);
	rte_free(t->qsbr);
	memset(t, 0, sizeof(*t));
}

static int put_fdb(struct node_tables *t, const struct mac_addr *mac, enum fdb_kind kind, uint8_t port,
		   const struct mac_addr *proxy, uint64_t now_s)
{
	struct fdb_entry e;

	memset(&e, 0, sizeof(e));
	e.kind = (uint8_t)kind;
	e.port = port;
	e.is_static = 1;
	if (proxy != NULL)
		e.proxy = *proxy;
	e.last_seen_s = now_s;
	return mac_table_put(t->fdb, mac, &e, true);
}

int tables_load_static(struct node_tables *t, const struct node_config *cfg, uint64_t now_s)
{
	char a[MAC_STR_LEN];

	if (put_fdb(t, &cfg->node.mesh_mac, FDB_LOCAL, 0, NULL, now_s) < 0)
		return -1;
	/* Our APs' BSSIDs are addresses of this node too, as in a Linux bridge (the AP interface is a
	 * bridge port, its MAC a local entry): frames to them, hostapd's 802.11r RRB frames from the other
	 * APs, go to the host port, where a hostapd with bridge=br0 listens. */
	for (unsigned i = 0; i < cfg->n_ports; i++)
		if (cfg->ports[i].role == PORT_ROLE_ACCESS && cfg->ports[i].ap.present &&
		    put_fdb(t, &cfg->ports[i].ap.bssid, FDB_LOCAL, 0, NULL, now_s) < 0)
			return -1;
	for (unsigned i = 0; i < cfg->n_static_paths; i++) {
		const struct static_path *sp = &cfg->static_paths[i];
		struct path_entry p;

		memset(&p, 0, sizeof(p));
		p.next_hop = sp->next_hop;
		p.port = sp->port;
		p.state = PATH_STATIC;
		p.metric = sp->metric;
		p.hop_count = mac_equal(&sp->dest, &sp->next_hop) ? 1 : 2;
		if (mac_table_put(t->paths, &sp->dest, &p, true) < 0 ||
		    put_fdb(t, &sp->next_hop, FDB_NEIGHBOUR, sp->port, NULL, now_s) < 0) {
			LOG_ERR("static_paths[%u]: no room for %s", i, mac_format(&sp->dest, a));
			return -1;
		}
	}
	for (unsigned i = 0; i < cfg->n_static_proxies; i++) {
		const struct static_proxy *sp = &cfg->static_proxies[i];

		if (put_fdb(t, &sp->station, FDB_MESH_PROXY, 0, &sp->proxy, now_s) < 0) {
			LOG_ERR("static_proxies[%u]: no room for %s", i, mac_format(&sp->station, a));
			return -1;
		}
	}
	for (unsigned i = 0; i < cfg->n_static_fdb; i++) {
		const struct static_fdb_entry *fe = &cfg->static_fdb[i];
		enum fdb_kind kind = fdb_kind_of_role(cfg->ports[fe->port].role);

		if (put_fdb(t, &fe->mac, kind, fe->port, NULL, now_s) < 0) {
			LOG_ERR("static_fdb[%u]: no room for %s", i, mac_format(&fe->mac, a));
			return -1;
		}
	}
	return 0;
}
