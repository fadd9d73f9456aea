#include "reload.h"

#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_log.h>

#include "config_diff.h"
#include "control.h"
#include "hwmp_glue.h"
#include "log.h"
#include "neighbours.h"
#include "node.h"

#define DIFF_KEYS_MAX 32

/* IDLE -> REQUESTED (telemetry) -> DONE (control) -> IDLE (telemetry), as the snapshot pages. */
enum { IDLE = 0, REQUESTED, DONE };

static char path[CONFIG_PATH_MAX + 1];
static volatile sig_atomic_t signalled;
static pthread_mutex_t request_lock = PTHREAD_MUTEX_INITIALIZER;
static int state;
static int result;
static char result_msg[RELOAD_MSG_MAX];
static struct node_config next; /* the file as read again: too big for the control thread's stack */

void reload_init(const char *config_path)
{
	snprintf(path, sizeof(path), "%s", config_path);
}

void reload_request_async(void)
{
	signalled = 1;
}

int reload_request(char *msg, size_t len)
{
	int ret = -1;

	pthread_mutex_lock(&request_lock);
	__atomic_store_n(&state, REQUESTED, __ATOMIC_RELEASE);
	for (int i = 0; i < 50000; i++) {
		if (__atomic_load_n(&state, __ATOMIC_ACQUIRE) == DONE) {
			ret = result;
			snprintf(msg, len, "%s", result_msg);
			break;
		}
		usleep(100);
	}
	if (ret < 0) {
		int expected = REQUESTED;

		/* Not taken up yet: withdraw it; taken up: wait for the outcome, the control thread is on it. */
		if (!__atomic_compare_exchange_n(&state, &expected, IDLE, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			while (__atomic_load_n(&state, __ATOMIC_ACQUIRE) != DONE)
				usleep(100);
			ret = result;
			snprintf(msg, len, "%s", result_msg);
		} else {
			snprintf(msg, len, "the control thread did not answer within 5 s");
		}
	}
	__atomic_store_n(&state, IDLE, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&request_lock);
	return ret;
}

static bool has_static_path(const struct node_config *c, const struct mac_addr *dest)
{
	for (unsigned i = 0; i < c->n_static_paths; i++)
		if (mac_equal(&c->static_paths[i].dest, dest))
			return true;
	return false;
}

static bool is_static_next_hop(const struct node_config *c, const struct mac_addr *mac)
{
	for (unsigned i = 0; i < c->n_static_paths; i++)
		if (mac_equal(&c->static_paths[i].next_hop, mac))
			return true;
	return false;
}

static bool has_static_proxy(const struct node_config *c, const struct mac_addr *station)
{
	for (unsigned i = 0; i < c->n_static_proxies; i++)
		if (mac_equal(&c->static_proxies[i].station, station))
			return true;
	return false;
}

static bool has_static_fdb(const struct node_config *c, const struct mac_addr *mac)
{
	for (unsigned i = 0; i < c->n_static_fdb; i++)
		if (mac_equal(&c->static_fdb[i].mac, mac))
			return true;
	return false;
}

/* Removes the static entry of mac from t when it is one (dynamic ones stay). */
static void remove_static_fdb(const struct mac_addr *mac)
{
	const struct fdb_entry *e = mac_table_lookup(the_node.tables.fdb, mac);

	if (e != NULL && e->is_static)
		mac_table_remove(the_node.tables.fdb, mac);
}

/* The static entries the new config no longer has go; then every static entry of the new one is
 * (re)written in place, so an entry that stays is never missing for a lookup. */
static int apply_static(const struct node_config *old, const struct node_config *new, uint64_t now_ms)
{
	for (unsigned i = 0; i < old->n_static_paths; i++) {
		const struct static_path *sp = &old->static_paths[i];
		const struct path_entry *p = mac_table_lookup(the_node.tables.paths, &sp->dest);

		if (!has_static_path(new, &sp->dest) && p != NULL && p->state == PATH_STATIC)
			mac_table_remove(the_node.tables.paths, &sp->dest);
		if (!is_static_next_hop(new, &sp->next_hop) && neighbours_find(&sp->next_hop) == NULL)
			remove_static_fdb(&sp->next_hop);
	}
	for (unsigned i = 0; i < old->n_static_proxies; i++)
		if (!has_static_proxy(new, &old->static_proxies[i].station))
			remove_static_fdb(&old->static_proxies[i].station);
	for (unsigned i = 0; i < old->n_static_fdb; i++)
		if (!has_static_fdb(new, &old->static_fdb[i].mac)) {
			remove_static_fdb(&old->static_fdb[i].mac);
			hwmp_glue_local_station(&old->static_fdb[i].mac, false);
		}
	the_node.cfg.n_static_paths = new->n_static_paths;
	memcpy(the_node.cfg.static_paths, new->static_paths, sizeof(new->static_paths));
	the_node.cfg.n_static_proxies = new->n_static_proxies;
	memcpy(the_node.cfg.static_proxies, new->static_proxies, sizeof(new->static_proxies));
	the_node.cfg.n_static_fdb = new->n_static_fdb;
	memcpy(the_node.cfg.static_fdb, new->static_fdb, sizeof(new->static_fdb));
	for (unsigned i = 0; i < new->n_static_fdb; i++)
		hwmp_glue_local_station(&new->static_fdb[i].mac, true);
	return tables_load_static(&the_node.tables, &the_node.cfg, now_ms / 1000);
}

/* The outcome for the log and meshctl; a message longer than RELOAD_MSG_MAX is cut. */
static void say(char *msg, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void say(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
}

/* Reads the file again and applies what changed; 0 applied or nothing to do, 1 refused or failed. */
static int reload(uint64_t now_ms, char *msg, size_t len)
{
	char err[400], keys[DIFF_KEYS_MAX][CONFIG_KEY_MAX];
	int n;
	size_t off;
	bool hwmp_changed = false;

	if (config_load_file(path, &next, err, sizeof(err)) < 0) {
		say(msg, len, "%s; nothing changed", err); /* err names the file */
		return 1;
	}
	n = config_diff(&the_node.cfg, &next, keys, DIFF_KEYS_MAX);
	if (n < 0) {
		say(msg, len, "%s: cannot compare it with the running config; nothing changed", path);
		return 1;
	}
	if (n == 0) {
		say(msg, len, "%s: no change", path);
		return 0;
	}
	for (int i = 0; i < n && i < DIFF_KEYS_MAX; i++)
		if (!config_key_is_live(keys[i])) {
			say(msg, len, "%s: %s cannot change while the node runs (restart it to change it); nothing changed",
				 path, keys[i]);
			return 1;
		}
	if (n > DIFF_KEYS_MAX) {
		say(msg, len, "%s: more than %d keys changed at once; nothing changed", path, DIFF_KEYS_MAX);
		return 1;
	}
	for (int i = 0; i < n; i++)
		hwmp_changed |= strncmp(keys[i], "hwmp", 4) == 0;
	if (hwmp_changed) {
		struct hwmp_config before = the_node.cfg.hwmp;

		the_node.cfg.hwmp = next.hwmp;
		if (hwmp_glue_reconfigure(now_ms) < 0) {
			the_node.cfg.hwmp = before;
			say(msg, len, "%s: the HWMP engine refused the hwmp section; nothing changed", path);
			return 1;
		}
	}
	if (next.log_level != the_node.cfg.log_level) {
		the_node.cfg.log_level = next.log_level;
		log_set_level(next.log_level);
		rte_log_set_global_level((uint32_t)(4 + next.log_level)); /* DPDK's levels: 4 error ... 8 debug */
	}
	the_node.cfg.mesh.beacon_interval_tu = next.mesh.beacon_interval_tu;
	the_node.cfg.mesh.beacon_loss_limit = next.mesh.beacon_loss_limit;
	the_node.cfg.tables.fdb_aging_s = next.tables.fdb_aging_s;
	the_node.cfg.telemetry.topology_interval_s = next.telemetry.topology_interval_s;
	if (apply_static(&the_node.cfg, &next, now_ms) < 0) {
		say(msg, len, "%s: the tables had no room for every static entry (the log names it); the other "
			 "changes are applied", path);
		return 1;
	}
	say(msg, len, "%s: applied %d change%s:", path, n, n == 1 ? "" : "s");
	for (int i = 0; i < n && (off = strlen(msg)) + 1 < len; i++)
		say(msg + off, len - off, " %s", keys[i]);
	return 0;
}

void reload_serve(uint64_t now_ms)
{
	char msg[RELOAD_MSG_MAX];
	bool asked = __atomic_load_n(&state, __ATOMIC_ACQUIRE) == REQUESTED;
	int ret;

	if (!asked && !signalled)
		return;
	signalled = 0;
	ret = reload(now_ms, msg, sizeof(msg));
	if (ret == 0)
		LOG_NOTICE("reload: %s", msg);
	else
		LOG_WARN("reload: %s", msg);
	control_count(ret == 0 ? CONTROL_reloads : CONTROL_reloads_refused);
	if (asked) {
		int expected = REQUESTED;

		snprintf(result_msg, sizeof(result_msg), "%s", msg);
		result = ret;
		__atomic_compare_exchange_n(&state, &expected, DONE, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	}
}
