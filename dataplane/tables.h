/* The node's forwarding tables (DESIGN §3): FDB and mesh path table, with their RCU state. */
#ifndef MESHPLANE_DP_TABLES_H
#define MESHPLANE_DP_TABLES_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_rcu_qsbr.h>

#include "config.h"
#include "mac.h"
#include "mac_table.h"
#include "peer_set.h"

enum fdb_kind {
	FDB_LOCAL = 0,      /* this node's own mesh address */
	FDB_ACCESS,         /* a station on one of our access ports */
	FDB_LAN,            /* a host on one of our lan ports */
	FDB_MESH_PROXY,     /* a station behind another mesh node (proxy) */
	FDB_NEIGHBOUR,      /* a mesh node we hear directly */
	FDB_HOST,           /* an address of this node's own kernel interface (host port) other than mesh_mac */
	FDB_KIND_COUNT,
};

/* The FDB kind of a station learned on a local port of the given role. */
static inline enum fdb_kind fdb_kind_of_role(enum port_role role)
{
	return role == PORT_ROLE_ACCESS ? FDB_ACCESS : role == PORT_ROLE_HOST ? FDB_HOST : FDB_LAN;
}

/* True for the kinds that live on one of our local (access, lan, host) ports. */
static inline bool fdb_kind_is_local_port(uint8_t kind)
{
	return kind == FDB_ACCESS || kind == FDB_LAN || kind == FDB_HOST;
}

struct fdb_entry {
	uint8_t kind;       /* enum fdb_kind */
	uint8_t port;       /* port index: where the station is (local kinds) or the peer is heard */
	uint8_t is_static;  /* from the config: never aged */
	uint8_t pad[5];
	struct mac_addr proxy; /* FDB_MESH_PROXY: the mesh node the station is behind */
	uint16_t pad2;
	uint64_t last_seen_s;  /* relaxed atomic: workers refresh it at most once per second */
};

enum path_state { PATH_ACTIVE = 0, PATH_STATIC };

struct path_entry {
	struct mac_addr next_hop;
	uint8_t port;       /* mesh port index towards next_hop */
	uint8_t state;      /* enum path_state */
	uint32_t metric;
	uint32_t sn;
	uint8_t hop_count;
	uint8_t pad[3];
	uint32_t changes;   /* next-hop changes HWMP made (Linux's path_change_count) */
	uint32_t pad2;
	uint64_t expiry_ms; /* 0 for static paths */
	uint64_t last_used_ms; /* relaxed atomic: workers note traffic (path refresh) */
};

struct node_tables {
	struct rte_rcu_qsbr *qsbr; /* one reader thread id per worker (its queue index) */
	struct mac_table *fdb;
	struct mac_table *paths;
	struct peer_set peers;     /* established peers: mesh data is taken only from them */
};

/* Name of an FDB kind ("local", "access", "lan", "mesh", "neighbour"). */
const char *fdb_kind_name(enum fdb_kind kind);

/* The same kind in MikroTik's FDB terms ("local", "outsider", "direct", "mesh", "neighbor"). */
const char *fdb_kind_mikrotik_name(enum fdb_kind kind);

/* Creates the RCU variable and both tables sized from cfg->tables; 0 or -1 (logged). */
int tables_create(struct node_tables *t, const struct node_config *cfg, unsigned n_readers);

/* Frees both tables and the RCU variable; workers must have stopped. */
void tables_free(struct node_tables *t);

/* Loads this node's own address, static paths, their next hops and static proxies; 0 or -1. */
int tables_load_static(struct node_tables *t, const struct node_config *cfg, uint64_t now_s);

#endif
