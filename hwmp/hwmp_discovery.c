/* Reactive path discovery as the originator: the PREQ queue (rate limited, batched up to 20 targets per
 * PREQ), retries with exponential back-off, the result callbacks, and refresh of paths in use. */
#include <string.h>

#include "hwmp_internal.h"

static struct discovery *discovery_find(const struct hwmp_engine *e, const struct mac_addr *dest)
{
	if (e->n_disc == 0)
		return NULL;
	for (uint32_t i = 0; i < e->p.max_discoveries; i++)
		if (e->disc[i].state != DISC_FREE && mac_equal(&e->disc[i].dest, dest))
			return &e->disc[i];
	return NULL;
}

static void discovery_free(struct hwmp_engine *e, struct discovery *d)
{
	d->state = DISC_FREE;
	e->n_disc--;
}

void discovery_finish(struct hwmp_engine *e, const struct mac_addr *dest, enum hwmp_discovery_result r, uint64_t now)
{
	struct discovery *d = discovery_find(e, dest);
	struct hwmp_route route;
	bool quiet;

	if (d == NULL)
		return;
	quiet = d->refresh || d->root_reg;
	discovery_free(e, d);
	if (r == HWMP_DISCOVERY_FOUND)
		e->c.discovery_ok++;
	else if (r == HWMP_DISCOVERY_VIA_GATE)
		e->c.discovery_via_gate++;
	else
		e->c.discovery_failed++;
	if (quiet || e->cb.discovery_done == NULL)
		return;
	if (r != HWMP_DISCOVERY_FAILED && hwmp_lookup(e, dest, now, &route))
		e->cb.discovery_done(e->cb.ctx, dest, r, &route);
	else
		e->cb.discovery_done(e->cb.ctx, dest, HWMP_DISCOVERY_FAILED, NULL);
}

void discovery_path_found(struct hwmp_engine *e, const struct mac_addr *dest, uint64_t now)
{
	struct discovery *d = discovery_find(e, dest);

	if (d != NULL && !d->root_reg)
		discovery_finish(e, dest, HWMP_DISCOVERY_FOUND, now);
}

void discovery_prep_received(struct hwmp_engine *e, const struct mac_addr *dest, uint64_t now)
{
	struct discovery *d = discovery_find(e, dest);

	/* A registration re-queued after a better RANN waits for its own PREP, not the old one's. */
	if (d != NULL && !(d->root_reg && d->state == DISC_QUEUED))
		discovery_finish(e, dest, HWMP_DISCOVERY_FOUND, now);
}

struct discovery *discovery_start(struct hwmp_engine *e, const struct mac_addr *dest, uint64_t now)
{
	struct discovery *d = discovery_find(e, dest);

	(void)now;
	if (d != NULL)
		return d;
	for (uint32_t i = 0; i < e->p.max_discoveries; i++) {
		if (e->disc[i].state != DISC_FREE)
			continue;
		d = &e->disc[i];
		memset(d, 0, sizeof(*d));
		d->dest = *dest;
		d->state = DISC_QUEUED;
		d->timeout_ms = e->p.min_discovery_timeout_ms;
		d->queued_seq = ++e->disc_seq;
		e->n_disc++;
		e->c.discovery_started++;
		return d;
	}
	e->c.discovery_table_full++;
	return NULL;
}

uint32_t own_sn_for_reply(struct hwmp_engine *e, uint32_t requested_sn, bool usn, uint64_t now)
{
	/* AODV's rule (RFC 3561 §6.6.1), not Linux's "+1 every net diameter traversal": the SN only moves
	 * when the originator asks for something newer than we have, i.e. after a PERR raised it. Linux's
	 * periodic bumps let a PREP that crossed a worse path first overwrite good paths with a newer SN
	 * (measured in the simulator: a few % of paths off the optimum); a stable SN lets "same SN, better
	 * metric" settle every node on its best path. Refreshes still extend lifetimes (hwmp_path.c). */
	(void)now;
	if (!usn && sn_gt(requested_sn, e->own_sn))
		e->own_sn = requested_sn;
	return e->own_sn;
}

/* Discovery gave up: a gate/root becomes the default route for a while, else the frames are dropped. */
static void discovery_give_up(struct hwmp_engine *e, struct discovery *d, uint64_t now)
{
	struct path_entry *p;

	if (d->refresh || d->root_reg) {
		discovery_finish(e, &d->dest, HWMP_DISCOVERY_FAILED, now);
		return;
	}
	if (default_gate(e, now) != NULL && (p = path_get_or_create(e, &d->dest, now)) != NULL) {
		p->via_gate_until_ms = now + e->p.active_path_timeout_ms;
		discovery_finish(e, &d->dest, HWMP_DISCOVERY_VIA_GATE, now);
		return;
	}
	discovery_finish(e, &d->dest, HWMP_DISCOVERY_FAILED, now);
}

static void handle_timeouts(struct hwmp_engine *e, uint64_t now)
{
	for (uint32_t i = 0; i < e->p.max_discoveries && e->n_disc; i++) {
		struct discovery *d = &e->disc[i];

		if (d->state != DISC_WAITING || now < d->deadline_ms)
			continue;
		if (d->retries < e->p.max_preq_retries) {
			d->retries++;
			/* Exponential back-off: 100, 200, 400, 800 ms with the defaults. */
			d->timeout_ms = d->timeout_ms > UINT32_MAX / 2 ? UINT32_MAX : d->timeout_ms * 2;
			d->state = DISC_QUEUED;
			d->queued_seq = ++e->disc_seq;
			e->c.discovery_retries++;
		} else {
			discovery_give_up(e, d, now);
		}
	}
}

/* The oldest queued discovery, or NULL. */
static struct discovery *oldest_queued(struct hwmp_engine *e)
{
	struct discovery *best = NULL;

	for (uint32_t i = 0; i < e->p.max_discoveries; i++) {
		struct discovery *d = &e->disc[i];

		if (d->state == DISC_QUEUED && (best == NULL || d->queued_seq < best->queued_seq))
			best = d;
	}
	return best;
}

static void add_target(struct hwmp_engine *e, struct hwmp_preq *preq, struct discovery *d, uint64_t now)
{
	struct hwmp_preq_target *t = &preq->targets[preq->target_count++];
	const struct path_entry *p = path_find(e, &d->dest);

	t->addr = d->dest;
	t->flags = (e->p.target_only || d->root_reg) ? HWMP_TARGET_F_TO : 0;
	if (p != NULL && (p->flags & PF_SN_VALID)) {
		/* A path whose next hop reported a higher cost asks for a newer SN: the answer under it may
		 * carry that cost (hwmp_path.c); the target raises its SN to the one asked (AODV, Linux). */
		t->sn = (p->flags & PF_COSTLIER) ? p->sn + 1 : p->sn;
	} else {
		t->sn = 0;
		t->flags |= HWMP_TARGET_F_USN;
	}
	d->state = DISC_WAITING;
	d->deadline_ms = now + d->timeout_ms;
}

/* Builds and sends one PREQ: a root registration alone (unicast towards the root), otherwise up to 20
 * broadcast targets in FIFO order that share the same AE originator address. Linux sends one target per
 * PREQ, so a burst of new destinations waits n × preq_min_interval there and one interval here. */
static void send_one_preq(struct hwmp_engine *e, uint64_t now)
{
	struct discovery *first = oldest_queued(e);
	struct mac_addr ra;
	struct hwmp_preq preq;

	memset(&preq, 0, sizeof(preq));
	memset(ra.bytes, 0xff, MAC_LEN);
	if (first->root_reg) {
		struct announcer *a = announcer_get(e, &first->dest, false);

		if (a == NULL || !a->is_root) {
			discovery_finish(e, &first->dest, HWMP_DISCOVERY_FAILED, now);
			return;
		}
		ra = a->rann_next;
		add_target(e, &preq, first, now);
		e->c.root_registrations++;
	} else {
		/* Towards peers that take only Linux's form, one target and no AE: Linux keeps only the
		 * first of several PREQs with one originator SN, so each target needs a PREQ of its own. */
		bool extended = e->cb.extended_ok == NULL || e->cb.extended_ok(e->cb.ctx, &ra);

		if (first->has_src && extended) {
			preq.flags |= HWMP_F_AE;
			preq.orig_ext = first->src_station;
		}
		while (first != NULL && preq.target_count < (extended ? HWMP_MAX_TARGETS : 1)) {
			add_target(e, &preq, first, now);
			first = NULL;
			/* Next queued one with the same AE address, oldest first. */
			for (uint32_t i = 0; i < e->p.max_discoveries; i++) {
				struct discovery *d = &e->disc[i];

				if (d->state != DISC_QUEUED || d->root_reg || d->has_src != ((preq.flags & HWMP_F_AE) != 0) ||
				    (d->has_src && !mac_equal(&d->src_station, &preq.orig_ext)))
					continue;
				if (first == NULL || d->queued_seq < first->queued_seq)
					first = d;
			}
		}
	}
	preq.ttl = e->p.element_ttl;
	preq.discovery_id = ++e->preq_id;
	preq.orig = e->self;
	preq.orig_sn = ++e->own_sn;
	preq.lifetime_tu = hwmp_ms_to_tu(e->p.active_path_timeout_ms);
	preq.metric = 0;
	send_preq(e, &ra, &preq);
	e->c.preq_tx++;
	e->c.preq_targets_tx += preq.target_count;
	e->last_preq_ms = now;
	e->preq_sent = true;
}

void discovery_tick(struct hwmp_engine *e, uint64_t now)
{
	if (e->n_disc == 0)
		return;
	handle_timeouts(e, now);
	if (e->n_disc == 0 || oldest_queued(e) == NULL)
		return;
	if (e->preq_sent && now < e->last_preq_ms + e->p.preq_min_interval_ms) {
		e->c.preq_rate_limited++;
		return;
	}
	send_one_preq(e, now);
}

uint64_t discovery_deadline(const struct hwmp_engine *e)
{
	uint64_t t = UINT64_MAX;

	if (e->n_disc == 0)
		return t;
	for (uint32_t i = 0; i < e->p.max_discoveries; i++) {
		const struct discovery *d = &e->disc[i];
		uint64_t due;

		if (d->state == DISC_WAITING)
			due = d->deadline_ms;
		else if (d->state == DISC_QUEUED)
			due = e->preq_sent ? e->last_preq_ms + e->p.preq_min_interval_ms : 0;
		else
			continue;
		if (due < t)
			t = due;
	}
	return t;
}

int hwmp_need_path_from(struct hwmp_engine *e, const struct mac_addr *dest, const struct mac_addr *src_station,
			uint64_t now)
{
	struct hwmp_route route;
	struct discovery *d;
	bool existed;
	int ret = 0;

	if (!addr_is_unicast(dest) || mac_equal(dest, &e->self) || local_proxy_has(e, dest))
		return -1;
	if (hwmp_lookup(e, dest, now, &route)) {
		/* A neighbour heard directly, or a path overheard from someone else's flood, may not be the
		 * best way: use it now and look for the best path in the background (Linux keeps it). */
		if (route.via_gate || route.path.confirmed)
			return 1;
		ret = 1;
	}
	/* The PREQ targets dest itself even for a known remote station: the node that answers with it in
	 * AE is where the station is now (it may have roamed). */
	existed = discovery_find(e, dest) != NULL;
	d = discovery_start(e, dest, now);
	if (d == NULL)
		return ret ? ret : -1;
	if (!existed && ret == 1)
		d->refresh = true;
	else if (ret == 0)
		d->refresh = false; /* data now waits for it: report the result */
	if (src_station != NULL && local_proxy_has(e, src_station)) {
		d->has_src = true;
		d->src_station = *src_station;
	}
	discovery_tick(e, now);
	return ret;
}

int hwmp_need_path(struct hwmp_engine *e, const struct mac_addr *dest, uint64_t now)
{
	return hwmp_need_path_from(e, dest, NULL, now);
}

void hwmp_path_used(struct hwmp_engine *e, const struct mac_addr *dest, uint64_t now)
{
	struct hwmp_route route;
	struct discovery *d;

	bool expiring;

	/* A station's proxy is refreshed together with the path: the PREQ targets the station. */
	if (!hwmp_lookup(e, dest, now, &route) || route.via_gate)
		return;
	expiring = route.path.expiry_ms - now <= e->p.path_refresh_time_ms;
	/* A path in use that was only overheard (someone else's flood, which stops at its target, can
	 * replace our best path with a newer SN and a worse metric) is confirmed by our own discovery. */
	if (!expiring && route.path.confirmed)
		return;
	if (discovery_find(e, dest) != NULL)
		return;
	if (!expiring) {
		/* Bounded: floods un-confirm other paths, which must not turn into a chain reaction. */
		struct path_entry *p = path_find(e, &route.path.dest);

		if (p == NULL || (p->confirm_ms != 0 && now < p->confirm_ms + e->p.path_refresh_time_ms))
			return;
		p->confirm_ms = now;
	}
	d = discovery_start(e, dest, now);
	if (d == NULL)
		return;
	d->refresh = true;
	if (expiring)
		e->c.path_refresh++;
	else
		e->c.path_confirm++;
	discovery_tick(e, now);
}
