/* airsim: the lab's air medium. Runs in the `air` network namespace and relays radiotap + 802.11
 * frames between the nodes' veth ends (see README.md). Single-threaded, poll-driven: it sleeps until a
 * frame or a control command arrives, because the lab shares two cores with three DPDK nodes. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "air_port.h"
#include "control_cmd.h"
#include "control_socket.h"
#include "log.h"
#include "medium.h"
#include "pcap_writer.h"
#include "relay.h"
#include "topology.h"

#define BURST 64             /* frames read from one port before looking at the others */
#define CLIENT_TIMEOUT_MS 5000
#define ERR_LEN 512

struct airsim {
	struct medium medium;
	struct relay relay;
	int port_fds[MEDIUM_MAX_NODES];
	struct pcap_writer pcap;
	bool pcap_on;
	struct control_server control;
	bool control_on;
	bool quit;
	uint8_t rx_buf[RELAY_MAX_FRAME + AIR_PORT_VLAN_SLACK];
};

struct options {
	const char *topology;
	const char *control;
	const char *pcap;
	const char *command; /* client mode when set */
	uint64_t seed;
	bool seed_set;
	bool check_only;
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: airsim --topology FILE [--control PATH] [--pcap FILE] [--seed N] [--log-level LEVEL]\n"
		"       airsim --topology FILE --check\n"
		"       airsim --control PATH COMMAND [ARG...]   (or --command \"COMMAND ARG...\")\n"
		"\n"
		"Relays radiotap + 802.11 frames between the nodes' interfaces like a shared medium.\n"
		"  -t, --topology FILE   nodes and links (JSON; see tools/airsim/README.md)\n"
		"  -c, --control PATH    control socket (AF_UNIX seqpacket) to serve, or to talk to\n"
		"  -w, --pcap FILE       write every frame put on the air (link type 127), flushed per frame\n"
		"  -s, --seed N          seed of the loss draws (default: from the clock, logged)\n"
		"  -l, --log-level LEVEL error|warning|notice|info|debug (default notice)\n"
		"      --check           validate the topology and exit\n"
		"  -C, --command TEXT    client mode: send TEXT to --control, print the reply\n"
		"  -h, --help            this text\n"
		"Commands: cut A B | restore A B | loss A B P | rate A B MBPS | node-down A | node-up A |\n"
		"          stats | help | quit\n");
}

/* Parses the command line; returns -1 to exit with 0 (help), -2 to exit with 2 (bad usage), 0 to run. */
static int parse_options(int argc, char **argv, struct options *o, char *words, size_t words_len)
{
	static const struct option longopts[] = {
		{"topology", required_argument, NULL, 't'}, {"control", required_argument, NULL, 'c'},
		{"pcap", required_argument, NULL, 'w'},     {"seed", required_argument, NULL, 's'},
		{"log-level", required_argument, NULL, 'l'}, {"check", no_argument, NULL, 'k'},
		{"command", required_argument, NULL, 'C'},  {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt, level;
	char *end;

	memset(o, 0, sizeof(*o));
	/* "+": stop at the first word, so "loss gw1 gw2 0.3" is never read as options. */
	while ((opt = getopt_long(argc, argv, "+t:c:w:s:l:C:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 't':
			o->topology = optarg;
			break;
		case 'c':
			o->control = optarg;
			break;
		case 'w':
			o->pcap = optarg;
			break;
		case 's':
			errno = 0;
			o->seed = strtoull(optarg, &end, 0);
			if (errno != 0 || end == optarg || *end != '\0' || optarg[0] == '-') {
				fprintf(stderr, "airsim: --seed: '%s' is not an unsigned 64-bit number\n", optarg);
				return -2;
			}
			o->seed_set = true;
			break;
		case 'l':
			level = log_level_parse(optarg);
			if (level < 0) {
				fprintf(stderr, "airsim: --log-level: unknown level '%s'\n", optarg);
				return -2;
			}
			log_set_level((enum log_level)level);
			break;
		case 'k':
			o->check_only = true;
			break;
		case 'C':
			o->command = optarg;
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return -2;
		}
	}
	if (optind < argc) {
		size_t used = 0;

		if (o->command != NULL) {
			fprintf(stderr, "airsim: give the command either with --command or as words, not both\n");
			return -2;
		}
		words[0] = '\0';
		for (int i = optind; i < argc; i++) {
			int n = snprintf(words + used, words_len - used, "%s%s", used ? " " : "", argv[i]);

			if (n < 0 || (size_t)n >= words_len - used) {
				fprintf(stderr, "airsim: command longer than %zu bytes\n", words_len - 1);
				return -2;
			}
			used += (size_t)n;
		}
		o->command = words;
	}
	if (o->command != NULL && o->control == NULL) {
		fprintf(stderr, "airsim: a command needs --control PATH\n");
		return -2;
	}
	if (o->command == NULL && o->topology == NULL) {
		fprintf(stderr, "airsim: --topology FILE is required (try --help)\n");
		return -2;
	}
	return 0;
}

static int run_client(const struct options *o)
{
	char err[ERR_LEN];
	char *reply;
	int status;

	if (o->command[strspn(o->command, " \t\r\n")] == '\0') {
		fprintf(stderr, "airsim: empty command\n");
		return 2;
	}
	reply = control_request(o->control, o->command, CLIENT_TIMEOUT_MS, err, sizeof(err));
	if (reply == NULL) {
		fprintf(stderr, "airsim: %s\n", err);
		return 2;
	}
	printf("%s\n", reply);
	status = strncmp(reply, "error", 5) == 0 ? 1 : 0;
	free(reply);
	return status;
}

static int transmit(void *ctx, unsigned to, const uint8_t *frame, size_t len)
{
	struct airsim *a = ctx;

	if (a->port_fds[to] < 0)
		return -1;
	if (air_port_send(a->port_fds[to], frame, len) < 0) {
		LOG_DEBUG("airsim: send to %s: %s", a->medium.nodes[to].iface, strerror(errno));
		return -1;
	}
	return 0;
}

static void capture(void *ctx, unsigned from, const uint8_t *frame, size_t len)
{
	struct airsim *a = ctx;
	struct timespec now;
	uint64_t ts_usec;

	(void)from;
	if (!a->pcap_on)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	/* Flush every record: tshark may be reading the file while the lab runs. */
	ts_usec = (uint64_t)now.tv_sec * 1000000u + (uint64_t)now.tv_nsec / 1000;
	if (pcap_writer_write(&a->pcap, frame, len, ts_usec) < 0 || fflush(a->pcap.file) != 0) {
		LOG_ERR("airsim: pcap write failed (%s); capture stopped", strerror(errno));
		pcap_writer_close(&a->pcap);
		a->pcap_on = false;
	}
}

static char *handle_command(void *ctx, const char *command)
{
	struct airsim *a = ctx;
	char *reply = control_cmd_execute(&a->medium, command, &a->quit);

	LOG_INFO("airsim: control: %s -> %.60s", command, reply != NULL ? reply : "(no memory)");
	return reply;
}

/* Reads up to BURST frames from node i's port and relays them. */
static void drain_port(struct airsim *a, unsigned i)
{
	for (int k = 0; k < BURST; k++) {
		ssize_t n = air_port_recv(a->port_fds[i], a->rx_buf, RELAY_MAX_FRAME);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			/* ENETDOWN after "ip link set down" clears itself; a vanished interface does not. */
			LOG_WARN("airsim: %s: %s", a->medium.nodes[i].iface, strerror(errno));
			if (errno == ENODEV || errno == ENXIO) {
				close(a->port_fds[i]);
				a->port_fds[i] = -1;
			}
			return;
		}
		if (n > 0 && relay_frame(&a->relay, i, a->rx_buf, (size_t)n) < 0)
			LOG_DEBUG("airsim: invalid frame (%zd bytes) from %s dropped", n, a->medium.nodes[i].name);
	}
}

static int open_ports(struct airsim *a)
{
	for (unsigned i = 0; i < a->medium.n_nodes; i++) {
		a->port_fds[i] = air_port_open(a->medium.nodes[i].iface);
		if (a->port_fds[i] < 0) {
			LOG_ERR("airsim: node %s: interface %s: %s", a->medium.nodes[i].name, a->medium.nodes[i].iface,
				strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int run_loop(struct airsim *a)
{
	struct pollfd pfds[MEDIUM_MAX_NODES + 1 + CONTROL_MAX_CLIENTS];
	unsigned n_ports = a->medium.n_nodes;
	sigset_t run_mask;

	/* SIGINT/SIGTERM stay blocked except inside ppoll, so a signal can never slip in between the
	 * stop check and the sleep. */
	sigprocmask(SIG_BLOCK, NULL, &run_mask);
	sigdelset(&run_mask, SIGINT);
	sigdelset(&run_mask, SIGTERM);
	while (!stop_signal && !a->quit) {
		unsigned n = 0;

		for (unsigned i = 0; i < n_ports; i++)
			pfds[n++] = (struct pollfd){.fd = a->port_fds[i], .events = POLLIN};
		if (a->control_on)
			n += control_server_pollfds(&a->control, pfds + n, CONTROL_MAX_CLIENTS + 1);
		if (ppoll(pfds, n, NULL, &run_mask) < 0) {
			if (errno == EINTR)
				continue;
			LOG_ERR("airsim: poll: %s", strerror(errno));
			return -1;
		}
		for (unsigned i = 0; i < n_ports; i++)
			if (pfds[i].fd >= 0 && pfds[i].revents != 0)
				drain_port(a, i);
		if (a->control_on)
			control_server_process(&a->control, pfds + n_ports, n - n_ports, handle_command, a);
	}
	if (stop_signal)
		LOG_NOTICE("airsim: %s, stopping", strsignal(stop_signal));
	return 0;
}

static int run_server(struct airsim *a, const struct options *o)
{
	struct relay_ops ops = {.transmit = transmit, .capture = capture, .ctx = a};
	struct sigaction sa = {.sa_handler = on_signal};
	char err[ERR_LEN];
	uint64_t seed = o->seed;
	sigset_t block;
	int ret = 1;

	if (!o->seed_set) {
		struct timespec now;

		clock_gettime(CLOCK_REALTIME, &now);
		seed = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
	}
	if (topology_load_file(o->topology, seed, &a->medium, err, sizeof(err)) < 0) {
		fprintf(stderr, "airsim: %s\n", err);
		return 1;
	}
	if (o->check_only) {
		printf("%s: ok (%u nodes)\n", o->topology, a->medium.n_nodes);
		return 0;
	}
	for (unsigned i = 0; i < MEDIUM_MAX_NODES; i++)
		a->port_fds[i] = -1;
	relay_init(&a->relay, &a->medium, &ops);

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (open_ports(a) < 0)
		goto out;
	if (o->pcap != NULL) {
		if (pcap_writer_open(&a->pcap, o->pcap, PCAP_LINKTYPE_IEEE802_11_RADIOTAP) < 0 ||
		    fflush(a->pcap.file) != 0) {
			LOG_ERR("airsim: --pcap %s: %s", o->pcap, strerror(errno));
			goto out;
		}
		a->pcap_on = true;
	}
	if (o->control != NULL) {
		if (control_server_open(&a->control, o->control) < 0)
			goto out;
		a->control_on = true;
	}
	LOG_NOTICE("airsim: %u nodes, seed %" PRIu64 ", control %s, pcap %s", a->medium.n_nodes, seed,
		   o->control ? o->control : "(none)", o->pcap ? o->pcap : "(none)");
	ret = run_loop(a) < 0 ? 1 : 0;
out:
	if (a->control_on)
		control_server_close(&a->control);
	if (a->pcap_on)
		pcap_writer_close(&a->pcap);
	for (unsigned i = 0; i < a->medium.n_nodes; i++)
		if (a->port_fds[i] >= 0)
			close(a->port_fds[i]);
	return ret;
}

int main(int argc, char **argv)
{
	/* Static: the medium and the two frame buffers are too big for a comfortable stack frame. */
	static struct airsim airsim;
	char words[CONTROL_CMD_MAX + 1];
	struct options o;
	int ret = parse_options(argc, argv, &o, words, sizeof(words));

	if (ret == -1)
		return 0;
	if (ret == -2)
		return 2;
	if (o.command != NULL)
		return run_client(&o);
	return run_server(&airsim, &o);
}
