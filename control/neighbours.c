#include "neighbours.h"

#include <string.h>

#include "airtime.h"
#include "control.h"
#include "node.h"
#include "tx.h"

/* Loss weight: each beacon moves the estimate 1/8 of the way (mac80211's EWMA for tx failures). */
#define LOSS_WEIGHT_SHIFT 3
/* A link that loses 90 % still has a finite metric, so HWMP prefers any better path but keeps it. */
#define LOSS_CAP_PPM 900000u

static struct neighbour table[NEIGHBOURS_MAX];
static struct neighbour_events events;
static uint64_t next_beacon_ms[CONFIG_MAX_PORTS];
static uint16_t beacon_seq;

/* Vendor-specific element carrying the node's AP: our Company ID is a self-assigned one with the
 * local (X) bit set, "mp"; type 1; then BSSID, operating class, channel, SSID length, SSID. */
static const uint8_t ap_element_oui[3] = {0x02, 0x6d, 0x70};
#define AP_ELEMENT_TYPE 1

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
		out[5] = AP_ELEMENT_TYPE;
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
		if (e.id != WLAN_EID_VENDOR || e.len < 13 || memcmp(e.data, ap_element_oui, 3) != 0 ||
		    e.data[3] != AP_ELEMENT_TYPE || e.data[12] > 32 || e.len < 13 + e.data[12])
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

static uint64_t beacon_interval_ms(void)
{
	uint64_t ms = (uint64_t)the_node.cfg.mesh.beacon_interval_tu * 1024 / 1000;

	return ms == 0 ? 1 : ms;
}

void neighbours_init(const struct neighbour_events *ev)
{
	memset(table, 0, sizeof(table));
	memset(next_beacon_ms, 0, sizeof(next_beacon_ms));
	events = *ev;
}

/* DSSS rates (1, 2, 5.5, 11 Mb/s) pay the long preamble; everything else is OFDM. */
static uint32_t link_metric(uint32_t rate_100kbps, uint32_t loss_ppm)
{
	bool dsss = rate_100kbps == 10 || rate_100kbps == 20 || rate_100kbps == 55 || rate_100kbps == 110;

	return airtime_metric(rate_100kbps, loss_ppm > LOSS_CAP_PPM ? LOSS_CAP_PPM : loss_ppm,
			      dsss ? AIRTIME_OVERHEAD_DSSS_US : AIRTIME_OVERHEAD_OFDM_US);
}

unsigned neighbours_count(unsigned port)
{
	unsigned n = 0;

	for (unsigned i = 0; i < NEIGHBOURS_MAX; i++)
		n += table[i].active && table[i].port == port;
	return n;
}

const struct neighbour *neighbours_find(const struct mac_addr *mac)
{
	for (unsigned i = 0; i < NEIGHBOURS_MAX; i++)
		if (table[i].active && mac_equal(&table[i].mac, mac))
			return &table[i];
	return NULL;
}

void neighbours_foreach(void (*fn)(void *arg, const struct neighbour *n), void *arg)
{
	for (unsigned i = 0; i < NEIGHBOURS_MAX; i++)
		if (table[i].active)
			fn(arg, &table[i]);
}

static bool beacon_matches_our_mesh(const struct beacon *b)
{
	struct mesh_id ours;

	mesh_id_set(&ours, the_node.cfg.mesh.mesh_id);
	return b->has_mesh_id && b->has_mesh_config && mesh_id_equal(&b->mesh_id, &ours) &&
	       b->mesh_config.path_sel_protocol == 1 && b->mesh_config.path_sel_metric == 1;
}

void neighbours_on_beacon(unsigned port, const struct beacon *b, const struct radiotap_info *rt, uint64_t now_ms)
{
	const struct mac_addr *ta = &b->hdr.addr2;
	struct neighbour *n = (struct neighbour *)neighbours_find(ta), *slot = NULL;
	uint64_t interval = beacon_interval_ms();

	if (mac_equal(ta, &the_node.cfg.node.mesh_mac) || mac_is_group(ta))
		return;
	if (!beacon_matches_our_mesh(b)) {
		control_count(CONTROL_beacons_other_mesh);
		return;
	}
	control_count(CONTROL_beacons_rx);
	if (n == NULL) {
		if (neighbours_count(port) >= the_node.cfg.mesh.max_peers) {
			control_count(CONTROL_peers_refused);
			return;
		}
		for (unsigned i = 0; i < NEIGHBOURS_MAX && slot == NULL; i++)
			if (!table[i].active)
				slot = &table[i];
		if (slot == NULL) {
			control_count(CONTROL_peers_refused);
			return;
		}
		memset(slot, 0, sizeof(*slot));
		slot->mac = *ta;
		slot->port = (uint8_t)port;
		slot->since_ms = now_ms;
		slot->last_beacon_ms = now_ms;
		slot->active = true;
		n = slot;
	} else {
		/* Beacons missed since the last one count as losses, this one as a success. */
		uint64_t missed = (now_ms - n->last_beacon_ms + interval / 2) / interval;

		for (uint64_t i = 1; i < missed && i < 64; i++)
			n->loss_ppm += (AIRTIME_ERR_PPM_ONE - n->loss_ppm) >> LOSS_WEIGHT_SHIFT;
		n->loss_ppm -= n->loss_ppm >> LOSS_WEIGHT_SHIFT;
		n->last_beacon_ms = now_ms;
	}
	n->beacons++;
	n->rate_100kbps = rt->has_rate ? (uint32_t)rt->rate_500kbps * 5 : the_node.cfg.ports[port].link_rate_100kbps;
	n->has_signal = rt->has_signal;
	n->signal_dbm = rt->signal_dbm;
	n->metric = link_metric(n->rate_100kbps, n->loss_ppm);
	read_ap_element(b, &n->ap);
	if (n == slot) {
		control_count(CONTROL_peers_adopted);
		events.adopted(events.ctx, n, now_ms);
	}
}

static void lose(struct neighbour *n, uint64_t now_ms)
{
	struct neighbour gone = *n;

	n->active = false;
	control_count(CONTROL_peers_lost);
	events.lost(events.ctx, &gone, now_ms);
}

void neighbours_port_down(unsigned port, uint64_t now_ms)
{
	for (unsigned i = 0; i < NEIGHBOURS_MAX; i++)
		if (table[i].active && table[i].port == port)
			lose(&table[i], now_ms);
}

static void send_beacon(unsigned port, uint64_t now_ms)
{
	const struct mac_addr bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	unsigned peers = neighbours_count(port);
	uint8_t frame[256], extra[64];
	size_t extra_len = ap_element(extra, sizeof(extra));
	struct beacon b;
	int len;

	memset(&b, 0, sizeof(b));
	b.hdr.addr1 = bcast;
	b.hdr.addr2 = the_node.cfg.node.mesh_mac;
	b.hdr.addr3 = the_node.cfg.node.mesh_mac;
	b.hdr.seq_ctrl = (uint16_t)(beacon_seq++ << 4);
	b.timestamp = now_ms * 1000;
	b.interval_tu = the_node.cfg.mesh.beacon_interval_tu;
	b.capability = BEACON_CAPABILITY_MESH;
	mesh_id_set(&b.mesh_id, the_node.cfg.mesh.mesh_id);
	b.mesh_config.path_sel_protocol = 1; /* HWMP */
	b.mesh_config.path_sel_metric = 1;   /* airtime */
	b.mesh_config.sync_method = 1;       /* neighbour offset */
	b.mesh_config.formation_info = (uint8_t)((peers > 63 ? 63 : peers) << 1 | (the_node.cfg.mesh.gate ? 1 : 0));
	b.mesh_config.capability = 0x08 | (peers < the_node.cfg.mesh.max_peers ? 0x01 : 0x00);
	len = beacon_encode(frame, sizeof(frame), &b, extra, extra_len);
	if (len > 0 && control_tx_80211(port, frame, (size_t)len) == 0)
		control_count(CONTROL_beacons_tx);
}

void neighbours_tick(uint64_t now_ms)
{
	uint64_t interval = beacon_interval_ms();
	uint64_t limit = interval * the_node.cfg.mesh.beacon_loss_limit;

	for (unsigned p = 0; p < the_node.cfg.n_ports; p++) {
		if (the_node.cfg.ports[p].role != PORT_ROLE_MESH || now_ms < next_beacon_ms[p])
			continue;
		send_beacon(p, now_ms);
		next_beacon_ms[p] = now_ms + interval;
	}
	for (unsigned i = 0; i < NEIGHBOURS_MAX; i++)
		if (table[i].active && now_ms - table[i].last_beacon_ms > limit)
			lose(&table[i], now_ms);
}
