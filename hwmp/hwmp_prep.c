/* PREP reception: learn the forward path, finish our discovery, or pass the PREP towards its originator. */
#include <string.h>

#include "hwmp_internal.h"

int prep_rx(struct hwmp_engine *e, const struct mac_addr *ta, uint32_t link_metric, const uint8_t *body, size_t len,
	    uint64_t now)
{
	struct hwmp_prep prep, fwd;
	struct path_entry *tp, *op;
	uint32_t metric;
	int ret = hwmp_prep_decode(body, len, &prep);

	if (ret < 0) {
		e->c.rejected_malformed++;
		return ret;
	}
	if (prep.ttl == 0) {
		e->c.rejected_bad_ttl++;
		return -1;
	}
	if (!addr_is_unicast(&prep.target) || !addr_is_unicast(&prep.orig) ||
	    ((prep.flags & HWMP_F_AE) && !addr_is_unicast(&prep.target_ext))) {
		e->c.rejected_bad_address++;
		return -1;
	}
	if (mac_equal(&prep.target, &e->self)) {
		e->c.rejected_own++;
		return -1;
	}
	e->c.prep_rx++;
	metric = metric_add(prep.metric, link_metric);
	if (!mac_equal(ta, &prep.target))
		path_offer(e, ta, ta, link_metric, 0, false, 1, e->p.active_path_timeout_ms, false, now);
	fwd = prep;
	tp = path_offer(e, &prep.target, ta, metric, prep.target_sn, true,
			prep.hop_count == UINT8_MAX ? UINT8_MAX : (uint8_t)(prep.hop_count + 1),
			hwmp_tu_to_ms(prep.lifetime_tu), false, now);
	if (tp != NULL) {
		tp->flags &= (uint8_t)~PF_FROM_FLOOD;
		fwd.metric = metric;
		fwd.hop_count = tp->hop_count;
	} else {
		/* Not better than what we hold. Linux drops it here, which loses the originator's best path
		 * whenever an earlier, worse PREP of the same flood crossed this node first. We hold the same
		 * or fresher information: pass that on instead. */
		tp = path_find(e, &prep.target);
		if (tp == NULL || !path_is_active(tp, now) || !(tp->flags & PF_SN_VALID) || sn_gt(prep.target_sn, tp->sn))
			return 0;
		if (mac_equal(&prep.orig, &e->self) && prep.target_sn == tp->sn && !mac_equal(&tp->next_hop, ta) &&
		    now + hwmp_tu_to_ms(prep.lifetime_tu) > tp->expiry_ms) {
			/* The answer to our own discovery came back another way (the target's path to us
			 * uses the other of two equal routes), under the SN we hold and no better. Unused, it
			 * refreshed nothing: our path expired, and its rediscovery chose between the routes
			 * at random, over and over while the ends disagreed. The target answers under the SN
			 * our path was learnt with, so that path's information still holds: its lifetime is
			 * extended, next hop and metric kept (nothing advertised changes: loop freedom holds;
			 * a route broken behind the next hop is reported by PERR or peer loss). */
			tp->expiry_ms = now + hwmp_tu_to_ms(prep.lifetime_tu);
			e->c.path_refresh_other_hop++;
		}
		if (prep.target_sn == tp->sn && mac_equal(&tp->next_hop, ta) && metric > tp->metric) {
			/* Our route, costlier than the metric we keep under this SN (hwmp_path.c): its real
			 * cost goes on, so that the originator learns it and asks for a newer SN. Advertising
			 * more than we keep never attracts a route, so loop freedom holds. */
			fwd.metric = metric;
			fwd.hop_count = prep.hop_count == UINT8_MAX ? UINT8_MAX : (uint8_t)(prep.hop_count + 1);
		} else {
			fwd.metric = tp->metric;
			fwd.hop_count = tp->hop_count;
			fwd.target_sn = tp->sn;
		}
	}
	if (prep.flags & HWMP_F_AE)
		proxy_learn(e, &prep.target_ext, &prep.target, now);
	if (mac_equal(&prep.orig, &e->self)) {
		discovery_prep_received(e, (prep.flags & HWMP_F_AE) ? &prep.target_ext : &prep.target, now);
		return 0;
	}
	op = path_find(e, &prep.orig);
	/* A PREP only follows an active reverse path, and never back where the target's path points. */
	if (op == NULL || !path_is_active(op, now) || mac_equal(&op->next_hop, &tp->next_hop)) {
		e->c.prep_no_reverse_path++;
		return 0;
	}
	if (prep.ttl <= 1)
		return 0;
	fwd.ttl = (uint8_t)(prep.ttl - 1);
	send_prep(e, &op->next_hop, &fwd);
	e->c.prep_fwd++;
	return 0;
}
