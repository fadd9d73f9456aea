/* Recent Multicast Cache: (mesh SA, mesh sequence number) pairs seen lately, per worker.
 * Direct-mapped: a colliding newer pair evicts an older one, so a rare duplicate can slip
 * through under heavy group traffic (it is then dropped by TTL), never a first copy. */
#ifndef MESHPLANE_DP_RMC_H
#define MESHPLANE_DP_RMC_H

#include <stdbool.h>
#include <stdint.h>

#include "mac.h"

struct rmc_slot {
	uint64_t sa_key; /* mesh SA in the low 48 bits, bit 63 set when used */
	uint32_t seq;
	uint32_t expire_ms; /* wraps after 49 days: compared as a difference */
};

struct rmc {
	uint32_t mask;
	uint32_t timeout_ms;
	struct rmc_slot *slots;
};

/* Allocates 2^k ≥ entries slots; 0 or -1. */
int rmc_init(struct rmc *c, uint32_t entries, uint32_t timeout_ms);

/* Frees the slots. */
void rmc_free(struct rmc *c);

/* True when (sa, seq) was seen within the timeout; otherwise records it and returns false. */
bool rmc_check_and_add(struct rmc *c, const struct mac_addr *sa, uint32_t seq, uint64_t now_ms);

#endif
