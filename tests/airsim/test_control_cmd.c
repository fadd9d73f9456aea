#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "control_cmd.h"
#include "suites.h"

static struct medium medium;
static bool quit;

static void setup(void)
{
	load_lab_topology(&medium, 1);
	quit = false;
}

/* Runs line and checks the reply equals expected. */
static void expect(const char *line, const char *expected)
{
	char *reply = control_cmd_execute(&medium, line, &quit);

	ck_assert_ptr_nonnull(reply);
	ck_assert_str_eq(reply, expected);
	free(reply);
}

START_TEST(cut_and_restore)
{
	expect("cut gw1 gw3", "ok");
	ck_assert(!medium_link(&medium, 0, 2)->up);
	ck_assert(medium_link(&medium, 0, 1)->up);
	expect("restore gw3 gw1\n", "ok");
	ck_assert(medium_link(&medium, 0, 2)->up);
}
END_TEST

START_TEST(loss_and_rate)
{
	expect("loss gw1 gw2 0.3", "ok");
	ck_assert(medium_link(&medium, 0, 1)->loss == 0.3);
	expect("rate  gw2\tgw1 5.5", "ok");
	ck_assert_uint_eq(medium_link(&medium, 0, 1)->rate_500kbps, 11);
	expect("loss gw1 gw2 1.01", "error: loss '1.01' is out of range 0..1");
	expect("loss gw1 gw2 0.3x", "error: loss '0.3x' is out of range 0..1");
	expect("rate gw1 gw2 0", "error: rate '0' is out of range 0.5..127.5 or not a multiple of 0.5");
	ck_assert(medium_link(&medium, 0, 1)->loss == 0.3);
	ck_assert_uint_eq(medium_link(&medium, 0, 1)->rate_500kbps, 11);
}
END_TEST

START_TEST(node_down_and_up)
{
	expect("node-down gw2", "ok");
	ck_assert(!medium.nodes[1].up);
	expect("node-up gw2", "ok");
	ck_assert(medium.nodes[1].up);
}
END_TEST

START_TEST(errors_are_explicit)
{
	expect("cut gw1 gw9", "error: unknown node 'gw9'");
	expect("cut gw1", "error: usage: cut A B");
	expect("loss gw1 gw2", "error: usage: loss A B P");
	expect("rate gw1 gw2 6 7", "error: usage: rate A B MBPS");
	expect("cut gw1 gw1", "error: a node has no link to itself");
	expect("node-down", "error: usage: node-down A");
	expect("", "error: empty command (try help)");
	expect("jump gw1", "error: unknown command 'jump' (try help)");
	expect("stats now", "error: stats takes no arguments");
	expect("a b c d e f", "error: too many words");
	ck_assert(!quit);
}
END_TEST

START_TEST(quit_sets_the_flag)
{
	expect("quit", "ok");
	ck_assert(quit);
}
END_TEST

START_TEST(stats_is_json_with_counters)
{
	json_error_t jerr;
	json_t *root, *link, *node;
	char *reply;

	medium_decide(&medium, 0, 1);
	medium_link(&medium, 1, 2)->up = false;
	medium_decide(&medium, 1, 2);
	medium_link(&medium, 0, 2)->rate_500kbps = 11;
	reply = control_cmd_execute(&medium, "stats", &quit);
	ck_assert_ptr_nonnull(reply);
	ck_assert_ptr_null(strchr(reply, '\n')); /* one line */
	root = json_loads(reply, 0, &jerr);
	ck_assert_msg(root != NULL, "%s: %s", reply, jerr.text);
	ck_assert_uint_eq(json_array_size(json_object_get(root, "nodes")), 3);
	ck_assert_uint_eq(json_array_size(json_object_get(root, "links")), 3);
	node = json_array_get(json_object_get(root, "nodes"), 1);
	ck_assert_str_eq(json_string_value(json_object_get(node, "name")), "gw2");
	ck_assert_int_eq(json_integer_value(json_object_get(node, "tx")), 1);
	link = json_array_get(json_object_get(root, "links"), 0); /* gw1-gw2 */
	ck_assert_str_eq(json_string_value(json_object_get(link, "a")), "gw1");
	ck_assert_str_eq(json_string_value(json_object_get(link, "b")), "gw2");
	ck_assert_int_eq(json_integer_value(json_object_get(link, "delivered")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(link, "rate_mbps")), 54);
	link = json_array_get(json_object_get(root, "links"), 1); /* gw1-gw3 */
	ck_assert(json_real_value(json_object_get(link, "rate_mbps")) == 5.5);
	link = json_array_get(json_object_get(root, "links"), 2); /* gw2-gw3 */
	ck_assert(json_is_false(json_object_get(link, "up")));
	ck_assert_int_eq(json_integer_value(json_object_get(link, "dropped_cut")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(root, "totals"), "dropped_cut")), 1);
	json_decref(root);
	free(reply);
}
END_TEST

Suite *control_cmd_suite(void)
{
	Suite *s = suite_create("control_cmd");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, cut_and_restore);
	tcase_add_test(tc, loss_and_rate);
	tcase_add_test(tc, node_down_and_up);
	tcase_add_test(tc, errors_are_explicit);
	tcase_add_test(tc, quit_sets_the_flag);
	tcase_add_test(tc, stats_is_json_with_counters);
	suite_add_tcase(s, tc);
	return s;
}
