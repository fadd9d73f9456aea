/* libFuzzer: a frame as received on a mesh port (radiotap + 802.11), through classification and
 * every decoder that applies; decoded data frames must survive a re-encode/decode round trip, and so
 * must a topology announcement in their body (and into a store: bounded, no older one kept). */
#include <stdint.h>
#include <string.h>

#include "frame_class.h"
#include "mesh_data.h"
#include "mgmt.h"
#include "topology_db.h"
#include "topology_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_topology(const uint8_t *body, size_t len, const struct mac_addr *from)
{
	static struct topology_db db;
	static struct topology_msg m, again;
	uint8_t out[TOPOLOGY_MSG_MAX_LEN];
	const struct topology_entry *e;
	uint32_t prev_seq;
	int n;

	if (topology_msg_decode(body, len, &m) != 0)
		return;
	n = topology_msg_encode(out, sizeof(out), &m);
	if (n < 0 || topology_msg_decode(out, (size_t)n, &again) != 0 || memcmp(&m, &again, sizeof(m)) != 0)
		__builtin_trap();
	if (db.n == TOPOLOGY_DB_MAX)
		topology_db_init(&db);
	e = topology_db_find(&db, &m.origin);
	prev_seq = e != NULL ? e->msg.seq : 0;
	/* A newer one replaces the stored one; anything else leaves it as it was. */
	switch (topology_db_update(&db, &m, from, 1000)) {
	case TOPOLOGY_NEW:
		e = topology_db_find(&db, &m.origin);
		if (e == NULL || e->msg.seq != m.seq)
			__builtin_trap();
		break;
	case TOPOLOGY_OLD:
		if (e == NULL || e->msg.seq != prev_seq)
			__builtin_trap();
		break;
	case TOPOLOGY_FULL:
		__builtin_trap(); /* never full: emptied above */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frame_view view;
	struct mesh_data_hdr hdr, again;
	uint8_t out[4096], eth[4096];
	enum frame_class c;
	const uint8_t *f;

	/* The same bytes as a wired mesh port's frame: its header is checked before any 802.11 field, and
	 * what passes starts right after it. */
	c = frame_classify_mesh(data, size, MESH_LINK_ETHERNET, &view);
	if (!frame_class_is_drop(c) && (wired_mesh_check(data, size) != WIRED_MESH_OK ||
					view.l2_off != WIRED_MESH_HDR_LEN || view.l2_len != size - WIRED_MESH_HDR_LEN))
		__builtin_trap();
	c = frame_classify_mesh(data, size, MESH_LINK_RADIOTAP, &view);
	f = data + view.l2_off;

	if (c != FRAME_CLASS_mesh_data_unicast && c != FRAME_CLASS_mesh_data_group)
		return 0;
	if (mesh_data_decode(f, view.l2_len, &hdr) != 0)
		__builtin_trap(); /* classification and decoder disagree */
	int n = mesh_data_encode_header(out, sizeof(out), &hdr);
	if (n < 0 || (size_t)n != hdr.body_off)
		__builtin_trap();
	if (mesh_data_decode(out, (size_t)n, &again) != 0 || again.mc.seq != hdr.mc.seq ||
	    !mac_equal(&again.addr3, &hdr.addr3))
		__builtin_trap();
	mesh_data_to_ether(f, view.l2_len, eth, sizeof(eth));
	check_topology(f + hdr.body_off, view.l2_len - hdr.body_off, &hdr.addr2);
	return 0;
}
