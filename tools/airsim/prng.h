/* Seeded pseudo-random numbers for airsim's loss draws: splitmix64, so a --seed replays a run exactly. */
#ifndef AIRSIM_PRNG_H
#define AIRSIM_PRNG_H

#include <stdint.h>

struct prng {
	uint64_t state;
};

/* Starts the sequence from seed (any value, 0 included). */
void prng_seed(struct prng *p, uint64_t seed);

/* Returns the next 64 pseudo-random bits. */
uint64_t prng_next(struct prng *p);

/* Returns a uniform double in [0, 1) with 53 bits of precision. */
double prng_unit(struct prng *p);

#endif
