#include <check.h>
#include <string.h>

#include "codec.h"
#include "mesh_data.h"
#include "mesh_echo.h"
#include "sample_frames.h"
#include "suites.h"

static const uint8_t payload[] = {0x45, 0x00, 0x00, 0x1c, 0xde, 0xad, 0xbe, 0xef};

/* Encodes hdr + payload into buf; returns the frame length. */
static size_t build(const struct mesh_data_hdr *hdr, uint8_t *buf, size_t cap)
{
	int n = mesh_data_encode_header(buf, cap, hdr);

	ck_assert_int_gt(n, 0);
	memcpy(buf + n, payload, sizeof(payload));
	return (size_t)n + sizeof(payload);
}

static void assert_hdr_equal(const struct mesh_data_hdr *a, const struct mesh_data_hdr *b)
{
	ck_assert_int_eq(a->group, b->group);
	ck_assert(mac_equal(&a->addr1, &b->addr1));
	ck_assert(mac_equal(&a->addr2, &b->addr2));
	ck_assert(mac_equal(&a->addr3, &b->addr3));
	if (!a->group)
		ck_assert(mac_equal(&a->addr4, &b->addr4));
	ck_assert_uint_eq(a->seq_ctrl, b->seq_ctrl);
	ck_assert_uint_eq(a->tid, b->tid);
	ck_assert_uint_eq(a->mc.flags, b->mc.flags);
	ck_assert_uint_eq(a->mc.ttl, b->mc.ttl);
	ck_assert_uint_eq(a->mc.seq, b->mc.seq);
	ck_assert_mem_eq(a->mc.ext, b->mc.ext, sizeof(a->mc.ext));
	ck_assert_int_eq(a->has_snap, b->has_snap);
	ck_assert_uint_eq(a->ethertype, b->ethertype);
}

/* Every prefix shorter than header + Mesh Control is an error; inside the SNAP the frame is
 * still well-formed but carries no SNAP (an 802.2 payload), which the decoder must say. */
static void assert_truncations(const uint8_t *frame, const struct mesh_data_hdr *hdr)
{
	size_t mc_end = hdr->hdr_len + mesh_control_len(mesh_control_ae(&hdr->mc));
	struct mesh_data_hdr out;

	for (size_t len = 0; len < mc_end; len++)
		ck_assert_msg(mesh_data_decode(frame, len, &out) == CODEC_ERR_TRUNCATED,
			      "prefix of %zu bytes accepted", len);
	for (size_t len = mc_end; len < mc_end + LLC_SNAP_LEN; len++) {
		ck_assert_int_eq(mesh_data_decode(frame, len, &out), CODEC_OK);
		ck_assert(!out.has_snap);
		ck_assert_uint_eq(out.body_off, mc_end);
	}
}

static void check_round_trip(struct mesh_data_hdr hdr, size_t expected_hdr_len)
{
	uint8_t buf[256];
	struct mesh_data_hdr out;
	size_t len = build(&hdr, buf, sizeof(buf));

	ck_assert_uint_eq(len, expected_hdr_len + sizeof(payload));
	ck_assert_int_eq(mesh_data_decode(buf, len, &out), CODEC_OK);
	assert_hdr_equal(&hdr, &out);
	ck_assert_uint_eq(out.body_off, expected_hdr_len);
	ck_assert_mem_eq(buf + out.body_off, payload, sizeof(payload));
	assert_truncations(buf, &out);
}

START_TEST(unicast_round_trips)
{
	check_round_trip(sample_unicast_hdr(MESH_AE_NONE, 0x0800), 32 + 6 + 8);
	check_round_trip(sample_unicast_hdr(MESH_AE_A5_A6, 0x86dd), 32 + 18 + 8);
}
END_TEST

START_TEST(group_round_trips)
{
	check_round_trip(sample_group_hdr(MESH_AE_NONE, 0x0806), 26 + 6 + 8);
	check_round_trip(sample_group_hdr(MESH_AE_A4, 0x0800), 26 + 12 + 8);
}
END_TEST

/* A group frame as a Linux 6.1 mesh point forwards it: Mesh Control there, its Present bit clear. */
START_TEST(group_without_mesh_control_bit)
{
	struct mesh_data_hdr h = sample_group_hdr(MESH_AE_A4, 0x0806), out;
	uint8_t buf[128];
	int len = mesh_data_encode_header(buf, sizeof(buf), &h);

	ck_assert_int_gt(len, 0);
	ck_assert_int_eq(mesh_data_decode(buf, (size_t)len, &out), CODEC_OK);
	ck_assert(!out.mcp_missing);
	buf[25] = 0x00; /* the QoS octet with Mesh Control Present */
	ck_assert_int_eq(mesh_data_decode(buf, (size_t)len, &out), CODEC_OK);
	ck_assert(out.mcp_missing);
	ck_assert_uint_eq(mesh_control_ae(&out.mc), MESH_AE_A4);
	ck_assert(mac_equal(&out.mc.ext[0], &h.mc.ext[0]));
	ck_assert_uint_eq(out.ethertype, 0x0806);
}
END_TEST

/* Written from the layout in 802.11-2012 8.2.4 / 8.2.4.7.3, not from our encoder. */
START_TEST(unicast_ae2_exact_bytes)
{
	static const uint8_t expected[] = {
		0x88, 0x03, 0x00, 0x00,             /* QoS data, ToDS|FromDS, duration */
		0x02, 0, 0, 0, 0, 0x02,             /* A1 next hop */
		0x02, 0, 0, 0, 0, 0x01,             /* A2 transmitter */
		0x02, 0, 0, 0, 0, 0x03,             /* A3 mesh DA */
		0x30, 0x12,                         /* sequence control */
		0x02, 0, 0, 0, 0, 0x01,             /* A4 mesh SA */
		0x05, 0x01,                         /* QoS: TID 5, Mesh Control Present */
		0x02, 31, 0x04, 0x03, 0x02, 0x01,   /* AE 2, TTL, mesh seq LE */
		0x0a, 0x66, 0x77, 0x88, 0x99, 0xaa, /* A5 end DA */
		0x0a, 0x11, 0x22, 0x33, 0x44, 0x55, /* A6 end SA */
		0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00,
	};
	struct mesh_data_hdr hdr = sample_unicast_hdr(MESH_AE_A5_A6, 0x0800);
	uint8_t buf[128];

	ck_assert_int_eq(mesh_data_encode_header(buf, sizeof(buf), &hdr), sizeof(expected));
	ck_assert_mem_eq(buf, expected, sizeof(expected));
	ck_assert_int_eq(mesh_data_encode_header(buf, sizeof(expected) - 1, &hdr), CODEC_ERR_NO_SPACE);
}
END_TEST

START_TEST(invalid_frames_are_rejected)
{
	struct mesh_data_hdr hdr = sample_unicast_hdr(MESH_AE_NONE, 0x0800), out;
	uint8_t buf[128], bad[128];
	size_t len = build(&hdr, buf, sizeof(buf));

	memcpy(bad, buf, len);
	bad[0] = 0x08; /* plain data, not QoS */
	ck_assert_int_eq(mesh_data_decode(bad, len, &out), CODEC_ERR_NOT_DATA);
	bad[0] = 0x89; /* protocol version 1 */
	ck_assert_int_eq(mesh_data_decode(bad, len, &out), CODEC_ERR_BAD_VERSION);
	memcpy(bad, buf, len);
	bad[1] = 0x01; /* ToDS only */
	ck_assert_int_eq(mesh_data_decode(bad, len, &out), CODEC_ERR_BAD_DS);
	bad[1] = 0x00;
	ck_assert_int_eq(mesh_data_decode(bad, len, &out), CODEC_ERR_BAD_DS);
	bad[1] = 0x43; /* protected */
	ck_assert_int_eq(mesh_data_decode(bad, len, &out), CODEC_ERR_PROTECTED);
	memcpy(bad, buf, len);
	bad[31] = 0x00; /* Mesh Control Present clear: decoded all the same (Linux forwards so), flagged */
	ck_assert_int_eq(mesh_data_decode(bad, len, &out), CODEC_OK);
	ck_assert(out.mcp_missing);
	memcpy(bad, buf, len);
	bad[32] = MESH_AE_A4; /* AE 1 is for group frames only */
	ck_assert_int_eq(mesh_data_decode(bad, len, &out), CODEC_ERR_BAD_AE);
	bad[32] = 3; /* reserved */
	ck_assert_int_eq(mesh_data_decode(bad, len, &out), CODEC_ERR_BAD_AE);
	memcpy(bad, buf, len);
	bad[4] = 0x01; /* unicast form with a group receiver */
	ck_assert_int_eq(mesh_data_decode(bad, len, &out), CODEC_ERR_BAD_DS);

	hdr = sample_group_hdr(MESH_AE_NONE, 0x0800);
	len = build(&hdr, buf, sizeof(buf));
	buf[26] = MESH_AE_A5_A6; /* AE 2 is for unicast frames only */
	ck_assert_int_eq(mesh_data_decode(buf, len, &out), CODEC_ERR_BAD_AE);
	buf[26] = 0;
	buf[4] = 0x02; /* group form with an individual receiver */
	ck_assert_int_eq(mesh_data_decode(buf, len, &out), CODEC_ERR_BAD_DS);

	hdr.mc.flags = MESH_AE_A5_A6;
	ck_assert_int_eq(mesh_data_encode_header(buf, sizeof(buf), &hdr), CODEC_ERR_BAD_AE);
}
END_TEST

START_TEST(end_addresses_per_mode)
{
	struct mesh_data_hdr h;
	struct mac_addr da, sa;

	h = sample_unicast_hdr(MESH_AE_NONE, 0x0800);
	mesh_data_end_addrs(&h, &da, &sa);
	ck_assert(mac_equal(&da, &sample_mp3) && mac_equal(&sa, &sample_mp1));
	h = sample_unicast_hdr(MESH_AE_A5_A6, 0x0800);
	mesh_data_end_addrs(&h, &da, &sa);
	ck_assert(mac_equal(&da, &sample_sta2) && mac_equal(&sa, &sample_sta1));
	h = sample_group_hdr(MESH_AE_NONE, 0x0800);
	mesh_data_end_addrs(&h, &da, &sa);
	ck_assert(mac_is_broadcast(&da) && mac_equal(&sa, &sample_mp1));
	h = sample_group_hdr(MESH_AE_A4, 0x0800);
	mesh_data_end_addrs(&h, &da, &sa);
	ck_assert(mac_is_broadcast(&da) && mac_equal(&sa, &sample_sta1));
}
END_TEST

START_TEST(ethernet_ii_round_trip)
{
	uint8_t eth[64], mesh[256], back[128];
	struct mesh_data_hdr tmpl = sample_unicast_hdr(MESH_AE_A5_A6, 0), out;
	int mlen, elen;

	mac_write(eth, &sample_sta2);
	mac_write(eth + 6, &sample_sta1);
	eth[12] = 0x08;
	eth[13] = 0x00;
	memcpy(eth + 14, payload, sizeof(payload));
	mlen = ether_to_mesh_data(eth, 14 + sizeof(payload), &tmpl, mesh, sizeof(mesh));
	ck_assert_int_eq(mlen, 32 + 18 + 8 + (int)sizeof(payload));
	ck_assert_int_eq(mesh_data_decode(mesh, (size_t)mlen, &out), CODEC_OK);
	ck_assert(out.has_snap);
	ck_assert_uint_eq(out.ethertype, 0x0800);
	elen = mesh_data_to_ether(mesh, (size_t)mlen, back, sizeof(back));
	ck_assert_int_eq(elen, 14 + (int)sizeof(payload));
	ck_assert_mem_eq(back, eth, (size_t)elen);
	ck_assert_int_eq(mesh_data_to_ether(mesh, (size_t)mlen, back, (size_t)elen - 1), CODEC_ERR_NO_SPACE);
}
END_TEST

/* An 802.2 frame (the XID "layer-2 update" APs send for roaming stations) has a length field,
 * is carried without SNAP, and comes back with the same length; trailing pad is not carried. */
START_TEST(ieee8023_llc_round_trip)
{
	static const uint8_t xid[] = {0x00, 0x01, 0xaf, 0x81, 0x01, 0x00};
	uint8_t eth[60], mesh[256], back[128];
	struct mesh_data_hdr tmpl = sample_group_hdr(MESH_AE_A4, 0), out;
	int mlen, elen;

	memset(eth, 0, sizeof(eth));
	memset(eth, 0xff, 6);
	mac_write(eth + 6, &sample_sta1);
	eth[13] = sizeof(xid);
	memcpy(eth + 14, xid, sizeof(xid));
	mlen = ether_to_mesh_data(eth, sizeof(eth), &tmpl, mesh, sizeof(mesh));
	ck_assert_int_eq(mlen, 26 + 12 + (int)sizeof(xid));
	ck_assert_int_eq(mesh_data_decode(mesh, (size_t)mlen, &out), CODEC_OK);
	ck_assert(!out.has_snap);
	elen = mesh_data_to_ether(mesh, (size_t)mlen, back, sizeof(back));
	ck_assert_int_eq(elen, 14 + (int)sizeof(xid));
	ck_assert_mem_eq(back, eth, (size_t)elen);
}
END_TEST

START_TEST(bad_ethernet_is_rejected)
{
	uint8_t eth[20] = {0};
	uint8_t mesh[128];
	struct mesh_data_hdr tmpl = sample_unicast_hdr(MESH_AE_NONE, 0);
	struct ether_info info;

	ck_assert_int_eq(ether_parse(eth, 13, &info), CODEC_ERR_TRUNCATED);
	eth[13] = 7; /* 802.3 length 7 with 6 bytes of payload */
	ck_assert_int_eq(ether_parse(eth, 20, &info), CODEC_ERR_BAD_ETHER);
	ck_assert_int_eq(ether_to_mesh_data(eth, 20, &tmpl, mesh, sizeof(mesh)), CODEC_ERR_BAD_ETHER);
	eth[12] = 0x08;
	eth[13] = 0x00;
	ck_assert_int_eq(ether_to_mesh_data(eth, 20, &tmpl, mesh, 50), CODEC_ERR_NO_SPACE);
}
END_TEST

START_TEST(mesh_echo_round_trip_and_rejects)
{
	struct mesh_echo in = {.type = MESH_ECHO_TTL_EXCEEDED, .ttl_sent = 3, .id = 0xbeef, .seq = 7,
			       .sent_us = 0x0102030405060708ull, .responder = sample_mp2}, out;
	uint8_t buf[MESH_ECHO_LEN];

	ck_assert_int_eq(mesh_echo_encode(buf, sizeof(buf) - 1, &in), CODEC_ERR_NO_SPACE);
	ck_assert_int_eq(mesh_echo_encode(buf, sizeof(buf), &in), MESH_ECHO_LEN);
	ck_assert_int_eq(mesh_echo_decode(buf, sizeof(buf), &out), 0);
	ck_assert_uint_eq(out.type, MESH_ECHO_TTL_EXCEEDED);
	ck_assert_uint_eq(out.ttl_sent, 3);
	ck_assert_uint_eq(out.id, 0xbeef);
	ck_assert_uint_eq(out.seq, 7);
	ck_assert_uint_eq(out.sent_us, 0x0102030405060708ull);
	ck_assert(mac_equal(&out.responder, &sample_mp2));
	for (size_t len = 0; len < MESH_ECHO_LEN; len++)
		ck_assert_int_eq(mesh_echo_decode(buf, len, &out), CODEC_ERR_TRUNCATED);
	buf[6] = 4;
	ck_assert_int_eq(mesh_echo_decode(buf, sizeof(buf), &out), CODEC_ERR_NOT_DATA);
	buf[6] = 1;
	buf[0] = 'X';
	ck_assert_int_eq(mesh_echo_decode(buf, sizeof(buf), &out), CODEC_ERR_NOT_DATA);
}
END_TEST

Suite *mesh_data_suite(void)
{
	Suite *s = suite_create("mesh_data");
	TCase *tc = tcase_create("mesh_data");

	tcase_add_test(tc, unicast_round_trips);
	tcase_add_test(tc, group_round_trips);
	tcase_add_test(tc, group_without_mesh_control_bit);
	tcase_add_test(tc, unicast_ae2_exact_bytes);
	tcase_add_test(tc, invalid_frames_are_rejected);
	tcase_add_test(tc, end_addresses_per_mode);
	tcase_add_test(tc, ethernet_ii_round_trip);
	tcase_add_test(tc, ieee8023_llc_round_trip);
	tcase_add_test(tc, bad_ethernet_is_rejected);
	tcase_add_test(tc, mesh_echo_round_trip_and_rejects);
	suite_add_tcase(s, tc);
	return s;
}
