/* Fixed-size log-linear latency histogram: 16 buckets per power of two (≤ 6 % error), no allocation. */
#ifndef MESHGEN_LATENCY_H
#define MESHGEN_LATENCY_H

#include <stdint.h>

#define MG_LAT_SUB 16
#define MG_LAT_BUCKETS (64 * MG_LAT_SUB)

struct mg_latency {
	uint64_t bucket[MG_LAT_BUCKETS];
	uint64_t samples, min, max; /* in the caller's unit (TSC cycles) */
};

/* Bucket of value v: exact below 16, then 16 sub-buckets per power of two. */
static inline unsigned mg_latency_bucket(uint64_t v)
{
	unsigned msb;

	if (v < MG_LAT_SUB)
		return (unsigned)v;
	msb = 63u - (unsigned)__builtin_clzll(v);
	return (msb - 3) * MG_LAT_SUB + (unsigned)((v >> (msb - 4)) & (MG_LAT_SUB - 1));
}

/* Records one sample. */
static inline void mg_latency_add(struct mg_latency *l, uint64_t v)
{
	l->bucket[mg_latency_bucket(v)]++;
	if (l->samples == 0 || v < l->min)
		l->min = v;
	if (v > l->max)
		l->max = v;
	l->samples++;
}

/* Value below which a fraction q (0..1) of the samples lie (the bucket's midpoint); 0 when empty. */
uint64_t mg_latency_quantile(const struct mg_latency *l, double q);

#endif
