/* Aligned text tables, columns as wide as their widest cell (like `iw mpath dump`). */
#ifndef MESHCTL_TABLE_H
#define MESHCTL_TABLE_H

#include <stdio.h>

#define TABLE_MAX_COLS 16

struct table {
	unsigned n_cols, n_rows, cap_rows;
	const char *headers[TABLE_MAX_COLS];
	char **cells; /* n_rows × n_cols strings */
};

/* Starts a table with the given headers (NULL-terminated, ≤ TABLE_MAX_COLS). */
void table_init(struct table *t, const char *const *headers);

/* Appends a row of n_cols printf-style cells already formatted as strings; 0 or -1 on ENOMEM. */
int table_add_row(struct table *t, const char *const *cells);

/* Prints headers and rows, two spaces between columns, and frees the table. */
void table_print(struct table *t, FILE *out);

#endif
