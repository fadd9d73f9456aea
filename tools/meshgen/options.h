/* meshgen command line: parsed into a plain struct (no DPDK), so it can be checked before EAL starts. */
#ifndef MESHGEN_OPTIONS_H
#define MESHGEN_OPTIONS_H

#include <stdbool.h>

#define MG_MAX_QUEUES 4
#include <stddef.h>
#include <stdint.h>

#include "mac.h"

enum mg_kind {
	MG_KIND_ETH,             /* Ethernet II */
	MG_KIND_MESH_UNICAST,    /* 4-address mesh data, AE none */
	MG_KIND_MESH_UNICAST_AE, /* 4-address mesh data, AE A5/A6 */
	MG_KIND_MESH_GROUP,      /* 3-address group mesh data, AE A4 */
};

/* Upper bound of --flows/--stations/--mesh-dests: keeps the per-flow sequence arrays bounded. */
#define MG_MAX_FLOWS (1u << 24)
#define MG_IMIX_SIZES 3

struct mg_opts {
	const char *tx_devargs, *rx_devargs;
	const char *lcores;   /* EAL --lcores */
	unsigned memory_mb;
	bool huge;            /* use hugepages instead of --no-huge */
	enum mg_kind kind, rx_kind;
	bool radiotap;
	bool wired;           /* mesh frames in the wired mesh link header (no radiotap) */
	bool imix;
	unsigned size;        /* Ethernet-equivalent frame size incl. FCS, when !imix */
	uint64_t rate_pps;    /* 0 = as fast as possible */
	double duration_s;    /* used when count == 0 */
	uint64_t count;
	uint32_t flows, stations, mesh_dests;
	struct mac_addr src, dst, next_hop, mesh_ta, mesh_da, mesh_sa, group;
	uint8_t ttl;
	double link_wait_s;
	unsigned queues;       /* rx/tx queue pairs per port (--queues) */
	double start_delay_s; /* pause between link up and the first frame */
	unsigned drain_ms;
	/* CCMP-128 (--mtk / --mgtk): generated mesh frames are sent protected (unicast under the MTK, key
	 * ID 0; group under the MGTK, key ID 1) with packet numbers from pn_start up, and protected frames
	 * received are verified and decrypted. The keys of meshplane's mesh.security "static". */
	bool has_mtk, has_mgtk;
	uint8_t mtk[16], mgtk[16];
	uint64_t pn_start;
	const char *pcap_path;  /* --pcap: replay these frames instead of --kind/--size ones */
	const char *json_path;
	const char *capture_path;
	unsigned capture_count;
	bool quiet;
	int eal_argc;         /* arguments after "--" */
	char **eal_argv;
};

/* Parses argv into o. Returns 0, 1 when --help/--version was printed, or 2 with a message naming
 * the offending flag in err. */
int mg_opts_parse(int argc, char **argv, struct mg_opts *o, char *err, size_t errlen);

/* True when frames of kind are sent under CCMP with o's keys (a mesh kind whose key was given). */
bool mg_kind_protected(const struct mg_opts *o, enum mg_kind kind);

/* Prints the --help text to stdout. */
void mg_opts_usage(const char *prog);

/* The --kind spelling of a kind ("eth", "mesh-unicast", ...). */
const char *mg_kind_name(enum mg_kind k);

#endif
