/* Topology announcements: the codec's exact bytes and rejects, and the store's rules (newest per origin
 * by serial arithmetic, expiry after three intervals, a bounded table). */
#include <string.h>

#include "codec.h"
#include "suites.h"
#include "topology_db.h"
#include "topology_msg.h"

static struct topology_msg sample(void)
{
	struct topology_msg m = {
		.origin = {{0x02, 0, 0, 0, 0, 0x01}}, .seq = 0x01020304, .interval_s = 5,
		.flags = TOPOLOGY_FLAG_GATE, .n_peers = 2, .n_stations = 1, .name = "gw1",
		.peers = {{{{0x02, 0, 0, 0, 0, 0x02}}, 152}, {{{0x02, 0, 0, 0, 0, 0x03}}, 0x11223344}},
		.stations = {{{0x02, 0, 0, 0, 0xc1, 0x01}}},
	};

	return m;
}

START_TEST(topology_msg_exact_bytes_and_round_trip)
{
	static const uint8_t want[] = {
		'M', 'P', 'T', 'O', 1, TOPOLOGY_FLAG_GATE, 5, 0, 0x02, 0, 0, 0, 0, 0x01, 0x04, 0x03, 0x02, 0x01,
		2, 1, 3, 'g', 'w', '1',
		0x02, 0, 0, 0, 0, 0x02, 152, 0, 0, 0,
		0x02, 0, 0, 0, 0, 0x03, 0x44, 0x33, 0x22, 0x11,
		0x02, 0, 0, 0, 0xc1, 0x01,
	};
	struct topology_msg in = sample(), out;
	uint8_t buf[TOPOLOGY_MSG_MAX_LEN + 4];

	ck_assert_int_eq(topology_msg_encode(buf, sizeof(want) - 1, &in), CODEC_ERR_NO_SPACE);
	ck_assert_int_eq(topology_msg_encode(buf, sizeof(buf), &in), (int)sizeof(want));
	ck_assert_mem_eq(buf, want, sizeof(want));
	ck_assert(topology_msg_is(buf, sizeof(want)));
	ck_assert_int_eq(topology_msg_decode(buf, sizeof(want), &out), 0);
	ck_assert_mem_eq(&out.origin, &in.origin, sizeof(in.origin));
	ck_assert_uint_eq(out.seq, in.seq);
	ck_assert_uint_eq(out.interval_s, 5);
	ck_assert_uint_eq(out.flags, TOPOLOGY_FLAG_GATE);
	ck_assert_str_eq(out.name, "gw1");
	ck_assert_uint_eq(out.n_peers, 2);
	ck_assert_uint_eq(out.peers[1].metric, 0x11223344);
	ck_assert_mem_eq(&out.stations[0], &in.stations[0], sizeof(in.stations[0]));
	/* Trailing bytes (padding) are ignored. */
	ck_assert_int_eq(topology_msg_decode(buf, sizeof(want) + 4, &out), 0);
}
END_TEST

START_TEST(topology_msg_rejects)
{
	struct topology_msg in = sample(), out;
	uint8_t buf[TOPOLOGY_MSG_MAX_LEN];
	int len = topology_msg_encode(buf, sizeof(buf), &in);

	for (int l = 0; l < len; l++)
		ck_assert_int_eq(topology_msg_decode(buf, (size_t)l, &out), CODEC_ERR_TRUNCATED);
	buf[4] = 2; /* another version */
	ck_assert_int_eq(topology_msg_decode(buf, (size_t)len, &out), CODEC_ERR_NOT_DATA);
	buf[4] = 1;
	buf[18] = TOPOLOGY_PEERS_MAX + 1;
	ck_assert_int_eq(topology_msg_decode(buf, (size_t)len, &out), CODEC_ERR_BAD_COUNT);
	buf[18] = 2;
	buf[20] = TOPOLOGY_NAME_MAX + 1;
	ck_assert_int_eq(topology_msg_decode(buf, (size_t)len, &out), CODEC_ERR_TOO_LONG);
	buf[20] = 3;
	buf[TOPOLOGY_MSG_HDR_LEN + 1] = '"'; /* would break a DOT label */
	ck_assert_int_eq(topology_msg_decode(buf, (size_t)len, &out), CODEC_ERR_TOO_LONG);
	buf[TOPOLOGY_MSG_HDR_LEN + 1] = 'w';
	buf[8] = 0x01; /* a group origin */
	ck_assert_int_eq(topology_msg_decode(buf, (size_t)len, &out), CODEC_ERR_NOT_DATA);
	buf[8] = 0x02;
	memcpy(buf, "MPEC", 4); /* a mesh echo */
	ck_assert(!topology_msg_is(buf, (size_t)len));
	ck_assert_int_eq(topology_msg_decode(buf, (size_t)len, &out), CODEC_ERR_NOT_DATA);
	in.n_stations = TOPOLOGY_STATIONS_MAX + 1;
	ck_assert_int_eq(topology_msg_encode(buf, sizeof(buf), &in), CODEC_ERR_BAD_COUNT);
}
END_TEST

START_TEST(topology_db_keeps_the_newest_per_origin)
{
	static struct topology_db db;
	struct mac_addr from = {{0x02, 0, 0, 0, 0, 0x02}};
	struct topology_msg m = sample();

	topology_db_init(&db);
	ck_assert_int_eq(topology_db_update(&db, &m, &from, 1000), TOPOLOGY_NEW);
	ck_assert_int_eq(topology_db_update(&db, &m, &from, 1001), TOPOLOGY_OLD); /* a copy */
	m.seq--;
	ck_assert_int_eq(topology_db_update(&db, &m, &from, 1002), TOPOLOGY_OLD); /* older */
	m.seq += 2;
	m.n_peers = 1;
	ck_assert_int_eq(topology_db_update(&db, &m, &from, 1003), TOPOLOGY_NEW);
	ck_assert_uint_eq(db.n, 1);
	ck_assert_uint_eq(topology_db_find(&db, &m.origin)->msg.n_peers, 1);
	ck_assert_uint_eq(topology_db_find(&db, &m.origin)->heard_ms, 1003);
	/* The counter wraps: 0 follows 0xffffffff. */
	m.seq = 0xffffffffu;
	ck_assert_int_eq(topology_db_update(&db, &m, &from, 1004), TOPOLOGY_OLD); /* far behind 0x01020306 */
	topology_db_init(&db);
	ck_assert_int_eq(topology_db_update(&db, &m, &from, 1004), TOPOLOGY_NEW);
	m.seq = 0;
	ck_assert_int_eq(topology_db_update(&db, &m, &from, 1005), TOPOLOGY_NEW);
}
END_TEST

START_TEST(topology_db_expires_after_three_intervals_and_is_bounded)
{
	static struct topology_db db;
	struct mac_addr from = {{0x02, 0, 0, 0, 0, 0x02}};
	struct topology_msg m = sample();

	topology_db_init(&db);
	topology_db_update(&db, &m, &from, 1000);
	m.origin.bytes[5] = 0x09;
	m.interval_s = 0; /* still kept at least 3 s */
	topology_db_update(&db, &m, &from, 1000);
	ck_assert_uint_eq(topology_db_expire(&db, 1000 + 3000), 0);
	ck_assert_uint_eq(topology_db_expire(&db, 1000 + 3001), 1);
	ck_assert_ptr_null(topology_db_find(&db, &m.origin));
	ck_assert_uint_eq(topology_db_expire(&db, 1000 + 15000), 0); /* interval 5 s: 15 s */
	ck_assert_uint_eq(topology_db_expire(&db, 1000 + 15001), 1);
	ck_assert_uint_eq(db.n, 0);
	for (unsigned i = 0; i < TOPOLOGY_DB_MAX; i++) {
		m.origin.bytes[4] = (uint8_t)(i >> 8);
		m.origin.bytes[5] = (uint8_t)i;
		ck_assert_int_eq(topology_db_update(&db, &m, &from, 2000), TOPOLOGY_NEW);
	}
	m.origin.bytes[3] = 1;
	ck_assert_int_eq(topology_db_update(&db, &m, &from, 2000), TOPOLOGY_FULL);
	ck_assert_uint_eq(db.full_drops, 1);
	/* A known origin is still updated when the table is full. */
	m.origin.bytes[3] = 0;
	m.seq++;
	ck_assert_int_eq(topology_db_update(&db, &m, &from, 2001), TOPOLOGY_NEW);
}
END_TEST

Suite *topology_suite(void)
{
	Suite *s = suite_create("topology");
	TCase *tc = tcase_create("topology");

	tcase_add_test(tc, topology_msg_exact_bytes_and_round_trip);
	tcase_add_test(tc, topology_msg_rejects);
	tcase_add_test(tc, topology_db_keeps_the_newest_per_origin);
	tcase_add_test(tc, topology_db_expires_after_three_intervals_and_is_bounded);
	suite_add_tcase(s, tc);
	return s;
}
