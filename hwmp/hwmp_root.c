/* Proactive modes: a root's periodic proactive PREQ or RANN, path registration towards a RANN root,
 * gate announcements (GANN, which Linux does not implement), and the default route through a gate. */
#include <string.h>

#include "hwmp_internal.h"

struct announcer *announcer_get(struct hwmp_engine *e, const struct mac_addr *addr, bool create)
{
	struct announcer *free_slot = NULL;

	for (unsigned i = 0; i < HWMP_MAX_ANNOUNCERS; i++) {
		struct announcer *a = &e->ann[i];

		if (a->used && mac_equal(&a->addr, addr))
			return a;
		if (!a->used && free_slot == NULL)
			free_slot = a;
	}
	if (!create || free_slot == NULL)
		return NULL;
	memset(free_slot, 0, sizeof(*free_slot));
	free_slot->used = true;
	free_slot->addr = *addr;
	free_slot->rann_metric = HWMP_METRIC_INFINITE;
	return free_slot;
}

struct path_entry *default_gate(const struct hwmp_engine *e, uint64_t now)
{
	struct path_entry *best = NULL;
	bool best_gate = false;

	for (unsigned i = 0; i < HWMP_MAX_ANNOUNCERS; i++) {
		const struct announcer *a = &e->ann[i];
		struct path_entry *p;

		if (!a->used || now >= a->expiry_ms || !(a->is_gate || a->is_root))
			continue;
		p = path_find(e, &a->addr);
		if (p == NULL || !path_is_active(p, now))
			continue;
		/* Gates first (they reach outside the mesh), then the lowest metric. */
		if (best == NULL || (a->is_gate && !best_gate) || (a->is_gate == best_gate && p->metric < best->metric)) {
			best = p;
			best_gate = a->is_gate;
		}
	}
	return best;
}

static void send_proactive_preq(struct hwmp_engine *e)
{
	struct hwmp_preq preq;
	struct mac_addr bcast;

	memset(&preq, 0, sizeof(preq));
	memset(bcast.bytes, 0xff, MAC_LEN);
	if (e->p.is_gate)
		preq.flags |= HWMP_PREQ_F_GATE;
	if (e->p.root_mode == HWMP_ROOT_PROACTIVE_PREQ_WITH_PREP)
		preq.flags |= HWMP_PREQ_F_PROACTIVE_PREP;
	preq.ttl = e->p.element_ttl;
	preq.discovery_id = ++e->preq_id;
	preq.orig = e->self;
	preq.orig_sn = ++e->own_sn;
	preq.lifetime_tu = hwmp_ms_to_tu(e->p.path_to_root_timeout_ms);
	preq.target_count = 1;
	preq.targets[0].flags = HWMP_TARGET_F_TO | HWMP_TARGET_F_USN;
	preq.targets[0].addr = bcast;
	send_preq(e, &bcast, &preq);
	e->c.preq_tx++;
	e->c.proactive_preq_tx++;
}

static void send_rann(struct hwmp_engine *e)
{
	struct hwmp_rann rann;
	uint8_t buf[2 + HWMP_RANN_LEN];
	struct mac_addr bcast;
	int len;

	memset(&rann, 0, sizeof(rann));
	memset(bcast.bytes, 0xff, MAC_LEN);
	rann.flags = e->p.is_gate ? HWMP_RANN_F_GATE : 0;
	rann.ttl = e->p.element_ttl;
	rann.root = e->self;
	rann.root_sn = ++e->own_sn;
	rann.interval_tu = hwmp_ms_to_tu(e->p.rann_interval_ms);
	len = hwmp_rann_encode(buf, sizeof(buf), &rann);
	if (len > 0 && e->cb.send)
		e->cb.send(e->cb.ctx, &bcast, buf, (size_t)len);
	e->c.rann_tx++;
}

static void send_gann(struct hwmp_engine *e)
{
	struct hwmp_gann gann;
	uint8_t buf[2 + HWMP_GANN_LEN];
	struct mac_addr bcast;
	uint32_t tu = hwmp_ms_to_tu(e->p.root_interval_ms);
	int len;

	memset(&gann, 0, sizeof(gann));
	memset(bcast.bytes, 0xff, MAC_LEN);
	gann.ttl = e->p.element_ttl;
	gann.gate = e->self;
	gann.gann_sn = ++e->gann_sn;
	gann.interval_tu = tu > UINT16_MAX ? UINT16_MAX : (uint16_t)tu;
	len = hwmp_gann_encode(buf, sizeof(buf), &gann);
	if (len > 0 && e->cb.send)
		e->cb.send(e->cb.ctx, &bcast, buf, (size_t)len);
	e->c.gann_tx++;
}

void root_tick(struct hwmp_engine *e, uint64_t now)
{
	if (e->p.root_mode >= HWMP_ROOT_PROACTIVE_PREQ_NO_PREP && now >= e->next_root_ms) {
		if (e->p.root_mode == HWMP_ROOT_RANN) {
			send_rann(e);
			e->next_root_ms = now + e->p.rann_interval_ms;
		} else {
			send_proactive_preq(e);
			e->next_root_ms = now + e->p.root_interval_ms;
		}
	}
	if (e->p.gate_announcements && e->p.is_gate && now >= e->next_gann_ms) {
		send_gann(e);
		e->next_gann_ms = now + e->p.root_interval_ms;
	}
}

int rann_rx(struct hwmp_engine *e, const struct mac_addr *ta, uint32_t link_metric, const uint8_t *body, size_t len,
	    uint64_t now)
{
	struct hwmp_rann rann;
	struct announcer *a;
	struct discovery *d;
	uint32_t metric;
	int ret = hwmp_rann_decode(body, len, &rann);

	if (ret < 0) {
		e->c.rejected_malformed++;
		return ret;
	}
	if (rann.ttl == 0) {
		e->c.rejected_bad_ttl++;
		return -1;
	}
	if (!addr_is_unicast(&rann.root)) {
		e->c.rejected_bad_address++;
		return -1;
	}
	if (mac_equal(&rann.root, &e->self)) {
		e->c.rejected_own++;
		return -1;
	}
	e->c.rann_rx++;
	path_offer(e, ta, ta, link_metric, 0, false, 1, e->p.active_path_timeout_ms, false, now);
	metric = metric_add(rann.metric, link_metric);
	a = announcer_get(e, &rann.root, true);
	if (a == NULL)
		return 0;
	if (a->is_root && a->rann_metric != HWMP_METRIC_INFINITE &&
	    !(sn_gt(rann.root_sn, a->rann_sn) || (rann.root_sn == a->rann_sn && metric < a->rann_metric))) {
		e->c.info_rejected_stale++;
		return 0;
	}
	a->is_root = true;
	a->is_gate = (rann.flags & HWMP_RANN_F_GATE) != 0;
	a->rann_sn = rann.root_sn;
	a->rann_metric = metric;
	a->rann_next = *ta;
	a->expiry_ms = now + hwmp_tu_to_ms(rann.interval_tu) + e->p.path_to_root_timeout_ms;

	/* Path registration: a unicast PREQ to the root along the best RANN path; the root's PREP gives us
	 * the path to it and it learns the path to us. A better RANN of the same round re-sends it so that
	 * both ends end up on the best path. */
	d = discovery_start(e, &rann.root, now);
	if (d != NULL) {
		d->root_reg = true;
		if (d->state == DISC_WAITING) {
			d->state = DISC_QUEUED;
			d->queued_seq = ++e->disc_seq;
		}
		discovery_tick(e, now);
	}
	if (rann.ttl > 1) {
		struct mac_addr bcast;
		uint8_t buf[2 + HWMP_RANN_LEN];
		int n;

		rann.hop_count = rann.hop_count == UINT8_MAX ? UINT8_MAX : (uint8_t)(rann.hop_count + 1);
		rann.ttl--;
		rann.metric = metric;
		memset(bcast.bytes, 0xff, MAC_LEN);
		n = hwmp_rann_encode(buf, sizeof(buf), &rann);
		if (n > 0 && e->cb.send)
			e->cb.send(e->cb.ctx, &bcast, buf, (size_t)n);
		e->c.rann_fwd++;
	}
	return 0;
}

int gann_rx(struct hwmp_engine *e, const struct mac_addr *ta, const uint8_t *body, size_t len, uint64_t now)
{
	struct hwmp_gann gann;
	struct announcer *a;
	int ret = hwmp_gann_decode(body, len, &gann);

	(void)ta;
	if (ret < 0) {
		e->c.rejected_malformed++;
		return ret;
	}
	if (gann.ttl == 0) {
		e->c.rejected_bad_ttl++;
		return -1;
	}
	if (!addr_is_unicast(&gann.gate)) {
		e->c.rejected_bad_address++;
		return -1;
	}
	if (mac_equal(&gann.gate, &e->self)) {
		e->c.rejected_own++;
		return -1;
	}
	e->c.gann_rx++;
	a = announcer_get(e, &gann.gate, true);
	if (a == NULL)
		return 0;
	if (a->gann_seen && !sn_gt(gann.gann_sn, a->gann_sn)) {
		e->c.info_rejected_stale++;
		return 0;
	}
	a->gann_seen = true;
	a->gann_sn = gann.gann_sn;
	a->is_gate = true;
	{
		uint64_t until = now + 2 * (uint64_t)hwmp_tu_to_ms(gann.interval_tu);

		if (until > a->expiry_ms)
			a->expiry_ms = until;
	}
	if (gann.ttl > 1) {
		struct mac_addr bcast;
		uint8_t buf[2 + HWMP_GANN_LEN];
		int n;

		gann.hop_count = gann.hop_count == UINT8_MAX ? UINT8_MAX : (uint8_t)(gann.hop_count + 1);
		gann.ttl--;
		memset(bcast.bytes, 0xff, MAC_LEN);
		n = hwmp_gann_encode(buf, sizeof(buf), &gann);
		if (n > 0 && e->cb.send)
			e->cb.send(e->cb.ctx, &bcast, buf, (size_t)n);
		e->c.gann_fwd++;
	}
	return 0;
}
