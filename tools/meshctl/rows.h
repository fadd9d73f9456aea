/* Paged table commands (/meshplane/fdb, /paths, /peers, /stations) read whole. */
#ifndef MESHCTL_ROWS_H
#define MESHCTL_ROWS_H

#include <jansson.h>

#include "telemetry_client.h"

/* Fetches every page of a paged table command into one JSON array of rows (new reference), or NULL
 * with a message in err. */
json_t *fetch_all_rows(struct telemetry_client *c, const char *cmd, char *err, size_t errlen);

/* A row's string field, or "" when it is absent or not a string. */
const char *row_str(json_t *row, const char *key);

/* Appends to *text (malloc'd, may start NULL) the parts "<name>_0".."<name>_<n-1>" of a reply that
 * carries a long text in pieces (telemetry strings are short); 0, or -1 out of memory. */
int text_parts_append(json_t *reply, const char *name, char **text, size_t *len);

/* A row's integer field, or 0 when it is absent or not an integer. */
long long row_int(json_t *row, const char *key);

#endif
