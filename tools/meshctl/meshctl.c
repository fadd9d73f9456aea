/* meshctl: human tables (or JSON) from a running meshplane node's telemetry socket. */
#include <dirent.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "metrics.h"
#include "metrics_http.h"
#include "monitor.h"
#include "rows.h"
#include "table.h"
#include "telemetry_client.h"
#include "topology.h"

#define ERR_LEN 512

static bool json_output;

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: meshctl [-n NODE] [--json] COMMAND [ARGS]\n"
		"\n"
		"Shows a running meshplane node through its DPDK telemetry socket.\n"
		"\n"
		"Commands:\n"
		"  info           node name, mesh address, Mesh ID, ports, workers, uptime, table sizes\n"
		"  stats [PORT]   per-port traffic and every non-zero counter, control thread, lcores\n"
		"  fdb            forwarding database: MAC, kind, MikroTik's type, port or proxy, age, flags\n"
		"  paths          mesh paths: destination, next hop, port, SN, metric, hops, expiry, flags\n"
		"  peers          mesh neighbours: peering state (PLINK), security (open, keyed, sae:STATE), link IDs,\n"
		"                 AID, metric, rate, loss, signal\n"
		"  stations       stations: local (hostapd on our AP) or remote (behind another node), since\n"
		"  ping MAC       mesh-level echo to mesh node MAC, with round-trip times (-c COUNT)\n"
		"  traceroute MAC every hop to mesh node MAC with its time (TTL-limited echoes)\n"
		"  monitor        print events as they happen: peers up/down, path changes, failed\n"
		"                 discoveries, stations connected/moved/steered, carrier (-c: stop after N)\n"
		"  metrics        every counter and table in Prometheus' text format (--listen: serve it)\n"
		"  config         the node's effective config (defaults included) as JSON\n"
		"  reload         re-read the node's config file (as SIGHUP does): applies what can change live,\n"
		"                 refuses the rest naming the key; a bad file changes nothing\n"
		"  topology       the mesh as its meshplane nodes announce it, as Graphviz DOT: every link once\n"
		"                 with both ends' metrics, gates boxed, this node's next hops bold\n"
		"\n"
		"Options:\n"
		"  -n, --node NODE  the node's telemetry file prefix (node.file_prefix, default the node name);\n"
		"                   default: the only node running on this machine\n"
		"  -j, --json       print the node's JSON instead of tables\n"
		"  -c, --count N    ping: number of echoes (default 4); monitor: stop after N events\n"
		"      --history    monitor: start with the events the node still keeps (up to 1024)\n"
		"      --listen ADDR:PORT  metrics: serve GET /metrics there until SIGTERM\n"
		"      --path MAC   topology: trace the route to mesh node MAC and draw it red\n"
		"      --format F   topology: dot (default), svg or png (svg and png need graphviz)\n"
		"  -o, --output FILE  topology: write there instead of standard output\n"
		"  -h, --help       this text\n"
		"\n"
		"Exit status: 0 ok, 1 node unreachable or command failed, 2 bad usage.\n");
}

/* The only DPDK runtime directory with a telemetry socket, or NULL (listing them in err). */
static const char *default_node(char *err, size_t errlen)
{
	static char found[256];
	const char *dir = getenv("MESHCTL_RUNTIME_DIR") ? getenv("MESHCTL_RUNTIME_DIR") : "/var/run/dpdk";
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	size_t off = 0;

	if (d == NULL) {
		snprintf(err, errlen, "no node is running (%s does not exist); give one with -n", dir);
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		char sock[600];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(sock, sizeof(sock), "%s/%s/dpdk_telemetry.v2", dir, e->d_name);
		if (stat(sock, &st) != 0 || !S_ISSOCK(st.st_mode))
			continue;
		if (n++ == 0)
			snprintf(found, sizeof(found), "%s", e->d_name);
		off += (size_t)snprintf(err + off, off < errlen ? errlen - off : 0, "%s%s", n == 1 ? "several nodes run: " : ", ",
					e->d_name);
	}
	closedir(d);
	if (n == 1)
		return found;
	if (n == 0)
		snprintf(err, errlen, "no node is running (no telemetry socket under %s); give one with -n", dir);
	else
		snprintf(err + (off < errlen ? off : errlen - 1), off < errlen ? errlen - off : 1, "; pick one with -n");
	return NULL;
}

static void print_json(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2));
	putchar('\n');
}

static int cmd_info(struct telemetry_client *c, char *err)
{
	json_t *info = telemetry_request(c, "/meshplane/info", NULL, err, ERR_LEN);

	if (info == NULL)
		return -1;
	if (json_output) {
		print_json(info);
	} else {
		printf("node:      %s\n", row_str(info, "node"));
		printf("mesh-id:   %s\n", row_str(info, "mesh_id"));
		printf("mesh-mac:  %s\n", row_str(info, "mesh_mac"));
		printf("ports:     %lld\n", row_int(info, "ports"));
		printf("workers:   %lld\n", row_int(info, "workers"));
		printf("uptime:    %.1f s\n", (double)row_int(info, "uptime_ms") / 1000.0);
		printf("fdb:       %lld entries\n", row_int(info, "fdb_entries"));
		printf("paths:     %lld entries\n", row_int(info, "path_entries"));
		if (json_object_get(info, "mgtk_key_id") != NULL)
			printf("mgtk:      key ID %lld (our group frames)\n", row_int(info, "mgtk_key_id"));
		printf("version:   %s\n", row_str(info, "version"));
	}
	json_decref(info);
	return 0;
}

static long long sum_drops(json_t *counters)
{
	const char *key;
	json_t *v;
	long long total = 0;

	json_object_foreach(counters, key, v)
		if (strncmp(key, "drop_", 5) == 0 && json_is_integer(v))
			total += json_integer_value(v);
	return total;
}

static int cmd_stats(struct telemetry_client *c, const char *port, char *err)
{
	static const char *const summary_headers[] = {"PORT", "RX", "RX BYTES", "TX", "DROPPED", NULL};
	static const char *const detail_headers[] = {"WHERE", "COUNTER", "VALUE", NULL};
	json_t *stats = telemetry_request(c, "/meshplane/stats", port, err, ERR_LEN);
	struct table summary, detail;
	const char *key, *ckey;
	json_t *v, *cv;

	if (stats == NULL)
		return -1;
	if (json_output) {
		print_json(stats);
		json_decref(stats);
		return 0;
	}
	table_init(&summary, summary_headers);
	table_init(&detail, detail_headers);
	json_object_foreach(stats, key, v) {
		if (strcmp(key, "control") == 0 || strcmp(key, "lcores") == 0)
			continue;
		char rx[24], bytes[24], tx[24], drops[24];
		const char *row[] = {key, rx, bytes, tx, drops};

		snprintf(rx, sizeof(rx), "%lld", row_int(v, "rx_packets"));
		snprintf(bytes, sizeof(bytes), "%lld", row_int(v, "rx_bytes"));
		snprintf(tx, sizeof(tx), "%lld", row_int(v, "tx_packets"));
		snprintf(drops, sizeof(drops), "%lld", sum_drops(v));
		table_add_row(&summary, row);
	}
	/* Every non-zero counter, ports first, then the control thread and the lcores. */
	json_object_foreach(stats, key, v) {
		bool lcores = strcmp(key, "lcores") == 0;

		json_object_foreach(v, ckey, cv) {
			if (lcores) {
				const char *lkey;
				json_t *lv;

				json_object_foreach(cv, lkey, lv) {
					char value[24];
					const char *row[] = {ckey, lkey, value};

					snprintf(value, sizeof(value), "%lld", (long long)json_integer_value(lv));
					table_add_row(&detail, row);
				}
				continue;
			}
			if (!json_is_integer(cv) || json_integer_value(cv) == 0 || strcmp(ckey, "rx_bytes") == 0)
				continue;
			char value[24];
			const char *row[] = {key, ckey, value};

			snprintf(value, sizeof(value), "%lld", (long long)json_integer_value(cv));
			table_add_row(&detail, row);
		}
	}
	table_print(&summary, stdout);
	printf("\n");
	table_print(&detail, stdout);
	json_decref(stats);
	return 0;
}

/* Prints every row of a paged table command, as JSON or as a table whose rows add_row formats. */
static int show_rows(struct telemetry_client *c, const char *cmd, const char *const *headers,
		     void (*add_row)(struct table *t, json_t *row), char *err)
{
	json_t *rows = fetch_all_rows(c, cmd, err, ERR_LEN);
	struct table t;
	size_t i;
	json_t *r;

	if (rows == NULL)
		return -1;
	if (json_output) {
		print_json(rows);
	} else {
		table_init(&t, headers);
		json_array_foreach(rows, i, r)
			add_row(&t, r);
		table_print(&t, stdout);
	}
	json_decref(rows);
	return 0;
}

static void add_fdb_row(struct table *t, json_t *r)
{
	char age[24];
	const char *where = json_object_get(r, "proxy") ? row_str(r, "proxy") : row_str(r, "port");
	const char *row[] = {row_str(r, "mac"), row_str(r, "kind"), row_str(r, "type"), where, age,
			     row_int(r, "static") ? "static" : ""};

	snprintf(age, sizeof(age), "%llds", row_int(r, "age_s"));
	table_add_row(t, row);
}

static void add_path_row(struct table *t, json_t *r)
{
	char sn[24], metric[24], hops[24], expires[24], changes[24];
	const char *row[] = {row_str(r, "dest"), row_str(r, "next_hop"), row_str(r, "port"), sn, metric, hops, changes, expires,
			     row_str(r, "state")};

	snprintf(sn, sizeof(sn), "%lld", row_int(r, "sn"));
	snprintf(metric, sizeof(metric), "%lld", row_int(r, "metric"));
	snprintf(hops, sizeof(hops), "%lld", row_int(r, "hops"));
	snprintf(changes, sizeof(changes), "%lld", row_int(r, "changes"));
	if (strcmp(row_str(r, "state"), "static") == 0)
		snprintf(expires, sizeof(expires), "never");
	else
		snprintf(expires, sizeof(expires), "%lld ms", row_int(r, "expires_ms"));
	table_add_row(t, row);
}

/* The links, comma-separated, each that is one-way (in the comma-separated one_way) marked so. */
static void one_way_marked(const char *links, const char *one_way, char *out, size_t len)
{
	size_t off = 0;

	out[0] = '\0';
	while (*links != '\0' && off < len) {
		size_t n = strcspn(links, ",");
		bool marked = false;

		for (const char *w = one_way; *w != '\0';) {
			size_t m = strcspn(w, ",");

			marked |= m == n && strncmp(w, links, n) == 0;
			w += m + (w[m] == ',');
		}
		off += (size_t)snprintf(out + off, len - off, "%s%.*s%s", off ? "," : "", (int)n, links,
					marked ? "(one-way)" : "");
		links += n + (links[n] == ',');
	}
}

static void add_peer_row(struct table *t, json_t *r)
{
	char metric[24], rate[24], loss[24], signal[24], beacons[24], age[24], ids[24], aid[16], interval[16];
	char security[24], links[128];
	const char *row[] = {row_str(r, "mac"), row_str(r, "port"), strcmp(row_str(r, "medium"), "ethernet") == 0 ? "wire" : "radio",
			     links, row_str(r, "plink"), security, ids, aid, metric, rate, loss, signal, beacons,
			     interval, age};

	one_way_marked(row_str(r, "links"), json_object_get(r, "one_way_links") ? row_str(r, "one_way_links") : "", links,
		       sizeof(links));

	/* open mesh: "open"; secure: "keyed", "sae" (authenticated, not keyed yet), or the SAE state. */
	if (!json_object_get(r, "security"))
		snprintf(security, sizeof(security), "open");
	else if (strcmp(row_str(r, "security"), "none") != 0)
		snprintf(security, sizeof(security), "%s", strcmp(row_str(r, "security"), "keyed") == 0 ? "keyed" : "sae");
	else
		snprintf(security, sizeof(security), "sae:%s", row_str(r, "sae"));

	if (json_object_get(r, "llid"))
		snprintf(ids, sizeof(ids), "%04llx/%04llx", row_int(r, "llid"), row_int(r, "plid"));
	else
		snprintf(ids, sizeof(ids), "-");
	if (json_object_get(r, "aid"))
		snprintf(aid, sizeof(aid), "%lld", row_int(r, "aid"));
	else
		snprintf(aid, sizeof(aid), "-");
	snprintf(metric, sizeof(metric), "%lld", row_int(r, "metric"));
	snprintf(rate, sizeof(rate), "%.1f Mb/s", (double)row_int(r, "rate_100kbps") / 10.0);
	snprintf(loss, sizeof(loss), "%.1f %%", (double)row_int(r, "loss_ppm") / 10000.0);
	if (json_object_get(r, "signal_dbm"))
		snprintf(signal, sizeof(signal), "%lld dBm", row_int(r, "signal_dbm"));
	else
		snprintf(signal, sizeof(signal), "-");
	snprintf(beacons, sizeof(beacons), "%lld", row_int(r, "beacons"));
	snprintf(interval, sizeof(interval), "%lld TU", row_int(r, "beacon_interval_tu"));
	snprintf(age, sizeof(age), "%.1f s",
		 (double)(json_object_get(r, "plink_since_ms") ? row_int(r, "plink_since_ms") : row_int(r, "age_ms")) / 1000.0);
	table_add_row(t, row);
}

static int cmd_peers(struct telemetry_client *c, char *err)
{
	static const char *const headers[] = {"PEER", "IFACE", "MEDIUM", "LINKS", "PLINK", "SECURITY", "LLID/PLID", "AID",
					      "METRIC", "RATE", "LOSS", "SIGNAL", "BEACONS", "INTERVAL", "SINCE", NULL};

	return show_rows(c, "/meshplane/peers", headers, add_peer_row, err);
}

static void add_station_row(struct table *t, json_t *r)
{
	char since[24];
	bool local = strcmp(row_str(r, "origin"), "local") == 0;
	const char *row[] = {row_str(r, "mac"), row_str(r, "origin"), local ? row_str(r, "port") : row_str(r, "node"), since};

	snprintf(since, sizeof(since), "%.1f s", (double)row_int(r, "since_ms") / 1000.0);
	table_add_row(t, row);
}

static int cmd_stations(struct telemetry_client *c, char *err)
{
	static const char *const headers[] = {"STATION", "ORIGIN", "PORT/NODE", "SINCE", NULL};

	return show_rows(c, "/meshplane/stations", headers, add_station_row, err);
}

static int cmd_fdb(struct telemetry_client *c, char *err)
{
	static const char *const headers[] = {"MAC", "KIND", "TYPE", "IFACE/PROXY", "AGE", "FLAGS", NULL};

	return show_rows(c, "/meshplane/fdb", headers, add_fdb_row, err);
}

static int cmd_paths(struct telemetry_client *c, char *err)
{
	static const char *const headers[] = {"DEST", "NEXT HOP", "IFACE", "SN", "METRIC", "HOPS", "CHANGES", "EXPIRES", "FLAGS",
					      NULL};

	return show_rows(c, "/meshplane/paths", headers, add_path_row, err);
}

/* One mesh echo through the node; returns the reply's value (new reference) or NULL. */
static json_t *probe(struct telemetry_client *c, const char *mac, int ttl, char *err)
{
	char params[40];

	snprintf(params, sizeof(params), "%s,%d", mac, ttl);
	return telemetry_request(c, "/meshplane/probe", params, err, ERR_LEN);
}

static int cmd_ping(struct telemetry_client *c, const char *mac, int count, char *err)
{
	int received = 0;
	double min = 1e9, max = 0, sum = 0;

	printf("MESHPING %s through the mesh\n", mac);
	for (int i = 0; i < count; i++) {
		json_t *r = probe(c, mac, 31, err);
		const char *result;

		if (r == NULL)
			return -1;
		result = row_str(r, "result");
		if (strcmp(result, "reply") == 0) {
			double ms = (double)row_int(r, "rtt_us") / 1000.0;

			printf("reply from %s: seq=%d time=%.3f ms\n", row_str(r, "responder"), i, ms);
			received++;
			sum += ms;
			min = ms < min ? ms : min;
			max = ms > max ? ms : max;
		} else {
			printf("seq=%d: %s\n", i, strcmp(result, "no_path") == 0 ? "no path (HWMP found none)" : result);
		}
		json_decref(r);
		if (i + 1 < count)
			usleep(200 * 1000);
	}
	printf("--- %s: %d sent, %d received", mac, count, received);
	if (received > 0)
		printf(", rtt min/avg/max = %.3f/%.3f/%.3f ms", min, sum / received, max);
	printf("\n");
	return received > 0 ? 0 : 1;
}

/* The effective config, fetched in pieces, pretty-printed. */
static int cmd_config(struct telemetry_client *c, char *err)
{
	char *text = NULL, params[24];
	size_t len = 0;
	long long offset = 0;
	json_t *cfg;
	json_error_t jerr;

	for (;;) {
		json_t *r;

		snprintf(params, sizeof(params), "%lld", offset);
		r = telemetry_request(c, "/meshplane/config", params, err, ERR_LEN);
		if (r == NULL || text_parts_append(r, "json", &text, &len) < 0) {
			json_decref(r);
			free(text);
			return -1;
		}
		offset = json_is_integer(json_object_get(r, "next_offset")) ? row_int(r, "next_offset") : -1;
		json_decref(r);
		if (offset < 0)
			break;
	}
	cfg = json_loads(text, 0, &jerr);
	free(text);
	if (cfg == NULL) {
		snprintf(err, ERR_LEN, "the node's config did not parse: %s", jerr.text);
		return -1;
	}
	print_json(cfg);
	json_decref(cfg);
	return 0;
}

static int cmd_reload(struct telemetry_client *c, char *err)
{
	json_t *r = telemetry_request(c, "/meshplane/reload", NULL, err, ERR_LEN);
	bool applied;

	if (r == NULL)
		return -1;
	if (json_output) {
		print_json(r);
	} else {
		char *msg = NULL;
		size_t len = 0;

		if (text_parts_append(r, "message", &msg, &len) == 0)
			printf("%s\n", msg);
		free(msg);
	}
	applied = strcmp(row_str(r, "result"), "applied") == 0;
	json_decref(r);
	return applied ? 0 : 1;
}

static int cmd_traceroute(struct telemetry_client *c, const char *mac, char *err)
{
	printf("traceroute to %s through the mesh, 16 hops max\n", mac);
	for (int ttl = 1; ttl <= 16; ttl++) {
		json_t *r = probe(c, mac, ttl, err);
		const char *result;
		bool done, no_path;

		if (r == NULL)
			return -1;
		result = row_str(r, "result");
		done = strcmp(result, "reply") == 0;
		no_path = strcmp(result, "no_path") == 0;
		if (done || strcmp(result, "ttl_exceeded") == 0)
			printf("%2d  %s  %.3f ms\n", ttl, row_str(r, "responder"), (double)row_int(r, "rtt_us") / 1000.0);
		else
			printf("%2d  * (%s)\n", ttl, result);
		json_decref(r); /* result points into r */
		if (done || no_path)
			return done ? 0 : 1;
	}
	return 1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"node", required_argument, NULL, 'n'},
		{"json", no_argument, NULL, 'j'},
		{"count", required_argument, NULL, 'c'},
		{"history", no_argument, NULL, 'H'},
		{"listen", required_argument, NULL, 'L'},
		{"path", required_argument, NULL, 'P'},
		{"format", required_argument, NULL, 'F'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct telemetry_client client;
	struct monitor_options mon = {.poll_ms = 100};
	struct topology_options topo = {0};
	const char *node = NULL, *cmd, *listen_addr = NULL;
	char err[ERR_LEN] = "";
	int c, ret, count = 4;
	bool count_given = false;

	while ((c = getopt_long(argc, argv, "n:jc:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': node = optarg; break;
		case 'c':
			count = atoi(optarg);
			if (count < 1 || count > 10000) {
				fprintf(stderr, "meshctl: --count: \"%s\" is not 1..10000\n", optarg);
				return 2;
			}
			count_given = true;
			break;
		case 'H': mon.history = true; break;
		case 'L': listen_addr = optarg; break;
		case 'P': topo.path_to = optarg; break;
		case 'F': topo.format = optarg; break;
		case 'o': topo.output = optarg; break;
		case 'j': json_output = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	cmd = argv[optind];
	if (strcmp(cmd, "info") && strcmp(cmd, "stats") && strcmp(cmd, "fdb") && strcmp(cmd, "paths") &&
	    strcmp(cmd, "peers") && strcmp(cmd, "stations") && strcmp(cmd, "ping") && strcmp(cmd, "traceroute") &&
	    strcmp(cmd, "monitor") && strcmp(cmd, "metrics") && strcmp(cmd, "topology") &&
	    strcmp(cmd, "reload") && strcmp(cmd, "config")) {
		fprintf(stderr, "meshctl: unknown command \"%s\" (see meshctl --help)\n", cmd);
		return 2;
	}
	if ((strcmp(cmd, "ping") == 0 || strcmp(cmd, "traceroute") == 0) && optind + 1 >= argc) {
		fprintf(stderr, "meshctl: %s needs the mesh address of a node (e.g. 02:00:00:00:00:03)\n", cmd);
		return 2;
	}
	if (listen_addr != NULL && strcmp(cmd, "metrics") != 0) {
		fprintf(stderr, "meshctl: --listen goes with metrics only\n");
		return 2;
	}
	if (topo.format != NULL && strcmp(topo.format, "dot") && strcmp(topo.format, "svg") && strcmp(topo.format, "png")) {
		fprintf(stderr, "meshctl: --format: \"%s\" is not one of dot, svg, png\n", topo.format);
		return 2;
	}
	if ((topo.path_to != NULL || topo.format != NULL || topo.output != NULL) && strcmp(cmd, "topology") != 0) {
		fprintf(stderr, "meshctl: --path, --format and --output go with topology only\n");
		return 2;
	}
	if (node == NULL && (node = default_node(err, sizeof(err))) == NULL) {
		fprintf(stderr, "meshctl: %s\n", err);
		return 1;
	}
	/* The server connects afresh for every scrape: the node may restart while it runs. */
	if (listen_addr != NULL) {
		if (metrics_listen(node, listen_addr, err, sizeof(err)) < 0) {
			fprintf(stderr, "meshctl: %s\n", err);
			return 1;
		}
		return 0;
	}
	if (telemetry_connect(&client, node, err, sizeof(err)) < 0) {
		fprintf(stderr, "meshctl: %s\n", err);
		return 1;
	}
	if (strcmp(cmd, "info") == 0)
		ret = cmd_info(&client, err);
	else if (strcmp(cmd, "stats") == 0)
		ret = cmd_stats(&client, optind + 1 < argc ? argv[optind + 1] : NULL, err);
	else if (strcmp(cmd, "fdb") == 0)
		ret = cmd_fdb(&client, err);
	else if (strcmp(cmd, "paths") == 0)
		ret = cmd_paths(&client, err);
	else if (strcmp(cmd, "peers") == 0)
		ret = cmd_peers(&client, err);
	else if (strcmp(cmd, "ping") == 0)
		ret = cmd_ping(&client, argv[optind + 1], count, err);
	else if (strcmp(cmd, "traceroute") == 0)
		ret = cmd_traceroute(&client, argv[optind + 1], err);
	else if (strcmp(cmd, "monitor") == 0) {
		mon.json = json_output;
		mon.max_events = count_given ? count : 0;
		ret = monitor_run(&client, &mon, err, ERR_LEN);
	} else if (strcmp(cmd, "metrics") == 0)
		ret = metrics_write(&client, stdout, err, ERR_LEN);
	else if (strcmp(cmd, "reload") == 0)
		ret = cmd_reload(&client, err);
	else if (strcmp(cmd, "config") == 0)
		ret = cmd_config(&client, err);
	else if (strcmp(cmd, "topology") == 0) {
		topo.json = json_output;
		ret = topology_write(&client, &topo, err, ERR_LEN);
	}
	else
		ret = cmd_stations(&client, err);
	telemetry_close(&client);
	if (ret < 0)
		fprintf(stderr, "meshctl: %s\n", err);
	return ret == 0 ? 0 : 1; /* ping with no reply, traceroute that did not arrive: 1 */
}
