/* MAC address helpers shared by every module (no DPDK). */
#ifndef MESHPLANE_MAC_H
#define MESHPLANE_MAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MAC_LEN 6
/* "aa:bb:cc:dd:ee:ff" plus NUL. */
#define MAC_STR_LEN 18

struct mac_addr {
	uint8_t bytes[MAC_LEN];
};

/* The address as the low 48 bits of an integer (host byte order of the bytes as loaded). Two loads
 * instead of a libc memcmp call: the fast path compares addresses several times per frame. */
static inline uint64_t mac_bits(const struct mac_addr *a)
{
	uint32_t lo;
	uint16_t hi;

	memcpy(&lo, a->bytes, 4);
	memcpy(&hi, a->bytes + 4, 2);
	return (uint64_t)lo | (uint64_t)hi << 32;
}

/* True when both addresses are equal. */
static inline bool mac_equal(const struct mac_addr *a, const struct mac_addr *b)
{
	return mac_bits(a) == mac_bits(b);
}

/* True for group (multicast or broadcast) addresses: I/G bit set. */
static inline bool mac_is_group(const struct mac_addr *a)
{
	return (a->bytes[0] & 0x01) != 0;
}

/* True for ff:ff:ff:ff:ff:ff. */
static inline bool mac_is_broadcast(const struct mac_addr *a)
{
	return mac_bits(a) == 0xffffffffffffull;
}

/* True for 00:00:00:00:00:00. */
static inline bool mac_is_zero(const struct mac_addr *a)
{
	return mac_bits(a) == 0;
}

/* True for the IEEE 802.1D reserved range 01:80:c2:00:00:00..0f, which bridges never forward. */
static inline bool mac_is_link_local(const struct mac_addr *a)
{
	return a->bytes[0] == 0x01 && a->bytes[1] == 0x80 && a->bytes[2] == 0xc2 &&
	       a->bytes[3] == 0x00 && a->bytes[4] == 0x00 && (a->bytes[5] & 0xf0) == 0x00;
}

/* Copies 6 bytes from buf into a mac_addr. */
static inline void mac_read(struct mac_addr *dst, const uint8_t *buf)
{
	memcpy(dst->bytes, buf, MAC_LEN);
}

/* Copies a mac_addr into 6 bytes of buf. */
static inline void mac_write(uint8_t *buf, const struct mac_addr *src)
{
	memcpy(buf, src->bytes, MAC_LEN);
}

/* Formats as lower-case "aa:bb:cc:dd:ee:ff" into out (MAC_STR_LEN bytes); returns out. */
char *mac_format(const struct mac_addr *a, char out[MAC_STR_LEN]);

/* Parses "aa:bb:cc:dd:ee:ff" (also '-' separators, any case); 0 on success, -1 on bad text. */
int mac_parse(const char *text, struct mac_addr *out);

#endif
