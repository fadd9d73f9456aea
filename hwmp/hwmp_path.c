/* The path table: HWMP acceptance rules, invalidation, expiry. */
#include <string.h>

#include "hwmp_internal.h"

struct path_entry *path_find(const struct hwmp_engine *e, const struct mac_addr *dest)
{
	uint32_t slot = hwmp_table_find(&e->paths, dest);

	return slot == HWMP_TABLE_NONE ? NULL : hwmp_table_record(&e->paths, slot);
}

bool path_is_active(const struct path_entry *p, uint64_t now)
{
	return (p->flags & PF_ACTIVE) && now < p->expiry_ms;
}

void path_info(const struct path_entry *p, struct hwmp_path_info *out)
{
	memset(out, 0, sizeof(*out)); /* padding too: callers compare dumps with memcmp */
	out->dest = p->dest;
	out->next_hop = p->next_hop;
	out->metric = p->metric;
	out->sn = p->sn;
	out->hop_count = p->hop_count;
	out->sn_valid = (p->flags & PF_SN_VALID) != 0;
	out->is_root = (p->flags & PF_ROOT) != 0;
	out->is_gate = (p->flags & PF_GATE) != 0;
	out->expiry_ms = p->expiry_ms;
	out->changes = p->changes;
	out->confirmed = (p->flags & (PF_SN_VALID | PF_FROM_FLOOD)) == PF_SN_VALID;
}

/* When full, the inactive entry that expired first makes room: it only remembers an SN. Active paths
 * and running discoveries are never evicted (a flood of PREQs must not erase the paths in use). */
static bool evict_one(struct hwmp_engine *e, uint64_t now)
{
	uint32_t victim = HWMP_TABLE_NONE;
	uint64_t oldest = UINT64_MAX;

	for (uint32_t s = 0; s < e->paths.capacity; s++) {
		struct path_entry *p;

		if (!hwmp_table_in_use(&e->paths, s))
			continue;
		p = hwmp_table_record(&e->paths, s);
		if (path_is_active(p, now) || p->via_gate_until_ms > now)
			continue;
		if (p->expiry_ms < oldest) {
			oldest = p->expiry_ms;
			victim = s;
		}
	}
	if (victim == HWMP_TABLE_NONE)
		return false;
	hwmp_table_remove(&e->paths, victim);
	return true;
}

struct path_entry *path_get_or_create(struct hwmp_engine *e, const struct mac_addr *dest, uint64_t now)
{
	uint32_t slot = hwmp_table_find(&e->paths, dest);

	if (slot != HWMP_TABLE_NONE)
		return hwmp_table_record(&e->paths, slot);
	slot = hwmp_table_insert(&e->paths, dest);
	if (slot == HWMP_TABLE_NONE && evict_one(e, now))
		slot = hwmp_table_insert(&e->paths, dest);
	if (slot == HWMP_TABLE_NONE) {
		e->c.path_table_full++;
		return NULL;
	}
	return hwmp_table_record(&e->paths, slot);
}

/* Linux's is_metric_better: switching next hop needs the new metric to be pct % better. */
static bool better_enough(uint32_t new_metric, uint32_t old_metric, uint32_t pct)
{
	if (new_metric >= old_metric)
		return false;
	return (uint64_t)new_metric * 100 < (uint64_t)old_metric * (100 - (pct > 99 ? 99 : pct));
}

/* Installs the offer into p (acceptance already decided). */
static struct path_entry *path_apply(struct hwmp_engine *e, struct path_entry *p, const struct mac_addr *next_hop,
				     uint32_t metric, uint32_t sn, bool sn_valid, uint8_t hop_count, uint32_t lifetime_ms,
				     uint64_t now)
{
	if (!mac_is_zero(&p->next_hop) && !mac_equal(&p->next_hop, next_hop))
		p->changes++;
	p->next_hop = *next_hop;
	p->metric = metric;
	p->hop_count = hop_count;
	if (sn_valid) {
		p->sn = sn;
		p->flags |= PF_SN_VALID;
	}
	p->flags |= PF_ACTIVE;
	p->flags &= (uint8_t)~PF_COSTLIER;
	p->expiry_ms = now + lifetime_ms;
	p->via_gate_until_ms = 0;
	p->hold.used = false;
	p->missed = false;
	e->c.path_installed++;
	if (e->cb.path_install) {
		struct hwmp_path_info info;

		path_info(p, &info);
		e->cb.path_install(e->cb.ctx, &info);
	}
	discovery_path_found(e, &p->dest, now);
	return p;
}

/* A flood's copies race: a newer SN reaches us first through whichever route is faster at that
 * moment, and taking it at once moves the path between equal routes on every refresh (the flapping
 * OpenWrt users see as path_change_count in the thousands). So a newer SN from another next hop that
 * is not clearly better waits up to next_hop_hold_ms for the current next hop's copy of the same
 * flood, which is then compared on equal terms. Only offers a neighbour really made are ever taken
 * (late, at worst), so the acceptance rules, and loop freedom, are those of HWMP. */
static bool hold_offer(struct hwmp_engine *e, struct path_entry *p, const struct mac_addr *next_hop, uint32_t metric,
		       uint32_t sn, uint8_t hop_count, uint32_t lifetime_ms, uint64_t now)
{
	struct path_hold *h = &p->hold;

	if (h->used && sn == h->sn && metric >= h->metric)
		return true; /* a worse copy of what we hold already */
	if (!h->used) {
		if (e->n_holds == HWMP_MAX_HOLDS)
			return false;
		memset(&e->holds[e->n_holds], 0, sizeof(e->holds[0]));
		e->holds[e->n_holds++].dest = p->dest;
		h->deadline_ms = now + e->p.next_hop_hold_ms;
	} else if (sn_gt(sn, h->sn)) {
		h->deadline_ms = now + e->p.next_hop_hold_ms;
	}
	h->used = true;
	h->next_hop = *next_hop;
	h->metric = metric;
	h->sn = sn;
	h->hop_count = hop_count;
	h->lifetime_ms = lifetime_ms;
	e->c.path_offers_held++;
	return true;
}

static struct hold_slot *hold_slot(struct hwmp_engine *e, const struct mac_addr *dest)
{
	for (uint32_t i = 0; i < e->n_holds; i++)
		if (mac_equal(&e->holds[i].dest, dest))
			return &e->holds[i];
	return NULL;
}

static void hold_forget(struct hwmp_engine *e, const struct mac_addr *dest)
{
	struct hold_slot *s = hold_slot(e, dest);

	if (s != NULL)
		*s = e->holds[--e->n_holds];
}

void path_hold_keep_preq(struct hwmp_engine *e, const struct mac_addr *dest, const struct mac_addr *ta,
			 uint32_t link_metric, const uint8_t *body, size_t len)
{
	struct hold_slot *s = hold_slot(e, dest);

	if (s == NULL || len > sizeof(s->body))
		return;
	s->ta = *ta;
	s->link_metric = link_metric;
	s->len = (uint8_t)len;
	memcpy(s->body, body, len);
}

struct path_entry *path_offer(struct hwmp_engine *e, const struct mac_addr *dest, const struct mac_addr *next_hop,
			      uint32_t metric, uint32_t sn, bool sn_valid, uint8_t hop_count, uint32_t lifetime_ms,
			      bool flood, uint64_t now)
{
	struct path_entry *p = path_find(e, dest);

	if (mac_equal(dest, &e->self))
		return NULL;
	if (p != NULL) {
		bool active = path_is_active(p, now);
		bool same_hop = mac_equal(next_hop, &p->next_hop);

		if (sn_valid && (p->flags & PF_SN_VALID)) {
			/* An older SN is stale for an active path, and for a path broken less than two net
			 * diameter traversals ago: the copies of floods from before the break are still in
			 * the air then, and taking them back would revive the broken path. Later, older
			 * information is accepted as Linux does: a node whose SN was raised by others (it
			 * never hears about it) must still be reachable. */
			if (sn_gt(p->sn, sn) &&
			    (active || now < p->expiry_ms + 2 * (uint64_t)e->p.net_diameter_traversal_ms))
				goto stale;
			/* Same SN: the same next hop may confirm its metric (a refresh that extends the lifetime;
			 * a neighbour forwards a flood only on improvement, so this is never a duplicate), another
			 * next hop must be better. */
			if (sn == p->sn && active) {
				if (same_hop && metric > p->metric) {
					/* The same route, costlier now (a link's loss rose). Under one SN a
					 * stored metric must never rise: a node upstream still advertising the
					 * old cost would then look better and could be taken, a loop. Rejecting
					 * it let the path expire after every small rise, and the first copy of
					 * the next flood then chose between equal routes at random. So the
					 * lifetime is extended, the metric kept, and our next discovery for
					 * this path asks the target for a newer SN, which brings the real cost. */
					if (now + lifetime_ms > p->expiry_ms)
						p->expiry_ms = now + lifetime_ms;
					p->flags |= PF_COSTLIER;
					e->c.path_refresh_costlier++;
					return NULL;
				}
				if (!same_hop && !better_enough(metric, p->metric, e->p.switch_hysteresis_pct))
					goto stale;
			}
			if (sn_gt(sn, p->sn) && active && flood && !same_hop && e->p.next_hop_hold_ms > 0 &&
			    !better_enough(metric, p->metric, e->p.switch_hysteresis_pct) &&
			    hold_offer(e, p, next_hop, metric, sn, hop_count, lifetime_ms, now))
				return NULL;
			/* The current next hop's copy arrived: the held offer wins only if clearly better. */
			if (p->hold.used && same_hop && !sn_gt(p->hold.sn, sn)) {
				struct path_hold h = p->hold;

				hold_forget(e, dest);
				if (h.sn == sn && better_enough(h.metric, metric, e->p.switch_hysteresis_pct))
					return path_apply(e, p, &h.next_hop, h.metric, h.sn, true, h.hop_count, h.lifetime_ms,
							  now);
			}
		} else if (!sn_valid && active && p->metric <= metric) {
			/* A neighbour heard directly replaces a path only when the link is better (not counted:
			 * every frame from a neighbour offers this). */
			return NULL;
		}
	} else {
		p = path_get_or_create(e, dest, now);
		if (p == NULL)
			return NULL;
		memset(&p->next_hop, 0, sizeof(p->next_hop)); /* a new entry: its first next hop is no change */
	}
	if (p->hold.used)
		hold_forget(e, dest);
	return path_apply(e, p, next_hop, metric, sn, sn_valid, hop_count, lifetime_ms, now);
stale:
	e->c.info_rejected_stale++;
	return NULL;
}

void path_holds_drop_via(struct hwmp_engine *e, const struct mac_addr *neighbour)
{
	for (uint32_t i = 0; i < e->n_holds;) {
		struct path_entry *p = path_find(e, &e->holds[i].dest);

		if (p != NULL && p->hold.used && !mac_equal(&p->hold.next_hop, neighbour)) {
			i++;
			continue;
		}
		if (p != NULL)
			p->hold.used = false;
		e->holds[i] = e->holds[--e->n_holds];
	}
}

void path_holds_tick(struct hwmp_engine *e, uint64_t now)
{
	for (uint32_t i = 0; i < e->n_holds;) {
		struct path_entry *p = path_find(e, &e->holds[i].dest);
		struct hold_slot slot;
		struct hwmp_preq preq;
		uint32_t prev;

		if (p == NULL || !p->hold.used) {
			e->holds[i] = e->holds[--e->n_holds];
			continue;
		}
		if (now < p->hold.deadline_ms) {
			i++;
			continue;
		}
		slot = e->holds[i];
		e->holds[i] = e->holds[--e->n_holds];
		/* The current next hop's copy is late, which is not lost: a relay busy for a moment (a
		 * stalled process, a radio retrying) delivers it later, and taking the other route now
		 * would move the path between equal routes after all. So while a working path's next hop
		 * has missed floods for less than path_refresh_time_ms, the held offers are dropped (their
		 * PREQs unanswered: the originator retries with a newer SN, and the late copy refreshes
		 * the path and is answered when it comes). A next hop that misses them longer is
		 * abandoned (a dead one is lost sooner, by peering or PERR). */
		if (path_is_active(p, now) &&
		    (!p->missed || now - p->missed_since_ms < e->p.path_refresh_time_ms)) {
			if (!p->missed)
				p->missed_since_ms = now;
			p->missed = true;
			p->hold.used = false;
			e->c.path_holds_forgiven++;
			continue;
		}
		/* The current next hop has missed floods too long: the held offer was the news. */
		e->c.path_holds_taken++;
		prev = path_is_active(p, now) ? p->metric : HWMP_METRIC_INFINITE;
		path_apply(e, p, &p->hold.next_hop, p->hold.metric, p->hold.sn, true, p->hold.hop_count,
			   p->hold.lifetime_ms, now);
		if (slot.len > 0 && hwmp_preq_decode(slot.body, slot.len, &preq) == 0)
			preq_act(e, &preq, p, prev, now);
	}
}

uint64_t path_holds_deadline(const struct hwmp_engine *e)
{
	uint64_t t = UINT64_MAX;

	for (uint32_t i = 0; i < e->n_holds; i++) {
		const struct path_entry *p = path_find(e, &e->holds[i].dest);

		if (p != NULL && p->hold.used && p->hold.deadline_ms < t)
			t = p->hold.deadline_ms;
	}
	return t;
}

void path_invalidate(struct hwmp_engine *e, struct path_entry *p, uint64_t now)
{
	if (p->expiry_ms < now)
		now = p->expiry_ms; /* expired earlier than the sweep noticed */
	if (!(p->flags & PF_ACTIVE))
		return;
	p->flags &= (uint8_t)~PF_ACTIVE;
	if (p->hold.used) {
		p->hold.used = false;
		hold_forget(e, &p->dest);
	}
	/* From now on expiry_ms is when it broke (see path_offer). */
	p->expiry_ms = now;
	e->c.path_removed++;
	if (e->cb.path_remove)
		e->cb.path_remove(e->cb.ctx, &p->dest);
}

void path_sweep(struct hwmp_engine *e, uint64_t now)
{
	for (uint32_t s = 0; s < e->paths.capacity; s++) {
		struct path_entry *p;

		if (!hwmp_table_in_use(&e->paths, s))
			continue;
		p = hwmp_table_record(&e->paths, s);
		if ((p->flags & PF_ACTIVE) && now >= p->expiry_ms) {
			e->c.path_expired++;
			path_invalidate(e, p, now);
		}
	}
	for (uint32_t s = 0; s < e->proxies.capacity; s++) {
		struct proxy_entry *x;

		if (!hwmp_table_in_use(&e->proxies, s))
			continue;
		x = hwmp_table_record(&e->proxies, s);
		if (now >= x->expiry_ms) {
			struct mac_addr station = x->station;

			hwmp_table_remove(&e->proxies, s);
			if (e->cb.proxy_remove)
				e->cb.proxy_remove(e->cb.ctx, &station);
		}
	}
}
