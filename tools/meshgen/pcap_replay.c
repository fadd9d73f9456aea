/* Classic pcap reader for --pcap (lib/ only has a writer; nanosecond and byte-swapped files too). */
#include "pcap_replay.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static uint32_t rd32(const uint8_t *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

int mg_replay_load(const char *path, struct mg_template *t, size_t max, char *err, size_t errlen)
{
	uint8_t gh[24], rh[16];
	FILE *f = fopen(path, "rb");
	size_t n = 0;
	uint32_t magic;
	int swap;

	if (f == NULL) {
		snprintf(err, errlen, "--pcap: cannot open \"%s\": %s", path, strerror(errno));
		return -1;
	}
	if (fread(gh, 1, sizeof(gh), f) != sizeof(gh)) {
		snprintf(err, errlen, "--pcap: \"%s\" is shorter than a pcap header", path);
		goto fail;
	}
	memcpy(&magic, gh, 4);
	if (magic == 0xa1b2c3d4u || magic == 0xa1b23c4du)
		swap = 0;
	else if (magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u)
		swap = 1;
	else {
		snprintf(err, errlen, "--pcap: \"%s\" is not a classic pcap file (pcapng is not supported)", path);
		goto fail;
	}
	while (fread(rh, 1, sizeof(rh), f) == sizeof(rh)) {
		uint32_t caplen = rd32(rh + 8, swap);
		int off;

		if (n == max) {
			snprintf(err, errlen, "--pcap: \"%s\" holds more than %zu frames", path, max);
			goto fail;
		}
		if (caplen < 14 || caplen > MG_MAX_FRAME) {
			snprintf(err, errlen, "--pcap: frame %zu of \"%s\" is %u bytes (14..%d supported)", n + 1,
				 path, caplen, MG_MAX_FRAME);
			goto fail;
		}
		memset(&t[n], 0, sizeof(t[n]));
		if (fread(t[n].data, 1, caplen, f) != caplen) {
			snprintf(err, errlen, "--pcap: \"%s\" is truncated in frame %zu", path, n + 1);
			goto fail;
		}
		t[n].len = (uint16_t)caplen;
		/* No better Ethernet equivalent is known for an arbitrary frame: its length plus an FCS. */
		t[n].wire_len = (uint16_t)(caplen + 4);
		t[n].off_sta_dst = t[n].off_sta_src = t[n].off_mesh_da = t[n].off_mesh_seq = MG_OFF_NONE;
		off = mg_find_payload(t[n].data, t[n].len, 0);
		t[n].payload_off = off >= 0 ? (uint16_t)off : MG_OFF_NONE;
		n++;
	}
	fclose(f);
	if (n == 0) {
		snprintf(err, errlen, "--pcap: \"%s\" holds no frames", path);
		return -1;
	}
	return (int)n;
fail:
	fclose(f);
	return -1;
}
