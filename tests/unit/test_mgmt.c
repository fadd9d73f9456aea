#include <check.h>
#include <string.h>

#include "codec.h"
#include "mesh_heard.h"
#include "mgmt.h"
#include "sample_frames.h"
#include "suites.h"

START_TEST(ie_iterator_walks_and_rejects_overrun)
{
	static const uint8_t list[] = {0, 0, 114, 3, 'a', 'b', 'c', 221, 1, 0x42};
	struct ie_iter it;
	struct ie e;

	ie_iter_init(&it, list, sizeof(list));
	ck_assert_int_eq(ie_iter_next(&it, &e), 1);
	ck_assert_uint_eq(e.id, 0);
	ck_assert_uint_eq(e.len, 0);
	ck_assert_int_eq(ie_iter_next(&it, &e), 1);
	ck_assert_uint_eq(e.id, 114);
	ck_assert_mem_eq(e.data, "abc", 3);
	ck_assert_int_eq(ie_iter_next(&it, &e), 1);
	ck_assert_uint_eq(e.data[0], 0x42);
	ck_assert_int_eq(ie_iter_next(&it, &e), 0);

	/* Every cut inside an element is an overrun; cuts on element boundaries end cleanly. */
	for (size_t len = 0; len <= sizeof(list); len++) {
		int ret, count = 0;
		bool boundary = len == 0 || len == 2 || len == 7 || len == 10;

		ie_iter_init(&it, list, len);
		while ((ret = ie_iter_next(&it, &e)) == 1)
			count++;
		ck_assert_msg(boundary ? ret == 0 : ret == CODEC_ERR_ELEMENT_OVERRUN,
			      "cut at %zu gave %d", len, ret);
	}
}
END_TEST

START_TEST(ie_find_and_write)
{
	uint8_t buf[16];
	struct ie e;

	ck_assert_int_eq(ie_write(buf, sizeof(buf), 114, (const uint8_t *)"mesh", 4), 6);
	ck_assert_int_eq(ie_write(buf + 6, sizeof(buf) - 6, 221, NULL, 0), 2);
	ck_assert_int_eq(ie_find(buf, 8, 221, &e), 1);
	ck_assert_uint_eq(e.len, 0);
	ck_assert_int_eq(ie_find(buf, 8, 113, &e), 0);
	ck_assert_int_eq(ie_find(buf, 5, 113, &e), CODEC_ERR_ELEMENT_OVERRUN);
	ck_assert_int_eq(ie_write(buf, 5, 114, (const uint8_t *)"mesh", 4), CODEC_ERR_NO_SPACE);
}
END_TEST

START_TEST(mesh_id_limits)
{
	struct mesh_id a, b;
	char long_id[34];

	memset(long_id, 'x', 33);
	long_id[33] = '\0';
	ck_assert_int_eq(mesh_id_set(&a, long_id), CODEC_ERR_TOO_LONG);
	long_id[32] = '\0';
	ck_assert_int_eq(mesh_id_set(&a, long_id), CODEC_OK);
	ck_assert_uint_eq(a.len, 32);
	ck_assert_int_eq(mesh_id_set(&b, "campus"), CODEC_OK);
	ck_assert(!mesh_id_equal(&a, &b));
	ck_assert_int_eq(mesh_id_set(&a, "campus"), CODEC_OK);
	ck_assert(mesh_id_equal(&a, &b));
}
END_TEST

START_TEST(mesh_config_round_trip)
{
	struct beacon b = sample_beacon();
	struct mesh_config_ie out;
	uint8_t buf[16];

	ck_assert_int_eq(mesh_config_encode(buf, sizeof(buf), &b.mesh_config), 9);
	ck_assert_uint_eq(buf[0], WLAN_EID_MESH_CONFIG);
	ck_assert_uint_eq(buf[1], 7);
	ck_assert_int_eq(mesh_config_decode(buf + 2, 7, &out), CODEC_OK);
	ck_assert_mem_eq(&out, &b.mesh_config, sizeof(out));
	for (size_t len = 0; len < 7; len++)
		ck_assert_int_eq(mesh_config_decode(buf + 2, len, &out), CODEC_ERR_TRUNCATED);
	ck_assert_int_eq(mesh_config_decode(buf + 2, 8, &out), CODEC_ERR_BAD_LENGTH);
}
END_TEST

START_TEST(action_frame_round_trip)
{
	struct mgmt_hdr h = sample_action_hdr();
	struct action_frame af;
	uint8_t buf[64];

	ck_assert_int_eq(action_encode_header(buf, sizeof(buf), &h, WLAN_CATEGORY_MESH, WLAN_MESH_ACTION_HWMP),
			 ACTION_HDR_LEN);
	buf[26] = 0xee;
	ck_assert_int_eq(action_decode(buf, 27, &af), CODEC_OK);
	ck_assert_uint_eq(af.category, WLAN_CATEGORY_MESH);
	ck_assert_uint_eq(af.action, WLAN_MESH_ACTION_HWMP);
	ck_assert(mac_equal(&af.hdr.addr1, &sample_mp2));
	ck_assert(mac_equal(&af.hdr.addr2, &sample_mp1));
	ck_assert_uint_eq(af.hdr.seq_ctrl, 0x0120);
	ck_assert_uint_eq(af.body_len, 1);
	ck_assert_uint_eq(af.body[0], 0xee);
	for (size_t len = 0; len < ACTION_HDR_LEN; len++)
		ck_assert_int_eq(action_decode(buf, len, &af), CODEC_ERR_TRUNCATED);
	buf[0] = 0x88;
	ck_assert_int_eq(action_decode(buf, 27, &af), CODEC_ERR_NOT_MGMT);
	buf[0] = IEEE80211_FC0_BEACON;
	ck_assert_int_eq(action_decode(buf, 27, &af), CODEC_ERR_NOT_MGMT);
	buf[0] = IEEE80211_FC0_ACTION;
	buf[1] = 0x40;
	ck_assert_int_eq(action_decode(buf, 27, &af), CODEC_ERR_PROTECTED);
}
END_TEST

START_TEST(beacon_round_trip_and_truncation)
{
	static const uint8_t vendor[] = {221, 4, 0x00, 0x11, 0x22, 0x01};
	struct beacon b = sample_beacon(), out;
	uint8_t buf[128];
	int len = beacon_encode(buf, sizeof(buf), &b, vendor, sizeof(vendor));
	/* header 24 + fixed 12 + SSID 2 + rates 10 + extended rates 6 + Mesh ID 13 + config 9 + vendor 6 */
	const size_t boundaries[] = {36, 38, 48, 54, 67, 76, 82};
	struct ie e;

	ck_assert_int_eq(len, 82);
	ck_assert_int_eq(beacon_decode(buf, (size_t)len, &out), CODEC_OK);
	ck_assert(out.has_mesh_id && mesh_id_equal(&out.mesh_id, &b.mesh_id));
	ck_assert(out.has_mesh_config);
	ck_assert_mem_eq(&out.mesh_config, &b.mesh_config, sizeof(out.mesh_config));
	ck_assert_uint_eq(out.timestamp, b.timestamp);
	ck_assert_uint_eq(out.interval_tu, 100);
	ck_assert(mac_equal(&out.hdr.addr2, &sample_mp1));
	ck_assert_int_eq(ie_find(out.ies, out.ies_len, WLAN_EID_VENDOR, &e), 1);
	ck_assert_mem_eq(e.data, vendor + 2, 4);

	for (size_t cut = 0; cut < (size_t)len; cut++) {
		bool boundary = false;
		int ret = beacon_decode(buf, cut, &out);

		for (size_t i = 0; i < sizeof(boundaries) / sizeof(boundaries[0]); i++)
			boundary |= boundaries[i] == cut;
		if (!boundary) {
			ck_assert_msg(ret < 0, "cut at %zu accepted", cut);
			continue;
		}
		/* A cut between elements is a shorter valid beacon that lacks the later elements. */
		ck_assert_int_eq(ret, CODEC_OK);
		ck_assert(!(out.has_mesh_id && out.has_mesh_config) || cut == 76);
	}
	ck_assert_int_eq(beacon_encode(buf, 81, &b, vendor, sizeof(vendor)), CODEC_ERR_NO_SPACE);
}
END_TEST

START_TEST(beacon_with_bad_mesh_elements_is_rejected)
{
	struct beacon b = sample_beacon(), out;
	uint8_t buf[128];
	int len = beacon_encode(buf, sizeof(buf), &b, NULL, 0);

	ck_assert_int_gt(len, 0);
	buf[len - 8] = 6; /* Mesh Configuration length 7 -> 6 leaves a stray byte: overrun later */
	ck_assert_int_lt(beacon_decode(buf, (size_t)len, &out), 0);
	buf[len - 8] = 7;
	buf[49] = 33; /* Mesh ID claims 33 octets */
	ck_assert_int_lt(beacon_decode(buf, (size_t)len, &out), 0);
}
END_TEST

/* The wired hellos' heard list: listed, a complete list without us, an incomplete one (too many
 * neighbours for one element), no element, a malformed one; other vendor elements are skipped. */
START_TEST(heard_element_round_trip)
{
	struct mac_addr macs[MESH_HEARD_MAX + 1], us = {{0x02, 0, 0, 0, 0x77, 0x0a}};
	uint8_t buf[600] = {0};
	static const uint8_t other_vendor[] = {221, 5, 0x02, 0x6d, 0x70, 2, 0x07};
	int len;

	for (unsigned i = 0; i <= MESH_HEARD_MAX; i++)
		macs[i] = (struct mac_addr){{0x02, 0, 0, 1, 0, (uint8_t)i}};
	ck_assert_int_eq(mesh_heard_lists(buf, 0, &us), MESH_HEARD_UNKNOWN);

	len = mesh_heard_write(buf, sizeof(buf), macs, 2);
	ck_assert_int_eq(len, 2 + 5 + 12);
	ck_assert_uint_eq(buf[0], 221);
	ck_assert_uint_eq(buf[5], MESHPLANE_VENDOR_HEARD);
	ck_assert_int_eq(mesh_heard_lists(buf, (size_t)len, &us), MESH_HEARD_NOT_LISTED);
	ck_assert_int_eq(mesh_heard_lists(buf, (size_t)len, &macs[1]), MESH_HEARD_LISTED);

	/* behind another of our vendor elements */
	memmove(buf + sizeof(other_vendor), buf, (size_t)len);
	memcpy(buf, other_vendor, sizeof(other_vendor));
	ck_assert_int_eq(mesh_heard_lists(buf, sizeof(other_vendor) + (size_t)len, &macs[0]), MESH_HEARD_LISTED);

	/* none heard yet: a complete, empty list */
	len = mesh_heard_write(buf, sizeof(buf), macs, 0);
	ck_assert_int_eq(len, 7);
	ck_assert_int_eq(mesh_heard_lists(buf, (size_t)len, &us), MESH_HEARD_NOT_LISTED);

	/* one more than fits: the first MESH_HEARD_MAX, marked incomplete, so the rest is unknown */
	len = mesh_heard_write(buf, sizeof(buf), macs, MESH_HEARD_MAX + 1);
	ck_assert_int_eq(len, 2 + 5 + 6 * MESH_HEARD_MAX);
	ck_assert_int_eq(mesh_heard_lists(buf, (size_t)len, &macs[MESH_HEARD_MAX - 1]), MESH_HEARD_LISTED);
	ck_assert_int_eq(mesh_heard_lists(buf, (size_t)len, &macs[MESH_HEARD_MAX]), MESH_HEARD_UNKNOWN);
	ck_assert_int_eq(mesh_heard_write(buf, 20, macs, 3), CODEC_ERR_NO_SPACE);

	/* a length that is not 5 + 6 n */
	len = mesh_heard_write(buf, sizeof(buf), macs, 1);
	buf[1] -= 1;
	ck_assert_int_eq(mesh_heard_lists(buf, (size_t)len - 1, &macs[0]), MESH_HEARD_MALFORMED);
	buf[1] = 4;
	ck_assert_int_eq(mesh_heard_lists(buf, 6, &macs[0]), MESH_HEARD_MALFORMED);
}
END_TEST

Suite *mgmt_suite(void)
{
	Suite *s = suite_create("mgmt");
	TCase *tc = tcase_create("mgmt");

	tcase_add_test(tc, ie_iterator_walks_and_rejects_overrun);
	tcase_add_test(tc, ie_find_and_write);
	tcase_add_test(tc, mesh_id_limits);
	tcase_add_test(tc, mesh_config_round_trip);
	tcase_add_test(tc, action_frame_round_trip);
	tcase_add_test(tc, beacon_round_trip_and_truncation);
	tcase_add_test(tc, beacon_with_bad_mesh_elements_is_rejected);
	tcase_add_test(tc, heard_element_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
