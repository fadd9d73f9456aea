/* splitmix64 (Steele, Lea, Flood 2014): one 64-bit word of state, passes BigCrush, and every seed,
 * 0 included, gives a full-period sequence; that is all a loss draw needs. */
#include "prng.h"

void prng_seed(struct prng *p, uint64_t seed)
{
	p->state = seed;
}

uint64_t prng_next(struct prng *p)
{
	uint64_t z = (p->state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

double prng_unit(struct prng *p)
{
	/* The top 53 bits fill a double's mantissa exactly: the result is never 1.0. */
	return (double)(prng_next(p) >> 11) * (1.0 / 9007199254740992.0);
}
