/* Frames a real Linux 6.1 mesh point sent (tests/unit/data/linux-6.1-mesh.pcap, captured by airsim in
 * tests/integration/linux_interop.sh): its Mesh Peering Open/Confirm/Close, a beacon, a QoS Null,
 * forwarded data frames without the Mesh Control Present bit and HWMP frames. Each must be classified
 * and decoded as what it is, with the fields Linux puts there. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "frame_class.h"
#include "hwmp_elements.h"
#include "hwmp_legacy.h"
#include "mesh_ies.h"
#include "peering_frame.h"
#include "radiotap.h"
#include "suites.h"

#ifndef MESHPLANE_SOURCE_DIR
#define MESHPLANE_SOURCE_DIR "."
#endif

#define MAX_RECORDS 64

struct record {
	size_t len;
	uint8_t data[2048];
};

static struct record records[MAX_RECORDS];

static unsigned load(void)
{
	FILE *f = fopen(MESHPLANE_SOURCE_DIR "/tests/unit/data/linux-6.1-mesh.pcap", "rb");
	uint8_t hdr[24], rec[16];
	unsigned n = 0;

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(hdr, 1, sizeof(hdr), f), sizeof(hdr));
	ck_assert_uint_eq(get_le32(hdr + 20), 127); /* radiotap */
	while (n < MAX_RECORDS && fread(rec, 1, sizeof(rec), f) == sizeof(rec)) {
		records[n].len = get_le32(rec + 8);
		ck_assert_uint_le(records[n].len, sizeof(records[n].data));
		ck_assert_uint_eq(fread(records[n].data, 1, records[n].len, f), records[n].len);
		n++;
	}
	fclose(f);
	return n;
}

START_TEST(linux_frames_decode)
{
	unsigned n = load(), opens = 0, confirms = 0, closes = 0, beacons = 0, nulls = 0, data = 0, hwmp = 0;

	ck_assert_uint_ge(n, 20);
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *buf = records[i].data;
		struct radiotap_info rt;
		struct frame_view v;
		enum frame_class c = frame_classify_mesh(buf, records[i].len, MESH_LINK_RADIOTAP, &v);
		const uint8_t *f;
		size_t flen;

		ck_assert_int_eq(radiotap_parse(buf, records[i].len, &rt), CODEC_OK);
		ck_assert_uint_eq(rt.header_len, 26); /* a mac80211 monitor's radiotap header */
		f = buf + v.l2_off;
		flen = v.l2_len;
		ck_assert_msg(!frame_class_is_drop(c), "frame %u: %s", i, frame_class_name(c));
		if (c == FRAME_CLASS_mesh_other_action) {
			struct peering_frame pf;

			ck_assert_int_eq(peering_frame_decode(f, flen, &pf), CODEC_OK);
			ck_assert_uint_eq(pf.mpm.protocol, MESH_PEERING_PROTO_MPM);
			ck_assert_uint_ne(pf.mpm.llid, 0);
			if (pf.action == WLAN_SP_MESH_PEERING_OPEN) {
				ck_assert(!pf.mpm.has_plid && pf.capability == 0 && pf.elems.has_mesh_config);
				ck_assert_uint_eq(mesh_rates_basic_bitmap(&pf.elems.rates), 0x1); /* only 1 Mb/s */
				ck_assert(!pf.elems.has_ext && !pf.elems.has_rsn);
				opens++;
			} else if (pf.action == WLAN_SP_MESH_PEERING_CONFIRM) {
				ck_assert(pf.mpm.has_plid && pf.aid >= 1 && pf.aid <= 2007);
				confirms++;
			} else {
				ck_assert(pf.mpm.has_reason && pf.elems.has_mesh_id);
				ck_assert_uint_ge(pf.mpm.reason, WLAN_REASON_MESH_PEERING_CANCELED);
				ck_assert_uint_le(pf.mpm.reason, WLAN_REASON_MESH_INVALID_SECURITY);
				closes++;
			}
		} else if (c == FRAME_CLASS_mesh_beacon) {
			struct beacon b;
			struct mesh_ies ies;

			ck_assert_int_eq(beacon_decode(f, flen, &b), CODEC_OK);
			ck_assert_uint_eq(b.interval_tu, 1000);
			ck_assert_int_eq(mesh_ies_parse(b.ies, b.ies_len, &ies), CODEC_OK);
			ck_assert(ies.has_ds && ies.channel == 1 && ies.has_mesh_id && ies.has_mesh_config);
			ck_assert_uint_eq(mesh_rates_basic_bitmap(&ies.rates), 0x1);
			ck_assert_uint_eq(ies.mesh_config.capability & MESH_CAP_ACCEPTING_PEERINGS, MESH_CAP_ACCEPTING_PEERINGS);
			beacons++;
		} else if (c == FRAME_CLASS_mesh_null_data) {
			nulls++;
		} else if (c == FRAME_CLASS_mesh_data_unicast || c == FRAME_CLASS_mesh_data_group) {
			ck_assert(v.data.mcp_missing); /* Linux 6.1 forwards with the bit clear */
			ck_assert(v.data.has_snap);
			data++;
		} else if (c == FRAME_CLASS_mesh_hwmp_action) {
			const uint8_t *el = f + ACTION_HDR_LEN;

			ck_assert(hwmp_is_legacy_form(el, flen - ACTION_HDR_LEN));
			if (el[0] == WLAN_EID_PREQ) {
				struct hwmp_preq q;

				ck_assert_int_eq(hwmp_preq_decode(el + 2, el[1], &q), CODEC_OK);
				ck_assert_uint_eq(q.target_count, 1);
			} else {
				struct hwmp_prep p;

				ck_assert_uint_eq(el[0], WLAN_EID_PREP);
				ck_assert_int_eq(hwmp_prep_decode(el + 2, el[1], &p), CODEC_OK);
			}
			hwmp++;
		}
	}
	ck_assert(opens > 0 && confirms > 0 && closes > 0 && beacons == 1 && nulls == 1 && data == 2 && hwmp == 4);
}
END_TEST

Suite *linux_frames_suite(void)
{
	Suite *s = suite_create("linux_frames");
	TCase *tc = tcase_create("captured");

	tcase_add_test(tc, linux_frames_decode);
	suite_add_tcase(s, tc);
	return s;
}
