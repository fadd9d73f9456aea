#include "medium.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void medium_init(struct medium *m, uint64_t seed)
{
	memset(m, 0, sizeof(*m));
	prng_seed(&m->prng, seed);
}

int medium_add_node(struct medium *m, const char *name, const char *iface)
{
	struct medium_node *n;

	if (m->n_nodes >= MEDIUM_MAX_NODES)
		return -1;
	n = &m->nodes[m->n_nodes];
	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s", name);
	snprintf(n->iface, sizeof(n->iface), "%s", iface);
	n->up = true;
	return (int)m->n_nodes++;
}

int medium_find_node(const struct medium *m, const char *name)
{
	for (unsigned i = 0; i < m->n_nodes; i++)
		if (strcmp(m->nodes[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Triangular packing: pair (lo, hi) with lo < hi lives at hi*(hi-1)/2 + lo, so the table has no
 * unused diagonal and one entry per undirected link. */
static unsigned link_index(unsigned a, unsigned b)
{
	unsigned lo = a < b ? a : b, hi = a < b ? b : a;

	return hi * (hi - 1) / 2 + lo;
}

struct medium_link *medium_link(struct medium *m, unsigned a, unsigned b)
{
	return &m->links[link_index(a, b)];
}

const struct medium_link *medium_link_const(const struct medium *m, unsigned a, unsigned b)
{
	return &m->links[link_index(a, b)];
}

enum medium_verdict medium_decide(struct medium *m, unsigned from, unsigned to)
{
	struct medium_link *l = medium_link(m, from, to);

	/* Cut before node state: a cut link says nothing about the radios at either end. */
	if (!l->up) {
		l->dropped_cut++;
		return MEDIUM_DROP_CUT;
	}
	if (!m->nodes[from].up || !m->nodes[to].up) {
		l->dropped_node_down++;
		return MEDIUM_DROP_NODE_DOWN;
	}
	/* Draw only on lossy links: a loss-free lab then consumes no random numbers and behaves the same
	 * whatever the seed. */
	if (l->loss > 0.0 && prng_unit(&m->prng) < l->loss) {
		l->dropped_loss++;
		return MEDIUM_DROP_LOSS;
	}
	l->delivered++;
	m->nodes[to].tx++;
	return MEDIUM_DELIVER;
}

bool medium_rule_drops(struct medium *m, unsigned from, unsigned to, const uint8_t *frame, size_t len)
{
	/* Action (0xd0), unprotected, to an individual address, category Self-protected (15), action Open (1). */
	if (m->drop_opens[from][to] == 0 || len < 26 || frame[0] != 0xd0 || (frame[1] & 0x40) || (frame[4] & 1) ||
	    frame[24] != 15 || frame[25] != 1)
		return false;
	m->drop_opens[from][to]--;
	medium_link(m, from, to)->dropped_rule++;
	return true;
}

bool medium_rate_from_mbps(double mbps, uint8_t *rate_500kbps)
{
	double units = mbps * 2.0;

	if (!(mbps >= MEDIUM_RATE_MIN_MBPS && mbps <= MEDIUM_RATE_MAX_MBPS))
		return false; /* also rejects NaN */
	if (units != floor(units))
		return false;
	*rate_500kbps = (uint8_t)units;
	return true;
}

double medium_rate_mbps(uint8_t rate_500kbps)
{
	return rate_500kbps / 2.0;
}

const char *medium_verdict_name(enum medium_verdict v)
{
	switch (v) {
	case MEDIUM_DELIVER:
		return "deliver";
	case MEDIUM_DROP_CUT:
		return "cut";
	case MEDIUM_DROP_NODE_DOWN:
		return "node-down";
	case MEDIUM_DROP_LOSS:
		return "loss";
	}
	return "?";
}
