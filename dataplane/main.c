/* meshplane: the per-node 802.11s forwarding plane. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_pdump.h>
#include <rte_ring.h>

#include "config.h"
#include "control.h"
#include "eal_args.h"
#include "key_log.h"
#include "log.h"
#include "node.h"
#include "ports.h"
#include "reload.h"
#include "stats.h"
#include "telemetry.h"
#include "worker.h"

#define EXIT_CONFIG 2

struct node the_node;

uint64_t node_ms_at(uint64_t tsc)
{
	return (tsc - the_node.start_tsc) * 1000 / rte_get_tsc_hz();
}

uint64_t node_now_ms(void)
{
	return node_ms_at(rte_get_tsc_cycles());
}

struct options {
	const char *config_path;
	const char *stats_file;
	const char *key_log;
	double duration_s; /* 0 = until SIGINT/SIGTERM */
	bool check_config;
	bool print_eal_args;
	int eal_argc;
	char **eal_argv;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: meshplane --config FILE [OPTIONS] [-- EAL ARGS]\n"
		"\n"
		"The per-node 802.11s mesh forwarding plane. Reads one node's JSON config (conf/README.md),\n"
		"starts DPDK with the ports it names and runs until SIGINT or SIGTERM.\n"
		"\n"
		"Options:\n"
		"  -c, --config FILE      node configuration (required)\n"
		"  -d, --duration SEC     stop by itself after SEC seconds (tests, demos)\n"
		"  -s, --stats-file PATH  on exit, write the per-port counters there as JSON\n"
		"      --key-log FILE     append every CCMP key to FILE (Wireshark's 80211_keys format),\n"
		"                         to read a capture of the secure mesh; debugging only\n"
		"      --check-config     validate the config, print it with defaults filled in, exit\n"
		"      --print-eal-args   print the EAL command line the config implies, exit\n"
		"  -V, --version          print the version and exit\n"
		"  -h, --help             this text\n"
		"\n"
		"Arguments after \"--\" go to DPDK's EAL after the ones the config implies.\n"
		"Telemetry: dpdk-telemetry.py -f <node.file_prefix>, commands under /meshplane/.\n"
		"Exit status: 0 clean stop, 1 runtime failure (EAL, ports), 2 bad command line or config.\n");
}

static int parse_options(int argc, char **argv, struct options *opt)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"duration", required_argument, NULL, 'd'},
		{"stats-file", required_argument, NULL, 's'},
		{"key-log", required_argument, NULL, 'K'},
		{"check-config", no_argument, NULL, 'C'},
		{"print-eal-args", no_argument, NULL, 'E'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	char *end;
	int c;

	memset(opt, 0, sizeof(*opt));
	while ((c = getopt_long(argc, argv, "c:d:s:Vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': opt->config_path = optarg; break;
		case 's': opt->stats_file = optarg; break;
		case 'K': opt->key_log = optarg; break;
		case 'C': opt->check_config = true; break;
		case 'E': opt->print_eal_args = true; break;
		case 'd':
			opt->duration_s = strtod(optarg, &end);
			if (*end != '\0' || opt->duration_s <= 0) {
				fprintf(stderr, "meshplane: --duration: \"%s\" is not a positive number of seconds\n", optarg);
				return -1;
			}
			break;
		case 'V': printf("meshplane %s\n", MESHPLANE_VERSION); exit(EXIT_SUCCESS);
		case 'h': usage(stdout); exit(EXIT_SUCCESS);
		default: usage(stderr); return -1;
		}
	}
	if (opt->config_path == NULL) {
		fprintf(stderr, "meshplane: --config FILE is required (see --help)\n");
		return -1;
	}
	opt->eal_argc = argc - optind;
	opt->eal_argv = argv + optind;
	return 0;
}


static void on_sighup(int sig)
{
	(void)sig;
	reload_request_async();
}

/* Shutdown has SHUTDOWN_WATCHDOG_S to finish from the SIGTERM (or, with --duration, from the end of
 * the control loop). A secondary process (dpdk-dumpcap) that crashed or failed to attach can leave DPDK
 * 22.11's shared memory lock taken; rte_eal_cleanup then waits for it forever, and a supervisor would
 * only see a node that does not stop. Counting from the signal keeps the bound when the control loop
 * itself is slow to see it (a starved machine; seen in the soak). */
#define SHUTDOWN_WATCHDOG_S 10

static void on_shutdown_timeout(int sig)
{
	static const char msg[] = "meshplane: error: shutdown did not finish in " RTE_STR(SHUTDOWN_WATCHDOG_S)
				  " s (DPDK cleanup blocked, "
				  "e.g. by a crashed secondary process): exiting without it\n";
	ssize_t ignored = write(STDERR_FILENO, msg, sizeof(msg) - 1);

	(void)ignored;
	(void)sig;
	_exit(EXIT_FAILURE);
}

/* After the control loop: the signal's watchdog runs on; a stop by --duration arms its own. */
static void arm_shutdown_watchdog(void)
{
	unsigned left = alarm(0);

	alarm(left > 0 ? left : SHUTDOWN_WATCHDOG_S);
}

static void on_signal(int sig)
{
	(void)sig;
	if (!__atomic_exchange_n(&the_node.stop_requested, true, __ATOMIC_RELAXED))
		alarm(SHUTDOWN_WATCHDOG_S);
}

static int check_worker_lcores(const struct node_config *cfg)
{
	for (unsigned i = 0; i < cfg->workers.n_lcores; i++) {
		unsigned lcore = cfg->workers.lcores[i];

		if (lcore == rte_get_main_lcore() || !rte_lcore_is_enabled(lcore)) {
			LOG_ERR("workers.lcores[%u]: lcore %u is not an enabled worker lcore", i, lcore);
			return -1;
		}
	}
	return 0;
}

static void write_stats(const char *path)
{
	json_t *stats = stats_to_json();

	if (stats == NULL || json_dump_file(stats, path, JSON_INDENT(2) | JSON_SORT_KEYS) != 0)
		LOG_ERR("--stats-file %s: cannot write", path);
	json_decref(stats);
}

static void log_summary(void)
{
	for (unsigned i = 0; i < the_node.cfg.n_ports; i++) {
		struct port_counters sum;
		uint64_t drops = 0;

		stats_sum_port(i, &sum);
		for (unsigned c = 0; c < FRAME_CLASS_COUNT; c++)
			if (frame_class_is_drop((enum frame_class)c))
				drops += sum.classes[c];
		for (unsigned c = 0; c < DP_COUNTER_COUNT; c++)
			if (dp_counter_is_drop((enum dp_counter)c))
				drops += sum.dp[c];
		LOG_NOTICE("port %s: rx %lu frames, %lu bytes, tx %lu frames, %lu dropped", the_node.cfg.ports[i].name,
			   (unsigned long)sum.rx_packets, (unsigned long)sum.rx_bytes,
			   (unsigned long)sum.dp[DP_tx_packets], (unsigned long)drops);
	}
}

static int create_rings(struct node *node)
{
	char name[RTE_RING_NAMESIZE];

	for (unsigned q = 0; q < node->n_workers; q++) {
		snprintf(name, sizeof(name), "punt%u", q);
		node->punt_ring[q] = rte_ring_create(name, PUNT_RING_SIZE, (int)rte_socket_id(),
						     RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "events%u", q);
		node->event_ring[q] = rte_ring_create_elem(name, sizeof(struct dp_event), EVENT_RING_SIZE,
							   (int)rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (node->punt_ring[q] == NULL || node->event_ring[q] == NULL)
			goto fail;
	}
	node->tx_ring = rte_ring_create("ctl_tx", TX_RING_SIZE, (int)rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
	node->reinject_ring = rte_ring_create("ctl_reinject", TX_RING_SIZE, (int)rte_socket_id(),
					      RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (node->tx_ring != NULL && node->reinject_ring != NULL)
		return 0;
fail:
	LOG_ERR("cannot create the worker/control rings: %s", rte_strerror(rte_errno));
	return -1;
}

/* Frees whatever mbufs are still in a ring, then the ring. */
static void free_ring(struct rte_ring *r, bool holds_mbufs)
{
	void *obj;

	if (r == NULL)
		return;
	while (holds_mbufs && rte_ring_dequeue(r, &obj) == 0)
		rte_pktmbuf_free(obj);
	rte_ring_free(r);
}

static void free_rings(struct node *node)
{
	for (unsigned q = 0; q < node->n_workers; q++) {
		free_ring(node->punt_ring[q], true);
		free_ring(node->event_ring[q], false);
	}
	free_ring(node->tx_ring, true);
	free_ring(node->reinject_ring, true);
}

static int run(const struct options *opt)
{
	struct node_config *cfg = &the_node.cfg;
	unsigned queue = 0, lcore;
	int status = EXIT_FAILURE;

	the_node.start_tsc = rte_get_tsc_cycles();
	if (ports_create_pool(&the_node) < 0 || tables_create(&the_node.tables, cfg, the_node.n_workers) < 0 ||
	    tables_load_static(&the_node.tables, cfg, 0) < 0 || create_rings(&the_node) < 0 ||
	    key_log_open(opt->key_log) < 0 || control_init() < 0 || ports_start(&the_node) < 0)
		goto out;
	if (cfg->telemetry.enabled && telemetry_register() < 0)
		LOG_WARN("telemetry: cannot register /meshplane/ commands");
	/* Lets dpdk-dumpcap (a secondary process) capture our ports. Until a capture starts it costs the
	 * fast path nothing but ethdev's empty callback check (README "Capturing frames"). */
	if (cfg->telemetry.pdump && rte_pdump_init() < 0)
		LOG_WARN("pdump: cannot initialise (%s): dpdk-dumpcap will not attach", rte_strerror(rte_errno));
	RTE_LCORE_FOREACH_WORKER(lcore) {
		rte_eal_remote_launch(worker_main, (void *)(uintptr_t)queue, lcore);
		queue++;
	}
	LOG_NOTICE("%s up: mesh id \"%s\", %u ports, %u workers, telemetry prefix %s", cfg->node.name,
		   cfg->mesh.mesh_id, cfg->n_ports, the_node.n_workers, cfg->node.file_prefix);
	control_run((uint64_t)(opt->duration_s * 1000));
	arm_shutdown_watchdog();
	rte_eal_mp_wait_lcore();
	if (cfg->telemetry.pdump)
		rte_pdump_uninit();
	log_summary();
	if (opt->stats_file != NULL)
		write_stats(opt->stats_file);
	status = EXIT_SUCCESS;
out:
	ports_stop(&the_node);
	control_fini();
	key_log_close();
	free_rings(&the_node);
	tables_free(&the_node.tables);
	rte_mempool_free(the_node.pool);
	return status;
}

int main(int argc, char **argv)
{
	struct options opt;
	struct eal_args eal;
	char err[512];
	int status;

	if (parse_options(argc, argv, &opt) < 0)
		return EXIT_CONFIG;
	if (config_load_file(opt.config_path, &the_node.cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "meshplane: %s\n", err);
		return EXIT_CONFIG;
	}
	log_set_level(the_node.cfg.log_level);
	the_node.host_port = NO_HOST_PORT;
	for (unsigned i = 0; i < the_node.cfg.n_ports; i++)
		if (the_node.cfg.ports[i].role == PORT_ROLE_HOST)
			the_node.host_port = (uint8_t)i;
	if (opt.check_config) {
		json_t *json = config_to_json(&the_node.cfg);

		json_dumpf(json, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(json);
		return EXIT_SUCCESS;
	}
	if (eal_args_build(&eal, &the_node.cfg, opt.eal_argc, opt.eal_argv) < 0) {
		fprintf(stderr, "meshplane: too many EAL arguments\n");
		return EXIT_CONFIG;
	}
	if (opt.print_eal_args) {
		for (int i = 0; i < eal.argc; i++)
			printf("%s%s", i ? " " : "", eal.argv[i]);
		putchar('\n');
		eal_args_free(&eal);
		return EXIT_SUCCESS;
	}
	signal(SIGALRM, on_shutdown_timeout);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	reload_init(opt.config_path);
	signal(SIGHUP, on_sighup);
	if (rte_eal_init(eal.argc, eal.argv) < 0) {
		LOG_ERR("EAL initialisation failed: %s", rte_strerror(rte_errno));
		eal_args_free(&eal);
		return EXIT_FAILURE;
	}
	the_node.n_workers = rte_lcore_count() - 1;
	if (check_worker_lcores(&the_node.cfg) < 0 || the_node.n_workers == 0)
		status = EXIT_CONFIG;
	else
		status = run(&opt);
	rte_eal_cleanup();
	alarm(0); /* stopped: the sanitizers' exit checks are not cut short */
	eal_args_free(&eal);
	return status;
}
