/* meshplane's heard element: the neighbours a node hears on the port a hello goes out on, so that the
 * receiver knows whether its own hellos get through (a two-way check, as OLSR's and Babel's hellos
 * make). Only wired mesh ports send it: on a wire a one-way fault (a switch port or cable that
 * passes one direction only) keeps carrier and one side's hellos, and the side still hearing them
 * would send into a dead direction. Vendor-specific element (Company ID in mesh_ies.h), type 3:
 *   OUI (3) | type 3 | flags (bit 0: the list is complete) | MAC addresses, 6 octets each
 * Pure codec, no DPDK. */
#ifndef MESHPLANE_MESH_HEARD_H
#define MESHPLANE_MESH_HEARD_H

#include <stddef.h>
#include <stdint.h>

#include "mac.h"

#define MESHPLANE_VENDOR_HEARD 3
/* As many addresses as one element holds (255 octets of body); more neighbours on one segment are
 * written as an incomplete list. */
#define MESH_HEARD_MAX 41

enum mesh_heard_status {
	MESH_HEARD_MALFORMED = -2, /* a heard element whose length is not 5 + 6 n (counted by the caller) */
	MESH_HEARD_UNKNOWN = -1,   /* no heard element, or an incomplete list without who */
	MESH_HEARD_NOT_LISTED = 0, /* a complete list without who: the sender does not hear who */
	MESH_HEARD_LISTED = 1,     /* who is in the list: the sender hears who */
};

/* Writes the element listing the first MESH_HEARD_MAX of macs[0..n) (complete when n fits); returns
 * its length or CODEC_ERR_NO_SPACE. */
int mesh_heard_write(uint8_t *out, size_t cap, const struct mac_addr *macs, unsigned n);

/* Whether the first heard element among the elements ies[0..len) lists who. */
enum mesh_heard_status mesh_heard_lists(const uint8_t *ies, size_t len, const struct mac_addr *who);

#endif
