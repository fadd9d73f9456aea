/* /meshplane/events[,SINCE]: the control thread's event log (control/events.h) for meshctl monitor. */
#include "telemetry_events.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_telemetry.h>

#include "events.h"
#include "node.h"

/* Events per reply: each row is about 200 bytes of JSON and a reply holds at most 16 KiB. */
#define EVENTS_PER_REPLY 48

static void add_port(struct rte_tel_data *row, const char *key, uint8_t port)
{
	if (port != EVENT_NO_PORT && port < the_node.cfg.n_ports)
		rte_tel_data_add_dict_string(row, key, the_node.cfg.ports[port].name);
}

static void add_mac(struct rte_tel_data *row, const char *key, const struct mac_addr *mac)
{
	char text[MAC_STR_LEN];

	rte_tel_data_add_dict_string(row, key, mac_format(mac, text));
}

/* One event as a dict whose keys say what its addresses are (the JSON lines of meshctl monitor). */
static void event_row(struct rte_tel_data *row, const struct event *ev, uint64_t now_ms)
{
	const struct event_body *b = &ev->body;
	enum event_type t = (enum event_type)b->type;

	rte_tel_data_start_dict(row);
	rte_tel_data_add_dict_u64(row, "seq", ev->seq);
	rte_tel_data_add_dict_string(row, "event", event_type_name(t));
	rte_tel_data_add_dict_u64(row, "time_ms", b->time_ms);
	rte_tel_data_add_dict_u64(row, "age_ms", now_ms > b->time_ms ? now_ms - b->time_ms : 0);
	switch (t) {
	case EVENT_peer_up:
	case EVENT_peer_down:
		add_mac(row, "peer", &b->mac);
		add_port(row, "port", b->port);
		if (t == EVENT_peer_up)
			rte_tel_data_add_dict_u64(row, "metric", b->metric);
		break;
	case EVENT_peer_moved:
		add_mac(row, "peer", &b->mac);
		add_port(row, "from_port", b->old_port);
		add_port(row, "port", b->port);
		rte_tel_data_add_dict_u64(row, "old_metric", b->old_metric);
		rte_tel_data_add_dict_u64(row, "metric", b->metric);
		break;
	case EVENT_path_new:
	case EVENT_path_changed:
	case EVENT_path_removed:
		add_mac(row, "dest", &b->mac);
		if (t != EVENT_path_new) {
			add_mac(row, "old_next_hop", &b->old_addr);
			rte_tel_data_add_dict_u64(row, "old_metric", b->old_metric);
		}
		if (t != EVENT_path_removed) {
			add_mac(row, "next_hop", &b->addr);
			add_port(row, "port", b->port);
			rte_tel_data_add_dict_u64(row, "metric", b->metric);
			rte_tel_data_add_dict_int(row, "hops", b->hops);
		}
		break;
	case EVENT_discovery_failed:
		add_mac(row, "dest", &b->mac);
		break;
	case EVENT_station_moved:
		add_mac(row, "station", &b->mac);
		if (b->old_port != EVENT_NO_PORT)
			add_port(row, "from_port", b->old_port);
		else
			add_mac(row, "from_node", &b->old_addr);
		if (b->port != EVENT_NO_PORT)
			add_port(row, "to_port", b->port);
		else
			add_mac(row, "to_node", &b->addr);
		break;
	case EVENT_station_connected:
	case EVENT_station_disconnected:
	case EVENT_station_steered:
		add_mac(row, "station", &b->mac);
		add_port(row, "port", b->port);
		break;
	case EVENT_link_down:
	case EVENT_link_up:
		add_port(row, "port", b->port);
		break;
	case EVENT_TYPE_COUNT:
		break;
	}
}

static int cmd_events(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	struct event evs[EVENTS_PER_REPLY];
	uint64_t since = 0, next, lost, now_ms;
	unsigned n;
	char *end;

	if (params != NULL && params[0] != '\0') {
		since = strtoull(params, &end, 10);
		if (*end != '\0')
			return -EINVAL;
	}
	n = events_read(since, evs, EVENTS_PER_REPLY, &next, &lost);
	now_ms = node_now_ms();
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "next_seq", next);
	rte_tel_data_add_dict_u64(d, "head_seq", events_next_seq());
	rte_tel_data_add_dict_u64(d, "lost", lost);
	rte_tel_data_add_dict_u64(d, "count", n);
	rte_tel_data_add_dict_u64(d, "uptime_ms", now_ms);
	for (unsigned i = 0; i < n; i++) {
		struct rte_tel_data *row = rte_tel_data_alloc();
		char key[24];

		if (row == NULL)
			return -ENOMEM;
		event_row(row, &evs[i], now_ms);
		snprintf(key, sizeof(key), "%llu", (unsigned long long)evs[i].seq);
		if (rte_tel_data_add_dict_container(d, key, row, 0) != 0) {
			rte_tel_data_free(row);
			return -EINVAL;
		}
	}
	return 0;
}

int telemetry_events_register(void)
{
	return rte_telemetry_register_cmd("/meshplane/events", cmd_events,
					  "Peer, path, station and link events, 48 a reply. Parameter: SINCE seq (default: oldest)");
}
