#include <check.h>
#include <string.h>

#include "codec.h"
#include "frame_rewrite.h"
#include "suites.h"

/* Radiotap with TSFT, Flags (FCS), Rate 1 Mb/s, Channel, signal: 23 bytes, as a capture would show. */
static const uint8_t rich_header[] = {
	0x00, 0x00, 0x17, 0x00, 0x2f, 0x00, 0x00, 0x00, 1, 2, 3, 4, 5, 6, 7, 8,
	0x10, 0x02, 0x85, 0x09, 0xc0, 0x00, 0xc4,
};

/* An 802.11 QoS data header start and some body, with a trailing "FCS": the bytes must survive as-is. */
static const uint8_t dot11[] = {
	0x88, 0x03, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x81, 0x00, 0x00, 0x00, 0x00, 0x03, 0x10, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01,
	0x00, 0x1f, 0x01, 0x00, 0x00, 0x00, 0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00, 0xde, 0xad,
};

static size_t make_frame(uint8_t *buf, const uint8_t *hdr, size_t hdr_len)
{
	memcpy(buf, hdr, hdr_len);
	memcpy(buf + hdr_len, dot11, sizeof(dot11));
	return hdr_len + sizeof(dot11);
}

START_TEST(rewrite_sets_rate_keeps_flags_and_bytes)
{
	uint8_t in[128], out[128];
	size_t len = make_frame(in, rich_header, sizeof(rich_header));
	struct radiotap_info info, got;
	int n;

	ck_assert_int_eq(frame_check(in, len, &info), CODEC_OK);
	n = frame_rewrite_radiotap(in, len, &info, 12 /* 6 Mb/s */, out, sizeof(out));
	ck_assert_int_eq(n, RADIOTAP_TX_LEN + (int)sizeof(dot11));
	ck_assert_int_eq(radiotap_parse(out, (size_t)n, &got), CODEC_OK);
	ck_assert_uint_eq(got.header_len, RADIOTAP_TX_LEN);
	ck_assert(got.has_rate && got.rate_500kbps == 12);
	ck_assert(got.has_flags && got.flags == 0x10);
	ck_assert(!got.has_signal);
	ck_assert_mem_eq(out + RADIOTAP_TX_LEN, dot11, sizeof(dot11));
}
END_TEST

START_TEST(header_without_flags_gets_zero_flags)
{
	static const uint8_t minimal[] = {0, 0, 8, 0, 0, 0, 0, 0};
	uint8_t in[128], out[128];
	size_t len = make_frame(in, minimal, sizeof(minimal));
	struct radiotap_info info, got;
	int n;

	ck_assert_int_eq(frame_check(in, len, &info), CODEC_OK);
	n = frame_rewrite_radiotap(in, len, &info, 108, out, sizeof(out));
	ck_assert_int_eq(n, RADIOTAP_TX_LEN + (int)sizeof(dot11));
	ck_assert_int_eq(radiotap_parse(out, (size_t)n, &got), CODEC_OK);
	ck_assert(got.has_rate && got.rate_500kbps == 108);
	ck_assert(got.has_flags && got.flags == 0);
	ck_assert_mem_eq(out + RADIOTAP_TX_LEN, dot11, sizeof(dot11));
}
END_TEST

START_TEST(rewrite_refuses_small_output)
{
	uint8_t in[128], out[128];
	size_t len = make_frame(in, rich_header, sizeof(rich_header));
	struct radiotap_info info;

	ck_assert_int_eq(frame_check(in, len, &info), CODEC_OK);
	ck_assert_int_eq(frame_rewrite_radiotap(in, len, &info, 2, out, RADIOTAP_TX_LEN + sizeof(dot11) - 1),
			 CODEC_ERR_NO_SPACE);
	ck_assert_int_eq(frame_rewrite_radiotap(in, len, &info, 2, out, RADIOTAP_TX_LEN - 1), CODEC_ERR_NO_SPACE);
}
END_TEST

START_TEST(invalid_frames_are_refused)
{
	static const uint8_t bad_version[] = {1, 0, 8, 0, 0, 0, 0, 0, 0x88, 0, 0, 0, 1, 2, 3, 4, 5, 6};
	static const uint8_t len_past_end[] = {0, 0, 40, 0, 0, 0, 0, 0, 0x88, 0, 0, 0, 1, 2, 3, 4, 5, 6};
	static const uint8_t too_short_80211[] = {0, 0, 8, 0, 0, 0, 0, 0, 0xd4, 0, 0, 0, 1, 2, 3, 4, 5};
	static const uint8_t ethernet[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 8, 6};
	struct radiotap_info info;

	ck_assert_int_lt(frame_check(bad_version, sizeof(bad_version), &info), 0);
	ck_assert_int_lt(frame_check(len_past_end, sizeof(len_past_end), &info), 0);
	ck_assert_int_lt(frame_check(too_short_80211, sizeof(too_short_80211), &info), 0);
	ck_assert_int_lt(frame_check(ethernet, sizeof(ethernet), &info), 0);
	ck_assert_int_lt(frame_check(ethernet, 3, &info), 0);
}
END_TEST

START_TEST(shortest_frame_passes)
{
	static const uint8_t ack[] = {0, 0, 8, 0, 0, 0, 0, 0, 0xd4, 0, 0, 0, 1, 2, 3, 4, 5, 6};
	struct radiotap_info info;

	ck_assert_int_eq(frame_check(ack, sizeof(ack), &info), CODEC_OK);
	ck_assert_int_lt(frame_check(ack, sizeof(ack) - 1, &info), 0);
}
END_TEST

Suite *frame_rewrite_suite(void)
{
	Suite *s = suite_create("frame_rewrite");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, rewrite_sets_rate_keeps_flags_and_bytes);
	tcase_add_test(tc, header_without_flags_gets_zero_flags);
	tcase_add_test(tc, rewrite_refuses_small_output);
	tcase_add_test(tc, invalid_frames_are_refused);
	tcase_add_test(tc, shortest_frame_passes);
	suite_add_tcase(s, tc);
	return s;
}
