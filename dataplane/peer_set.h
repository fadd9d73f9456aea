/* The addresses of the established peers (Mesh Peering Management ESTAB, or static peers): workers
 * forward mesh data only from these transmitters, as Linux does (ieee80211_rx_mesh_check). One writer
 * (the control thread), lock-free readers: each slot is one atomic 8-byte key, a removed slot reads 0
 * and is reused, and a generation number tells workers that their one-entry cache went stale. */
#ifndef MESHPLANE_DP_PEER_SET_H
#define MESHPLANE_DP_PEER_SET_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "mac.h"
#include "mac_table.h"

/* mesh.max_peers (at most 256) plus the static peers. */
#define PEER_SET_SLOTS (256 + CONFIG_MAX_STATIC_PEERS)

struct peer_set {
	mac_key_t key[PEER_SET_SLOTS]; /* 0: free (a zero MAC is never a peer) */
	uint32_t used;                 /* slots ever used: readers scan [0, used) */
	uint32_t gen;                  /* bumped after every change */
};

/* A worker's memory of the last address it found in the set, and where. */
struct peer_cache {
	mac_key_t key;
	uint32_t gen;
	uint32_t slot;
};

/* Empties the set. */
void peer_set_init(struct peer_set *s);

/* Writer: adds mac (no-op when present); 0, or -1 when every slot is taken. */
int peer_set_add(struct peer_set *s, const struct mac_addr *mac);

/* Writer: removes mac (no-op when absent). */
void peer_set_remove(struct peer_set *s, const struct mac_addr *mac);

/* Writer: the slot of mac, or -1 when it is not in the set (slots index per-peer data such as keys). */
int peer_set_slot_of(const struct peer_set *s, const struct mac_addr *mac);

/* Writer and tests: number of addresses in the set. */
unsigned peer_set_count(const struct peer_set *s);

/* Reader: the slot of key, or -1 when it is not in the set; c remembers the last hit until the set
 * changes. */
static inline int peer_set_find(const struct peer_set *s, struct peer_cache *c, mac_key_t key)
{
	uint32_t gen = __atomic_load_n(&s->gen, __ATOMIC_ACQUIRE);
	uint32_t used;

	if (key == c->key && gen == c->gen)
		return (int)c->slot;
	used = __atomic_load_n(&s->used, __ATOMIC_ACQUIRE);
	for (uint32_t i = 0; i < used; i++)
		if (__atomic_load_n(&s->key[i], __ATOMIC_RELAXED) == key) {
			c->key = key;
			c->gen = gen;
			c->slot = i;
			return (int)i;
		}
	return -1;
}

/* Reader: true when key is in the set. */
static inline bool peer_set_has(const struct peer_set *s, struct peer_cache *c, mac_key_t key)
{
	return peer_set_find(s, c, key) >= 0;
}

#endif
