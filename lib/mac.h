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

/* True when both addresses are equal. */
static inline bool mac_equal(const struct mac_addr *a, const struct mac_addr *b)
{
	return memcmp(a->bytes, b->bytes, MAC_LEN) == 0;
}

/* True for group (multicast or broadcast) addresses: I/G bit set. */
static inline bool mac_is_group(const struct mac_addr *a)
{
	return (a->bytes[0] & 0x01) != 0;
}

/* True for ff:ff:ff:ff:ff:ff. */
static inline bool mac_is_broadcast(const struct mac_addr *a)
{
	static const uint8_t bcast[MAC_LEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	return memcmp(a->bytes, bcast, MAC_LEN) == 0;
}

/* True for 00:00:00:00:00:00. */
static inline bool mac_is_zero(const struct mac_addr *a)
{
	static const uint8_t zero[MAC_LEN];
	return memcmp(a->bytes, zero, MAC_LEN) == 0;
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
