#include "topology.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "rows.h"

#define HOPS_MAX 16

static bool is_kind(json_t *row, const char *kind)
{
	return strcmp(row_str(row, "kind"), kind) == 0;
}

/* The node row of mac, or NULL when mac announced nothing we heard. */
static json_t *node_row(json_t *rows, const char *mac)
{
	size_t i;
	json_t *r;

	json_array_foreach(rows, i, r)
		if (is_kind(r, "node") && strcmp(row_str(r, "node"), mac) == 0)
			return r;
	return NULL;
}

/* The metric mac announced towards peer, or -1. */
static long long announced_metric(json_t *rows, const char *mac, const char *peer)
{
	size_t i;
	json_t *r;

	json_array_foreach(rows, i, r)
		if (is_kind(r, "link") && strcmp(row_str(r, "node"), mac) == 0 && strcmp(row_str(r, "peer"), peer) == 0)
			return row_int(r, "metric");
	return -1;
}

/* Every mesh node named by a row, once, in the order they appear. */
static void collect_nodes(json_t *rows, json_t *nodes)
{
	size_t i;
	json_t *r;

	json_array_foreach(rows, i, r) {
		if (is_kind(r, "station"))
			continue;
		json_object_set_new(nodes, row_str(r, "node"), json_true());
		if (is_kind(r, "link"))
			json_object_set_new(nodes, row_str(r, "peer"), json_true());
	}
}

/* An edge set is a JSON object keyed "A|B" with A < B: a link is drawn once whichever end announced it. */
static void edge_key(const char *a, const char *b, char *key, size_t len)
{
	if (strcmp(a, b) < 0)
		snprintf(key, len, "%s|%s", a, b);
	else
		snprintf(key, len, "%s|%s", b, a);
}

/* The hops of the route to dest, this node first, traced with TTL-limited mesh echoes. */
static int trace_route(struct telemetry_client *c, const char *self, const char *dest, json_t *route, char *err,
		       size_t errlen)
{
	json_array_append_new(route, json_string(self));
	for (int ttl = 1; ttl <= HOPS_MAX; ttl++) {
		char params[40];
		json_t *r;
		bool done;

		snprintf(params, sizeof(params), "%s,%d", dest, ttl);
		r = telemetry_request(c, "/meshplane/probe", params, err, errlen);
		if (r == NULL)
			return -1;
		done = strcmp(row_str(r, "result"), "reply") == 0;
		if (!done && strcmp(row_str(r, "result"), "ttl_exceeded") != 0) {
			snprintf(err, errlen, "--path %s: hop %d did not answer (%s)", dest, ttl, row_str(r, "result"));
			json_decref(r);
			return -1;
		}
		json_array_append_new(route, json_string(row_str(r, "responder")));
		json_decref(r);
		if (done)
			return 0;
	}
	snprintf(err, errlen, "--path %s: not reached in %d hops", dest, HOPS_MAX);
	return -1;
}

static void write_dot(FILE *out, json_t *rows, json_t *paths, json_t *route)
{
	json_t *nodes = json_object(), *drawn = json_object(), *on_route = json_object(), *next_hops = json_object();
	const char *self = "", *mac;
	json_t *r, *v;
	size_t i;

	json_array_foreach(rows, i, r)
		if (is_kind(r, "node") && row_int(r, "self"))
			self = row_str(r, "node");
	json_array_foreach(paths, i, r)
		json_object_set_new(next_hops, row_str(r, "next_hop"), json_true());
	for (i = 0; route != NULL && i + 1 < json_array_size(route); i++) {
		char key[40];

		edge_key(json_string_value(json_array_get(route, i)), json_string_value(json_array_get(route, i + 1)),
			 key, sizeof(key));
		json_object_set_new(on_route, key, json_true());
	}
	collect_nodes(rows, nodes);
	fprintf(out, "// meshctl topology of %s: each link once, each end labelled with the airtime metric it\n"
		     "// announced towards the other (? where that end announced nothing we heard).\n"
		     "graph mesh {\n"
		     "  graph [overlap=false, splines=true, fontname=\"sans\"];\n"
		     "  node [fontname=\"sans\", fontsize=10, shape=ellipse];\n"
		     "  edge [fontname=\"sans\", fontsize=9];\n",
		self);
	json_object_foreach(nodes, mac, v) {
		json_t *n = node_row(rows, mac);
		bool is_self = strcmp(mac, self) == 0, gate = n != NULL && row_int(n, "gate");

		const char *name = n != NULL ? row_str(n, "name") : "";

		fprintf(out, "  \"%s\" [label=\"%s%s%s%s%s\"%s%s%s];\n", mac, name, *name ? "\\n" : "", mac,
			gate ? "\\ngate" : "",
			n == NULL ? "\\n(no announcement)" : "", gate ? ", shape=box" : "",
			is_self ? ", style=filled, fillcolor=lightblue" : n == NULL ? ", style=dashed" : "",
			n != NULL && row_int(n, "truncated") ? ", color=orange" : "");
	}
	json_array_foreach(rows, i, r) {
		const char *a = row_str(r, "node"), *b;
		long long ab, ba;
		char key[40], m_ab[24], m_ba[24];
		bool route_edge, own_path;

		if (!is_kind(r, "link"))
			continue;
		b = row_str(r, "peer");
		edge_key(a, b, key, sizeof(key));
		if (json_object_get(drawn, key) != NULL)
			continue;
		json_object_set_new(drawn, key, json_true());
		ab = announced_metric(rows, a, b);
		ba = announced_metric(rows, b, a);
		snprintf(m_ab, sizeof(m_ab), ab < 0 ? "?" : "%lld", ab);
		snprintf(m_ba, sizeof(m_ba), ba < 0 ? "?" : "%lld", ba);
		route_edge = json_object_get(on_route, key) != NULL;
		own_path = (strcmp(a, self) == 0 && json_object_get(next_hops, b) != NULL) ||
			   (strcmp(b, self) == 0 && json_object_get(next_hops, a) != NULL);
		fprintf(out, "  \"%s\" -- \"%s\" [taillabel=\"%s\", headlabel=\"%s\"%s];\n", a, b, m_ab, m_ba,
			route_edge ? ", color=red, penwidth=3" : own_path ? ", penwidth=2" : "");
	}
	json_array_foreach(rows, i, r) {
		if (!is_kind(r, "station"))
			continue;
		fprintf(out, "  \"%s\" [shape=plaintext, fontsize=8, label=\"%s\\nstation\"];\n", row_str(r, "station"),
			row_str(r, "station"));
		fprintf(out, "  \"%s\" -- \"%s\" [style=dotted];\n", row_str(r, "node"), row_str(r, "station"));
	}
	fprintf(out, "}\n");
	json_decref(nodes);
	json_decref(drawn);
	json_decref(on_route);
	json_decref(next_hops);
}

/* Runs graphviz's dot on the DOT text into the output (a file or standard output). */
static int render(const char *dot_text, const struct topology_options *o, char *err, size_t errlen)
{
	char cmd[1200];
	FILE *p;
	int status;

	if (system("command -v dot >/dev/null 2>&1") != 0) {
		snprintf(err, errlen, "--format %s needs graphviz's dot (apt-get install graphviz); --format dot "
				      "writes the DOT text",
			 o->format);
		return -1;
	}
	if (o->output != NULL && strchr(o->output, '\'') != NULL) {
		snprintf(err, errlen, "--output: a file name with a quote is not supported");
		return -1;
	}
	if (o->output != NULL)
		snprintf(cmd, sizeof(cmd), "dot -T%s -o '%s'", o->format, o->output);
	else
		snprintf(cmd, sizeof(cmd), "dot -T%s", o->format);
	p = popen(cmd, "w");
	if (p == NULL) {
		snprintf(err, errlen, "cannot run dot");
		return -1;
	}
	fputs(dot_text, p);
	status = pclose(p);
	if (status != 0) {
		snprintf(err, errlen, "dot -T%s failed (status %d)", o->format, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	return 0;
}

int topology_write(struct telemetry_client *c, const struct topology_options *o, char *err, size_t errlen)
{
	const char *format = o->format != NULL ? o->format : "dot";
	json_t *rows, *paths = NULL, *route = NULL;
	char *text = NULL;
	size_t text_len = 0;
	FILE *out;
	int ret = -1;

	if (strcmp(format, "dot") && strcmp(format, "svg") && strcmp(format, "png")) {
		snprintf(err, errlen, "--format: \"%s\" is not one of dot, svg, png", format);
		return -1;
	}
	rows = fetch_all_rows(c, "/meshplane/topology", err, errlen);
	if (rows == NULL)
		return -1;
	if (o->json) {
		json_dumpf(rows, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(rows);
		return 0;
	}
	paths = fetch_all_rows(c, "/meshplane/paths", err, errlen);
	if (paths == NULL)
		goto out;
	if (o->path_to != NULL) {
		json_t *r;
		const char *self = "";
		size_t i;

		json_array_foreach(rows, i, r)
			if (is_kind(r, "node") && row_int(r, "self"))
				self = row_str(r, "node");
		route = json_array();
		if (trace_route(c, self, o->path_to, route, err, errlen) < 0)
			goto out;
	}
	out = open_memstream(&text, &text_len);
	if (out == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	write_dot(out, rows, paths, route);
	fclose(out);
	if (strcmp(format, "dot") == 0) {
		FILE *f = o->output != NULL ? fopen(o->output, "w") : stdout;

		if (f == NULL) {
			snprintf(err, errlen, "--output %s: cannot open it for writing", o->output);
			goto out;
		}
		fputs(text, f);
		ret = (f != stdout ? fclose(f) : fflush(f)) == 0 ? 0 : -1;
		if (ret < 0)
			snprintf(err, errlen, "cannot write the DOT text");
	} else {
		ret = render(text, &(struct topology_options){.format = format, .output = o->output}, err, errlen);
	}
out:
	free(text);
	json_decref(rows);
	json_decref(paths);
	json_decref(route);
	return ret;
}
