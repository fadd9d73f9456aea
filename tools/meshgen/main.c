/* meshgen: a DPDK traffic generator that speaks 802.11s, for benchmarking meshplane.
 * main lcore: setup, one progress line a second, the summary; one worker lcore: tx + rx. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "frames.h"
#include "options.h"
#include "pcap_replay.h"
#include "port.h"
#include "report.h"
#include "worker.h"

#define POOL_MBUFS 8191
#define POOL_CACHE 256
#define MAX_EAL_ARGS 64

static volatile bool stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = true;
}

/* EAL argv: our defaults first, then the user's arguments after "--" (EAL takes the last). */
static int eal_init(const struct mg_opts *o, const char *prog)
{
	static char prefix[64], mem[16], lcores[256];
	char *args[MAX_EAL_ARGS];
	int n = 0;

	snprintf(prefix, sizeof(prefix), "--file-prefix=meshgen-%d", (int)getpid());
	snprintf(mem, sizeof(mem), "%u", o->memory_mb);
	snprintf(lcores, sizeof(lcores), "--lcores=%s", o->lcores);
	args[n++] = (char *)prog;
	if (!o->huge)
		args[n++] = "--no-huge";
	args[n++] = "-m";
	args[n++] = mem;
	args[n++] = prefix;
	args[n++] = lcores;
	args[n++] = "--no-pci";
	args[n++] = "--log-level=4";
	for (int i = 0; i < o->eal_argc && n < MAX_EAL_ARGS - 1; i++)
		args[n++] = o->eal_argv[i];
	args[n] = NULL;
	return rte_eal_init(n, args);
}

/* Templates and their sending order: one size, imix 7:4:1 interleaved (so bursts stay mixed), or
 * the frames of a --pcap file. Both arrays are malloc'ed here and live until exit. */
static int build_templates(const struct mg_opts *o, struct mg_run *r, char *err, size_t errlen)
{
	static const unsigned imix_sizes[MG_IMIX_SIZES] = {64, 594, 1518};
	static const unsigned imix_order[MG_IMIX_PATTERN] = {0, 1, 0, 0, 1, 0, 2, 0, 1, 0, 0, 1};
	size_t cap = o->pcap_path ? MG_REPLAY_MAX : MG_IMIX_PATTERN;
	struct mg_template *tmpl = malloc(cap * sizeof(*tmpl));
	int n;

	r->templates = tmpl;
	r->pattern = malloc(cap * sizeof(*r->pattern));
	if (tmpl == NULL || r->pattern == NULL) {
		snprintf(err, errlen, "out of memory for frame templates");
		return -1;
	}
	if (o->pcap_path != NULL) {
		n = mg_replay_load(o->pcap_path, tmpl, cap, err, errlen);
		if (n < 0)
			return -1;
		r->n_pattern = (unsigned)n;
		for (unsigned i = 0; i < r->n_pattern; i++)
			r->pattern[i] = &tmpl[i];
		return 0;
	}
	for (unsigned i = 0; i < (o->imix ? MG_IMIX_SIZES : 1u); i++) {
		if (mg_template_build(o, o->kind, o->imix ? imix_sizes[i] : o->size, &tmpl[i]) != 0) {
			snprintf(err, errlen, "--size/--kind: cannot build the frame template");
			return -1;
		}
	}
	r->n_pattern = o->imix ? MG_IMIX_PATTERN : 1;
	for (unsigned i = 0; i < r->n_pattern; i++)
		r->pattern[i] = &tmpl[o->imix ? imix_order[i] : 0];
	return 0;
}

static void snapshot(const struct mg_run *r, struct mg_counters *c)
{
	c->tx_packets = __atomic_load_n(&r->live.tx_packets, __ATOMIC_RELAXED);
	c->rx_packets = __atomic_load_n(&r->live.rx_packets, __ATOMIC_RELAXED);
	c->reordered = __atomic_load_n(&r->live.reordered, __ATOMIC_RELAXED);
}

/* Prints progress once a second until the worker is done. */
static void follow(const struct mg_opts *o, const struct mg_run *r)
{
	struct mg_counters prev = {0}, cur;
	uint64_t hz = rte_get_timer_hz(), t0 = rte_get_timer_cycles(), last = t0;

	while (!__atomic_load_n(&r->done, __ATOMIC_ACQUIRE)) {
		uint64_t now;

		usleep(50000);
		now = rte_get_timer_cycles();
		if (now - last < hz)
			continue;
		snapshot(r, &cur);
		if (!o->quiet)
			mg_report_progress((double)(now - t0) / (double)hz, (double)(now - last) / (double)hz,
					   &prev, &cur);
		prev = cur;
		last = now;
	}
}

static int setup_run(const struct mg_opts *o, struct mg_run *r, struct mg_template *rx_tmpl)
{
	uint64_t hz = rte_get_tsc_hz();

	r->flows = o->flows;
	r->stations = o->stations;
	r->mesh_dests = o->mesh_dests;
	r->sta_src_base = mg_mac_to_u64(&o->src);
	r->sta_dst_base = mg_mac_to_u64(&o->dst);
	r->mesh_da_base = mg_mac_to_u64(&o->mesh_da);
	r->rate_pps = o->rate_pps;
	/* 10 ms of credit survives a stall (the OS preempting us on a shared core), more is dropped. */
	r->max_debt = o->rate_pps / 100 > MG_BURST ? o->rate_pps / 100 : MG_BURST;
	r->count = o->count;
	r->duration_tsc = (uint64_t)(o->duration_s * (double)hz);
	r->drain_tsc = (uint64_t)o->drain_ms * hz / 1000;
	r->restamp_tsc = hz / 500000; /* 2 us: the latency figures' resolution under back-pressure */
	r->stop = &stop_requested;
	if (mg_template_build(o, o->rx_kind, 64, rx_tmpl) != 0)
		return -1;
	r->rx_payload_off = rx_tmpl->payload_off;
	r->tx_seq = calloc(o->flows, sizeof(uint64_t));
	r->rx_seq = calloc(o->flows, sizeof(uint64_t));
	if (r->tx_seq == NULL || r->rx_seq == NULL)
		return -1;
	if (o->capture_path != NULL) {
		r->capture_max = o->capture_count;
		r->capture = malloc((size_t)o->capture_count * MG_CAPTURE_SNAP);
		r->capture_len = calloc(o->capture_count, sizeof(uint16_t));
		if (r->capture == NULL || r->capture_len == NULL)
			return -1;
	}
	return 0;
}

/* --mtk/--mgtk: the AES-CCM manager (used by the worker lcore only) and the expanded keys. */
static int setup_ccmp(const struct mg_opts *o, struct mg_run *r)
{
	const char *arch = "?";

	r->radiotap = o->radiotap;
	r->wired = o->wired;
	r->pn_start = o->pn_start;
	if (!o->has_mtk && !o->has_mgtk)
		return 0;
	r->ccmp = ccmp_engine_create(&arch);
	if (r->ccmp == NULL) {
		fprintf(stderr, "meshgen: --mtk/--mgtk: intel-ipsec-mb cannot run on this CPU (AES-NI needed)\n");
		return -1;
	}
	r->has_mtk = o->has_mtk;
	r->has_mgtk = o->has_mgtk;
	if (o->has_mtk)
		ccmp_key_set(r->ccmp, &r->mtk, o->mtk);
	if (o->has_mgtk)
		ccmp_key_set(r->ccmp, &r->mgtk, o->mgtk);
	if (!o->quiet)
		fprintf(stderr, "meshgen: CCMP-128 through intel-ipsec-mb (%s code path)\n", arch);
	return 0;
}

int main(int argc, char **argv)
{
	static struct mg_template rx_tmpl;
	static struct mg_run run;
	struct mg_opts o;
	struct rte_mempool *pool;
	char err[512];
	unsigned worker;
	int ret, status = 1;

	ret = mg_opts_parse(argc, argv, &o, err, sizeof(err));
	if (ret == 1)
		return 0;
	if (ret != 0) {
		fprintf(stderr, "meshgen: %s\n", err);
		return 2;
	}
	if (build_templates(&o, &run, err, sizeof(err)) != 0) {
		fprintf(stderr, "meshgen: %s\n", err);
		return 2;
	}
	if (eal_init(&o, argv[0]) < 0) {
		fprintf(stderr, "meshgen: EAL initialisation failed (see above; check --lcores and the EAL arguments)\n");
		return 1;
	}
	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker >= RTE_MAX_LCORE) {
		fprintf(stderr, "meshgen: --lcores: \"%s\" needs two lcores (main and generator)\n", o.lcores);
		goto out_eal;
	}
	pool = rte_pktmbuf_pool_create("meshgen", POOL_MBUFS, POOL_CACHE, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       rte_socket_id());
	if (pool == NULL) {
		fprintf(stderr, "meshgen: cannot create the mbuf pool (%s); raise --memory\n",
			rte_strerror(rte_errno));
		goto out_eal;
	}
	run.pool = pool;
	if (mg_port_open("--tx", o.tx_devargs, o.queues, pool, &run.tx_port, err, sizeof(err)) != 0) {
		fprintf(stderr, "meshgen: %s\n", err);
		goto out_eal;
	}
	run.rx_port = run.tx_port;
	run.queues = (uint16_t)o.queues;
	if (strcmp(o.rx_devargs, o.tx_devargs) != 0 &&
	    mg_port_open("--rx", o.rx_devargs, o.queues, pool, &run.rx_port, err, sizeof(err)) != 0) {
		fprintf(stderr, "meshgen: %s\n", err);
		goto out_ports;
	}
	/* Both ports exist before waiting: a peer attaching to both needs both sockets. */
	if (mg_port_wait_link("--tx", run.tx_port, o.link_wait_s, err, sizeof(err)) != 0 ||
	    (run.rx_port != run.tx_port &&
	     mg_port_wait_link("--rx", run.rx_port, o.link_wait_s, err, sizeof(err)) != 0)) {
		fprintf(stderr, "meshgen: %s\n", err);
		goto out_ports;
	}
	if (setup_ccmp(&o, &run) != 0)
		goto out_ports;
	if (setup_run(&o, &run, &rx_tmpl) != 0) {
		fprintf(stderr, "meshgen: out of memory for %u flows\n", o.flows);
		goto out_ports;
	}
	/* Only now: during the link wait, Ctrl-C should simply end the process. */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (o.start_delay_s > 0)
		usleep((useconds_t)(o.start_delay_s * 1e6));
	rte_eal_remote_launch(mg_worker_main, &run, worker);
	follow(&o, &run);
	rte_eal_wait_lcore(worker);
	status = mg_report_summary(&o, &run, rte_get_tsc_hz()) == 0 ? 0 : 1;
	if (o.capture_path != NULL && mg_report_capture(&o, &run) != 0)
		status = 1;
out_ports:
	if (run.rx_port != run.tx_port)
		mg_port_close(run.rx_port);
	mg_port_close(run.tx_port);
out_eal:
	free(run.templates);
	free(run.pattern);
	free(run.tx_seq);
	free(run.rx_seq);
	free(run.capture);
	free(run.capture_len);
	ccmp_engine_destroy(run.ccmp);
	ccmp_key_wipe(&run.mtk);
	ccmp_key_wipe(&run.mgtk);
	rte_eal_cleanup();
	return status;
}
