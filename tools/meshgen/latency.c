/* Quantiles from the log-linear histogram. */
#include "latency.h"

#include <math.h>

/* Inverse of mg_latency_bucket: the bucket's lowest value and its width. */
static void bucket_range(unsigned b, uint64_t *low, uint64_t *width)
{
	unsigned msb, shift;

	if (b < MG_LAT_SUB) {
		*low = b;
		*width = 1;
		return;
	}
	msb = b / MG_LAT_SUB + 3;
	shift = msb - 4;
	*low = ((uint64_t)MG_LAT_SUB + b % MG_LAT_SUB) << shift;
	*width = (uint64_t)1 << shift;
}

uint64_t mg_latency_quantile(const struct mg_latency *l, double q)
{
	uint64_t rank, seen = 0, low, width;

	if (l->samples == 0)
		return 0;
	rank = (uint64_t)ceil(q * (double)l->samples);
	if (rank == 0)
		rank = 1;
	for (unsigned b = 0; b < MG_LAT_BUCKETS; b++) {
		seen += l->bucket[b];
		if (seen >= rank) {
			bucket_range(b, &low, &width);
			low += width / 2;
			/* The midpoint may lie outside what was seen: clamp for small sample sets. */
			return low < l->min ? l->min : low > l->max ? l->max : low;
		}
	}
	return l->max;
}
