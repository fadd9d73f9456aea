#include "json_fields.h"

#include <stdio.h>
#include <string.h>

#define JF_QUOTE_BUDGET 40

/* Shows a user-supplied string quoted and escaped, cut after JF_QUOTE_BUDGET bytes: config text may be
 * hostile (fuzzing, a tampered file) and must not inject control characters or flood the log. */
const char *jf_quote(const char *in, char out[JF_QUOTE_LEN])
{
	size_t o = 0;

	out[o++] = '"';
	for (const unsigned char *p = (const unsigned char *)in; *p != '\0'; p++) {
		if (o > JF_QUOTE_BUDGET) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (*p == '"' || *p == '\\') {
			out[o++] = '\\';
			out[o++] = (char)*p;
		} else if (*p >= 0x20 && *p < 0x7f) {
			out[o++] = (char)*p;
		} else {
			o += (size_t)snprintf(out + o, JF_QUOTE_LEN - o, "\\x%02x", *p);
		}
	}
	out[o++] = '"';
	out[o] = '\0';
	return out;
}

bool jf_is_name_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '-';
}

/* A key is echoed raw when it is a plausible identifier, quoted otherwise. */
const char *jf_show_key(const char *key, char out[JF_QUOTE_LEN])
{
	size_t len = strlen(key);
	bool plain = len > 0 && len <= JF_QUOTE_BUDGET;

	for (size_t i = 0; plain && i < len; i++)
		plain = jf_is_name_char((unsigned char)key[i]);
	if (!plain)
		return jf_quote(key, out);
	memcpy(out, key, len + 1);
	return out;
}

const char *jf_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "integer";
	case JSON_REAL: return "real";
	case JSON_TRUE:
	case JSON_FALSE: return "boolean";
	case JSON_NULL: return "null";
	}
	return "unknown";
}

/* "where.key", or just "key" at the top level. Real paths are short; an overlong one (only a caller
 * bug could make it) is cut and marked rather than overflowing. */
const char *jf_join(char out[JF_PATH_LEN], const char *where, const char *key)
{
	int n = snprintf(out, JF_PATH_LEN, "%s%s%s", where, where[0] == '\0' ? "" : ".", key);

	if (n >= JF_PATH_LEN)
		memcpy(out + JF_PATH_LEN - 4, "...", 4);
	return out;
}

/* Stores through memcpy so one routine serves 1-, 2- and 4-byte members without aliasing tricks. */
void jf_field_store(void *base, const struct field *f, long long value)
{
	unsigned char *dst = (unsigned char *)base + f->offset;

	if (f->kind == FIELD_BOOL) {
		bool b = value != 0;

		memcpy(dst, &b, sizeof(b));
	} else if (f->size == 1) {
		uint8_t v = (uint8_t)value;

		memcpy(dst, &v, sizeof(v));
	} else if (f->size == 2) {
		uint16_t v = (uint16_t)value;

		memcpy(dst, &v, sizeof(v));
	} else {
		uint32_t v = (uint32_t)value;

		memcpy(dst, &v, sizeof(v));
	}
}

long long jf_field_load(const void *base, const struct field *f)
{
	const unsigned char *src = (const unsigned char *)base + f->offset;

	if (f->kind == FIELD_BOOL) {
		bool b;

		memcpy(&b, src, sizeof(b));
		return b;
	}
	if (f->size == 1) {
		uint8_t v;

		memcpy(&v, src, sizeof(v));
		return v;
	}
	if (f->size == 2) {
		uint16_t v;

		memcpy(&v, src, sizeof(v));
		return v;
	}
	uint32_t v;

	memcpy(&v, src, sizeof(v));
	return v;
}

void jf_fields_set_defaults(void *base, const struct field *fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		jf_field_store(base, &fields[i], fields[i].def);
}

int jf_read_uint(const json_t *v, const char *path, long long min, long long max, long long *out,
		     struct errbuf *e)
{
	long long value;

	if (!json_is_integer(v))
		return errbuf_fail(e, "%s: expected an integer, got %s", path, jf_type_name(v));
	value = json_integer_value(v);
	if (value < min || value > max)
		return errbuf_fail(e, "%s: %lld is out of range %lld..%lld", path, value, min, max);
	*out = value;
	return 0;
}

int jf_read_bool(const json_t *v, const char *path, bool *out, struct errbuf *e)
{
	if (!json_is_boolean(v))
		return errbuf_fail(e, "%s: expected a boolean, got %s", path, jf_type_name(v));
	*out = json_is_true(v);
	return 0;
}

int jf_read_field(const json_t *v, const struct field *f, const char *where, void *base,
		      struct errbuf *e)
{
	char path[JF_PATH_LEN];
	long long value;

	jf_join(path, where, f->key);
	if (f->kind == FIELD_BOOL) {
		bool b = false;

		if (jf_read_bool(v, path, &b, e) < 0)
			return -1;
		value = b;
	} else if (jf_read_uint(v, path, f->min, f->max, &value, e) < 0) {
		return -1;
	}
	jf_field_store(base, f, value);
	return 0;
}

/* Reads every table key present in obj; absent keys keep their defaults. */
int jf_read_fields(const json_t *obj, const char *where, const struct field *fields, size_t n,
		       void *base, struct errbuf *e)
{
	for (size_t i = 0; i < n; i++) {
		const json_t *v = json_object_get(obj, fields[i].key);

		if (v != NULL && jf_read_field(v, &fields[i], where, base, e) < 0)
			return -1;
	}
	return 0;
}

/* Reads a string of min..max bytes into dst, zero-filling the rest so configs compare with memcmp. */
int jf_read_string(const json_t *v, const char *path, size_t min, size_t max, char *dst,
		       struct errbuf *e)
{
	char q[JF_QUOTE_LEN];
	const char *s;
	size_t len;

	if (!json_is_string(v))
		return errbuf_fail(e, "%s: expected a string, got %s", path, jf_type_name(v));
	s = json_string_value(v);
	len = strlen(s);
	if (len < min || len > max)
		return errbuf_fail(e, "%s: %s is %zu bytes long, expected %zu..%zu", path, jf_quote(s, q), len, min,
			    max);
	memset(dst, 0, max + 1);
	memcpy(dst, s, len);
	return 0;
}

int jf_check_chars(const char *s, const char *path, char_class allowed, const char *allowed_desc,
		       struct errbuf *e)
{
	char q[JF_QUOTE_LEN];

	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (allowed(*p))
			continue;
		if (*p >= 0x20 && *p < 0x7f)
			return errbuf_fail(e, "%s: %s contains '%c'; allowed are %s", path, jf_quote(s, q), *p,
				    allowed_desc);
		return errbuf_fail(e, "%s: %s contains byte 0x%02x; allowed are %s", path, jf_quote(s, q), *p,
			    allowed_desc);
	}
	return 0;
}

int jf_read_name(const json_t *v, const char *path, size_t max, char_class allowed,
		     const char *allowed_desc, char *dst, struct errbuf *e)
{
	if (jf_read_string(v, path, 1, max, dst, e) < 0)
		return -1;
	return jf_check_chars(dst, path, allowed, allowed_desc, e);
}

/* Every configured address names one station or mesh point: group and zero addresses are mistakes. */
int jf_read_unicast_mac(const json_t *v, const char *path, struct mac_addr *out, struct errbuf *e)
{
	char q[JF_QUOTE_LEN], text[MAC_STR_LEN];
	struct mac_addr mac;

	if (!json_is_string(v))
		return errbuf_fail(e, "%s: expected a string, got %s", path, jf_type_name(v));
	if (mac_parse(json_string_value(v), &mac) < 0)
		return errbuf_fail(e, "%s: %s is not a MAC address", path, jf_quote(json_string_value(v), q));
	if (mac_is_group(&mac))
		return errbuf_fail(e, "%s: %s is a group address", path, mac_format(&mac, text));
	if (mac_is_zero(&mac))
		return errbuf_fail(e, "%s: %s is the zero address", path, mac_format(&mac, text));
	*out = mac;
	return 0;
}

/* Reads a string that must be one of names[0..n-1]; *out is its index. */
int jf_read_choice(const json_t *v, const char *path, const char *const *names, size_t n, int *out,
		       struct errbuf *e)
{
	char q[JF_QUOTE_LEN], list[128] = "";

	if (!json_is_string(v))
		return errbuf_fail(e, "%s: expected a string, got %s", path, jf_type_name(v));
	for (size_t i = 0; i < n; i++) {
		if (strcmp(json_string_value(v), names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
		strncat(list, i == 0 ? "" : ", ", sizeof(list) - strlen(list) - 1);
		strncat(list, names[i], sizeof(list) - strlen(list) - 1);
	}
	return errbuf_fail(e, "%s: %s is not one of %s", path, jf_quote(json_string_value(v), q), list);
}

int jf_check_array(const json_t *v, const char *path, size_t min, size_t max, struct errbuf *e)
{
	size_t n;

	if (!json_is_array(v))
		return errbuf_fail(e, "%s: expected an array, got %s", path, jf_type_name(v));
	n = json_array_size(v);
	if (n < min || n > max)
		return errbuf_fail(e, "%s: has %zu entries, expected %zu..%zu", path, n, min, max);
	return 0;
}

int jf_check_object(const json_t *v, const char *path, struct errbuf *e)
{
	if (!json_is_object(v))
		return errbuf_fail(e, "%s: expected an object, got %s", path, jf_type_name(v));
	return 0;
}

/* Fetches a required member. */
int jf_require(const json_t *obj, const char *where, const char *key, const json_t **out,
		   struct errbuf *e)
{
	char path[JF_PATH_LEN];

	*out = json_object_get(obj, key);
	if (*out == NULL)
		return errbuf_fail(e, "%s: missing", jf_join(path, where, key));
	return 0;
}

/* Fetches an optional section object; *out is NULL when the section is absent. */
int jf_get_section(const json_t *root, const char *key, const json_t **out, struct errbuf *e)
{
	*out = json_object_get(root, key);
	if (*out == NULL)
		return 0;
	return jf_check_object(*out, key, e);
}

bool jf_in_list(const char *key, const char *const *list)
{
	for (; list != NULL && *list != NULL; list++)
		if (strcmp(key, *list) == 0)
			return true;
	return false;
}

bool jf_in_fields(const char *key, const struct field *fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(key, fields[i].key) == 0)
			return true;
	return false;
}

/* Unknown keys are errors, not warnings: a misspelt key would otherwise silently keep a default. */
int jf_reject_unknown_keys(const json_t *obj, const char *where, const struct field *fields,
			       size_t n, const char *const *extra, struct errbuf *e)
{
	const char *key;
	const json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		char shown[JF_QUOTE_LEN], path[JF_PATH_LEN];

		if (!jf_in_fields(key, fields, n) && !jf_in_list(key, extra))
			return errbuf_fail(e, "%s: unknown key", jf_join(path, where, jf_show_key(key, shown)));
	}
	return 0;
}

/* Every set goes through jf_put(): json_object_set_new() consumes value even on failure and rejects a NULL
 * value, so one flag collects allocation failures from the whole tree. */
void jf_put(json_t *obj, const char *key, json_t *value, bool *ok)
{
	if (json_object_set_new(obj, key, value) != 0)
		*ok = false;
}

void jf_append(json_t *arr, json_t *value, bool *ok)
{
	if (json_array_append_new(arr, value) != 0)
		*ok = false;
}

json_t *jf_mac_to_json(const struct mac_addr *mac)
{
	char text[MAC_STR_LEN];

	return json_string(mac_format(mac, text));
}

void jf_fields_to_json(json_t *obj, const void *base, const struct field *fields, size_t n, bool *ok)
{
	for (size_t i = 0; i < n; i++) {
		long long v = jf_field_load(base, &fields[i]);

		jf_put(obj, fields[i].key, fields[i].kind == FIELD_BOOL ? json_boolean(v) : json_integer(v), ok);
	}
}
