/* Mesh Peering Open/Confirm/Close codec and the mesh-membership elements (rates, DS, Mesh ID and
 * configuration, RSN presence, our extension element): round trips in every element 117 length,
 * Linux's length rules, every truncation point, and a byte vector in Linux's layout. */
#include <check.h>
#include <string.h>

#include "codec.h"
#include "mesh_ies.h"
#include "peering_frame.h"
#include "suites.h"

static const struct mac_addr self = {{0x02, 0, 0, 0, 0, 0x01}};
static const struct mac_addr peer = {{0x02, 0, 0, 0, 0, 0x02}};

static struct peering_local local(void)
{
	struct peering_local l;

	memset(&l, 0, sizeof(l));
	l.self = self;
	mesh_rates_default_2ghz(&l.rates);
	mesh_id_set(&l.mesh_id, "campus-mesh");
	l.mesh_config = (struct mesh_config_ie){.path_sel_protocol = 1, .path_sel_metric = 1, .sync_method = 1,
						 .capability = 0x09};
	l.ext_flags = MESH_EXT_HWMP;
	l.mgtk_key_id = 2; /* Opens only: the key ID of their MGTK, and the Inform replay counter */
	l.mgtk_replay = 0x0102030405060708ull;
	return l;
}

struct shape {
	uint8_t action;
	uint16_t protocol;
	bool plid;
	size_t ie_len;
};

static const struct shape shapes[] = {
	{WLAN_SP_MESH_PEERING_OPEN, 0, false, 4},     {WLAN_SP_MESH_PEERING_CONFIRM, 0, true, 6},
	{WLAN_SP_MESH_PEERING_CLOSE, 0, false, 6},    {WLAN_SP_MESH_PEERING_CLOSE, 0, true, 8},
	{WLAN_SP_MESH_PEERING_OPEN, 1, false, 20},    {WLAN_SP_MESH_PEERING_CONFIRM, 1, true, 22},
	{WLAN_SP_MESH_PEERING_CLOSE, 1, false, 22},   {WLAN_SP_MESH_PEERING_CLOSE, 1, true, 24},
};

START_TEST(peering_frames_round_trip_in_every_length)
{
	const struct shape *s = &shapes[_i];
	struct peering_local l = local();
	struct peering_mgmt_ie ie;
	struct peering_frame f;
	uint8_t buf[256];
	struct ie e;
	int len;

	memset(&ie, 0, sizeof(ie));
	ie.protocol = s->protocol;
	ie.llid = 0x1234;
	ie.has_plid = s->plid;
	ie.plid = 0xbeef;
	ie.reason = WLAN_REASON_MESH_CLOSE_RCVD;
	for (unsigned i = 0; i < MESH_PMKID_LEN; i++)
		ie.pmkid[i] = (uint8_t)i;
	len = peering_frame_encode(buf, sizeof(buf), &l, &peer, s->action, 9, &ie);
	ck_assert_int_gt(len, 0);
	ck_assert_int_eq(peering_frame_decode(buf, (size_t)len, &f), CODEC_OK);
	ck_assert_int_eq(ie_find(f.ies, f.ies_len, WLAN_EID_PEER_MGMT, &e), 1);
	ck_assert_uint_eq(e.len, s->ie_len);
	ck_assert_uint_eq(f.action, s->action);
	ck_assert(mac_equal(&f.hdr.addr1, &peer) && mac_equal(&f.hdr.addr2, &self) && mac_equal(&f.hdr.addr3, &self));
	ck_assert_uint_eq(f.mpm.protocol, s->protocol);
	ck_assert_uint_eq(f.mpm.llid, 0x1234);
	ck_assert_int_eq(f.mpm.has_plid, s->plid);
	if (s->plid)
		ck_assert_uint_eq(f.mpm.plid, 0xbeef);
	ck_assert_int_eq(f.mpm.has_reason, s->action == WLAN_SP_MESH_PEERING_CLOSE);
	if (f.mpm.has_reason)
		ck_assert_uint_eq(f.mpm.reason, WLAN_REASON_MESH_CLOSE_RCVD);
	ck_assert_int_eq(f.mpm.has_pmkid, s->protocol == 1);
	if (f.mpm.has_pmkid)
		ck_assert_mem_eq(f.mpm.pmkid, ie.pmkid, MESH_PMKID_LEN);
	ck_assert(f.elems.has_mesh_id && mesh_id_equal(&f.elems.mesh_id, &l.mesh_id));
	if (s->action != WLAN_SP_MESH_PEERING_CLOSE) {
		ck_assert_uint_eq(f.capability, 0);
		ck_assert(f.elems.has_mesh_config && f.elems.has_rates && f.elems.has_ext);
		ck_assert_uint_eq(f.elems.rates.n, 12);
		ck_assert_uint_eq(f.elems.ext_flags, MESH_EXT_HWMP);
		ck_assert_uint_eq(f.elems.ext_mgtk_key_id, s->action == WLAN_SP_MESH_PEERING_OPEN ? 2 : 0);
		ck_assert_uint_eq(f.elems.ext_replay, s->action == WLAN_SP_MESH_PEERING_OPEN ? 0x0102030405060708ull : 0);
		ck_assert_uint_eq(f.aid, s->action == WLAN_SP_MESH_PEERING_CONFIRM ? 9 : 0);
	} else {
		ck_assert(!f.elems.has_mesh_config && !f.elems.has_rates);
	}
	/* Every cut is refused: element 117 comes after everything a receiver needs. */
	for (int cut = 0; cut < len; cut++) {
		struct peering_frame g;
		int ret = peering_frame_decode(buf, (size_t)cut, &g);

		if (s->action != WLAN_SP_MESH_PEERING_CLOSE &&
		    cut >= len - (s->action == WLAN_SP_MESH_PEERING_OPEN ? 16 : 7) && ret == CODEC_OK)
			continue; /* only the trailing extension element is missing */
		ck_assert_msg(ret < 0, "cut at %d of %d accepted", cut, len);
	}
	ck_assert_int_lt(peering_frame_encode(buf, (size_t)len - 1, &l, &peer, s->action, 9, &ie), 0);
}
END_TEST

START_TEST(element_117_lengths_linux_refuses)
{
	uint8_t body[30] = {0};
	struct peering_mgmt_ie ie;
	/* (action, length) pairs of the open protocol that Linux drops */
	static const struct {
		uint8_t action;
		size_t len;
	} bad[] = {{1, 6}, {1, 8}, {2, 4}, {2, 8}, {3, 4}, {3, 10}, {1, 20}, {2, 3}};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(peering_mgmt_ie_decode(bad[i].action, body, bad[i].len, &ie) < 0, "action %u length %zu",
			      bad[i].action, bad[i].len);
	body[0] = 1; /* AMPE */
	ck_assert_int_lt(peering_mgmt_ie_decode(1, body, 4, &ie), 0);
	ck_assert_int_lt(peering_mgmt_ie_decode(1, body, 22, &ie), 0);
	ck_assert_int_eq(peering_mgmt_ie_decode(1, body, 20, &ie), CODEC_OK);
	body[0] = 2; /* unknown protocol */
	ck_assert_int_lt(peering_mgmt_ie_decode(1, body, 4, &ie), 0);
	ck_assert_int_lt(peering_mgmt_ie_decode(4, body, 4, &ie), 0);
}
END_TEST

/* A Mesh Peering Open laid out as Linux 6.1 sends it (LINUX-PEER.md): capability 0, Supported Rates
 * with only 1 Mb/s basic, Extended Rates, Mesh ID, Mesh Configuration 01 01 00 01 00 FI 09, element 117
 * of length 4, HT Capabilities. */
START_TEST(linux_open_decodes)
{
	static const uint8_t frame[] = {
		0xd0, 0x00, 0x00, 0x00, 0x02, 0, 0, 0, 0, 0x01, 0x42, 0, 0, 0, 0x01, 0x00, 0x42, 0, 0, 0, 0x01, 0x00,
		0x10, 0x00, /* seq */
		0x0f, 0x01, 0x00, 0x00,                                           /* category, Open, capability */
		0x01, 0x08, 0x82, 0x04, 0x0b, 0x16, 0x0c, 0x12, 0x18, 0x24,       /* Supported Rates */
		0x32, 0x04, 0x30, 0x48, 0x60, 0x6c,                               /* Extended Supported Rates */
		0x72, 0x04, 'm', 'e', 's', 'h',                                   /* Mesh ID */
		0x71, 0x07, 0x01, 0x01, 0x00, 0x01, 0x00, 0x02, 0x09,             /* Mesh Configuration */
		0x75, 0x04, 0x00, 0x00, 0x3c, 0x5a,                               /* Peering Management */
		0x2d, 0x1a, 0x2c, 0x01, 0x03, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	struct mesh_rates ours;
	struct peering_frame f;

	ck_assert_int_eq(peering_frame_decode(frame, sizeof(frame), &f), CODEC_OK);
	ck_assert_uint_eq(f.action, WLAN_SP_MESH_PEERING_OPEN);
	ck_assert_uint_eq(f.mpm.protocol, 0);
	ck_assert_uint_eq(f.mpm.llid, 0x5a3c);
	ck_assert(!f.mpm.has_plid);
	ck_assert(f.elems.has_mesh_config && f.elems.mesh_config.capability == 0x09);
	ck_assert(!f.elems.has_ext && !f.elems.has_rsn);
	mesh_rates_default_2ghz(&ours);
	ck_assert_uint_eq(mesh_rates_basic_bitmap(&f.elems.rates), mesh_rates_basic_bitmap(&ours));
	ck_assert_uint_eq(mesh_rates_basic_bitmap(&ours), 0x1);
}
END_TEST

START_TEST(mesh_ies_parse_what_membership_needs)
{
	static const uint8_t ies[] = {
		0x01, 0x04, 0x82, 0x84, 0x0b, 0xff,             /* 1 and 2 basic, 5.5, and the HT selector */
		0x03, 0x01, 0x24,                               /* DS: channel 36 */
		0x32, 0x02, 0x8c, 0x12,                         /* 6 (basic), 9 */
		0x30, 0x02, 0x01, 0x00,                         /* RSN (contents not parsed here) */
		0xdd, 0x05, 0x00, 0x50, 0xf2, 0x02, 0x01,       /* someone else's vendor element */
		0xdd, 0x05, 0x02, 0x6d, 0x70, 0x02, 0x01,       /* ours: extensions */
	};
	struct mesh_ies m;

	ck_assert_int_eq(mesh_ies_parse(ies, sizeof(ies), &m), CODEC_OK);
	ck_assert(m.has_rates && m.has_ds && m.has_rsn && m.has_ext);
	ck_assert_uint_eq(m.rates.n, 5);
	ck_assert_uint_eq(m.channel, 36);
	ck_assert_uint_eq(m.ext_flags, MESH_EXT_HWMP);
	ck_assert_uint_eq(mesh_rates_basic_bitmap(&m.rates), 0x1 | 0x2 | 0x10);
	ck_assert_int_lt(mesh_ies_parse(ies, sizeof(ies) - 1, &m), 0);
}
END_TEST

START_TEST(mesh_ies_refuse_bad_elements)
{
	static const uint8_t bad_ds[] = {0x03, 0x02, 0x01, 0x02};
	static const uint8_t empty_rates[] = {0x01, 0x00};
	static const uint8_t short_ext[] = {0xdd, 0x04, 0x02, 0x6d, 0x70, 0x02};
	static const uint8_t long_id[] = {0x72, 33, 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a',
					  'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a',
					  'a', 'a', 'a', 'a', 'a'};
	static const uint8_t unknown_basic[] = {0x01, 0x02, 0x82, 0x99};
	struct mesh_ies m;

	ck_assert_int_lt(mesh_ies_parse(bad_ds, sizeof(bad_ds), &m), 0);
	ck_assert_int_lt(mesh_ies_parse(empty_rates, sizeof(empty_rates), &m), 0);
	ck_assert_int_lt(mesh_ies_parse(short_ext, sizeof(short_ext), &m), 0);
	ck_assert_int_lt(mesh_ies_parse(long_id, sizeof(long_id), &m), 0);
	ck_assert_int_eq(mesh_ies_parse(unknown_basic, sizeof(unknown_basic), &m), CODEC_OK);
	ck_assert_uint_eq(mesh_rates_basic_bitmap(&m.rates), 0x1u | 1u << 31);
}
END_TEST

START_TEST(default_rate_sets_are_linuxs)
{
	static const uint8_t two[] = {0x82, 0x04, 0x0b, 0x16, 0x0c, 0x12, 0x18, 0x24, 0x30, 0x48, 0x60, 0x6c};
	static const uint8_t five[] = {0x8c, 0x12, 0x98, 0x24, 0xb0, 0x48, 0x60, 0x6c};
	struct mesh_rates r;
	uint8_t buf[32];

	mesh_rates_default_2ghz(&r);
	ck_assert_uint_eq(r.n, sizeof(two));
	ck_assert_mem_eq(r.rate, two, sizeof(two));
	ck_assert_int_eq(mesh_rates_write(buf, sizeof(buf), &r, false), 10);
	ck_assert_int_eq(mesh_rates_write(buf, sizeof(buf), &r, true), 6);
	ck_assert_uint_eq(buf[0], WLAN_EID_EXT_SUPP_RATES);
	mesh_rates_default_5ghz(&r);
	ck_assert_uint_eq(r.n, sizeof(five));
	ck_assert_mem_eq(r.rate, five, sizeof(five));
	ck_assert_int_eq(mesh_rates_write(buf, sizeof(buf), &r, true), 0);
}
END_TEST

Suite *peering_frame_suite(void)
{
	Suite *s = suite_create("peering_frame");
	TCase *tc = tcase_create("codec");

	tcase_add_loop_test(tc, peering_frames_round_trip_in_every_length, 0, sizeof(shapes) / sizeof(shapes[0]));
	tcase_add_test(tc, element_117_lengths_linux_refuses);
	tcase_add_test(tc, linux_open_decodes);
	tcase_add_test(tc, mesh_ies_parse_what_membership_needs);
	tcase_add_test(tc, mesh_ies_refuse_bad_elements);
	tcase_add_test(tc, default_rate_sets_are_linuxs);
	suite_add_tcase(s, tc);
	return s;
}
