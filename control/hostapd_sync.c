#include "hostapd_sync.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "control.h"
#include "events.h"
#include "hostapd_msg.h"
#include "hwmp_glue.h"
#include "log.h"
#include "neighbours.h"
#include "node.h"
#include "stations.h"

#define RETRY_MS 500
#define PING_MS 5000
#define REPLY_TIMEOUT_MS 2000
#define MAX_LISTED 256
#define MAX_QUEUED 16
#define MAX_AP_NEIGHBOURS 16
/* How often the 802.11k neighbour lists are compared with the mesh's APs. */
#define NEIGHBOUR_SYNC_MS 200

enum client_state { CLIENT_DOWN = 0, CLIENT_ATTACHING, CLIENT_RECONCILING, CLIENT_UP };

struct hostapd_client {
	unsigned port;
	int fd;
	enum client_state state;
	char local_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	uint64_t next_try_ms, last_ping_ms, cmd_sent_ms;
	char cmd[160];         /* the command awaiting its reply; "" when none */
	char queue[MAX_QUEUED][160];
	unsigned n_queued;
	struct mac_addr listed[MAX_LISTED]; /* stations hostapd listed (reconcile) or reported connected */
	unsigned n_listed;
	struct neighbour_ap ap_set[MAX_AP_NEIGHBOURS]; /* what SET_NEIGHBOR put into hostapd */
	unsigned n_ap_set;
	uint64_t last_neighbour_sync_ms;
	bool warned;
};

static struct hostapd_client clients[CONFIG_MAX_PORTS];
static unsigned n_clients;

static void close_client(struct hostapd_client *c, uint64_t now_ms)
{
	if (c->fd >= 0) {
		send(c->fd, "DETACH", 6, MSG_DONTWAIT);
		close(c->fd);
		unlink(c->local_path);
	}
	c->fd = -1;
	c->state = CLIENT_DOWN;
	c->cmd[0] = '\0';
	c->n_queued = 0;
	c->next_try_ms = now_ms + RETRY_MS;
}

static void send_cmd(struct hostapd_client *c, const char *cmd, uint64_t now_ms)
{
	if (c->cmd[0] != '\0') {
		if (c->n_queued < MAX_QUEUED)
			snprintf(c->queue[c->n_queued++], sizeof(c->queue[0]), "%s", cmd);
		return;
	}
	snprintf(c->cmd, sizeof(c->cmd), "%s", cmd);
	c->cmd_sent_ms = now_ms;
	if (send(c->fd, cmd, strlen(cmd), MSG_DONTWAIT) < 0)
		close_client(c, now_ms);
}

static void next_queued(struct hostapd_client *c, uint64_t now_ms)
{
	char cmd[sizeof(c->cmd)];

	c->cmd[0] = '\0';
	if (c->n_queued == 0)
		return;
	snprintf(cmd, sizeof(cmd), "%s", c->queue[0]);
	memmove(c->queue, c->queue + 1, (c->n_queued - 1) * sizeof(c->queue[0]));
	c->n_queued--;
	send_cmd(c, cmd, now_ms);
}

static bool listed(const struct hostapd_client *c, const struct mac_addr *mac)
{
	for (unsigned i = 0; i < c->n_listed; i++)
		if (mac_equal(&c->listed[i], mac))
			return true;
	return false;
}

bool hostapd_sync_associated(const struct mac_addr *station, unsigned port)
{
	for (unsigned i = 0; i < n_clients; i++)
		if (clients[i].port == port && listed(&clients[i], station))
			return true;
	return false;
}

bool hostapd_sync_port_up(unsigned port)
{
	for (unsigned i = 0; i < n_clients; i++)
		if (clients[i].port == port)
			return clients[i].state == CLIENT_UP;
	return false;
}

static void unlist(struct hostapd_client *c, const struct mac_addr *mac)
{
	for (unsigned i = 0; i < c->n_listed; i++)
		if (mac_equal(&c->listed[i], mac))
			c->listed[i] = c->listed[--c->n_listed];
}

/* The XID "layer-2 update" an AP sends for a new station: 802.2 LLC, broadcast, station as source.
 * Injected as if the station had sent it on the access port, it takes the ordinary path: flooded to
 * the other local ports and into the mesh as a group frame whose AE A4 tells every node where the
 * station now is. */
static void announce(unsigned port, const struct mac_addr *station)
{
	static const uint8_t xid[] = {0x00, 0x01, 0xaf, 0x81, 0x01, 0x00};
	struct rte_mbuf *m = rte_pktmbuf_alloc(the_node.pool);
	uint8_t *p;

	if (m == NULL || (p = (uint8_t *)rte_pktmbuf_append(m, 60)) == NULL) {
		rte_pktmbuf_free(m);
		control_count(CONTROL_drop_tx_no_mbuf);
		return;
	}
	memset(p, 0, 60);
	memset(p, 0xff, MAC_LEN);
	mac_write(p + 6, station);
	p[13] = sizeof(xid);
	memcpy(p + 14, xid, sizeof(xid));
	m->hash.usr = port;
	if (rte_ring_sp_enqueue(the_node.reinject_ring, m) != 0) {
		rte_pktmbuf_free(m);
		control_count(CONTROL_drop_reinject_full);
		return;
	}
	control_count(CONTROL_station_announcements);
}

/* Local stations that an AP's hostapd reported associated (not ones learned from traffic, which the
 * mesh learns from that traffic; not ones that roamed away meanwhile: those are remote now). */
static void reannounce(void *arg, const struct station *s)
{
	(void)arg;
	if (!s->local)
		return;
	for (unsigned i = 0; i < n_clients; i++)
		if (clients[i].port == s->port && listed(&clients[i], &s->mac)) {
			announce(s->port, &s->mac);
			return;
		}
}

/* The other side of a new link reaches ESTAB and installs its keys about when we do: 200 ms is ample
 * on a loaded machine, and later peers in the same window share one round of announcements. */
#define REANNOUNCE_DELAY_MS 200
static uint64_t reannounce_at_ms; /* 0: none pending */

void hostapd_sync_reannounce_local(uint64_t now_ms)
{
	if (reannounce_at_ms == 0)
		reannounce_at_ms = now_ms + REANNOUNCE_DELAY_MS;
}

static void log_station(enum event_type type, const struct mac_addr *mac, unsigned port, uint64_t now_ms)
{
	struct event_body e = {.time_ms = now_ms, .type = type, .mac = *mac, .port = (uint8_t)port,
			       .old_port = EVENT_NO_PORT};

	events_log(&e);
}

static void station_connected(struct hostapd_client *c, const struct mac_addr *mac, uint64_t now_ms)
{
	struct fdb_entry e;
	char text[MAC_STR_LEN];

	if (!listed(c, mac) && c->n_listed < MAX_LISTED)
		c->listed[c->n_listed++] = *mac;
	memset(&e, 0, sizeof(e));
	e.kind = FDB_ACCESS;
	e.port = (uint8_t)c->port;
	e.last_seen_s = now_ms / 1000;
	/* Reserved room: a MAC flood must not keep an associated station out. */
	mac_table_put(the_node.tables.fdb, mac, &e, true);
	hwmp_glue_local_station(mac, true);
	stations_set_local(mac, c->port, now_ms);
	announce(c->port, mac);
	control_count(CONTROL_stations_connected);
	log_station(EVENT_station_connected, mac, c->port, now_ms);
	LOG_INFO("station %s associated on %s", mac_format(mac, text), the_node.cfg.ports[c->port].name);
}

static void station_disconnected(struct hostapd_client *c, const struct mac_addr *mac)
{
	const struct fdb_entry *e = mac_table_lookup(the_node.tables.fdb, mac);
	const struct station *s = stations_find(mac);

	unlist(c, mac);
	control_count(CONTROL_stations_disconnected);
	log_station(EVENT_station_disconnected, mac, c->port, node_now_ms());
	/* Unless another node has taken the station already. */
	if (e != NULL && e->kind == FDB_ACCESS && e->port == c->port) {
		mac_table_remove(the_node.tables.fdb, mac);
		hwmp_glue_local_station(mac, false);
	}
	if (s != NULL && s->local && s->port == c->port)
		stations_remove(mac);
}

struct gone_collect {
	const struct hostapd_client *client;
	struct mac_addr gone[MAX_LISTED];
	unsigned n;
};

/* Local stations of the client's port that hostapd no longer lists. */
static void collect_gone(void *arg, const struct station *s)
{
	struct gone_collect *col = arg;

	if (s->local && s->port == col->client->port && !listed(col->client, &s->mac) && col->n < MAX_LISTED)
		col->gone[col->n++] = s->mac;
}

/* After a (re-)attach: what hostapd lists now is the truth for this port. */
static void reconcile(struct hostapd_client *c, uint64_t now_ms)
{
	struct gone_collect col = {.client = c, .n = 0};

	for (unsigned i = 0; i < c->n_listed; i++) {
		const struct fdb_entry *e = mac_table_lookup(the_node.tables.fdb, &c->listed[i]);

		if (e == NULL || e->kind != FDB_ACCESS || e->port != c->port)
			station_connected(c, &c->listed[i], now_ms);
	}
	/* Stations that left while we were not attached. */
	stations_foreach(collect_gone, &col);
	for (unsigned i = 0; i < col.n; i++)
		station_disconnected(c, &col.gone[i]);
	control_count(CONTROL_hostapd_reconciled);
}

/* SHOW_NEIGHBOR reply: one "<bssid> ssid=<hex> nr=<hex>" line per entry. The entries' details are
 * not kept: they compare unequal to what the mesh wants, so the next sync rewrites or removes them. */
static void read_neighbour_list(struct hostapd_client *c, const char *raw, size_t len)
{
	size_t off = 0;

	c->n_ap_set = 0;
	while (off + MAC_STR_LEN - 1 <= len && c->n_ap_set < MAX_AP_NEIGHBOURS) {
		char text[MAC_STR_LEN];
		const char *nl = memchr(raw + off, '\n', len - off);
		struct neighbour_ap ap;

		memcpy(text, raw + off, MAC_STR_LEN - 1);
		text[MAC_STR_LEN - 1] = '\0';
		memset(&ap, 0, sizeof(ap));
		if (mac_parse(text, &ap.bssid) == 0)
			c->ap_set[c->n_ap_set++] = ap;
		if (nl == NULL)
			break;
		off = (size_t)(nl - raw) + 1;
	}
}

static void handle_reply(struct hostapd_client *c, const struct hostapd_msg *m, const char *raw, size_t raw_len,
			 uint64_t now_ms)
{
	char next[64], text[MAC_STR_LEN];

	if (strcmp(c->cmd, "ATTACH") == 0) {
		if (m->kind != HOSTAPD_MSG_OK) {
			close_client(c, now_ms);
			return;
		}
		LOG_NOTICE("port %s: attached to hostapd", the_node.cfg.ports[c->port].name);
		control_count(CONTROL_hostapd_attached);
		c->state = CLIENT_RECONCILING;
		c->n_listed = 0;
		c->n_ap_set = 0; /* until SHOW_NEIGHBOR (after the reconcile) says what hostapd has */
		c->cmd[0] = '\0';
		send_cmd(c, "STA-FIRST", now_ms);
		return;
	}
	if (strncmp(c->cmd, "STA-", 4) == 0) {
		if (m->kind == HOSTAPD_MSG_STATION) {
			if (!listed(c, &m->mac) && c->n_listed < MAX_LISTED)
				c->listed[c->n_listed++] = m->mac;
			snprintf(next, sizeof(next), "STA-NEXT %s", mac_format(&m->mac, text));
			c->cmd[0] = '\0';
			send_cmd(c, next, now_ms);
			return;
		}
		c->state = CLIENT_UP;
		reconcile(c, now_ms);
		/* hostapd may have kept entries from before (we re-attached, it did not restart): read them,
		 * so the sync removes what the mesh no longer reaches. */
		c->cmd[0] = '\0';
		send_cmd(c, "SHOW_NEIGHBOR", now_ms);
		return;
	}
	if (strcmp(c->cmd, "SHOW_NEIGHBOR") == 0 && m->kind != HOSTAPD_MSG_FAIL)
		read_neighbour_list(c, raw, raw_len);
	next_queued(c, now_ms);
}

static void handle_event(struct hostapd_client *c, const struct hostapd_msg *m, uint64_t now_ms)
{
	switch (m->kind) {
	case HOSTAPD_MSG_STA_CONNECTED:
		station_connected(c, &m->mac, now_ms);
		break;
	case HOSTAPD_MSG_STA_DISCONNECTED:
		station_disconnected(c, &m->mac);
		break;
	case HOSTAPD_MSG_TERMINATING:
		LOG_NOTICE("port %s: hostapd is terminating; re-attaching when it comes back",
			   the_node.cfg.ports[c->port].name);
		close_client(c, now_ms);
		break;
	default:
		break;
	}
}

static void try_connect(struct hostapd_client *c, uint64_t now_ms)
{
	const struct port_config *pc = &the_node.cfg.ports[c->port];
	struct sockaddr_un local = {.sun_family = AF_UNIX}, remote = {.sun_family = AF_UNIX};
	char dir[64]; /* "/run/meshplane/" + a file prefix of at most 31 characters */

	c->next_try_ms = now_ms + RETRY_MS;
	snprintf(dir, sizeof(dir), "/run/meshplane/%s", the_node.cfg.node.file_prefix);
	mkdir("/run/meshplane", 0755);
	mkdir(dir, 0700);
	snprintf(c->local_path, sizeof(c->local_path), "%s/hostapd-%s.sock", dir, pc->name);
	snprintf(local.sun_path, sizeof(local.sun_path), "%s", c->local_path);
	snprintf(remote.sun_path, sizeof(remote.sun_path), "%s", pc->hostapd_ctrl);
	unlink(c->local_path);
	c->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || bind(c->fd, (struct sockaddr *)&local, sizeof(local)) < 0 ||
	    chmod(c->local_path, 0600) < 0 || connect(c->fd, (struct sockaddr *)&remote, sizeof(remote)) < 0) {
		if (!c->warned)
			LOG_WARN("port %s: hostapd control socket %s: %s (retrying every %d ms)", pc->name,
				 pc->hostapd_ctrl, strerror(errno), RETRY_MS);
		c->warned = true;
		if (c->fd >= 0)
			close(c->fd);
		c->fd = -1;
		unlink(c->local_path);
		return;
	}
	c->warned = false;
	c->state = CLIENT_ATTACHING;
	c->last_ping_ms = now_ms;
	send_cmd(c, "ATTACH", now_ms);
}

void hostapd_sync_init(void)
{
	n_clients = 0;
	reannounce_at_ms = 0;
	for (unsigned p = 0; p < the_node.cfg.n_ports; p++) {
		const struct port_config *pc = &the_node.cfg.ports[p];

		if (pc->role != PORT_ROLE_ACCESS || pc->hostapd_ctrl[0] == '\0')
			continue;
		memset(&clients[n_clients], 0, sizeof(clients[0]));
		clients[n_clients].port = p;
		clients[n_clients].fd = -1;
		n_clients++;
	}
}

struct ap_wanted {
	const struct mac_addr *own_bssid;
	struct neighbour_ap aps[MAX_AP_NEIGHBOURS];
	unsigned n;
};

static void collect_ap(void *arg, const struct neighbour *n)
{
	struct ap_wanted *w = arg;

	if (n->established && n->ap.present && !mac_equal(&n->ap.bssid, w->own_bssid) && w->n < MAX_AP_NEIGHBOURS)
		w->aps[w->n++] = n->ap;
}

static bool ap_in(const struct neighbour_ap *set, unsigned n, const struct neighbour_ap *ap)
{
	for (unsigned i = 0; i < n; i++)
		if (mac_equal(&set[i].bssid, &ap->bssid) && set[i].op_class == ap->op_class &&
		    set[i].channel == ap->channel && strcmp(set[i].ssid, ap->ssid) == 0)
			return true;
	return false;
}

/* 802.11k: hostapd's neighbour list = the APs of the mesh nodes we peer with (they announce them in
 * their beacons). The Neighbor Report body: BSSID, BSSID information (reachable, security, key
 * scope), operating class, channel, PHY type (HT). */
static void sync_neighbour_list(struct hostapd_client *c, uint64_t now_ms)
{
	struct ap_wanted want = {.own_bssid = &the_node.cfg.ports[c->port].ap.bssid, .n = 0};
	char cmd[160], bssid[MAC_STR_LEN];

	neighbours_foreach(collect_ap, &want);
	for (unsigned i = 0; i < c->n_ap_set; i++) {
		if (ap_in(want.aps, want.n, &c->ap_set[i]))
			continue;
		snprintf(cmd, sizeof(cmd), "REMOVE_NEIGHBOR %s", mac_format(&c->ap_set[i].bssid, bssid));
		send_cmd(c, cmd, now_ms);
		control_count(CONTROL_ap_neighbours_removed);
		c->ap_set[i--] = c->ap_set[--c->n_ap_set];
	}
	for (unsigned i = 0; i < want.n; i++) {
		const struct neighbour_ap *ap = &want.aps[i];
		const uint8_t *b = ap->bssid.bytes;

		if (ap_in(c->ap_set, c->n_ap_set, ap) || c->n_ap_set == MAX_AP_NEIGHBOURS)
			continue;
		snprintf(cmd, sizeof(cmd), "SET_NEIGHBOR %s ssid=\"%s\" nr=%02x%02x%02x%02x%02x%02x0f000000%02x%02x07",
			 mac_format(&ap->bssid, bssid), ap->ssid, b[0], b[1], b[2], b[3], b[4], b[5], ap->op_class,
			 ap->channel);
		send_cmd(c, cmd, now_ms);
		control_count(CONTROL_ap_neighbours_set);
		c->ap_set[c->n_ap_set++] = *ap;
	}
}

void hostapd_sync_poll(uint64_t now_ms)
{
	if (reannounce_at_ms != 0 && now_ms >= reannounce_at_ms) {
		reannounce_at_ms = 0;
		stations_foreach(reannounce, NULL);
	}
	for (unsigned i = 0; i < n_clients; i++) {
		struct hostapd_client *c = &clients[i];
		char buf[4096];
		ssize_t n;

		if (c->state == CLIENT_DOWN) {
			if (now_ms >= c->next_try_ms)
				try_connect(c, now_ms);
			continue;
		}
		while (c->fd >= 0 && (n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT)) >= 0) {
			struct hostapd_msg m;

			hostapd_msg_parse(buf, (size_t)n, &m);
			if (m.is_event)
				handle_event(c, &m, now_ms);
			else if (c->cmd[0] != '\0')
				handle_reply(c, &m, buf, (size_t)n, now_ms);
		}
		if (c->fd >= 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
			close_client(c, now_ms); /* hostapd went away (ECONNREFUSED) */
			continue;
		}
		if (c->fd < 0)
			continue;
		if (c->cmd[0] != '\0' && now_ms - c->cmd_sent_ms > REPLY_TIMEOUT_MS) {
			LOG_WARN("port %s: hostapd did not answer \"%s\"; reconnecting", the_node.cfg.ports[c->port].name,
				 c->cmd);
			close_client(c, now_ms);
		} else if (c->state == CLIENT_UP && c->cmd[0] == '\0' && now_ms - c->last_ping_ms >= PING_MS) {
			c->last_ping_ms = now_ms;
			send_cmd(c, "PING", now_ms);
		}
		if (c->state == CLIENT_UP && now_ms - c->last_neighbour_sync_ms >= NEIGHBOUR_SYNC_MS) {
			c->last_neighbour_sync_ms = now_ms;
			sync_neighbour_list(c, now_ms);
		}
	}
}

void hostapd_sync_station_moved(const struct mac_addr *station)
{
	char cmd[64], text[MAC_STR_LEN];

	for (unsigned i = 0; i < n_clients; i++) {
		struct hostapd_client *c = &clients[i];

		if (c->state == CLIENT_DOWN || !listed(c, station))
			continue;
		snprintf(cmd, sizeof(cmd), "DEAUTHENTICATE %s", mac_format(station, text));
		send_cmd(c, cmd, node_now_ms());
		unlist(c, station);
		control_count(CONTROL_stations_deauthenticated);
		log_station(EVENT_station_steered, station, c->port, node_now_ms());
	}
}

void hostapd_sync_fini(void)
{
	char dir[64];

	for (unsigned i = 0; i < n_clients; i++)
		close_client(&clients[i], 0);
	/* Our sockets' directory goes with them, unless something else lives there too (the lab puts
	 * hostapd's own control sockets in it): rmdir removes only an empty one. */
	if (n_clients > 0) {
		snprintf(dir, sizeof(dir), "/run/meshplane/%s", the_node.cfg.node.file_prefix);
		rmdir(dir);
	}
}
