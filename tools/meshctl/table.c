#include "table.h"

#include <stdlib.h>
#include <string.h>

void table_init(struct table *t, const char *const *headers)
{
	memset(t, 0, sizeof(*t));
	while (t->n_cols < TABLE_MAX_COLS && headers[t->n_cols] != NULL) {
		t->headers[t->n_cols] = headers[t->n_cols];
		t->n_cols++;
	}
}

int table_add_row(struct table *t, const char *const *cells)
{
	if (t->n_rows == t->cap_rows) {
		unsigned cap = t->cap_rows ? t->cap_rows * 2 : 16;
		char **grown = realloc(t->cells, (size_t)cap * t->n_cols * sizeof(*grown));

		if (grown == NULL)
			return -1;
		t->cells = grown;
		t->cap_rows = cap;
	}
	for (unsigned c = 0; c < t->n_cols; c++)
		t->cells[(size_t)t->n_rows * t->n_cols + c] = strdup(cells[c] ? cells[c] : "");
	t->n_rows++;
	return 0;
}

void table_print(struct table *t, FILE *out)
{
	size_t width[TABLE_MAX_COLS];

	for (unsigned c = 0; c < t->n_cols; c++) {
		width[c] = strlen(t->headers[c]);
		for (unsigned r = 0; r < t->n_rows; r++) {
			size_t w = strlen(t->cells[(size_t)r * t->n_cols + c]);

			if (w > width[c])
				width[c] = w;
		}
	}
	for (unsigned c = 0; c < t->n_cols; c++)
		fprintf(out, "%-*s%s", c + 1 < t->n_cols ? (int)width[c] : 0, t->headers[c], c + 1 < t->n_cols ? "  " : "\n");
	for (unsigned r = 0; r < t->n_rows; r++) {
		for (unsigned c = 0; c < t->n_cols; c++) {
			char *cell = t->cells[(size_t)r * t->n_cols + c];

			fprintf(out, "%-*s%s", c + 1 < t->n_cols ? (int)width[c] : 0, cell, c + 1 < t->n_cols ? "  " : "\n");
			free(cell);
		}
	}
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
