#include "mac_table.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>

#include "log.h"

/* What the defer queue holds until readers have moved on. */
struct retired {
	uint32_t entry_id;
	int32_t key_pos; /* hash slot to free as well, or -1 when the key stays published */
};

static inline void *entry_at(const struct mac_table *t, uint32_t id)
{
	return t->entries + (size_t)id * t->entry_size;
}

static void free_retired(void *p, void *elems, unsigned int n)
{
	struct mac_table *t = p;
	struct retired *r = elems;

	for (unsigned i = 0; i < n; i++) {
		if (r[i].key_pos >= 0)
			rte_hash_free_key_with_position(t->hash, r[i].key_pos);
		t->free_ids[t->n_free++] = r[i].entry_id;
		t->stats.reclaimed++;
	}
}

/* rte_hash compares 8-byte keys with memcmp (it has vector compares for 16 bytes and up only). */
static int mac_key_cmp(const void *a, const void *b, size_t len __rte_unused)
{
	mac_key_t x, y;

	memcpy(&x, a, sizeof(x));
	memcpy(&y, b, sizeof(y));
	return x != y;
}

struct mac_table *mac_table_create(const char *name, uint32_t capacity, uint32_t reserved,
				   size_t entry_size, struct rte_rcu_qsbr *qsbr)
{
	/* Replacing an entry publishes a copy first: a full table still needs room for updates while the
	 * replaced copies wait out their grace period. */
	uint32_t total = capacity + reserved + MAC_TABLE_REPLACE_ROOM;
	char hname[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters hp = {
		.name = hname,
		/* rte_hash may refuse a key before it is full when buckets collide: room to spare. */
		.entries = total * 2 < 16 ? 16 : total * 2,
		.key_len = sizeof(mac_key_t),
		.hash_func = rte_hash_crc,
		.socket_id = (int)rte_socket_id(),
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF,
	};
	struct rte_rcu_qsbr_dq_parameters dqp = {
		.name = name,
		.flags = RTE_RCU_QSBR_DQ_MT_UNSAFE,
		.size = total,
		.esize = sizeof(struct retired),
		.trigger_reclaim_limit = 0,
		.max_reclaim_size = total,
		.free_fn = free_retired,
		.v = qsbr,
	};
	struct mac_table *t = rte_zmalloc(name, sizeof(*t), RTE_CACHE_LINE_SIZE);

	if (t == NULL)
		goto nomem;
	snprintf(hname, sizeof(hname), "%s", name);
	t->entry_size = RTE_ALIGN_CEIL(entry_size, 8);
	t->capacity = capacity;
	t->reserved = reserved;
	t->entries = rte_zmalloc(name, (size_t)total * t->entry_size, RTE_CACHE_LINE_SIZE);
	t->free_ids = rte_malloc(name, (size_t)total * sizeof(uint32_t), 0);
	if (t->entries == NULL || t->free_ids == NULL)
		goto nomem;
	for (uint32_t i = 0; i < total; i++)
		t->free_ids[i] = total - 1 - i;
	t->n_free = total;
	t->hash = rte_hash_create(&hp);
	if (t->hash == NULL) {
		LOG_ERR("table %s: rte_hash_create(%u entries): %s", name, hp.entries, rte_strerror(rte_errno));
		mac_table_free(t);
		return NULL;
	}
	rte_hash_set_cmp_func(t->hash, mac_key_cmp);
	dqp.p = t;
	t->dq = rte_rcu_qsbr_dq_create(&dqp);
	if (t->dq == NULL) {
		LOG_ERR("table %s: RCU defer queue: %s", name, rte_strerror(rte_errno));
		mac_table_free(t);
		return NULL;
	}
	return t;
nomem:
	LOG_ERR("table %s: no memory for %u entries", name, total);
	mac_table_free(t);
	return NULL;
}

void mac_table_free(struct mac_table *t)
{
	if (t == NULL)
		return;
	if (t->dq != NULL)
		rte_rcu_qsbr_dq_delete(t->dq);
	rte_hash_free(t->hash);
	rte_free(t->entries);
	rte_free(t->free_ids);
	rte_free(t);
}

const void *mac_table_lookup(const struct mac_table *t, const struct mac_addr *mac)
{
	mac_key_t key = mac_key(mac);
	void *data;

	return rte_hash_lookup_data(t->hash, &key, &data) >= 0 ? data : NULL;
}

unsigned mac_table_lookup_bulk(const struct mac_table *t, const mac_key_t *keys, unsigned n,
			       const void **out)
{
	const void *key_ptrs[MAC_TABLE_BULK_MAX];
	void *data[MAC_TABLE_BULK_MAX];
	uint64_t hits = 0;
	unsigned found = 0;

	for (unsigned i = 0; i < n; i++)
		key_ptrs[i] = &keys[i];
	rte_hash_lookup_bulk_data(t->hash, key_ptrs, n, &hits, data);
	for (unsigned i = 0; i < n; i++) {
		out[i] = (hits >> i) & 1 ? data[i] : NULL;
		found += (hits >> i) & 1;
		/* The caller reads every entry found next: start the fetches together (in a large table
		 * each would otherwise be one more cache miss, one after the other). */
		if (out[i] != NULL)
			rte_prefetch0(out[i]);
	}
	return found;
}

static int retire(struct mac_table *t, uint32_t entry_id, int32_t key_pos)
{
	struct retired r = {.entry_id = entry_id, .key_pos = key_pos};

	if (rte_rcu_qsbr_dq_enqueue(t->dq, &r) != 0) {
		/* The queue holds every entry, so this cannot fill; if it ever does, wait it out. */
		rte_rcu_qsbr_dq_reclaim(t->dq, t->capacity + t->reserved, NULL, NULL, NULL);
		return rte_rcu_qsbr_dq_enqueue(t->dq, &r);
	}
	return 0;
}

static uint32_t entry_id_of(const struct mac_table *t, const void *entry)
{
	return (uint32_t)(((const uint8_t *)entry - t->entries) / t->entry_size);
}

int mac_table_put(struct mac_table *t, const struct mac_addr *mac, const void *entry, bool reserved)
{
	mac_key_t key = mac_key(mac);
	void *old = NULL;
	uint32_t id;
	int ret;

	rte_hash_lookup_data(t->hash, &key, &old);
	/* New keys count against capacity (plus the reserved room); updates of present keys always may. */
	if (old == NULL && t->count >= t->capacity + (reserved ? t->reserved : 0)) {
		t->stats.full++;
		return -ENOSPC;
	}
	if (t->n_free == 0) {
		mac_table_reclaim(t);
		if (t->n_free == 0) {
			t->stats.full++;
			return -ENOSPC;
		}
	}
	id = t->free_ids[--t->n_free];
	memcpy(entry_at(t, id), entry, t->entry_size);
	ret = rte_hash_add_key_data(t->hash, &key, entry_at(t, id));
	if (ret < 0) {
		t->free_ids[t->n_free++] = id;
		t->stats.full++;
		return -ENOSPC;
	}
	if (old != NULL) {
		retire(t, entry_id_of(t, old), -1);
		t->stats.replaces++;
	} else {
		t->count++;
		t->stats.inserts++;
	}
	return 0;
}

int mac_table_remove(struct mac_table *t, const struct mac_addr *mac)
{
	mac_key_t key = mac_key(mac);
	void *old = NULL;
	int32_t pos;

	if (rte_hash_lookup_data(t->hash, &key, &old) < 0)
		return -ENOENT;
	pos = rte_hash_del_key(t->hash, &key);
	if (pos < 0)
		return -ENOENT;
	retire(t, entry_id_of(t, old), pos);
	t->count--;
	t->stats.removes++;
	return 0;
}

void mac_table_walk(struct mac_table *t, int (*fn)(const struct mac_addr *mac, void *entry, void *arg),
		    void *arg)
{
	const void *key;
	void *data;
	uint32_t iter = 0;

	while (rte_hash_iterate(t->hash, &key, &data, &iter) >= 0) {
		struct mac_addr mac;

		memcpy(mac.bytes, key, MAC_LEN);
		if (fn(&mac, data, arg) != 0)
			break;
	}
}

void mac_table_reclaim(struct mac_table *t)
{
	rte_rcu_qsbr_dq_reclaim(t->dq, t->capacity + t->reserved, NULL, NULL, NULL);
}
