#include <check.h>
#include <string.h>

#include "hostapd_msg.h"
#include "suites.h"

static struct hostapd_msg parse(const char *text)
{
	struct hostapd_msg m;

	hostapd_msg_parse(text, strlen(text), &m);
	return m;
}

START_TEST(events_are_recognised)
{
	struct hostapd_msg m = parse("<3>AP-STA-CONNECTED 02:00:00:00:c1:01");
	char text[MAC_STR_LEN];

	ck_assert(m.is_event);
	ck_assert_int_eq(m.kind, HOSTAPD_MSG_STA_CONNECTED);
	ck_assert_str_eq(mac_format(&m.mac, text), "02:00:00:00:c1:01");
	m = parse("<3>AP-STA-DISCONNECTED 02:00:00:00:c1:01\n");
	ck_assert_int_eq(m.kind, HOSTAPD_MSG_STA_DISCONNECTED);
	/* hostapd 2.10 may add key=value pairs after the address */
	m = parse("<3>AP-STA-CONNECTED 02:00:00:00:c1:01 keyid=x");
	ck_assert_int_eq(m.kind, HOSTAPD_MSG_STA_CONNECTED);
	ck_assert_int_eq(parse("<3>CTRL-EVENT-TERMINATING").kind, HOSTAPD_MSG_TERMINATING);
	ck_assert_int_eq(parse("<3>AP-DISABLED ").kind, HOSTAPD_MSG_AP_DISABLED);
	ck_assert_int_eq(parse("<3>CTRL-EVENT-EAP-STARTED 02:00:00:00:c1:01").kind, HOSTAPD_MSG_EVENT_OTHER);
}
END_TEST

START_TEST(replies_are_recognised)
{
	struct hostapd_msg m = parse("02:00:00:00:c1:01\nflags=[AUTH][ASSOC][AUTHORIZED]\n");

	ck_assert(!m.is_event);
	ck_assert_int_eq(m.kind, HOSTAPD_MSG_STATION);
	ck_assert_uint_eq(m.mac.bytes[5], 0x01);
	ck_assert_int_eq(parse("OK\n").kind, HOSTAPD_MSG_OK);
	ck_assert_int_eq(parse("PONG\n").kind, HOSTAPD_MSG_PONG);
	ck_assert_int_eq(parse("FAIL\n").kind, HOSTAPD_MSG_FAIL);
	ck_assert_int_eq(parse("UNKNOWN COMMAND\n").kind, HOSTAPD_MSG_FAIL);
	ck_assert_int_eq(parse("").kind, HOSTAPD_MSG_EMPTY);
	ck_assert_int_eq(parse("\n").kind, HOSTAPD_MSG_EMPTY);
}
END_TEST

START_TEST(malformed_input_is_harmless)
{
	static const char *const bad[] = {"<3>AP-STA-CONNECTED 02:00:00:00:c1", "<3>AP-STA-CONNECTED zz:00:00:00:c1:01",
					  "<>AP-STA-CONNECTED 02:00:00:00:c1:01", "<3AP-STA-CONNECTED", "<12345>X",
					  "<3>AP-STA-CONNECTED 02:00:00:00:c1:01x", "02:00:00:00:c1:0", "<"};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct hostapd_msg m = parse(bad[i]);

		ck_assert_msg(m.kind != HOSTAPD_MSG_STA_CONNECTED && m.kind != HOSTAPD_MSG_STATION, "accepted %s", bad[i]);
	}
	/* Not NUL-terminated: the parser must stop at len. */
	{
		char buf[40];
		struct hostapd_msg m;

		memcpy(buf, "<3>AP-STA-CONNECTED 02:00:00:00:c1:01", 37);
		hostapd_msg_parse(buf, 30, &m);
		ck_assert_int_eq(m.kind, HOSTAPD_MSG_EVENT_OTHER);
	}
}
END_TEST

Suite *hostapd_msg_suite(void)
{
	Suite *s = suite_create("hostapd_msg");
	TCase *tc = tcase_create("hostapd_msg");

	tcase_add_test(tc, events_are_recognised);
	tcase_add_test(tc, replies_are_recognised);
	tcase_add_test(tc, malformed_input_is_harmless);
	suite_add_tcase(s, tc);
	return s;
}
