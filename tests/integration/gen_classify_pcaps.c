/* Writes mesh.pcap (radiotap + 802.11) and eth.pcap into DIR with a known mix of valid and
 * malformed frames, and prints the per-class counts meshplane must report as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcap_writer.h"
#include "radiotap.h"
#include "sample_frames.h"

static struct pcap_writer mesh_pcap, eth_pcap;
static int counts[2][32];
static const char *names[2][32];

static void expect(int port, const char *cls)
{
	for (int i = 0; i < 32; i++) {
		if (names[port][i] == NULL)
			names[port][i] = cls;
		if (strcmp(names[port][i], cls) == 0) {
			counts[port][i]++;
			return;
		}
	}
}

/* Writes an 802.11 frame behind a radiotap header; mangle may edit the radiotap bytes. */
static void mesh_frame(const uint8_t *f, size_t len, const char *cls, void (*mangle)(uint8_t *))
{
	uint8_t pkt[700];
	int rt = radiotap_build(pkt, sizeof(pkt), 0x6c, 0);

	memcpy(pkt + rt, f, len);
	if (mangle != NULL)
		mangle(pkt);
	if (pcap_writer_write(&mesh_pcap, pkt, (size_t)rt + len, 0) != 0)
		exit(1);
	expect(0, cls);
}

static void eth_frame(const uint8_t *f, size_t len, const char *cls)
{
	if (pcap_writer_write(&eth_pcap, f, len, 0) != 0)
		exit(1);
	expect(1, cls);
}

static void bad_version(uint8_t *rt) { rt[0] = 1; }
static void long_it_len(uint8_t *rt) { rt[2] = 0xff; }

static size_t data_frame(struct mesh_data_hdr h, uint8_t *f)
{
	int n = mesh_data_encode_header(f, 512, &h);

	memset(f + n, 0x42, 46);
	return (size_t)n + 46;
}

static void write_mesh_frames(void)
{
	struct mgmt_hdr ah = sample_action_hdr();
	struct beacon b = sample_beacon();
	struct hwmp_preq preq = sample_preq(true, 2);
	struct hwmp_perr perr = sample_perr(3);
	uint8_t f[512];
	size_t n;

	n = data_frame(sample_unicast_hdr(0, 0x0800), f);
	mesh_frame(f, n, "mesh_data_unicast", NULL);
	mesh_frame(f, n, "mesh_data_unicast", NULL);
	n = data_frame(sample_unicast_hdr(2, 0x0800), f);
	mesh_frame(f, n, "mesh_data_unicast", NULL);
	n = data_frame(sample_group_hdr(1, 0x0806), f);
	mesh_frame(f, n, "mesh_data_group", NULL);
	mesh_frame(f, n, "drop_bad_radiotap", bad_version);
	mesh_frame(f, n, "drop_truncated", long_it_len);
	n = (size_t)beacon_encode(f, sizeof(f), &b, NULL, 0);
	mesh_frame(f, n, "mesh_beacon", NULL);
	mesh_frame(f, n, "mesh_beacon", NULL);
	mesh_frame(f, n - 2, "drop_bad_element", NULL);
	n = (size_t)action_encode_header(f, sizeof(f), &ah, WLAN_CATEGORY_MESH, WLAN_MESH_ACTION_HWMP);
	n += (size_t)hwmp_preq_encode(f + n, sizeof(f) - n, &preq);
	mesh_frame(f, n, "mesh_hwmp_action", NULL);
	n = (size_t)action_encode_header(f, sizeof(f), &ah, WLAN_CATEGORY_MESH, WLAN_MESH_ACTION_HWMP);
	n += (size_t)hwmp_perr_encode(f + n, sizeof(f) - n, &perr);
	mesh_frame(f, n, "mesh_hwmp_action", NULL);
	f[ACTION_HDR_LEN + 1] = 250; /* PERR element length past the end */
	mesh_frame(f, n, "drop_bad_element", NULL);
	f[24] = WLAN_CATEGORY_SELF_PROTECTED;
	mesh_frame(f, n, "mesh_other_action", NULL);
	f[0] = 0x40; /* probe request */
	mesh_frame(f, n, "mesh_other_mgmt", NULL);
	f[0] = 0xd4; /* ACK */
	mesh_frame(f, 10, "drop_control", NULL);

	n = data_frame(sample_unicast_hdr(0, 0x0800), f);
	f[32] = 3; /* reserved AE mode */
	mesh_frame(f, n, "drop_bad_ae", NULL);
	f[32] = 0;
	f[1] = 0x01; /* ToDS only */
	mesh_frame(f, n, "drop_bad_ds", NULL);
	f[1] = 0x43;
	mesh_frame(f, n, "drop_protected", NULL);
	f[1] = 0x03;
	f[0] = 0x08; /* non-QoS data */
	mesh_frame(f, n, "drop_not_mesh_data", NULL);
	f[0] = 0x88;
	mesh_frame(f, 31, "drop_truncated", NULL);
}

static void write_eth_frames(void)
{
	uint8_t f[128];

	memset(f, 0, sizeof(f));
	mac_write(f, &sample_sta2);
	mac_write(f + 6, &sample_sta1);
	f[12] = 0x08;
	eth_frame(f, 60, "eth_unicast");
	eth_frame(f, 98, "eth_unicast");
	memset(f, 0xff, 6);
	eth_frame(f, 60, "eth_group");
	memcpy(f, "\x01\x80\xc2\x00\x00\x03", 6); /* EAPOL: hostapd's, never bridged */
	f[12] = 0x88;
	f[13] = 0x8e;
	eth_frame(f, 60, "eth_link_local");
	eth_frame(f, 10, "drop_bad_ether");
	mac_write(f, &sample_sta2);
	f[12] = 0x00;
	f[13] = 200; /* 802.3 length beyond the frame */
	eth_frame(f, 60, "drop_bad_ether");
}

int main(int argc, char **argv)
{
	char path[512];

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/mesh.pcap", argv[1]);
	if (pcap_writer_open(&mesh_pcap, path, PCAP_LINKTYPE_IEEE802_11_RADIOTAP) != 0)
		return 1;
	snprintf(path, sizeof(path), "%s/eth.pcap", argv[1]);
	if (pcap_writer_open(&eth_pcap, path, PCAP_LINKTYPE_ETHERNET) != 0)
		return 1;
	write_mesh_frames();
	write_eth_frames();
	pcap_writer_close(&mesh_pcap);
	pcap_writer_close(&eth_pcap);
	for (int port = 0; port < 2; port++) {
		printf("%s{\"port\": \"%s\"", port ? ", " : "[", port ? "eth0" : "wifi0");
		for (int i = 0; i < 32 && names[port][i] != NULL; i++)
			printf(", \"%s\": %d", names[port][i], counts[port][i]);
		printf("}");
	}
	printf("]\n");
	return 0;
}
