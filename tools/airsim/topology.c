/* Topology loader. Rules (also in README.md):
 *   - "nodes" (required, 2..MEDIUM_MAX_NODES): {"name", "iface"}; names and ifaces unique.
 *   - "default" (optional): {"rate_mbps", "loss"} for every pair not listed in "links".
 *   - "full_mesh" (optional, default true): false makes unlisted pairs start cut ("restore" brings
 *     them up with the default rate and loss).
 *   - "links" (optional): {"a", "b", "rate_mbps"?, "loss"?, "up"?}, one entry per pair at most.
 * Unknown keys are errors: a typo such as "rate_mbs" would otherwise silently become a default. */
#include "errbuf.h"
#include "topology.h"

#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define WHERE_LEN 32 /* "links[<20-digit index>]" */
#define KEY_LEN (WHERE_LEN + 16) /* WHERE_LEN plus ".rate_mbps" */


static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "?";
}

/* Rejects keys of obj not in allowed (NULL-terminated): catches typos that would become defaults. */
static int check_keys(struct errbuf *e, const char *where, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *val;

	json_object_foreach(obj, key, val) {
		bool known = false;

		for (const char *const *a = allowed; *a != NULL; a++)
			known = known || strcmp(key, *a) == 0;
		if (!known)
			return errbuf_fail(e, "%s%s%.40s: unknown key", where, *where ? "." : "", key);
	}
	return 0;
}

/* Node names travel in control commands split on spaces: keep them to a safe, printable alphabet. */
static bool name_is_valid(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
			return false;
	return true;
}

static int get_string(struct errbuf *e, const char *key, json_t *v, size_t max, const char **out)
{
	if (v == NULL)
		return errbuf_fail(e, "%s: missing", key);
	if (!json_is_string(v))
		return errbuf_fail(e, "%s: expected a string, got %s", key, json_kind(v));
	if (json_string_length(v) == 0 || json_string_length(v) > max)
		return errbuf_fail(e, "%s: length %zu is out of range 1..%zu", key, json_string_length(v), max);
	if (strlen(json_string_value(v)) != json_string_length(v))
		return errbuf_fail(e, "%s: contains a NUL character", key);
	*out = json_string_value(v);
	return 0;
}

static int get_rate(struct errbuf *e, const char *key, json_t *v, uint8_t *rate)
{
	if (!json_is_number(v))
		return errbuf_fail(e, "%s: expected a number, got %s", key, json_kind(v));
	if (!medium_rate_from_mbps(json_number_value(v), rate))
		return errbuf_fail(e, "%s: %g is out of range %g..%g or not a multiple of 0.5 (radiotap Rate field)",
			    key, json_number_value(v), MEDIUM_RATE_MIN_MBPS, MEDIUM_RATE_MAX_MBPS);
	return 0;
}

static int get_loss(struct errbuf *e, const char *key, json_t *v, double *loss)
{
	double x;

	if (!json_is_number(v))
		return errbuf_fail(e, "%s: expected a number, got %s", key, json_kind(v));
	x = json_number_value(v);
	if (!(x >= 0.0 && x <= 1.0))
		return errbuf_fail(e, "%s: %g is out of range 0..1", key, x);
	*loss = x;
	return 0;
}

static int parse_nodes(struct errbuf *e, json_t *nodes, struct medium *m)
{
	static const char *const keys[] = {"name", "iface", NULL};
	char where[WHERE_LEN], key[KEY_LEN];
	size_t i;
	json_t *node;

	if (nodes == NULL)
		return errbuf_fail(e, "nodes: missing");
	if (!json_is_array(nodes))
		return errbuf_fail(e, "nodes: expected an array, got %s", json_kind(nodes));
	if (json_array_size(nodes) < 2 || json_array_size(nodes) > MEDIUM_MAX_NODES)
		return errbuf_fail(e, "nodes: %zu nodes is out of range 2..%d", json_array_size(nodes), MEDIUM_MAX_NODES);
	json_array_foreach(nodes, i, node) {
		const char *name, *iface;

		snprintf(where, sizeof(where), "nodes[%zu]", i);
		if (!json_is_object(node))
			return errbuf_fail(e, "%s: expected an object, got %s", where, json_kind(node));
		if (check_keys(e, where, node, keys) < 0)
			return -1;
		snprintf(key, sizeof(key), "%s.name", where);
		if (get_string(e, key, json_object_get(node, "name"), MEDIUM_NAME_MAX - 1, &name) < 0)
			return -1;
		if (!name_is_valid(name))
			return errbuf_fail(e, "%s: \"%s\" may use only letters, digits, '-', '_' and '.'", key, name);
		if (medium_find_node(m, name) >= 0)
			return errbuf_fail(e, "%s: \"%s\" is already used by nodes[%d]", key, name, medium_find_node(m, name));
		snprintf(key, sizeof(key), "%s.iface", where);
		if (get_string(e, key, json_object_get(node, "iface"), MEDIUM_IFACE_MAX - 1, &iface) < 0)
			return -1;
		if (!name_is_valid(iface))
			return errbuf_fail(e, "%s: \"%s\" is not an interface name", key, iface);
		for (unsigned j = 0; j < m->n_nodes; j++)
			if (strcmp(m->nodes[j].iface, iface) == 0)
				return errbuf_fail(e, "%s: \"%s\" is already used by nodes[%u]", key, iface, j);
		medium_add_node(m, name, iface);
	}
	return 0;
}

static int parse_default(struct errbuf *e, json_t *def, uint8_t *rate, double *loss)
{
	static const char *const keys[] = {"rate_mbps", "loss", NULL};
	json_t *v;

	if (def == NULL)
		return 0;
	if (!json_is_object(def))
		return errbuf_fail(e, "default: expected an object, got %s", json_kind(def));
	if (check_keys(e, "default", def, keys) < 0)
		return -1;
	if ((v = json_object_get(def, "rate_mbps")) != NULL && get_rate(e, "default.rate_mbps", v, rate) < 0)
		return -1;
	if ((v = json_object_get(def, "loss")) != NULL && get_loss(e, "default.loss", v, loss) < 0)
		return -1;
	return 0;
}

static int link_end(struct errbuf *e, const char *key, json_t *v, const struct medium *m, unsigned *idx)
{
	const char *name;
	int found;

	if (get_string(e, key, v, MEDIUM_NAME_MAX - 1, &name) < 0)
		return -1;
	found = medium_find_node(m, name);
	if (found < 0)
		return errbuf_fail(e, "%s: \"%s\" is not a node", key, name);
	*idx = (unsigned)found;
	return 0;
}

static int parse_links(struct errbuf *e, json_t *links, struct medium *m)
{
	static const char *const keys[] = {"a", "b", "rate_mbps", "loss", "up", NULL};
	/* Which pairs were listed, to reject a second entry for the same pair. */
	int listed_at[MEDIUM_MAX_LINKS];
	char where[WHERE_LEN], key[KEY_LEN];
	size_t i;
	json_t *link, *v;

	if (links == NULL)
		return 0;
	if (!json_is_array(links))
		return errbuf_fail(e, "links: expected an array, got %s", json_kind(links));
	for (size_t k = 0; k < MEDIUM_MAX_LINKS; k++)
		listed_at[k] = -1;
	json_array_foreach(links, i, link) {
		struct medium_link *l;
		unsigned a, b;
		int *seen;

		snprintf(where, sizeof(where), "links[%zu]", i);
		if (!json_is_object(link))
			return errbuf_fail(e, "%s: expected an object, got %s", where, json_kind(link));
		if (check_keys(e, where, link, keys) < 0)
			return -1;
		snprintf(key, sizeof(key), "%s.a", where);
		if (link_end(e, key, json_object_get(link, "a"), m, &a) < 0)
			return -1;
		snprintf(key, sizeof(key), "%s.b", where);
		if (link_end(e, key, json_object_get(link, "b"), m, &b) < 0)
			return -1;
		if (a == b)
			return errbuf_fail(e, "%s: a node has no link to itself", key);
		l = medium_link(m, a, b);
		seen = &listed_at[l - m->links];
		if (*seen >= 0)
			return errbuf_fail(e, "%s: the pair %s-%s is already listed in links[%d]", where, m->nodes[a].name,
				    m->nodes[b].name, *seen);
		*seen = (int)i;
		if ((v = json_object_get(link, "rate_mbps")) != NULL) {
			snprintf(key, sizeof(key), "%s.rate_mbps", where);
			if (get_rate(e, key, v, &l->rate_500kbps) < 0)
				return -1;
		}
		if ((v = json_object_get(link, "loss")) != NULL) {
			snprintf(key, sizeof(key), "%s.loss", where);
			if (get_loss(e, key, v, &l->loss) < 0)
				return -1;
		}
		/* A listed link is up unless it says otherwise, even when full_mesh is false. */
		l->up = true;
		if ((v = json_object_get(link, "up")) != NULL) {
			if (!json_is_boolean(v))
				return errbuf_fail(e, "%s.up: expected a boolean, got %s", where, json_kind(v));
			l->up = json_is_true(v);
		}
	}
	return 0;
}

static int parse_root(struct errbuf *e, json_t *root, uint64_t seed, struct medium *m)
{
	static const char *const keys[] = {"nodes", "links", "default", "full_mesh", NULL};
	uint8_t rate = TOPOLOGY_DEFAULT_RATE_500KBPS;
	double loss = TOPOLOGY_DEFAULT_LOSS;
	bool full_mesh = true;
	json_t *v;

	medium_init(m, seed);
	if (!json_is_object(root))
		return errbuf_fail(e, "top level: expected an object, got %s", json_kind(root));
	if (check_keys(e, "", root, keys) < 0)
		return -1;
	if ((v = json_object_get(root, "full_mesh")) != NULL) {
		if (!json_is_boolean(v))
			return errbuf_fail(e, "full_mesh: expected a boolean, got %s", json_kind(v));
		full_mesh = json_is_true(v);
	}
	if (parse_nodes(e, json_object_get(root, "nodes"), m) < 0)
		return -1;
	if (parse_default(e, json_object_get(root, "default"), &rate, &loss) < 0)
		return -1;
	/* Every pair starts from the default; listed links then override what they name. */
	for (unsigned b = 1; b < m->n_nodes; b++)
		for (unsigned a = 0; a < b; a++) {
			struct medium_link *l = medium_link(m, a, b);

			l->up = full_mesh;
			l->rate_500kbps = rate;
			l->loss = loss;
		}
	return parse_links(e, json_object_get(root, "links"), m);
}

int topology_parse_text(const char *text, uint64_t seed, struct medium *m, char *err, size_t errlen)
{
	struct errbuf e = {err, errlen, NULL};
	json_error_t jerr;
	json_t *root;
	int ret;

	medium_init(m, seed);
	if (text == NULL)
		return errbuf_fail(&e, "no text");
	root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return errbuf_fail(&e, "line %d column %d: %s", jerr.line, jerr.column, jerr.text);
	ret = parse_root(&e, root, seed, m);
	json_decref(root);
	return ret;
}

int topology_load_file(const char *path, uint64_t seed, struct medium *m, char *err, size_t errlen)
{
	struct errbuf e = {err, errlen, path};
	json_error_t jerr;
	json_t *root;
	int ret;

	medium_init(m, seed);
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		/* jansson reports an unreadable file at line -1; its text then carries strerror. */
		if (jerr.line < 0)
			return errbuf_fail(&e, "%s", jerr.text);
		return errbuf_fail(&e, "line %d column %d: %s", jerr.line, jerr.column, jerr.text);
	}
	ret = parse_root(&e, root, seed, m);
	json_decref(root);
	return ret;
}
