/* HWMP sequence numbers are compared modulo 2^32 (802.11-2012 §13.10.8.2, like Linux's SN_GT): a is
 * newer than b when the signed distance from b to a is positive, so 5 is newer than 0xFFFFFFF0. */
#ifndef MESHPLANE_HWMP_SN_H
#define MESHPLANE_HWMP_SN_H

#include <stdbool.h>
#include <stdint.h>

/* True when a is newer than b. */
static inline bool sn_gt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

/* True when a is newer than or equal to b. */
static inline bool sn_ge(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

#endif
