/* A fixed-capacity MAC-keyed slot allocator with an open-addressing index (linear probing, backward-shift
 * deletion, so no tombstones build up). The caller owns an array of records whose first member is the
 * struct mac_addr key; the table hands out slot numbers into it. No allocation after hwmp_table_init. */
#ifndef MESHPLANE_HWMP_HWMP_TABLE_H
#define MESHPLANE_HWMP_HWMP_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mac.h"

#define HWMP_TABLE_NONE UINT32_MAX

struct hwmp_table {
	uint8_t *records;     /* capacity records of record_size bytes, key first */
	size_t record_size;
	uint32_t capacity;
	uint32_t used;
	uint32_t *index;      /* index_size buckets: slot + 1, 0 = empty */
	uint32_t index_mask;
	uint32_t *free_slots; /* stack of free slot numbers */
	uint32_t n_free;
	uint8_t *in_use;      /* per slot */
};

/* Allocates a table of capacity records of record_size bytes (zeroed); 0 or -1 on ENOMEM/bad size. */
int hwmp_table_init(struct hwmp_table *t, uint32_t capacity, size_t record_size);

/* Frees what hwmp_table_init allocated. */
void hwmp_table_free(struct hwmp_table *t);

/* The slot holding key, or HWMP_TABLE_NONE. */
uint32_t hwmp_table_find(const struct hwmp_table *t, const struct mac_addr *key);

/* Inserts key (must be absent) into a zeroed record; its slot, or HWMP_TABLE_NONE when full. */
uint32_t hwmp_table_insert(struct hwmp_table *t, const struct mac_addr *key);

/* Removes the record in slot (which must be in use). */
void hwmp_table_remove(struct hwmp_table *t, uint32_t slot);

/* The record stored in slot. */
static inline void *hwmp_table_record(const struct hwmp_table *t, uint32_t slot)
{
	return t->records + (size_t)slot * t->record_size;
}

/* True when slot holds a record (for iteration over 0..capacity-1). */
static inline bool hwmp_table_in_use(const struct hwmp_table *t, uint32_t slot)
{
	return t->in_use[slot] != 0;
}

#endif
