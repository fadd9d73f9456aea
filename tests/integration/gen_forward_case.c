/* Writes the forwarding scenario of tests/integration/dataplane_forward.sh into DIR:
 * in_<port>.pcap (what arrives on each port of the node under test) and expected_<port>.pcap
 * (what it must send, as a multiset per port). Expected frames are built here from the lib codecs,
 * independently of the dataplane's in-place rewriting.
 *
 * Node under test: mesh address MP2, ports wifi0 (mesh, radiotap), eth0 (lan), wifi1 (access);
 * static paths to MP1 and MP3 (direct neighbours, static peers), STA2 statically behind MP3, PRINTER static
 * on eth0; MP4 beacons but is no peer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcap_writer.h"
#include "radiotap.h"
#include "sample_frames.h"

enum { WIFI0, ETH0, WIFI1, N_PORTS };
static const char *const port_names[N_PORTS] = {"wifi0", "eth0", "wifi1"};
static struct pcap_writer in[N_PORTS], expected[N_PORTS];

static const struct mac_addr lanhost = {{0x0a, 0, 0, 0, 0x0e, 0x01}};
static const struct mac_addr printer = {{0x0a, 0, 0, 0, 0x0e, 0x02}};
static const struct mac_addr unknown = {{0x0a, 0, 0, 0, 0x0f, 0x0f}};
static const struct mac_addr client = {{0x0a, 0, 0, 0, 0xc1, 0x01}};
static const struct mac_addr bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
static const struct mac_addr eapol_group = {{0x01, 0x80, 0xc2, 0x00, 0x00, 0x03}};
#define OUR_RATE 0x6c /* 54 Mb/s, the default link_rate_mbps */

static void put(struct pcap_writer *w, const uint8_t *f, size_t len)
{
	if (pcap_writer_write(w, f, len, 0) != 0) {
		perror("pcap");
		exit(1);
	}
}

static size_t ether(uint8_t *f, const struct mac_addr *da, const struct mac_addr *sa, uint16_t type, uint8_t fill)
{
	mac_write(f, da);
	mac_write(f + 6, sa);
	f[12] = (uint8_t)(type >> 8);
	f[13] = (uint8_t)type;
	memset(f + 14, fill, 46);
	return 60;
}

/* A mesh frame as the air delivers it: a radiotap header of another radio (rate 11 Mb/s, FCS flag)
 * and a trailing FCS, both of which the dataplane must replace or strip when it forwards. */
static void air_in(const uint8_t *f, size_t len)
{
	uint8_t pkt[700];
	int rt = radiotap_build(pkt, sizeof(pkt), 0x16, RADIOTAP_F_FCS);

	memcpy(pkt + rt, f, len);
	memset(pkt + rt + len, 0xfc, 4);
	put(&in[WIFI0], pkt, (size_t)rt + len + 4);
}

/* A mesh frame as we must send it: our radiotap header, no FCS. */
static void air_out(const uint8_t *f, size_t len)
{
	uint8_t pkt[700];
	int rt = radiotap_build(pkt, sizeof(pkt), OUR_RATE, 0);

	memcpy(pkt + rt, f, len);
	put(&expected[WIFI0], pkt, (size_t)rt + len);
}

static size_t mesh_frame(uint8_t *f, struct mesh_data_hdr h, const uint8_t *body, size_t body_len)
{
	int n = mesh_data_encode_header(f, 600, &h);

	if (n < 0)
		exit(1);
	memcpy(f + n, body, body_len);
	return (size_t)n + body_len;
}

static struct mesh_data_hdr unicast(const struct mac_addr *a1, const struct mac_addr *a2, const struct mac_addr *a3,
				    const struct mac_addr *a4, uint8_t ttl, uint32_t seq, uint16_t type)
{
	struct mesh_data_hdr h;

	memset(&h, 0, sizeof(h));
	h.addr1 = *a1;
	h.addr2 = *a2;
	h.addr3 = *a3;
	h.addr4 = *a4;
	h.mc.ttl = ttl;
	h.mc.seq = seq;
	h.has_snap = type != 0;
	h.ethertype = type;
	return h;
}

static void lan_side(void)
{
	uint8_t e[128], f[700];
	struct mesh_data_hdr h;
	size_t n;

	/* E1: to a station behind MP3 -> unicast, AE A5/A6, the worker's first mesh sequence number. */
	n = ether(e, &sample_sta2, &lanhost, 0x0800, 0x11);
	put(&in[ETH0], e, n);
	h = unicast(&sample_mp3, &sample_mp2, &sample_mp3, &sample_mp2, 31, 0, 0x0800);
	h.mc.flags = MESH_AE_A5_A6;
	h.mc.ext[0] = sample_sta2;
	h.mc.ext[1] = lanhost;
	air_out(f, mesh_frame(f, h, e + 14, 46));

	/* E2: from this node's own address to mesh node MP3 -> no AE. */
	n = ether(e, &sample_mp3, &sample_mp2, 0x88b5, 0x22);
	put(&in[ETH0], e, n);
	h = unicast(&sample_mp3, &sample_mp2, &sample_mp3, &sample_mp2, 31, 1, 0x88b5);
	air_out(f, mesh_frame(f, h, e + 14, 46));

	/* E3: broadcast -> flooded to wifi1 (not back to eth0) and into the mesh with AE A4. */
	n = ether(e, &bcast, &lanhost, 0x0806, 0x33);
	put(&in[ETH0], e, n);
	put(&expected[WIFI1], e, n);
	/* Group frames number from the node-wide counter (receivers deduplicate them by it); unicast ones
	 * from the worker's own: E3 is the node's first group frame, E7 the worker's third unicast. */
	h = unicast(&bcast, &sample_mp2, &sample_mp2, &sample_mp2, 31, 0, 0x0806);
	h.group = true;
	h.mc.flags = MESH_AE_A4;
	h.mc.ext[0] = lanhost;
	air_out(f, mesh_frame(f, h, e + 14, 46));

	/* E4: EAPOL to the PAE group address: never bridged. */
	n = ether(e, &eapol_group, &lanhost, 0x888e, 0x44);
	put(&in[ETH0], e, n);

	/* E5: to the printer, which is on eth0 itself: no hairpin. */
	n = ether(e, &printer, &lanhost, 0x0800, 0x55);
	put(&in[ETH0], e, n);

	/* E6: to an unknown station: flooded locally, the mesh copy waits for a path (and times out). */
	n = ether(e, &unknown, &lanhost, 0x0800, 0x66);
	put(&in[ETH0], e, n);
	put(&expected[WIFI1], e, n);

	/* E7: an 802.3 frame with LLC (an XID layer-2 update) to STA2: carried without SNAP, pad dropped. */
	memset(e, 0, 60);
	mac_write(e, &sample_sta2);
	mac_write(e + 6, &lanhost);
	e[13] = 6;
	memcpy(e + 14, "\x00\x01\xaf\x81\x01\x00", 6);
	put(&in[ETH0], e, 60);
	h = unicast(&sample_mp3, &sample_mp2, &sample_mp3, &sample_mp2, 31, 2, 0);
	h.mc.flags = MESH_AE_A5_A6;
	h.mc.ext[0] = sample_sta2;
	h.mc.ext[1] = lanhost;
	air_out(f, mesh_frame(f, h, e + 14, 6));
}

/* A mesh point that beacons but is not a peer. */
static const struct mac_addr mp4 = {{0x02, 0, 0, 0, 0, 0x04}};

static void mesh_side(void)
{
	static const uint8_t ip[46] = {0x45, 0x00, 0x00, 0x2e};
	uint8_t f[700], e[128];
	struct mesh_data_hdr h;
	size_t n;

	/* W1: for a station of ours (the printer) from STA1 behind MP1: decapsulated to eth0. */
	h = unicast(&sample_mp2, &sample_mp1, &sample_mp2, &sample_mp1, 30, 700, 0x0800);
	h.mc.flags = MESH_AE_A5_A6;
	h.mc.ext[0] = printer;
	h.mc.ext[1] = sample_sta1;
	air_in(f, mesh_frame(f, h, ip, sizeof(ip)));
	mac_write(e, &printer);
	mac_write(e + 6, &sample_sta1);
	e[12] = 0x08;
	e[13] = 0x00;
	memcpy(e + 14, ip, sizeof(ip));
	put(&expected[ETH0], e, 14 + sizeof(ip));

	/* W2: transit from MP1 to MP3: next hop rewritten, TTL 5 -> 4. */
	h = unicast(&sample_mp2, &sample_mp1, &sample_mp3, &sample_mp1, 5, 701, 0x0800);
	air_in(f, mesh_frame(f, h, ip, sizeof(ip)));
	h = unicast(&sample_mp3, &sample_mp2, &sample_mp3, &sample_mp1, 4, 701, 0x0800);
	air_out(f, mesh_frame(f, h, ip, sizeof(ip)));

	/* W3: the same with TTL 1: dropped. W4: addressed to another receiver: dropped. */
	h = unicast(&sample_mp2, &sample_mp1, &sample_mp3, &sample_mp1, 1, 702, 0x0800);
	air_in(f, mesh_frame(f, h, ip, sizeof(ip)));
	h = unicast(&sample_mp3, &sample_mp1, &sample_mp3, &sample_mp1, 9, 703, 0x0800);
	air_in(f, mesh_frame(f, h, ip, sizeof(ip)));

	/* W5: group frame from MP1 (end source STA1): flooded on once (TTL 10 -> 9, A2 = us) and
	 * delivered to eth0 and wifi1. W6: the same frame heard again via MP3: a duplicate. */
	h = unicast(&bcast, &sample_mp1, &sample_mp1, &sample_mp1, 10, 0x1234, 0x0806);
	h.group = true;
	h.mc.flags = MESH_AE_A4;
	h.mc.ext[0] = sample_sta1;
	air_in(f, (n = mesh_frame(f, h, ip, sizeof(ip))));
	h.addr2 = sample_mp3;
	air_in(f, mesh_frame(f, h, ip, sizeof(ip)));
	h.addr2 = sample_mp2;
	h.mc.ttl = 9;
	air_out(f, mesh_frame(f, h, ip, sizeof(ip)));
	mac_write(e, &bcast);
	mac_write(e + 6, &sample_sta1);
	e[12] = 0x08;
	e[13] = 0x06;
	memcpy(e + 14, ip, sizeof(ip));
	put(&expected[ETH0], e, 14 + sizeof(ip));
	put(&expected[WIFI1], e, 14 + sizeof(ip));

	/* W7: reserved AE mode. W8: our own group frame heard back. */
	h = unicast(&sample_mp2, &sample_mp1, &sample_mp3, &sample_mp1, 9, 704, 0x0800);
	n = mesh_frame(f, h, ip, sizeof(ip));
	f[32] = 3;
	air_in(f, n);
	h = unicast(&bcast, &sample_mp1, &sample_mp2, &sample_mp2, 9, 2, 0x0806);
	h.group = true;
	air_in(f, mesh_frame(f, h, ip, sizeof(ip)));

	/* W9: a beacon of a new candidate, MP4, goes to the control thread (which opens a peering). */
	{
		struct beacon b = sample_beacon();
		int len;

		b.hdr.addr2 = mp4;
		b.hdr.addr3 = mp4;
		len = beacon_encode(f, sizeof(f), &b, NULL, 0);
		air_in(f, (size_t)len);
	}

	/* W10: mesh DA and end DA are this node itself: and the node has no host port: nothing to deliver it to. */
	h = unicast(&sample_mp2, &sample_mp1, &sample_mp2, &sample_mp1, 9, 705, 0x0800);
	air_in(f, mesh_frame(f, h, ip, sizeof(ip)));

	/* W11: transit data from MP4, which is no peer (not established): dropped, as Linux does. */
	h = unicast(&sample_mp2, &mp4, &sample_mp3, &mp4, 9, 706, 0x0800);
	air_in(f, mesh_frame(f, h, ip, sizeof(ip)));
}

static void access_side(void)
{
	uint8_t e[128];
	size_t n = ether(e, &printer, &client, 0x0800, 0x77);

	/* A1: a client on the AP to the printer on eth0: bridged. */
	put(&in[WIFI1], e, n);
	put(&expected[ETH0], e, n);
}

int main(int argc, char **argv)
{
	char path[512];

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	for (int p = 0; p < N_PORTS; p++) {
		uint32_t lt = p == WIFI0 ? PCAP_LINKTYPE_IEEE802_11_RADIOTAP : PCAP_LINKTYPE_ETHERNET;

		snprintf(path, sizeof(path), "%s/in_%s.pcap", argv[1], port_names[p]);
		if (pcap_writer_open(&in[p], path, lt) != 0)
			return 1;
		snprintf(path, sizeof(path), "%s/expected_%s.pcap", argv[1], port_names[p]);
		if (pcap_writer_open(&expected[p], path, lt) != 0)
			return 1;
	}
	lan_side();
	mesh_side();
	access_side();
	for (int p = 0; p < N_PORTS; p++) {
		pcap_writer_close(&in[p]);
		pcap_writer_close(&expected[p]);
	}
	return 0;
}
