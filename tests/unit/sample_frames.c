#include "sample_frames.h"

#include <string.h>

const struct mac_addr sample_mp1 = {{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}};
const struct mac_addr sample_mp2 = {{0x02, 0x00, 0x00, 0x00, 0x00, 0x02}};
const struct mac_addr sample_mp3 = {{0x02, 0x00, 0x00, 0x00, 0x00, 0x03}};
const struct mac_addr sample_sta1 = {{0x0a, 0x11, 0x22, 0x33, 0x44, 0x55}};
const struct mac_addr sample_sta2 = {{0x0a, 0x66, 0x77, 0x88, 0x99, 0xaa}};
static const struct mac_addr broadcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

struct mesh_data_hdr sample_unicast_hdr(unsigned ae, uint16_t ethertype)
{
	struct mesh_data_hdr h;

	memset(&h, 0, sizeof(h));
	h.group = false;
	h.addr1 = sample_mp2;
	h.addr2 = sample_mp1;
	h.addr3 = sample_mp3;
	h.addr4 = sample_mp1;
	h.seq_ctrl = 0x1230;
	h.tid = 5;
	h.mc.flags = (uint8_t)ae;
	h.mc.ttl = 31;
	h.mc.seq = 0x01020304;
	if (ae == MESH_AE_A5_A6) {
		h.mc.ext[0] = sample_sta2;
		h.mc.ext[1] = sample_sta1;
	}
	h.has_snap = true;
	h.ethertype = ethertype;
	return h;
}

struct mesh_data_hdr sample_group_hdr(unsigned ae, uint16_t ethertype)
{
	struct mesh_data_hdr h;

	memset(&h, 0, sizeof(h));
	h.group = true;
	h.addr1 = broadcast;
	h.addr2 = sample_mp1;
	h.addr3 = sample_mp1;
	h.seq_ctrl = 0x0450;
	h.mc.flags = (uint8_t)ae;
	h.mc.ttl = 30;
	h.mc.seq = 0xa0b0c0d0;
	if (ae == MESH_AE_A4)
		h.mc.ext[0] = sample_sta1;
	h.has_snap = true;
	h.ethertype = ethertype;
	return h;
}

struct hwmp_preq sample_preq(bool ae, unsigned n)
{
	struct hwmp_preq p;

	memset(&p, 0, sizeof(p));
	p.flags = ae ? HWMP_F_AE : 0;
	p.hop_count = 2;
	p.ttl = 29;
	p.discovery_id = 0x11223344;
	p.orig = sample_mp1;
	p.orig_sn = 0xfffffff0;
	if (ae)
		p.orig_ext = sample_sta1;
	p.lifetime_tu = 4883;
	p.metric = 0x1234;
	p.target_count = (uint8_t)n;
	for (unsigned i = 0; i < n; i++) {
		p.targets[i].flags = i == 0 ? HWMP_TARGET_F_TO : HWMP_TARGET_F_USN;
		p.targets[i].addr = i == 0 ? sample_mp2 : sample_mp3;
		p.targets[i].addr.bytes[4] = (uint8_t)i;
		p.targets[i].sn = 1000 + i;
	}
	return p;
}

struct hwmp_prep sample_prep(bool ae)
{
	struct hwmp_prep p;

	memset(&p, 0, sizeof(p));
	p.flags = ae ? HWMP_F_AE : 0;
	p.hop_count = 1;
	p.ttl = 30;
	p.target = sample_mp3;
	p.target_sn = 77;
	if (ae)
		p.target_ext = sample_sta2;
	p.lifetime_tu = 4883;
	p.metric = 0xabcdef;
	p.orig = sample_mp1;
	p.orig_sn = 0x80000001;
	return p;
}

struct hwmp_perr sample_perr(unsigned n)
{
	struct hwmp_perr p;

	memset(&p, 0, sizeof(p));
	p.ttl = 31;
	p.dest_count = (uint8_t)n;
	for (unsigned i = 0; i < n; i++) {
		p.dests[i].flags = (i % 2) ? HWMP_F_AE : 0;
		p.dests[i].addr = sample_mp3;
		p.dests[i].addr.bytes[4] = (uint8_t)(0x10 + i);
		p.dests[i].sn = 500 + i;
		if (i % 2)
			p.dests[i].ext = sample_sta2;
		p.dests[i].reason = i == 0 ? HWMP_REASON_DEST_UNREACHABLE : HWMP_REASON_NO_FORWARDING_INFO;
	}
	return p;
}

struct hwmp_rann sample_rann(void)
{
	struct hwmp_rann r;

	memset(&r, 0, sizeof(r)); /* padding too: tests compare whole structs */
	r.flags = HWMP_RANN_F_GATE;
	r.hop_count = 3;
	r.ttl = 28;
	r.root = sample_mp1;
	r.root_sn = 0x00010203;
	r.interval_tu = 5000;
	r.metric = 0x2000;
	return r;
}

struct hwmp_gann sample_gann(void)
{
	struct hwmp_gann g;

	memset(&g, 0, sizeof(g));
	g.hop_count = 1;
	g.ttl = 30;
	g.gate = sample_mp1;
	g.gann_sn = 42;
	g.interval_tu = 5000;
	return g;
}

struct beacon sample_beacon(void)
{
	struct beacon b;

	memset(&b, 0, sizeof(b));
	b.hdr.fc0 = IEEE80211_FC0_BEACON;
	b.hdr.addr1 = broadcast;
	b.hdr.addr2 = sample_mp1;
	b.hdr.addr3 = sample_mp1;
	b.hdr.seq_ctrl = 0x0010;
	b.timestamp = 0x0001020304050607ull;
	b.interval_tu = 100;
	b.capability = BEACON_CAPABILITY_MESH;
	mesh_id_set(&b.mesh_id, "campus-mesh");
	b.has_mesh_id = true;
	b.mesh_config = (struct mesh_config_ie){
		.path_sel_protocol = 1, .path_sel_metric = 1, .congestion_control = 0, .sync_method = 1,
		.auth_protocol = 0, .formation_info = 2 << 1, .capability = 0x09,
	};
	b.has_mesh_config = true;
	return b;
}

struct mgmt_hdr sample_action_hdr(void)
{
	struct mgmt_hdr h;

	memset(&h, 0, sizeof(h));
	h.fc0 = IEEE80211_FC0_ACTION;
	h.addr1 = sample_mp2;
	h.addr2 = sample_mp1;
	h.addr3 = sample_mp1;
	h.seq_ctrl = 0x0120;
	return h;
}
