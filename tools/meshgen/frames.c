/* Frame templates from the lib/ encoders, so meshgen's frames are the ones the tests pin. */
#include "frames.h"

#include "ccmp.h"
#include "mesh_data.h"
#include "radiotap.h"
#include "wired_mesh.h"

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

	if (o->wired) {
		rt = WIRED_MESH_HDR_LEN; /* written below, from the 802.11 addresses */
	} else if (o->radiotap) {
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
	if (o->wired)
		wired_mesh_build(t->data, t->data + rt);
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
	t->wlan_off = (uint16_t)rt;
	t->payload_off = (uint16_t)(rt + (size_t)n);
	t->len = (uint16_t)(t->payload_off + size - MG_ETH_OVERHEAD);
	if (t->len > sizeof(t->data))
		return -1;
	fill_payload(t, size - MG_ETH_OVERHEAD);
	return 0;
}

/* Opens the CCMP gap after the 802.11 header at t->wlan_off and room for the MIC at the end; the body
 * (Mesh Control, LLC/SNAP, payload) and its offsets move up by 8. */
static int add_ccmp_room(struct mg_template *t, uint8_t protect)
{
	uint16_t *offs[] = {&t->payload_off, &t->off_sta_dst, &t->off_sta_src, &t->off_mesh_seq};
	int hl = ccmp_hdr_len(t->data + t->wlan_off, (size_t)(t->len - t->wlan_off));
	uint16_t body;

	if (hl < 0 || (size_t)t->len + CCMP_OVERHEAD > sizeof(t->data))
		return -1;
	body = (uint16_t)(t->wlan_off + hl);
	memmove(t->data + body + CCMP_HDR_LEN, t->data + body, (size_t)(t->len - body));
	memset(t->data + body, 0, CCMP_HDR_LEN);
	memset(t->data + t->len + CCMP_HDR_LEN, 0, CCMP_MIC_LEN);
	t->len = (uint16_t)(t->len + CCMP_OVERHEAD);
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
		if (*offs[i] != MG_OFF_NONE && *offs[i] >= body)
			*offs[i] = (uint16_t)(*offs[i] + CCMP_HDR_LEN);
	t->wlan_hdr_len = (uint8_t)hl;
	t->protect = protect;
	return 0;
}

int mg_template_build(const struct mg_opts *o, enum mg_kind kind, unsigned size, struct mg_template *t)
{
	memset(t, 0, sizeof(*t));
	t->off_sta_dst = t->off_sta_src = t->off_mesh_da = t->off_mesh_seq = MG_OFF_NONE;
	t->wire_len = (uint16_t)size;
	if (size < 64 || size > 1518)
		return -1;
	if (kind == MG_KIND_ETH)
		return build_eth(o, size, t);
	if (build_mesh(o, kind, size, t) != 0)
		return -1;
	if (!mg_kind_protected(o, kind))
		return 0;
	return add_ccmp_room(t, kind == MG_KIND_MESH_GROUP ? MG_PROTECT_MGTK : MG_PROTECT_MTK);
}
