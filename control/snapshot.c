#include "snapshot.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "node.h"
#include "peering.h"
#include "security.h"
#include "topology.h"

/* IDLE -> REQUESTED (telemetry) -> CLAIMED (control walks) -> DONE -> IDLE (telemetry). */
enum { IDLE = 0, REQUESTED, CLAIMED, DONE };

static pthread_mutex_t request_lock = PTHREAD_MUTEX_INITIALIZER;
static int state;
static enum snapshot_table req_table;
static struct snapshot_page *req_page;

int snapshot_request(enum snapshot_table table, uint32_t offset, struct snapshot_page *page)
{
	int ret = -ETIMEDOUT;

	pthread_mutex_lock(&request_lock);
	memset(page, 0, sizeof(*page));
	page->offset = offset;
	req_table = table;
	req_page = page;
	__atomic_store_n(&state, REQUESTED, __ATOMIC_RELEASE);
	for (int i = 0; i < 10000; i++) {
		if (__atomic_load_n(&state, __ATOMIC_ACQUIRE) == DONE) {
			ret = 0;
			break;
		}
		usleep(100);
	}
	/* On timeout the control thread may still be mid-walk: wait for it before the page goes away. */
	if (ret != 0) {
		int expected = REQUESTED;

		if (!__atomic_compare_exchange_n(&state, &expected, IDLE, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			while (__atomic_load_n(&state, __ATOMIC_ACQUIRE) != DONE)
				usleep(100);
	}
	__atomic_store_n(&state, IDLE, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&request_lock);
	return ret;
}

struct walk {
	struct snapshot_page *page;
	uint32_t index;
	size_t entry_size;
};

static int copy_row(const struct mac_addr *mac, void *entry, void *arg)
{
	struct walk *w = arg;
	struct snapshot_page *p = w->page;

	if (w->index++ >= p->offset && p->n < SNAPSHOT_PAGE_ROWS) {
		p->rows[p->n].mac = *mac;
		memcpy(&p->rows[p->n].fdb, entry, w->entry_size);
		p->n++;
	}
	return 0;
}

static void copy_peer(void *arg, const struct neighbour *n)
{
	struct walk *w = arg;
	struct snapshot_page *p = w->page;

	if (w->index++ >= p->offset && p->n < SNAPSHOT_PAGE_ROWS) {
		const struct mpm_peer *plink = peering_find(&n->mac);

		p->rows[p->n].mac = n->mac;
		p->rows[p->n].peer.n = *n;
		p->rows[p->n].peer.has_plink = plink != NULL;
		if (plink != NULL)
			p->rows[p->n].peer.plink = *plink;
		p->rows[p->n].peer.secure = security_peer_info(&n->mac, &p->rows[p->n].peer.sae,
							       &p->rows[p->n].peer.authenticated,
							       &p->rows[p->n].peer.keyed);
		p->n++;
	}
}

static void copy_station(void *arg, const struct station *st)
{
	struct walk *w = arg;
	struct snapshot_page *p = w->page;

	if (w->index++ >= p->offset && p->n < SNAPSHOT_PAGE_ROWS) {
		p->rows[p->n].mac = st->mac;
		p->rows[p->n].station = *st;
		p->n++;
	}
}

static void copy_topology_row(struct walk *w, const struct snapshot_topology *t)
{
	struct snapshot_page *p = w->page;

	if (w->index++ >= p->offset && p->n < SNAPSHOT_PAGE_ROWS) {
		p->rows[p->n].mac = t->origin;
		p->rows[p->n].topology = *t;
		p->n++;
	}
}

static void copy_origin(struct walk *w, const struct topology_msg *m, bool self, const struct mac_addr *from,
			uint64_t heard_ms)
{
	struct snapshot_topology t = {.kind = TOPOLOGY_ROW_NODE, .self = self, .origin = m->origin, .flags = m->flags,
				      .n_peers = m->n_peers, .n_stations = m->n_stations,
				      .interval_s = m->interval_s, .seq = m->seq, .heard_ms = heard_ms};

	if (from != NULL)
		t.other = *from;
	memcpy(t.name, m->name, sizeof(t.name));
	copy_topology_row(w, &t);
	for (unsigned i = 0; i < m->n_peers; i++)
		copy_topology_row(w, &(struct snapshot_topology){.kind = TOPOLOGY_ROW_LINK, .self = self,
								  .origin = m->origin, .other = m->peers[i].mac,
								  .metric = m->peers[i].metric});
	for (unsigned i = 0; i < m->n_stations; i++)
		copy_topology_row(w, &(struct snapshot_topology){.kind = TOPOLOGY_ROW_STATION, .self = self,
								  .origin = m->origin, .other = m->stations[i]});
}

/* This node's own view first, then every origin it heard. */
static void copy_topology(struct walk *w)
{
	const struct topology_db *db = topology_known();
	struct topology_msg own;

	topology_own(&own);
	copy_origin(w, &own, true, NULL, 0);
	for (unsigned i = 0; i < db->n; i++)
		copy_origin(w, &db->e[i].msg, false, &db->e[i].from, db->e[i].heard_ms);
}

void snapshot_serve(void)
{
	struct mac_table *t;
	struct walk w;
	int expected = REQUESTED;

	/* Claim the request so a timed-out requester knows the walk has started. */
	if (!__atomic_compare_exchange_n(&state, &expected, CLAIMED, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return;
	if (req_table == SNAPSHOT_PEERS || req_table == SNAPSHOT_STATIONS || req_table == SNAPSHOT_TOPOLOGY) {
		w.page = req_page;
		w.index = 0;
		if (req_table == SNAPSHOT_PEERS)
			neighbours_foreach(copy_peer, &w);
		else if (req_table == SNAPSHOT_STATIONS)
			stations_foreach(copy_station, &w);
		else
			copy_topology(&w);
		req_page->total = w.index;
		__atomic_store_n(&state, DONE, __ATOMIC_RELEASE);
		return;
	}
	t = req_table == SNAPSHOT_FDB ? the_node.tables.fdb : the_node.tables.paths;
	w.page = req_page;
	w.index = 0;
	w.entry_size = req_table == SNAPSHOT_FDB ? sizeof(struct fdb_entry) : sizeof(struct path_entry);
	mac_table_walk(t, copy_row, &w);
	req_page->total = t->count;
	__atomic_store_n(&state, DONE, __ATOMIC_RELEASE);
}
