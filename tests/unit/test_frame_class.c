#include <check.h>
#include <string.h>

#include "frame_class.h"
#include "radiotap.h"
#include "sample_frames.h"
#include "suites.h"

/* Prepends a radiotap header to an 802.11 frame; returns the total length. */
static size_t with_radiotap(const uint8_t *frame, size_t len, uint8_t *out, uint8_t flags)
{
	int rt = radiotap_build(out, 600, 0x6c, flags);

	memcpy(out + rt, frame, len);
	return (size_t)rt + len;
}

static enum frame_class classify(const uint8_t *frame, size_t len)
{
	uint8_t buf[600];
	struct frame_view v;
	size_t n = with_radiotap(frame, len, buf, 0);
	enum frame_class c = frame_classify_mesh(buf, n, MESH_LINK_RADIOTAP, &v);

	if (c == FRAME_CLASS_mesh_data_unicast || c == FRAME_CLASS_mesh_data_group) {
		ck_assert_uint_eq(v.l2_off, RADIOTAP_TX_LEN);
		ck_assert_uint_eq(v.l2_len, len);
	}
	return c;
}

START_TEST(mesh_frames_by_kind)
{
	struct mesh_data_hdr u = sample_unicast_hdr(2, 0x0800), g = sample_group_hdr(1, 0x0800);
	struct mgmt_hdr ah = sample_action_hdr();
	struct hwmp_preq preq = sample_preq(false, 1);
	struct beacon b = sample_beacon();
	uint8_t f[512];
	int n;

	n = mesh_data_encode_header(f, sizeof(f), &u);
	ck_assert_int_eq(classify(f, (size_t)n), FRAME_CLASS_mesh_data_unicast);
	n = mesh_data_encode_header(f, sizeof(f), &g);
	ck_assert_int_eq(classify(f, (size_t)n), FRAME_CLASS_mesh_data_group);
	n = action_encode_header(f, sizeof(f), &ah, WLAN_CATEGORY_MESH, WLAN_MESH_ACTION_HWMP);
	n += hwmp_preq_encode(f + n, sizeof(f) - (size_t)n, &preq);
	ck_assert_int_eq(classify(f, (size_t)n), FRAME_CLASS_mesh_hwmp_action);
	ck_assert_int_eq(classify(f, (size_t)n - 1), FRAME_CLASS_drop_bad_element);
	f[24] = WLAN_CATEGORY_SELF_PROTECTED;
	ck_assert_int_eq(classify(f, (size_t)n), FRAME_CLASS_mesh_other_action);
	n = beacon_encode(f, sizeof(f), &b, NULL, 0);
	ck_assert_int_eq(classify(f, (size_t)n), FRAME_CLASS_mesh_beacon);
	ck_assert_int_eq(classify(f, (size_t)n - 3), FRAME_CLASS_drop_bad_element);
	f[0] = 0x40; /* probe request */
	ck_assert_int_eq(classify(f, (size_t)n), FRAME_CLASS_mesh_other_mgmt);
	f[0] = 0xd4; /* ACK */
	ck_assert_int_eq(classify(f, 10), FRAME_CLASS_drop_control);
}
END_TEST

START_TEST(mesh_drops_by_reason)
{
	struct mesh_data_hdr u = sample_unicast_hdr(0, 0x0800);
	uint8_t f[512], buf[600];
	struct frame_view v;
	int n = mesh_data_encode_header(f, sizeof(f), &u);
	size_t len;

	ck_assert_int_eq(classify(f, 20), FRAME_CLASS_drop_truncated);
	f[32] = 3;
	ck_assert_int_eq(classify(f, (size_t)n), FRAME_CLASS_drop_bad_ae);
	f[32] = 0;
	f[1] = 0x01;
	ck_assert_int_eq(classify(f, (size_t)n), FRAME_CLASS_drop_bad_ds);
	f[1] = 0x43;
	ck_assert_int_eq(classify(f, (size_t)n), FRAME_CLASS_drop_protected);
	f[1] = 0x03;
	f[0] = 0x08;
	ck_assert_int_eq(classify(f, (size_t)n), FRAME_CLASS_drop_not_mesh_data);
	f[0] = 0x88;

	len = with_radiotap(f, (size_t)n, buf, 0);
	buf[0] = 1;
	ck_assert_int_eq(frame_classify_mesh(buf, len, MESH_LINK_RADIOTAP, &v), FRAME_CLASS_drop_bad_radiotap);
	buf[0] = 0;
	buf[2] = 200; /* it_len beyond the frame */
	ck_assert_int_eq(frame_classify_mesh(buf, len, MESH_LINK_RADIOTAP, &v), FRAME_CLASS_drop_truncated);

	/* An FCS flagged in radiotap is not part of the frame. */
	len = with_radiotap(f, (size_t)n, buf, RADIOTAP_F_FCS);
	memset(buf + len, 0xee, 4);
	ck_assert_int_eq(frame_classify_mesh(buf, len + 4, MESH_LINK_RADIOTAP, &v), FRAME_CLASS_mesh_data_unicast);
	ck_assert_uint_eq(v.l2_len, (size_t)n);
	/* Without radiotap the 802.11 frame starts at 0. */
	ck_assert_int_eq(frame_classify_mesh(f, (size_t)n, MESH_LINK_BARE, &v), FRAME_CLASS_mesh_data_unicast);
	ck_assert_uint_eq(v.l2_off, 0);
}
END_TEST

/* What Linux sends besides plain mesh data: a QoS Null after peering (FC c8 03), group data with the
 * No-Ack policy (QoS bits 5-6 = 01), and A-MSDU (QoS bit 7), which we count but do not decode. */
START_TEST(linux_data_frames)
{
	static const uint8_t qos_null[] = {0xc8, 0x03, 0, 0, 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2,
					   0x10, 0, 2, 0, 0, 0, 0, 1, 0x17, 0x01};
	struct mesh_data_hdr g = sample_group_hdr(1, 0x0800), u = sample_unicast_hdr(0, 0x0800);
	uint8_t f[512];
	int n;

	ck_assert_int_eq(classify(qos_null, sizeof(qos_null)), FRAME_CLASS_mesh_null_data);
	ck_assert(!frame_class_is_drop(FRAME_CLASS_mesh_null_data));
	n = mesh_data_encode_header(f, sizeof(f), &g);
	f[24] |= 0x20; /* QoS: Ack Policy No Ack */
	ck_assert_int_eq(classify(f, (size_t)n), FRAME_CLASS_mesh_data_group);
	n = mesh_data_encode_header(f, sizeof(f), &u);
	f[30] |= 0x80; /* QoS: A-MSDU present */
	ck_assert_int_eq(classify(f, (size_t)n), FRAME_CLASS_drop_amsdu);
	ck_assert(frame_class_is_drop(FRAME_CLASS_drop_amsdu));
}
END_TEST

/* A wired mesh port: the 802.11 frame after a 14-byte Ethernet header whose addresses are its receiver
 * and transmitter and whose EtherType is 0x88B5; anything else is refused before the 802.11 fields. */
START_TEST(wired_mesh_frames)
{
	static const uint8_t wire_head[14] = {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x88, 0xb5};
	struct mesh_data_hdr u = sample_unicast_hdr(0, 0x0800), g = sample_group_hdr(1, 0x0800);
	struct beacon b = sample_beacon();
	uint8_t f[600];
	struct frame_view v;
	int n;

	u.addr1 = (struct mac_addr){{0x02, 0, 0, 0, 0, 0x02}};
	u.addr2 = (struct mac_addr){{0x02, 0, 0, 0, 0, 0x01}};
	n = mesh_data_encode_header(f + WIRED_MESH_HDR_LEN, sizeof(f) - WIRED_MESH_HDR_LEN, &u);
	ck_assert_int_gt(n, 0);
	wired_mesh_build(f, f + WIRED_MESH_HDR_LEN);
	ck_assert_mem_eq(f, wire_head, sizeof(wire_head)); /* the documented layout, byte by byte */
	ck_assert_int_eq(frame_classify_mesh(f, WIRED_MESH_HDR_LEN + (size_t)n, MESH_LINK_ETHERNET, &v),
			 FRAME_CLASS_mesh_data_unicast);
	ck_assert_uint_eq(v.l2_off, WIRED_MESH_HDR_LEN);
	ck_assert_uint_eq(v.l2_len, (size_t)n);
	ck_assert(mac_equal(&v.data.addr1, &u.addr1));

	/* A plain Ethernet frame of a host on the segment, a lying source, a lying destination, runts. */
	f[12] = 0x08;
	f[13] = 0x00;
	ck_assert_int_eq(frame_classify_mesh(f, WIRED_MESH_HDR_LEN + (size_t)n, MESH_LINK_ETHERNET, &v),
			 FRAME_CLASS_drop_not_wired_mesh);
	f[12] = 0x88;
	f[13] = 0xb5;
	f[11] = 0x09;
	ck_assert_int_eq(frame_classify_mesh(f, WIRED_MESH_HDR_LEN + (size_t)n, MESH_LINK_ETHERNET, &v),
			 FRAME_CLASS_drop_bad_wired_header);
	ck_assert_int_eq(wired_mesh_check(f, WIRED_MESH_HDR_LEN + (size_t)n), WIRED_MESH_MISMATCH);
	f[11] = 0x01;
	f[5] = 0xff;
	ck_assert_int_eq(wired_mesh_check(f, WIRED_MESH_HDR_LEN + (size_t)n), WIRED_MESH_MISMATCH);
	f[5] = 0x02;
	ck_assert_int_eq(wired_mesh_check(f, WIRED_MESH_HDR_LEN + (size_t)n), WIRED_MESH_OK);
	ck_assert_int_eq(frame_classify_mesh(f, 13, MESH_LINK_ETHERNET, &v), FRAME_CLASS_drop_truncated);
	ck_assert_int_eq(frame_classify_mesh(f, WIRED_MESH_HDR_LEN + 15, MESH_LINK_ETHERNET, &v),
			 FRAME_CLASS_drop_truncated);

	/* Group data and beacons go to a group address on the wire as well. */
	n = mesh_data_encode_header(f + WIRED_MESH_HDR_LEN, sizeof(f) - WIRED_MESH_HDR_LEN, &g);
	wired_mesh_build(f, f + WIRED_MESH_HDR_LEN);
	ck_assert(f[0] & 0x01);
	ck_assert_int_eq(frame_classify_mesh(f, WIRED_MESH_HDR_LEN + (size_t)n, MESH_LINK_ETHERNET, &v),
			 FRAME_CLASS_mesh_data_group);
	n = beacon_encode(f + WIRED_MESH_HDR_LEN, sizeof(f) - WIRED_MESH_HDR_LEN, &b, NULL, 0);
	ck_assert_int_gt(n, 0);
	wired_mesh_build(f, f + WIRED_MESH_HDR_LEN);
	ck_assert_int_eq(frame_classify_mesh(f, WIRED_MESH_HDR_LEN + (size_t)n, MESH_LINK_ETHERNET, &v),
			 FRAME_CLASS_mesh_beacon);
}
END_TEST

START_TEST(ethernet_classes)
{
	uint8_t eth[60] = {0};
	struct frame_view v;

	eth[0] = 0x02;
	eth[12] = 0x08;
	ck_assert_int_eq(frame_classify_ether(eth, 60, &v), FRAME_CLASS_eth_unicast);
	eth[0] = 0x33;
	ck_assert_int_eq(frame_classify_ether(eth, 60, &v), FRAME_CLASS_eth_group);
	memcpy(eth, "\x01\x80\xc2\x00\x00\x03", 6);
	ck_assert_int_eq(frame_classify_ether(eth, 60, &v), FRAME_CLASS_eth_link_local);
	ck_assert_int_eq(frame_classify_ether(eth, 13, &v), FRAME_CLASS_drop_bad_ether);
	eth[12] = 0x00;
	eth[13] = 100;
	ck_assert_int_eq(frame_classify_ether(eth, 60, &v), FRAME_CLASS_drop_bad_ether);
	ck_assert_str_eq(frame_class_name(FRAME_CLASS_eth_link_local), "eth_link_local");
}
END_TEST

Suite *frame_class_suite(void)
{
	Suite *s = suite_create("frame_class");
	TCase *tc = tcase_create("frame_class");

	tcase_add_test(tc, mesh_frames_by_kind);
	tcase_add_test(tc, mesh_drops_by_reason);
	tcase_add_test(tc, ethernet_classes);
	tcase_add_test(tc, wired_mesh_frames);
	tcase_add_test(tc, linux_data_frames);
	suite_add_tcase(s, tc);
	return s;
}
