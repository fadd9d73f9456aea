/* libFuzzer: arbitrary bytes as a node's JSON config. Loading must never crash; an accepted config
 * must survive config_to_json and load back to the same struct, and a reload's comparison must find
 * no difference between the two, and name only keys the live-key policy knows, against the previous
 * accepted config. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config_diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct node_config cfg, again, previous;
static int have_previous;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char keys[8][CONFIG_KEY_MAX];
	char err[512];
	json_t *json;
	char *text;

	if (config_load_string((const char *)data, size, &cfg, err, sizeof(err)) != 0)
		return 0;
	json = config_to_json(&cfg);
	text = json_dumps(json, JSON_COMPACT);
	json_decref(json);
	if (text == NULL)
		__builtin_trap();
	if (config_load_string(text, strlen(text), &again, err, sizeof(err)) != 0 ||
	    memcmp(&cfg, &again, sizeof(cfg)) != 0)
		__builtin_trap();
	free(text);
	if (config_diff(&cfg, &again, keys, 8) != 0)
		__builtin_trap();
	if (have_previous) {
		int n = config_diff(&previous, &cfg, keys, 8);

		if (n < 0)
			__builtin_trap();
		for (int i = 0; i < n && i < 8; i++)
			if (keys[i][0] == '\0')
				__builtin_trap();
			else
				(void)config_key_is_live(keys[i]);
	}
	previous = cfg;
	have_previous = 1;
	return 0;
}
