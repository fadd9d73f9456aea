#include "mesh_heard.h"

#include <string.h>

#include "codec.h"
#include "mesh_ies.h"
#include "mgmt.h"

#define HEARD_COMPLETE 0x01
#define HEARD_FIXED 5 /* OUI, type, flags */

int mesh_heard_write(uint8_t *out, size_t cap, const struct mac_addr *macs, unsigned n)
{
	uint8_t body[HEARD_FIXED + 6 * MESH_HEARD_MAX] = {MESHPLANE_OUI0, MESHPLANE_OUI1, MESHPLANE_OUI2,
							   MESHPLANE_VENDOR_HEARD};
	unsigned listed = n < MESH_HEARD_MAX ? n : MESH_HEARD_MAX;

	body[4] = n <= MESH_HEARD_MAX ? HEARD_COMPLETE : 0;
	for (unsigned i = 0; i < listed; i++)
		mac_write(body + HEARD_FIXED + 6 * i, &macs[i]);
	return ie_write(out, cap, WLAN_EID_VENDOR, body, HEARD_FIXED + 6 * (size_t)listed);
}

enum mesh_heard_status mesh_heard_lists(const uint8_t *ies, size_t len, const struct mac_addr *who)
{
	struct ie_iter it;
	struct ie e;

	ie_iter_init(&it, ies, len);
	while (ie_iter_next(&it, &e) == 1) {
		if (!mesh_vendor_is(&e, MESHPLANE_VENDOR_HEARD))
			continue;
		if (e.len < HEARD_FIXED || (e.len - HEARD_FIXED) % 6 != 0)
			return MESH_HEARD_MALFORMED;
		for (size_t off = HEARD_FIXED; off < e.len; off += 6) {
			struct mac_addr m;

			mac_read(&m, e.data + off);
			if (mac_equal(&m, who))
				return MESH_HEARD_LISTED;
		}
		return (e.data[4] & HEARD_COMPLETE) ? MESH_HEARD_NOT_LISTED : MESH_HEARD_UNKNOWN;
	}
	return MESH_HEARD_UNKNOWN;
}
