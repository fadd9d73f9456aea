/* Engine lifecycle, input dispatch, timers and queries. */
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "hwmp_internal.h"
#include "mgmt.h"

static bool params_valid(const struct hwmp_params *p)
{
	return p->element_ttl > 0 && p->max_paths > 0 && p->max_proxies > 0 && p->max_local_proxies > 0 &&
	       p->max_discoveries > 0 && p->max_pending_perr > 0 && p->sweep_interval_ms > 0 &&
	       p->root_mode <= HWMP_ROOT_RANN;
}

struct hwmp_engine *hwmp_create(const struct mac_addr *self, const struct hwmp_params *params,
				const struct hwmp_callbacks *cb, uint64_t now_ms)
{
	struct hwmp_engine *e;

	if (!params_valid(params) || !addr_is_unicast(self))
		return NULL;
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return NULL;
	e->self = *self;
	e->p = *params;
	if (cb != NULL)
		e->cb = *cb;
	e->own_sn = params->initial_sn;
	e->disc = calloc(params->max_discoveries, sizeof(*e->disc));
	e->perr = calloc(params->max_pending_perr, sizeof(*e->perr));
	if (e->disc == NULL || e->perr == NULL ||
	    hwmp_table_init(&e->paths, params->max_paths, sizeof(struct path_entry)) < 0 ||
	    hwmp_table_init(&e->proxies, params->max_proxies, sizeof(struct proxy_entry)) < 0 ||
	    hwmp_table_init(&e->local_proxies, params->max_local_proxies, sizeof(struct local_proxy_entry)) < 0) {
		hwmp_destroy(e);
		return NULL;
	}
	e->next_root_ms = now_ms;
	e->next_gann_ms = now_ms;
	e->next_sweep_ms = now_ms + params->sweep_interval_ms;
	return e;
}

int hwmp_set_params(struct hwmp_engine *e, const struct hwmp_params *p, uint64_t now_ms)
{
	bool roots_changed;

	if (!params_valid(p) || p->max_paths != e->p.max_paths || p->max_proxies != e->p.max_proxies ||
	    p->max_local_proxies != e->p.max_local_proxies || p->max_discoveries != e->p.max_discoveries ||
	    p->max_pending_perr != e->p.max_pending_perr)
		return -1;
	roots_changed = p->root_mode != e->p.root_mode || p->rann_interval_ms != e->p.rann_interval_ms ||
			p->root_interval_ms != e->p.root_interval_ms || p->gate_announcements != e->p.gate_announcements ||
			p->is_gate != e->p.is_gate;
	e->p = *p;
	/* A node that became a root (or changed its interval) announces now, not at the old schedule. */
	if (roots_changed) {
		e->next_root_ms = now_ms;
		e->next_gann_ms = now_ms;
	}
	return 0;
}

void hwmp_destroy(struct hwmp_engine *e)
{
	if (e == NULL)
		return;
	hwmp_table_free(&e->paths);
	hwmp_table_free(&e->proxies);
	hwmp_table_free(&e->local_proxies);
	free(e->disc);
	free(e->perr);
	free(e);
}

int hwmp_rx_element(struct hwmp_engine *e, const struct mac_addr *transmitter, uint32_t link_metric, uint8_t id,
		    const uint8_t *body, size_t len, uint64_t now_ms)
{
	int ret;

	if (!addr_is_unicast(transmitter) || mac_equal(transmitter, &e->self)) {
		e->c.rejected_bad_address++;
		return -1;
	}
	if (body == NULL && len > 0) {
		e->c.rejected_malformed++;
		return CODEC_ERR_TRUNCATED;
	}
	/* A link that costs nothing would make every path through it look free. */
	if (link_metric == 0)
		link_metric = 1;
	switch (id) {
	case WLAN_EID_PREQ:
		ret = preq_rx(e, transmitter, link_metric, body, len, now_ms);
		break;
	case WLAN_EID_PREP:
		ret = prep_rx(e, transmitter, link_metric, body, len, now_ms);
		break;
	case WLAN_EID_PERR:
		ret = perr_rx(e, transmitter, body, len, now_ms);
		break;
	case WLAN_EID_RANN:
		ret = rann_rx(e, transmitter, link_metric, body, len, now_ms);
		break;
	case WLAN_EID_GANN:
		ret = gann_rx(e, transmitter, body, len, now_ms);
		break;
	default:
		e->c.rejected_unknown_element++;
		return -1;
	}
	return ret;
}

void hwmp_tick(struct hwmp_engine *e, uint64_t now_ms)
{
	discovery_tick(e, now_ms);
	perr_tick(e, now_ms);
	root_tick(e, now_ms);
	path_holds_tick(e, now_ms);
	if (now_ms >= e->next_sweep_ms) {
		path_sweep(e, now_ms);
		e->next_sweep_ms = now_ms + e->p.sweep_interval_ms;
	}
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t hwmp_next_deadline(const struct hwmp_engine *e)
{
	uint64_t t = min_u64(discovery_deadline(e), perr_deadline(e));

	if (e->p.root_mode >= HWMP_ROOT_PROACTIVE_PREQ_NO_PREP)
		t = min_u64(t, e->next_root_ms);
	if (e->p.gate_announcements && e->p.is_gate)
		t = min_u64(t, e->next_gann_ms);
	t = min_u64(t, path_holds_deadline(e));
	return min_u64(t, e->next_sweep_ms);
}

static void send_element(struct hwmp_engine *e, const struct mac_addr *ra, const uint8_t *buf, int len)
{
	if (len > 0 && e->cb.send)
		e->cb.send(e->cb.ctx, ra, buf, (size_t)len);
}

void send_preq(struct hwmp_engine *e, const struct mac_addr *ra, const struct hwmp_preq *preq)
{
	uint8_t buf[2 + 255];

	send_element(e, ra, buf, hwmp_preq_encode(buf, sizeof(buf), preq));
}

void send_prep(struct hwmp_engine *e, const struct mac_addr *ra, const struct hwmp_prep *prep)
{
	uint8_t buf[2 + HWMP_PREP_LEN + MAC_LEN];

	send_element(e, ra, buf, hwmp_prep_encode(buf, sizeof(buf), prep));
}

bool hwmp_lookup(const struct hwmp_engine *e, const struct mac_addr *dest, uint64_t now_ms, struct hwmp_route *route)
{
	const struct path_entry *p = path_find(e, dest);
	const struct proxy_entry *x;
	const struct path_entry *g;

	memset(route, 0, sizeof(*route));
	if (p != NULL && path_is_active(p, now_ms)) {
		path_info(p, &route->path);
		return true;
	}
	x = proxy_find(e, dest);
	if (x != NULL && now_ms < x->expiry_ms) {
		const struct path_entry *mp = path_find(e, &x->mesh_node);

		if (mp != NULL && path_is_active(mp, now_ms)) {
			path_info(mp, &route->path);
			route->proxied = true;
			return true;
		}
	}
	if (p != NULL && now_ms < p->via_gate_until_ms && (g = default_gate(e, now_ms)) != NULL) {
		path_info(g, &route->path);
		route->via_gate = true;
		return true;
	}
	return false;
}

const struct hwmp_counters *hwmp_get_counters(const struct hwmp_engine *e)
{
	return &e->c;
}

uint32_t hwmp_own_sn(const struct hwmp_engine *e)
{
	return e->own_sn;
}

void hwmp_foreach_path(const struct hwmp_engine *e, void (*fn)(void *arg, const struct hwmp_path_info *p, bool active),
		       void *arg, uint64_t now_ms)
{
	for (uint32_t s = 0; s < e->paths.capacity; s++) {
		const struct path_entry *p;
		struct hwmp_path_info info;

		if (!hwmp_table_in_use(&e->paths, s))
			continue;
		p = hwmp_table_record(&e->paths, s);
		path_info(p, &info);
		fn(arg, &info, path_is_active(p, now_ms));
	}
}

uint32_t hwmp_active_paths(const struct hwmp_engine *e, uint64_t now_ms)
{
	uint32_t n = 0;

	for (uint32_t s = 0; s < e->paths.capacity; s++)
		if (hwmp_table_in_use(&e->paths, s) && path_is_active(hwmp_table_record(&e->paths, s), now_ms))
			n++;
	return n;
}
