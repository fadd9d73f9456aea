/* libFuzzer: a frame as received on a mesh port (radiotap + 802.11), through classification and
 * every decoder that applies; decoded data frames must survive a re-encode/decode round trip. */
#include <stdint.h>
#include <string.h>

#include "frame_class.h"
#include "mesh_data.h"
#include "mgmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frame_view view;
	struct mesh_data_hdr hdr, again;
	uint8_t out[4096], eth[4096];
	enum frame_class c = frame_classify_mesh(data, size, 1, &view);
	const uint8_t *f = data + view.l2_off;

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
	return 0;
}
