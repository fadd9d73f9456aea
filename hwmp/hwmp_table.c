#include "hwmp_table.h"

#include <stdlib.h>
#include <string.h>

/* Locally administered sequential MACs (the simulator's, and many labs') differ only in the low bytes:
 * mix all six bytes so they spread over the index. */
static uint32_t mac_hash(const struct mac_addr *a)
{
	uint64_t v = 0;

	for (int i = 0; i < MAC_LEN; i++)
		v = v << 8 | a->bytes[i];
	v *= 0x9E3779B97F4A7C15ull;
	return (uint32_t)(v >> 32);
}

int hwmp_table_init(struct hwmp_table *t, uint32_t capacity, size_t record_size)
{
	uint32_t size = 2;

	memset(t, 0, sizeof(*t));
	if (capacity == 0 || capacity > (1u << 28) || record_size < sizeof(struct mac_addr))
		return -1;
	/* At most half full: short probe sequences. */
	while (size < capacity * 2)
		size <<= 1;
	t->records = calloc(capacity, record_size);
	t->index = calloc(size, sizeof(*t->index));
	t->free_slots = malloc(sizeof(*t->free_slots) * capacity);
	t->in_use = calloc(capacity, 1);
	if (!t->records || !t->index || !t->free_slots || !t->in_use) {
		hwmp_table_free(t);
		return -1;
	}
	t->record_size = record_size;
	t->capacity = capacity;
	t->index_mask = size - 1;
	/* Hand out low slots first so iteration stays dense. */
	for (uint32_t i = 0; i < capacity; i++)
		t->free_slots[i] = capacity - 1 - i;
	t->n_free = capacity;
	return 0;
}

void hwmp_table_free(struct hwmp_table *t)
{
	free(t->records);
	free(t->index);
	free(t->free_slots);
	free(t->in_use);
	memset(t, 0, sizeof(*t));
}

static const struct mac_addr *key_of(const struct hwmp_table *t, uint32_t slot)
{
	return (const struct mac_addr *)hwmp_table_record(t, slot);
}

uint32_t hwmp_table_find(const struct hwmp_table *t, const struct mac_addr *key)
{
	uint32_t b = mac_hash(key) & t->index_mask;

	while (t->index[b] != 0) {
		uint32_t slot = t->index[b] - 1;

		if (mac_equal(key_of(t, slot), key))
			return slot;
		b = (b + 1) & t->index_mask;
	}
	return HWMP_TABLE_NONE;
}

uint32_t hwmp_table_insert(struct hwmp_table *t, const struct mac_addr *key)
{
	uint32_t b, slot;

	if (t->n_free == 0)
		return HWMP_TABLE_NONE;
	slot = t->free_slots[--t->n_free];
	memset(hwmp_table_record(t, slot), 0, t->record_size);
	memcpy(hwmp_table_record(t, slot), key, sizeof(*key));
	t->in_use[slot] = 1;
	b = mac_hash(key) & t->index_mask;
	while (t->index[b] != 0)
		b = (b + 1) & t->index_mask;
	t->index[b] = slot + 1;
	t->used++;
	return slot;
}

void hwmp_table_remove(struct hwmp_table *t, uint32_t slot)
{
	uint32_t b = mac_hash(key_of(t, slot)) & t->index_mask, next;

	while (t->index[b] != slot + 1)
		b = (b + 1) & t->index_mask;
	/* Backward-shift: pull later members of the probe run into the hole when their home bucket allows. */
	for (next = (b + 1) & t->index_mask; t->index[next] != 0; next = (next + 1) & t->index_mask) {
		uint32_t home = mac_hash(key_of(t, t->index[next] - 1)) & t->index_mask;

		/* Move if home is not in the cyclic range (b, next]. */
		if (((next - home) & t->index_mask) >= ((next - b) & t->index_mask)) {
			t->index[b] = t->index[next];
			b = next;
		}
	}
	t->index[b] = 0;
	t->in_use[slot] = 0;
	t->free_slots[t->n_free++] = slot;
	t->used--;
}
