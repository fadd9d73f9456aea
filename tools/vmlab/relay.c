/* vmlab-relay: joins one mac80211_hwsim "air" inside the lab VM to a virtio NIC, so that the air
 * becomes one node of the host's airsim medium.
 *
 *   vmlab-relay --monitor IFACE --nic IFACE [--netns PATH] [--ack-iface IFACE]
 *               [--local MAC]... [--counters FILE] [--trace] [--no-ack]
 *
 * - Every frame the monitor interface hears (radiotap + 802.11, as mac80211 delivers it) is written
 *   to the NIC as the whole Ethernet frame: radiotap bytes first, no encapsulation. A radiotap header
 *   starts 00 00, so the "destination MAC" is never a group address nor any NIC's own.
 * - Every frame arriving on the NIC is injected through the monitor interface, unless it is not
 *   radiotap + 802.11 or it is an ACK or CTS (no transmitter address: hwsim acknowledges by itself,
 *   and an injected ACK would be a second, bogus one).
 * - Loops: mac80211 reports every frame the monitor's radio transmitted back to the monitor
 *   interface as a TX status copy, whose radiotap header carries the TX flags field (bit 15), which
 *   received frames never have: those are our own injections and are not sent back (loop_tx_status).
 *   Frames our own socket sent are never delivered to it and PACKET_OUTGOING copies are ignored
 *   (loop_outgoing). As a second guard a received frame whose transmitter is a host address is
 *   dropped (loop_host_ta): a radio in the VM using a host node's MAC would otherwise echo it.
 * - Addresses: transmitters heard on the air (and --local ones, the node's own) are the VM's; a
 *   host frame claiming one of them is injected but not taken for a host address
 *   (host_ta_conflicts), so a replayed or spoofed frame cannot make the relay drop the node's own
 *   frames or give its address an ack interface.
 * - ACKs: hwsim acknowledges a unicast frame only if a radio of the same air has an interface with
 *   the receiver's address. For every new unicast transmitter address from the host, before its
 *   first frame is injected, an AP-type interface with that address is created and set up (never
 *   started: it neither beacons nor answers) on the phy of --ack-iface (default: the monitor's).
 *   Not on the monitor's own phy if it can be helped: mac80211 sends a frame injected there whose
 *   transmitter is one of that phy's interfaces through that interface, which rewrites its sequence
 *   number (management and group frames). --no-ack creates none (to measure what they are for).
 * - VLAN: the kernel strips bytes 12-15 of a NIC frame that happen to read 0x8100/0x88a8 as a VLAN
 *   tag; PACKET_AUXDATA gives them back and they are restored.
 * - With --netns, the NIC socket is opened first (in the caller's namespace, where the NIC is), then
 *   the relay enters the namespace where the radios live for the monitor socket and nl80211.
 * - Counters: written to --counters (key value lines) every second when they changed, on SIGUSR1
 *   (also printed to stderr) and at exit (SIGTERM, SIGINT). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <linux/nl80211.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "nl.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

#define FRAME_MAX 65536
#define RADIOTAP_TX_FLAGS_BIT (1u << 15)
#define VLAN_TAG_OFFSET 12
#define MAC_SET_SLOTS 4096 /* open addressing, at most half full; far more than any lab's nodes */

#define COUNTERS(X)                                                                                      \
	X(mon_rx)           /* frames read from the monitor */                                           \
	X(mon_rx_bytes)                                                                                      \
	X(to_nic)           /* frames written to the NIC */                                              \
	X(to_nic_errors)                                                                                     \
	X(nic_rx)           /* frames read from the NIC */                                               \
	X(nic_rx_bytes)                                                                                      \
	X(injected)         /* frames injected through the monitor */                                    \
	X(inject_errors)                                                                                     \
	X(drop_mon_invalid) /* monitor frame without radiotap + 10 bytes of 802.11 */                   \
	X(drop_nic_invalid) /* NIC frame that is not radiotap + 802.11 */                               \
	X(drop_no_ta)       /* ACK / CTS from the host: never injected */                                \
	X(drop_truncated)   /* longer than the buffer */                                                 \
	X(loop_tx_status)   /* TX status copies of our injections: not sent back */                      \
	X(loop_outgoing)    /* PACKET_OUTGOING copies */                                                 \
	X(loop_host_ta)     /* received frames with a host transmitter address */                       \
	X(vlan_restored)                                                                                     \
	X(host_addresses)   /* distinct unicast transmitters seen from the host */                       \
	X(air_addresses)    /* distinct unicast transmitters heard on the air (and --local) */          \
	X(host_ta_conflicts) /* host frames with a transmitter address of the air */                   \
	X(host_table_full)  /* host addresses not learned: table full */                               \
	X(ack_ifaces)       /* AP interfaces created for them */                                         \
	X(ack_iface_errors)                                                                                  \
	X(dumps)            /* SIGUSR1 requests served (so a reader can wait for a fresh file) */

struct counters {
#define FIELD(name) uint64_t name;
	COUNTERS(FIELD)
#undef FIELD
};

static struct counters cnt;
static volatile sig_atomic_t want_dump, want_stop;
static const char *counters_path;
static int trace;

struct mac_set {
	uint64_t slot[MAC_SET_SLOTS]; /* mac_key() values, 0 = empty */
	size_t used;
};
static struct mac_set host_set, air_set;

static int nl_fd = -1, nl80211_id = -1, no_ack;
static uint32_t ack_wiphy;

static void logmsg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("vmlab-relay: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		want_dump = 1;
	else
		want_stop = 1;
}

static void write_counters(FILE *f)
{
#define PRINT(name) fprintf(f, "%s %llu\n", #name, (unsigned long long)cnt.name);
	COUNTERS(PRINT)
#undef PRINT
}

static void save_counters(void)
{
	char tmp[4096];
	FILE *f;

	if (counters_path == NULL)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", counters_path);
	f = fopen(tmp, "w");
	if (f == NULL)
		return;
	write_counters(f);
	if (fclose(f) == 0)
		rename(tmp, counters_path);
}

static uint64_t mac_key(const uint8_t *mac)
{
	uint64_t k = 0;

	for (int i = 0; i < 6; i++)
		k = (k << 8) | mac[i];
	return k | (1ull << 63); /* 0 marks an empty slot */
}

static size_t set_slot(const struct mac_set *set, uint64_t key)
{
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 52) % MAC_SET_SLOTS;

	while (set->slot[i] != 0 && set->slot[i] != key)
		i = (i + 1) % MAC_SET_SLOTS;
	return i;
}

static int set_has(const struct mac_set *set, const uint8_t *mac)
{
	return set->slot[set_slot(set, mac_key(mac))] != 0;
}

/* 1: added, 0: there already, -1: full */
static int set_add(struct mac_set *set, const uint8_t *mac)
{
	uint64_t key = mac_key(mac);
	size_t i = set_slot(set, key);

	if (set->slot[i] != 0)
		return 0;
	if (set->used >= MAC_SET_SLOTS / 2)
		return -1;
	set->slot[i] = key;
	set->used++;
	return 1;
}

static int ifup(const char *name)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = -1;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return rc;
}

/* An AP-type interface with address MAC on the ack phy, set up, never started. */
static int make_ack_iface(const uint8_t *mac)
{
	struct nl_msg m;
	char name[IFNAMSIZ];
	int rc;

	snprintf(name, sizeof(name), "ap%02x%02x%02x%02x%02x%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
	nl_start(&m, (uint16_t)nl80211_id, NL80211_CMD_NEW_INTERFACE, 0, 0);
	nl_put_u32(&m, NL80211_ATTR_WIPHY, ack_wiphy);
	nl_put_str(&m, NL80211_ATTR_IFNAME, name);
	nl_put_u32(&m, NL80211_ATTR_IFTYPE, NL80211_IFTYPE_AP);
	nl_put(&m, NL80211_ATTR_MAC, mac, 6);
	rc = nl_transact(nl_fd, &m, NULL, NULL);
	if (rc < 0 && rc != -EEXIST && rc != -ENFILE) { /* ENFILE: the name exists (a restarted relay) */
		logmsg("cannot create %s: %s", name, strerror(-rc));
		return -1;
	}
	if (ifup(name) < 0) {
		logmsg("cannot set %s up: %s", name, strerror(errno));
		return -1;
	}
	if (trace)
		logmsg("ack interface %s", name);
	return 0;
}

static void learn_host_ta(const uint8_t *mac)
{
	int added;

	if (set_has(&air_set, mac)) {
		cnt.host_ta_conflicts++;
		return;
	}
	added = set_add(&host_set, mac);
	if (added < 0)
		cnt.host_table_full++;
	if (added <= 0)
		return;
	cnt.host_addresses++;
	if (no_ack)
		return;
	if (make_ack_iface(mac) == 0)
		cnt.ack_ifaces++;
	else
		cnt.ack_iface_errors++;
}

static void learn_air_ta(const uint8_t *mac)
{
	if (set_add(&air_set, mac) > 0)
		cnt.air_addresses++;
}

struct wiphy_arg {
	int found;
	uint32_t wiphy;
};

static void wiphy_cb(uint16_t type, const uint8_t *data, size_t len, void *arg)
{
	struct wiphy_arg *w = arg;

	if (type == NL80211_ATTR_WIPHY && len >= 4) {
		memcpy(&w->wiphy, data, 4);
		w->found = 1;
	}
}

static int wiphy_of(const char *iface, uint32_t *wiphy)
{
	struct nl_msg m;
	struct wiphy_arg w = {0, 0};
	unsigned idx = if_nametoindex(iface);
	int rc;

	if (idx == 0)
		return -ENODEV;
	nl_start(&m, (uint16_t)nl80211_id, NL80211_CMD_GET_INTERFACE, 0, 0);
	nl_put_u32(&m, NL80211_ATTR_IFINDEX, idx);
	rc = nl_transact(nl_fd, &m, wiphy_cb, &w);
	if (rc < 0)
		return rc;
	if (!w.found)
		return -ENOENT;
	*wiphy = w.wiphy;
	return 0;
}

static int open_packet(const char *iface, int auxdata)
{
	struct sockaddr_ll sll;
	unsigned idx = if_nametoindex(iface);
	int one = 1, fd;

	if (idx == 0) {
		logmsg("no interface %s", iface);
		return -1;
	}
	/* Protocol 0: receives nothing until bound to the one interface. */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		logmsg("socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	if (auxdata && setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0) {
		logmsg("PACKET_AUXDATA: %s", strerror(errno));
		close(fd);
		return -1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)idx;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		logmsg("bind %s: %s", iface, strerror(errno));
		close(fd);
		return -1;
	}
	if (auxdata) { /* the NIC: take every frame whatever its "destination MAC" */
		struct packet_mreq mr;

		memset(&mr, 0, sizeof(mr));
		mr.mr_ifindex = (int)idx;
		mr.mr_type = PACKET_MR_PROMISC;
		if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
			logmsg("promiscuous %s: %s", iface, strerror(errno));
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* Reads one frame; returns its length, 0 when it is to be ignored, -1 when nothing is left. */
static ssize_t recv_frame(int fd, uint8_t *buf, size_t cap, int restore_vlan)
{
	union {
		struct cmsghdr align;
		uint8_t bytes[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} control;
	struct sockaddr_ll from;
	struct iovec iov = {buf, cap - 4};
	struct msghdr msg = {
		.msg_name = &from,
		.msg_namelen = sizeof(from),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.bytes,
		.msg_controllen = sizeof(control.bytes),
	};
	ssize_t n = recvmsg(fd, &msg, MSG_TRUNC);

	if (n < 0)
		return -1;
	if (from.sll_pkttype == PACKET_OUTGOING) {
		cnt.loop_outgoing++;
		return 0;
	}
	if ((size_t)n > cap - 4 || (msg.msg_flags & MSG_TRUNC)) {
		cnt.drop_truncated++;
		return 0;
	}
	if (!restore_vlan)
		return n;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		struct tpacket_auxdata aux;
		uint16_t tpid, tci;

		if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA)
			continue;
		memcpy(&aux, CMSG_DATA(c), sizeof(aux));
		if (!(aux.tp_status & TP_STATUS_VLAN_VALID) || (size_t)n < VLAN_TAG_OFFSET)
			continue;
		memmove(buf + VLAN_TAG_OFFSET + 4, buf + VLAN_TAG_OFFSET, (size_t)n - VLAN_TAG_OFFSET);
		tpid = htons((aux.tp_status & TP_STATUS_VLAN_TPID_VALID) ? aux.tp_vlan_tpid : ETH_P_8021Q);
		tci = htons(aux.tp_vlan_tci);
		memcpy(buf + VLAN_TAG_OFFSET, &tpid, 2);
		memcpy(buf + VLAN_TAG_OFFSET + 2, &tci, 2);
		n += 4;
		cnt.vlan_restored++;
	}
	return n;
}

/* Length of a valid radiotap header followed by at least 10 bytes of 802.11, else 0. */
static size_t radiotap_len(const uint8_t *f, size_t n, uint32_t *present)
{
	size_t len;

	if (n < 8 || f[0] != 0)
		return 0;
	len = (size_t)f[2] | ((size_t)f[3] << 8);
	if (len < 8 || len + 10 > n)
		return 0;
	*present = (uint32_t)f[4] | ((uint32_t)f[5] << 8) | ((uint32_t)f[6] << 16) | ((uint32_t)f[7] << 24);
	return len;
}

/* The transmitter address of an 802.11 frame, or NULL (ACK, CTS, too short). */
static const uint8_t *transmitter(const uint8_t *h, size_t n)
{
	unsigned type = (h[0] >> 2) & 3, subtype = h[0] >> 4;

	if (type == 1 && (subtype == 12 || subtype == 13)) /* CTS, ACK */
		return NULL;
	if (n < 16)
		return NULL;
	return h + 10;
}

static void trace_frame(const char *dir, const uint8_t *h, size_t n)
{
	unsigned seq = n >= 24 ? (unsigned)(h[22] | (h[23] << 8)) >> 4 : 0;

	fprintf(stderr, "%s len %zu fc %02x%02x a1 %02x:%02x:%02x:%02x:%02x:%02x", dir, n, h[0], h[1], h[4],
		h[5], h[6], h[7], h[8], h[9]);
	if (n >= 16)
		fprintf(stderr, " a2 %02x:%02x:%02x:%02x:%02x:%02x", h[10], h[11], h[12], h[13], h[14], h[15]);
	if (n >= 24)
		fprintf(stderr, " seq %u", seq);
	fputc('\n', stderr);
}

static void from_monitor(int mon, int nic, uint8_t *buf)
{
	for (int budget = 64; budget > 0; budget--) {
		ssize_t n = recv_frame(mon, buf, FRAME_MAX, 0);
		uint32_t present = 0;
		size_t rt;
		const uint8_t *ta;

		if (n < 0)
			return;
		if (n == 0)
			continue;
		cnt.mon_rx++;
		cnt.mon_rx_bytes += (uint64_t)n;
		rt = radiotap_len(buf, (size_t)n, &present);
		if (rt == 0) {
			cnt.drop_mon_invalid++;
			continue;
		}
		if (present & RADIOTAP_TX_FLAGS_BIT) {
			if (trace)
				trace_frame("txstatus", buf + rt, (size_t)n - rt);
			cnt.loop_tx_status++;
			continue;
		}
		ta = transmitter(buf + rt, (size_t)n - rt);
		if (ta != NULL && set_has(&host_set, ta)) {
			cnt.loop_host_ta++;
			continue;
		}
		if (ta != NULL && !(ta[0] & 1))
			learn_air_ta(ta);
		if (trace)
			trace_frame("air->nic", buf + rt, (size_t)n - rt);
		if (send(nic, buf, (size_t)n, MSG_DONTWAIT) == n)
			cnt.to_nic++;
		else
			cnt.to_nic_errors++;
	}
}

static void from_nic(int nic, int mon, uint8_t *buf)
{
	for (int budget = 64; budget > 0; budget--) {
		ssize_t n = recv_frame(nic, buf, FRAME_MAX, 1);
		uint32_t present = 0;
		size_t rt;
		const uint8_t *ta;

		if (n < 0)
			return;
		if (n == 0)
			continue;
		cnt.nic_rx++;
		cnt.nic_rx_bytes += (uint64_t)n;
		rt = radiotap_len(buf, (size_t)n, &present);
		if (rt == 0) {
			cnt.drop_nic_invalid++;
			continue;
		}
		ta = transmitter(buf + rt, (size_t)n - rt);
		if (ta == NULL) {
			cnt.drop_no_ta++;
			continue;
		}
		if (!(ta[0] & 1))
			learn_host_ta(ta);
		if (trace)
			trace_frame("nic->air", buf + rt, (size_t)n - rt);
		if (send(mon, buf, (size_t)n, MSG_DONTWAIT) == n)
			cnt.injected++;
		else
			cnt.inject_errors++;
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: vmlab-relay --monitor IFACE --nic IFACE [--netns PATH] [--ack-iface IFACE]\n"
			"                   [--local MAC]... [--counters FILE] [--trace] [--no-ack]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *mon_if = NULL, *nic_if = NULL, *netns = NULL, *ack_if = NULL;
	static uint8_t buf[FRAME_MAX];
	struct sigaction sa;
	struct counters saved;
	uint64_t last_save;
	int nic, mon, rc;

	for (int i = 1; i < argc; i++) {
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(argv[i], "--trace") == 0) {
			trace = 1;
			continue;
		}
		if (strcmp(argv[i], "--no-ack") == 0) {
			no_ack = 1;
			continue;
		}
		if (next == NULL)
			return usage();
		if (strcmp(argv[i], "--local") == 0) {
			uint8_t mac[6];
			unsigned v[6];
			char tail;

			if (sscanf(next, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
				   &tail) != 6)
				return usage();
			for (int k = 0; k < 6; k++)
				mac[k] = (uint8_t)v[k];
			learn_air_ta(mac);
		} else if (strcmp(argv[i], "--monitor") == 0)
			mon_if = next;
		else if (strcmp(argv[i], "--nic") == 0)
			nic_if = next;
		else if (strcmp(argv[i], "--netns") == 0)
			netns = next;
		else if (strcmp(argv[i], "--ack-iface") == 0)
			ack_if = next;
		else if (strcmp(argv[i], "--counters") == 0)
			counters_path = next;
		else
			return usage();
		i++;
	}
	if (mon_if == NULL || nic_if == NULL)
		return usage();
	if (ack_if == NULL)
		ack_if = mon_if;

	nic = open_packet(nic_if, 1);
	if (nic < 0)
		return 1;
	if (netns != NULL) {
		int fd = open(netns, O_RDONLY | O_CLOEXEC);

		if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
			logmsg("cannot enter %s: %s", netns, strerror(errno));
			return 1;
		}
		close(fd);
	}
	mon = open_packet(mon_if, 0);
	if (mon < 0)
		return 1;
	nl_fd = nl_open();
	if (nl_fd < 0 || (nl80211_id = nl_family(nl_fd, "nl80211")) < 0) {
		logmsg("no nl80211");
		return 1;
	}
	rc = wiphy_of(ack_if, &ack_wiphy);
	if (rc < 0) {
		logmsg("cannot find the phy of %s: %s", ack_if, strerror(-rc));
		return 1;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: poll() returns EINTR */
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	logmsg("relaying %s <-> %s (ack interfaces on phy%u)", mon_if, nic_if, ack_wiphy);
	save_counters();
	saved = cnt;
	last_save = now_ms();
	while (!want_stop) {
		struct pollfd p[2] = {{.fd = mon, .events = POLLIN}, {.fd = nic, .events = POLLIN}};
		int r = poll(p, 2, 1000);

		if (r < 0 && errno != EINTR) {
			logmsg("poll: %s", strerror(errno));
			break;
		}
		if (r > 0) {
			if (p[0].revents & POLLIN)
				from_monitor(mon, nic, buf);
			if (p[1].revents & POLLIN)
				from_nic(nic, mon, buf);
			if ((p[0].revents | p[1].revents) & (POLLERR | POLLNVAL)) {
				logmsg("socket error (interface gone?)");
				break;
			}
		}
		if (want_dump) {
			want_dump = 0;
			cnt.dumps++;
			write_counters(stderr);
			save_counters();
			saved = cnt;
		} else if (now_ms() - last_save >= 1000) {
			if (memcmp(&saved, &cnt, sizeof(cnt)) != 0) {
				save_counters();
				saved = cnt;
			}
			last_save = now_ms();
		}
	}
	save_counters();
	write_counters(stderr);
	return 0;
}
