/* Table pages for telemetry. Only the control thread (the writer) may walk the tables, so a
 * telemetry thread posts a request and the control thread fills one page between two loop turns. */
#ifndef MESHPLANE_CONTROL_SNAPSHOT_H
#define MESHPLANE_CONTROL_SNAPSHOT_H

#include <stdint.h>

#include "mac.h"
#include "mpm.h"
#include "neighbours.h"
#include "sae.h"
#include "stations.h"
#include "tables.h"
#include "topology_msg.h"

/* Rows per page: a telemetry reply holds at most 16 KiB. */
#define SNAPSHOT_PAGE_ROWS 48

enum snapshot_table { SNAPSHOT_FDB = 0, SNAPSHOT_PATHS, SNAPSHOT_PEERS, SNAPSHOT_STATIONS, SNAPSHOT_TOPOLOGY };

/* The topology flattened: per origin (this node first) one node row, then a link row per peer it
 * announced and a station row per station. */
enum topology_row_kind { TOPOLOGY_ROW_NODE = 0, TOPOLOGY_ROW_LINK, TOPOLOGY_ROW_STATION };

struct snapshot_topology {
	uint8_t kind;            /* enum topology_row_kind */
	bool self;               /* the origin is this node */
	struct mac_addr origin;
	struct mac_addr other;   /* link: the peer; station: the station; node: the peer it came from */
	uint32_t metric;         /* link */
	uint8_t flags;           /* node: TOPOLOGY_FLAG_* */
	uint8_t n_peers, n_stations; /* node */
	uint16_t interval_s;     /* node */
	uint32_t seq;            /* node */
	uint64_t heard_ms;       /* node, not self */
	char name[TOPOLOGY_NAME_MAX + 1]; /* node */
};

/* A neighbour and its peering state (static peers have none). */
struct snapshot_peer {
	struct neighbour n;
	bool has_plink;
	struct mpm_peer plink;
	bool secure;          /* a secure mesh: the fields below are valid */
	bool authenticated;   /* SAE accepted */
	bool keyed;           /* the link's keys are installed */
	struct sae_peer_info sae;
};

struct snapshot_row {
	struct mac_addr mac;
	union {
		struct fdb_entry fdb;
		struct path_entry path;
		struct snapshot_peer peer;
		struct station station;
		struct snapshot_topology topology;
	};
};

struct snapshot_page {
	uint32_t offset;
	uint32_t total; /* entries in the table */
	uint32_t n;     /* rows in this page */
	struct snapshot_row rows[SNAPSHOT_PAGE_ROWS];
};

/* Telemetry side: fills page with rows offset.. of table; 0, or -ETIMEDOUT when the control thread
 * does not answer within a second. Safe from any number of threads. */
int snapshot_request(enum snapshot_table table, uint32_t offset, struct snapshot_page *page);

/* Control side: serves a pending request, if any. */
void snapshot_serve(void);

#endif
