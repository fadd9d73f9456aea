#include "config_diff.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

struct diff {
	char (*keys)[CONFIG_KEY_MAX];
	unsigned max;
	int n;
};

static void add(struct diff *d, const char *key)
{
	if ((unsigned)d->n < d->max) {
		/* Config keys are far shorter than CONFIG_KEY_MAX; a longer one is cut, not overrun. */
		size_t n = strnlen(key, CONFIG_KEY_MAX - 1);

		memcpy(d->keys[d->n], key, n);
		d->keys[d->n][n] = '\0';
	}
	d->n++;
}

static void walk(struct diff *d, const char *key, json_t *a, json_t *b)
{
	char sub[CONFIG_KEY_MAX * 2];

	if (json_is_object(a) && json_is_object(b)) {
		const char *k;
		json_t *va;

		json_object_foreach(a, k, va) {
			snprintf(sub, sizeof(sub), "%s%s%s", key, *key ? "." : "", k);
			walk(d, sub, va, json_object_get(b, k));
		}
		json_object_foreach(b, k, va) {
			if (json_object_get(a, k) == NULL) {
				snprintf(sub, sizeof(sub), "%s%s%s", key, *key ? "." : "", k);
				add(d, sub);
			}
		}
		return;
	}
	if (json_is_array(a) && json_is_array(b) && json_array_size(a) == json_array_size(b)) {
		for (size_t i = 0; i < json_array_size(a); i++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", key, i);
			walk(d, sub, json_array_get(a, i), json_array_get(b, i));
		}
		return;
	}
	if (!json_equal(a, b))
		add(d, key);
}

int config_diff(const struct node_config *a, const struct node_config *b, char (*keys)[CONFIG_KEY_MAX],
		unsigned max)
{
	json_t *ja = config_to_json(a), *jb = config_to_json(b);
	struct diff d = {.keys = keys, .max = max};

	if (ja == NULL || jb == NULL)
		d.n = -1;
	else
		walk(&d, "", ja, jb);
	json_decref(ja);
	json_decref(jb);
	return d.n;
}

/* key is prefix itself or something inside it. */
static bool within(const char *key, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(key, prefix, n) == 0 && (key[n] == '\0' || key[n] == '.' || key[n] == '[');
}

bool config_key_is_live(const char *key)
{
	static const char *const live[] = {
		"log_level", "hwmp", "mesh.beacon_interval_tu", "mesh.beacon_loss_limit", "tables.fdb_aging_s",
		"telemetry.topology_interval_s", "static_paths", "static_proxies", "static_fdb",
	};

	for (size_t i = 0; i < sizeof(live) / sizeof(live[0]); i++)
		if (within(key, live[i]))
			return true;
	return false;
}
