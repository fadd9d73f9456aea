/* Reads a radiotap pcap (link type 127, airsim's capture) and decodes every Mesh Peering Open, Confirm
 * and Close sent by TA with lib/peering_frame.c, then has tshark dissect the same frames and compares
 * the fields both read: action, protocol, local and peer link ID, reason, AID and Mesh ID. Prints one
 * line per frame; exits 1 on any difference or when TA sent no peering frame, 2 on bad usage.
 * Usage: decode_peering PCAP TA */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "mac.h"
#include "peering_frame.h"
#include "radiotap.h"

#define MAX_FRAMES 4096

struct row {
	char text[160];
};

static struct row ours[MAX_FRAMES], theirs[MAX_FRAMES];

static unsigned read_pcap(const char *path, const struct mac_addr *ta)
{
	uint8_t hdr[24], rec[16], buf[4096];
	unsigned n = 0;
	FILE *f = fopen(path, "rb");

	if (f == NULL || fread(hdr, 1, sizeof(hdr), f) != sizeof(hdr) || get_le32(hdr) != 0xa1b2c3d4u) {
		fprintf(stderr, "decode_peering: %s: not a little-endian pcap\n", path);
		exit(1);
	}
	while (fread(rec, 1, sizeof(rec), f) == sizeof(rec)) {
		uint32_t len = get_le32(rec + 8);
		struct radiotap_info rt;
		struct peering_frame pf;
		const uint8_t *frame;
		size_t flen;
		char mesh_id[40];

		if (len > sizeof(buf) || fread(buf, 1, len, f) != len)
			break;
		if (radiotap_parse(buf, len, &rt) < 0)
			continue;
		frame = buf + rt.header_len;
		flen = len - rt.header_len;
		if (flen < 26 || frame[0] != 0xd0 || frame[24] != WLAN_CATEGORY_SELF_PROTECTED ||
		    memcmp(frame + 10, ta->bytes, MAC_LEN) != 0 || n == MAX_FRAMES)
			continue;
		if (peering_frame_decode(frame, flen, &pf) != CODEC_OK) {
			snprintf(ours[n++].text, sizeof(ours[0].text), "undecodable");
			continue;
		}
		memcpy(mesh_id, pf.elems.mesh_id.id, pf.elems.mesh_id.len);
		mesh_id[pf.elems.mesh_id.len] = '\0';
		snprintf(ours[n++].text, sizeof(ours[0].text), "action=%u proto=%u llid=%u plid=%s%u reason=%s%u aid=%s%u mesh_id=%s",
			 pf.action, pf.mpm.protocol, pf.mpm.llid, pf.mpm.has_plid ? "" : "-", pf.mpm.has_plid ? pf.mpm.plid : 0,
			 pf.mpm.has_reason ? "" : "-", pf.mpm.has_reason ? pf.mpm.reason : 0,
			 pf.action == WLAN_SP_MESH_PEERING_CONFIRM ? "" : "-",
			 pf.action == WLAN_SP_MESH_PEERING_CONFIRM ? pf.aid : 0, mesh_id);
	}
	fclose(f);
	return n;
}

/* tshark prints empty fields for what a frame does not carry; our rows print "-" then. */
static unsigned read_tshark(const char *path, const char *ta)
{
	char cmd[512], line[512];
	unsigned n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 "tshark -r '%s' -Y 'wlan.fixed.category_code == 15 && wlan.ta == %s' -T fields -E separator=/t "
		 "-e wlan.fixed.selfprot_action -e wlan.peering.proto -e wlan.peering.local_id -e wlan.peering.peer_id "
		 "-e wlan.fixed.reason_code -e wlan.fixed.aid -e wlan.mesh.id 2>/dev/null",
		 path, ta);
	p = popen(cmd, "r");
	if (p == NULL)
		exit(1);
	while (fgets(line, sizeof(line), p) != NULL && n < MAX_FRAMES) {
		char *f[7] = {0}, *cursor = line;
		unsigned long v[6];

		line[strcspn(line, "\n")] = '\0';
		for (int i = 0; i < 7; i++)
			f[i] = strsep(&cursor, "\t");
		for (int i = 0; i < 6; i++)
			v[i] = f[i] != NULL && f[i][0] != '\0' ? strtoul(f[i], NULL, 0) : 0;
		snprintf(theirs[n++].text, sizeof(theirs[0].text),
			 "action=%lu proto=%lu llid=%lu plid=%s%lu reason=%s%lu aid=%s%lu mesh_id=%s", v[0], v[1], v[2],
			 f[3] && f[3][0] ? "" : "-", v[3], f[4] && f[4][0] ? "" : "-", v[4], f[5] && f[5][0] ? "" : "-",
			 v[5], f[6] ? f[6] : "");
	}
	pclose(p);
	return n;
}

int main(int argc, char **argv)
{
	struct mac_addr ta;
	unsigned n, m, bad = 0;

	if (argc != 3 || mac_parse(argv[2], &ta) < 0) {
		fprintf(stderr, "usage: decode_peering PCAP TA\n");
		return 2;
	}
	n = read_pcap(argv[1], &ta);
	m = read_tshark(argv[1], argv[2]);
	if (n == 0 || n != m) {
		fprintf(stderr, "decode_peering: %u peering frames from %s by our codec, %u by tshark\n", n, argv[2], m);
		return 1;
	}
	for (unsigned i = 0; i < n; i++) {
		bool same = strcmp(ours[i].text, theirs[i].text) == 0;

		printf("%s %s%s%s\n", same ? "same" : "DIFF", ours[i].text, same ? "" : " | tshark: ", same ? "" : theirs[i].text);
		bad += !same;
	}
	return bad ? 1 : 0;
}
