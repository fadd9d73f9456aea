#include "rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *row_str(json_t *row, const char *key)
{
	json_t *v = json_object_get(row, key);

	return json_is_string(v) ? json_string_value(v) : "";
}

int text_parts_append(json_t *reply, const char *name, char **text, size_t *len)
{
	char key[48];
	long long parts;

	snprintf(key, sizeof(key), "%s_parts", name);
	parts = row_int(reply, key);
	for (long long i = 0; i < parts; i++) {
		const char *part;
		size_t n;
		char *grown;

		snprintf(key, sizeof(key), "%s_%lld", name, i);
		part = row_str(reply, key);
		n = strlen(part);
		grown = realloc(*text, *len + n + 1);
		if (grown == NULL)
			return -1;
		memcpy(grown + *len, part, n + 1);
		*text = grown;
		*len += n;
	}
	if (*text == NULL && (*text = calloc(1, 1)) == NULL)
		return -1;
	return 0;
}

long long row_int(json_t *row, const char *key)
{
	json_t *v = json_object_get(row, key);

	return json_is_integer(v) ? json_integer_value(v) : 0;
}

json_t *fetch_all_rows(struct telemetry_client *c, const char *cmd, char *err, size_t errlen)
{
	json_t *rows = json_array();
	long long offset = 0;

	for (;;) {
		char params[24];
		json_t *page, *next;
		json_t *v;

		snprintf(params, sizeof(params), "%lld", offset);
		page = telemetry_request(c, cmd, params, err, errlen);
		if (page == NULL) {
			json_decref(rows);
			return NULL;
		}
		/* Rows are keyed by their index; the header keys are words. */
		for (long long i = offset; i < offset + row_int(page, "count"); i++) {
			char k[24];

			snprintf(k, sizeof(k), "%lld", i);
			v = json_object_get(page, k);
			if (v != NULL)
				json_array_append(rows, v);
		}
		next = json_object_get(page, "next_offset");
		if (!json_is_integer(next) || json_integer_value(next) <= offset) {
			json_decref(page);
			return rows;
		}
		offset = json_integer_value(next);
		json_decref(page);
	}
}
