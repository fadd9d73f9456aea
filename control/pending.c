#include "pending.h"

#include <string.h>

#include <rte_malloc.h>

struct pending_dest {
	struct mac_addr dest;
	uint16_t n;
	uint64_t since_ms;
	struct rte_mbuf **frames; /* per_dest slots */
};

struct pending_store {
	uint32_t n_dests;   /* destinations in use: dests[0..n_dests) */
	uint32_t max_dests;
	uint16_t per_dest;
	uint32_t held;
	struct pending_dest *dests;
	struct rte_mbuf **slots;
};

struct pending_store *pending_create(uint32_t n_dests, uint16_t per_dest)
{
	struct pending_store *s = rte_zmalloc("pending", sizeof(*s), 0);

	if (s == NULL)
		return NULL;
	s->max_dests = n_dests;
	s->per_dest = per_dest;
	s->dests = rte_zmalloc("pending_dests", (n_dests + 1) * sizeof(*s->dests), 0);
	s->slots = rte_zmalloc("pending_slots", ((size_t)n_dests * per_dest + 1) * sizeof(*s->slots), 0);
	if (s->dests == NULL || s->slots == NULL) {
		pending_free(s);
		return NULL;
	}
	for (uint32_t i = 0; i < n_dests; i++)
		s->dests[i].frames = s->slots + (size_t)i * per_dest;
	return s;
}

void pending_free(struct pending_store *s)
{
	if (s == NULL)
		return;
	for (uint32_t i = 0; s->dests != NULL && i < s->n_dests; i++)
		rte_pktmbuf_free_bulk(s->dests[i].frames, s->dests[i].n);
	rte_free(s->dests);
	rte_free(s->slots);
	rte_free(s);
}

bool pending_hold(struct pending_store *s, const struct mac_addr *dest, struct rte_mbuf *m, uint64_t now_ms)
{
	struct pending_dest *d = NULL;

	for (uint32_t i = 0; i < s->n_dests; i++) {
		if (mac_equal(&s->dests[i].dest, dest)) {
			d = &s->dests[i];
			break;
		}
	}
	if (d == NULL) {
		if (s->n_dests == s->max_dests || s->per_dest == 0)
			return false;
		d = &s->dests[s->n_dests++];
		d->dest = *dest;
		d->n = 0;
		d->since_ms = now_ms;
	}
	if (d->n == s->per_dest)
		return false;
	d->frames[d->n++] = m;
	s->held++;
	return true;
}

/* Removes destination i by copying the last one into its place; every index keeps its own slots. */
static void remove_dest(struct pending_store *s, uint32_t i)
{
	struct pending_dest *last = &s->dests[s->n_dests - 1];
	struct pending_dest *d = &s->dests[i];

	if (d != last) {
		memcpy(d->frames, last->frames, last->n * sizeof(*d->frames));
		d->dest = last->dest;
		d->n = last->n;
		d->since_ms = last->since_ms;
	}
	last->n = 0;
	s->n_dests--;
}

void pending_scan(struct pending_store *s, uint64_t now_ms, uint64_t timeout_ms,
		  bool (*resolved)(const struct mac_addr *dest), void (*release)(struct rte_mbuf *m),
		  void (*expire)(struct rte_mbuf *m))
{
	uint32_t i = 0;

	while (i < s->n_dests) {
		struct pending_dest *d = &s->dests[i];
		void (*out)(struct rte_mbuf *m) = NULL;

		if (resolved(&d->dest))
			out = release;
		else if (now_ms - d->since_ms >= timeout_ms)
			out = expire;
		if (out == NULL) {
			i++;
			continue;
		}
		for (uint16_t k = 0; k < d->n; k++)
			out(d->frames[k]);
		s->held -= d->n;
		d->n = 0;
		remove_dest(s, i);
	}
}

uint32_t pending_drop(struct pending_store *s, const struct mac_addr *dest, void (*drop)(struct rte_mbuf *m))
{
	for (uint32_t i = 0; i < s->n_dests; i++) {
		struct pending_dest *d = &s->dests[i];
		uint32_t n = d->n;

		if (!mac_equal(&d->dest, dest))
			continue;
		for (uint16_t k = 0; k < d->n; k++)
			drop(d->frames[k]);
		s->held -= d->n;
		d->n = 0;
		remove_dest(s, i);
		return n;
	}
	return 0;
}

uint32_t pending_count(const struct pending_store *s)
{
	return s->held;
}
