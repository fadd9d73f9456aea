/* tshark as an independent oracle: every frame kind we encode is written to a radiotap pcap
 * (link type 127), dissected by tshark, and each field tshark decodes is compared with what we
 * encoded. tshark is silent on most layout bugs, so values are checked, not just "no warning";
 * _ws.expert and _ws.malformed must still be empty. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mesh_ies.h"
#include "pcap_writer.h"
#include "peering_frame.h"
#include "radiotap.h"
#include "sae_frame.h"
#include "sample_frames.h"
#include "suites.h"

#define MAX_FIELDS 20
/* A local experimental EtherType: tshark shows the payload as plain data, with no expert notes. */
#define OPAQUE_ETHERTYPE 0x88b5

struct tshark_case {
	const char *name;
	size_t (*build)(uint8_t *frame, size_t cap);
	/* field name, expected value; aggregated occurrences are comma-separated */
	const char *fields[MAX_FIELDS][2];
};

static size_t build_data(struct mesh_data_hdr hdr, uint8_t *frame, size_t cap)
{
	int n = mesh_data_encode_header(frame, cap, &hdr);

	ck_assert_int_gt(n, 0);
	memset(frame + n, 0x5a, 16);
	return (size_t)n + 16;
}

static size_t build_unicast(uint8_t *f, size_t cap) { return build_data(sample_unicast_hdr(0, OPAQUE_ETHERTYPE), f, cap); }
static size_t build_unicast_ae(uint8_t *f, size_t cap) { return build_data(sample_unicast_hdr(2, OPAQUE_ETHERTYPE), f, cap); }
static size_t build_group(uint8_t *f, size_t cap) { return build_data(sample_group_hdr(0, OPAQUE_ETHERTYPE), f, cap); }
static size_t build_group_ae(uint8_t *f, size_t cap) { return build_data(sample_group_hdr(1, OPAQUE_ETHERTYPE), f, cap); }

/* Length of a Mesh Action frame whose one element the encoder reported as element_len. */
static size_t mesh_action_len(int element_len)
{
	ck_assert_int_gt(element_len, 0);
	return ACTION_HDR_LEN + (size_t)element_len;
}

static int action_header(uint8_t *f, size_t cap, uint8_t action)
{
	struct mgmt_hdr h = sample_action_hdr();

	return action_encode_header(f, cap, &h, WLAN_CATEGORY_MESH, action);
}

static size_t build_preq(uint8_t *f, size_t cap)
{
	struct hwmp_preq p = sample_preq(false, 1);

	action_header(f, cap, WLAN_MESH_ACTION_HWMP);
	return mesh_action_len(hwmp_preq_encode(f + ACTION_HDR_LEN, cap - ACTION_HDR_LEN, &p));
}

static size_t build_preq_ae(uint8_t *f, size_t cap)
{
	struct hwmp_preq p = sample_preq(true, 3);

	action_header(f, cap, WLAN_MESH_ACTION_HWMP);
	return mesh_action_len(hwmp_preq_encode(f + ACTION_HDR_LEN, cap - ACTION_HDR_LEN, &p));
}

static size_t build_prep_ae(uint8_t *f, size_t cap)
{
	struct hwmp_prep p = sample_prep(true);

	action_header(f, cap, WLAN_MESH_ACTION_HWMP);
	return mesh_action_len(hwmp_prep_encode(f + ACTION_HDR_LEN, cap - ACTION_HDR_LEN, &p));
}

static size_t build_perr(uint8_t *f, size_t cap)
{
	struct hwmp_perr p = sample_perr(3);

	action_header(f, cap, WLAN_MESH_ACTION_HWMP);
	return mesh_action_len(hwmp_perr_encode(f + ACTION_HDR_LEN, cap - ACTION_HDR_LEN, &p));
}

static size_t build_rann(uint8_t *f, size_t cap)
{
	struct hwmp_rann r = sample_rann();

	action_header(f, cap, WLAN_MESH_ACTION_HWMP);
	return mesh_action_len(hwmp_rann_encode(f + ACTION_HDR_LEN, cap - ACTION_HDR_LEN, &r));
}

static size_t build_gann(uint8_t *f, size_t cap)
{
	struct hwmp_gann g = sample_gann();

	action_header(f, cap, WLAN_MESH_ACTION_GATE_ANNOUNCEMENT);
	return mesh_action_len(hwmp_gann_encode(f + ACTION_HDR_LEN, cap - ACTION_HDR_LEN, &g));
}

static size_t build_beacon(uint8_t *f, size_t cap)
{
	struct beacon b = sample_beacon();
	int n = beacon_encode(f, cap, &b, NULL, 0);

	ck_assert_int_gt(n, 0);
	return (size_t)n;
}

static size_t build_beacon_linux_like(uint8_t *f, size_t cap)
{
	struct beacon b = sample_beacon();
	int n;

	b.interval_tu = 1000;
	b.channel = 6;
	mesh_rates_default_2ghz(&b.rates);
	n = beacon_encode(f, cap, &b, NULL, 0);
	ck_assert_int_gt(n, 0);
	return (size_t)n;
}

static size_t build_peering(uint8_t *f, size_t cap, uint8_t action, bool plid, uint16_t protocol)
{
	struct peering_local l;
	struct peering_mgmt_ie ie;
	struct mac_addr peer = {{0x02, 0, 0, 0, 0, 0x02}};
	int n;

	memset(&l, 0, sizeof(l));
	memset(&ie, 0, sizeof(ie));
	l.self = (struct mac_addr){{0x02, 0, 0, 0, 0, 0x01}};
	mesh_rates_default_2ghz(&l.rates);
	mesh_id_set(&l.mesh_id, "campus-mesh");
	l.mesh_config = (struct mesh_config_ie){.path_sel_protocol = 1, .path_sel_metric = 1, .sync_method = 1,
						 .auth_protocol = protocol, .formation_info = 1 << 1, .capability = 0x09};
	l.ext_flags = MESH_EXT_HWMP;
	ie.protocol = protocol;
	ie.llid = 0x1234;
	ie.has_plid = plid;
	ie.plid = 0xabcd;
	ie.reason = WLAN_REASON_MESH_MAX_RETRIES;
	for (unsigned i = 0; i < MESH_PMKID_LEN; i++)
		ie.pmkid[i] = (uint8_t)(0xa0 + i);
	n = peering_frame_encode(f, cap, &l, &peer, action, 7, &ie);
	ck_assert_int_gt(n, 0);
	return (size_t)n;
}

static size_t build_open(uint8_t *f, size_t cap) { return build_peering(f, cap, WLAN_SP_MESH_PEERING_OPEN, false, 0); }
static size_t build_confirm(uint8_t *f, size_t cap) { return build_peering(f, cap, WLAN_SP_MESH_PEERING_CONFIRM, true, 0); }
static size_t build_close6(uint8_t *f, size_t cap) { return build_peering(f, cap, WLAN_SP_MESH_PEERING_CLOSE, false, 0); }
static size_t build_close8(uint8_t *f, size_t cap) { return build_peering(f, cap, WLAN_SP_MESH_PEERING_CLOSE, true, 0); }
static size_t build_open_ampe(uint8_t *f, size_t cap) { return build_peering(f, cap, WLAN_SP_MESH_PEERING_OPEN, false, 1); }
static size_t build_confirm_ampe(uint8_t *f, size_t cap) { return build_peering(f, cap, WLAN_SP_MESH_PEERING_CONFIRM, true, 1); }

/* SAE Authentication frames: a body from fields, wrapped from MP1 to MP2. */
static size_t build_sae(uint8_t *f, size_t cap, const struct sae_frame *sf)
{
	struct mac_addr self = {{0x02, 0, 0, 0, 0, 0x01}}, peer = {{0x02, 0, 0, 0, 0, 0x02}};
	uint8_t body[400];
	int n = sae_frame_encode(body, sizeof(body), sf);

	ck_assert_int_gt(n, 0);
	n = sae_auth_frame_encode(f, cap, &self, &peer, body, (size_t)n);
	ck_assert_int_gt(n, 0);
	return (size_t)n;
}

static uint8_t sae_scalar[66], sae_element[132], sae_token[32], sae_confirm[48];

static void sae_fill(void)
{
	for (unsigned i = 0; i < sizeof(sae_element); i++)
		sae_element[i] = (uint8_t)(0x21 + i);
	for (unsigned i = 0; i < sizeof(sae_scalar); i++)
		sae_scalar[i] = (uint8_t)(0x01 + i);
	for (unsigned i = 0; i < sizeof(sae_token); i++)
		sae_token[i] = (uint8_t)(0xc0 + i);
	for (unsigned i = 0; i < sizeof(sae_confirm); i++)
		sae_confirm[i] = (uint8_t)(0xa0 + i);
}

static size_t build_sae_commit(uint8_t *f, size_t cap)
{
	struct sae_frame sf = {.transaction = SAE_SEQ_COMMIT, .group = 19, .scalar = sae_scalar, .element = sae_element};

	sae_fill();
	return build_sae(f, cap, &sf);
}

static size_t build_sae_commit_token(uint8_t *f, size_t cap)
{
	struct sae_frame sf = {.transaction = SAE_SEQ_COMMIT, .group = 19, .scalar = sae_scalar, .element = sae_element,
			       .token = sae_token, .token_len = 32};

	sae_fill();
	return build_sae(f, cap, &sf);
}

static size_t build_sae_commit_h2e(uint8_t *f, size_t cap)
{
	static const uint8_t rejected[] = {20, 0, 21, 0};
	struct sae_frame sf = {.transaction = SAE_SEQ_COMMIT, .status = WLAN_STATUS_SAE_HASH_TO_ELEMENT, .group = 19,
			       .scalar = sae_scalar, .element = sae_element, .rejected_groups = rejected,
			       .rejected_groups_count = 2, .token = sae_token, .token_len = 32,
			       .password_id = (const uint8_t *)"psk4internet", .password_id_len = 12};

	sae_fill();
	return build_sae(f, cap, &sf);
}

static size_t build_sae_commit_p384(uint8_t *f, size_t cap)
{
	struct sae_frame sf = {.transaction = SAE_SEQ_COMMIT, .group = 20, .scalar = sae_scalar, .element = sae_element};

	sae_fill();
	return build_sae(f, cap, &sf);
}

static size_t build_sae_confirm(uint8_t *f, size_t cap)
{
	struct sae_frame sf = {.transaction = SAE_SEQ_CONFIRM, .send_confirm = 0x1234, .confirm = sae_confirm,
			       .confirm_len = 32};

	sae_fill();
	return build_sae(f, cap, &sf);
}

static size_t build_sae_token_req(uint8_t *f, size_t cap)
{
	struct sae_frame sf = {.transaction = SAE_SEQ_COMMIT, .status = WLAN_STATUS_ANTI_CLOGGING_TOKEN_REQ, .group = 19,
			       .token = sae_token, .token_len = 32};

	sae_fill();
	return build_sae(f, cap, &sf);
}

static size_t build_sae_group_reject(uint8_t *f, size_t cap)
{
	struct sae_frame sf = {.transaction = SAE_SEQ_COMMIT, .status = WLAN_STATUS_FINITE_CYCLIC_GROUP_NOT_SUPPORTED,
			       .group = 21};

	return build_sae(f, cap, &sf);
}

#define NO_WARNINGS {"_ws.expert", ""}, {"_ws.malformed", ""}
#define MP1 "02:00:00:00:00:01"
#define MP2 "02:00:00:00:00:02"
#define MP3 "02:00:00:00:00:03"
#define STA1 "0a:11:22:33:44:55"
#define STA2 "0a:66:77:88:99:aa"

static const struct tshark_case cases[] = {
	{"unicast, no AE", build_unicast, {
		{"wlan.fc.ds", "0x03"}, {"wlan.ra", MP2}, {"wlan.ta", MP1}, {"wlan.da", MP3}, {"wlan.sa", MP1},
		{"wlan.qos.tid", "5"}, {"wlan.qos.mesh_ctl_present", "1"}, {"wlan.fixed.mesh_flags", "0x00"},
		{"wlan.fixed.mesh_ttl", "0x1f"}, {"wlan.fixed.mesh_sequence", "0x01020304"},
		{"wlan.fixed.mesh_addr5", ""}, {"llc.type", "0x88b5"}, {"data.len", "16"}, NO_WARNINGS}},
	{"unicast, AE A5+A6", build_unicast_ae, {
		{"wlan.fc.ds", "0x03"}, {"wlan.qos.mesh_ctl_present", "1"}, {"wlan.fixed.mesh_flags", "0x02"},
		{"wlan.fixed.mesh_addr4", ""}, {"wlan.fixed.mesh_addr5", STA2}, {"wlan.fixed.mesh_addr6", STA1},
		{"llc.type", "0x88b5"}, {"data.len", "16"}, NO_WARNINGS}},
	{"group, no AE", build_group, {
		{"wlan.fc.ds", "0x02"}, {"wlan.ra", "ff:ff:ff:ff:ff:ff"}, {"wlan.ta", MP1}, {"wlan.sa", MP1},
		{"wlan.qos.mesh_ctl_present", "1"}, {"wlan.fixed.mesh_flags", "0x00"}, {"wlan.fixed.mesh_ttl", "0x1e"},
		{"wlan.fixed.mesh_sequence", "0xa0b0c0d0"}, {"wlan.fixed.mesh_addr4", ""}, {"llc.type", "0x88b5"},
		{"data.len", "16"}, NO_WARNINGS}},
	{"group, AE A4", build_group_ae, {
		{"wlan.fc.ds", "0x02"}, {"wlan.fixed.mesh_flags", "0x01"}, {"wlan.fixed.mesh_addr4", STA1},
		{"wlan.fixed.mesh_addr5", ""}, {"llc.type", "0x88b5"}, {"data.len", "16"}, NO_WARNINGS}},
	{"PREQ, one target", build_preq, {
		{"wlan.fixed.category_code", "13"}, {"wlan.fixed.mesh_action", "0x01"}, {"wlan.hwmp.flags", "0x00"},
		{"wlan.hwmp.hopcount", "2"}, {"wlan.hwmp.ttl", "29"}, {"wlan.hwmp.pdid", "287454020"},
		{"wlan.hwmp.orig_sta", MP1}, {"wlan.hwmp.orig_sn", "4294967280"}, {"wlan.hwmp.orig_ext", ""},
		{"wlan.hwmp.lifetime", "4883"}, {"wlan.hwmp.metric", "4660"}, {"wlan.hwmp.targ_count", "1"},
		{"wlan.hwmp.targ_flags", "0x01"}, {"wlan.hwmp.targ_sta", MP2}, {"wlan.hwmp.targ_sn", "1000"},
		NO_WARNINGS}},
	{"PREQ, AE, three targets", build_preq_ae, {
		{"wlan.hwmp.flags", "0x40"}, {"wlan.hwmp.orig_sta", MP1}, {"wlan.hwmp.orig_ext", STA1},
		{"wlan.hwmp.lifetime", "4883"}, {"wlan.hwmp.metric", "4660"}, {"wlan.hwmp.targ_count", "3"},
		{"wlan.hwmp.targ_flags", "0x01,0x04,0x04"},
		{"wlan.hwmp.targ_sta", MP2 ",02:00:00:00:01:03,02:00:00:00:02:03"},
		{"wlan.hwmp.targ_sn", "1000,1001,1002"}, NO_WARNINGS}},
	{"PREP, AE", build_prep_ae, {
		{"wlan.fixed.mesh_action", "0x01"}, {"wlan.hwmp.flags", "0x40"}, {"wlan.hwmp.hopcount", "1"},
		{"wlan.hwmp.ttl", "30"}, {"wlan.hwmp.targ_sta", MP3}, {"wlan.hwmp.targ_sn", "77"},
		{"wlan.hwmp.targ_ext", STA2}, {"wlan.hwmp.lifetime", "4883"}, {"wlan.hwmp.metric", "11259375"},
		{"wlan.hwmp.orig_sta", MP1}, {"wlan.hwmp.orig_sn", "2147483649"}, NO_WARNINGS}},
	{"PERR, three destinations", build_perr, {
		{"wlan.hwmp.ttl", "31"}, {"wlan.hwmp.targ_count", "3"}, {"wlan.hwmp.targ_flags", "0x00,0x40,0x00"},
		{"wlan.hwmp.targ_sta", "02:00:00:00:10:03,02:00:00:00:11:03,02:00:00:00:12:03"},
		{"wlan.hwmp.targ_sn", "500,501,502"}, {"wlan.hwmp.targ_ext", STA2},
		{"wlan.fixed.reason_code", "0x003f,0x003e,0x003e"}, NO_WARNINGS}},
	{"RANN", build_rann, {
		{"wlan.rann.flags", "0x01"}, {"wlan.hwmp.hopcount", "3"}, {"wlan.hwmp.ttl", "28"},
		{"wlan.rann.root_sta", MP1}, {"wlan.rann.rann_sn", "66051"}, {"wlan.rann.interval", "5000"},
		{"wlan.hwmp.metric", "8192"}, NO_WARNINGS}},
	{"GANN", build_gann, {
		{"wlan.fixed.mesh_action", "0x02"}, {"wlan.gann.flags", "0x00"}, {"wlan.gann.hop_count", "1"},
		{"wlan.gann.elem_ttl", "30"}, {"wlan.gann.gate_addr", MP1}, {"wlan.gann.seq_num", "42"},
		{"wlan.gann.interval", "5000"}, NO_WARNINGS}},
	{"mesh beacon", build_beacon, {
		{"wlan.fc.type_subtype", "0x0008"}, {"wlan.fixed.beacon", "100"}, {"wlan.tag.number", "0,1,50,114,113"},
		{"wlan.tag.length", "0,8,4,11,7"},
		{"wlan.mesh.id", "campus-mesh"}, {"wlan.mesh.config.ps_protocol", "0x01"},
		{"wlan.mesh.config.ps_metric", "0x01"}, {"wlan.mesh.config.sync_method", "0x01"},
		{"wlan.mesh.config.auth_protocol", "0x00"}, {"wlan.mesh.config.formation_info.num_peers", "2"},
		{"wlan.mesh.config.cap", "0x09"}, NO_WARNINGS}},
	{"mesh beacon, Linux's rates and DS channel", build_beacon_linux_like, {
		{"wlan.fixed.beacon", "1000"}, {"wlan.tag.number", "0,1,3,50,114,113"},
		{"wlan.supported_rates", "0x82,0x04,0x0b,0x16,0x0c,0x12,0x18,0x24"},
		{"wlan.extended_supported_rates", "0x30,0x48,0x60,0x6c"}, {"wlan.ds.current_channel", "6"},
		{"wlan.mesh.id", "campus-mesh"}, NO_WARNINGS}},
	{"Mesh Peering Open", build_open, {
		{"wlan.fixed.category_code", "15"}, {"wlan.fixed.selfprot_action", "0x01"}, {"wlan.ra", MP2},
		{"wlan.ta", MP1}, {"wlan.bssid", MP1}, {"wlan.fixed.capabilities", "0x0000"},
		{"wlan.tag.number", "1,50,114,113,117,221"}, {"wlan.mesh.id", "campus-mesh"},
		{"wlan.mesh.config.auth_protocol", "0x00"}, {"wlan.peering.proto", "0x0000"},
		{"wlan.peering.local_id", "0x1234"}, {"wlan.peering.peer_id", ""}, {"wlan.tag.length", "8,4,11,7,4,5"},
		{"wlan.tag.vendor.oui.type", "2"}, NO_WARNINGS}},
	{"Mesh Peering Confirm", build_confirm, {
		{"wlan.fixed.selfprot_action", "0x02"}, {"wlan.fixed.capabilities", "0x0000"}, {"wlan.fixed.aid", "0x0007"},
		{"wlan.tag.number", "1,50,114,113,117,221"}, {"wlan.peering.proto", "0x0000"},
		{"wlan.peering.local_id", "0x1234"}, {"wlan.peering.peer_id", "0xabcd"},
		{"wlan.tag.length", "8,4,11,7,6,5"}, NO_WARNINGS}},
	{"Mesh Peering Close without peer link ID", build_close6, {
		{"wlan.fixed.selfprot_action", "0x03"}, {"wlan.tag.number", "114,117"}, {"wlan.tag.length", "11,6"},
		{"wlan.peering.local_id", "0x1234"}, {"wlan.peering.peer_id", ""}, {"wlan.fixed.reason_code", "0x0038"},
		NO_WARNINGS}},
	{"Mesh Peering Close with peer link ID", build_close8, {
		{"wlan.fixed.selfprot_action", "0x03"}, {"wlan.tag.length", "11,8"}, {"wlan.peering.local_id", "0x1234"},
		{"wlan.peering.peer_id", "0xabcd"}, {"wlan.fixed.reason_code", "0x0038"}, NO_WARNINGS}},
	{"AMPE Open (element 117 with PMKID)", build_open_ampe, {
		{"wlan.fixed.selfprot_action", "0x01"}, {"wlan.peering.proto", "0x0001"}, {"wlan.peering.local_id", "0x1234"},
		{"wlan.mesh.config.auth_protocol", "0x01"}, {"wlan.tag.length", "8,4,11,7,20,5"}}},
	{"AMPE Confirm (element 117 with PMKID)", build_confirm_ampe, {
		{"wlan.fixed.selfprot_action", "0x02"}, {"wlan.peering.proto", "0x0001"}, {"wlan.peering.peer_id", "0xabcd"},
		{"wlan.tag.length", "8,4,11,7,22,5"}}},
	{"SAE Commit (hunting-and-pecking, P-256)", build_sae_commit, {
		{"wlan.fc.type_subtype", "0x000b"}, {"wlan.ra", MP2}, {"wlan.ta", MP1}, {"wlan.bssid", MP1},
		{"wlan.fixed.auth.alg", "3"}, {"wlan.fixed.auth_seq", "0x0001"}, {"wlan.fixed.status_code", "0x0000"},
		{"wlan.fixed.finite_cyclic_group", "19"}, {"wlan.fixed.anti_clogging_token", ""},
		{"wlan.fixed.scalar", "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"},
		{"wlan.fixed.finite_field_element", "2122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60"}, NO_WARNINGS}},
	{"SAE Commit with anti-clogging token", build_sae_commit_token, {
		{"wlan.fixed.status_code", "0x0000"}, {"wlan.fixed.finite_cyclic_group", "19"},
		{"wlan.fixed.anti_clogging_token", "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"}, {"wlan.fixed.scalar", "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"},
		{"wlan.fixed.finite_field_element", "2122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60"}, NO_WARNINGS}},
	{"SAE Commit (hash-to-element) with identifier, rejected groups, token container", build_sae_commit_h2e, {
		{"wlan.fixed.status_code", "0x007e"}, {"wlan.fixed.finite_cyclic_group", "19"},
		{"wlan.fixed.scalar", "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"}, {"wlan.fixed.finite_field_element", "2122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60"},
		{"wlan.ext_tag.sae.password_identifier", "psk4internet"}, {"wlan.ext_tag.rejected_groups.group", "20,21"},
		{"wlan.ext_tag.sae.anti_clogging_token", "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"}, {"wlan.fixed.anti_clogging_token", ""}, NO_WARNINGS}},
	{"SAE Commit (P-384)", build_sae_commit_p384, {
		{"wlan.fixed.finite_cyclic_group", "20"}, {"wlan.fixed.scalar", "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f30"},
		{"wlan.fixed.finite_field_element", "2122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f80"}, NO_WARNINGS}},
	{"SAE Confirm", build_sae_confirm, {
		{"wlan.fixed.auth.alg", "3"}, {"wlan.fixed.auth_seq", "0x0002"}, {"wlan.fixed.status_code", "0x0000"},
		{"wlan.fixed.send_confirm", "4660"}, {"wlan.fixed.confirm", "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"}, NO_WARNINGS}},
	{"SAE anti-clogging token request (76)", build_sae_token_req, {
		{"wlan.fixed.auth_seq", "0x0001"}, {"wlan.fixed.status_code", "0x004c"},
		{"wlan.fixed.finite_cyclic_group", "19"}, {"wlan.fixed.anti_clogging_token", "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"},
		{"wlan.fixed.scalar", ""}, NO_WARNINGS}},
	{"SAE group not supported (77)", build_sae_group_reject, {
		{"wlan.fixed.status_code", "0x004d"}, {"wlan.fixed.finite_cyclic_group", "21"}, {"wlan.fixed.scalar", ""},
		NO_WARNINGS}},
};

static char workdir[64];

static void make_workdir(void)
{
	snprintf(workdir, sizeof(workdir), "/tmp/meshplane-tshark-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(workdir));
	/* An empty profile, so a user's Wireshark preferences cannot change the dissection. */
	setenv("WIRESHARK_CONFIG_DIR", workdir, 1);
}

static void remove_workdir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", workdir);
	ck_assert_int_eq(system(cmd), 0);
}

static void write_pcap(const char *path, const uint8_t *frame, size_t len)
{
	struct pcap_writer w;
	uint8_t packet[600];
	int rt = radiotap_build(packet, sizeof(packet), 0x6c, 0);

	ck_assert_int_eq(rt, RADIOTAP_TX_LEN);
	ck_assert_uint_le(len, sizeof(packet) - (size_t)rt);
	memcpy(packet + rt, frame, len);
	ck_assert_int_eq(pcap_writer_open(&w, path, PCAP_LINKTYPE_IEEE802_11_RADIOTAP), 0);
	ck_assert_int_eq(pcap_writer_write(&w, packet, len + (size_t)rt, 1700000000000000ull), 0);
	ck_assert_int_eq(pcap_writer_close(&w), 0);
}

/* Runs tshark over path and returns its single line of tab-separated field values. */
static void run_tshark(const char *path, const struct tshark_case *c, char *line, size_t cap)
{
	char cmd[2048];
	size_t off;
	FILE *p;

	off = (size_t)snprintf(cmd, sizeof(cmd), "%s -r '%s' -T fields -E occurrence=a -E aggregator=, "
				"-E separator=/t", MESHPLANE_TSHARK, path);
	for (int i = 0; i < MAX_FIELDS && c->fields[i][0] != NULL; i++)
		off += (size_t)snprintf(cmd + off, sizeof(cmd) - off, " -e %s", c->fields[i][0]);
	snprintf(cmd + off, sizeof(cmd) - off, " 2>/dev/null");
	ck_assert_uint_lt(off, sizeof(cmd) - 16);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	line[0] = '\0';
	ck_assert_msg(fgets(line, (int)cap, p) != NULL, "%s: tshark printed nothing", c->name);
	ck_assert_int_eq(pclose(p), 0);
	line[strcspn(line, "\n")] = '\0';
}

START_TEST(tshark_decodes_what_we_encode)
{
	const struct tshark_case *c = &cases[_i];
	char path[128], line[4096], *cursor, *value;
	uint8_t frame[512];
	size_t len = c->build(frame, sizeof(frame));

	make_workdir();
	snprintf(path, sizeof(path), "%s/frame.pcap", workdir);
	write_pcap(path, frame, len);
	run_tshark(path, c, line, sizeof(line));
	cursor = line;
	for (int i = 0; i < MAX_FIELDS && c->fields[i][0] != NULL; i++) {
		value = strsep(&cursor, "\t");
		ck_assert_msg(value != NULL, "%s: tshark gave no column for %s", c->name, c->fields[i][0]);
		ck_assert_msg(strcmp(value, c->fields[i][1]) == 0, "%s: %s is \"%s\", we encoded \"%s\"",
			      c->name, c->fields[i][0], value, c->fields[i][1]);
	}
	remove_workdir();
}
END_TEST

Suite *tshark_suite(void)
{
	Suite *s = suite_create("tshark");
	TCase *tc = tcase_create("tshark");

	tcase_set_timeout(tc, 120);
	if (access(MESHPLANE_TSHARK, X_OK) == 0)
		tcase_add_loop_test(tc, tshark_decodes_what_we_encode, 0, sizeof(cases) / sizeof(cases[0]));
	else
		fprintf(stderr, "tshark not found at %s: the tshark oracle tests are not run\n", MESHPLANE_TSHARK);
	suite_add_tcase(s, tc);
	return s;
}
