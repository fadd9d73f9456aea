#include "topology_db.h"

#include <string.h>

void topology_db_init(struct topology_db *db)
{
	memset(db, 0, sizeof(*db));
}

static struct topology_entry *find(struct topology_db *db, const struct mac_addr *origin)
{
	for (unsigned i = 0; i < db->n; i++)
		if (mac_equal(&db->e[i].msg.origin, origin))
			return &db->e[i];
	return NULL;
}

const struct topology_entry *topology_db_find(const struct topology_db *db, const struct mac_addr *origin)
{
	return find((struct topology_db *)db, origin);
}

enum topology_update topology_db_update(struct topology_db *db, const struct topology_msg *m,
					const struct mac_addr *from, uint64_t now_ms)
{
	struct topology_entry *e = find(db, &m->origin);

	/* Serial arithmetic, as HWMP's sequence numbers: an origin's counter may wrap. */
	if (e != NULL && (int32_t)(m->seq - e->msg.seq) <= 0)
		return TOPOLOGY_OLD;
	if (e == NULL) {
		if (db->n == TOPOLOGY_DB_MAX) {
			db->full_drops++;
			return TOPOLOGY_FULL;
		}
		e = &db->e[db->n++];
	}
	e->msg = *m;
	e->from = *from;
	e->heard_ms = now_ms;
	return TOPOLOGY_NEW;
}

static uint64_t lifetime_ms(const struct topology_msg *m)
{
	uint64_t ms = (uint64_t)m->interval_s * 3000;

	return ms < 3000 ? 3000 : ms;
}

unsigned topology_db_expire(struct topology_db *db, uint64_t now_ms)
{
	unsigned gone = 0;

	for (unsigned i = 0; i < db->n;) {
		if (now_ms - db->e[i].heard_ms > lifetime_ms(&db->e[i].msg)) {
			db->e[i] = db->e[--db->n];
			gone++;
		} else {
			i++;
		}
	}
	return gone;
}
