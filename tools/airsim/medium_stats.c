/* Shape (README.md documents it):
 * {"nodes":[{"name","iface","up","rx","invalid","sent_while_down","tx","tx_errors"}...],
 *  "links":[{"a","b","up","rate_mbps","loss","delivered","dropped_loss","dropped_cut","dropped_rule",
 *            "dropped_node_down"}...],
 *  "totals":{"rx","invalid","delivered","dropped_loss","dropped_cut","dropped_node_down"}}
 * Arrays of objects rather than objects keyed by name, so names never need escaping rules. */
#include "medium_stats.h"

#include <jansson.h>
#include <math.h>

static json_t *rate_json(uint8_t rate_500kbps)
{
	double mbps = medium_rate_mbps(rate_500kbps);

	/* 54 rather than 54.0, so scripts can compare with the integer they configured. */
	return mbps == floor(mbps) ? json_integer((json_int_t)mbps) : json_real(mbps);
}

static json_t *count(uint64_t v)
{
	return json_integer((json_int_t)v);
}

char *medium_stats_json(const struct medium *m)
{
	uint64_t rx = 0, invalid = 0, delivered = 0, lost = 0, cut = 0, down = 0;
	/* json_pack's "o" takes the references even when it fails: nothing leaks when memory runs out. */
	json_t *root = json_pack("{s:o, s:o}", "nodes", json_array(), "links", json_array());
	json_t *nodes = json_object_get(root, "nodes"), *links = json_object_get(root, "links");
	char *text = NULL;

	if (root == NULL)
		return NULL;
	for (unsigned i = 0; i < m->n_nodes; i++) {
		const struct medium_node *n = &m->nodes[i];

		json_array_append_new(nodes,
				      json_pack("{s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o}", "name", n->name, "iface",
						n->iface, "up", n->up, "rx", count(n->rx), "invalid", count(n->invalid),
						"sent_while_down", count(n->sent_while_down), "tx", count(n->tx),
						"tx_errors", count(n->tx_errors)));
		rx += n->rx;
		invalid += n->invalid;
	}
	for (unsigned b = 1; b < m->n_nodes; b++)
		for (unsigned a = 0; a < b; a++) {
			const struct medium_link *l = medium_link_const(m, a, b);

			json_array_append_new(
				links, json_pack("{s:s, s:s, s:b, s:o, s:f, s:o, s:o, s:o, s:o, s:o}", "a", m->nodes[a].name,
						 "b", m->nodes[b].name, "up", l->up, "rate_mbps", rate_json(l->rate_500kbps),
						 "loss", l->loss, "delivered", count(l->delivered), "dropped_loss",
						 count(l->dropped_loss), "dropped_cut", count(l->dropped_cut),
						 "dropped_node_down", count(l->dropped_node_down), "dropped_rule",
						 count(l->dropped_rule)));
			delivered += l->delivered;
			lost += l->dropped_loss;
			cut += l->dropped_cut;
			down += l->dropped_node_down;
		}
	json_object_set_new(root, "totals",
			    json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "rx", count(rx), "invalid", count(invalid),
				      "delivered", count(delivered), "dropped_loss", count(lost), "dropped_cut",
				      count(cut), "dropped_node_down", count(down)));
	text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	return text;
}
