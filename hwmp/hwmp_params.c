/* Engine parameters: from the node config, or Linux's defaults for tests and the simulator. */
#include <string.h>

#include "hwmp.h"

uint32_t hwmp_tu_to_ms(uint32_t tu)
{
	uint64_t ms = ((uint64_t)tu * 1024 + 500) / 1000;
	return ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
}

uint32_t hwmp_ms_to_tu(uint32_t ms)
{
	return (uint32_t)(((uint64_t)ms * 1000 + 512) / 1024);
}

/* Table sizes that follow from the number of destinations. */
static void size_tables(struct hwmp_params *p, uint32_t max_paths)
{
	p->max_paths = max_paths ? max_paths : 1;
	p->max_proxies = p->max_paths;
	p->max_local_proxies = 256;
	p->max_discoveries = 64;
	/* A neighbour loss can invalidate every path at once. */
	p->max_pending_perr = p->max_paths;
}

void hwmp_params_from_config(struct hwmp_params *p, const struct hwmp_config *hc, const struct mesh_config *mc,
			     uint32_t path_entries)
{
	memset(p, 0, sizeof(*p));
	p->element_ttl = mc->element_ttl;
	p->is_gate = mc->gate;
	p->max_preq_retries = hc->max_preq_retries;
	p->root_mode = hc->root_mode;
	p->target_only = hc->target_only;
	p->reply_and_forward = hc->reply_and_forward;
	p->gate_announcements = hc->gate_announcements;
	p->net_diameter_traversal_ms = hc->net_diameter_traversal_ms;
	p->min_discovery_timeout_ms = hc->min_discovery_timeout_ms;
	p->preq_min_interval_ms = hc->preq_min_interval_ms;
	p->perr_min_interval_ms = hwmp_tu_to_ms(hc->perr_min_interval_tu);
	p->active_path_timeout_ms = hc->active_path_timeout_ms;
	p->path_refresh_time_ms = hc->path_refresh_time_ms;
	p->rann_interval_ms = hwmp_tu_to_ms(hc->rann_interval_tu);
	p->root_interval_ms = hwmp_tu_to_ms(hc->root_interval_tu);
	p->path_to_root_timeout_ms = hwmp_tu_to_ms(hc->path_to_root_timeout_tu);
	p->confirmation_interval_ms = hwmp_tu_to_ms(hc->confirmation_interval_tu);
	p->switch_hysteresis_pct = hc->switch_hysteresis_pct;
	p->next_hop_hold_ms = hc->next_hop_hold_ms;
	p->sweep_interval_ms = 1000;
	p->initial_sn = 0;
	size_tables(p, path_entries);
}

void hwmp_params_default(struct hwmp_params *p, uint32_t max_paths)
{
	struct hwmp_config hc = {
		.max_preq_retries = 4,
		.root_mode = HWMP_ROOT_NONE,
		.target_only = true,
		.reply_and_forward = false,
		.gate_announcements = false,
		.net_diameter_traversal_ms = 50,
		.min_discovery_timeout_ms = 100,
		.preq_min_interval_ms = 10,
		.perr_min_interval_tu = 100,
		.active_path_timeout_ms = 5000,
		.path_refresh_time_ms = 1000,
		.rann_interval_tu = 5000,
		.root_interval_tu = 5000,
		.path_to_root_timeout_tu = 6000,
		.confirmation_interval_tu = 2000,
		.switch_hysteresis_pct = 0, /* the exact optimum, which the simulator checks against Dijkstra */
		.next_hop_hold_ms = 50,
	};
	struct mesh_config mc = {.ttl = 31, .element_ttl = 31};

	hwmp_params_from_config(p, &hc, &mc, max_paths);
}
