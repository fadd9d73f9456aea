/* What a node knows of the other mesh nodes' announcements (topology_msg): the newest one of each
 * origin, until three of the origin's announcement intervals pass without a newer one. Pure logic,
 * time passed in; the control thread owns it. */
#ifndef MESHPLANE_TOPOLOGY_DB_H
#define MESHPLANE_TOPOLOGY_DB_H

#include <stdint.h>

#include "topology_msg.h"

#define TOPOLOGY_DB_MAX 64

struct topology_entry {
	struct topology_msg msg;
	struct mac_addr from;    /* the peer it came from */
	uint64_t heard_ms;
};

struct topology_db {
	unsigned n;
	struct topology_entry e[TOPOLOGY_DB_MAX];
	uint64_t full_drops;     /* new origins refused because the table was full */
};

enum topology_update { TOPOLOGY_NEW, TOPOLOGY_OLD, TOPOLOGY_FULL };

/* Empties db. */
void topology_db_init(struct topology_db *db);

/* Keeps m (heard from peer from) when its origin is new or its seq is newer than the stored one:
 * TOPOLOGY_NEW (store and relay it), TOPOLOGY_OLD (a copy or an older one: drop), TOPOLOGY_FULL. */
enum topology_update topology_db_update(struct topology_db *db, const struct topology_msg *m,
					const struct mac_addr *from, uint64_t now_ms);

/* Forgets the origins silent for three of their intervals (at least 3 s); returns how many. */
unsigned topology_db_expire(struct topology_db *db, uint64_t now_ms);

/* The stored announcement of origin, or NULL. */
const struct topology_entry *topology_db_find(const struct topology_db *db, const struct mac_addr *origin);

#endif
