/* Config loader tests: every validation rule with its exact message, defaults, the shipped lab configs,
 * file checks, and config_to_json round trips. Error cases patch one known-good document, so each case
 * shows only what it breaks. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "config_diff.h"
#include "mesh_ies.h"
#include "suites.h"

#ifndef MESHPLANE_SOURCE_DIR
#define MESHPLANE_SOURCE_DIR "."
#endif

#define ERR_LEN 512
#define MAX_PATCHES 4
#define MAX_STEPS 8

/* Three ports, one per role; everything else defaulted. */
static const char base_json[] =
	"{\"node\": {\"name\": \"t1\", \"mesh_mac\": \"02:00:00:00:00:0a\"},"
	" \"mesh\": {\"mesh_id\": \"test-mesh\"},"
	" \"ports\": ["
	"  {\"name\": \"m0\", \"role\": \"mesh\", \"devargs\": \"net_null0\"},"
	"  {\"name\": \"a0\", \"role\": \"access\", \"devargs\": \"net_null1\"},"
	"  {\"name\": \"l0\", \"role\": \"lan\", \"devargs\": \"net_null2\"}]}";

/* Every key set, none to its default: config_to_json of it must equal it exactly. */
static const char full_json[] =
	"{\"node\": {\"name\": \"full-node_1\", \"mesh_mac\": \"02:11:22:33:44:55\", \"file_prefix\": \"fp1\"},"
	" \"mesh\": {\"mesh_id\": \"full mesh \\u2713\", \"ttl\": 7, \"element_ttl\": 9, \"beacon_interval_tu\": 200,"
	"  \"max_peers\": 64, \"beacon_loss_limit\": 5, \"gate\": true, \"channel\": 36,"
	"  \"supported_rates\": [6, 12, 24, 54], \"basic_rates\": [6, 24], \"airtime_units\": \"standard\","
	"  \"security\": \"none\"},"
	" \"ports\": ["
	"  {\"name\": \"mesh0\", \"role\": \"mesh\", \"devargs\": \"net_ring0\", \"medium\": \"radio\","
	"   \"radiotap\": false, \"link_rate_mbps\": 5.5},"
	"  {\"name\": \"mesh1\", \"role\": \"mesh\", \"devargs\": \"net_ring1\", \"medium\": \"radio\","
	"   \"radiotap\": true, \"link_rate_mbps\": 300},"
	"  {\"name\": \"ap0\", \"role\": \"access\", \"devargs\": \"net_ring2\", \"hostapd_ctrl\": \"/run/h/ap0\","
	"   \"ap\": {\"bssid\": \"02:00:00:00:aa:01\", \"ssid\": \"lab\", \"op_class\": 115, \"channel\": 36}},"
	"  {\"name\": \"ap1\", \"role\": \"access\", \"devargs\": \"net_ring3\"},"
	"  {\"name\": \"lan0\", \"role\": \"lan\", \"devargs\": \"net_ring4\"},"
	"  {\"name\": \"lan1_100\", \"role\": \"lan\", \"devargs\": \"net_ring5\"},"
	"  {\"name\": \"wire0\", \"role\": \"mesh\", \"devargs\": \"net_ring6\", \"medium\": \"ethernet\","
	"   \"link_rate_mbps\": 1000, \"path_cost\": 20, \"hello_interval_ms\": 250, \"hello_loss_limit\": 5}],"
	" \"workers\": {\"lcores\": [2, 3, 5], \"main_lcore\": 1, \"burst\": 16, \"idle_sleep_us\": 50,"
	"  \"idle_polls\": 1000},"
	" \"tables\": {\"fdb_entries\": 1024, \"path_entries\": 512, \"fdb_aging_s\": 60,"
	"  \"pending_frames_per_dest\": 4, \"pending_dests\": 32, \"rmc_entries\": 128, \"rmc_timeout_ms\": 1500},"
	" \"mempool\": {\"mbufs\": 4095, \"cache\": 128, \"data_room\": 9216},"
	" \"hwmp\": {\"max_preq_retries\": 2, \"net_diameter_traversal_ms\": 60, \"min_discovery_timeout_ms\": 150,"
	"  \"preq_min_interval_ms\": 20, \"perr_min_interval_tu\": 50, \"active_path_timeout_ms\": 10000,"
	"  \"path_refresh_time_ms\": 2000, \"root_mode\": 2, \"rann_interval_tu\": 1000, \"root_interval_tu\": 2000,"
	"  \"path_to_root_timeout_tu\": 3000, \"confirmation_interval_tu\": 1000, \"target_only\": false,"
	"  \"reply_and_forward\": true, \"gate_announcements\": true, \"switch_hysteresis_pct\": 12,"
	"  \"next_hop_hold_ms\": 30},"
	" \"peering\": {\"retry_timeout_ms\": 40, \"confirm_timeout_ms\": 41, \"holding_timeout_ms\": 42,"
	"  \"max_retries\": 2, \"max_candidates\": 200, \"auto_open\": false, \"hwmp_extensions\": false},"
	" \"sae\": {\"groups\": [20, 19], \"pwe\": \"both\", \"retrans_ms\": 500, \"sync\": 3,"
	"  \"anti_clogging_threshold\": 2, \"max_sessions\": 100, \"retry_backoff_ms\": 2000, \"mgtk_refresh_s\": 3600},"
	" \"static_peers\": [{\"mac\": \"02:00:00:00:00:97\", \"port\": \"mesh0\"}],"
	" \"static_paths\": [{\"dest\": \"02:00:00:00:00:99\", \"next_hop\": \"02:00:00:00:00:98\","
	"  \"port\": \"mesh1\", \"metric\": 4000}],"
	" \"static_proxies\": [{\"station\": \"02:aa:00:00:00:01\", \"proxy\": \"02:00:00:00:00:98\"}],"
	" \"static_fdb\": [{\"mac\": \"02:bb:00:00:00:01\", \"port\": \"lan1_100\"}],"
	" \"telemetry\": {\"enabled\": false, \"pdump\": false, \"topology_interval_s\": 7},"
	" \"eal\": {\"no_huge\": true, \"memory_mb\": 512,"
	"  \"extra_args\": [\"--log-level=lib.eal:debug\", \"--in-memory\"]},"
	" \"log_level\": \"debug\"}";

#define AP1 "{\"bssid\": \"02:00:00:00:01:01\", \"ssid\": \"campus\", \"op_class\": 81, \"channel\": 6}"
#define SP1 "[{\"dest\": \"02:00:00:00:00:99\", \"next_hop\": \"02:00:00:00:00:0b\", \"port\": \"m0\"}]"
#define SP_ENTRY "{\"dest\": \"02:00:00:00:00:99\", \"next_hop\": \"02:00:00:00:00:0b\", \"port\": \"m0\"}"
#define PX1 "[{\"station\": \"02:aa:00:00:00:01\", \"proxy\": \"02:00:00:00:00:0b\"}]"
#define PX_ENTRY "{\"station\": \"02:aa:00:00:00:01\", \"proxy\": \"02:00:00:00:00:0b\"}"
#define FE1 "[{\"mac\": \"02:bb:00:00:00:01\", \"port\": \"l0\"}]"
#define FE_ENTRY "{\"mac\": \"02:bb:00:00:00:01\", \"port\": \"a0\"}"
#define A32 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SPEER1 "[{\"mac\": \"02:00:00:00:00:0b\", \"port\": \"m0\"}]"
#define SKEYS "{\"mtk\": \"000102030405060708090a0b0c0d0e0f\", \"mgtk\": \"F0E1D2C3B4A5968778695A4B3C2D1E0F\"}"

/* ---------------------------------------------------------------- JSON patching helpers */

/* value is JSON text; NULL deletes the key; path "" replaces the whole document. */
struct patch {
	const char *path;
	const char *value;
};

/* One step of a path such as "ports[1].ap.bssid": an object key, or an array index when index >= 0. */
struct step {
	char key[48];
	int index;
};

static size_t split_path(const char *path, struct step *steps)
{
	size_t n = 0;

	while (*path != '\0') {
		if (*path == '.') {
			path++;
			continue;
		}
		ck_assert_uint_lt(n, MAX_STEPS);
		if (*path == '[') {
			char *end;

			steps[n].key[0] = '\0';
			steps[n].index = (int)strtol(path + 1, &end, 10);
			ck_assert_int_eq(*end, ']');
			path = end + 1;
		} else {
			size_t len = strcspn(path, ".[");

			ck_assert_uint_lt(len, sizeof(steps[n].key));
			memcpy(steps[n].key, path, len);
			steps[n].key[len] = '\0';
			steps[n].index = -1;
			path += len;
		}
		n++;
	}
	return n;
}

/* The member at step s, created (as the container that next needs) when create is set. */
static json_t *child(json_t *node, const struct step *s, const struct step *next, bool create)
{
	json_t *c = s->index < 0 ? json_object_get(node, s->key) : json_array_get(node, (size_t)s->index);

	if (c != NULL || !create)
		return c;
	c = next->index < 0 ? json_object() : json_array();
	if (s->index < 0) {
		json_object_set_new(node, s->key, c);
	} else {
		ck_assert_uint_eq(json_array_size(node), (size_t)s->index);
		json_array_append_new(node, c);
	}
	return c;
}

static json_t *get_path(json_t *root, const char *path)
{
	struct step steps[MAX_STEPS];
	size_t n = split_path(path, steps);

	for (size_t i = 0; i < n && root != NULL; i++)
		root = child(root, &steps[i], NULL, false);
	return root;
}

static void set_final(json_t *node, const struct step *last, json_t *value)
{
	if (last->index < 0) {
		if (value == NULL)
			json_object_del(node, last->key);
		else
			json_object_set_new(node, last->key, value);
	} else if (value == NULL) {
		json_array_remove(node, (size_t)last->index);
	} else if ((size_t)last->index == json_array_size(node)) {
		json_array_append_new(node, value);
	} else {
		json_array_set_new(node, (size_t)last->index, value);
	}
}

static void apply_patch(json_t **root, const struct patch *p)
{
	struct step steps[MAX_STEPS];
	json_t *node = *root, *value = NULL;
	json_error_t jerr;
	size_t n;

	if (p->value != NULL) {
		value = json_loads(p->value, JSON_DECODE_ANY, &jerr);
		ck_assert_msg(value != NULL, "test bug: bad JSON %s: %s", p->value, jerr.text);
	}
	if (p->path[0] == '\0') {
		json_decref(*root);
		*root = value;
		return;
	}
	n = split_path(p->path, steps);
	for (size_t i = 0; i + 1 < n; i++) {
		node = child(node, &steps[i], &steps[i + 1], true);
		ck_assert_msg(node != NULL, "test bug: cannot walk %s", p->path);
	}
	set_final(node, &steps[n - 1], value);
}

static size_t count_patches(const struct patch *patches)
{
	size_t n = 0;

	while (n < MAX_PATCHES && patches[n].path != NULL)
		n++;
	return n;
}

/* base_json with the patches applied, as text (free() it). */
static char *patched_text(const char *base, const struct patch *patches, size_t n)
{
	json_t *root = json_loads(base, 0, NULL);
	char *text;

	ck_assert_ptr_nonnull(root);
	for (size_t i = 0; i < n; i++)
		apply_patch(&root, &patches[i]);
	text = json_dumps(root, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(root);
	ck_assert_ptr_nonnull(text);
	return text;
}

static int load_patched(const struct patch *patches, size_t n, struct node_config *cfg, char *err)
{
	char *text = patched_text(base_json, patches, n);
	int rc = config_load_string(text, strlen(text), cfg, err, ERR_LEN);

	free(text);
	return rc;
}

static struct node_config *new_sentinel(void)
{
	struct node_config *cfg = malloc(sizeof(*cfg));

	ck_assert_ptr_nonnull(cfg);
	memset(cfg, 0x5a, sizeof(*cfg));
	return cfg;
}

static bool is_sentinel(const struct node_config *cfg)
{
	const unsigned char *b = (const unsigned char *)cfg;

	for (size_t i = 0; i < sizeof(*cfg); i++)
		if (b[i] != 0x5a)
			return false;
	return true;
}

/* expected starting with '~' is matched as a substring, otherwise exactly. */
static void check_error(const char *err, const char *expected)
{
	if (expected[0] == '~')
		ck_assert_msg(strstr(err, expected + 1) != NULL, "error \"%s\" lacks \"%s\"", err, expected + 1);
	else
		ck_assert_str_eq(err, expected);
}

static void expect_error(const struct patch *patches, size_t n, const char *expected)
{
	struct node_config *cfg = new_sentinel();
	char err[ERR_LEN] = "";
	int rc = load_patched(patches, n, cfg, err);

	ck_assert_msg(rc == -1, "expected \"%s\" but the config loaded", expected);
	check_error(err, expected);
	ck_assert_msg(is_sentinel(cfg), "output struct modified by a failed load (%s)", expected);
	free(cfg);
}

static struct node_config *expect_load(const struct patch *patches, size_t n)
{
	struct node_config *cfg = new_sentinel();
	char err[ERR_LEN] = "";

	ck_assert_msg(load_patched(patches, n, cfg, err) == 0, "load failed: %s", err);
	return cfg;
}

static struct node_config *load_text_ok(const char *text)
{
	struct node_config *cfg = new_sentinel();
	char err[ERR_LEN] = "";

	ck_assert_msg(config_load_string(text, strlen(text), cfg, err, ERR_LEN) == 0, "load failed: %s", err);
	return cfg;
}

static const char *mac_text(const struct mac_addr *mac)
{
	static char text[MAC_STR_LEN];

	return mac_format(mac, text);
}

static void check_round_trip(const struct node_config *cfg);

/* ---------------------------------------------------------------- every rule, its exact message */

struct error_case {
	struct patch patches[MAX_PATCHES];
	const char *expected;
};

static const struct error_case error_cases[] = {
	/* document and top level */
	{{{"", "[1]"}}, "top level: expected an object, got array"},
	{{{"bogus", "1"}}, "bogus: unknown key"},
	{{{"hwmp", "[]"}}, "hwmp: expected an object, got array"},
	/* node */
	{{{"node", NULL}}, "node: missing"},
	{{{"node", "\"x\""}}, "node: expected an object, got string"},
	{{{"node.name", NULL}}, "node.name: missing"},
	{{{"node.name", "7"}}, "node.name: expected a string, got integer"},
	{{{"node.name", "\"\""}}, "node.name: \"\" is 0 bytes long, expected 1..31"},
	{{{"node.name", "\"" A32 "\""}}, "node.name: \"" A32 "\" is 32 bytes long, expected 1..31"},
	{{{"node.name", "\"gw 1\""}}, "node.name: \"gw 1\" contains ' '; allowed are A-Z a-z 0-9 _ -"},
	{{{"node.name", "\"gw\\u00e9\""}},
	 "node.name: \"gw\\xc3\\xa9\" contains byte 0xc3; allowed are A-Z a-z 0-9 _ -"},
	{{{"node.mesh_mac", NULL}}, "node.mesh_mac: missing"},
	{{{"node.mesh_mac", "2"}}, "node.mesh_mac: expected a string, got integer"},
	{{{"node.mesh_mac", "\"02:00:00:00:00\""}}, "node.mesh_mac: \"02:00:00:00:00\" is not a MAC address"},
	{{{"node.mesh_mac", "\"02:00:00:00:00:0g\""}},
	 "node.mesh_mac: \"02:00:00:00:00:0g\" is not a MAC address"},
	{{{"node.mesh_mac", "\"01:00:5e:00:00:01\""}}, "node.mesh_mac: 01:00:5e:00:00:01 is a group address"},
	{{{"node.mesh_mac", "\"FF:FF:FF:FF:FF:FF\""}}, "node.mesh_mac: ff:ff:ff:ff:ff:ff is a group address"},
	{{{"node.mesh_mac", "\"00:00:00:00:00:00\""}}, "node.mesh_mac: 00:00:00:00:00:00 is the zero address"},
	{{{"node.file_prefix", "\"a/b\""}}, "node.file_prefix: \"a/b\" contains '/'; allowed are A-Z a-z 0-9 _ -"},
	{{{"node.file_prefix", "\"\""}}, "node.file_prefix: \"\" is 0 bytes long, expected 1..31"},
	{{{"node.bogus", "1"}}, "node.bogus: unknown key"},
	/* mesh */
	{{{"mesh", NULL}}, "mesh: missing"},
	{{{"mesh.mesh_id", NULL}}, "mesh.mesh_id: missing"},
	{{{"mesh.mesh_id", "null"}}, "mesh.mesh_id: expected a string, got null"},
	{{{"mesh.mesh_id", "\"" A32 "b\""}}, "mesh.mesh_id: \"" A32 "b\" is 33 bytes long, expected 0..32"},
	{{{"mesh.ttl", "\"31\""}}, "mesh.ttl: expected an integer, got string"},
	{{{"mesh.gate", "\"yes\""}}, "mesh.gate: expected a boolean, got string"},
	{{{"mesh.gate", "1"}}, "mesh.gate: expected a boolean, got integer"},
	{{{"mesh.bogus", "1"}}, "mesh.bogus: unknown key"},
	/* integers: non-integers, negatives, out of range */
	{{{"workers.burst", "2.5"}}, "workers.burst: expected an integer, got real"},
	{{{"workers.burst", "32.0"}}, "workers.burst: expected an integer, got real"},
	{{{"workers.burst", "-1"}}, "workers.burst: -1 is out of range 1..64"},
	{{{"workers.burst", "65"}}, "workers.burst: 65 is out of range 1..64"},
	{{{"workers.burst", "true"}}, "workers.burst: expected an integer, got boolean"},
	/* ports */
	{{{"ports", NULL}}, "ports: missing"},
	{{{"ports", "{}"}}, "ports: expected an array, got object"},
	{{{"ports", "[]"}}, "ports: has 0 entries, expected 1..8"},
	{{{"ports[0]", "\"m0\""}}, "ports[0]: expected an object, got string"},
	{{{"ports[1].role", "\"acess\""}}, "ports[1].role: \"acess\" is not one of mesh, access, lan, host"},
	/* the host port */
	{{{"ports[2].role", "\"host\""}, {"ports[2].address", "\"10.0.0.1\""}},
	 "ports[2].address: \"10.0.0.1\" has no prefix length (a.b.c.d/len)"},
	{{{"ports[2].role", "\"host\""}, {"ports[2].address", "\"10.0.0.300/24\""}},
	 "ports[2].address: \"10.0.0.300/24\" is not an IPv4 address with a prefix length 1..32 (a.b.c.d/len)"},
	{{{"ports[2].role", "\"host\""}, {"ports[2].address", "\"10.0.0.1/33\""}},
	 "ports[2].address: \"10.0.0.1/33\" is not an IPv4 address with a prefix length 1..32 (a.b.c.d/len)"},
	{{{"ports[2].role", "\"host\""}, {"ports[2].address", "\"224.0.0.1/24\""}},
	 "ports[2].address: \"224.0.0.1/24\" is not a unicast host address"},
	{{{"ports[2].role", "\"host\""}, {"ports[2].address", "7"}}, "ports[2].address: expected a string, got integer"},
	{{{"ports[0].address", "\"10.0.0.1/24\""}}, "ports[0].address: only valid for role host"},
	{{{"ports[1].role", "\"host\""}, {"ports[2].role", "\"host\""}},
	 "ports[2].role: only one host port per node (ports[1] is one)"},
	{{{"ports[1].role", NULL}}, "ports[1].role: missing"},
	{{{"ports[1].role", "1"}}, "ports[1].role: expected a string, got integer"},
	{{{"ports[0].name", NULL}}, "ports[0].name: missing"},
	{{{"ports[2].name", "\"m0\""}}, "ports[2].name: \"m0\" is used by ports[0] too"},
	{{{"ports[0].name", "\"wifi0123456789ab\""}},
	 "ports[0].name: \"wifi0123456789ab\" is 16 bytes long, expected 1..15"},
	{{{"ports[0].name", "\"wifi 0\""}}, "ports[0].name: \"wifi 0\" contains ' '; allowed are A-Z a-z 0-9 _"},
	{{{"ports[0].name", "\"wifi-0\""}}, "ports[0].name: \"wifi-0\" contains '-'; allowed are A-Z a-z 0-9 _"},
	{{{"ports[0].devargs", NULL}}, "ports[0].devargs: missing"},
	{{{"ports[0].devargs", "\"\""}}, "ports[0].devargs: \"\" is 0 bytes long, expected 1..255"},
	{{{"ports[2].devargs", "\"net_null0\""}}, "ports[2].devargs: \"net_null0\" is used by ports[0] too"},
	{{{"ports[0].devargs", "\"net_null0, x=1\""}},
	 "ports[0].devargs: \"net_null0, x=1\" contains ' '; allowed are printable ASCII without blanks"},
	{{{"ports[0].bogus", "1"}}, "ports[0].bogus: unknown key"},
	{{{"ports[0].hostapd_ctrl", "\"/x\""}}, "ports[0].hostapd_ctrl: only valid for role access"},
	{{{"ports[0].ap", AP1}}, "ports[0].ap: only valid for role access"},
	{{{"ports[2].hostapd_ctrl", "\"/x\""}}, "ports[2].hostapd_ctrl: only valid for role access"},
	{{{"ports[1].radiotap", "true"}}, "ports[1].radiotap: only valid for role mesh"},
	{{{"ports[2].link_rate_mbps", "54"}}, "ports[2].link_rate_mbps: only valid for role mesh"},
	{{{"ports[0].radiotap", "\"yes\""}}, "ports[0].radiotap: expected a boolean, got string"},
	{{{"ports[0].medium", "\"fiber\""}}, "ports[0].medium: \"fiber\" is not one of radio, ethernet"},
	{{{"ports[1].medium", "\"ethernet\""}}, "ports[1].medium: only valid for role mesh"},
	{{{"ports[0].path_cost", "10"}}, "ports[0].path_cost: only valid for medium ethernet"},
	{{{"ports[0].hello_interval_ms", "100"}}, "ports[0].hello_interval_ms: only valid for medium ethernet"},
	{{{"ports[0].hello_loss_limit", "3"}}, "ports[0].hello_loss_limit: only valid for medium ethernet"},
	{{{"ports[0].medium", "\"ethernet\""}, {"ports[0].radiotap", "true"}},
	 "ports[0].radiotap: only valid for medium radio"},
	{{{"ports[0].medium", "\"ethernet\""}, {"ports[0].hello_interval_ms", "5"}},
	 "ports[0].hello_interval_ms: 5 is out of range 10..10000"},
	{{{"ports[0].medium", "\"ethernet\""}, {"ports[0].hello_loss_limit", "1"}},
	 "ports[0].hello_loss_limit: 1 is out of range 2..100"},
	{{{"ports[0].medium", "\"ethernet\""}, {"ports[0].path_cost", "2147483648"}},
	 "ports[0].path_cost: 2147483648 is out of range 0..2147483647"},
	{{{"ports[0].link_rate_mbps", "\"54\""}}, "ports[0].link_rate_mbps: expected a number, got string"},
	{{{"ports[0].link_rate_mbps", "0.5"}}, "ports[0].link_rate_mbps: 0.5 is out of range 1..10000"},
	{{{"ports[0].link_rate_mbps", "0"}}, "ports[0].link_rate_mbps: 0 is out of range 1..10000"},
	{{{"ports[0].link_rate_mbps", "-54"}}, "ports[0].link_rate_mbps: -54 is out of range 1..10000"},
	{{{"ports[0].link_rate_mbps", "10000.5"}}, "ports[0].link_rate_mbps: 10000.5 is out of range 1..10000"},
	{{{"ports[0].link_rate_mbps", "5.55"}}, "ports[0].link_rate_mbps: 5.55 is not a multiple of 0.1"},
	{{{"ports[1].hostapd_ctrl", "\"run/hostapd\""}},
	 "ports[1].hostapd_ctrl: \"run/hostapd\" is not an absolute path"},
	{{{"ports[1].hostapd_ctrl", "\"\""}}, "ports[1].hostapd_ctrl: \"\" is 0 bytes long, expected 1..107"},
	{{{"ports[1].hostapd_ctrl", "\"/" A32 A32 A32 "aaaaaaaaaaa\""}}, "~is 108 bytes long, expected 1..107"},
	{{{"ports[1].hostapd_ctrl", "\"/run/a\\tb\""}},
	 "ports[1].hostapd_ctrl: \"/run/a\\x09b\" contains byte 0x09; allowed are printable characters"},
	{{{"ports[1].hostapd_ctrl", "\"/run/h\""}, {"ports[2].role", "\"access\""},
	  {"ports[2].hostapd_ctrl", "\"/run/h\""}},
	 "ports[2].hostapd_ctrl: \"/run/h\" is used by ports[1] too"},
	{{{"ports[1].ap", "\"x\""}}, "ports[1].ap: expected an object, got string"},
	{{{"ports[1].ap", AP1}, {"ports[1].ap.bssid", "\"01:00:00:00:00:01\""}},
	 "ports[1].ap.bssid: 01:00:00:00:00:01 is a group address"},
	{{{"ports[1].ap", AP1}, {"ports[1].ap.bssid", NULL}}, "ports[1].ap.bssid: missing"},
	{{{"ports[1].ap", AP1}, {"ports[1].ap.ssid", NULL}}, "ports[1].ap.ssid: missing"},
	{{{"ports[1].ap", AP1}, {"ports[1].ap.op_class", NULL}}, "ports[1].ap.op_class: missing"},
	{{{"ports[1].ap", AP1}, {"ports[1].ap.channel", NULL}}, "ports[1].ap.channel: missing"},
	{{{"ports[1].ap", AP1}, {"ports[1].ap.ssid", "\"\""}},
	 "ports[1].ap.ssid: \"\" is 0 bytes long, expected 1..32"},
	{{{"ports[1].ap", AP1}, {"ports[1].ap.ssid", "\"" A32 "b\""}}, "~is 33 bytes long, expected 1..32"},
	{{{"ports[1].ap", AP1}, {"ports[1].ap.bogus", "1"}}, "ports[1].ap.bogus: unknown key"},
	{{{"ports[1].ap", AP1}, {"ports[2].role", "\"access\""}, {"ports[2].ap", AP1}},
	 "ports[2].ap.bssid: 02:00:00:00:01:01 is used by ports[1] too"},
	/* workers */
	{{{"workers", "\"x\""}}, "workers: expected an object, got string"},
	{{{"workers.lcores", "1"}}, "workers.lcores: expected an array, got integer"},
	{{{"workers.lcores", "[]"}}, "workers.lcores: has 0 entries, expected 1..8"},
	{{{"workers.lcores", "[1,2,3,4,5,6,7,8,9]"}}, "workers.lcores: has 9 entries, expected 1..8"},
	{{{"workers.lcores", "[1,2,1]"}}, "workers.lcores[2]: 1 is used by workers.lcores[0] too"},
	{{{"workers.lcores", "[1,\"2\"]"}}, "workers.lcores[1]: expected an integer, got string"},
	{{{"workers.main_lcore", "1"}}, "workers.main_lcore: 1 is also a worker lcore (workers.lcores[0])"},
	{{{"workers.lcores", "[2,3]"}, {"workers.main_lcore", "3"}},
	 "workers.main_lcore: 3 is also a worker lcore (workers.lcores[1])"},
	{{{"workers.bogus", "1"}}, "workers.bogus: unknown key"},
	/* tables, mempool, hwmp, telemetry */
	{{{"tables.bogus", "1"}}, "tables.bogus: unknown key"},
	{{{"mempool.bogus", "1"}}, "mempool.bogus: unknown key"},
	{{{"mempool.mbufs", "511"}, {"mempool.cache", "512"}},
	 "mempool.cache: 512 is too large for 511 mbufs (DPDK needs cache * 1.5 <= mbufs)"},
	{{{"mempool.mbufs", "511"}, {"mempool.cache", "341"}},
	 "mempool.cache: 341 is too large for 511 mbufs (DPDK needs cache * 1.5 <= mbufs)"},
	{{{"hwmp.bogus", "1"}}, "hwmp.bogus: unknown key"},
	{{{"hwmp.element_ttl", "31"}}, "hwmp.element_ttl: unknown key"},
	{{{"hwmp.target_only", "1"}}, "hwmp.target_only: expected a boolean, got integer"},
	{{{"telemetry.enabled", "\"no\""}}, "telemetry.enabled: expected a boolean, got string"},
	{{{"telemetry.bogus", "1"}}, "telemetry.bogus: unknown key"},
	{{{"telemetry.topology_interval_s", "3601"}}, "telemetry.topology_interval_s: 3601 is out of range 0..3600"},
	/* eal */
	{{{"eal.no_huge", "\"true\""}}, "eal.no_huge: expected a boolean, got string"},
	{{{"eal.extra_args", "\"-v\""}}, "eal.extra_args: expected an array, got string"},
	{{{"eal.extra_args", "[\"\"]"}}, "eal.extra_args[0]: \"\" is 0 bytes long, expected 1..255"},
	{{{"eal.extra_args", "[\"-v\", 1]"}}, "eal.extra_args[1]: expected a string, got integer"},
	{{{"eal.extra_args", "[\"--a\\nb\"]"}},
	 "eal.extra_args[0]: \"--a\\x0ab\" contains byte 0x0a; allowed are printable characters"},
	{{{"eal.extra_args", "[\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\","
			     "\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\"]"}},
	 "eal.extra_args: has 17 entries, expected 0..16"},
	{{{"eal.bogus", "1"}}, "eal.bogus: unknown key"},
	/* log_level */
	{{{"log_level", "\"verbose\""}}, "log_level: \"verbose\" is not one of error, warning, notice, info, debug"},
	{{{"log_level", "3"}}, "log_level: expected a string, got integer"},
	/* mesh channel and rates */
	{{{"mesh.channel", "0"}}, "mesh.channel: 0 is out of range 1..177"},
	{{{"mesh.channel", "20"}}, "mesh.channel: 20 is neither a 2.4 GHz (1..14) nor a 5 GHz (32..177) channel"},
	{{{"mesh.supported_rates", "[1, 7]"}},
	 "mesh.supported_rates[1]: 7 is not an 802.11 rate (1, 2, 5.5, 11, 6, 9, 12, 18, 24, 36, 48, 54)"},
	{{{"mesh.supported_rates", "[1, \"2\"]"}}, "mesh.supported_rates[1]: expected a number, got string"},
	{{{"mesh.supported_rates", "[1, 2, 1]"}}, "mesh.supported_rates[2]: 1 Mb/s is listed twice"},
	{{{"mesh.supported_rates", "[]"}}, "mesh.supported_rates: has 0 entries, expected 1..12"},
	{{{"mesh.supported_rates", "{}"}}, "mesh.supported_rates: expected an array, got object"},
	{{{"mesh.channel", "36"}, {"mesh.supported_rates", "[6, 5.5]"}},
	 "mesh.supported_rates[1]: 5.5 Mb/s is a DSSS rate, not used on 5 GHz channel 36"},
	{{{"mesh.basic_rates", "[2]"}, {"mesh.supported_rates", "[1, 6]"}},
	 "mesh.basic_rates[0]: 2 Mb/s is not in mesh.supported_rates"},
	{{{"mesh.supported_rates", "[6, 12]"}},
	 "mesh.basic_rates: the default basic rate 1 Mb/s is not in mesh.supported_rates; set mesh.basic_rates"},
	{{{"mesh.airtime_units", "\"tu\""}}, "mesh.airtime_units: \"tu\" is not one of mac80211, standard"},
	/* security */
	{{{"mesh.security", "\"wpa2\""}}, "mesh.security: \"wpa2\" is not one of none, sae, static"},
	/* static keys (benchmarks and tests only) */
	{{{"mesh.security", "\"static\""}, {"static_peers", SPEER1}},
	 "mesh.static_keys: required with mesh.security \"static\" ({\"mtk\": \"<32 hex digits>\", "
	 "\"mgtk\": \"<32 hex digits>\"})"},
	{{{"mesh.static_keys", SKEYS}}, "mesh.static_keys: only valid with mesh.security \"static\""},
	{{{"mesh.security", "\"sae\""}, {"mesh.password_file", "\"/etc/pw\""}, {"mesh.static_keys", SKEYS}},
	 "mesh.static_keys: only valid with mesh.security \"static\""},
	{{{"mesh.security", "\"static\""}, {"mesh.static_keys", SKEYS}},
	 "static_peers: required with mesh.security \"static\" (mesh.static_keys key the links with the static "
	 "peers, and no other link)"},
	{{{"mesh.security", "\"static\""}, {"mesh.static_keys", SKEYS}, {"static_peers", SPEER1},
	  {"mesh.password_file", "\"/etc/pw\""}},
	 "mesh.password_file: only valid with mesh.security \"sae\""},
	{{{"mesh.security", "\"static\""}, {"mesh.static_keys", "[]"}, {"static_peers", SPEER1}},
	 "mesh.static_keys: expected an object, got array"},
	{{{"mesh.security", "\"static\""}, {"mesh.static_keys", SKEYS}, {"mesh.static_keys.mgtk", NULL},
	  {"static_peers", SPEER1}},
	 "mesh.static_keys.mgtk: missing"},
	{{{"mesh.security", "\"static\""}, {"mesh.static_keys", SKEYS}, {"mesh.static_keys.igtk", "\"00\""},
	  {"static_peers", SPEER1}},
	 "mesh.static_keys.igtk: unknown key"},
	{{{"mesh.security", "\"static\""}, {"mesh.static_keys", SKEYS}, {"mesh.static_keys.mtk", "\"0011\""},
	  {"static_peers", SPEER1}},
	 "mesh.static_keys.mtk: \"0011\" is not 32 hex digits (a 128-bit CCMP key)"},
	{{{"mesh.security", "\"static\""}, {"mesh.static_keys", SKEYS},
	  {"mesh.static_keys.mgtk", "\"000102030405060708090a0b0c0d0e0g\""}, {"static_peers", SPEER1}},
	 "mesh.static_keys.mgtk: \"000102030405060708090a0b0c0d0e0g\" is not 32 hex digits (a 128-bit CCMP key)"},
	{{{"mesh.security", "\"static\""}, {"mesh.static_keys", SKEYS}, {"mesh.static_keys.mtk", "16"},
	  {"static_peers", SPEER1}},
	 "mesh.static_keys.mtk: expected a string, got integer"},
	{{{"mesh.security", "\"sae\""}},
	 "mesh.password_file: required with mesh.security \"sae\" (a root-only file holding the mesh's password)"},
	{{{"mesh.password_file", "\"/etc/pw\""}}, "mesh.password_file: only valid with mesh.security \"sae\""},
	{{{"mesh.security", "\"sae\""}, {"mesh.password_file", "\"pw\""}},
	 "mesh.password_file: \"pw\" is not an absolute path"},
	{{{"mesh.security", "\"sae\""}, {"mesh.password_file", "\"/etc/pw\""},
	  {"static_peers", "[{\"mac\": \"02:00:00:00:00:0b\", \"port\": \"m0\"}]"}},
	 "static_peers: not allowed with mesh.security \"sae\" (every link of a secure mesh is authenticated by SAE "
	 "and keyed by AMPE)"},
	{{{"sae.groups", "[19, 25]"}},
	 "sae.groups[1]: group 25 is not supported (19, 20 or 21: the NIST curves P-256, P-384, P-521)"},
	{{{"sae.groups", "[19, 19]"}}, "sae.groups[1]: group 19 is listed twice"},
	{{{"sae.groups", "[]"}}, "sae.groups: has 0 entries, expected 1..4"},
	{{{"sae.pwe", "\"h2e\""}}, "sae.pwe: \"h2e\" is not one of hunting-and-pecking, hash-to-element, both"},
	{{{"sae.retrans_ms", "5"}}, "sae.retrans_ms: 5 is out of range 10..60000"},
	{{{"sae.token", "1"}}, "sae.token: unknown key"},
	/* peering */
	{{{"peering", "1"}}, "peering: expected an object, got integer"},
	{{{"peering.bogus", "1"}}, "peering.bogus: unknown key"},
	{{{"peering.retry_timeout_ms", "0"}}, "peering.retry_timeout_ms: 0 is out of range 1..60000"},
	{{{"peering.auto_open", "1"}}, "peering.auto_open: expected a boolean, got integer"},
	{{{"peering.max_candidates", "16"}}, "peering.max_candidates: 16 is below mesh.max_peers (32)"},
	/* static peers */
	{{{"static_peers", "{}"}}, "static_peers: expected an array, got object"},
	{{{"static_peers", "[{\"mac\": \"02:00:00:00:00:0b\", \"port\": \"a0\"}]"}},
	 "static_peers[0].port: \"a0\" is not a mesh port"},
	{{{"static_peers", "[{\"mac\": \"02:00:00:00:00:0a\", \"port\": \"m0\"}]"}},
	 "static_peers[0].mac: 02:00:00:00:00:0a is this node's own mesh_mac"},
	{{{"static_peers", "[{\"mac\": \"02:00:00:00:00:0b\", \"port\": \"m0\"},"
			   " {\"mac\": \"02:00:00:00:00:0b\", \"port\": \"m0\"}]"}},
	 "static_peers[1].mac: 02:00:00:00:00:0b is used by static_peers[0] too"},
	{{{"static_peers", "[{\"mac\": \"02:00:00:00:00:0b\"}]"}}, "static_peers[0].port: missing"},
	/* static paths */
	{{{"static_paths", "{}"}}, "static_paths: expected an array, got object"},
	{{{"static_paths", "[7]"}}, "static_paths[0]: expected an object, got integer"},
	{{{"static_paths", SP1}, {"static_paths[0].port", "\"a0\""}},
	 "static_paths[0].port: \"a0\" is not a mesh port"},
	{{{"static_paths", SP1}, {"static_paths[0].port", "\"wifi9\""}},
	 "static_paths[0].port: \"wifi9\" names no port"},
	{{{"static_paths", SP1}, {"static_paths[0].port", "0"}},
	 "static_paths[0].port: expected a string, got integer"},
	{{{"static_paths", SP1}, {"static_paths[0].port", NULL}}, "static_paths[0].port: missing"},
	{{{"static_paths", SP1}, {"static_paths[0].dest", NULL}}, "static_paths[0].dest: missing"},
	{{{"static_paths", SP1}, {"static_paths[0].next_hop", NULL}}, "static_paths[0].next_hop: missing"},
	{{{"static_paths", SP1}, {"static_paths[0].dest", "\"33:33:00:00:00:01\""}},
	 "static_paths[0].dest: 33:33:00:00:00:01 is a group address"},
	{{{"static_paths", SP1}, {"static_paths[0].dest", "\"02:00:00:00:00:0a\""}},
	 "static_paths[0].dest: 02:00:00:00:00:0a is this node's own mesh_mac"},
	{{{"static_paths", SP1}, {"static_paths[0].next_hop", "\"02:00:00:00:00:0A\""}},
	 "static_paths[0].next_hop: 02:00:00:00:00:0a is this node's own mesh_mac"},
	{{{"static_paths", SP1}, {"static_paths[0].next_hop", "\"00:00:00:00:00:00\""}},
	 "static_paths[0].next_hop: 00:00:00:00:00:00 is the zero address"},
	{{{"static_paths", SP1}, {"static_paths[0].metric", "1.5"}},
	 "static_paths[0].metric: expected an integer, got real"},
	{{{"static_paths", SP1}, {"static_paths[1]", SP_ENTRY}},
	 "static_paths[1].dest: 02:00:00:00:00:99 is used by static_paths[0] too"},
	{{{"static_paths", SP1}, {"static_paths[0].bogus", "1"}}, "static_paths[0].bogus: unknown key"},
	/* static proxies */
	{{{"static_proxies", "{}"}}, "static_proxies: expected an array, got object"},
	{{{"static_proxies", "[null]"}}, "static_proxies[0]: expected an object, got null"},
	{{{"static_proxies", PX1}, {"static_proxies[1]", PX_ENTRY}},
	 "static_proxies[1].station: 02:aa:00:00:00:01 is used by static_proxies[0] too"},
	{{{"static_proxies", PX1}, {"static_proxies[0].proxy", "\"03:00:00:00:00:01\""}},
	 "static_proxies[0].proxy: 03:00:00:00:00:01 is a group address"},
	{{{"static_proxies", PX1}, {"static_proxies[0].station", "\"02:00:00:00:00:0a\""}},
	 "static_proxies[0].station: 02:00:00:00:00:0a is this node's own mesh_mac"},
	{{{"static_proxies", PX1}, {"static_proxies[0].proxy", NULL}}, "static_proxies[0].proxy: missing"},
	{{{"static_proxies", PX1}, {"static_proxies[0].station", NULL}}, "static_proxies[0].station: missing"},
	{{{"static_proxies", PX1}, {"static_proxies[0].bogus", "1"}}, "static_proxies[0].bogus: unknown key"},
	/* static FDB entries */
	{{{"static_fdb", "{}"}}, "static_fdb: expected an array, got object"},
	{{{"static_fdb", FE1}, {"static_fdb[0].port", "\"m0\""}},
	 "static_fdb[0].port: \"m0\" is a mesh port, not access, lan or host"},
	{{{"static_fdb", FE1}, {"static_fdb[0].port", "\"x9\""}}, "static_fdb[0].port: \"x9\" names no port"},
	{{{"static_fdb", FE1}, {"static_fdb[0].mac", "\"01:00:5e:00:00:01\""}},
	 "static_fdb[0].mac: 01:00:5e:00:00:01 is a group address"},
	{{{"static_fdb", FE1}, {"static_fdb[0].mac", "\"02:00:00:00:00:0a\""}},
	 "static_fdb[0].mac: 02:00:00:00:00:0a is this node's own mesh_mac"},
	{{{"static_fdb", FE1}, {"static_fdb[1]", FE_ENTRY}},
	 "static_fdb[1].mac: 02:bb:00:00:00:01 is used by static_fdb[0] too"},
	{{{"static_proxies", PX1}, {"static_fdb", FE1}, {"static_fdb[0].mac", "\"02:aa:00:00:00:01\""}},
	 "static_fdb[0].mac: 02:aa:00:00:00:01 is static_proxies[0].station too"},
	{{{"static_fdb", FE1}, {"static_fdb[0].port", NULL}}, "static_fdb[0].port: missing"},
	{{{"static_fdb", FE1}, {"static_fdb[0].bogus", "1"}}, "static_fdb[0].bogus: unknown key"},
};

START_TEST(test_error_case)
{
	const struct error_case *c = &error_cases[_i];

	expect_error(c->patches, count_patches(c->patches), c->expected);
}
END_TEST

/* ---------------------------------------------------------------- every integer range, both ends */

struct range_case {
	const char *path;
	long long min, max;
	struct patch context; /* makes the key reachable or avoids an unrelated conflict */
};

#define TIMEOUT_RANGE 1, 3600000

static const struct range_case range_cases[] = {
	{"mesh.ttl", 1, 255, {NULL, NULL}},
	{"mesh.element_ttl", 1, 255, {NULL, NULL}},
	{"mesh.beacon_interval_tu", 10, 10000, {NULL, NULL}},
	{"mesh.max_peers", 1, 256, {NULL, NULL}},
	{"mesh.beacon_loss_limit", 1, 255, {NULL, NULL}},
	{"workers.main_lcore", 0, 127, {NULL, NULL}},
	{"workers.lcores[0]", 0, 127, {"workers.main_lcore", "64"}},
	{"workers.burst", 1, 64, {NULL, NULL}},
	{"workers.idle_sleep_us", 0, 100000, {NULL, NULL}},
	{"workers.idle_polls", 1, 1000000, {NULL, NULL}},
	{"tables.fdb_entries", 64, 16777216, {NULL, NULL}},
	{"tables.path_entries", 16, 1048576, {NULL, NULL}},
	{"tables.fdb_aging_s", 1, 86400, {NULL, NULL}},
	{"tables.pending_frames_per_dest", 0, 256, {NULL, NULL}},
	{"tables.pending_dests", 0, 65536, {NULL, NULL}},
	{"tables.rmc_entries", 16, 65536, {NULL, NULL}},
	{"tables.rmc_timeout_ms", TIMEOUT_RANGE, {NULL, NULL}},
	{"mempool.mbufs", 511, 1048575, {NULL, NULL}},
	{"mempool.cache", 0, 512, {NULL, NULL}},
	{"mempool.data_room", 1024, 9216, {NULL, NULL}},
	{"hwmp.max_preq_retries", 0, 255, {NULL, NULL}},
	{"hwmp.net_diameter_traversal_ms", TIMEOUT_RANGE, {NULL, NULL}},
	{"hwmp.min_discovery_timeout_ms", TIMEOUT_RANGE, {NULL, NULL}},
	{"hwmp.preq_min_interval_ms", TIMEOUT_RANGE, {NULL, NULL}},
	{"hwmp.perr_min_interval_tu", TIMEOUT_RANGE, {NULL, NULL}},
	{"hwmp.active_path_timeout_ms", TIMEOUT_RANGE, {NULL, NULL}},
	{"hwmp.path_refresh_time_ms", TIMEOUT_RANGE, {NULL, NULL}},
	{"hwmp.root_mode", 0, 4, {NULL, NULL}},
	{"hwmp.rann_interval_tu", TIMEOUT_RANGE, {NULL, NULL}},
	{"hwmp.root_interval_tu", TIMEOUT_RANGE, {NULL, NULL}},
	{"hwmp.path_to_root_timeout_tu", TIMEOUT_RANGE, {NULL, NULL}},
	{"hwmp.confirmation_interval_tu", TIMEOUT_RANGE, {NULL, NULL}},
	{"eal.memory_mb", 16, 65536, {NULL, NULL}},
	{"ports[1].ap.op_class", 1, 255, {"ports[1].ap", AP1}},
	{"ports[1].ap.channel", 1, 255, {"ports[1].ap", AP1}},
	{"static_paths[0].metric", 1, 4294967295LL, {"static_paths", SP1}},
};

/* Loads with path = value; returns the value config_to_json reports for the same path. */
static long long load_and_read_back(const struct range_case *c, long long value)
{
	char text[32];
	struct patch patches[2] = {c->context, {c->path, text}};
	size_t first = c->context.path == NULL ? 1 : 0;
	struct node_config *cfg;
	json_t *json, *v;
	long long got;

	snprintf(text, sizeof(text), "%lld", value);
	cfg = expect_load(patches + first, 2 - first);
	json = config_to_json(cfg);
	ck_assert_ptr_nonnull(json);
	v = get_path(json, c->path);
	ck_assert_msg(json_is_integer(v), "%s missing from config_to_json", c->path);
	got = json_integer_value(v);
	json_decref(json);
	free(cfg);
	return got;
}

static void expect_out_of_range(const struct range_case *c, long long value)
{
	char text[32], expected[ERR_LEN];
	struct patch patches[2] = {c->context, {c->path, text}};
	size_t first = c->context.path == NULL ? 1 : 0;

	snprintf(text, sizeof(text), "%lld", value);
	snprintf(expected, sizeof(expected), "%s: %lld is out of range %lld..%lld", c->path, value, c->min,
		 c->max);
	expect_error(patches + first, 2 - first, expected);
}

START_TEST(test_range_case)
{
	const struct range_case *c = &range_cases[_i];

	ck_assert_int_eq(load_and_read_back(c, c->min), c->min);
	ck_assert_int_eq(load_and_read_back(c, c->max), c->max);
	expect_out_of_range(c, c->min - 1);
	expect_out_of_range(c, c->max + 1);
}
END_TEST

/* ---------------------------------------------------------------- defaults and values */

START_TEST(test_minimal_config_gets_defaults)
{
	struct patch one_port = {"ports", "[{\"name\": \"m0\", \"role\": \"mesh\", \"devargs\": \"net_null0\"}]"};
	struct node_config *cfg = expect_load(&one_port, 1);

	ck_assert_str_eq(cfg->node.name, "t1");
	ck_assert_str_eq(cfg->node.file_prefix, "t1");
	ck_assert_str_eq(mac_text(&cfg->node.mesh_mac), "02:00:00:00:00:0a");
	ck_assert_str_eq(cfg->mesh.mesh_id, "test-mesh");
	ck_assert_uint_eq(cfg->mesh.ttl, 31);
	ck_assert_uint_eq(cfg->mesh.element_ttl, 31);
	ck_assert_uint_eq(cfg->mesh.beacon_interval_tu, 100);
	ck_assert_uint_eq(cfg->mesh.max_peers, 32);
	ck_assert_uint_eq(cfg->mesh.beacon_loss_limit, 7);
	ck_assert(!cfg->mesh.gate);
	ck_assert_uint_eq(cfg->n_ports, 1);
	ck_assert_int_eq(cfg->ports[0].role, PORT_ROLE_MESH);
	ck_assert(cfg->ports[0].radiotap);
	ck_assert_uint_eq(cfg->ports[0].link_rate_100kbps, 540);
	ck_assert_str_eq(cfg->ports[0].hostapd_ctrl, "");
	ck_assert(!cfg->ports[0].ap.present);
	ck_assert_uint_eq(cfg->workers.n_lcores, 1);
	ck_assert_uint_eq(cfg->workers.lcores[0], 1);
	ck_assert_uint_eq(cfg->workers.main_lcore, 0);
	ck_assert_uint_eq(cfg->workers.burst, 32);
	ck_assert_uint_eq(cfg->workers.idle_sleep_us, 0);
	ck_assert_uint_eq(cfg->workers.idle_polls, 64);
	ck_assert_uint_eq(cfg->tables.fdb_entries, 65536);
	ck_assert_uint_eq(cfg->tables.path_entries, 4096);
	ck_assert_uint_eq(cfg->tables.fdb_aging_s, 300);
	ck_assert_uint_eq(cfg->tables.pending_frames_per_dest, 10);
	ck_assert_uint_eq(cfg->tables.pending_dests, 256);
	ck_assert_uint_eq(cfg->tables.rmc_entries, 256);
	ck_assert_uint_eq(cfg->tables.rmc_timeout_ms, 3000);
	ck_assert_uint_eq(cfg->mempool.mbufs, 8191);
	ck_assert_uint_eq(cfg->mempool.cache, 256);
	ck_assert_uint_eq(cfg->mempool.data_room, 2176);
	ck_assert_uint_eq(cfg->hwmp.max_preq_retries, 4);
	ck_assert_uint_eq(cfg->hwmp.net_diameter_traversal_ms, 50);
	ck_assert_uint_eq(cfg->hwmp.min_discovery_timeout_ms, 100);
	ck_assert_uint_eq(cfg->hwmp.preq_min_interval_ms, 10);
	ck_assert_uint_eq(cfg->hwmp.perr_min_interval_tu, 100);
	ck_assert_uint_eq(cfg->hwmp.active_path_timeout_ms, 5000);
	ck_assert_uint_eq(cfg->hwmp.path_refresh_time_ms, 1000);
	ck_assert_uint_eq(cfg->hwmp.root_mode, HWMP_ROOT_NONE);
	ck_assert_uint_eq(cfg->hwmp.rann_interval_tu, 5000);
	ck_assert_uint_eq(cfg->hwmp.root_interval_tu, 5000);
	ck_assert_uint_eq(cfg->hwmp.path_to_root_timeout_tu, 6000);
	ck_assert_uint_eq(cfg->hwmp.confirmation_interval_tu, 2000);
	ck_assert(cfg->hwmp.target_only);
	ck_assert(!cfg->hwmp.reply_and_forward);
	ck_assert(!cfg->hwmp.gate_announcements);
	ck_assert_uint_eq(cfg->n_static_paths, 0);
	ck_assert_uint_eq(cfg->n_static_proxies, 0);
	ck_assert(cfg->telemetry.enabled);
	ck_assert_uint_eq(cfg->telemetry.topology_interval_s, 5);
	ck_assert(!cfg->eal.no_huge);
	ck_assert_uint_eq(cfg->eal.memory_mb, 256);
	ck_assert_uint_eq(cfg->eal.n_extra_args, 0);
	ck_assert_int_eq(cfg->log_level, LOG_LEVEL_NOTICE);
	free(cfg);
}
END_TEST

START_TEST(test_set_defaults_matches_minimal_load)
{
	struct patch one_port = {"ports", "[{\"name\": \"m0\", \"role\": \"mesh\", \"devargs\": \"net_null0\"}]"};
	struct node_config *loaded = expect_load(&one_port, 1), *defaults = new_sentinel();

	config_set_defaults(defaults);
	/* Only the required keys differ from config_set_defaults(). */
	memcpy(&defaults->node, &loaded->node, sizeof(defaults->node));
	memcpy(&defaults->mesh.mesh_id, &loaded->mesh.mesh_id, sizeof(defaults->mesh.mesh_id));
	defaults->n_ports = loaded->n_ports;
	memcpy(&defaults->ports[0], &loaded->ports[0], sizeof(defaults->ports[0]));
	ck_assert_int_eq(memcmp(defaults, loaded, sizeof(*loaded)), 0);
	free(loaded);
	free(defaults);
}
END_TEST

START_TEST(test_full_config_values)
{
	struct node_config *cfg = load_text_ok(full_json);

	ck_assert_str_eq(cfg->node.file_prefix, "fp1");
	ck_assert_str_eq(cfg->mesh.mesh_id, "full mesh \xe2\x9c\x93");
	ck_assert(cfg->mesh.gate);
	ck_assert_uint_eq(cfg->n_ports, 7);
	ck_assert(cfg->ports[6].wired && cfg->ports[6].link_rate_set);
	ck_assert_uint_eq(cfg->ports[6].link_rate_100kbps, 10000);
	ck_assert_uint_eq(cfg->ports[6].path_cost, 20);
	ck_assert_uint_eq(cfg->ports[6].hello_interval_ms, 250);
	ck_assert_uint_eq(cfg->ports[6].hello_loss_limit, 5);
	ck_assert(!cfg->ports[0].radiotap);
	ck_assert_uint_eq(cfg->ports[0].link_rate_100kbps, 55);
	ck_assert_uint_eq(cfg->ports[1].link_rate_100kbps, 3000);
	ck_assert_int_eq(cfg->ports[2].role, PORT_ROLE_ACCESS);
	ck_assert_str_eq(cfg->ports[2].hostapd_ctrl, "/run/h/ap0");
	ck_assert(cfg->ports[2].ap.present);
	ck_assert_str_eq(mac_text(&cfg->ports[2].ap.bssid), "02:00:00:00:aa:01");
	ck_assert_str_eq(cfg->ports[2].ap.ssid, "lab");
	ck_assert_uint_eq(cfg->ports[2].ap.op_class, 115);
	ck_assert_uint_eq(cfg->ports[2].ap.channel, 36);
	ck_assert(!cfg->ports[3].ap.present);
	ck_assert_int_eq(cfg->ports[5].role, PORT_ROLE_LAN);
	ck_assert_str_eq(cfg->ports[5].name, "lan1_100");
	ck_assert_uint_eq(cfg->workers.n_lcores, 3);
	ck_assert_uint_eq(cfg->workers.lcores[2], 5);
	ck_assert_uint_eq(cfg->hwmp.root_mode, HWMP_ROOT_PROACTIVE_PREQ_NO_PREP);
	ck_assert(cfg->hwmp.reply_and_forward);
	ck_assert_uint_eq(cfg->n_static_paths, 1);
	ck_assert_uint_eq(cfg->static_paths[0].port, 1);
	ck_assert_uint_eq(cfg->static_paths[0].metric, 4000);
	ck_assert_str_eq(mac_text(&cfg->static_paths[0].next_hop), "02:00:00:00:00:98");
	ck_assert_uint_eq(cfg->n_static_proxies, 1);
	ck_assert_str_eq(mac_text(&cfg->static_proxies[0].station), "02:aa:00:00:00:01");
	ck_assert_uint_eq(cfg->n_static_fdb, 1);
	ck_assert_str_eq(mac_text(&cfg->static_fdb[0].mac), "02:bb:00:00:00:01");
	ck_assert_uint_eq(cfg->static_fdb[0].port, 5);
	ck_assert_uint_eq(cfg->telemetry.topology_interval_s, 7);
	ck_assert(!cfg->telemetry.enabled);
	ck_assert_uint_eq(cfg->eal.n_extra_args, 2);
	ck_assert_str_eq(cfg->eal.extra_args[1], "--in-memory");
	ck_assert_int_eq(cfg->log_level, LOG_LEVEL_DEBUG);
	ck_assert_uint_eq(cfg->mesh.channel, 36);
	ck_assert_uint_eq(cfg->mesh.rates.n, 4);
	ck_assert_uint_eq(cfg->mesh.rates.rate[0], 0x8c); /* 6 Mb/s, basic */
	ck_assert_uint_eq(cfg->mesh.rates.rate[1], 0x18); /* 12 */
	ck_assert_uint_eq(cfg->mesh.rates.rate[2], 0xb0); /* 24, basic */
	ck_assert_uint_eq(cfg->mesh.rates.rate[3], 0x6c); /* 54 */
	ck_assert_uint_eq(cfg->mesh.airtime_units, AIRTIME_UNITS_STANDARD);
	ck_assert_uint_eq(cfg->peering.retry_timeout_ms, 40);
	ck_assert_uint_eq(cfg->peering.max_candidates, 200);
	ck_assert(!cfg->peering.auto_open && !cfg->peering.hwmp_extensions);
	ck_assert_uint_eq(cfg->n_static_peers, 1);
	ck_assert_str_eq(mac_text(&cfg->static_peers[0].mac), "02:00:00:00:00:97");
	ck_assert_uint_eq(cfg->static_peers[0].port, 0);
	free(cfg);
}
END_TEST

/* mesh.security static: the keys as bytes (either case of hex), and back as lower-case hex. */
START_TEST(test_static_keys)
{
	const struct patch st[] = {{"mesh.security", "\"static\""}, {"mesh.static_keys", SKEYS},
				   {"static_peers", SPEER1}};
	static const uint8_t mtk[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
	static const uint8_t mgtk[16] = {0xf0, 0xe1, 0xd2, 0xc3, 0xb4, 0xa5, 0x96, 0x87,
					 0x78, 0x69, 0x5a, 0x4b, 0x3c, 0x2d, 0x1e, 0x0f};
	struct node_config *cfg = expect_load(st, 3);
	json_t *j, *keys;

	ck_assert_int_eq(cfg->mesh.security, MESH_SECURITY_STATIC);
	ck_assert_mem_eq(cfg->mesh.static_mtk, mtk, 16);
	ck_assert_mem_eq(cfg->mesh.static_mgtk, mgtk, 16);
	ck_assert_uint_eq(cfg->n_static_peers, 1);
	j = config_to_json(cfg);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "mesh"), "security")), "static");
	keys = json_object_get(json_object_get(j, "mesh"), "static_keys");
	ck_assert_str_eq(json_string_value(json_object_get(keys, "mtk")), "000102030405060708090a0b0c0d0e0f");
	ck_assert_str_eq(json_string_value(json_object_get(keys, "mgtk")), "f0e1d2c3b4a5968778695a4b3c2d1e0f");
	json_decref(j);
	check_round_trip(cfg);
	free(cfg);
	/* Other modes carry no keys, and show none. */
	cfg = expect_load(NULL, 0);
	j = config_to_json(cfg);
	ck_assert_ptr_null(json_object_get(json_object_get(j, "mesh"), "static_keys"));
	json_decref(j);
	free(cfg);
}
END_TEST

START_TEST(test_host_port)
{
	const struct patch host[] = {{"ports[2].role", "\"host\""}, {"ports[2].address", "\"192.0.2.13/24\""}};
	struct node_config *cfg = expect_load(host, 2);
	json_t *j;

	ck_assert_int_eq(cfg->ports[2].role, PORT_ROLE_HOST);
	ck_assert_uint_eq(cfg->ports[2].prefix_len, 24);
	ck_assert_uint_eq(cfg->ports[2].ipv4, htonl(0xc000020d));
	ck_assert_ptr_eq(config_host_port(cfg), &cfg->ports[2]);
	j = config_to_json(cfg);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "ports"), 2), "address")),
			 "192.0.2.13/24");
	json_decref(j);
	free(cfg);
	cfg = expect_load(NULL, 0);
	ck_assert_ptr_null(config_host_port(cfg));
	free(cfg);
}
END_TEST

/* Without rate keys the band's Linux defaults apply; without max_candidates it follows max_peers. */
START_TEST(test_rate_and_peering_defaults)
{
	const struct patch five[] = {{"mesh.channel", "149"}};
	const struct patch only_supported[] = {{"mesh.supported_rates", "[1, 11, 54]"}};
	const struct patch peers[] = {{"mesh.max_peers", "100"}};
	struct node_config *cfg = expect_load(NULL, 0);
	struct mesh_rates want;

	mesh_rates_default_2ghz(&want);
	ck_assert_uint_eq(cfg->mesh.channel, 1);
	ck_assert_mem_eq(&cfg->mesh.rates, &want, sizeof(want));
	ck_assert_uint_eq(cfg->peering.max_candidates, 64);
	free(cfg);
	cfg = expect_load(five, 1);
	mesh_rates_default_5ghz(&want);
	ck_assert_mem_eq(&cfg->mesh.rates, &want, sizeof(want));
	free(cfg);
	cfg = expect_load(only_supported, 1);
	ck_assert_uint_eq(cfg->mesh.rates.n, 3);
	ck_assert_uint_eq(cfg->mesh.rates.rate[0], 0x82);
	ck_assert_uint_eq(cfg->mesh.rates.rate[1], 0x16);
	free(cfg);
	cfg = expect_load(peers, 1);
	ck_assert_uint_eq(cfg->peering.max_candidates, 200);
	free(cfg);
}
END_TEST

/* config_to_json of a config that sets every key reproduces that document exactly. */
START_TEST(test_to_json_equals_full_input)
{
	struct node_config *cfg = load_text_ok(full_json);
	json_t *expected = json_loads(full_json, 0, NULL), *got = config_to_json(cfg);

	ck_assert_ptr_nonnull(got);
	if (!json_equal(expected, got)) {
		char *text = json_dumps(got, JSON_SORT_KEYS);

		ck_abort_msg("config_to_json differs from the input: %s", text);
	}
	json_decref(expected);
	json_decref(got);
	free(cfg);
}
END_TEST

/* A wired mesh port: its defaults, its keys, the link header it implies, and its JSON round trip. */
START_TEST(test_wired_mesh_port)
{
	const struct patch wired[] = {{"ports[0].medium", "\"ethernet\""}, {"ports[0].path_cost", "7"},
				      {"ports[0].hello_loss_limit", "4"}};
	struct node_config *cfg = expect_load(wired, 1);
	json_t *json;

	ck_assert(cfg->ports[0].wired);
	ck_assert_int_eq(cfg->ports[0].link, MESH_LINK_ETHERNET);
	ck_assert(!cfg->ports[0].radiotap);
	ck_assert(!cfg->ports[0].link_rate_set);
	ck_assert_uint_eq(cfg->ports[0].hello_interval_ms, 50);
	ck_assert_uint_eq(cfg->ports[0].hello_loss_limit, 3);
	ck_assert_uint_eq(cfg->ports[0].path_cost, 0);
	json = config_to_json(cfg);
	ck_assert_str_eq(json_string_value(get_path(json, "ports[0].medium")), "ethernet");
	ck_assert_ptr_null(get_path(json, "ports[0].radiotap"));
	ck_assert_ptr_null(get_path(json, "ports[0].link_rate_mbps")); /* the PMD's speed: not a config value */
	ck_assert_int_eq(json_integer_value(get_path(json, "ports[0].path_cost")), 0);
	ck_assert_int_eq(json_integer_value(get_path(json, "ports[0].hello_interval_ms")), 50);
	json_decref(json);
	free(cfg);

	cfg = expect_load(wired, 3);
	ck_assert_uint_eq(cfg->ports[0].path_cost, 7);
	ck_assert_uint_eq(cfg->ports[0].hello_loss_limit, 4);
	json = config_to_json(cfg);
	ck_assert_int_eq(json_integer_value(get_path(json, "ports[0].path_cost")), 7);
	json_decref(json);
	free(cfg);

	cfg = expect_load(NULL, 0);
	ck_assert(!cfg->ports[0].wired);
	ck_assert_int_eq(cfg->ports[0].link, MESH_LINK_RADIOTAP);
	ck_assert_uint_eq(cfg->ports[0].hello_interval_ms, 0);
	free(cfg);
}
END_TEST

START_TEST(test_to_json_includes_defaults)
{
	struct node_config *cfg = expect_load(NULL, 0);
	json_t *json = config_to_json(cfg);

	ck_assert_int_eq(json_integer_value(get_path(json, "hwmp.active_path_timeout_ms")), 5000);
	ck_assert_int_eq(json_integer_value(get_path(json, "ports[0].link_rate_mbps")), 54);
	ck_assert(json_is_true(get_path(json, "ports[0].radiotap")));
	ck_assert_ptr_null(get_path(json, "ports[1].hostapd_ctrl"));
	ck_assert_ptr_null(get_path(json, "ports[2].radiotap"));
	ck_assert_str_eq(json_string_value(get_path(json, "log_level")), "notice");
	ck_assert_str_eq(json_string_value(get_path(json, "node.file_prefix")), "t1");
	ck_assert_int_eq(json_integer_value(get_path(json, "workers.lcores[0]")), 1);
	json_decref(json);
	free(cfg);
}
END_TEST

START_TEST(test_link_rate_units)
{
	static const struct {
		const char *json;
		uint32_t rate_100kbps;
	} rates[] = {{"1", 10}, {"5.5", 55}, {"12.3", 123}, {"54", 540}, {"54.0", 540}, {"866.7", 8667},
		     {"10000", 100000}};

	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		struct patch p = {"ports[0].link_rate_mbps", rates[i].json};
		struct node_config *cfg = expect_load(&p, 1);

		ck_assert_msg(cfg->ports[0].link_rate_100kbps == rates[i].rate_100kbps, "%s Mb/s gave %u",
			      rates[i].json, cfg->ports[0].link_rate_100kbps);
		free(cfg);
	}
}
END_TEST

START_TEST(test_edge_values_accepted)
{
	struct patch empty_mesh_id = {"mesh.mesh_id", "\"\""};
	struct patch max_mesh_id[] = {{"mesh.mesh_id", "\"" A32 "\""},
				      {"node.name", "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""}};
	struct patch cache_fits[] = {{"mempool.mbufs", "511"}, {"mempool.cache", "340"}};
	struct patch mac_dashes = {"node.mesh_mac", "\"02-00-00-00-00-0B\""};
	struct node_config *cfg;

	cfg = expect_load(&empty_mesh_id, 1);
	ck_assert_str_eq(cfg->mesh.mesh_id, "");
	free(cfg);
	cfg = expect_load(max_mesh_id, 2);
	ck_assert_uint_eq(strlen(cfg->mesh.mesh_id), 32);
	ck_assert_uint_eq(strlen(cfg->node.name), 31);
	free(cfg);
	cfg = expect_load(cache_fits, 2);
	ck_assert_uint_eq(cfg->mempool.cache, 340);
	free(cfg);
	cfg = expect_load(&mac_dashes, 1);
	ck_assert_str_eq(mac_text(&cfg->node.mesh_mac), "02:00:00:00:00:0b");
	free(cfg);
}
END_TEST

/* ---------------------------------------------------------------- array size limits */

/* A JSON array of n entries; entry is a format taking the index as (high, low) byte, up to twice. */
static char *repeated_array(const char *entry, unsigned int n)
{
	size_t cap = (strlen(entry) + 16) * (n + 1) + 4, used = 1;
	char *text = malloc(cap);

	ck_assert_ptr_nonnull(text);
	text[0] = '[';
	for (unsigned int i = 0; i < n; i++) {
		if (i > 0)
			text[used++] = ',';
		used += (size_t)snprintf(text + used, cap - used, entry, i / 256, i % 256, i / 256, i % 256);
	}
	snprintf(text + used, cap - used, "]");
	return text;
}

#define PATH_ENTRY "{\"dest\": \"02:00:00:01:%02x:%02x\", \"next_hop\": \"02:00:00:00:00:0b\", \"port\": \"m0\"}"
#define PROXY_ENTRY "{\"station\": \"02:aa:00:00:%02x:%02x\", \"proxy\": \"02:00:00:00:00:0b\"}"
#define PORT_ENTRY "{\"name\": \"p%u_%u\", \"role\": \"lan\", \"devargs\": \"net_null%u_%u\"}"

static void check_array_limit(const char *key, const char *entry, unsigned int max, const char *expected)
{
	char *ok_text = repeated_array(entry, max), *bad_text = repeated_array(entry, max + 1);
	struct patch ok = {key, ok_text}, bad = {key, bad_text};
	struct node_config *cfg = expect_load(&ok, 1);
	json_t *json = config_to_json(cfg);

	ck_assert_uint_eq(json_array_size(get_path(json, key)), max);
	json_decref(json);
	expect_error(&bad, 1, expected);
	free(cfg);
	free(ok_text);
	free(bad_text);
}

START_TEST(test_array_limits)
{
	check_array_limit("ports", PORT_ENTRY, 8, "ports: has 9 entries, expected 1..8");
	check_array_limit("static_paths", PATH_ENTRY, 16384, "static_paths: has 16385 entries, expected 0..16384");
	check_array_limit("static_proxies", PROXY_ENTRY, 1024,
			  "static_proxies: has 1025 entries, expected 0..1024");
}
END_TEST

/* ---------------------------------------------------------------- round trips */

static void check_round_trip(const struct node_config *cfg)
{
	json_t *json = config_to_json(cfg);
	char *text, err[ERR_LEN] = "";
	struct node_config *again = new_sentinel();

	ck_assert_ptr_nonnull(json);
	text = json_dumps(json, JSON_INDENT(2));
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(config_load_string(text, strlen(text), again, err, ERR_LEN) == 0, "reload failed: %s\n%s",
		      err, text);
	ck_assert_msg(memcmp(cfg, again, sizeof(*cfg)) == 0, "round trip changed the config:\n%s", text);
	free(text);
	free(again);
	json_decref(json);
}

static const char *const shipped[] = {"gw1", "gw2", "gw3"};

static struct node_config *load_shipped(const char *node)
{
	char path[512], err[ERR_LEN] = "";
	struct node_config *cfg = new_sentinel();

	snprintf(path, sizeof(path), "%s/conf/%s.json", MESHPLANE_SOURCE_DIR, node);
	ck_assert_msg(config_load_file(path, cfg, err, ERR_LEN) == 0, "%s", err);
	return cfg;
}

START_TEST(test_round_trip)
{
	struct node_config *cfg = expect_load(NULL, 0);

	check_round_trip(cfg);
	free(cfg);
	cfg = load_text_ok(full_json);
	check_round_trip(cfg);
	free(cfg);
	for (size_t i = 0; i < 3; i++) {
		cfg = load_shipped(shipped[i]);
		check_round_trip(cfg);
		free(cfg);
	}
}
END_TEST

/* ---------------------------------------------------------------- shipped lab configs */

START_TEST(test_shipped_config)
{
	static const uint8_t channels[] = {1, 6, 11};
	struct node_config *cfg = load_shipped(shipped[_i]);
	unsigned int n = (unsigned int)_i + 1;
	const struct port_config *mesh = config_find_port(cfg, "wifi0"), *access = config_find_port(cfg, "wifi1");
	char text[128];

	ck_assert_str_eq(cfg->node.name, shipped[_i]);
	ck_assert_str_eq(cfg->node.file_prefix, shipped[_i]);
	snprintf(text, sizeof(text), "02:00:00:00:00:%02x", n);
	ck_assert_str_eq(mac_text(&cfg->node.mesh_mac), text);
	ck_assert_str_eq(cfg->mesh.mesh_id, "campus-mesh");
	ck_assert_ptr_nonnull(mesh);
	ck_assert_int_eq(mesh->role, PORT_ROLE_MESH);
	ck_assert_str_eq(mesh->devargs, "net_af_packet0,iface=wifi0,qpairs=1");
	ck_assert_ptr_nonnull(access);
	ck_assert_int_eq(access->role, PORT_ROLE_ACCESS);
	ck_assert_str_eq(access->devargs, "net_af_packet1,iface=wifi1,qpairs=1");
	snprintf(text, sizeof(text), "/run/meshplane/%s/hostapd/wifi1", shipped[_i]);
	ck_assert_str_eq(access->hostapd_ctrl, text);
	ck_assert(access->ap.present);
	snprintf(text, sizeof(text), "02:00:00:00:%02x:01", n);
	ck_assert_str_eq(mac_text(&access->ap.bssid), text);
	ck_assert_str_eq(access->ap.ssid, "campus");
	ck_assert_uint_eq(access->ap.op_class, 81);
	ck_assert_uint_eq(access->ap.channel, channels[_i]);
	ck_assert_uint_eq(cfg->workers.n_lcores, 1);
	ck_assert_uint_eq(cfg->workers.lcores[0], 1);
	ck_assert_uint_eq(cfg->workers.main_lcore, 0);
	ck_assert_uint_eq(cfg->workers.idle_sleep_us, 200);
	ck_assert(cfg->eal.no_huge);
	ck_assert_uint_eq(cfg->eal.memory_mb, 256);
	/* gw1 alone is wired to the LAN and is the portal; a cable joins gw1 and gw2 (a wired mesh port
	 * eth1); every node has its own interface br0. */
	ck_assert_uint_eq(cfg->n_ports, n == 1 ? 5 : n == 2 ? 4 : 3);
	const struct port_config *wire = config_find_port(cfg, "eth1");

	if (n == 3) {
		ck_assert_ptr_null(wire);
	} else {
		ck_assert_ptr_nonnull(wire);
		ck_assert_int_eq(wire->role, PORT_ROLE_MESH);
		ck_assert(wire->wired);
		ck_assert_uint_eq(wire->hello_interval_ms, 50);
	}
	const struct port_config *host = config_host_port(cfg);

	ck_assert_ptr_nonnull(host);
	ck_assert_str_eq(host->name, "br0");
	/* gw1 and gw2 static addresses, gw3 by DHCP (none in the config). */
	ck_assert_uint_eq(host->prefix_len, n == 3 ? 0 : 24);
	ck_assert(cfg->mesh.gate == (n == 1));
	ck_assert_uint_eq(cfg->hwmp.root_mode, n == 1 ? HWMP_ROOT_RANN : HWMP_ROOT_NONE);
	if (n == 1) {
		const struct port_config *lan = config_find_port(cfg, "eth0");

		ck_assert_ptr_nonnull(lan);
		ck_assert_int_eq(lan->role, PORT_ROLE_LAN);
		ck_assert_str_eq(lan->devargs, "net_af_packet2,iface=eth0,qpairs=1");
	}
	free(cfg);
}
END_TEST

/* ---------------------------------------------------------------- files */

/* Writes text to a fresh temporary file with the given mode; returns its path (static buffer). */
static const char *temp_config(const char *text, mode_t mode)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/meshplane-config-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	ck_assert_int_eq(chmod(path, mode), 0);
	return path;
}

static void expect_file_error(const char *path, const char *expected)
{
	struct node_config *cfg = new_sentinel();
	char err[ERR_LEN] = "";

	ck_assert_int_eq(config_load_file(path, cfg, err, ERR_LEN), -1);
	check_error(err, expected);
	ck_assert_msg(is_sentinel(cfg), "output struct modified by a failed load");
	free(cfg);
}

START_TEST(test_file_missing)
{
	expect_file_error("/nonexistent/meshplane.json",
			  "/nonexistent/meshplane.json: cannot open: No such file or directory");
}
END_TEST

START_TEST(test_file_bad_json_has_line_and_column)
{
	const char *path = temp_config("{\n  \"node\": {\n    \"name\": ,\n", 0644);
	char expected[128];

	snprintf(expected, sizeof(expected), "%s:3:13: unexpected token near ','", path);
	expect_file_error(path, expected);
	unlink(path);
}
END_TEST

START_TEST(test_file_duplicate_key)
{
	const char *path = temp_config("{\"log_level\": \"info\",\n \"log_level\": \"debug\"}", 0644);
	char expected[128];

	snprintf(expected, sizeof(expected), "~%s:2:", path);
	expect_file_error(path, expected);
	expect_file_error(path, "~duplicate object key");
	unlink(path);
}
END_TEST

START_TEST(test_file_world_writable_refused)
{
	const char *path = temp_config(base_json, 0666);
	char expected[128], err[ERR_LEN] = "";
	struct node_config *cfg = new_sentinel();

	snprintf(expected, sizeof(expected), "%s: is world-writable; refusing to load", path);
	expect_file_error(path, expected);
	ck_assert_int_eq(chmod(path, 0644), 0);
	ck_assert_msg(config_load_file(path, cfg, err, ERR_LEN) == 0, "%s", err);
	ck_assert_str_eq(cfg->node.name, "t1");
	free(cfg);
	unlink(path);
}
END_TEST

START_TEST(test_file_not_regular)
{
	expect_file_error("/tmp", "/tmp: is not a regular file");
}
END_TEST

START_TEST(test_file_too_large)
{
	const char *path = temp_config("", 0644);
	char expected[160];

	ck_assert_ptr_nonnull(path); /* tells GCC's sanitizer build that snprintf gets no NULL */
	ck_assert_int_eq(truncate(path, CONFIG_FILE_MAX + 1), 0);
	snprintf(expected, sizeof(expected), "%s: is %u bytes, larger than the %u-byte limit", path,
		 CONFIG_FILE_MAX + 1, CONFIG_FILE_MAX);
	expect_file_error(path, expected);
	unlink(path);
}
END_TEST

START_TEST(test_file_validation_error_names_file)
{
	struct patch p = {"workers.burst", "65"};
	char *text = patched_text(base_json, &p, 1);
	const char *path = temp_config(text, 0600);
	char expected[160];

	snprintf(expected, sizeof(expected), "%s: workers.burst: 65 is out of range 1..64", path);
	expect_file_error(path, expected);
	unlink(path);
	free(text);
}
END_TEST

/* ---------------------------------------------------------------- hostile input */

static void expect_string_error(const char *text, size_t len, const char *expected)
{
	struct node_config *cfg = new_sentinel();
	char err[ERR_LEN] = "";

	ck_assert_int_eq(config_load_string(text, len, cfg, err, ERR_LEN), -1);
	check_error(err, expected);
	ck_assert_msg(is_sentinel(cfg), "output struct modified by a failed load");
	free(cfg);
}

START_TEST(test_string_syntax_errors)
{
	expect_string_error("{\"a\": }", 7, "<string>:1:7: unexpected token near '}'");
	expect_string_error("", 0, "~<string>:1:0: ");
	expect_string_error("{\"workers\": {\"burst\": 99999999999999999999}}", 44, "~too big integer");
	expect_string_error("{\"node\": {\"name\": \"a\\u0000b\"}}", 30, "~JSON_ALLOW_NUL");
	expect_string_error("{} x", 4, "~end of file expected");
	expect_string_error("{\"a\": 1}\0garbage", 16, "~<string>:1:");
	expect_string_error("\"just a string\"", 15, "~'[' or '{' expected");
}
END_TEST

START_TEST(test_hostile_keys_and_values_are_escaped)
{
	static const char long_name[] = "{\"node\": {\"name\": \"" A32 A32 "\\n\"}}";

	expect_string_error("{\"\\u0001x\": 1}", 14, "\"\\x01x\": unknown key");
	expect_string_error(long_name, strlen(long_name),
			    "node.name: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\" is 65 bytes long, "
			    "expected 1..31");
}
END_TEST

START_TEST(test_small_or_missing_error_buffer)
{
	struct node_config *cfg = new_sentinel();
	char err[12];

	ck_assert_int_eq(config_load_string("[]", 2, cfg, NULL, 0), -1);
	ck_assert_int_eq(config_load_string("[", 1, cfg, NULL, 0), -1);
	ck_assert_int_eq(config_load_string("[]", 2, cfg, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "top level: ");
	ck_assert_int_eq(config_load_file("/nonexistent", cfg, err, 1), -1);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(config_load_string(NULL, 0, cfg, err, sizeof(err)), -1);
	ck_assert_int_eq(config_load_string("{}", 2, NULL, err, sizeof(err)), -1);
	ck_assert_int_eq(config_load_file(NULL, cfg, err, sizeof(err)), -1);
	ck_assert(is_sentinel(cfg));
	ck_assert_ptr_null(config_to_json(NULL));
	free(cfg);
}
END_TEST

/* Deterministic byte mutations and every truncation of a full config: each load either succeeds or
 * fails with a message, never crashes (the libFuzzer harness goes further). */
START_TEST(test_mutations_never_crash)
{
	size_t len = strlen(full_json);
	char *text = malloc(len + 1);
	uint32_t seed = 12345;
	struct node_config *cfg = new_sentinel();

	ck_assert_ptr_nonnull(text);
	for (int iter = 0; iter < 4000; iter++) {
		char err[ERR_LEN] = "";
		size_t used = len;

		memcpy(text, full_json, len + 1);
		if (iter < (int)len) {
			used = (size_t)iter;
		} else {
			for (int k = 0; k < 1 + iter % 4; k++) {
				seed = seed * 1103515245u + 12345u;
				text[(seed >> 8) % len] = (char)(seed >> 24);
			}
		}
		if (config_load_string(text, used, cfg, err, ERR_LEN) < 0) {
			ck_assert_msg(err[0] != '\0', "failure without a message");
		} else {
			json_t *json = config_to_json(cfg);

			ck_assert_ptr_nonnull(json);
			json_decref(json);
		}
	}
	free(text);
	free(cfg);
}
END_TEST

/* ---------------------------------------------------------------- lookups */

START_TEST(test_find_port_and_role_names)
{
	struct node_config *cfg = expect_load(NULL, 0);

	ck_assert_ptr_eq(config_find_port(cfg, "a0"), &cfg->ports[1]);
	ck_assert_ptr_eq(config_find_port(cfg, "l0"), &cfg->ports[2]);
	ck_assert_ptr_null(config_find_port(cfg, "a"));
	ck_assert_ptr_null(config_find_port(cfg, NULL));
	ck_assert_ptr_null(config_find_port(NULL, "a0"));
	ck_assert_str_eq(port_role_name(PORT_ROLE_MESH), "mesh");
	ck_assert_str_eq(port_role_name(PORT_ROLE_ACCESS), "access");
	ck_assert_str_eq(port_role_name(PORT_ROLE_LAN), "lan");
	ck_assert_str_eq(port_role_name((enum port_role)7), "unknown");
	free(cfg);
}
END_TEST

/* Reload: which keys differ between two configs, named as the file names them, and which of them a
 * running node may take. */
START_TEST(test_config_diff_names_keys)
{
	static const char *const changed[] = {
		"\"max_preq_retries\": 2", "\"max_preq_retries\": 3",
		"\"metric\": 4000}]", "\"metric\": 4001}]",
		"\"name\": \"mesh1\", \"role\": \"mesh\", \"devargs\": \"net_ring1\"",
		"\"name\": \"mesh1\", \"role\": \"mesh\", \"devargs\": \"net_ring9\"",
	};
	char text[sizeof(full_json) + 64], keys[8][CONFIG_KEY_MAX];
	struct node_config *a = load_text_ok(full_json), *b;
	char *at;

	ck_assert_int_eq(config_diff(a, a, keys, 8), 0);
	snprintf(text, sizeof(text), "%s", full_json);
	for (unsigned i = 0; i < sizeof(changed) / sizeof(changed[0]); i += 2) {
		char rest[sizeof(text)];

		at = strstr(text, changed[i]);
		ck_assert_msg(at != NULL, "%s not in the full config", changed[i]);
		snprintf(rest, sizeof(rest), "%s", at + strlen(changed[i]));
		snprintf(at, sizeof(text) - (size_t)(at - text), "%s%s", changed[i + 1], rest);
	}
	b = load_text_ok(text);
	ck_assert_int_eq(config_diff(a, b, keys, 8), 3);
	ck_assert_str_eq(keys[0], "ports[1].devargs");
	ck_assert_str_eq(keys[1], "hwmp.max_preq_retries");
	ck_assert_str_eq(keys[2], "static_paths[0].metric");
	ck_assert(!config_key_is_live(keys[0]));
	ck_assert(config_key_is_live(keys[1]));
	ck_assert(config_key_is_live(keys[2]));
	/* More keys than room: all counted, the first ones named. */
	ck_assert_int_eq(config_diff(a, b, keys, 1), 3);
	ck_assert_str_eq(keys[0], "ports[1].devargs");
	free(a);
	free(b);
}
END_TEST

START_TEST(test_config_live_keys)
{
	static const char *const live[] = {"log_level", "hwmp.root_mode", "mesh.beacon_interval_tu",
					   "mesh.beacon_loss_limit", "tables.fdb_aging_s",
					   "telemetry.topology_interval_s", "static_paths", "static_paths[3].metric",
					   "static_proxies", "static_fdb[0].port"};
	static const char *const fixed[] = {"ports", "ports[0].devargs", "mesh.mesh_id", "mesh.ttl", "mesh.security",
					    "node.mesh_mac", "static_peers", "tables.fdb_entries", "hwmpx",
					    "log_level_x", "static_paths_x", "peering.max_retries", "workers.lcores"};

	for (unsigned i = 0; i < sizeof(live) / sizeof(live[0]); i++)
		ck_assert_msg(config_key_is_live(live[i]), "%s should be live", live[i]);
	for (unsigned i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		ck_assert_msg(!config_key_is_live(fixed[i]), "%s should need a restart", fixed[i]);
}
END_TEST

Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *rules = tcase_create("rules"), *values = tcase_create("values"), *files = tcase_create("files");
	TCase *robust = tcase_create("robustness");

	tcase_add_loop_test(rules, test_error_case, 0, (int)(sizeof(error_cases) / sizeof(error_cases[0])));
	tcase_add_loop_test(rules, test_range_case, 0, (int)(sizeof(range_cases) / sizeof(range_cases[0])));
	tcase_add_test(rules, test_array_limits);
	tcase_add_test(values, test_minimal_config_gets_defaults);
	tcase_add_test(values, test_set_defaults_matches_minimal_load);
	tcase_add_test(values, test_full_config_values);
	tcase_add_test(values, test_config_diff_names_keys);
	tcase_add_test(values, test_config_live_keys);
	tcase_add_test(values, test_rate_and_peering_defaults);
	tcase_add_test(values, test_host_port);
	tcase_add_test(values, test_static_keys);
	tcase_add_test(values, test_to_json_equals_full_input);
	tcase_add_test(values, test_to_json_includes_defaults);
	tcase_add_test(values, test_wired_mesh_port);
	tcase_add_test(values, test_link_rate_units);
	tcase_add_test(values, test_edge_values_accepted);
	tcase_add_test(values, test_round_trip);
	tcase_add_test(values, test_find_port_and_role_names);
	tcase_add_loop_test(files, test_shipped_config, 0, 3);
	tcase_add_test(files, test_file_missing);
	tcase_add_test(files, test_file_bad_json_has_line_and_column);
	tcase_add_test(files, test_file_duplicate_key);
	tcase_add_test(files, test_file_world_writable_refused);
	tcase_add_test(files, test_file_not_regular);
	tcase_add_test(files, test_file_too_large);
	tcase_add_test(files, test_file_validation_error_names_file);
	tcase_add_test(robust, test_string_syntax_errors);
	tcase_add_test(robust, test_hostile_keys_and_values_are_escaped);
	tcase_add_test(robust, test_small_or_missing_error_buffer);
	tcase_add_test(robust, test_mutations_never_crash);
	suite_add_tcase(s, rules);
	suite_add_tcase(s, values);
	suite_add_tcase(s, files);
	suite_add_tcase(s, robust);
	return s;
}
