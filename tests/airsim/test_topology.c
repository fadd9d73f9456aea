#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suites.h"
#include "topology.h"

#define NODES2 "\"nodes\": [{\"name\": \"gw1\", \"iface\": \"air-gw1\"}, {\"name\": \"gw2\", \"iface\": \"air-gw2\"}]"
#define NODES3 "\"nodes\": [{\"name\": \"gw1\", \"iface\": \"air-gw1\"}, {\"name\": \"gw2\", \"iface\": \"air-gw2\"}," \
	       " {\"name\": \"gw3\", \"iface\": \"air-gw3\"}]"

/* Each bad document and the exact message it must produce: the key path is the contract. */
static const struct {
	const char *json;
	const char *error;
} bad_cases[] = {
	{"[]", "top level: expected an object, got an array"},
	{"{", "line 1 column 1: string or '}' expected near end of file"},
	{"{}", "nodes: missing"},
	{"{\"nodes\": {}}", "nodes: expected an array, got an object"},
	{"{\"nodes\": [{\"name\": \"gw1\", \"iface\": \"air-gw1\"}]}", "nodes: 1 nodes is out of range 2..32"},
	{"{\"nodes\": [{\"name\": \"gw1\", \"iface\": \"a\"}, {\"name\": \"gw1\", \"iface\": \"b\"}]}",
	 "nodes[1].name: \"gw1\" is already used by nodes[0]"},
	{"{\"nodes\": [{\"name\": \"gw1\", \"iface\": \"a\"}, {\"name\": \"gw2\", \"iface\": \"a\"}]}",
	 "nodes[1].iface: \"a\" is already used by nodes[0]"},
	{"{\"nodes\": [{\"name\": \"gw 1\", \"iface\": \"a\"}, {\"name\": \"gw2\", \"iface\": \"b\"}]}",
	 "nodes[0].name: \"gw 1\" may use only letters, digits, '-', '_' and '.'"},
	{"{\"nodes\": [{\"name\": \"gw1\"}, {\"name\": \"gw2\", \"iface\": \"b\"}]}", "nodes[0].iface: missing"},
	{"{\"nodes\": [{\"name\": \"gw1\", \"iface\": \"0123456789abcdef\"}, {\"name\": \"gw2\", \"iface\": \"b\"}]}",
	 "nodes[0].iface: length 16 is out of range 1..15"},
	{"{\"nodes\": [{\"name\": 7, \"iface\": \"a\"}, {\"name\": \"gw2\", \"iface\": \"b\"}]}",
	 "nodes[0].name: expected a string, got a number"},
	{"{" NODES2 ", \"links\": [{\"a\": \"gw1\", \"b\": \"gw2\", \"rate_mbps\": 0}]}",
	 "links[0].rate_mbps: 0 is out of range 0.5..127.5 or not a multiple of 0.5 (radiotap Rate field)"},
	{"{" NODES3 ", \"links\": [{\"a\": \"gw1\", \"b\": \"gw2\"}, {\"a\": \"gw1\", \"b\": \"gw3\", \"rate_mbps\": 0}]}",
	 "links[1].rate_mbps: 0 is out of range 0.5..127.5 or not a multiple of 0.5 (radiotap Rate field)"},
	{"{" NODES2 ", \"links\": [{\"a\": \"gw1\", \"b\": \"gw2\", \"rate_mbps\": 5.3}]}",
	 "links[0].rate_mbps: 5.3 is out of range 0.5..127.5 or not a multiple of 0.5 (radiotap Rate field)"},
	{"{" NODES2 ", \"links\": [{\"a\": \"gw1\", \"b\": \"gw2\", \"loss\": 1.5}]}", "links[0].loss: 1.5 is out of range 0..1"},
	{"{" NODES2 ", \"links\": [{\"a\": \"gw1\", \"b\": \"gw2\", \"loss\": \"x\"}]}",
	 "links[0].loss: expected a number, got a string"},
	{"{" NODES2 ", \"links\": [{\"a\": \"gw1\", \"b\": \"gw9\"}]}", "links[0].b: \"gw9\" is not a node"},
	{"{" NODES2 ", \"links\": [{\"a\": \"gw1\", \"b\": \"gw1\"}]}", "links[0].b: a node has no link to itself"},
	{"{" NODES2 ", \"links\": [{\"a\": \"gw1\", \"b\": \"gw2\"}, {\"a\": \"gw2\", \"b\": \"gw1\"}]}",
	 "links[1]: the pair gw2-gw1 is already listed in links[0]"},
	{"{" NODES2 ", \"links\": [{\"a\": \"gw1\", \"b\": \"gw2\", \"up\": 1}]}", "links[0].up: expected a boolean, got a number"},
	{"{" NODES2 ", \"links\": [{\"a\": \"gw1\", \"b\": \"gw2\", \"rate_mbs\": 6}]}", "links[0].rate_mbs: unknown key"},
	{"{" NODES2 ", \"default\": {\"rate_mbps\": 200}}",
	 "default.rate_mbps: 200 is out of range 0.5..127.5 or not a multiple of 0.5 (radiotap Rate field)"},
	{"{" NODES2 ", \"default\": {\"loss\": -0.1}}", "default.loss: -0.1 is out of range 0..1"},
	{"{" NODES2 ", \"full_mesh\": \"no\"}", "full_mesh: expected a boolean, got a string"},
	{"{" NODES2 ", \"colour\": 1}", "colour: unknown key"},
	{"{" NODES2 ", \"links\": [{\"a\": \"gw1\", \"b\": \"gw2\"}], \"links\": []}",
	 "line 1 column 130: duplicate object key near '\"links\"'"},
};

START_TEST(bad_input_names_the_key)
{
	struct medium m;
	char err[256] = "";

	ck_assert_int_eq(topology_parse_text(bad_cases[_i].json, 1, &m, err, sizeof(err)), -1);
	ck_assert_str_eq(err, bad_cases[_i].error);
}
END_TEST

START_TEST(defaults_and_listed_links)
{
	static const char text[] = "{" NODES3 ", \"default\": {\"rate_mbps\": 24, \"loss\": 0.1},"
				   " \"links\": [{\"a\": \"gw3\", \"b\": \"gw1\", \"rate_mbps\": 5.5, \"loss\": 0.25,"
				   " \"up\": false}]}";
	struct medium m;
	char err[256] = "";

	ck_assert_msg(topology_parse_text(text, 1, &m, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(m.n_nodes, 3);
	ck_assert_str_eq(m.nodes[2].iface, "air-gw3");
	ck_assert(m.nodes[0].up && m.nodes[1].up && m.nodes[2].up);
	/* unlisted pair: the default */
	ck_assert(medium_link(&m, 0, 1)->up);
	ck_assert_uint_eq(medium_link(&m, 0, 1)->rate_500kbps, 48);
	ck_assert(medium_link(&m, 1, 2)->loss == 0.1);
	/* listed pair, named in the other order */
	ck_assert(!medium_link(&m, 0, 2)->up);
	ck_assert_uint_eq(medium_link(&m, 0, 2)->rate_500kbps, 11);
	ck_assert(medium_link(&m, 2, 0)->loss == 0.25);
}
END_TEST

START_TEST(no_default_means_54_lossless)
{
	struct medium m;

	load_lab_topology(&m, 1);
	ck_assert_uint_eq(medium_link(&m, 1, 2)->rate_500kbps, 108);
	ck_assert(medium_link(&m, 1, 2)->loss == 0.0 && medium_link(&m, 1, 2)->up);
}
END_TEST

START_TEST(partial_mesh_starts_unlisted_pairs_cut)
{
	static const char text[] = "{" NODES3 ", \"full_mesh\": false, \"links\": [{\"a\": \"gw1\", \"b\": \"gw2\"},"
				   " {\"a\": \"gw2\", \"b\": \"gw3\"}]}";
	struct medium m;
	char err[256] = "";

	ck_assert_msg(topology_parse_text(text, 1, &m, err, sizeof(err)) == 0, "%s", err);
	ck_assert(medium_link(&m, 0, 1)->up);
	ck_assert(medium_link(&m, 1, 2)->up);
	ck_assert(!medium_link(&m, 0, 2)->up);
	ck_assert_uint_eq(medium_link(&m, 0, 2)->rate_500kbps, 108); /* restore uses the default */
}
END_TEST

START_TEST(file_errors_carry_the_path)
{
	char path[] = "/tmp/airsim-topology-XXXXXX";
	const char bad[] = "{" NODES2 ", \"links\": [{\"a\": \"gw1\", \"b\": \"gw2\", \"loss\": 2}]}";
	char err[512] = "", expected[600];
	struct medium m;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, bad, sizeof(bad) - 1), (int)sizeof(bad) - 1);
	close(fd);
	ck_assert_int_eq(topology_load_file(path, 1, &m, err, sizeof(err)), -1);
	snprintf(expected, sizeof(expected), "%s: links[0].loss: 2 is out of range 0..1", path);
	ck_assert_str_eq(err, expected);
	unlink(path);
	ck_assert_int_eq(topology_load_file(path, 1, &m, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
}
END_TEST

START_TEST(garbage_never_crashes)
{
	/* Every prefix of a valid document: truncation at every byte must fail cleanly, not crash. */
	static const char text[] = "{" NODES3 ", \"default\": {\"rate_mbps\": 24}, \"links\": [{\"a\": \"gw1\","
				   " \"b\": \"gw2\", \"loss\": 0.5, \"up\": true}]}";
	char buf[sizeof(text)];
	char err[256];
	struct medium m;

	for (size_t n = 0; n + 1 < sizeof(text); n++) {
		memcpy(buf, text, n);
		buf[n] = '\0';
		ck_assert_int_eq(topology_parse_text(buf, 1, &m, err, sizeof(err)), -1);
	}
	ck_assert_int_eq(topology_parse_text(text, 1, &m, err, sizeof(err)), 0);
	ck_assert_int_eq(topology_parse_text(NULL, 1, &m, err, sizeof(err)), -1);
}
END_TEST

Suite *topology_suite(void)
{
	Suite *s = suite_create("topology");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, bad_input_names_the_key, 0, (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_test(tc, defaults_and_listed_links);
	tcase_add_test(tc, no_default_means_54_lossless);
	tcase_add_test(tc, partial_mesh_starts_unlisted_pairs_cut);
	tcase_add_test(tc, file_errors_carry_the_path);
	tcase_add_test(tc, garbage_never_crashes);
	suite_add_tcase(s, tc);
	return s;
}
