/* meshgen command line parsing: every error names its flag; nothing here needs DPDK. */
#include "options.h"

#include "mesh_data.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {"eth", "mesh-unicast", "mesh-unicast-ae", "mesh-group"};

const char *mg_kind_name(enum mg_kind k)
{
	return kind_names[k];
}

bool mg_kind_protected(const struct mg_opts *o, enum mg_kind kind)
{
	switch (kind) {
	case MG_KIND_MESH_UNICAST:
	case MG_KIND_MESH_UNICAST_AE: return o->has_mtk;
	case MG_KIND_MESH_GROUP: return o->has_mgtk;
	default: return false;
	}
}

void mg_opts_usage(const char *prog)
{
	printf(
	"usage: %s --tx DEVARGS [--rx DEVARGS] [options] [-- EAL ARGS]\n"
	"DPDK traffic generator for meshplane: Ethernet and 802.11s mesh data frames.\n"
	"\n"
	"ports\n"
	"  --tx DEVARGS        transmit port, e.g. net_memif0,role=server,id=0,socket=/tmp/g.sock,socket-abstract=no\n"
	"  --rx DEVARGS        receive port (default: the tx port)\n"
	"  --link-wait SEC     wait this long for link up (memif: for the peer) (default 10)\n"
	"  --queues N          rx/tx queue pairs per port, 1..4 (default 1); bursts are sent on the\n"
	"                      queues in turn (for a peer with N workers; a flow may then be\n"
	"                      reordered) and every queue is received (OVS-DPDK answers on queue 1)\n"
	"  --start-delay SEC   wait after link up before sending, so the peer's workers run (default 0)\n"
	"frames\n"
	"  --kind KIND         eth | mesh-unicast | mesh-unicast-ae | mesh-group (default mesh-unicast)\n"
	"  --rx-kind KIND      what comes back (default: the --kind; the payload is also searched\n"
	"                      for in the first 128 bytes when it is not where KIND puts it)\n"
	"  --no-radiotap       mesh frames without the 10-byte radiotap header\n"
	"  --wired             mesh frames as a wired mesh port carries them: after an Ethernet header\n"
	"                      of EtherType 0x88B5 (receiver, transmitter), no radiotap\n"
	"  --size N|imix       Ethernet-equivalent size 64..1518 incl. FCS (default 64); imix = 7:4:1\n"
	"                      of 64/594/1518. A mesh frame carries the payload of that Ethernet frame\n"
	"  --src MAC           end-station source base (default 0a:00:00:00:a0:00)\n"
	"  --dst MAC           end-station destination base (default 0a:00:00:00:b0:00)\n"
	"  --next-hop MAC      mesh A1, the receiver (default 02:00:00:00:00:02, the meshplane node)\n"
	"  --mesh-ta MAC       mesh A2, the transmitter (default 02:00:00:00:00:01)\n"
	"  --mesh-da MAC       mesh A3 base, the mesh destination (default 02:00:00:00:00:03)\n"
	"  --mesh-sa MAC       mesh A4 (unicast) / A3 (group), the mesh source (default 02:00:00:00:00:01)\n"
	"  --group MAC         A1 of mesh-group frames (default ff:ff:ff:ff:ff:ff)\n"
	"  --ttl N             mesh TTL 1..255 (default 31)\n"
	"  --pcap FILE         replay FILE's frames round robin instead (up to 4096); frames with\n"
	"                      meshgen's payload (e.g. from --capture) are stamped and measured\n"
	"  --flows N           flows, sent round robin; sequence numbers are per flow (default 1)\n"
	"  --stations N        end-station addresses: flow f uses src/dst base + f %% N (default: --flows)\n"
	"  --mesh-dests N      mesh destinations: flow f uses mesh-da base + f %% N (default 1)\n"
	"protection (CCMP-128, the keys of meshplane's mesh.security \"static\")\n"
	"  --mtk HEX           32 hex digits: unicast mesh frames are sent under this MTK (key ID 0),\n"
	"                      and protected unicast frames received are verified and decrypted\n"
	"  --mgtk HEX          the same for group frames (the MGTK, key ID 1)\n"
	"  --pn-start N        first packet number (default 1); PNs then count up per key\n"
	"load\n"
	"  --rate max|PPS      (default max)\n"
	"  --duration SEC      (default 5) or --count N packets\n"
	"  --drain-ms MS       keep receiving this long after the last transmission (default 200)\n"
	"EAL\n"
	"  --lcores LIST       EAL --lcores (default 0,1): the main lcore prints progress, the next\n"
	"                      one transmits and receives in one loop (two cores in all)\n"
	"  --memory MB         EAL -m (default 256); runs with --no-huge unless --huge\n"
	"  --huge              use hugepages\n"
	"output\n"
	"  --json FILE         JSON summary to FILE instead of stdout\n"
	"  --capture FILE      write the first --capture-count received frames (default 16) as pcap\n"
	"  --capture-count N\n"
	"  --quiet             no progress lines (they go to stderr, one a second)\n"
	"  -h, --help\n"
	"Exit status: 0 done, 1 EAL or port failure, 2 bad arguments.\n",
	prog);
}

enum {
	OPT_TX = 256, OPT_RX, OPT_LINK_WAIT, OPT_KIND, OPT_RX_KIND, OPT_NO_RADIOTAP, OPT_WIRED, OPT_SIZE, OPT_SRC,
	OPT_DST, OPT_NEXT_HOP, OPT_MESH_TA, OPT_MESH_DA, OPT_MESH_SA, OPT_GROUP, OPT_TTL, OPT_FLOWS,
	OPT_STATIONS, OPT_MESH_DESTS, OPT_RATE, OPT_DURATION, OPT_COUNT, OPT_DRAIN, OPT_LCORES,
	OPT_MEMORY, OPT_HUGE, OPT_START_DELAY, OPT_PCAP, OPT_JSON, OPT_CAPTURE, OPT_CAPTURE_COUNT, OPT_QUIET,
	OPT_QUEUES, OPT_MTK, OPT_MGTK, OPT_PN_START,
};

static const struct option long_opts[] = {
	{"tx", required_argument, NULL, OPT_TX},
	{"rx", required_argument, NULL, OPT_RX},
	{"link-wait", required_argument, NULL, OPT_LINK_WAIT},
	{"queues", required_argument, NULL, OPT_QUEUES},
	{"start-delay", required_argument, NULL, OPT_START_DELAY},
	{"kind", required_argument, NULL, OPT_KIND},
	{"rx-kind", required_argument, NULL, OPT_RX_KIND},
	{"no-radiotap", no_argument, NULL, OPT_NO_RADIOTAP},
	{"wired", no_argument, NULL, OPT_WIRED},
	{"size", required_argument, NULL, OPT_SIZE},
	{"src", required_argument, NULL, OPT_SRC},
	{"dst", required_argument, NULL, OPT_DST},
	{"next-hop", required_argument, NULL, OPT_NEXT_HOP},
	{"mesh-ta", required_argument, NULL, OPT_MESH_TA},
	{"mesh-da", required_argument, NULL, OPT_MESH_DA},
	{"mesh-sa", required_argument, NULL, OPT_MESH_SA},
	{"group", required_argument, NULL, OPT_GROUP},
	{"ttl", required_argument, NULL, OPT_TTL},
	{"flows", required_argument, NULL, OPT_FLOWS},
	{"stations", required_argument, NULL, OPT_STATIONS},
	{"mesh-dests", required_argument, NULL, OPT_MESH_DESTS},
	{"rate", required_argument, NULL, OPT_RATE},
	{"duration", required_argument, NULL, OPT_DURATION},
	{"count", required_argument, NULL, OPT_COUNT},
	{"drain-ms", required_argument, NULL, OPT_DRAIN},
	{"lcores", required_argument, NULL, OPT_LCORES},
	{"memory", required_argument, NULL, OPT_MEMORY},
	{"huge", no_argument, NULL, OPT_HUGE},
	{"pcap", required_argument, NULL, OPT_PCAP},
	{"json", required_argument, NULL, OPT_JSON},
	{"capture", required_argument, NULL, OPT_CAPTURE},
	{"capture-count", required_argument, NULL, OPT_CAPTURE_COUNT},
	{"quiet", no_argument, NULL, OPT_QUIET},
	{"mtk", required_argument, NULL, OPT_MTK},
	{"mgtk", required_argument, NULL, OPT_MGTK},
	{"pn-start", required_argument, NULL, OPT_PN_START},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return 2;
}

/* Whole-string unsigned integer in [lo, hi]; false on anything else. */
static bool parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static bool parse_seconds(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* 32 hex digits into a 16-octet key. */
static bool parse_key(const char *s, uint8_t out[16])
{
	if (strlen(s) != 32)
		return false;
	for (unsigned i = 0; i < 16; i++) {
		unsigned v = 0;

		for (unsigned j = 0; j < 2; j++) {
			char ch = s[2 * i + j];
			int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
				: ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;

			if (d < 0)
				return false;
			v = v << 4 | (unsigned)d;
		}
		out[i] = (uint8_t)v;
	}
	return true;
}

static bool parse_kind(const char *s, enum mg_kind *k)
{
	for (unsigned i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++) {
		if (strcmp(s, kind_names[i]) == 0) {
			*k = (enum mg_kind)i;
			return true;
		}
	}
	return false;
}

static void set_defaults(struct mg_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->lcores = "0,1";
	o->memory_mb = 256;
	o->kind = MG_KIND_MESH_UNICAST;
	o->radiotap = true;
	o->size = 64;
	o->duration_s = 5;
	o->flows = 1;
	o->mesh_dests = 1;
	mac_parse("0a:00:00:00:a0:00", &o->src);
	mac_parse("0a:00:00:00:b0:00", &o->dst);
	mac_parse("02:00:00:00:00:02", &o->next_hop);
	mac_parse("02:00:00:00:00:01", &o->mesh_ta);
	mac_parse("02:00:00:00:00:03", &o->mesh_da);
	mac_parse("02:00:00:00:00:01", &o->mesh_sa);
	mac_parse("ff:ff:ff:ff:ff:ff", &o->group);
	o->ttl = MESH_DEFAULT_TTL;
	o->link_wait_s = 10;
	o->queues = 1;
	o->drain_ms = 200;
	o->capture_count = 16;
	o->pn_start = 1;
}

static struct mac_addr *mac_target(struct mg_opts *o, int c)
{
	switch (c) {
	case OPT_SRC: return &o->src;
	case OPT_DST: return &o->dst;
	case OPT_NEXT_HOP: return &o->next_hop;
	case OPT_MESH_TA: return &o->mesh_ta;
	case OPT_MESH_DA: return &o->mesh_da;
	case OPT_MESH_SA: return &o->mesh_sa;
	default: return &o->group;
	}
}

/* Handles one recognised option; returns 0 or 2 with err filled. */
static int apply(struct mg_opts *o, int c, const char *flag, const char *arg, bool *rx_kind_set,
		 bool *stations_set, char *err, size_t errlen)
{
	uint64_t v;

	switch (c) {
	case OPT_TX: o->tx_devargs = arg; break;
	case OPT_RX: o->rx_devargs = arg; break;
	case OPT_LINK_WAIT:
		if (!parse_seconds(arg, 0, 3600, &o->link_wait_s))
			return fail(err, errlen, "%s: \"%s\" is not a number of seconds in 0..3600", flag, arg);
		break;
	case OPT_QUEUES:
		if (!parse_u64(arg, 1, MG_MAX_QUEUES, &v))
			return fail(err, errlen, "%s: \"%s\" is not a queue count in 1..%d", flag, arg, MG_MAX_QUEUES);
		o->queues = (unsigned)v;
		break;
	case OPT_START_DELAY:
		if (!parse_seconds(arg, 0, 60, &o->start_delay_s))
			return fail(err, errlen, "%s: \"%s\" is not a number of seconds in 0..60", flag, arg);
		break;
	case OPT_KIND:
	case OPT_RX_KIND:
		if (!parse_kind(arg, c == OPT_KIND ? &o->kind : &o->rx_kind))
			return fail(err, errlen, "%s: \"%s\" is not one of eth, mesh-unicast, mesh-unicast-ae, mesh-group",
				    flag, arg);
		if (c == OPT_RX_KIND)
			*rx_kind_set = true;
		break;
	case OPT_NO_RADIOTAP: o->radiotap = false; break;
	case OPT_WIRED: o->wired = true; o->radiotap = false; break;
	case OPT_SIZE:
		if (strcmp(arg, "imix") == 0) {
			o->imix = true;
		} else if (parse_u64(arg, 64, 1518, &v)) {
			o->imix = false;
			o->size = (unsigned)v;
		} else {
			return fail(err, errlen, "%s: \"%s\" is not imix or a size in 64..1518", flag, arg);
		}
		break;
	case OPT_SRC: case OPT_DST: case OPT_NEXT_HOP: case OPT_MESH_TA: case OPT_MESH_DA:
	case OPT_MESH_SA: case OPT_GROUP:
		if (mac_parse(arg, mac_target(o, c)) != 0)
			return fail(err, errlen, "%s: \"%s\" is not a MAC address (aa:bb:cc:dd:ee:ff)", flag, arg);
		break;
	case OPT_TTL:
		if (!parse_u64(arg, 1, 255, &v))
			return fail(err, errlen, "%s: \"%s\" is not a TTL in 1..255", flag, arg);
		o->ttl = (uint8_t)v;
		break;
	case OPT_FLOWS: case OPT_STATIONS: case OPT_MESH_DESTS:
		if (!parse_u64(arg, 1, MG_MAX_FLOWS, &v))
			return fail(err, errlen, "%s: \"%s\" is not a count in 1..%u", flag, arg, MG_MAX_FLOWS);
		if (c == OPT_FLOWS)
			o->flows = (uint32_t)v;
		else if (c == OPT_MESH_DESTS)
			o->mesh_dests = (uint32_t)v;
		else {
			o->stations = (uint32_t)v;
			*stations_set = true;
		}
		break;
	case OPT_RATE:
		if (strcmp(arg, "max") == 0)
			o->rate_pps = 0;
		else if (!parse_u64(arg, 1, 1000000000, &o->rate_pps))
			return fail(err, errlen, "%s: \"%s\" is not max or packets per second in 1..1e9", flag, arg);
		break;
	case OPT_DURATION:
		if (!parse_seconds(arg, 0.001, 86400, &o->duration_s))
			return fail(err, errlen, "%s: \"%s\" is not a number of seconds in 0.001..86400", flag, arg);
		o->count = 0;
		break;
	case OPT_COUNT:
		if (!parse_u64(arg, 1, UINT64_MAX / 2, &o->count))
			return fail(err, errlen, "%s: \"%s\" is not a positive packet count", flag, arg);
		break;
	case OPT_DRAIN:
		if (!parse_u64(arg, 0, 60000, &v))
			return fail(err, errlen, "%s: \"%s\" is not milliseconds in 0..60000", flag, arg);
		o->drain_ms = (unsigned)v;
		break;
	case OPT_LCORES: o->lcores = arg; break;
	case OPT_MEMORY:
		if (!parse_u64(arg, 16, 65536, &v))
			return fail(err, errlen, "%s: \"%s\" is not megabytes in 16..65536", flag, arg);
		o->memory_mb = (unsigned)v;
		break;
	case OPT_HUGE: o->huge = true; break;
	case OPT_PCAP: o->pcap_path = arg; break;
	case OPT_JSON: o->json_path = arg; break;
	case OPT_CAPTURE: o->capture_path = arg; break;
	case OPT_CAPTURE_COUNT:
		if (!parse_u64(arg, 1, 4096, &v))
			return fail(err, errlen, "%s: \"%s\" is not a count in 1..4096", flag, arg);
		o->capture_count = (unsigned)v;
		break;
	case OPT_QUIET: o->quiet = true; break;
	case OPT_MTK:
	case OPT_MGTK:
		if (!parse_key(arg, c == OPT_MTK ? o->mtk : o->mgtk))
			return fail(err, errlen, "%s: \"%s\" is not 32 hex digits (a 128-bit CCMP key)", flag, arg);
		if (c == OPT_MTK)
			o->has_mtk = true;
		else
			o->has_mgtk = true;
		break;
	case OPT_PN_START:
		/* 48-bit PNs; room left for the run's frames. */
		if (!parse_u64(arg, 1, 0xffffffffffffULL >> 1, &o->pn_start))
			return fail(err, errlen, "%s: \"%s\" is not a packet number in 1..2^47-1", flag, arg);
		break;
	}
	return 0;
}

int mg_opts_parse(int argc, char **argv, struct mg_opts *o, char *err, size_t errlen)
{
	bool rx_kind_set = false, stations_set = false, pn_start_set = false;
	int c, idx;

	set_defaults(o);
	opterr = 0;
	optind = 1;
	/* '+': stop at the first non-option so EAL arguments after "--" are left alone. */
	while ((c = getopt_long(argc, argv, "+:h", long_opts, &idx)) != -1) {
		const char *flag = argv[optind - 1];
		int ret;

		if (c == 'h') {
			mg_opts_usage(argv[0]);
			return 1;
		}
		if (c == '?')
			return fail(err, errlen, "%s: unknown option (see --help)", flag);
		if (c == ':')
			return fail(err, errlen, "%s: needs a value", flag);
		/* --flag=value leaves "--flag=value" in flag: keep the name only for messages. */
		char name[40];
		snprintf(name, sizeof(name), "--%s", long_opts[idx].name);
		if (c == OPT_PN_START)
			pn_start_set = true;
		ret = apply(o, c, name, optarg, &rx_kind_set, &stations_set, err, errlen);
		if (ret != 0)
			return ret;
	}
	if (optind < argc && strcmp(argv[optind - 1], "--") != 0)
		return fail(err, errlen, "%s: unexpected argument (EAL arguments go after --)", argv[optind]);
	o->eal_argc = argc - optind;
	o->eal_argv = argv + optind;
	if (o->tx_devargs == NULL)
		return fail(err, errlen, "--tx: missing (the port to transmit on, e.g. net_memif0,role=server,...)");
	if (o->rx_devargs == NULL)
		o->rx_devargs = o->tx_devargs;
	if (!rx_kind_set)
		o->rx_kind = o->kind;
	if (!stations_set)
		o->stations = o->flows;
	if (pn_start_set && !o->has_mtk && !o->has_mgtk)
		return fail(err, errlen, "--pn-start: needs --mtk or --mgtk (packet numbers are CCMP's)");
	if (o->kind == MG_KIND_MESH_GROUP && !mac_is_group(&o->group)) {
		char text[MAC_STR_LEN];
		return fail(err, errlen, "--group: %s is not a group address", mac_format(&o->group, text));
	}
	return 0;
}
