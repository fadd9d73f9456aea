#include "topology.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "control.h"
#include "mesh_echo.h"
#include "neighbours.h"
#include "node.h"
#include "stations.h"
#include "tx.h"

static struct topology_db db;
static uint32_t own_seq;
static uint64_t next_announce_ms;

void topology_init(uint64_t now_ms)
{
	topology_db_init(&db);
	/* A restarted node must not be ignored as "older" until its old announcements expire: start the
	 * counter from the wall clock, which grows faster than one announcement per second. */
	own_seq = (uint32_t)time(NULL);
	next_announce_ms = now_ms + (uint64_t)the_node.cfg.telemetry.topology_interval_s * 1000;
}

static void add_peer(void *arg, const struct neighbour *n)
{
	struct topology_msg *m = arg;

	if (!n->established)
		return;
	if (m->n_peers == TOPOLOGY_PEERS_MAX) {
		m->flags |= TOPOLOGY_FLAG_TRUNCATED;
		return;
	}
	m->peers[m->n_peers].mac = n->mac;
	m->peers[m->n_peers].metric = n->metric;
	m->n_peers++;
}

static void add_station(void *arg, const struct station *s)
{
	struct topology_msg *m = arg;

	if (!s->local)
		return;
	if (m->n_stations == TOPOLOGY_STATIONS_MAX) {
		m->flags |= TOPOLOGY_FLAG_TRUNCATED;
		return;
	}
	m->stations[m->n_stations++] = s->mac;
}

void topology_own(struct topology_msg *out)
{
	memset(out, 0, sizeof(*out));
	out->origin = the_node.cfg.node.mesh_mac;
	out->seq = own_seq;
	out->interval_s = the_node.cfg.telemetry.topology_interval_s;
	out->flags = the_node.cfg.mesh.gate ? TOPOLOGY_FLAG_GATE : 0;
	snprintf(out->name, sizeof(out->name), "%s", the_node.cfg.node.name);
	neighbours_foreach(add_peer, out);
	stations_foreach(add_station, out);
}

const struct topology_db *topology_known(void)
{
	return &db;
}

struct fanout {
	const uint8_t *payload;
	size_t len;
	const struct mac_addr *skip1, *skip2;
	enum control_counter counter;
};

/* One copy to every established peer that understands announcements, but the ones to skip (where it
 * came from, and its origin). */
static void send_to_peer(void *arg, const struct neighbour *n)
{
	struct fanout *f = arg;

	if (!n->established || !(n->ext_flags & MESH_EXT_TOPOLOGY) ||
	    (f->skip1 != NULL && mac_equal(&n->mac, f->skip1)) || (f->skip2 != NULL && mac_equal(&n->mac, f->skip2)))
		return;
	if (control_tx_mesh_data(n->port, &n->mac, &n->mac, the_node.cfg.mesh.ttl, MESH_ECHO_ETHERTYPE, f->payload,
				 f->len) == 0)
		control_count(f->counter);
}

void topology_tick(uint64_t now_ms)
{
	uint8_t payload[TOPOLOGY_MSG_MAX_LEN];
	struct topology_msg m;
	struct fanout f;
	int len;

	if (now_ms < next_announce_ms)
		return;
	/* Turned off by a reload: what was heard still expires (checked once a second). */
	if (the_node.cfg.telemetry.topology_interval_s == 0) {
		next_announce_ms = now_ms + 1000;
		topology_db_expire(&db, now_ms);
		return;
	}
	next_announce_ms = now_ms + (uint64_t)the_node.cfg.telemetry.topology_interval_s * 1000;
	topology_db_expire(&db, now_ms);
	own_seq++;
	topology_own(&m);
	len = topology_msg_encode(payload, sizeof(payload), &m);
	if (len < 0)
		return;
	f = (struct fanout){.payload = payload, .len = (size_t)len, .counter = CONTROL_topology_tx};
	neighbours_foreach(send_to_peer, &f);
}

void topology_handle(const struct frame_view *v, const uint8_t *body, size_t len, uint64_t now_ms)
{
	const struct neighbour *from = neighbours_find(&v->data.addr2);
	uint8_t payload[TOPOLOGY_MSG_MAX_LEN];
	struct topology_msg m;
	struct fanout f;
	int out_len;

	control_count(CONTROL_topology_rx);
	if (the_node.cfg.telemetry.topology_interval_s == 0) {
		control_count(CONTROL_topology_ignored);
		return;
	}
	/* Only a peer's own hop: an announcement has no business travelling along paths. */
	if (from == NULL || !mac_equal(&v->data.addr4, &v->data.addr2) || topology_msg_decode(body, len, &m) < 0) {
		control_count(CONTROL_topology_malformed);
		return;
	}
	if (mac_equal(&m.origin, &the_node.cfg.node.mesh_mac)) {
		control_count(CONTROL_topology_old);
		return;
	}
	switch (topology_db_update(&db, &m, &from->mac, now_ms)) {
	case TOPOLOGY_OLD:
		control_count(CONTROL_topology_old);
		return;
	case TOPOLOGY_FULL:
		control_count(CONTROL_topology_table_full);
		return;
	case TOPOLOGY_NEW:
		break;
	}
	out_len = topology_msg_encode(payload, sizeof(payload), &m);
	if (out_len < 0)
		return;
	f = (struct fanout){.payload = payload, .len = (size_t)out_len, .skip1 = &from->mac, .skip2 = &m.origin,
			    .counter = CONTROL_topology_relayed};
	neighbours_foreach(send_to_peer, &f);
}
