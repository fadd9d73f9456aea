/* Path errors: a queue of broken destinations sent in batches of up to 19 per PERR at most once per
 * perr_min_interval (Linux sends one destination per PERR and drops the rest inside the interval), and
 * PERR reception (invalidate when the transmitter is our next hop, then propagate). */
#include <string.h>

#include "hwmp_internal.h"

void perr_queue(struct hwmp_engine *e, const struct mac_addr *dest, uint32_t sn, uint16_t reason, uint8_t ttl,
		uint64_t now)
{
	(void)now;
	for (uint32_t i = 0; i < e->n_perr; i++) {
		struct perr_pending *q = &e->perr[i];

		if (mac_equal(&q->dest, dest)) {
			if (sn == 0 || sn_gt(sn, q->sn))
				q->sn = sn;
			if (ttl > q->ttl)
				q->ttl = ttl;
			q->reason = reason;
			return;
		}
	}
	if (e->n_perr >= e->p.max_pending_perr) {
		e->c.perr_dropped_queue_full++;
		return;
	}
	e->perr[e->n_perr++] = (struct perr_pending){.dest = *dest, .sn = sn, .reason = reason, .ttl = ttl};
}

uint64_t perr_deadline(const struct hwmp_engine *e)
{
	if (e->n_perr == 0)
		return UINT64_MAX;
	return e->perr_sent ? e->last_perr_ms + e->p.perr_min_interval_ms : 0;
}

void perr_tick(struct hwmp_engine *e, uint64_t now)
{
	struct hwmp_perr perr;
	uint8_t buf[2 + 255];
	struct mac_addr bcast;
	uint32_t n;
	int len;

	if (e->n_perr == 0 || now < perr_deadline(e))
		return;
	memset(&perr, 0, sizeof(perr));
	n = e->n_perr < HWMP_MAX_PERR_DESTS ? e->n_perr : HWMP_MAX_PERR_DESTS;
	for (uint32_t i = 0; i < n; i++) {
		struct hwmp_perr_dest *d = &perr.dests[i];

		d->addr = e->perr[i].dest;
		d->sn = e->perr[i].sn;
		d->reason = e->perr[i].reason;
		if (e->perr[i].ttl > perr.ttl)
			perr.ttl = e->perr[i].ttl;
	}
	perr.dest_count = (uint8_t)n;
	e->n_perr -= n;
	memmove(e->perr, e->perr + n, sizeof(*e->perr) * e->n_perr);
	len = hwmp_perr_encode(buf, sizeof(buf), &perr);
	if (len < 0)
		return;
	/* Broadcast, not unicast to known precursors: every node that heard a PREQ we forwarded may route
	 * through us without our knowing, and receivers keep only the destinations routed via us. */
	memset(bcast.bytes, 0xff, MAC_LEN);
	if (e->cb.send)
		e->cb.send(e->cb.ctx, &bcast, buf, (size_t)len);
	e->c.perr_tx++;
	e->c.perr_dests_tx += n;
	e->last_perr_ms = now;
	e->perr_sent = true;
}

int perr_rx(struct hwmp_engine *e, const struct mac_addr *ta, const uint8_t *body, size_t len, uint64_t now)
{
	struct hwmp_perr perr;
	int ret = hwmp_perr_decode(body, len, &perr);

	if (ret < 0) {
		e->c.rejected_malformed++;
		return ret;
	}
	if (perr.ttl == 0) {
		e->c.rejected_bad_ttl++;
		return -1;
	}
	for (unsigned i = 0; i < perr.dest_count; i++)
		if (!addr_is_unicast(&perr.dests[i].addr)) {
			e->c.rejected_bad_address++;
			return -1;
		}
	e->c.perr_rx++;
	for (unsigned i = 0; i < perr.dest_count; i++) {
		const struct hwmp_perr_dest *d = &perr.dests[i];
		struct path_entry *p = path_find(e, &d->addr);

		/* Linux's rule: only a path through the reporter, and only with a newer SN (or none). */
		if (p == NULL || !path_is_active(p, now) || !mac_equal(&p->next_hop, ta))
			continue;
		if ((p->flags & PF_SN_VALID) && d->sn != 0 && !sn_gt(d->sn, p->sn))
			continue;
		if (d->sn != 0) {
			p->sn = d->sn;
			p->flags |= PF_SN_VALID;
		}
		path_invalidate(e, p, now);
		e->c.perr_dests_invalidated++;
		if (perr.ttl > 1)
			perr_queue(e, &d->addr, d->sn, d->reason, (uint8_t)(perr.ttl - 1), now);
	}
	perr_tick(e, now);
	return 0;
}

void hwmp_neighbour_lost(struct hwmp_engine *e, const struct mac_addr *neighbour, uint64_t now)
{
	e->c.neighbour_lost++;
	/* An offer held from the lost neighbour would install a path through it when its hold ends. */
	path_holds_drop_via(e, neighbour);
	for (uint32_t s = 0; s < e->paths.capacity; s++) {
		struct path_entry *p;

		if (!hwmp_table_in_use(&e->paths, s))
			continue;
		p = hwmp_table_record(&e->paths, s);
		if (!(p->flags & PF_ACTIVE) || !mac_equal(&p->next_hop, neighbour))
			continue;
		if (!path_is_active(p, now)) {
			/* Expired but not swept yet: the dataplane still holds it, so withdraw it now rather
			 * than forward through a neighbour known to be gone until the next sweep. */
			path_invalidate(e, p, now);
			continue;
		}
		/* Raise the SN (as Linux does) so that receivers accept the PERR and no stale copy of the broken
		 * path is taken back later. */
		if (p->flags & PF_SN_VALID)
			p->sn++;
		path_invalidate(e, p, now);
		perr_queue(e, &p->dest, (p->flags & PF_SN_VALID) ? p->sn : 0, HWMP_REASON_DEST_UNREACHABLE,
			   e->p.element_ttl, now);
	}
	for (unsigned i = 0; i < HWMP_MAX_ANNOUNCERS; i++)
		if (e->ann[i].used && mac_equal(&e->ann[i].rann_next, neighbour))
			e->ann[i].rann_metric = HWMP_METRIC_INFINITE;
	perr_tick(e, now);
}

void hwmp_forward_failed(struct hwmp_engine *e, const struct mac_addr *dest, uint64_t now)
{
	struct path_entry *p = path_find(e, dest);
	uint32_t sn = 0;

	if (!addr_is_unicast(dest))
		return;
	if (p != NULL && (p->flags & PF_SN_VALID)) {
		p->sn++;
		sn = p->sn;
	}
	if (p != NULL)
		path_invalidate(e, p, now);
	perr_queue(e, dest, sn, HWMP_REASON_NO_FORWARDING_INFO, e->p.element_ttl, now);
	perr_tick(e, now);
}
