#include <check.h>
#include <string.h>

#include "codec.h"
#include "radiotap.h"
#include "suites.h"

/* TSFT, Flags, Rate, Channel, dBm antenna signal, with the alignment padding radiotap requires:
 * present = 0x2f, TSFT at 8 (aligned), flags 16, rate 17, channel 18..21, signal 22; it_len 23. */
static const uint8_t rich_header[] = {
	0x00, 0x00, 0x17, 0x00, 0x2f, 0x00, 0x00, 0x00,
	1, 2, 3, 4, 5, 6, 7, 8,
	0x10, 0x6c, 0x85, 0x09, 0xc0, 0x00, 0xc4,
};

/* Two presence words (bit 31 in the first), Rate only: fields start at 12. */
static const uint8_t extended_header[] = {
	0x00, 0x00, 0x0d, 0x00, 0x04, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x16,
};

START_TEST(minimal_header_has_no_fields)
{
	static const uint8_t minimal[] = {0, 0, 8, 0, 0, 0, 0, 0, 0x88};
	struct radiotap_info info;

	ck_assert_int_eq(radiotap_parse(minimal, sizeof(minimal), &info), CODEC_OK);
	ck_assert_uint_eq(info.header_len, 8);
	ck_assert(!info.has_rate && !info.has_signal && !info.has_flags);
}
END_TEST

START_TEST(aligned_fields_are_found)
{
	struct radiotap_info info;

	ck_assert_int_eq(radiotap_parse(rich_header, sizeof(rich_header), &info), CODEC_OK);
	ck_assert_uint_eq(info.header_len, 23);
	ck_assert(info.has_flags && info.flags == RADIOTAP_F_FCS);
	ck_assert(info.has_rate && info.rate_500kbps == 0x6c);
	ck_assert(info.has_signal && info.signal_dbm == -60);
}
END_TEST

START_TEST(extended_presence_words_are_skipped)
{
	struct radiotap_info info;

	ck_assert_int_eq(radiotap_parse(extended_header, sizeof(extended_header), &info), CODEC_OK);
	ck_assert(info.has_rate);
	ck_assert_uint_eq(info.rate_500kbps, 0x16);
	ck_assert_uint_eq(info.header_len, 13);
}
END_TEST

START_TEST(every_truncation_is_rejected)
{
	struct radiotap_info info;

	for (size_t len = 0; len < sizeof(rich_header); len++)
		ck_assert_msg(radiotap_parse(rich_header, len, &info) == CODEC_ERR_TRUNCATED,
			      "length %zu accepted", len);
	for (size_t len = 0; len < sizeof(extended_header); len++)
		ck_assert_int_lt(radiotap_parse(extended_header, len, &info), 0);
}
END_TEST

START_TEST(bad_headers_are_rejected)
{
	uint8_t h[sizeof(rich_header)];
	struct radiotap_info info;

	memcpy(h, rich_header, sizeof(h));
	h[0] = 1;
	ck_assert_int_eq(radiotap_parse(h, sizeof(h), &info), CODEC_ERR_BAD_VERSION);
	memcpy(h, rich_header, sizeof(h));
	h[2] = 7; /* it_len below the fixed header */
	ck_assert_int_eq(radiotap_parse(h, sizeof(h), &info), CODEC_ERR_BAD_HEADER_LEN);
	h[2] = 20; /* it_len ends inside the channel field */
	ck_assert_int_eq(radiotap_parse(h, sizeof(h), &info), CODEC_ERR_BAD_HEADER_LEN);
	memcpy(h, rich_header, sizeof(h));
	h[7] = 0x80; /* claims a second presence word that would overlap the fields... */
	h[2] = 8;    /* ...but it_len leaves no room for it */
	ck_assert_int_eq(radiotap_parse(h, sizeof(h), &info), CODEC_ERR_BAD_HEADER_LEN);
}
END_TEST

START_TEST(built_header_parses_back)
{
	uint8_t out[RADIOTAP_TX_LEN];
	struct radiotap_info info;

	ck_assert_int_eq(radiotap_build(out, sizeof(out) - 1, 0x6c, 0), CODEC_ERR_NO_SPACE);
	ck_assert_int_eq(radiotap_build(out, sizeof(out), 0x6c, 0), RADIOTAP_TX_LEN);
	ck_assert_int_eq(radiotap_parse(out, sizeof(out), &info), CODEC_OK);
	ck_assert_uint_eq(info.header_len, RADIOTAP_TX_LEN);
	ck_assert(info.has_rate && info.rate_500kbps == 0x6c);
	ck_assert(info.has_flags && info.flags == 0);
	ck_assert(!info.has_signal);
}
END_TEST

Suite *radiotap_suite(void)
{
	Suite *s = suite_create("radiotap");
	TCase *tc = tcase_create("radiotap");

	tcase_add_test(tc, minimal_header_has_no_fields);
	tcase_add_test(tc, aligned_fields_are_found);
	tcase_add_test(tc, extended_presence_words_are_skipped);
	tcase_add_test(tc, every_truncation_is_rejected);
	tcase_add_test(tc, bad_headers_are_rejected);
	tcase_add_test(tc, built_header_parses_back);
	suite_add_tcase(s, tc);
	return s;
}
