/* Frame templates from the lib/ encoders, so meshgen's frames are the ones the tests pin. */
#include "frames.h"

#include "mesh_data.h"
#include "radiotap.h"

/* 802.11 header offsets (802.11-2012 8.2.3): A3 at 16, A4 at 24 in the 4-address form. */
#define WLAN_A3_OFF 16

static void fill_payload(struct mg_template *t, unsigned payload_len)
{
	struct mg_payload p = {.magic = MG_MAGIC};

	memset(t->data + t->payload_off, 0, payload_len);
	memcpy(t->data + t->payload_off, &p, sizeof(p));
}

static int build_eth(const struct mg_opts *o, unsigned size, struct mg_template *t)
{
	mac_write(t->data, &o->dst);
	mac_write(t->data + 6, &o->src);
	t->data[12] = MG_ETHERTYPE >> 8;
	t->data[13] = MG_ETHERTYPE & 0xff;
	t->off_sta_dst = 0;
	t->off_sta_src = 6;
	t->payload_off = ETHER_HDR_LEN;
	t->len = (uint16_t)(size - 4);
	fill_payload(t, size - MG_ETH_OVERHEAD);
	return 0;
}

static int build_mesh(const struct mg_opts *o, enum mg_kind kind, unsigned size, struct mg_template *t)
{
	struct mesh_data_hdr h = {0};
	size_t rt = 0, mc_off;
	int n;

	if (o->radiotap) {
		/* 0x6c: 54 Mb/s in 500 kb/s units, what meshplane's mesh ports say by default. */
		n = radiotap_build(t->data, sizeof(t->data), 0x6c, 0);
		if (n < 0)
			return -1;
		rt = (size_t)n;
	}
	h.has_snap = true;
	h.ethertype = MG_ETHERTYPE;
	h.mc.ttl = o->ttl;
	if (kind == MG_KIND_MESH_GROUP) {
		h.group = true;
		h.addr1 = o->group;
		h.addr2 = o->mesh_ta;
		h.addr3 = o->mesh_sa;
		h.mc.flags = MESH_AE_A4;
		h.mc.ext[0] = o->src;
	} else {
		h.addr1 = o->next_hop;
		h.addr2 = o->mesh_ta;
		h.addr3 = o->mesh_da;
		h.addr4 = o->mesh_sa;
		if (kind == MG_KIND_MESH_UNICAST_AE) {
			h.mc.flags = MESH_AE_A5_A6;
			h.mc.ext[0] = o->dst;
			h.mc.ext[1] = o->src;
		}
	}
	n = mesh_data_encode_header(t->data + rt, sizeof(t->data) - rt, &h);
	if (n < 0)
		return -1;
	mc_off = rt + (h.group ? MESH_DATA_GROUP_HDR_LEN : MESH_DATA_UNICAST_HDR_LEN);
	t->off_mesh_seq = (uint16_t)(mc_off + 2);
	if (kind == MG_KIND_MESH_GROUP) {
		t->off_sta_src = (uint16_t)(mc_off + MESH_CONTROL_BASE_LEN);
	} else {
		t->off_mesh_da = (uint16_t)(rt + WLAN_A3_OFF);
		if (kind == MG_KIND_MESH_UNICAST_AE) {
			t->off_sta_dst = (uint16_t)(mc_off + MESH_CONTROL_BASE_LEN);
			t->off_sta_src = (uint16_t)(mc_off + MESH_CONTROL_BASE_LEN + MAC_LEN);
		}
	}
	t->payload_off = (uint16_t)(rt + (size_t)n);
	t->len = (uint16_t)(t->payload_off + size - MG_ETH_OVERHEAD);
	if (t->len > sizeof(t->data))
		return -1;
	fill_payload(t, size - MG_ETH_OVERHEAD);
	return 0;
}

int mg_template_build(const struct mg_opts *o, enum mg_kind kind, unsigned size, struct mg_template *t)
{
	memset(t, 0, sizeof(*t));
	t->off_sta_dst = t->off_sta_src = t->off_mesh_da = t->off_mesh_seq = MG_OFF_NONE;
	t->wire_len = (uint16_t)size;
	if (size < 64 || size > 1518)
		return -1;
	return kind == MG_KIND_ETH ? build_eth(o, size, t) : build_mesh(o, kind, size, t);
}
