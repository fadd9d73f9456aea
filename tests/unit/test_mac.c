#include <check.h>

#include "mac.h"
#include "suites.h"

START_TEST(parse_and_format_round_trip)
{
	struct mac_addr a;
	char text[MAC_STR_LEN];

	ck_assert_int_eq(mac_parse("02:AB:cd:00:10:ff", &a), 0);
	ck_assert_uint_eq(a.bytes[1], 0xab);
	ck_assert_uint_eq(a.bytes[5], 0xff);
	ck_assert_str_eq(mac_format(&a, text), "02:ab:cd:00:10:ff");
	ck_assert_int_eq(mac_parse("02-ab-cd-00-10-ff", &a), 0);
}
END_TEST

START_TEST(parse_rejects_bad_text)
{
	static const char *const bad[] = {"", "02:ab:cd:00:10", "02:ab:cd:00:10:ff:00", "02:ab:cd:00:10:fg",
					  "02:ab-cd:00:10:ff", "2:ab:cd:00:10:ff", "02:ab:cd:00:10:ff "};
	struct mac_addr a = {{1, 2, 3, 4, 5, 6}};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(mac_parse(bad[i], &a) == -1, "accepted \"%s\"", bad[i]);
	ck_assert_int_eq(mac_parse(NULL, &a), -1);
	ck_assert_uint_eq(a.bytes[0], 1); /* untouched on failure */
}
END_TEST

START_TEST(address_classes)
{
	struct mac_addr stp = {{0x01, 0x80, 0xc2, 0x00, 0x00, 0x00}};
	struct mac_addr eapol = {{0x01, 0x80, 0xc2, 0x00, 0x00, 0x03}};
	struct mac_addr lldp_plus = {{0x01, 0x80, 0xc2, 0x00, 0x00, 0x10}};
	struct mac_addr bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	struct mac_addr uni = {{0x02, 0, 0, 0, 0, 1}};

	ck_assert(mac_is_link_local(&stp));
	ck_assert(mac_is_link_local(&eapol));
	ck_assert(!mac_is_link_local(&lldp_plus));
	ck_assert(mac_is_group(&bcast) && mac_is_broadcast(&bcast));
	ck_assert(!mac_is_group(&uni) && !mac_is_zero(&uni));
	ck_assert(!mac_equal(&uni, &bcast));
}
END_TEST

Suite *mac_suite(void)
{
	Suite *s = suite_create("mac");
	TCase *tc = tcase_create("mac");

	tcase_add_test(tc, parse_and_format_round_trip);
	tcase_add_test(tc, parse_rejects_bad_text);
	tcase_add_test(tc, address_classes);
	suite_add_tcase(s, tc);
	return s;
}
