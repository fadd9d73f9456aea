#include "rmc.h"

#include <string.h>

#include <rte_common.h>
#include <rte_malloc.h>

#define RMC_USED (1ull << 63)

int rmc_init(struct rmc *c, uint32_t entries, uint32_t timeout_ms)
{
	uint32_t n = rte_align32pow2(entries < 16 ? 16 : entries);

	c->slots = rte_zmalloc("rmc", n * sizeof(*c->slots), RTE_CACHE_LINE_SIZE);
	c->mask = n - 1;
	c->timeout_ms = timeout_ms;
	return c->slots == NULL ? -1 : 0;
}

void rmc_free(struct rmc *c)
{
	rte_free(c->slots);
	c->slots = NULL;
}

bool rmc_check_and_add(struct rmc *c, const struct mac_addr *sa, uint32_t seq, uint64_t now_ms)
{
	uint64_t key = RMC_USED;
	uint32_t now = (uint32_t)now_ms;
	struct rmc_slot *s;

	memcpy(&key, sa->bytes, MAC_LEN);
	key |= RMC_USED;
	/* Sequence numbers of one source are consecutive: mixing them in spreads one source's frames. */
	s = &c->slots[(uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 40 ^ seq) & c->mask];
	if (s->sa_key == key && s->seq == seq && (int32_t)(s->expire_ms - now) > 0)
		return true;
	s->sa_key = key;
	s->seq = seq;
	s->expire_ms = now + c->timeout_ms;
	return false;
}
