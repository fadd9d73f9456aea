/* Proxies: stations behind this node (answered for in PREQ/PREP with AE) and remote stations learned
 * from AE addresses in PREQ/PREP. */
#include "hwmp_internal.h"

bool local_proxy_has(const struct hwmp_engine *e, const struct mac_addr *station)
{
	return hwmp_table_find(&e->local_proxies, station) != HWMP_TABLE_NONE;
}

int hwmp_local_proxy_add(struct hwmp_engine *e, const struct mac_addr *station)
{
	uint32_t slot;

	if (!addr_is_unicast(station))
		return -1;
	if (local_proxy_has(e, station))
		return 0;
	/* It is ours now: forget where it used to live. */
	slot = hwmp_table_find(&e->proxies, station);
	if (slot != HWMP_TABLE_NONE)
		hwmp_table_remove(&e->proxies, slot);
	if (hwmp_table_insert(&e->local_proxies, station) == HWMP_TABLE_NONE) {
		e->c.local_proxy_table_full++;
		return -1;
	}
	return 0;
}

void hwmp_local_proxy_remove(struct hwmp_engine *e, const struct mac_addr *station)
{
	uint32_t slot = hwmp_table_find(&e->local_proxies, station);

	if (slot != HWMP_TABLE_NONE)
		hwmp_table_remove(&e->local_proxies, slot);
}

struct proxy_entry *proxy_find(const struct hwmp_engine *e, const struct mac_addr *station)
{
	uint32_t slot = hwmp_table_find(&e->proxies, station);

	return slot == HWMP_TABLE_NONE ? NULL : hwmp_table_record(&e->proxies, slot);
}

void proxy_learn(struct hwmp_engine *e, const struct mac_addr *station, const struct mac_addr *mesh_node, uint64_t now)
{
	struct proxy_entry *x;
	bool changed;

	if (mac_equal(mesh_node, &e->self) || local_proxy_has(e, station) || mac_equal(station, &e->self))
		return;
	x = proxy_find(e, station);
	if (x == NULL) {
		uint32_t slot = hwmp_table_insert(&e->proxies, station);

		if (slot == HWMP_TABLE_NONE) {
			e->c.proxy_table_full++;
			return;
		}
		x = hwmp_table_record(&e->proxies, slot);
		changed = true;
	} else {
		changed = !mac_equal(&x->mesh_node, mesh_node);
	}
	x->mesh_node = *mesh_node;
	x->expiry_ms = now + e->p.active_path_timeout_ms;
	if (changed) {
		e->c.proxy_learned++;
		if (e->cb.proxy_install)
			e->cb.proxy_install(e->cb.ctx, station, mesh_node);
	}
}
