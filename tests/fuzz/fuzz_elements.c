/* libFuzzer: an element list as carried in an HWMP action frame or a wired hello. Every element is
 * decoded by its decoder; whatever decodes must re-encode to the identical bytes. */
#include <stdint.h>
#include <string.h>

#include "hwmp_elements.h"
#include "mesh_heard.h"
#include "mesh_ies.h"
#include "mgmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_same(const struct ie *e, const uint8_t *enc, int n)
{
	if (n != 2 + e->len || memcmp(enc + 2, e->data, e->len) != 0 || enc[0] != e->id)
		__builtin_trap();
}

/* A heard element: each address it lists is found in it; a complete list re-encodes identically. */
static void check_heard(const struct ie *e, const uint8_t *element)
{
	struct mac_addr macs[MESH_HEARD_MAX];
	unsigned n = 0;
	uint8_t enc[300];

	if (!mesh_vendor_is(e, MESHPLANE_VENDOR_HEARD))
		return;
	if (e->len < 5 || (e->len - 5) % 6 != 0) {
		if (mesh_heard_lists(element, 2u + e->len, &(struct mac_addr){{0}}) != MESH_HEARD_MALFORMED)
			__builtin_trap();
		return;
	}
	for (size_t off = 5; off < e->len; off += 6) {
		mac_read(&macs[n], e->data + off);
		if (mesh_heard_lists(element, 2u + e->len, &macs[n]) != MESH_HEARD_LISTED)
			__builtin_trap();
		n++;
	}
	if (e->data[4] == 1)
		check_same(e, enc, mesh_heard_write(enc, sizeof(enc), macs, n));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ie_iter it;
	struct ie e;
	uint8_t enc[300];

	ie_iter_init(&it, data, size);
	while (ie_iter_next(&it, &e) == 1) {
		struct hwmp_preq preq;
		struct hwmp_prep prep;
		struct hwmp_perr perr;
		struct hwmp_rann rann;
		struct hwmp_gann gann;
		struct mesh_config_ie cfg;
		struct mesh_id id;

		switch (e.id) {
		case WLAN_EID_PREQ:
			if (hwmp_preq_decode(e.data, e.len, &preq) == 0)
				check_same(&e, enc, hwmp_preq_encode(enc, sizeof(enc), &preq));
			break;
		case WLAN_EID_PREP:
			if (hwmp_prep_decode(e.data, e.len, &prep) == 0)
				check_same(&e, enc, hwmp_prep_encode(enc, sizeof(enc), &prep));
			break;
		case WLAN_EID_PERR:
			if (hwmp_perr_decode(e.data, e.len, &perr) == 0)
				check_same(&e, enc, hwmp_perr_encode(enc, sizeof(enc), &perr));
			break;
		case WLAN_EID_RANN:
			if (hwmp_rann_decode(e.data, e.len, &rann) == 0)
				check_same(&e, enc, hwmp_rann_encode(enc, sizeof(enc), &rann));
			break;
		case WLAN_EID_GANN:
			if (hwmp_gann_decode(e.data, e.len, &gann) == 0)
				check_same(&e, enc, hwmp_gann_encode(enc, sizeof(enc), &gann));
			break;
		case WLAN_EID_MESH_CONFIG:
			if (mesh_config_decode(e.data, e.len, &cfg) == 0)
				check_same(&e, enc, mesh_config_encode(enc, sizeof(enc), &cfg));
			break;
		case WLAN_EID_MESH_ID:
			mesh_id_decode(e.data, e.len, &id);
			break;
		case WLAN_EID_VENDOR:
			check_heard(&e, e.data - 2);
			break;
		default:
			break;
		}
	}
	return 0;
}
