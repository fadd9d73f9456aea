/* Generic JSON readers and writers for the loaders (node config, airsim topology): typed values with
 * range checks, tables of plain integer/boolean fields, unknown-key rejection. Every error names the
 * key path ("mesh.ttl: 300 is out of range 1..255") and quotes user text escaped and cut. */
#ifndef MESHPLANE_JSON_FIELDS_H
#define MESHPLANE_JSON_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "errbuf.h"
#include "mac.h"

#define JF_PATH_LEN 96   /* longest key path: "static_proxies[1023].station" and friends */
#define JF_QUOTE_LEN 64  /* a user string shown in a message, escaped and cut */
#define JF_TIMEOUT_MAX 3600000 /* one hour in ms (or TU): anything longer is a typo */

/* Plain integer and boolean keys are described once, in a table: the loader, the defaults and the
 * JSON writer all walk the same table, so they cannot drift apart. Key = struct member name. */
enum field_kind { FIELD_UINT, FIELD_BOOL };

struct field {
	const char *key;
	enum field_kind kind;
	size_t offset;
	size_t size;
	long long min, max, def;
};

#define UINT_FIELD(type, member, lo, hi, dflt) \
	{#member, FIELD_UINT, offsetof(type, member), sizeof(((type *)0)->member), (lo), (hi), (dflt)}
#define BOOL_FIELD(type, member, dflt) \
	{#member, FIELD_BOOL, offsetof(type, member), sizeof(bool), 0, 1, (dflt)}
#define TIMEOUT_FIELD(type, member, dflt) UINT_FIELD(type, member, 1, JF_TIMEOUT_MAX, dflt)
#define N_FIELDS(a) (sizeof(a) / sizeof((a)[0]))

typedef bool (*char_class)(unsigned char c);

/* in, double-quoted, with quotes/backslashes escaped, control bytes as \xNN, cut after 40 bytes. */
const char *jf_quote(const char *in, char out[JF_QUOTE_LEN]);
/* Letters, digits, '_' and '-'. */
bool jf_is_name_char(unsigned char c);
/* key as is when it is a short identifier, else quoted (keys of hostile files go to logs). */
const char *jf_show_key(const char *key, char out[JF_QUOTE_LEN]);
/* "object", "integer", ... for messages. */
const char *jf_type_name(const json_t *v);
/* "where.key" (or "key" when where is empty) into out; returns out. */
const char *jf_join(char out[JF_PATH_LEN], const char *where, const char *key);

/* Stores value into the field's member of base (1, 2 or 4 bytes, or bool). */
void jf_field_store(void *base, const struct field *f, long long value);
/* Loads the field's member of base. */
long long jf_field_load(const void *base, const struct field *f);
/* Stores every field's default into base. */
void jf_fields_set_defaults(void *base, const struct field *fields, size_t n);

/* An integer in min..max into *out; 0, or -1 with the message in e. */
int jf_read_uint(const json_t *v, const char *path, long long min, long long max, long long *out,
		 struct errbuf *e);
/* A boolean into *out; 0 or -1. */
int jf_read_bool(const json_t *v, const char *path, bool *out, struct errbuf *e);
/* One table field from v into base; 0 or -1. */
int jf_read_field(const json_t *v, const struct field *f, const char *where, void *base, struct errbuf *e);
/* Every table field present in obj into base (absent ones keep their value); 0 or -1. */
int jf_read_fields(const json_t *obj, const char *where, const struct field *fields, size_t n, void *base,
		   struct errbuf *e);
/* A string of min..max bytes into dst (zero-filled to max + 1); 0 or -1. */
int jf_read_string(const json_t *v, const char *path, size_t min, size_t max, char *dst, struct errbuf *e);
/* 0 when every byte of s is allowed, else -1 naming the first bad character. */
int jf_check_chars(const char *s, const char *path, char_class allowed, const char *allowed_desc,
		   struct errbuf *e);
/* A non-empty string of at most max bytes from the allowed alphabet; 0 or -1. */
int jf_read_name(const json_t *v, const char *path, size_t max, char_class allowed, const char *allowed_desc,
		 char *dst, struct errbuf *e);
/* A MAC address string that is neither group nor zero; 0 or -1. */
int jf_read_unicast_mac(const json_t *v, const char *path, struct mac_addr *out, struct errbuf *e);
/* A string equal to one of names[0..n-1]; *out = its index; 0 or -1 listing the choices. */
int jf_read_choice(const json_t *v, const char *path, const char *const *names, size_t n, int *out,
		   struct errbuf *e);
/* 0 when v is an array of min..max entries, else -1. */
int jf_check_array(const json_t *v, const char *path, size_t min, size_t max, struct errbuf *e);
/* 0 when v is an object, else -1. */
int jf_check_object(const json_t *v, const char *path, struct errbuf *e);
/* The member key of obj into *out; -1 "where.key: missing" when absent. */
int jf_require(const json_t *obj, const char *where, const char *key, const json_t **out, struct errbuf *e);
/* Optional section object of root: *out NULL when absent; -1 when not an object. */
int jf_get_section(const json_t *root, const char *key, const json_t **out, struct errbuf *e);
/* True when key is in the NULL-terminated list (NULL list: false). */
bool jf_in_list(const char *key, const char *const *list);
/* True when key names one of the fields. */
bool jf_in_fields(const char *key, const struct field *fields, size_t n);
/* -1 naming the first key of obj that is neither a field nor in extra; else 0. */
int jf_reject_unknown_keys(const json_t *obj, const char *where, const struct field *fields, size_t n,
			   const char *const *extra, struct errbuf *e);

/* json_object_set_new that clears *ok on failure (value is consumed either way). */
void jf_put(json_t *obj, const char *key, json_t *value, bool *ok);
/* json_array_append_new that clears *ok on failure. */
void jf_append(json_t *arr, json_t *value, bool *ok);
/* "aa:bb:cc:dd:ee:ff" as a new JSON string. */
json_t *jf_mac_to_json(const struct mac_addr *mac);
/* Every table field of base into obj (integers and booleans). */
void jf_fields_to_json(json_t *obj, const void *base, const struct field *fields, size_t n, bool *ok);

#endif
