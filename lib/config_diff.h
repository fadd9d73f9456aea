/* Which keys differ between two node configs, named as the config file names them
 * ("hwmp.max_preq_retries", "ports[1].devargs", "static_paths[0]"), and which of them a running node
 * can take without a restart. */
#ifndef MESHPLANE_CONFIG_DIFF_H
#define MESHPLANE_CONFIG_DIFF_H

#include <stdbool.h>

#include "config.h"

#define CONFIG_KEY_MAX 64

/* Writes up to max differing keys of a and b (effective values, defaults included) into keys; returns
 * how many differ (possibly more than max), or -1 when a config cannot be rendered. An array that
 * changed its length is one key (its name); otherwise its differing elements are named. */
int config_diff(const struct node_config *a, const struct node_config *b, char (*keys)[CONFIG_KEY_MAX],
		unsigned max);

/* True when a running node applies a change of key (a config_diff key) without a restart: log_level,
 * hwmp.*, mesh.beacon_interval_tu, mesh.beacon_loss_limit, tables.fdb_aging_s,
 * telemetry.topology_interval_s, static_paths, static_proxies, static_fdb. */
bool config_key_is_live(const char *key);

#endif
