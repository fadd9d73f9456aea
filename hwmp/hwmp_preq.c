/* PREQ reception: learn the reverse path, answer as target / proxy / intermediate / proactive, forward. */
#include <string.h>

#include "hwmp_internal.h"

static uint8_t hop_inc(uint8_t h)
{
	return h == UINT8_MAX ? h : (uint8_t)(h + 1);
}

/* PREP from this node as the target (or for a station behind it, in AE) back to the PREQ originator. */
static void reply_as_target(struct hwmp_engine *e, const struct mac_addr *ra, const struct hwmp_preq *preq,
			    const struct hwmp_preq_target *t, const struct mac_addr *station, uint64_t now)
{
	struct hwmp_prep prep;

	memset(&prep, 0, sizeof(prep));
	if (station != NULL) {
		prep.flags = HWMP_F_AE;
		prep.target_ext = *station;
		e->c.proxy_replies++;
	}
	prep.ttl = e->p.element_ttl;
	prep.target = e->self;
	/* A PREQ that asks for a station carries the station's SN, not ours: treat it as unknown. */
	prep.target_sn = own_sn_for_reply(e, t->sn, station != NULL || (t->flags & HWMP_TARGET_F_USN), now);
	prep.lifetime_tu = preq->lifetime_tu;
	prep.metric = 0;
	prep.orig = preq->orig;
	prep.orig_sn = preq->orig_sn;
	send_prep(e, ra, &prep);
	e->c.prep_tx++;
}

/* PREP on behalf of the target from our own fresh path (TO clear). */
static void reply_as_intermediate(struct hwmp_engine *e, const struct mac_addr *ra, const struct hwmp_preq *preq,
				  const struct path_entry *tp, uint64_t now)
{
	struct hwmp_prep prep;

	memset(&prep, 0, sizeof(prep));
	prep.hop_count = tp->hop_count;
	prep.ttl = e->p.element_ttl;
	prep.target = tp->dest;
	prep.target_sn = tp->sn;
	prep.lifetime_tu = hwmp_ms_to_tu((uint32_t)(tp->expiry_ms - now));
	prep.metric = tp->metric;
	prep.orig = preq->orig;
	prep.orig_sn = preq->orig_sn;
	send_prep(e, ra, &prep);
	e->c.prep_tx++;
	e->c.prep_intermediate_tx++;
}

/* A proactive PREQ (target = broadcast) comes from a root: remember it as root (and gate). */
static void note_proactive_root(struct hwmp_engine *e, const struct hwmp_preq *preq, struct path_entry *op,
				uint32_t metric, const struct mac_addr *ta, uint64_t now)
{
	struct announcer *a = announcer_get(e, &preq->orig, true);

	/* A proactive flood has no target to stop at: its reverse paths are the best ones. */
	op->flags = (uint8_t)((op->flags | PF_ROOT) & ~PF_FROM_FLOOD);
	if (preq->flags & HWMP_PREQ_F_GATE)
		op->flags |= PF_GATE;
	if (a == NULL)
		return;
	a->is_root = true;
	a->is_gate = (preq->flags & HWMP_PREQ_F_GATE) != 0;
	a->rann_sn = preq->orig_sn;
	a->rann_metric = metric;
	a->rann_next = *ta;
	a->expiry_ms = now + hwmp_tu_to_ms(preq->lifetime_tu);
}

int preq_rx(struct hwmp_engine *e, const struct mac_addr *ta, uint32_t link_metric, const uint8_t *body, size_t len,
	    uint64_t now)
{
	struct hwmp_preq preq;
	struct path_entry *op;
	uint32_t metric, prev_metric;
	int ret = hwmp_preq_decode(body, len, &preq);

	if (ret < 0) {
		e->c.rejected_malformed++;
		return ret;
	}
	if (preq.ttl == 0) {
		e->c.rejected_bad_ttl++;
		return -1;
	}
	if (!addr_is_unicast(&preq.orig) || ((preq.flags & HWMP_F_AE) && !addr_is_unicast(&preq.orig_ext))) {
		e->c.rejected_bad_address++;
		return -1;
	}
	if (mac_equal(&preq.orig, &e->self)) {
		e->c.rejected_own++;
		return -1;
	}
	e->c.preq_rx++;
	metric = metric_add(preq.metric, link_metric);
	/* The neighbour itself first: its link is known whatever the PREQ's fate. */
	if (!mac_equal(ta, &preq.orig))
		path_offer(e, ta, ta, link_metric, 0, false, 1, e->p.active_path_timeout_ms, false, now);
	op = path_find(e, &preq.orig);
	prev_metric = (op != NULL && path_is_active(op, now)) ? op->metric : HWMP_METRIC_INFINITE;
	op = path_offer(e, &preq.orig, ta, metric, preq.orig_sn, true, hop_inc(preq.hop_count),
			hwmp_tu_to_ms(preq.lifetime_tu), true, now);
	/* Like Linux: a PREQ that brings nothing new (older SN, or same SN and no better metric) is a copy of
	 * one already handled; answering or forwarding it again would only multiply the flood. A held offer
	 * keeps its PREQ: answered and forwarded if the offer is taken later (hwmp_path.c). */
	if (op == NULL) {
		const struct path_entry *held = path_find(e, &preq.orig);

		if (held != NULL && held->hold.used && held->hold.sn == preq.orig_sn && mac_equal(&held->hold.next_hop, ta))
			path_hold_keep_preq(e, &preq.orig, ta, link_metric, body, len);
		return 0;
	}
	preq_act(e, &preq, op, prev_metric, now);
	return 0;
}

/* The reverse path op (to the PREQ's originator) is what answers go along and what the forwarded
 * PREQ advertises: it may have come from another copy of this flood than the one being handled. */
void preq_act(struct hwmp_engine *e, const struct hwmp_preq *in, struct path_entry *op, uint32_t prev_metric,
	      uint64_t now)
{
	struct hwmp_preq preq = *in, fwd;
	const struct mac_addr *ta = &op->next_hop;
	uint32_t metric = op->metric;

	/* A flood stops at its target, so its reverse path may miss the best route: a new path, or a newer
	 * SN that made a path worse, is only "overheard" until confirmed (hwmp_path_used). */
	if (prev_metric == HWMP_METRIC_INFINITE || metric > prev_metric)
		op->flags |= PF_FROM_FLOOD;
	if (preq.flags & HWMP_F_AE)
		proxy_learn(e, &preq.orig_ext, &preq.orig, now);

	fwd = preq;
	fwd.target_count = 0;
	for (unsigned i = 0; i < preq.target_count; i++) {
		struct hwmp_preq_target t = preq.targets[i];
		struct path_entry *tp;

		if (mac_is_broadcast(&t.addr)) {
			note_proactive_root(e, &preq, op, metric, ta, now);
			if (preq.flags & HWMP_PREQ_F_PROACTIVE_PREP)
				reply_as_target(e, ta, &preq, &t, NULL, now);
			fwd.targets[fwd.target_count++] = t;
			continue;
		}
		if (mac_equal(&t.addr, &e->self)) {
			reply_as_target(e, ta, &preq, &t, NULL, now);
			continue;
		}
		if (local_proxy_has(e, &t.addr)) {
			reply_as_target(e, ta, &preq, &t, &t.addr, now);
			continue;
		}
		tp = path_find(e, &t.addr);
		if (!(t.flags & HWMP_TARGET_F_TO) && tp != NULL && path_is_active(tp, now) && (tp->flags & PF_SN_VALID) &&
		    ((t.flags & HWMP_TARGET_F_USN) || sn_ge(tp->sn, t.sn)) && !mac_equal(&tp->next_hop, ta)) {
			reply_as_intermediate(e, ta, &preq, tp, now);
			if (!e->p.reply_and_forward)
				continue;
			/* Forwarded with TO so that nodes further on leave the answer to the target. */
			t.flags |= HWMP_TARGET_F_TO;
		}
		fwd.targets[fwd.target_count++] = t;
	}
	if (fwd.target_count == 0 || preq.ttl <= 1)
		return;
	fwd.hop_count = op->hop_count;
	fwd.ttl = (uint8_t)(preq.ttl - 1);
	fwd.metric = metric;
	{
		struct mac_addr ra;
		const struct announcer *a = NULL;

		memset(ra.bytes, 0xff, MAC_LEN);
		/* A registration PREQ to a RANN root travels unicast along the RANN's best path, as in Linux. */
		if (fwd.target_count == 1 && (fwd.targets[0].flags & HWMP_TARGET_F_TO))
			a = announcer_get(e, &fwd.targets[0].addr, false);
		if (a != NULL && a->is_root && !mac_is_zero(&a->rann_next) && !mac_equal(&a->rann_next, ta))
			ra = a->rann_next;
		send_preq(e, &ra, &fwd);
	}
	e->c.preq_fwd++;
}
