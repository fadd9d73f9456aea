#include "neighbours.h"

#include <string.h>

#include "airtime.h"
#include "control.h"
#include "log.h"
#include "mesh_heard.h"
#include "node.h"
#include "peering.h"
#include "tx.h"

/* A link that loses 90 % still has a finite metric, so HWMP prefers any better path but keeps it. */
#define LOSS_CAP_PPM 900000u
/* Until its first beacon says otherwise, a neighbour heard only through peering frames is given the
 * longest beacon interval in common use (Linux's mesh default): with ours it would be lost before
 * a Linux peer's next beacon, 1024 ms away. */
#define UNKNOWN_INTERVAL_TU 1000

static struct neighbour table[NEIGHBOURS_MAX];
static struct neighbour_events events;
static uint64_t next_beacon_ms[CONFIG_MAX_PORTS];
static uint16_t beacon_seq[CONFIG_MAX_PORTS]; /* one counter per port: a receiver on one port sees them all */

/* Vendor-specific element carrying the node's AP (mesh_ies.h has the Company ID): type 1; then BSSID,
 * operating class, channel, SSID length, SSID. */
static const uint8_t ap_element_oui[3] = {MESHPLANE_OUI0, MESHPLANE_OUI1, MESHPLANE_OUI2};

/* Writes our AP element (the first access port with an "ap" block); returns its length, 0 if none. */
static size_t ap_element(uint8_t *out, size_t cap)
{
	for (unsigned p = 0; p < the_node.cfg.n_ports; p++) {
		const struct ap_config *ap = &the_node.cfg.ports[p].ap;
		size_t ssid_len = strlen(ap->ssid), body = 4 + 6 + 3 + ssid_len;

		if (the_node.cfg.ports[p].role != PORT_ROLE_ACCESS || !ap->present || cap < 2 + body)
			continue;
		out[0] = WLAN_EID_VENDOR;
		out[1] = (uint8_t)body;
		memcpy(out + 2, ap_element_oui, 3);
		out[5] = MESHPLANE_VENDOR_AP;
		mac_write(out + 6, &ap->bssid);
		out[12] = ap->op_class;
		out[13] = ap->channel;
		out[14] = (uint8_t)ssid_len;
		memcpy(out + 15, ap->ssid, ssid_len);
		return 2 + body;
	}
	return 0;
}

/* Reads a peer's AP element from its beacon's elements, if it carries one. */
static void read_ap_element(const struct beacon *b, struct neighbour_ap *ap)
{
	struct ie_iter it;
	struct ie e;

	memset(ap, 0, sizeof(*ap));
	ie_iter_init(&it, b->ies, b->ies_len);
	while (ie_iter_next(&it, &e) == 1) {
		if (!mesh_vendor_is(&e, MESHPLANE_VENDOR_AP) || e.len < 13 || e.data[12] > 32 || e.len < 13 + e.data[12])
			continue;
		mac_read(&ap->bssid, e.data + 4);
		ap->op_class = e.data[10];
		ap->channel = e.data[11];
		memcpy(ap->ssid, e.data + 13, e.data[12]);
		ap->ssid[e.data[12]] = '\0';
		ap->present = true;
		return;
	}
}

static uint64_t tu_to_ms(uint32_t tu)
{
	uint64_t ms = (uint64_t)tu * 1024 / 1000;

	return ms == 0 ? 1 : ms;
}

/* DSSS rates (1, 2, 5.5, 11 Mb/s) pay the long preamble; everything else is OFDM. */
uint32_t neighbours_link_metric(uint32_t rate_100kbps, uint32_t loss_ppm)
{
	bool dsss = rate_100kbps == 10 || rate_100kbps == 20 || rate_100kbps == 55 || rate_100kbps == 110;
	uint32_t loss = loss_ppm > LOSS_CAP_PPM ? LOSS_CAP_PPM : loss_ppm;

	if (the_node.cfg.mesh.airtime_units == AIRTIME_UNITS_MAC80211)
		return airtime_metric_mac80211(rate_100kbps, loss);
	return airtime_metric(rate_100kbps, loss, dsss ? AIRTIME_OVERHEAD_DSSS_US : AIRTIME_OVERHEAD_OFDM_US);
}

uint32_t neighbours_port_metric(unsigned port, uint32_t rate_100kbps, uint32_t loss_ppm)
{
	const struct port_config *pc = &the_node.cfg.ports[port];
	uint32_t loss = loss_ppm > LOSS_CAP_PPM ? LOSS_CAP_PPM : loss_ppm;

	if (!pc->wired)
		return neighbours_link_metric(rate_100kbps, loss_ppm);
	if (pc->path_cost != 0)
		return pc->path_cost;
	/* Linux's formula has no overhead term to drop: its 1 us floor is all a wire pays there too. */
	if (the_node.cfg.mesh.airtime_units == AIRTIME_UNITS_MAC80211)
		return airtime_metric_mac80211(rate_100kbps, loss);
	return airtime_metric(rate_100kbps, loss, 0);
}

bool neighbours_has_link(const struct neighbour *n, unsigned port)
{
	for (unsigned i = 0; i < n->n_links; i++)
		if (n->links[i].port == port)
			return true;
	return false;
}

unsigned neighbours_count(unsigned port)
{
	unsigned n = 0;

	for (unsigned i = 0; i < NEIGHBOURS_MAX; i++)
		n += table[i].active && table[i].established && neighbours_has_link(&table[i], port);
	return n;
}

bool neighbours_port_extended(unsigned port)
{
	unsigned peers = 0;

	if (!the_node.cfg.peering.hwmp_extensions)
		return false;
	for (unsigned i = 0; i < NEIGHBOURS_MAX; i++) {
		if (!table[i].active || !table[i].established || !neighbours_has_link(&table[i], port))
			continue;
		if (!(table[i].ext_flags & MESH_EXT_HWMP))
			return false;
		peers++;
	}
	/* Without any peer on the port, Linux's forms: whoever hears the frame, none said it understands more. */
	return peers > 0;
}

static struct neighbour *find_any(const struct mac_addr *mac)
{
	for (unsigned i = 0; i < NEIGHBOURS_MAX; i++)
		if (table[i].active && mac_equal(&table[i].mac, mac))
			return &table[i];
	return NULL;
}

const struct neighbour *neighbours_find_any(const struct mac_addr *mac)
{
	return find_any(mac);
}

const struct neighbour *neighbours_find(const struct mac_addr *mac)
{
	const struct neighbour *n = find_any(mac);

	return n != NULL && n->established ? n : NULL;
}

void neighbours_foreach(void (*fn)(void *arg, const struct neighbour *n), void *arg)
{
	for (unsigned i = 0; i < NEIGHBOURS_MAX; i++)
		if (table[i].active)
			fn(arg, &table[i]);
}

/* Beacons (hellos) a neighbour may miss on port before it is lost there. */
static uint32_t loss_limit(unsigned port)
{
	const struct port_config *pc = &the_node.cfg.ports[port];

	return pc->wired ? pc->hello_loss_limit : the_node.cfg.mesh.beacon_loss_limit;
}

/* Our beacon interval on port, in TU (a wired port's hello interval). */
static uint16_t own_interval_tu(unsigned port)
{
	const struct port_config *pc = &the_node.cfg.ports[port];
	uint32_t tu = (uint32_t)pc->hello_interval_ms * 1000 / 1024;

	if (!pc->wired)
		return the_node.cfg.mesh.beacon_interval_tu;
	return (uint16_t)(tu == 0 ? 1 : tu);
}

/* The summary fields of n are those of its link l. */
static void use_link(struct neighbour *n, const struct neighbour_link *l)
{
	n->port = l->port;
	n->interval_tu = l->interval_tu;
	n->last_heard_ms = l->last_heard_ms;
	n->last_beacon_ms = l->last_beacon.heard_ms;
	n->beacons = l->beacons;
	n->rate_100kbps = l->rate_100kbps;
	n->loss_ppm = l->loss_ppm;
	n->metric = l->metric;
	n->signal_dbm = l->signal_dbm;
	n->has_signal = l->has_signal;
}

/* True when link a is to be preferred to link b: one the far end hears us on before one it does not,
 * then the lower metric, a tie keeping the port in use (no flapping between equals). */
static bool better_link(const struct neighbour_link *a, const struct neighbour_link *b, unsigned in_use)
{
	if (a->one_way != b->one_way)
		return !a->one_way;
	return a->metric < b->metric || (a->metric == b->metric && a->port == in_use);
}

/* Uses the best link (better_link). A peer whose traffic changes port is reported (moved). */
static void choose_link(struct neighbour *n, uint64_t now_ms)
{
	unsigned best = 0, old_port = n->port;

	for (unsigned i = 1; i < n->n_links; i++)
		if (better_link(&n->links[i], &n->links[best], old_port))
			best = i;
	use_link(n, &n->links[best]);
	if (n->port != old_port && n->established && events.moved != NULL) {
		control_count(CONTROL_peer_link_changes);
		events.moved(events.ctx, n, old_port, now_ms);
	}
}

/* n's link on port, added when new; NULL when n has NEIGHBOUR_LINKS_MAX already (counted). */
static struct neighbour_link *link_on(struct neighbour *n, unsigned port, uint64_t now_ms)
{
	struct neighbour_link *l;

	for (unsigned i = 0; i < n->n_links; i++)
		if (n->links[i].port == port)
			return &n->links[i];
	if (n->n_links == NEIGHBOUR_LINKS_MAX) {
		control_count(CONTROL_neighbour_links_full);
		return NULL;
	}
	l = &n->links[n->n_links++];
	memset(l, 0, sizeof(*l));
	l->port = (uint8_t)port;
	l->last_heard_ms = now_ms;
	/* Until its first beacon says otherwise (radio: see UNKNOWN_INTERVAL_TU; a wire: ours). */
	l->interval_tu = the_node.cfg.ports[port].wired ? own_interval_tu(port)
			 : the_node.cfg.mesh.beacon_interval_tu > UNKNOWN_INTERVAL_TU ? the_node.cfg.mesh.beacon_interval_tu
											 : UNKNOWN_INTERVAL_TU;
	l->rate_100kbps = the_node.cfg.ports[port].link_rate_100kbps;
	l->metric = neighbours_port_metric(port, l->rate_100kbps, 0);
	return l;
}

/* True when a beacon of n was heard on any of its links. */
static bool beaconed(const struct neighbour *n)
{
	for (unsigned i = 0; i < n->n_links; i++)
		if (n->links[i].beacons > 0)
			return true;
	return false;
}

/* Removes link i of n (its port went silent or lost carrier). */
static void remove_link(struct neighbour *n, unsigned i)
{
	n->links[i] = n->links[--n->n_links];
	control_count(CONTROL_neighbour_links_lost);
}

/* A new entry for mac on port, or NULL when the table is full (counted). */
static struct neighbour *create(unsigned port, const struct mac_addr *mac, uint64_t now_ms)
{
	for (unsigned i = 0; i < NEIGHBOURS_MAX; i++) {
		struct neighbour *n = &table[i];

		if (n->active)
			continue;
		memset(n, 0, sizeof(*n));
		n->mac = *mac;
		n->port = (uint8_t)port;
		n->since_ms = now_ms;
		use_link(n, link_on(n, port, now_ms));
		n->active = true;
		return n;
	}
	control_count(CONTROL_neighbours_table_full);
	return NULL;
}

static void note_radio(struct neighbour_link *l, const struct radiotap_info *rt)
{
	l->rate_100kbps = rt->has_rate ? (uint32_t)rt->rate_500kbps * 5 : the_node.cfg.ports[l->port].link_rate_100kbps;
	l->has_signal = rt->has_signal;
	l->signal_dbm = rt->signal_dbm;
	l->metric = neighbours_port_metric(l->port, l->rate_100kbps, l->loss_ppm);
}

struct neighbour *neighbours_heard(unsigned port, const struct mac_addr *mac, const struct radiotap_info *rt,
				   uint64_t now_ms)
{
	struct neighbour *n = find_any(mac);
	struct neighbour_link *l;

	if (n == NULL && (n = create(port, mac, now_ms)) == NULL)
		return NULL;
	if (n->is_static)
		return n;
	l = link_on(n, port, now_ms);
	if (l == NULL)
		return n;
	l->last_heard_ms = now_ms;
	note_radio(l, rt);
	choose_link(n, now_ms);
	return n;
}

/* A wired hello's heard list: whether the sender hears us on that wire (mesh_heard.h). A sender that
 * sends no list, or an incomplete one, is taken to hear us. */
static void note_heard(const struct neighbour *n, struct neighbour_link *l, const struct beacon *b)
{
	enum mesh_heard_status heard = mesh_heard_lists(b->ies, b->ies_len, &the_node.cfg.node.mesh_mac);
	bool one_way = heard == MESH_HEARD_NOT_LISTED;
	char mac[MAC_STR_LEN];

	if (heard == MESH_HEARD_MALFORMED)
		control_count(CONTROL_mgmt_malformed);
	if (one_way == l->one_way)
		return;
	l->one_way = one_way;
	if (one_way) {
		control_count(CONTROL_neighbour_links_one_way);
		LOG_NOTICE("port %s: %s no longer hears us (its hellos' heard list): link not used",
			   the_node.cfg.ports[l->port].name, mac_format(&n->mac, mac));
	} else {
		LOG_INFO("port %s: %s hears us again", the_node.cfg.ports[l->port].name, mac_format(&n->mac, mac));
	}
}

void neighbours_on_beacon(unsigned port, const struct beacon *b, const struct radiotap_info *rt, uint64_t now_ms)
{
	const struct mac_addr *ta = &b->hdr.addr2;
	struct neighbour *n = find_any(ta);
	struct neighbour_link *l;
	struct mesh_ies ies;
	struct beacon_mark mark = {.ts_us = b->timestamp, .heard_ms = now_ms, .seq = (uint16_t)(b->hdr.seq_ctrl >> 4)};

	if (mac_equal(ta, &the_node.cfg.node.mesh_mac) || mac_is_group(ta))
		return;
	if (mesh_ies_parse(b->ies, b->ies_len, &ies) < 0) {
		control_count(CONTROL_mgmt_malformed);
		return;
	}
	if (!peering_match_counted(&ies))
		return;
	control_count(CONTROL_beacons_rx);
	if (n == NULL) {
		n = create(port, ta, now_ms);
		if (n == NULL)
			return;
	} else if (n->is_static) {
		return;
	}
	l = link_on(n, port, now_ms);
	if (l == NULL)
		return;
	/* Beacons missed since the last one count as losses, this one as a success (link_loss.h: a
	 * sender that was silent lost nothing). */
	if (l->beacons != 0)
		l->loss_ppm = link_loss_account(l->loss_ppm, link_loss_missed(&l->last_beacon, &mark, l->interval_tu));
	l->last_beacon = mark;
	l->last_heard_ms = now_ms;
	l->beacons++;
	if (b->interval_tu != 0)
		l->interval_tu = b->interval_tu;
	if (ies.has_ext)
		n->ext_flags = ies.ext_flags;
	if (the_node.cfg.ports[port].wired)
		note_heard(n, l, b);
	note_radio(l, rt);
	choose_link(n, now_ms);
	read_ap_element(b, &n->ap);
	peering_on_candidate(n, (ies.mesh_config.capability & MESH_CAP_ACCEPTING_PEERINGS) != 0, now_ms);
}

void neighbours_set_established(const struct mac_addr *mac, bool established, uint8_t ext_flags, uint64_t now_ms)
{
	struct neighbour *n = find_any(mac);

	if (n == NULL || n->is_static || n->established == established)
		return;
	n->established = established;
	n->since_ms = now_ms;
	if (established) {
		n->ext_flags = ext_flags;
		control_count(CONTROL_peers_adopted);
		events.adopted(events.ctx, n, now_ms);
	} else {
		control_count(CONTROL_peers_lost);
		events.lost(events.ctx, n, now_ms);
	}
}

/* Frees the slot; a peer's link is closed first (its loss reaches the events through peering). */
static void drop_neighbour(struct neighbour *n, bool send_close, uint64_t now_ms)
{
	struct mac_addr mac = n->mac;

	if (n->is_static) {
		n->established = false;
		control_count(CONTROL_peers_lost);
		events.lost(events.ctx, n, now_ms);
	} else {
		peering_forget(&mac, send_close, now_ms);
	}
	n->active = false;
}

void neighbours_port_down(unsigned port, uint64_t now_ms)
{
	for (unsigned i = 0; i < NEIGHBOURS_MAX; i++) {
		struct neighbour *n = &table[i];

		if (!n->active)
			continue;
		if (n->is_static) { /* configured on one port: lost with it, as before links */
			if (n->port == port)
				drop_neighbour(n, false, now_ms);
			continue;
		}
		for (unsigned j = n->n_links; j-- > 0;)
			if (n->links[j].port == port)
				remove_link(n, j);
		if (n->n_links == 0)
			drop_neighbour(n, false, now_ms);
		else
			choose_link(n, now_ms);
	}
}

/* Writes the heard element of a hello on wired port: every neighbour with a link there (heard within
 * its loss limit); returns its length, 0 when it does not fit. */
static size_t heard_element(unsigned port, uint8_t *out, size_t cap)
{
	struct mac_addr heard[NEIGHBOURS_MAX];
	unsigned n = 0;
	int len;

	for (unsigned i = 0; i < NEIGHBOURS_MAX; i++)
		if (table[i].active && !table[i].is_static && neighbours_has_link(&table[i], port))
			heard[n++] = table[i].mac;
	len = mesh_heard_write(out, cap, heard, n);
	return len > 0 ? (size_t)len : 0;
}

static void send_beacon(unsigned port, uint64_t now_ms)
{
	const struct mac_addr bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	unsigned peers = peering_estab_count();
	uint8_t frame[640], extra[416];
	size_t extra_len = ap_element(extra, sizeof(extra));
	struct beacon b;
	int len;

	/* A secure mesh announces CCMP, SAE and required management frame protection (wpa_supplicant's
	 * RSN element); the Mesh Configuration says SAE (peering_local_config). */
	if (the_node.cfg.mesh.security == MESH_SECURITY_SAE) {
		int rsn = mesh_rsn_write(extra + extra_len, sizeof(extra) - extra_len);

		if (rsn > 0)
			extra_len += (size_t)rsn;
	}
	if (peering_local_ext_flags() != 0) {
		int ext = mesh_ext_write(extra + extra_len, sizeof(extra) - extra_len, peering_local_ext_flags(), 0, 0);

		if (ext > 0)
			extra_len += (size_t)ext;
	}
	if (the_node.cfg.ports[port].wired)
		extra_len += heard_element(port, extra + extra_len, sizeof(extra) - extra_len);
	memset(&b, 0, sizeof(b));
	b.hdr.addr1 = bcast;
	b.hdr.addr2 = the_node.cfg.node.mesh_mac;
	b.hdr.addr3 = the_node.cfg.node.mesh_mac;
	b.hdr.seq_ctrl = (uint16_t)(beacon_seq[port]++ << 4);
	b.timestamp = now_ms * 1000;
	b.interval_tu = own_interval_tu(port);
	b.capability = BEACON_CAPABILITY_MESH;
	b.rates = the_node.cfg.mesh.rates;
	b.channel = the_node.cfg.mesh.channel;
	mesh_id_set(&b.mesh_id, the_node.cfg.mesh.mesh_id);
	peering_local_config(&b.mesh_config, peers);
	len = beacon_encode(frame, sizeof(frame), &b, extra, extra_len);
	if (len > 0 && control_tx_80211(port, frame, (size_t)len) == 0)
		control_count(CONTROL_beacons_tx);
}

void neighbours_init(const struct neighbour_events *ev, uint64_t now_ms)
{
	memset(table, 0, sizeof(table));
	memset(next_beacon_ms, 0, sizeof(next_beacon_ms));
	events = *ev;
	for (unsigned i = 0; i < the_node.cfg.n_static_peers; i++) {
		const struct static_peer *sp = &the_node.cfg.static_peers[i];
		struct neighbour *n = create(sp->port, &sp->mac, now_ms);

		if (n == NULL)
			continue;
		n->is_static = true;
		n->established = true;
		n->ext_flags = peering_local_ext_flags();
		control_count(CONTROL_peers_adopted);
		events.adopted(events.ctx, n, now_ms);
	}
}

void neighbours_tick(uint64_t now_ms)
{
	for (unsigned p = 0; p < the_node.cfg.n_ports; p++) {
		const struct port_config *pc = &the_node.cfg.ports[p];

		if (pc->role != PORT_ROLE_MESH || now_ms < next_beacon_ms[p])
			continue;
		send_beacon(p, now_ms);
		next_beacon_ms[p] = now_ms + (pc->wired ? pc->hello_interval_ms : tu_to_ms(own_interval_tu(p)));
	}
	/* Silent on a port for its loss limit of its own intervals there: that link is gone; with no link
	 * left, the neighbour (Linux keeps an ESTAB link for 30 min). One that never beaconed goes as soon
	 * as peering forgot it: Opens from made-up addresses leave nothing behind. */
	for (unsigned i = 0; i < NEIGHBOURS_MAX; i++) {
		struct neighbour *n = &table[i];
		unsigned links = n->n_links;

		if (!n->active || n->is_static)
			continue;
		for (unsigned j = n->n_links; j-- > 0;) {
			const struct neighbour_link *l = &n->links[j];

			if (now_ms - l->last_heard_ms > tu_to_ms(l->interval_tu) * loss_limit(l->port))
				remove_link(n, j);
		}
		if (n->n_links == 0) {
			drop_neighbour(n, true, now_ms);
			continue;
		}
		if (n->n_links != links)
			choose_link(n, now_ms);
		if (!beaconed(n) && !n->established && peering_find(&n->mac) == NULL)
			drop_neighbour(n, false, now_ms);
	}
}
