/* Node configuration loader. Every check reports "<key path>: <reason>" so an operator can find the
 * offending value without reading code. Parsing fills a private copy that is published only when the
 * whole file is valid, so a failed reload leaves the running config intact. */
#include "config.h"

#include "errbuf.h"
#include "json_fields.h"
#include "mesh_ies.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- scalar field tables */

/* Missed beacons before a peer expires. 7 is mac80211's IEEE80211_BEACON_LOSS_COUNT for a station
 * losing its AP: about 0.7 s at 100 TU, yet a link losing 30 % of beacons expires falsely only with
 * probability 0.3^7 (2e-4) per window, where 3 would flap at 2.7 %. */
#define DEFAULT_BEACON_LOSS_LIMIT 7

static const struct field mesh_fields[] = {
	UINT_FIELD(struct mesh_config, ttl, 1, 255, 31),
	UINT_FIELD(struct mesh_config, element_ttl, 1, 255, 31),
	UINT_FIELD(struct mesh_config, beacon_interval_tu, 10, 10000, 100),
	UINT_FIELD(struct mesh_config, max_peers, 1, 256, 32),
	UINT_FIELD(struct mesh_config, beacon_loss_limit, 1, 255, DEFAULT_BEACON_LOSS_LIMIT),
	BOOL_FIELD(struct mesh_config, gate, false),
};

static const struct field workers_fields[] = {
	UINT_FIELD(struct workers_config, main_lcore, 0, CONFIG_MAX_LCORE_ID, 0),
	UINT_FIELD(struct workers_config, burst, 1, 64, 32),
	UINT_FIELD(struct workers_config, idle_sleep_us, 0, 100000, 0),
	UINT_FIELD(struct workers_config, idle_polls, 1, 1000000, 64),
};

static const struct field tables_fields[] = {
	UINT_FIELD(struct tables_config, fdb_entries, 64, 16777216, 65536),
	UINT_FIELD(struct tables_config, path_entries, 16, 1048576, 4096),
	UINT_FIELD(struct tables_config, fdb_aging_s, 1, 86400, 300),
	UINT_FIELD(struct tables_config, pending_frames_per_dest, 0, 256, 10),
	UINT_FIELD(struct tables_config, pending_dests, 0, 65536, 256),
	UINT_FIELD(struct tables_config, rmc_entries, 16, 65536, 256),
	TIMEOUT_FIELD(struct tables_config, rmc_timeout_ms, 3000),
};

static const struct field mempool_fields[] = {
	UINT_FIELD(struct mempool_config, mbufs, 511, 1048575, 8191),
	UINT_FIELD(struct mempool_config, cache, 0, 512, 256),
	UINT_FIELD(struct mempool_config, data_room, 1024, 9216, 2176),
};

/* Linux mac80211 defaults (PROTOCOL.md "HWMP defaults"). */
static const struct field hwmp_fields[] = {
	UINT_FIELD(struct hwmp_config, max_preq_retries, 0, 255, 4),
	TIMEOUT_FIELD(struct hwmp_config, net_diameter_traversal_ms, 50),
	TIMEOUT_FIELD(struct hwmp_config, min_discovery_timeout_ms, 100),
	TIMEOUT_FIELD(struct hwmp_config, preq_min_interval_ms, 10),
	TIMEOUT_FIELD(struct hwmp_config, perr_min_interval_tu, 100),
	TIMEOUT_FIELD(struct hwmp_config, active_path_timeout_ms, 5000),
	TIMEOUT_FIELD(struct hwmp_config, path_refresh_time_ms, 1000),
	UINT_FIELD(struct hwmp_config, root_mode, HWMP_ROOT_NONE, HWMP_ROOT_RANN, HWMP_ROOT_NONE),
	TIMEOUT_FIELD(struct hwmp_config, rann_interval_tu, 5000),
	TIMEOUT_FIELD(struct hwmp_config, root_interval_tu, 5000),
	TIMEOUT_FIELD(struct hwmp_config, path_to_root_timeout_tu, 6000),
	TIMEOUT_FIELD(struct hwmp_config, confirmation_interval_tu, 2000),
	BOOL_FIELD(struct hwmp_config, target_only, true),
	BOOL_FIELD(struct hwmp_config, reply_and_forward, false),
	BOOL_FIELD(struct hwmp_config, gate_announcements, false),
	UINT_FIELD(struct hwmp_config, switch_hysteresis_pct, 0, 50, 5),
	UINT_FIELD(struct hwmp_config, next_hop_hold_ms, 0, 1000, 50),
};

/* Linux's dot11Mesh* peering defaults (PROTOCOL.md "Mesh Peering Management"). */
static const struct field peering_fields[] = {
	UINT_FIELD(struct peering_config, retry_timeout_ms, 1, 60000, 100),
	UINT_FIELD(struct peering_config, confirm_timeout_ms, 1, 60000, 100),
	UINT_FIELD(struct peering_config, holding_timeout_ms, 1, 60000, 100),
	UINT_FIELD(struct peering_config, max_retries, 0, 255, 3),
	UINT_FIELD(struct peering_config, max_candidates, 1, 1024, 64),
	BOOL_FIELD(struct peering_config, auto_open, true),
	BOOL_FIELD(struct peering_config, hwmp_extensions, true),
};

static const struct field sae_fields[] = {
	UINT_FIELD(struct sae_config, retrans_ms, 10, 60000, 1000),
	UINT_FIELD(struct sae_config, sync, 1, 255, 5),
	UINT_FIELD(struct sae_config, anti_clogging_threshold, 0, 1024, 5),
	UINT_FIELD(struct sae_config, max_sessions, 1, 4096, 64),
	UINT_FIELD(struct sae_config, retry_backoff_ms, 0, 3600000, 10000),
	UINT_FIELD(struct sae_config, mgtk_refresh_s, 0, 31536000, 86400),
};

static const struct field telemetry_fields[] = {
	BOOL_FIELD(struct telemetry_config, enabled, true),
	BOOL_FIELD(struct telemetry_config, pdump, true),
	UINT_FIELD(struct telemetry_config, topology_interval_s, 0, 3600, 5),
};

static const struct field eal_fields[] = {
	BOOL_FIELD(struct eal_config, no_huge, false),
	UINT_FIELD(struct eal_config, memory_mb, 16, 65536, 256),
};

static const struct field ap_fields[] = {
	UINT_FIELD(struct ap_config, op_class, 1, 255, 0),
	UINT_FIELD(struct ap_config, channel, 1, 255, 0),
};

/* Port names are keys of telemetry dicts, whose alphabet (DPDK 22.11) is letters, digits and '_'. */
static bool is_port_name_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* devargs become one EAL argument and are split on ',' and '=' by DPDK: no blanks. */
static bool is_devargs_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f;
}

static bool is_not_control_char(unsigned char c)
{
	return c >= 0x20 && c != 0x7f;
}

/* ---------------------------------------------------------------- sections */

static int parse_node(const json_t *root, struct node_ident *node, struct errbuf *e)
{
	static const char *const keys[] = {"name", "mesh_mac", "file_prefix", NULL};
	static const char name_chars[] = "A-Z a-z 0-9 _ -";
	const json_t *obj, *v;

	if (jf_require(root, "", "node", &obj, e) < 0 || jf_check_object(obj, "node", e) < 0 ||
	    jf_reject_unknown_keys(obj, "node", NULL, 0, keys, e) < 0)
		return -1;
	if (jf_require(obj, "node", "name", &v, e) < 0 ||
	    jf_read_name(v, "node.name", CONFIG_NAME_MAX, jf_is_name_char, name_chars, node->name, e) < 0)
		return -1;
	if (jf_require(obj, "node", "mesh_mac", &v, e) < 0 ||
	    jf_read_unicast_mac(v, "node.mesh_mac", &node->mesh_mac, e) < 0)
		return -1;
	v = json_object_get(obj, "file_prefix");
	if (v == NULL) {
		memcpy(node->file_prefix, node->name, sizeof(node->file_prefix));
		return 0;
	}
	return jf_read_name(v, "node.file_prefix", CONFIG_NAME_MAX, jf_is_name_char, name_chars,
			 node->file_prefix, e);
}

/* ---- mesh: channel, rate sets, airtime units */

/* The 802.11 rates in 500 kb/s units; the first four are DSSS/HR-DSSS (2.4 GHz only). */
static const uint8_t known_rates[] = {2, 4, 11, 22, 12, 18, 24, 36, 48, 72, 96, 108};
#define DSSS_RATES 4

static bool is_5ghz_channel(unsigned channel)
{
	return channel >= 32;
}

/* A rate in Mb/s (1, 2, 5.5, 11, 6, 9, ... 54) into 500 kb/s units, checked against the band. */
static int read_rate(const json_t *v, const char *path, unsigned channel, uint8_t *out, struct errbuf *e)
{
	double mbps, halves;

	if (!json_is_number(v))
		return errbuf_fail(e, "%s: expected a number, got %s", path, jf_type_name(v));
	mbps = json_number_value(v);
	halves = mbps * 2.0;
	for (unsigned k = 0; k < sizeof(known_rates); k++) {
		if (halves < known_rates[k] - 1e-6 || halves > known_rates[k] + 1e-6)
			continue;
		if (k < DSSS_RATES && is_5ghz_channel(channel))
			return errbuf_fail(e, "%s: %g Mb/s is a DSSS rate, not used on 5 GHz channel %u", path, mbps,
					   channel);
		*out = known_rates[k];
		return 0;
	}
	return errbuf_fail(e, "%s: %g is not an 802.11 rate (1, 2, 5.5, 11, 6, 9, 12, 18, 24, 36, 48, 54)", path,
			   mbps);
}

/* Reads an array of distinct rates; *n entries into rates. */
static int read_rate_list(const json_t *v, const char *path, unsigned channel, uint8_t *rates, uint8_t *n,
			  struct errbuf *e)
{
	if (jf_check_array(v, path, 1, sizeof(known_rates), e) < 0)
		return -1;
	*n = (uint8_t)json_array_size(v);
	for (uint8_t i = 0; i < *n; i++) {
		char where[JF_PATH_LEN];

		snprintf(where, sizeof(where), "%s[%u]", path, i);
		if (read_rate(json_array_get(v, i), where, channel, &rates[i], e) < 0)
			return -1;
		for (uint8_t j = 0; j < i; j++)
			if (rates[j] == rates[i])
				return errbuf_fail(e, "%s: %g Mb/s is listed twice", where, rates[i] / 2.0);
	}
	return 0;
}

/* supported_rates and basic_rates into mesh->rates; absent ones take Linux's default for the band. */
static int parse_rates(const json_t *obj, struct mesh_config *mesh, struct errbuf *e)
{
	const json_t *sv = json_object_get(obj, "supported_rates"), *bv = json_object_get(obj, "basic_rates");
	struct mesh_rates def;
	uint8_t supported[MESH_RATES_MAX], basic[MESH_RATES_MAX], n_sup = 0, n_basic = 0;

	if (is_5ghz_channel(mesh->channel))
		mesh_rates_default_5ghz(&def);
	else
		mesh_rates_default_2ghz(&def);
	if (sv != NULL && read_rate_list(sv, "mesh.supported_rates", mesh->channel, supported, &n_sup, e) < 0)
		return -1;
	if (bv != NULL && read_rate_list(bv, "mesh.basic_rates", mesh->channel, basic, &n_basic, e) < 0)
		return -1;
	if (sv == NULL) {
		for (unsigned i = 0; i < def.n; i++)
			supported[n_sup++] = def.rate[i] & (uint8_t)~MESH_RATE_BASIC;
	}
	if (bv == NULL) {
		for (unsigned i = 0; i < def.n; i++)
			if (def.rate[i] & MESH_RATE_BASIC)
				basic[n_basic++] = def.rate[i] & (uint8_t)~MESH_RATE_BASIC;
	}
	memset(&mesh->rates, 0, sizeof(mesh->rates));
	for (uint8_t i = 0; i < n_sup; i++)
		mesh->rates.rate[mesh->rates.n++] = supported[i];
	for (uint8_t i = 0; i < n_basic; i++) {
		bool found = false;

		for (uint8_t j = 0; j < mesh->rates.n; j++)
			if (mesh->rates.rate[j] == basic[i]) {
				mesh->rates.rate[j] |= MESH_RATE_BASIC;
				found = true;
			}
		if (!found && bv == NULL)
			return errbuf_fail(e, "mesh.basic_rates: the default basic rate %g Mb/s is not in "
					   "mesh.supported_rates; set mesh.basic_rates", basic[i] / 2.0);
		if (!found)
			return errbuf_fail(e, "mesh.basic_rates[%u]: %g Mb/s is not in mesh.supported_rates", i,
					   basic[i] / 2.0);
	}
	return 0;
}

static const char *const airtime_unit_names[] = {"mac80211", "standard"};
static const char *const security_names[] = {"none", "sae", "static"};

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* One 128-bit key as 32 hex digits. */
static int read_hex_key(const json_t *v, const char *path, uint8_t out[CONFIG_STATIC_KEY_LEN], struct errbuf *e)
{
	char q[JF_QUOTE_LEN];
	const char *s;

	if (!json_is_string(v))
		return errbuf_fail(e, "%s: expected a string, got %s", path, jf_type_name(v));
	s = json_string_value(v);
	if (json_string_length(v) != 2 * CONFIG_STATIC_KEY_LEN)
		return errbuf_fail(e, "%s: %s is not %u hex digits (a 128-bit CCMP key)", path, jf_quote(s, q),
				   2 * CONFIG_STATIC_KEY_LEN);
	for (unsigned i = 0; i < CONFIG_STATIC_KEY_LEN; i++) {
		int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return errbuf_fail(e, "%s: %s is not %u hex digits (a 128-bit CCMP key)", path, jf_quote(s, q),
					   2 * CONFIG_STATIC_KEY_LEN);
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* mesh.static_keys of mesh.security "static": {"mtk": HEX, "mgtk": HEX}. */
static int parse_static_keys(const json_t *obj, struct mesh_config *mesh, int security, struct errbuf *e)
{
	static const char *const keys[] = {"mtk", "mgtk", NULL};
	const json_t *sk = json_object_get(obj, "static_keys"), *v;

	if (sk == NULL) {
		if (security == MESH_SECURITY_STATIC)
			return errbuf_fail(e, "mesh.static_keys: required with mesh.security \"static\" "
					   "({\"mtk\": \"<32 hex digits>\", \"mgtk\": \"<32 hex digits>\"})");
		return 0;
	}
	if (security != MESH_SECURITY_STATIC)
		return errbuf_fail(e, "mesh.static_keys: only valid with mesh.security \"static\"");
	if (jf_check_object(sk, "mesh.static_keys", e) < 0 ||
	    jf_reject_unknown_keys(sk, "mesh.static_keys", NULL, 0, keys, e) < 0 ||
	    jf_require(sk, "mesh.static_keys", "mtk", &v, e) < 0 ||
	    read_hex_key(v, "mesh.static_keys.mtk", mesh->static_mtk, e) < 0 ||
	    jf_require(sk, "mesh.static_keys", "mgtk", &v, e) < 0 ||
	    read_hex_key(v, "mesh.static_keys.mgtk", mesh->static_mgtk, e) < 0)
		return -1;
	return 0;
}

static int parse_mesh(const json_t *root, struct mesh_config *mesh, struct errbuf *e)
{
	static const char *const extra[] = {"mesh_id", "channel", "supported_rates", "basic_rates", "airtime_units",
					    "security", "password_file", "static_keys", NULL};
	const json_t *obj, *v;
	long long channel = 1;
	int units = AIRTIME_UNITS_MAC80211, security = MESH_SECURITY_NONE;
	char q[JF_QUOTE_LEN];

	if (jf_require(root, "", "mesh", &obj, e) < 0 || jf_check_object(obj, "mesh", e) < 0 ||
	    jf_reject_unknown_keys(obj, "mesh", mesh_fields, N_FIELDS(mesh_fields), extra, e) < 0)
		return -1;
	if (jf_require(obj, "mesh", "mesh_id", &v, e) < 0 ||
	    jf_read_string(v, "mesh.mesh_id", 0, CONFIG_MESH_ID_MAX, mesh->mesh_id, e) < 0)
		return -1;
	v = json_object_get(obj, "channel");
	if (v != NULL && jf_read_uint(v, "mesh.channel", 1, 177, &channel, e) < 0)
		return -1;
	if (channel > 14 && channel < 32)
		return errbuf_fail(e, "mesh.channel: %lld is neither a 2.4 GHz (1..14) nor a 5 GHz (32..177) channel",
				   channel);
	mesh->channel = (uint8_t)channel;
	v = json_object_get(obj, "airtime_units");
	if (v != NULL && jf_read_choice(v, "mesh.airtime_units", airtime_unit_names, N_FIELDS(airtime_unit_names),
					&units, e) < 0)
		return -1;
	mesh->airtime_units = (uint8_t)units;
	v = json_object_get(obj, "security");
	if (v != NULL && jf_read_choice(v, "mesh.security", security_names, N_FIELDS(security_names), &security, e) < 0)
		return -1;
	mesh->security = (uint8_t)security;
	v = json_object_get(obj, "password_file");
	if (v != NULL) {
		if (jf_read_string(v, "mesh.password_file", 1, CONFIG_PATH_MAX, mesh->password_file, e) < 0 ||
		    jf_check_chars(mesh->password_file, "mesh.password_file", is_not_control_char, "printable characters",
				   e) < 0)
			return -1;
		if (mesh->password_file[0] != '/')
			return errbuf_fail(e, "mesh.password_file: %s is not an absolute path",
					   jf_quote(mesh->password_file, q));
		if (security != MESH_SECURITY_SAE)
			return errbuf_fail(e, "mesh.password_file: only valid with mesh.security \"sae\"");
	}
	/* The secret never goes into the config itself: a config is shown in telemetry and logs. */
	if (security == MESH_SECURITY_SAE && mesh->password_file[0] == '\0')
		return errbuf_fail(e, "mesh.password_file: required with mesh.security \"sae\" (a root-only file "
				   "holding the mesh's password)");
	if (parse_static_keys(obj, mesh, security, e) < 0)
		return -1;
	if (parse_rates(obj, mesh, e) < 0)
		return -1;
	return jf_read_fields(obj, "mesh", mesh_fields, N_FIELDS(mesh_fields), mesh, e);
}

/* A section made only of table keys (plus optional extra keys parsed by the caller). */
static int parse_plain_section(const json_t *root, const char *name, const struct field *fields,
			       size_t n, const char *const *extra, void *base, const json_t **obj,
			       struct errbuf *e)
{
	if (jf_get_section(root, name, obj, e) < 0)
		return -1;
	if (*obj == NULL)
		return 0;
	if (jf_reject_unknown_keys(*obj, name, fields, n, extra, e) < 0)
		return -1;
	return jf_read_fields(*obj, name, fields, n, base, e);
}

/* ---- ports */

static const char *const port_role_names[] = {"mesh", "access", "lan", "host"};
static const char *const common_port_keys[] = {"name", "role", "devargs", NULL};
static const char *const mesh_port_keys[] = {"medium", "radiotap", "link_rate_mbps", "path_cost",
					     "hello_interval_ms", "hello_loss_limit", NULL};
static const char *const mesh_medium_names[] = {"radio", "ethernet"};
static const char *const radio_only_keys[] = {"radiotap", NULL};
static const char *const wired_only_keys[] = {"path_cost", "hello_interval_ms", "hello_loss_limit", NULL};
/* A wired mesh port's integer keys (conf/README.md); path_cost 0: from the link rate. */
static const struct field wired_port_fields[] = {
	UINT_FIELD(struct port_config, path_cost, 0, 0x7fffffff, 0),
	UINT_FIELD(struct port_config, hello_interval_ms, 10, 10000, 50),
	UINT_FIELD(struct port_config, hello_loss_limit, 2, 100, 3),
};
static const char *const access_port_keys[] = {"hostapd_ctrl", "ap", NULL};
static const char *const host_port_keys[] = {"address", NULL};

static int check_port_keys(const json_t *obj, const char *where, enum port_role role, struct errbuf *e)
{
	const char *key;
	const json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		char shown[JF_QUOTE_LEN], path[JF_PATH_LEN];

		if (jf_in_list(key, common_port_keys))
			continue;
		jf_join(path, where, jf_show_key(key, shown));
		if (jf_in_list(key, mesh_port_keys) && role != PORT_ROLE_MESH)
			return errbuf_fail(e, "%s: only valid for role mesh", path);
		if (jf_in_list(key, access_port_keys) && role != PORT_ROLE_ACCESS)
			return errbuf_fail(e, "%s: only valid for role access", path);
		if (jf_in_list(key, host_port_keys) && role != PORT_ROLE_HOST)
			return errbuf_fail(e, "%s: only valid for role host", path);
		if (!jf_in_list(key, mesh_port_keys) && !jf_in_list(key, access_port_keys) &&
		    !jf_in_list(key, host_port_keys))
			return errbuf_fail(e, "%s: unknown key", path);
	}
	return 0;
}

/* Link rates are 802.11 rates such as 5.5 Mb/s: kept in 100 kb/s units so the struct stays integral. */
static int read_link_rate(const json_t *v, const char *path, uint32_t *out_100kbps, struct errbuf *e)
{
	double mbps, tenths, diff;
	uint32_t rounded;

	if (!json_is_number(v))
		return errbuf_fail(e, "%s: expected a number, got %s", path, jf_type_name(v));
	mbps = json_number_value(v);
	if (!(mbps >= 1.0 && mbps <= 10000.0))
		return errbuf_fail(e, "%s: %g is out of range 1..10000", path, mbps);
	tenths = mbps * 10.0;
	rounded = (uint32_t)(tenths + 0.5);
	diff = tenths - (double)rounded;
	if (diff > 1e-6 || diff < -1e-6)
		return errbuf_fail(e, "%s: %g is not a multiple of 0.1", path, mbps);
	*out_100kbps = rounded;
	return 0;
}

static int parse_mesh_port(const json_t *obj, const char *where, struct port_config *port,
			   struct errbuf *e)
{
	char path[JF_PATH_LEN];
	const json_t *v;
	int medium = 0;

	v = json_object_get(obj, "medium");
	if (v != NULL && jf_read_choice(v, jf_join(path, where, "medium"), mesh_medium_names,
					N_FIELDS(mesh_medium_names), &medium, e) < 0)
		return -1;
	port->wired = medium == 1;
	for (const char *const *key = port->wired ? radio_only_keys : wired_only_keys; *key != NULL; key++)
		if (json_object_get(obj, *key) != NULL)
			return errbuf_fail(e, "%s: only valid for medium %s", jf_join(path, where, *key),
					   port->wired ? "radio" : "ethernet");
	port->radiotap = !port->wired;
	port->link_rate_100kbps = port->wired ? 10000 : 540;
	if (port->wired)
		jf_fields_set_defaults(port, wired_port_fields, N_FIELDS(wired_port_fields));
	v = json_object_get(obj, "radiotap");
	if (v != NULL && jf_read_bool(v, jf_join(path, where, "radiotap"), &port->radiotap, e) < 0)
		return -1;
	port->link = port->wired ? MESH_LINK_ETHERNET : port->radiotap ? MESH_LINK_RADIOTAP : MESH_LINK_BARE;
	v = json_object_get(obj, "link_rate_mbps");
	if (v != NULL &&
	    read_link_rate(v, jf_join(path, where, "link_rate_mbps"), &port->link_rate_100kbps, e) < 0)
		return -1;
	port->link_rate_set = v != NULL && port->wired; /* radio ports always have one */
	return port->wired ? jf_read_fields(obj, where, wired_port_fields, N_FIELDS(wired_port_fields), port, e) : 0;
}

static int parse_ap(const json_t *v, const char *where, struct ap_config *ap, struct errbuf *e)
{
	static const char *const extra[] = {"bssid", "ssid", NULL};
	static const char *const required[] = {"bssid", "ssid", "op_class", "channel", NULL};
	char path[JF_PATH_LEN];
	const json_t *m;

	if (jf_check_object(v, where, e) < 0 ||
	    jf_reject_unknown_keys(v, where, ap_fields, N_FIELDS(ap_fields), extra, e) < 0)
		return -1;
	for (const char *const *key = required; *key != NULL; key++)
		if (jf_require(v, where, *key, &m, e) < 0)
			return -1;
	if (jf_read_unicast_mac(json_object_get(v, "bssid"), jf_join(path, where, "bssid"), &ap->bssid, e) < 0 ||
	    jf_read_string(json_object_get(v, "ssid"), jf_join(path, where, "ssid"), 1, CONFIG_SSID_MAX, ap->ssid,
			e) < 0 ||
	    jf_read_fields(v, where, ap_fields, N_FIELDS(ap_fields), ap, e) < 0)
		return -1;
	ap->present = true;
	return 0;
}

static int parse_access_port(const json_t *obj, const char *where, struct port_config *port,
			     struct errbuf *e)
{
	char path[JF_PATH_LEN], q[JF_QUOTE_LEN];
	const json_t *v;

	v = json_object_get(obj, "hostapd_ctrl");
	if (v != NULL) {
		jf_join(path, where, "hostapd_ctrl");
		if (jf_read_string(v, path, 1, CONFIG_CTRL_PATH_MAX, port->hostapd_ctrl, e) < 0 ||
		    jf_check_chars(port->hostapd_ctrl, path, is_not_control_char, "printable characters", e) < 0)
			return -1;
		/* A relative socket path would depend on the working directory of whoever starts us. */
		if (port->hostapd_ctrl[0] != '/')
			return errbuf_fail(e, "%s: %s is not an absolute path", path, jf_quote(port->hostapd_ctrl, q));
	}
	v = json_object_get(obj, "ap");
	if (v != NULL && parse_ap(v, jf_join(path, where, "ap"), &port->ap, e) < 0)
		return -1;
	return 0;
}

/* "a.b.c.d/len": a unicast IPv4 address with its prefix length (1..32). */
static int parse_host_port(const json_t *obj, const char *where, struct port_config *port, struct errbuf *e)
{
	const json_t *v = json_object_get(obj, "address");
	char path[JF_PATH_LEN], text[32], q[JF_QUOTE_LEN];
	struct in_addr addr;
	char *slash, *end;
	long len;

	if (v == NULL)
		return 0;
	jf_join(path, where, "address");
	if (jf_read_string(v, path, 1, sizeof(text) - 1, text, e) < 0)
		return -1;
	slash = strchr(text, '/');
	if (slash == NULL)
		return errbuf_fail(e, "%s: %s has no prefix length (a.b.c.d/len)", path, jf_quote(text, q));
	*slash = '\0';
	len = strtol(slash + 1, &end, 10);
	if (*end != '\0' || len < 1 || len > 32 || inet_pton(AF_INET, text, &addr) != 1) {
		*slash = '/';
		return errbuf_fail(e, "%s: %s is not an IPv4 address with a prefix length 1..32 (a.b.c.d/len)", path,
				   jf_quote(text, q));
	}
	if ((ntohl(addr.s_addr) >> 24) == 0 || (ntohl(addr.s_addr) >> 28) >= 14 || (ntohl(addr.s_addr) >> 24) == 127) {
		*slash = '/';
		return errbuf_fail(e, "%s: %s is not a unicast host address", path, jf_quote(text, q));
	}
	port->ipv4 = addr.s_addr;
	port->prefix_len = (uint8_t)len;
	return 0;
}

static int parse_port(const json_t *obj, const char *where, struct port_config *port, struct errbuf *e)
{
	char path[JF_PATH_LEN];
	const json_t *v;
	int role;

	if (jf_check_object(obj, where, e) < 0)
		return -1;
	if (jf_require(obj, where, "role", &v, e) < 0 ||
	    jf_read_choice(v, jf_join(path, where, "role"), port_role_names, N_FIELDS(port_role_names), &role, e) < 0)
		return -1;
	port->role = (enum port_role)role;
	if (check_port_keys(obj, where, port->role, e) < 0)
		return -1;
	if (jf_require(obj, where, "name", &v, e) < 0 ||
	    jf_read_name(v, jf_join(path, where, "name"), CONFIG_PORT_NAME_MAX, is_port_name_char,
		      "A-Z a-z 0-9 _", port->name, e) < 0)
		return -1;
	if (jf_require(obj, where, "devargs", &v, e) < 0 ||
	    jf_read_name(v, jf_join(path, where, "devargs"), CONFIG_DEVARGS_MAX, is_devargs_char,
		      "printable ASCII without blanks", port->devargs, e) < 0)
		return -1;
	if (port->role == PORT_ROLE_MESH)
		return parse_mesh_port(obj, where, port, e);
	if (port->role == PORT_ROLE_ACCESS)
		return parse_access_port(obj, where, port, e);
	if (port->role == PORT_ROLE_HOST)
		return parse_host_port(obj, where, port, e);
	return 0;
}

/* Two ports cannot share a name, a device, a hostapd socket or a BSSID. */
static int check_port_unique(const struct node_config *cfg, unsigned int i, struct errbuf *e)
{
	const struct port_config *p = &cfg->ports[i];
	char q[JF_QUOTE_LEN], mac[MAC_STR_LEN];

	for (unsigned int j = 0; j < i; j++) {
		const struct port_config *o = &cfg->ports[j];

		if (strcmp(p->name, o->name) == 0)
			return errbuf_fail(e, "ports[%u].name: %s is used by ports[%u] too", i, jf_quote(p->name, q), j);
		if (strcmp(p->devargs, o->devargs) == 0)
			return errbuf_fail(e, "ports[%u].devargs: %s is used by ports[%u] too", i, jf_quote(p->devargs, q), j);
		if (p->hostapd_ctrl[0] != '\0' && strcmp(p->hostapd_ctrl, o->hostapd_ctrl) == 0)
			return errbuf_fail(e, "ports[%u].hostapd_ctrl: %s is used by ports[%u] too", i,
				    jf_quote(p->hostapd_ctrl, q), j);
		if (p->ap.present && o->ap.present && mac_equal(&p->ap.bssid, &o->ap.bssid))
			return errbuf_fail(e, "ports[%u].ap.bssid: %s is used by ports[%u] too", i,
				    mac_format(&p->ap.bssid, mac), j);
	}
	return 0;
}

static int parse_ports(const json_t *root, struct node_config *cfg, struct errbuf *e)
{
	const json_t *arr;

	if (jf_require(root, "", "ports", &arr, e) < 0 ||
	    jf_check_array(arr, "ports", 1, CONFIG_MAX_PORTS, e) < 0)
		return -1;
	cfg->n_ports = (unsigned int)json_array_size(arr);
	for (unsigned int i = 0; i < cfg->n_ports; i++) {
		char where[JF_PATH_LEN];

		snprintf(where, sizeof(where), "ports[%u]", i);
		if (parse_port(json_array_get(arr, i), where, &cfg->ports[i], e) < 0 ||
		    check_port_unique(cfg, i, e) < 0)
			return -1;
		/* One host interface: the node has one presence on its bridged segment. */
		for (unsigned int j = 0; j < i && cfg->ports[i].role == PORT_ROLE_HOST; j++)
			if (cfg->ports[j].role == PORT_ROLE_HOST)
				return errbuf_fail(e, "%s.role: only one host port per node (ports[%u] is one)", where, j);
	}
	return 0;
}

/* ---- workers */

static int parse_lcores(const json_t *arr, struct workers_config *w, struct errbuf *e)
{
	if (jf_check_array(arr, "workers.lcores", 1, CONFIG_MAX_LCORES, e) < 0)
		return -1;
	w->n_lcores = (unsigned int)json_array_size(arr);
	memset(w->lcores, 0, sizeof(w->lcores));
	for (unsigned int i = 0; i < w->n_lcores; i++) {
		char path[JF_PATH_LEN];
		long long id;

		snprintf(path, sizeof(path), "workers.lcores[%u]", i);
		if (jf_read_uint(json_array_get(arr, i), path, 0, CONFIG_MAX_LCORE_ID, &id, e) < 0)
			return -1;
		w->lcores[i] = (uint8_t)id;
		for (unsigned int j = 0; j < i; j++)
			if (w->lcores[j] == w->lcores[i])
				return errbuf_fail(e, "%s: %lld is used by workers.lcores[%u] too", path, id, j);
	}
	return 0;
}

static int parse_workers(const json_t *root, struct workers_config *w, struct errbuf *e)
{
	static const char *const extra[] = {"lcores", NULL};
	const json_t *obj, *lcores;

	if (parse_plain_section(root, "workers", workers_fields, N_FIELDS(workers_fields), extra, w, &obj,
				e) < 0)
		return -1;
	lcores = obj == NULL ? NULL : json_object_get(obj, "lcores");
	if (lcores != NULL && parse_lcores(lcores, w, e) < 0)
		return -1;
	/* The main lcore runs the control thread; sharing it with a busy-polling worker starves one. */
	for (unsigned int i = 0; i < w->n_lcores; i++)
		if (w->lcores[i] == w->main_lcore)
			return errbuf_fail(e, "workers.main_lcore: %u is also a worker lcore (workers.lcores[%u])",
				    w->main_lcore, i);
	return 0;
}

/* ---- mempool */

static int parse_mempool(const json_t *root, struct mempool_config *mp, struct errbuf *e)
{
	const json_t *obj;

	if (parse_plain_section(root, "mempool", mempool_fields, N_FIELDS(mempool_fields), NULL, mp, &obj,
				e) < 0)
		return -1;
	/* rte_mempool_create() refuses a cache whose flush threshold (1.5 x cache) exceeds the pool. */
	if ((uint64_t)mp->cache * 3 > (uint64_t)mp->mbufs * 2)
		return errbuf_fail(e, "mempool.cache: %u is too large for %u mbufs (DPDK needs cache * 1.5 <= mbufs)",
			    mp->cache, mp->mbufs);
	return 0;
}

/* ---- eal */

static int parse_eal(const json_t *root, struct eal_config *eal, struct errbuf *e)
{
	static const char *const extra[] = {"extra_args", NULL};
	const json_t *obj, *arr;

	if (parse_plain_section(root, "eal", eal_fields, N_FIELDS(eal_fields), extra, eal, &obj, e) < 0)
		return -1;
	arr = obj == NULL ? NULL : json_object_get(obj, "extra_args");
	if (arr == NULL)
		return 0;
	if (jf_check_array(arr, "eal.extra_args", 0, CONFIG_MAX_EAL_ARGS, e) < 0)
		return -1;
	eal->n_extra_args = (unsigned int)json_array_size(arr);
	for (unsigned int i = 0; i < eal->n_extra_args; i++) {
		char path[JF_PATH_LEN];

		snprintf(path, sizeof(path), "eal.extra_args[%u]", i);
		if (jf_read_string(json_array_get(arr, i), path, 1, CONFIG_EAL_ARG_MAX, eal->extra_args[i], e) < 0 ||
		    jf_check_chars(eal->extra_args[i], path, is_not_control_char, "printable characters", e) < 0)
			return -1;
	}
	return 0;
}

/* ---- static paths and proxies */

static int check_not_own_mac(const struct node_config *cfg, const struct mac_addr *mac, const char *path,
			     struct errbuf *e)
{
	char text[MAC_STR_LEN];

	if (mac_equal(mac, &cfg->node.mesh_mac))
		return errbuf_fail(e, "%s: %s is this node's own mesh_mac", path, mac_format(mac, text));
	return 0;
}

static int read_mesh_port_ref(const json_t *v, const char *path, const struct node_config *cfg,
			      uint8_t *index, struct errbuf *e)
{
	char q[JF_QUOTE_LEN];
	const struct port_config *port;

	if (!json_is_string(v))
		return errbuf_fail(e, "%s: expected a string, got %s", path, jf_type_name(v));
	port = config_find_port(cfg, json_string_value(v));
	if (port == NULL)
		return errbuf_fail(e, "%s: %s names no port", path, jf_quote(json_string_value(v), q));
	if (port->role != PORT_ROLE_MESH)
		return errbuf_fail(e, "%s: %s is not a mesh port", path, jf_quote(json_string_value(v), q));
	*index = (uint8_t)(port - cfg->ports);
	return 0;
}

static int read_local_port_ref(const json_t *v, const char *path, const struct node_config *cfg,
			       uint8_t *index, struct errbuf *e)
{
	char q[JF_QUOTE_LEN];
	const struct port_config *port;

	if (!json_is_string(v))
		return errbuf_fail(e, "%s: expected a string, got %s", path, jf_type_name(v));
	port = config_find_port(cfg, json_string_value(v));
	if (port == NULL)
		return errbuf_fail(e, "%s: %s names no port", path, jf_quote(json_string_value(v), q));
	if (port->role == PORT_ROLE_MESH)
		return errbuf_fail(e, "%s: %s is a mesh port, not access, lan or host", path, jf_quote(json_string_value(v), q));
	*index = (uint8_t)(port - cfg->ports);
	return 0;
}

static int parse_static_path(const json_t *obj, const char *where, const struct node_config *cfg, void *entry,
			     struct errbuf *e)
{
	struct static_path *sp = entry;
	static const char *const keys[] = {"dest", "next_hop", "port", "metric", NULL};
	char path[JF_PATH_LEN];
	const json_t *v;
	long long metric = 1;

	if (jf_check_object(obj, where, e) < 0 || jf_reject_unknown_keys(obj, where, NULL, 0, keys, e) < 0)
		return -1;
	if (jf_require(obj, where, "dest", &v, e) < 0 ||
	    jf_read_unicast_mac(v, jf_join(path, where, "dest"), &sp->dest, e) < 0 ||
	    check_not_own_mac(cfg, &sp->dest, path, e) < 0)
		return -1;
	if (jf_require(obj, where, "next_hop", &v, e) < 0 ||
	    jf_read_unicast_mac(v, jf_join(path, where, "next_hop"), &sp->next_hop, e) < 0 ||
	    check_not_own_mac(cfg, &sp->next_hop, path, e) < 0)
		return -1;
	if (jf_require(obj, where, "port", &v, e) < 0 ||
	    read_mesh_port_ref(v, jf_join(path, where, "port"), cfg, &sp->port, e) < 0)
		return -1;
	v = json_object_get(obj, "metric");
	if (v != NULL && jf_read_uint(v, jf_join(path, where, "metric"), 1, UINT32_MAX, &metric, e) < 0)
		return -1;
	sp->metric = (uint32_t)metric;
	return 0;
}

static int parse_static_proxy(const json_t *obj, const char *where, const struct node_config *cfg, void *entry,
			      struct errbuf *e)
{
	struct static_proxy *px = entry;
	static const char *const keys[] = {"station", "proxy", NULL};
	char path[JF_PATH_LEN];
	const json_t *v;

	if (jf_check_object(obj, where, e) < 0 || jf_reject_unknown_keys(obj, where, NULL, 0, keys, e) < 0)
		return -1;
	if (jf_require(obj, where, "station", &v, e) < 0 ||
	    jf_read_unicast_mac(v, jf_join(path, where, "station"), &px->station, e) < 0 ||
	    check_not_own_mac(cfg, &px->station, path, e) < 0)
		return -1;
	if (jf_require(obj, where, "proxy", &v, e) < 0 ||
	    jf_read_unicast_mac(v, jf_join(path, where, "proxy"), &px->proxy, e) < 0)
		return -1;
	return 0;
}

static int parse_static_fdb_entry(const json_t *obj, const char *where, const struct node_config *cfg,
				  void *entry, struct errbuf *e)
{
	struct static_fdb_entry *fe = entry;
	static const char *const keys[] = {"mac", "port", NULL};
	char path[JF_PATH_LEN];
	const json_t *v;

	if (jf_check_object(obj, where, e) < 0 || jf_reject_unknown_keys(obj, where, NULL, 0, keys, e) < 0)
		return -1;
	if (jf_require(obj, where, "mac", &v, e) < 0 || jf_read_unicast_mac(v, jf_join(path, where, "mac"), &fe->mac, e) < 0 ||
	    check_not_own_mac(cfg, &fe->mac, path, e) < 0)
		return -1;
	if (jf_require(obj, where, "port", &v, e) < 0 ||
	    read_local_port_ref(v, jf_join(path, where, "port"), cfg, &fe->port, e) < 0)
		return -1;
	return 0;
}

static int parse_static_peer(const json_t *obj, const char *where, const struct node_config *cfg, void *entry,
			     struct errbuf *e)
{
	struct static_peer *sp = entry;
	static const char *const keys[] = {"mac", "port", NULL};
	char path[JF_PATH_LEN];
	const json_t *v;

	if (jf_check_object(obj, where, e) < 0 || jf_reject_unknown_keys(obj, where, NULL, 0, keys, e) < 0)
		return -1;
	if (jf_require(obj, where, "mac", &v, e) < 0 || jf_read_unicast_mac(v, jf_join(path, where, "mac"), &sp->mac, e) < 0 ||
	    check_not_own_mac(cfg, &sp->mac, path, e) < 0)
		return -1;
	if (jf_require(obj, where, "port", &v, e) < 0 ||
	    read_mesh_port_ref(v, jf_join(path, where, "port"), cfg, &sp->port, e) < 0)
		return -1;
	return 0;
}

/* One list of static entries: its key, its limit, the parser of one entry, and the MAC field that
 * must be unique within the list. */
struct static_list {
	const char *key;
	size_t max;
	size_t entry_size;
	size_t mac_offset;
	const char *mac_name;
	int (*parse)(const json_t *obj, const char *where, const struct node_config *cfg, void *entry,
		     struct errbuf *e);
};

/* Parses root[l->key] into entries and *count. Entries are compared pairwise for uniqueness: at most
 * 1024 entries, about half a million compares, once per load. */
static int parse_static_list(const json_t *root, const struct static_list *l, struct node_config *cfg,
			     void *entries, unsigned int *count, struct errbuf *e)
{
	const json_t *arr = json_object_get(root, l->key);
	uint8_t *base = entries;

	if (arr == NULL)
		return 0;
	if (jf_check_array(arr, l->key, 0, l->max, e) < 0)
		return -1;
	*count = (unsigned int)json_array_size(arr);
	for (unsigned int i = 0; i < *count; i++) {
		uint8_t *entry = base + i * l->entry_size;
		const struct mac_addr *mac = (const struct mac_addr *)(entry + l->mac_offset);
		char where[JF_PATH_LEN], text[MAC_STR_LEN];

		snprintf(where, sizeof(where), "%s[%u]", l->key, i);
		if (l->parse(json_array_get(arr, i), where, cfg, entry, e) < 0)
			return -1;
		for (unsigned int j = 0; j < i; j++)
			if (mac_equal((const struct mac_addr *)(base + j * l->entry_size + l->mac_offset), mac))
				return errbuf_fail(e, "%s.%s: %s is used by %s[%u] too", where, l->mac_name,
						   mac_format(mac, text), l->key, j);
	}
	return 0;
}

static int parse_static_entries(const json_t *root, struct node_config *cfg, struct errbuf *e)
{
	static const struct static_list paths = {"static_paths", CONFIG_MAX_STATIC_PATHS, sizeof(struct static_path),
						 offsetof(struct static_path, dest), "dest", parse_static_path};
	static const struct static_list proxies = {"static_proxies", CONFIG_MAX_STATIC_PROXIES,
						   sizeof(struct static_proxy), offsetof(struct static_proxy, station),
						   "station", parse_static_proxy};
	static const struct static_list fdb = {"static_fdb", CONFIG_MAX_STATIC_FDB, sizeof(struct static_fdb_entry),
					       offsetof(struct static_fdb_entry, mac), "mac", parse_static_fdb_entry};
	static const struct static_list peers = {"static_peers", CONFIG_MAX_STATIC_PEERS, sizeof(struct static_peer),
						 offsetof(struct static_peer, mac), "mac", parse_static_peer};
	char text[MAC_STR_LEN];

	if (parse_static_list(root, &peers, cfg, cfg->static_peers, &cfg->n_static_peers, e) < 0 ||
	    parse_static_list(root, &paths, cfg, cfg->static_paths, &cfg->n_static_paths, e) < 0 ||
	    parse_static_list(root, &proxies, cfg, cfg->static_proxies, &cfg->n_static_proxies, e) < 0 ||
	    parse_static_list(root, &fdb, cfg, cfg->static_fdb, &cfg->n_static_fdb, e) < 0)
		return -1;
	/* A MAC may be a static local station or a static proxied one, not both. */
	for (unsigned int i = 0; i < cfg->n_static_fdb; i++)
		for (unsigned int j = 0; j < cfg->n_static_proxies; j++)
			if (mac_equal(&cfg->static_proxies[j].station, &cfg->static_fdb[i].mac))
				return errbuf_fail(e, "static_fdb[%u].mac: %s is static_proxies[%u].station too", i,
						   mac_format(&cfg->static_fdb[i].mac, text), j);
	return 0;
}

/* ---- sae */

static const char *const sae_pwe_names[] = {"hunting-and-pecking", "hash-to-element", "both"};

static int parse_sae(const json_t *root, struct sae_config *sae, struct errbuf *e)
{
	static const char *const extra[] = {"groups", "pwe", NULL};
	const json_t *obj, *v;
	int pwe = 0;

	if (parse_plain_section(root, "sae", sae_fields, N_FIELDS(sae_fields), extra, sae, &obj, e) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	v = json_object_get(obj, "groups");
	if (v != NULL) {
		size_t i;
		const json_t *g;

		if (jf_check_array(v, "sae.groups", 1, CONFIG_MAX_SAE_GROUPS, e) < 0)
			return -1;
		memset(sae->groups, 0, sizeof(sae->groups));
		json_array_foreach((json_t *)v, i, g) {
			char path[JF_PATH_LEN];
			long long group;

			snprintf(path, sizeof(path), "sae.groups[%zu]", i);
			if (jf_read_uint(g, path, 0, 65535, &group, e) < 0)
				return -1;
			if (group != 19 && group != 20 && group != 21)
				return errbuf_fail(e, "%s: group %lld is not supported (19, 20 or 21: the NIST curves "
						   "P-256, P-384, P-521)", path, group);
			for (size_t j = 0; j < i; j++)
				if (sae->groups[j] == group)
					return errbuf_fail(e, "%s: group %lld is listed twice", path, group);
			sae->groups[i] = (uint16_t)group;
		}
	}
	v = json_object_get(obj, "pwe");
	if (v != NULL && jf_read_choice(v, "sae.pwe", sae_pwe_names, N_FIELDS(sae_pwe_names), &pwe, e) < 0)
		return -1;
	sae->pwe = (uint8_t)pwe;
	return 0;
}

/* ---- log level and the whole document */

static int parse_log_level(const json_t *root, enum log_level *level, struct errbuf *e)
{
	static const char *const names[] = {"error", "warning", "notice", "info", "debug"};
	const json_t *v = json_object_get(root, "log_level");
	int index;

	if (v == NULL)
		return 0;
	if (jf_read_choice(v, "log_level", names, N_FIELDS(names), &index, e) < 0)
		return -1;
	*level = (enum log_level)log_level_parse(names[index]);
	return 0;
}

static const char *const top_keys[] = {"node", "mesh", "ports", "workers", "tables", "mempool", "hwmp",
				       "peering", "sae", "static_peers", "static_paths", "static_proxies", "static_fdb",
				       "telemetry", "eal", "log_level", NULL};

/* Sections are parsed in dependency order: static paths refer to ports, and both to node.mesh_mac. */
static int parse_root(const json_t *root, struct node_config *cfg, struct errbuf *e)
{
	const json_t *obj;

	if (!json_is_object(root))
		return errbuf_fail(e, "top level: expected an object, got %s", jf_type_name(root));
	if (jf_reject_unknown_keys(root, "", NULL, 0, top_keys, e) < 0 || parse_node(root, &cfg->node, e) < 0 ||
	    parse_mesh(root, &cfg->mesh, e) < 0 || parse_ports(root, cfg, e) < 0 ||
	    parse_workers(root, &cfg->workers, e) < 0 ||
	    parse_plain_section(root, "tables", tables_fields, N_FIELDS(tables_fields), NULL, &cfg->tables,
				&obj, e) < 0 ||
	    parse_mempool(root, &cfg->mempool, e) < 0 ||
	    parse_plain_section(root, "hwmp", hwmp_fields, N_FIELDS(hwmp_fields), NULL, &cfg->hwmp, &obj, e) < 0 ||
	    parse_plain_section(root, "peering", peering_fields, N_FIELDS(peering_fields), NULL, &cfg->peering,
				&obj, e) < 0 ||
	    parse_sae(root, &cfg->sae, e) < 0 ||
	    parse_plain_section(root, "telemetry", telemetry_fields, N_FIELDS(telemetry_fields), NULL,
				&cfg->telemetry, &obj, e) < 0 ||
	    parse_eal(root, &cfg->eal, e) < 0 || parse_static_entries(root, cfg, e) < 0 ||
	    parse_log_level(root, &cfg->log_level, e) < 0)
		return -1;
	/* Unset, the table holds twice the peer limit: room for candidates still peering or holding. */
	obj = json_object_get(root, "peering");
	if (obj == NULL || json_object_get(obj, "max_candidates") == NULL) {
		unsigned want = 2u * cfg->mesh.max_peers;

		cfg->peering.max_candidates = (uint16_t)(want < 64 ? 64 : want > 1024 ? 1024 : want);
	}
	if (cfg->peering.max_candidates < cfg->mesh.max_peers)
		return errbuf_fail(e, "peering.max_candidates: %u is below mesh.max_peers (%u)", cfg->peering.max_candidates,
				   cfg->mesh.max_peers);
	/* A static peer has no SAE, so no keys: in a secure mesh it could neither send nor receive. */
	if (cfg->mesh.security == MESH_SECURITY_SAE && cfg->n_static_peers > 0)
		return errbuf_fail(e, "static_peers: not allowed with mesh.security \"sae\" (every link of a secure "
				   "mesh is authenticated by SAE and keyed by AMPE)");
	/* The static keys are those of the static peers' links: without one, nothing would be keyed. */
	if (cfg->mesh.security == MESH_SECURITY_STATIC && cfg->n_static_peers == 0)
		return errbuf_fail(e, "static_peers: required with mesh.security \"static\" (mesh.static_keys key "
				   "the links with the static peers, and no other link)");
	return 0;
}

/* ---------------------------------------------------------------- public API: loading */

void config_set_defaults(struct node_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	jf_fields_set_defaults(&cfg->mesh, mesh_fields, N_FIELDS(mesh_fields));
	jf_fields_set_defaults(&cfg->workers, workers_fields, N_FIELDS(workers_fields));
	cfg->workers.n_lcores = 1;
	cfg->workers.lcores[0] = 1;
	jf_fields_set_defaults(&cfg->tables, tables_fields, N_FIELDS(tables_fields));
	jf_fields_set_defaults(&cfg->mempool, mempool_fields, N_FIELDS(mempool_fields));
	jf_fields_set_defaults(&cfg->hwmp, hwmp_fields, N_FIELDS(hwmp_fields));
	jf_fields_set_defaults(&cfg->peering, peering_fields, N_FIELDS(peering_fields));
	jf_fields_set_defaults(&cfg->sae, sae_fields, N_FIELDS(sae_fields));
	cfg->sae.groups[0] = 19;
	cfg->sae.groups[1] = 20;
	cfg->sae.groups[2] = 21;
	cfg->mesh.channel = 1;
	mesh_rates_default_2ghz(&cfg->mesh.rates);
	jf_fields_set_defaults(&cfg->telemetry, telemetry_fields, N_FIELDS(telemetry_fields));
	jf_fields_set_defaults(&cfg->eal, eal_fields, N_FIELDS(eal_fields));
	cfg->log_level = LOG_LEVEL_NOTICE;
}

/* Parses into a heap copy (the struct is ~25 KiB: too much for small thread stacks) and publishes it
 * only when everything validated. source names the input in JSON syntax errors. */
static int load_buffer(const char *text, size_t len, const char *source, const char *prefix,
		       struct node_config *cfg, char *err, size_t errlen)
{
	struct errbuf e = {err, errlen, prefix};
	struct node_config *tmp;
	json_error_t jerr;
	json_t *root;
	int rc;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s:%d:%d: %s", source, jerr.line, jerr.column, jerr.text);
		return -1;
	}
	tmp = malloc(sizeof(*tmp));
	if (tmp == NULL) {
		json_decref(root);
		return errbuf_fail(&e, "out of memory");
	}
	config_set_defaults(tmp);
	rc = parse_root(root, tmp, &e);
	json_decref(root);
	if (rc == 0)
		memcpy(cfg, tmp, sizeof(*cfg));
	free(tmp);
	return rc;
}

int config_load_string(const char *text, size_t len, struct node_config *cfg, char *err, size_t errlen)
{
	struct errbuf e = {err, errlen, NULL};

	if (text == NULL || cfg == NULL)
		return errbuf_fail(&e, "config_load_string: NULL argument");
	return load_buffer(text, len, "<string>", NULL, cfg, err, errlen);
}

static int read_whole_fd(int fd, char *buf, size_t size, size_t *got)
{
	*got = 0;
	while (*got < size) {
		ssize_t n = read(fd, buf + *got, size - *got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		*got += (size_t)n;
	}
	return 0;
}

/* The file is checked through the open descriptor (fstat), so it cannot be swapped between the
 * permission check and the read. O_NONBLOCK keeps a FIFO at that path from blocking us in open(). */
static int read_config_file(const char *path, char **text, size_t *len, struct errbuf *e)
{
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	if (fd < 0)
		return errbuf_fail(e, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		int saved = errno;

		close(fd);
		return errbuf_fail(e, "%s: cannot stat: %s", path, strerror(saved));
	}
	if (!S_ISREG(st.st_mode) || (st.st_mode & S_IWOTH) || st.st_size > (off_t)CONFIG_FILE_MAX) {
		close(fd);
		if (!S_ISREG(st.st_mode))
			return errbuf_fail(e, "%s: is not a regular file", path);
		if (st.st_mode & S_IWOTH)
			return errbuf_fail(e, "%s: is world-writable; refusing to load", path);
		return errbuf_fail(e, "%s: is %lld bytes, larger than the %u-byte limit", path,
			    (long long)st.st_size, CONFIG_FILE_MAX);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		close(fd);
		return errbuf_fail(e, "%s: out of memory", path);
	}
	if (read_whole_fd(fd, buf, (size_t)st.st_size, len) < 0) {
		int saved = errno;

		free(buf);
		close(fd);
		return errbuf_fail(e, "%s: cannot read: %s", path, strerror(saved));
	}
	close(fd);
	*text = buf;
	return 0;
}

int config_load_file(const char *path, struct node_config *cfg, char *err, size_t errlen)
{
	struct errbuf e = {err, errlen, NULL};
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (path == NULL || cfg == NULL)
		return errbuf_fail(&e, "config_load_file: NULL argument");
	if (read_config_file(path, &text, &len, &e) < 0)
		return -1;
	rc = load_buffer(text, len, path, path, cfg, err, errlen);
	free(text);
	return rc;
}

/* ---------------------------------------------------------------- public API: lookups */

const struct port_config *config_find_port(const struct node_config *cfg, const char *name)
{
	if (cfg == NULL || name == NULL)
		return NULL;
	for (unsigned int i = 0; i < cfg->n_ports && i < CONFIG_MAX_PORTS; i++)
		if (strcmp(cfg->ports[i].name, name) == 0)
			return &cfg->ports[i];
	return NULL;
}

const struct port_config *config_host_port(const struct node_config *cfg)
{
	for (unsigned int i = 0; i < cfg->n_ports && i < CONFIG_MAX_PORTS; i++)
		if (cfg->ports[i].role == PORT_ROLE_HOST)
			return &cfg->ports[i];
	return NULL;
}

const char *port_role_name(enum port_role role)
{
	if ((unsigned int)role < N_FIELDS(port_role_names))
		return port_role_names[role];
	return "unknown";
}

/* ---------------------------------------------------------------- public API: config_to_json */

static json_t *node_to_json(const struct node_ident *node, bool *ok)
{
	json_t *obj = json_object();

	jf_put(obj, "name", json_string(node->name), ok);
	jf_put(obj, "mesh_mac", jf_mac_to_json(&node->mesh_mac), ok);
	jf_put(obj, "file_prefix", json_string(node->file_prefix), ok);
	return obj;
}

static json_t *mesh_to_json(const struct mesh_config *mesh, bool *ok)
{
	json_t *obj = json_object();

	json_t *supported = json_array(), *basic = json_array();

	jf_put(obj, "mesh_id", json_string(mesh->mesh_id), ok);
	jf_fields_to_json(obj, mesh, mesh_fields, N_FIELDS(mesh_fields), ok);
	jf_put(obj, "channel", json_integer(mesh->channel), ok);
	for (unsigned i = 0; i < mesh->rates.n && i < MESH_RATES_MAX; i++) {
		uint8_t r = mesh->rates.rate[i] & (uint8_t)~MESH_RATE_BASIC;
		jf_append(supported, r % 2 ? json_real(r / 2.0) : json_integer(r / 2), ok);
		if (mesh->rates.rate[i] & MESH_RATE_BASIC)
			jf_append(basic, r % 2 ? json_real(r / 2.0) : json_integer(r / 2), ok);
	}
	jf_put(obj, "supported_rates", supported, ok);
	jf_put(obj, "basic_rates", basic, ok);
	jf_put(obj, "airtime_units", json_string(airtime_unit_names[mesh->airtime_units < 2 ? mesh->airtime_units : 0]), ok);
	jf_put(obj, "security", json_string(security_names[mesh->security < N_FIELDS(security_names) ? mesh->security : 0]),
	       ok);
	if (mesh->password_file[0] != '\0')
		jf_put(obj, "password_file", json_string(mesh->password_file), ok);
	/* Benchmark keys, not secrets: shown so that the effective config loads again as it is. */
	if (mesh->security == MESH_SECURITY_STATIC) {
		char mtk[2 * CONFIG_STATIC_KEY_LEN + 1], mgtk[2 * CONFIG_STATIC_KEY_LEN + 1];

		for (unsigned i = 0; i < CONFIG_STATIC_KEY_LEN; i++) {
			snprintf(mtk + 2 * i, 3, "%02x", mesh->static_mtk[i]);
			snprintf(mgtk + 2 * i, 3, "%02x", mesh->static_mgtk[i]);
		}
		jf_put(obj, "static_keys", json_pack("{s:s, s:s}", "mtk", mtk, "mgtk", mgtk), ok);
	}
	return obj;
}

/* Whole Mb/s stay integers (54, not 54.0) so the output reads like a hand-written file. */
static json_t *link_rate_to_json(uint32_t rate_100kbps)
{
	if (rate_100kbps % 10 == 0)
		return json_integer(rate_100kbps / 10);
	return json_real(rate_100kbps / 10.0);
}

static json_t *ap_to_json(const struct ap_config *ap, bool *ok)
{
	json_t *obj = json_object();

	jf_put(obj, "bssid", jf_mac_to_json(&ap->bssid), ok);
	jf_put(obj, "ssid", json_string(ap->ssid), ok);
	jf_fields_to_json(obj, ap, ap_fields, N_FIELDS(ap_fields), ok);
	return obj;
}

static json_t *port_to_json(const struct port_config *port, bool *ok)
{
	json_t *obj = json_object();

	jf_put(obj, "name", json_string(port->name), ok);
	jf_put(obj, "role", json_string(port_role_name(port->role)), ok);
	jf_put(obj, "devargs", json_string(port->devargs), ok);
	if (port->role == PORT_ROLE_MESH && port->wired) {
		jf_put(obj, "medium", json_string("ethernet"), ok);
		if (port->link_rate_set)
			jf_put(obj, "link_rate_mbps", link_rate_to_json(port->link_rate_100kbps), ok);
		jf_fields_to_json(obj, port, wired_port_fields, N_FIELDS(wired_port_fields), ok);
	} else if (port->role == PORT_ROLE_MESH) {
		jf_put(obj, "medium", json_string("radio"), ok);
		jf_put(obj, "radiotap", json_boolean(port->radiotap), ok);
		jf_put(obj, "link_rate_mbps", link_rate_to_json(port->link_rate_100kbps), ok);
	} else if (port->role == PORT_ROLE_ACCESS) {
		if (port->hostapd_ctrl[0] != '\0')
			jf_put(obj, "hostapd_ctrl", json_string(port->hostapd_ctrl), ok);
		if (port->ap.present)
			jf_put(obj, "ap", ap_to_json(&port->ap, ok), ok);
	} else if (port->role == PORT_ROLE_HOST && port->prefix_len != 0) {
		char text[INET_ADDRSTRLEN + 4], a[INET_ADDRSTRLEN];
		struct in_addr addr = {.s_addr = port->ipv4};

		snprintf(text, sizeof(text), "%s/%u", inet_ntop(AF_INET, &addr, a, sizeof(a)), port->prefix_len);
		jf_put(obj, "address", json_string(text), ok);
	}
	return obj;
}

static json_t *ports_to_json(const struct node_config *cfg, bool *ok)
{
	json_t *arr = json_array();

	for (unsigned int i = 0; i < cfg->n_ports && i < CONFIG_MAX_PORTS; i++)
		jf_append(arr, port_to_json(&cfg->ports[i], ok), ok);
	return arr;
}

static json_t *workers_to_json(const struct workers_config *w, bool *ok)
{
	json_t *obj = json_object(), *lcores = json_array();

	for (unsigned int i = 0; i < w->n_lcores && i < CONFIG_MAX_LCORES; i++)
		jf_append(lcores, json_integer(w->lcores[i]), ok);
	jf_put(obj, "lcores", lcores, ok);
	jf_fields_to_json(obj, w, workers_fields, N_FIELDS(workers_fields), ok);
	return obj;
}

static json_t *plain_to_json(const void *base, const struct field *fields, size_t n, bool *ok)
{
	json_t *obj = json_object();

	jf_fields_to_json(obj, base, fields, n, ok);
	return obj;
}

static json_t *sae_to_json(const struct sae_config *sae, bool *ok)
{
	json_t *obj = plain_to_json(sae, sae_fields, N_FIELDS(sae_fields), ok), *groups = json_array();

	for (unsigned i = 0; i < CONFIG_MAX_SAE_GROUPS && sae->groups[i] != 0; i++)
		jf_append(groups, json_integer(sae->groups[i]), ok);
	jf_put(obj, "groups", groups, ok);
	jf_put(obj, "pwe", json_string(sae_pwe_names[sae->pwe < 3 ? sae->pwe : 0]), ok);
	return obj;
}

static json_t *static_paths_to_json(const struct node_config *cfg, bool *ok)
{
	json_t *arr = json_array();

	for (unsigned int i = 0; i < cfg->n_static_paths && i < CONFIG_MAX_STATIC_PATHS; i++) {
		const struct static_path *sp = &cfg->static_paths[i];
		const char *port = sp->port < cfg->n_ports ? cfg->ports[sp->port].name : "";
		json_t *obj = json_object();

		jf_put(obj, "dest", jf_mac_to_json(&sp->dest), ok);
		jf_put(obj, "next_hop", jf_mac_to_json(&sp->next_hop), ok);
		jf_put(obj, "port", json_string(port), ok);
		jf_put(obj, "metric", json_integer(sp->metric), ok);
		jf_append(arr, obj, ok);
	}
	return arr;
}

static json_t *static_peers_to_json(const struct node_config *cfg, bool *ok)
{
	json_t *arr = json_array();

	for (unsigned int i = 0; i < cfg->n_static_peers && i < CONFIG_MAX_STATIC_PEERS; i++) {
		const struct static_peer *sp = &cfg->static_peers[i];
		json_t *obj = json_object();

		jf_put(obj, "mac", jf_mac_to_json(&sp->mac), ok);
		jf_put(obj, "port", json_string(sp->port < cfg->n_ports ? cfg->ports[sp->port].name : ""), ok);
		jf_append(arr, obj, ok);
	}
	return arr;
}

static json_t *static_proxies_to_json(const struct node_config *cfg, bool *ok)
{
	json_t *arr = json_array();

	for (unsigned int i = 0; i < cfg->n_static_proxies && i < CONFIG_MAX_STATIC_PROXIES; i++) {
		json_t *obj = json_object();

		jf_put(obj, "station", jf_mac_to_json(&cfg->static_proxies[i].station), ok);
		jf_put(obj, "proxy", jf_mac_to_json(&cfg->static_proxies[i].proxy), ok);
		jf_append(arr, obj, ok);
	}
	return arr;
}

static json_t *static_fdb_to_json(const struct node_config *cfg, bool *ok)
{
	json_t *arr = json_array();

	for (unsigned int i = 0; i < cfg->n_static_fdb && i < CONFIG_MAX_STATIC_FDB; i++) {
		const struct static_fdb_entry *fe = &cfg->static_fdb[i];
		json_t *obj = json_object();

		jf_put(obj, "mac", jf_mac_to_json(&fe->mac), ok);
		jf_put(obj, "port", json_string(fe->port < cfg->n_ports ? cfg->ports[fe->port].name : ""), ok);
		jf_append(arr, obj, ok);
	}
	return arr;
}

static json_t *eal_to_json(const struct eal_config *eal, bool *ok)
{
	json_t *obj = plain_to_json(eal, eal_fields, N_FIELDS(eal_fields), ok), *args = json_array();

	for (unsigned int i = 0; i < eal->n_extra_args && i < CONFIG_MAX_EAL_ARGS; i++)
		jf_append(args, json_string(eal->extra_args[i]), ok);
	jf_put(obj, "extra_args", args, ok);
	return obj;
}

json_t *config_to_json(const struct node_config *cfg)
{
	bool ok = true;
	json_t *root;

	if (cfg == NULL)
		return NULL;
	root = json_object();
	jf_put(root, "node", node_to_json(&cfg->node, &ok), &ok);
	jf_put(root, "mesh", mesh_to_json(&cfg->mesh, &ok), &ok);
	jf_put(root, "ports", ports_to_json(cfg, &ok), &ok);
	jf_put(root, "workers", workers_to_json(&cfg->workers, &ok), &ok);
	jf_put(root, "tables", plain_to_json(&cfg->tables, tables_fields, N_FIELDS(tables_fields), &ok), &ok);
	jf_put(root, "mempool", plain_to_json(&cfg->mempool, mempool_fields, N_FIELDS(mempool_fields), &ok), &ok);
	jf_put(root, "hwmp", plain_to_json(&cfg->hwmp, hwmp_fields, N_FIELDS(hwmp_fields), &ok), &ok);
	jf_put(root, "peering", plain_to_json(&cfg->peering, peering_fields, N_FIELDS(peering_fields), &ok), &ok);
	jf_put(root, "sae", sae_to_json(&cfg->sae, &ok), &ok);
	jf_put(root, "static_peers", static_peers_to_json(cfg, &ok), &ok);
	jf_put(root, "static_paths", static_paths_to_json(cfg, &ok), &ok);
	jf_put(root, "static_proxies", static_proxies_to_json(cfg, &ok), &ok);
	jf_put(root, "static_fdb", static_fdb_to_json(cfg, &ok), &ok);
	jf_put(root, "telemetry", plain_to_json(&cfg->telemetry, telemetry_fields, N_FIELDS(telemetry_fields), &ok),
	    &ok);
	jf_put(root, "eal", eal_to_json(&cfg->eal, &ok), &ok);
	jf_put(root, "log_level", json_string(log_level_name(cfg->log_level)), &ok);
	if (!ok) {
		json_decref(root);
		return NULL;
	}
	return root;
}
