#include "metrics.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rows.h"

/* The exposition format wants every sample of a family in one group under its HELP and TYPE lines,
 * while the telemetry replies come per port and per table: samples are gathered per family first. */
#define MAX_FAMILIES 512

struct family {
	char name[96];
	const char *type; /* "counter" or "gauge" */
	char help[160];
	char *samples;
	size_t len;
	FILE *out; /* open_memstream over samples */
};

struct exposition {
	struct family fam[MAX_FAMILIES];
	unsigned n;
	char node_label[160]; /* node="..." */
};

/* Label values escape backslash, double quote and newline. */
static void put_label(FILE *out, const char *key, const char *value)
{
	fprintf(out, ",%s=\"", key);
	for (const char *p = value; *p != '\0'; p++) {
		if (*p == '\\' || *p == '"')
			fprintf(out, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", out);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static struct family *family(struct exposition *x, const char *name, const char *type, const char *help)
{
	struct family *f;

	for (unsigned i = 0; i < x->n; i++)
		if (strcmp(x->fam[i].name, name) == 0)
			return &x->fam[i];
	if (x->n == MAX_FAMILIES)
		return NULL;
	f = &x->fam[x->n];
	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(f->help, sizeof(f->help), "%s", help);
	f->type = type;
	f->out = open_memstream(&f->samples, &f->len);
	if (f->out == NULL)
		return NULL;
	x->n++;
	return f;
}

/* One sample: labels are NULL-terminated key, value pairs after the node label. */
static void sample(struct exposition *x, const char *name, const char *type, const char *help, double value,
		   const char *const *labels)
{
	struct family *f = family(x, name, type, help);

	if (f == NULL)
		return;
	/* Counter families are named ..._total; their samples carry the same name. */
	fprintf(f->out, "%s{%s", name, x->node_label);
	for (unsigned i = 0; labels != NULL && labels[i] != NULL; i += 2)
		put_label(f->out, labels[i], labels[i + 1]);
	fprintf(f->out, "} %.17g\n", value);
}

static void finish(struct exposition *x, FILE *out)
{
	for (unsigned i = 0; i < x->n; i++) {
		struct family *f = &x->fam[i];

		fclose(f->out);
		fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", f->name, f->help, f->name, f->type);
		fwrite(f->samples, 1, f->len, out);
		free(f->samples);
	}
	x->n = 0;
}

static double num(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_integer(v) ? (double)json_integer_value(v) : 0;
}

static const char *str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : "";
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Counter names as Prometheus asks: the unit (frames, packets, bytes, ...) and then _total. */
static void counter_name(char *out, size_t len, const char *prefix, const char *counter)
{
	bool has_unit = ends_with(counter, "_packets") || ends_with(counter, "_bytes") ||
			ends_with(counter, "_events") || ends_with(counter, "_frames") ||
			ends_with(counter, "_cycles");

	snprintf(out, len, "%s_%s%s_total", prefix, counter, has_unit ? "" : "_frames");
}

/* One port's counters of /meshplane/stats: frame classes, forwarding counters, drops by reason. */
static void port_stats(struct exposition *x, const char *port, json_t *counters)
{
	const char *key;
	json_t *v;

	json_object_foreach(counters, key, v) {
		char name[128], help[160];

		if (!json_is_integer(v))
			continue;
		if (strncmp(key, "drop_", 5) == 0) {
			const char *labels[] = {"port", port, "reason", key + 5, NULL};

			sample(x, "meshplane_port_dropped_frames_total", "counter",
			       "Frames dropped, by port (ingress; drop_tx_full by egress) and reason", num(counters, key),
			       labels);
			continue;
		}
		const char *labels[] = {"port", port, NULL};

		if (strcmp(key, "rx_packets") == 0 || strcmp(key, "rx_bytes") == 0) {
			snprintf(name, sizeof(name), "meshplane_port_%s_total", key);
			snprintf(help, sizeof(help), "Frames or bytes received on the port (%s)", key);
		} else if (strncmp(key, "mesh_", 5) == 0 || strncmp(key, "eth_", 4) == 0) {
			const char *cl[] = {"port", port, "class", key, NULL};

			sample(x, "meshplane_port_rx_class_frames_total", "counter",
			       "Frames received, by port and frame class (lib/frame_class.h)", num(counters, key), cl);
			continue;
		} else {
			counter_name(name, sizeof(name), "meshplane_port", key);
			snprintf(help, sizeof(help), "Forwarding counter %s (README: Frame classes and drop counters)",
				 key);
		}
		sample(x, name, "counter", help, num(counters, key), labels);
	}
}

/* "_us" reads as microseconds to Prometheus' linter: peering_not_for_us becomes ..._for_this_node. */
static void rename_unit_lookalike(char *name, size_t len)
{
	char *us = strstr(name, "_for_us_");

	if (us != NULL) {
		char rest[128];

		snprintf(rest, sizeof(rest), "%s", us + strlen("_for_us"));
		snprintf(us, len - (size_t)(us - name), "_for_this_node%s", rest);
	}
}

/* A flat dict of counters (control, hwmp, peering): drops by reason, the rest one family each. */
static void flat_counters(struct exposition *x, const char *prefix, const char *what, json_t *counters)
{
	const char *key;
	json_t *v;

	json_object_foreach(counters, key, v) {
		char name[128], help[160];

		if (!json_is_integer(v))
			continue;
		if (strncmp(key, "drop_", 5) == 0) {
			const char *labels[] = {"reason", key + 5, NULL};

			snprintf(name, sizeof(name), "%s_dropped_frames_total", prefix);
			snprintf(help, sizeof(help), "Frames the %s dropped, by reason", what);
			sample(x, name, "counter", help, num(counters, key), labels);
			continue;
		}
		snprintf(name, sizeof(name), "%s_%s_total", prefix, key);
		rename_unit_lookalike(name, sizeof(name));
		snprintf(help, sizeof(help), "%s counter %s", what, key);
		sample(x, name, "counter", help, num(counters, key), NULL);
	}
}

static void lcore_stats(struct exposition *x, json_t *lcores)
{
	const char *key;
	json_t *l;

	json_object_foreach(lcores, key, l) {
		const char *id = strncmp(key, "lcore", 5) == 0 ? key + 5 : key;
		const char *labels[] = {"lcore", id, NULL};

		sample(x, "meshplane_lcore_rx_packets_total", "counter", "Frames a worker lcore received",
		       num(l, "rx_packets"), labels);
		sample(x, "meshplane_lcore_tx_packets_total", "counter", "Frames a worker lcore sent",
		       num(l, "tx_packets"), labels);
		sample(x, "meshplane_lcore_dropped_packets_total", "counter", "Frames a worker lcore dropped (every reason)",
		       num(l, "dropped"), labels);
		sample(x, "meshplane_lcore_polls_total", "counter", "Receive polls of a worker lcore", num(l, "polls"),
		       labels);
		sample(x, "meshplane_lcore_idle_sleeps_total", "counter", "Idle sleeps of a worker lcore",
		       num(l, "idle_sleeps"), labels);
		sample(x, "meshplane_lcore_busy_cycles_total", "counter",
		       "TSC cycles of the polls that received frames (their processing included)", num(l, "busy_cycles"),
		       labels);
		sample(x, "meshplane_lcore_cycles_per_packet", "gauge", "busy_cycles / rx_packets since start",
		       num(l, "cycles_per_packet"), labels);
	}
}

static int node_info(struct exposition *x, struct telemetry_client *c, char *err, size_t errlen)
{
	json_t *info = telemetry_request(c, "/meshplane/info", NULL, err, errlen);
	const char *labels[9];

	if (info == NULL)
		return -1;
	snprintf(x->node_label, sizeof(x->node_label), "node=\"%s\"", str(info, "node"));
	labels[0] = "mesh_id";
	labels[1] = str(info, "mesh_id");
	labels[2] = "mesh_mac";
	labels[3] = str(info, "mesh_mac");
	labels[4] = "version";
	labels[5] = str(info, "version");
	labels[6] = NULL;
	sample(x, "meshplane_node_info", "gauge", "The node: Mesh ID, mesh address, version (value 1)", 1, labels);
	sample(x, "meshplane_uptime_seconds", "gauge", "Time since the node started", num(info, "uptime_ms") / 1000,
	       NULL);
	sample(x, "meshplane_workers", "gauge", "Worker lcores", num(info, "workers"), NULL);
	sample(x, "meshplane_fdb_entries", "gauge", "Forwarding database entries in use", num(info, "fdb_entries"),
	       NULL);
	if (json_object_get(info, "mgtk_key_id") != NULL)
		sample(x, "meshplane_mgtk_key_id", "gauge", "Key ID (1 or 2) of the MGTK our group frames go under",
		       num(info, "mgtk_key_id"), NULL);
	sample(x, "meshplane_path_entries", "gauge", "Mesh path table entries in use", num(info, "path_entries"),
	       NULL);
	json_decref(info);
	return 0;
}

static int ports(struct exposition *x, struct telemetry_client *c, char *err, size_t errlen)
{
	json_t *all = telemetry_request(c, "/meshplane/ports", NULL, err, errlen);
	const char *key;
	json_t *p;

	if (all == NULL)
		return -1;
	json_object_foreach(all, key, p) {
		char dpdk_port[16];
		const char *info[] = {"port", key, "role", str(p, "role"), "dpdk_port", dpdk_port, NULL};
		const char *labels[] = {"port", key, NULL};

		snprintf(dpdk_port, sizeof(dpdk_port), "%.0f", num(p, "dpdk_port"));
		sample(x, "meshplane_port_info", "gauge", "A port: role and DPDK port id (value 1)", 1, info);
		sample(x, "meshplane_port_link_up", "gauge", "1 when the port's link is up",
		       strcmp(str(p, "link"), "up") == 0, labels);
		sample(x, "meshplane_port_ethdev_rx_packets_total", "counter", "ethdev ipackets of the port",
		       num(p, "ipackets"), labels);
		sample(x, "meshplane_port_ethdev_tx_packets_total", "counter", "ethdev opackets of the port",
		       num(p, "opackets"), labels);
		sample(x, "meshplane_port_ethdev_rx_missed_packets_total", "counter",
		       "ethdev imissed: frames the NIC dropped because no receive descriptor was free",
		       num(p, "imissed"), labels);
		sample(x, "meshplane_port_ethdev_rx_nombuf_total", "counter", "ethdev rx_nombuf: receive mbuf allocation failures",
		       num(p, "rx_nombuf"), labels);
	}
	json_decref(all);
	return 0;
}

static int stats(struct exposition *x, struct telemetry_client *c, char *err, size_t errlen)
{
	json_t *all = telemetry_request(c, "/meshplane/stats", NULL, err, errlen);
	const char *key;
	json_t *v;

	if (all == NULL)
		return -1;
	json_object_foreach(all, key, v) {
		if (strcmp(key, "control") == 0)
			flat_counters(x, "meshplane_control", "Control thread", v);
		else if (strcmp(key, "hwmp") == 0)
			flat_counters(x, "meshplane_hwmp", "HWMP engine", v);
		else if (strcmp(key, "peering") == 0)
			flat_counters(x, "meshplane_peering", "Mesh Peering Management", v);
		else if (strcmp(key, "security") == 0)
			flat_counters(x, "meshplane_security", "Secure mesh (SAE, AMPE, CCMP)", v);
		else if (strcmp(key, "lcores") == 0)
			lcore_stats(x, v);
		else
			port_stats(x, key, v);
	}
	json_decref(all);
	return 0;
}

static void peer_rows(struct exposition *x, json_t *rows)
{
	size_t i;
	json_t *r;

	json_array_foreach(rows, i, r) {
		const char *info[] = {"peer", str(r, "mac"), "port", str(r, "port"), "plink", str(r, "plink"), NULL};
		const char *labels[] = {"peer", str(r, "mac"), "port", str(r, "port"), NULL};

		sample(x, "meshplane_peer_info", "gauge", "A mesh neighbour and its peering state (value 1)", 1, info);
		sample(x, "meshplane_peer_established", "gauge", "1 for a peer (ESTAB or static), 0 for a candidate",
		       num(r, "established"), labels);
		sample(x, "meshplane_peer_link_metric", "gauge", "Airtime link metric, in mesh.airtime_units",
		       num(r, "metric"), labels);
		/* Prometheus' base unit is the byte: 54 Mb/s is 6.75e6. */
		sample(x, "meshplane_peer_link_rate_bytes_per_second", "gauge", "Link rate (radiotap, else configured)",
		       num(r, "rate_100kbps") * 100000 / 8, labels);
		sample(x, "meshplane_peer_beacon_loss_ratio", "gauge", "Beacon loss estimate (0..1)",
		       num(r, "loss_ppm") / 1e6, labels);
		if (json_object_get(r, "signal_dbm") != NULL)
			sample(x, "meshplane_peer_signal_dbm", "gauge", "Signal of its last frame", num(r, "signal_dbm"),
			       labels);
		sample(x, "meshplane_peer_beacons_total", "counter", "Beacons heard from the neighbour", num(r, "beacons"),
		       labels);
		sample(x, "meshplane_peer_beacon_interval_seconds", "gauge", "The beacon interval the neighbour announces",
		       num(r, "beacon_interval_tu") * 1024e-6, labels);
		sample(x, "meshplane_peer_last_heard_seconds", "gauge", "Time since the neighbour was last heard",
		       num(r, "last_heard_ms") / 1000, labels);
		sample(x, "meshplane_peer_age_seconds", "gauge", "Time since first heard (peers: since established)",
		       num(r, "age_ms") / 1000, labels);
	}
}

static void path_rows(struct exposition *x, json_t *rows)
{
	size_t i;
	json_t *r;

	json_array_foreach(rows, i, r) {
		const char *info[] = {"dest", str(r, "dest"), "next_hop", str(r, "next_hop"), "port", str(r, "port"),
				      "state", str(r, "state"), NULL};
		const char *labels[] = {"dest", str(r, "dest"), NULL};

		sample(x, "meshplane_path_info", "gauge", "A mesh path: next hop, port, state (value 1)", 1, info);
		sample(x, "meshplane_path_metric", "gauge", "Path metric, in mesh.airtime_units", num(r, "metric"),
		       labels);
		sample(x, "meshplane_path_hops", "gauge", "Hop count", num(r, "hops"), labels);
		sample(x, "meshplane_path_sequence_number", "gauge", "The destination's HWMP sequence number",
		       num(r, "sn"), labels);
		sample(x, "meshplane_path_next_hop_changes_total", "counter", "Next-hop changes (Linux's path_change_count)",
		       num(r, "changes"), labels);
		if (strcmp(str(r, "state"), "static") != 0)
			sample(x, "meshplane_path_expires_seconds", "gauge", "Time left before the path expires",
			       num(r, "expires_ms") / 1000, labels);
	}
}

static void station_rows(struct exposition *x, json_t *rows)
{
	size_t i;
	json_t *r;

	json_array_foreach(rows, i, r) {
		bool local = strcmp(str(r, "origin"), "local") == 0;
		const char *info[] = {"station", str(r, "mac"), "origin", str(r, "origin"), local ? "port" : "mesh_node",
				      local ? str(r, "port") : str(r, "node"), NULL};
		const char *labels[] = {"station", str(r, "mac"), NULL};

		sample(x, "meshplane_station_info", "gauge", "A station: local (our AP) or behind a mesh node (value 1)", 1,
		       info);
		sample(x, "meshplane_station_since_seconds", "gauge", "Time since the station came where it is",
		       num(r, "since_ms") / 1000, labels);
	}
}

int metrics_write(struct telemetry_client *c, FILE *out, char *err, size_t errlen)
{
	static struct exposition x;
	json_t *peers = NULL, *paths = NULL, *stations = NULL;
	int ret = -1;

	memset(&x, 0, sizeof(x));
	if (node_info(&x, c, err, errlen) < 0 || ports(&x, c, err, errlen) < 0 || stats(&x, c, err, errlen) < 0 ||
	    (peers = fetch_all_rows(c, "/meshplane/peers", err, errlen)) == NULL ||
	    (paths = fetch_all_rows(c, "/meshplane/paths", err, errlen)) == NULL ||
	    (stations = fetch_all_rows(c, "/meshplane/stations", err, errlen)) == NULL)
		goto out;
	peer_rows(&x, peers);
	path_rows(&x, paths);
	station_rows(&x, stations);
	ret = 0;
out:
	json_decref(peers);
	json_decref(paths);
	json_decref(stations);
	if (ret == 0) {
		finish(&x, out);
	} else { /* nothing half-written */
		FILE *null = fopen("/dev/null", "w");

		finish(&x, null != NULL ? null : out);
		if (null != NULL)
			fclose(null);
	}
	return ret;
}
