/* libFuzzer: arbitrary bytes as a node's JSON config. Loading must never crash; an accepted config
 * must survive config_to_json and load back to the same struct. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct node_config cfg, again;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
	return 0;
}
