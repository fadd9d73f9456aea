/* A MAC-keyed table with lock-free readers and one writer (DESIGN §3).
 *
 * rte_hash with RW_CONCURRENCY_LF maps a MAC to an entry in a preallocated pool. Readers (workers)
 * look up without locks between two quiescent-state reports. The single writer (the control
 * thread) never changes an entry readers may hold, apart from relaxed atomic stores to fields
 * documented as such (last-seen times): it fills a fresh entry, publishes it with
 * rte_hash_add_key_data, and retires the old one through an RCU defer queue, because DPDK 22.11
 * drops a replaced data pointer without freeing it. Deleted keys' hash slots are freed the same way. */
#ifndef MESHPLANE_DP_MAC_TABLE_H
#define MESHPLANE_DP_MAC_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_hash.h>
#include <rte_rcu_qsbr.h>

#include "mac.h"

#define MAC_TABLE_BULK_MAX 64

/* Keys are padded to 8 bytes and compared as one integer (mac_table_create sets the compare function). */
typedef uint64_t mac_key_t;

/* Pool entries beyond the keys' limit, for updates of a full table (each update holds the old copy
 * until readers moved on; the writer reclaims when the room runs out). */
#define MAC_TABLE_REPLACE_ROOM 32

struct mac_table_stats {
	uint64_t inserts;
	uint64_t replaces;
	uint64_t removes;
	uint64_t full;      /* refused: no free entry left for this class of entry */
	uint64_t reclaimed; /* entries returned to the pool after a grace period */
};

struct mac_table {
	struct rte_hash *hash;
	struct rte_rcu_qsbr_dq *dq;
	uint8_t *entries;   /* pool of capacity + reserved + MAC_TABLE_REPLACE_ROOM entries */
	uint32_t *free_ids; /* stack of free entry ids (writer only) */
	uint32_t n_free;
	uint32_t capacity;  /* keys any insert may publish */
	uint32_t reserved;  /* extra keys only reserved inserts may publish */
	size_t entry_size;
	uint32_t count;     /* entries published */
	struct mac_table_stats stats;
};

/* Packs a MAC into a hash key: the same value as copying its 6 bytes into a zeroed 8-byte key, but
 * built in registers; the copy made every burst wait on a store-to-load forwarding stall (6 bytes
 * stored, 8 loaded), which perf showed as most of forward_burst's own time. */
static inline mac_key_t mac_key(const struct mac_addr *mac)
{
	return mac_bits(mac);
}

/* Creates a table of capacity entries plus reserved ones (for entries that must never be refused,
 * e.g. neighbours and local stations during a MAC flood); NULL with the reason logged. */
struct mac_table *mac_table_create(const char *name, uint32_t capacity, uint32_t reserved,
				   size_t entry_size, struct rte_rcu_qsbr *qsbr);

/* Frees the table; no reader may be using it. */
void mac_table_free(struct mac_table *t);

/* Reader: the entry for mac, or NULL. Valid until the caller's next quiescent-state report. */
const void *mac_table_lookup(const struct mac_table *t, const struct mac_addr *mac);

/* Reader: looks up n (≤ MAC_TABLE_BULK_MAX) keys; out[i] is the entry or NULL. Returns hits. */
unsigned mac_table_lookup_bulk(const struct mac_table *t, const mac_key_t *keys, unsigned n,
			       const void **out);

/* Writer: publishes a copy of entry for mac, replacing any previous one (retired after a grace
 * period). A new key needs count < capacity (+ reserved when reserved); an update of a present key is
 * refused only if every pool entry waits for readers. 0, or -ENOSPC (counted). */
int mac_table_put(struct mac_table *t, const struct mac_addr *mac, const void *entry, bool reserved);

/* Writer: removes mac; 0, or -ENOENT. */
int mac_table_remove(struct mac_table *t, const struct mac_addr *mac);

/* Writer: visits every published entry; stop by returning non-zero from fn. The entry may be
 * modified only through relaxed atomic stores. */
void mac_table_walk(struct mac_table *t, int (*fn)(const struct mac_addr *mac, void *entry, void *arg),
		    void *arg);

/* Writer: returns entries whose grace period has ended to the pool. */
void mac_table_reclaim(struct mac_table *t);

#endif
