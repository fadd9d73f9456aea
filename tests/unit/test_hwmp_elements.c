#include <check.h>
#include <string.h>

#include "codec.h"
#include "hwmp_elements.h"
#include "hwmp_legacy.h"
#include "mgmt.h"
#include "sample_frames.h"
#include "suites.h"

/* Every body shorter than the encoded one must be rejected, and one byte more too. */
#define ASSERT_TRUNCATIONS_REJECTED(decode, elem, elem_len, out)                              \
	do {                                                                                  \
		for (size_t cut = 0; cut < (size_t)(elem_len) - 2; cut++)                     \
			ck_assert_msg(decode((elem) + 2, cut, (out)) < 0, "body of %zu accepted", cut); \
		(elem)[elem_len] = 0;                                                         \
		ck_assert_int_lt(decode((elem) + 2, (size_t)(elem_len) - 1, (out)), 0);       \
	} while (0)

static void check_preq(bool ae, unsigned n)
{
	struct hwmp_preq in = sample_preq(ae, n), out;
	uint8_t buf[300];
	int len = hwmp_preq_encode(buf, sizeof(buf), &in);

	ck_assert_int_eq(len, 2 + 26 + (ae ? 6 : 0) + 11 * (int)n);
	ck_assert_uint_eq(buf[0], WLAN_EID_PREQ);
	ck_assert_uint_eq(buf[1], len - 2);
	ck_assert_int_eq(hwmp_preq_decode(buf + 2, (size_t)len - 2, &out), CODEC_OK);
	ck_assert_mem_eq(&out, &in, sizeof(in));
	ASSERT_TRUNCATIONS_REJECTED(hwmp_preq_decode, buf, len, &out);
	ck_assert_int_eq(hwmp_preq_encode(buf, (size_t)len - 1, &in), CODEC_ERR_NO_SPACE);
}

START_TEST(preq_round_trips)
{
	check_preq(false, 1);
	check_preq(true, 1);
	check_preq(false, 3);
	check_preq(true, HWMP_MAX_TARGETS);
}
END_TEST

/* Byte layout from 802.11-2012 Figure 8-356, written by hand. */
START_TEST(preq_exact_bytes)
{
	static const uint8_t expected[] = {
		130, 37, 0x00, 2, 29, 0x44, 0x33, 0x22, 0x11,       /* id, len, flags, hops, ttl, PDID */
		0x02, 0, 0, 0, 0, 0x01, 0xf0, 0xff, 0xff, 0xff,     /* originator, SN */
		0x13, 0x13, 0, 0, 0x34, 0x12, 0, 0, 1,              /* lifetime 4883, metric, count */
		0x01, 0x02, 0, 0, 0, 0, 0x02, 0xe8, 0x03, 0, 0,     /* TO, target, SN 1000 */
	};
	struct hwmp_preq in = sample_preq(false, 1);
	uint8_t buf[64];

	ck_assert_int_eq(hwmp_preq_encode(buf, sizeof(buf), &in), sizeof(expected));
	ck_assert_mem_eq(buf, expected, sizeof(expected));
}
END_TEST

START_TEST(preq_bad_counts)
{
	struct hwmp_preq in = sample_preq(false, 1), out;
	uint8_t buf[300];
	int len = hwmp_preq_encode(buf, sizeof(buf), &in);

	buf[2 + 25] = 0;
	ck_assert_int_eq(hwmp_preq_decode(buf + 2, (size_t)len - 2, &out), CODEC_ERR_BAD_COUNT);
	buf[2 + 25] = 21;
	ck_assert_int_eq(hwmp_preq_decode(buf + 2, (size_t)len - 2, &out), CODEC_ERR_BAD_COUNT);
	buf[2 + 25] = 2; /* says two targets, carries one */
	ck_assert_int_eq(hwmp_preq_decode(buf + 2, (size_t)len - 2, &out), CODEC_ERR_TRUNCATED);
	in.target_count = 0;
	ck_assert_int_eq(hwmp_preq_encode(buf, sizeof(buf), &in), CODEC_ERR_BAD_COUNT);
	in.target_count = 21;
	ck_assert_int_eq(hwmp_preq_encode(buf, sizeof(buf), &in), CODEC_ERR_BAD_COUNT);
}
END_TEST

static void check_prep(bool ae)
{
	struct hwmp_prep in = sample_prep(ae), out;
	uint8_t buf[64];
	int len = hwmp_prep_encode(buf, sizeof(buf), &in);

	ck_assert_int_eq(len, 2 + 31 + (ae ? 6 : 0));
	ck_assert_uint_eq(buf[0], WLAN_EID_PREP);
	ck_assert_int_eq(hwmp_prep_decode(buf + 2, (size_t)len - 2, &out), CODEC_OK);
	ck_assert_mem_eq(&out, &in, sizeof(in));
	ASSERT_TRUNCATIONS_REJECTED(hwmp_prep_decode, buf, len, &out);
}

START_TEST(prep_round_trips)
{
	check_prep(false);
	check_prep(true);
}
END_TEST

START_TEST(prep_ae_flag_changes_layout)
{
	struct hwmp_prep in = sample_prep(true), out;
	uint8_t buf[64];
	int len = hwmp_prep_encode(buf, sizeof(buf), &in);

	/* The external address sits right after the target SN; the originator moves by 6. */
	ck_assert_mem_eq(buf + 2 + 13, sample_sta2.bytes, 6);
	ck_assert_mem_eq(buf + 2 + 27, sample_mp1.bytes, 6);
	buf[2] = 0; /* clear AE: now 6 bytes too long */
	ck_assert_int_eq(hwmp_prep_decode(buf + 2, (size_t)len - 2, &out), CODEC_ERR_BAD_LENGTH);
}
END_TEST

static void check_perr(unsigned n)
{
	struct hwmp_perr in = sample_perr(n), out;
	uint8_t buf[300];
	int len = hwmp_perr_encode(buf, sizeof(buf), &in);
	int expected = 2 + 2 + 13 * (int)n + 6 * (int)(n / 2);

	ck_assert_int_eq(len, expected);
	ck_assert_uint_eq(buf[0], WLAN_EID_PERR);
	ck_assert_int_eq(hwmp_perr_decode(buf + 2, (size_t)len - 2, &out), CODEC_OK);
	ck_assert_mem_eq(&out, &in, sizeof(in));
	ASSERT_TRUNCATIONS_REJECTED(hwmp_perr_decode, buf, len, &out);
}

START_TEST(perr_round_trips)
{
	check_perr(1);
	check_perr(2);
	check_perr(5);
	check_perr(15); /* 2 + 15*13 + 7*6 = 239 octets */
}
END_TEST

START_TEST(perr_limits)
{
	struct hwmp_perr in = sample_perr(HWMP_MAX_PERR_DESTS), out;
	uint8_t buf[400];

	/* 19 destinations with 9 AE ones need 2 + 247 + 54 = 303 octets: cannot be one element. */
	ck_assert_int_eq(hwmp_perr_encode(buf, sizeof(buf), &in), CODEC_ERR_TOO_LONG);
	for (unsigned i = 0; i < HWMP_MAX_PERR_DESTS; i++)
		in.dests[i].flags = 0;
	ck_assert_int_eq(hwmp_perr_encode(buf, sizeof(buf), &in), 2 + 2 + 13 * 19);
	ck_assert_int_eq(hwmp_perr_decode(buf + 2, 249, &out), CODEC_OK);
	ck_assert_uint_eq(out.dest_count, 19);
	buf[3] = 20;
	ck_assert_int_eq(hwmp_perr_decode(buf + 2, 249, &out), CODEC_ERR_BAD_COUNT);
	buf[3] = 0;
	ck_assert_int_eq(hwmp_perr_decode(buf + 2, 249, &out), CODEC_ERR_BAD_COUNT);
	in.dest_count = 0;
	ck_assert_int_eq(hwmp_perr_encode(buf, sizeof(buf), &in), CODEC_ERR_BAD_COUNT);
}
END_TEST

START_TEST(rann_and_gann_round_trip)
{
	struct hwmp_rann rin = sample_rann(), rout;
	struct hwmp_gann gin = sample_gann(), gout;
	uint8_t buf[64];
	int len;

	len = hwmp_rann_encode(buf, sizeof(buf), &rin);
	ck_assert_int_eq(len, 23);
	ck_assert_uint_eq(buf[0], WLAN_EID_RANN);
	ck_assert_int_eq(hwmp_rann_decode(buf + 2, 21, &rout), CODEC_OK);
	ck_assert_mem_eq(&rout, &rin, sizeof(rin));
	ASSERT_TRUNCATIONS_REJECTED(hwmp_rann_decode, buf, len, &rout);
	ck_assert_int_eq(hwmp_rann_encode(buf, 22, &rin), CODEC_ERR_NO_SPACE);

	len = hwmp_gann_encode(buf, sizeof(buf), &gin);
	ck_assert_int_eq(len, 17);
	ck_assert_uint_eq(buf[0], WLAN_EID_GANN);
	ck_assert_int_eq(hwmp_gann_decode(buf + 2, 15, &gout), CODEC_OK);
	ck_assert_mem_eq(&gout, &gin, sizeof(gin));
	ASSERT_TRUNCATIONS_REJECTED(hwmp_gann_decode, buf, len, &gout);
}
END_TEST

/* Collects what hwmp_legacy_forms emits. */
struct emitted {
	unsigned n;
	uint8_t el[24][64];
	size_t len[24];
};

static void collect(void *ctx, const uint8_t *element, size_t len)
{
	struct emitted *e = ctx;

	ck_assert_uint_lt(e->n, 24);
	ck_assert_uint_le(len, sizeof(e->el[0]));
	memcpy(e->el[e->n], element, len);
	e->len[e->n++] = len;
}

START_TEST(legacy_preq_one_target_no_ae)
{
	struct hwmp_preq in = sample_preq(true, 3), out;
	struct emitted got = {0};
	uint8_t buf[300];
	int len = hwmp_preq_encode(buf, sizeof(buf), &in);

	ck_assert(!hwmp_is_legacy_form(buf, (size_t)len));
	ck_assert_int_eq(hwmp_legacy_forms(buf, (size_t)len, collect, &got), 3);
	for (unsigned i = 0; i < 3; i++) {
		ck_assert_uint_eq(got.len[i], 2 + 37); /* the only PREQ length Linux takes */
		ck_assert(hwmp_is_legacy_form(got.el[i], got.len[i]));
		ck_assert_int_eq(hwmp_preq_decode(got.el[i] + 2, got.len[i] - 2, &out), CODEC_OK);
		ck_assert_uint_eq(out.flags & HWMP_F_AE, 0);
		ck_assert_uint_eq(out.target_count, 1);
		ck_assert_mem_eq(&out.targets[0], &in.targets[i], sizeof(out.targets[0]));
		ck_assert(mac_equal(&out.orig, &in.orig));
		ck_assert_uint_eq(out.orig_sn, in.orig_sn);
		ck_assert_uint_eq(out.metric, in.metric);
		ck_assert_uint_eq(out.lifetime_tu, in.lifetime_tu);
	}
}
END_TEST

START_TEST(legacy_prep_names_the_station)
{
	struct hwmp_prep in = sample_prep(true), out;
	struct emitted got = {0};
	uint8_t buf[64];
	int len = hwmp_prep_encode(buf, sizeof(buf), &in);

	ck_assert_int_eq(hwmp_legacy_forms(buf, (size_t)len, collect, &got), 1);
	ck_assert_uint_eq(got.len[0], 2 + 31);
	ck_assert_int_eq(hwmp_prep_decode(got.el[0] + 2, got.len[0] - 2, &out), CODEC_OK);
	ck_assert_uint_eq(out.flags & HWMP_F_AE, 0);
	ck_assert(mac_equal(&out.target, &in.target_ext)); /* the station, as if it were a mesh node */
	ck_assert_uint_eq(out.target_sn, in.target_sn);
	ck_assert(mac_equal(&out.orig, &in.orig));
}
END_TEST

START_TEST(legacy_perr_one_destination_each)
{
	struct hwmp_perr in = sample_perr(3), out;
	struct emitted got = {0};
	uint8_t buf[300];
	int len = hwmp_perr_encode(buf, sizeof(buf), &in);

	ck_assert_int_eq(hwmp_legacy_forms(buf, (size_t)len, collect, &got), 3);
	for (unsigned i = 0; i < 3; i++) {
		ck_assert_uint_eq(got.len[i], 2 + 15);
		ck_assert_int_eq(hwmp_perr_decode(got.el[i] + 2, got.len[i] - 2, &out), CODEC_OK);
		ck_assert_uint_eq(out.dest_count, 1);
		ck_assert(mac_equal(&out.dests[0].addr, &in.dests[i].addr));
		ck_assert_uint_eq(out.dests[0].sn, in.dests[i].sn);
		ck_assert_uint_eq(out.dests[0].reason, in.dests[i].reason);
		ck_assert_uint_eq(out.dests[0].flags & HWMP_F_AE, 0);
		ck_assert_uint_eq(out.ttl, in.ttl);
	}
}
END_TEST

START_TEST(legacy_forms_pass_through_and_refuse)
{
	struct hwmp_preq one = sample_preq(false, 1);
	struct hwmp_rann r = sample_rann();
	struct emitted got = {0};
	uint8_t buf[300];
	int len = hwmp_preq_encode(buf, sizeof(buf), &one);

	ck_assert(hwmp_is_legacy_form(buf, (size_t)len));
	ck_assert_int_eq(hwmp_legacy_forms(buf, (size_t)len, collect, &got), 1);
	ck_assert_mem_eq(got.el[0], buf, (size_t)len);
	len = hwmp_rann_encode(buf, sizeof(buf), &r);
	ck_assert_int_eq(hwmp_legacy_forms(buf, (size_t)len, collect, &got), 1);
	ck_assert_uint_eq(got.n, 2);
	ck_assert_int_lt(hwmp_legacy_forms(buf, (size_t)len - 1, collect, &got), 0); /* length byte lies */
	buf[0] = WLAN_EID_PREQ;
	buf[1] = 30;
	ck_assert_int_lt(hwmp_legacy_forms(buf, 32, collect, &got), 0); /* a malformed PREQ */
	ck_assert_uint_eq(got.n, 2);
}
END_TEST

Suite *hwmp_elements_suite(void)
{
	Suite *s = suite_create("hwmp_elements");
	TCase *tc = tcase_create("hwmp_elements");

	tcase_add_test(tc, preq_round_trips);
	tcase_add_test(tc, preq_exact_bytes);
	tcase_add_test(tc, preq_bad_counts);
	tcase_add_test(tc, prep_round_trips);
	tcase_add_test(tc, prep_ae_flag_changes_layout);
	tcase_add_test(tc, perr_round_trips);
	tcase_add_test(tc, perr_limits);
	tcase_add_test(tc, rann_and_gann_round_trip);
	tcase_add_test(tc, legacy_preq_one_target_no_ae);
	tcase_add_test(tc, legacy_prep_names_the_station);
	tcase_add_test(tc, legacy_perr_one_destination_each);
	tcase_add_test(tc, legacy_forms_pass_through_and_refuse);
	suite_add_tcase(s, tc);
	return s;
}
