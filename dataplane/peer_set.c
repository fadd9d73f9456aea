#include "peer_set.h"

#include <string.h>

void peer_set_init(struct peer_set *s)
{
	memset(s, 0, sizeof(*s));
}

static int find(const struct peer_set *s, mac_key_t key)
{
	for (uint32_t i = 0; i < s->used; i++)
		if (s->key[i] == key)
			return (int)i;
	return -1;
}

int peer_set_add(struct peer_set *s, const struct mac_addr *mac)
{
	mac_key_t key = mac_key(mac);
	uint32_t slot = s->used;

	if (key == 0 || find(s, key) >= 0)
		return 0;
	for (uint32_t i = 0; i < s->used; i++)
		if (s->key[i] == 0) {
			slot = i;
			break;
		}
	if (slot == PEER_SET_SLOTS)
		return -1;
	__atomic_store_n(&s->key[slot], key, __ATOMIC_RELAXED);
	if (slot == s->used)
		__atomic_store_n(&s->used, slot + 1, __ATOMIC_RELEASE);
	__atomic_store_n(&s->gen, s->gen + 1, __ATOMIC_RELEASE);
	return 0;
}

void peer_set_remove(struct peer_set *s, const struct mac_addr *mac)
{
	int i = find(s, mac_key(mac));

	if (i < 0)
		return;
	/* The key goes before the generation moves (release): a worker that sees the new generation
	 * cannot find the old key any more, so it cannot cache it again under the new generation. */
	__atomic_store_n(&s->key[i], 0, __ATOMIC_RELAXED);
	__atomic_store_n(&s->gen, s->gen + 1, __ATOMIC_RELEASE);
}

int peer_set_slot_of(const struct peer_set *s, const struct mac_addr *mac)
{
	mac_key_t key = mac_key(mac);

	return key == 0 ? -1 : find(s, key);
}

unsigned peer_set_count(const struct peer_set *s)
{
	unsigned n = 0;

	for (uint32_t i = 0; i < s->used; i++)
		n += s->key[i] != 0;
	return n;
}
