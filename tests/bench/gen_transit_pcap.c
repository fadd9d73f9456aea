/* Writes FILE with COUNT radiotap + unicast mesh data frames in transit through MP2 (from MP1 to
 * MP3, AE none, 46-byte payload: a 64-byte Ethernet frame's worth), for the transit benchmark. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcap_writer.h"
#include "radiotap.h"
#include "sample_frames.h"

int main(int argc, char **argv)
{
	struct pcap_writer w;
	uint8_t pkt[256];
	int count = argc == 3 ? atoi(argv[2]) : 0;

	if (count <= 0) {
		fprintf(stderr, "usage: %s FILE COUNT\n", argv[0]);
		return 2;
	}
	if (pcap_writer_open(&w, argv[1], PCAP_LINKTYPE_IEEE802_11_RADIOTAP) != 0)
		return 1;
	for (int i = 0; i < count; i++) {
		struct mesh_data_hdr h = sample_unicast_hdr(MESH_AE_NONE, 0x0800);
		int rt = radiotap_build(pkt, sizeof(pkt), 0x6c, 0);
		int n;

		h.addr1 = sample_mp2;
		h.addr2 = sample_mp1;
		h.addr4 = sample_mp1;
		h.mc.seq = (uint32_t)i;
		n = mesh_data_encode_header(pkt + rt, sizeof(pkt) - (size_t)rt, &h);
		memset(pkt + rt + n, 0x5a, 46);
		if (pcap_writer_write(&w, pkt, (size_t)(rt + n + 46), 0) != 0)
			return 1;
	}
	return pcap_writer_close(&w) == 0 ? 0 : 1;
}
