#include "link_monitor.h"

#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "control.h"
#include "events.h"
#include "log.h"
#include "neighbours.h"
#include "node.h"

/* glibc's <net/if.h> stops short of it and <linux/if.h> clashes with <net/if.h>. */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

static struct nl_sock *sock;
static int ioctl_fd = -1;
static char ifname[CONFIG_MAX_PORTS][IF_NAMESIZE];
static bool carrier_down[CONFIG_MAX_PORTS];
/* The port's carrier is read directly each poll (ETHTOOL_GLINK); rtnetlink serves the others. */
static bool polled[CONFIG_MAX_PORTS];
static uint64_t poll_now_ms;

/* net_af_packet names its netdev with iface=NAME; other drivers have none we can watch. */
static bool netdev_of_devargs(const char *devargs, char *out)
{
	const char *p = strstr(devargs, "iface=");
	size_t n;

	if (strncmp(devargs, "net_af_packet", 13) != 0 || p == NULL)
		return false;
	p += 6;
	n = strcspn(p, ",");
	if (n == 0 || n >= IF_NAMESIZE)
		return false;
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

static void carrier_changed(unsigned port, bool up)
{
	if (carrier_down[port] == !up)
		return;
	carrier_down[port] = !up;
	struct event_body e = {.time_ms = poll_now_ms, .type = up ? EVENT_link_up : EVENT_link_down,
			       .port = (uint8_t)port, .old_port = EVENT_NO_PORT};

	events_log(&e);
	if (up) {
		control_count(CONTROL_link_up);
		LOG_NOTICE("port %s: carrier up (peers come back with their beacons)", the_node.cfg.ports[port].name);
		return;
	}
	control_count(CONTROL_link_down);
	LOG_NOTICE("port %s: carrier lost, dropping its peers", the_node.cfg.ports[port].name);
	neighbours_port_down(port, poll_now_ms);
}

static int on_link_message(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct ifinfomsg *ifi;
	struct nlattr *name;

	(void)arg;
	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return NL_OK;
	ifi = nlmsg_data(nlh);
	name = nlmsg_find_attr(nlh, sizeof(*ifi), IFLA_IFNAME);
	if (name == NULL)
		return NL_OK;
	for (unsigned p = 0; p < the_node.cfg.n_ports; p++) {
		if (ifname[p][0] == '\0' || polled[p] || strncmp(nla_get_string(name), ifname[p], IF_NAMESIZE) != 0)
			continue;
		carrier_changed(p, nlh->nlmsg_type == RTM_NEWLINK && (ifi->ifi_flags & IFF_LOWER_UP) != 0);
	}
	return NL_OK;
}

/* The carrier as the driver has it now: 1 up, 0 down, -1 when the driver cannot say. rtnetlink
 * alone is not enough: the kernel sends carrier changes from its linkwatch work, at most one
 * batch a second for the whole machine, so a second port's (or a second node's) loss could wait
 * a second; netif_carrier_ok, which ETHTOOL_GLINK reads, changes at once. An interface taken down
 * counts as down whatever its driver says (as IFF_LOWER_UP does). */
static int read_carrier(const char *name)
{
	struct ethtool_value v = {.cmd = ETHTOOL_GLINK};
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strnlen(name, IF_NAMESIZE - 1));
	if (ioctl(ioctl_fd, SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	if ((ifr.ifr_flags & IFF_UP) == 0)
		return 0;
	ifr.ifr_data = (char *)&v;
	if (ioctl(ioctl_fd, SIOCETHTOOL, &ifr) < 0)
		return -1;
	return v.data != 0;
}

static void poll_carriers(void)
{
	for (unsigned p = 0; p < the_node.cfg.n_ports; p++) {
		int up;

		if (!polled[p])
			continue;
		up = read_carrier(ifname[p]);
		if (up < 0) { /* gone or renamed: rtnetlink follows it from now on */
			LOG_WARN("link monitor: port %s: cannot read the carrier of %s (%s); following rtnetlink only",
				 the_node.cfg.ports[p].name, ifname[p], strerror(errno));
			polled[p] = false;
			continue;
		}
		carrier_changed(p, up == 1);
	}
}

/* Real radios would let nl80211 station info refine the metric; say once whether it is there. */
static void report_nl80211(void)
{
	struct nl_sock *g = nl_socket_alloc();

	if (g == NULL)
		return;
	if (genl_connect(g) == 0 && genl_ctrl_resolve(g, "nl80211") >= 0)
		LOG_INFO("link monitor: nl80211 present; station-info metric refinement is not implemented yet");
	else
		LOG_INFO("link monitor: no nl80211 (no radios): metrics come from beacons and radiotap");
	nl_socket_free(g);
}

int link_monitor_init(void)
{
	unsigned watched = 0;
	struct rtgenmsg gen = {.rtgen_family = AF_UNSPEC};

	memset(ifname, 0, sizeof(ifname));
	memset(carrier_down, 0, sizeof(carrier_down));
	memset(polled, 0, sizeof(polled));
	for (unsigned p = 0; p < the_node.cfg.n_ports; p++)
		watched += netdev_of_devargs(the_node.cfg.ports[p].devargs, ifname[p]);
	if (watched == 0)
		return 0;
	ioctl_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	for (unsigned p = 0; p < the_node.cfg.n_ports && ioctl_fd >= 0; p++)
		polled[p] = ifname[p][0] != '\0' && read_carrier(ifname[p]) >= 0;
	sock = nl_socket_alloc();
	if (sock == NULL || nl_connect(sock, NETLINK_ROUTE) < 0 || nl_socket_add_membership(sock, RTNLGRP_LINK) < 0) {
		if (sock != NULL)
			nl_socket_free(sock);
		sock = NULL;
		poll_carriers();
		for (unsigned p = 0; p < the_node.cfg.n_ports; p++)
			if (ifname[p][0] != '\0' && !polled[p])
				LOG_WARN("link monitor: port %s: no rtnetlink and no ETHTOOL_GLINK; its carrier loss "
					 "is noticed by missed beacons only", the_node.cfg.ports[p].name);
		return -1;
	}
	nl_socket_disable_seq_check(sock);
	nl_socket_modify_cb(sock, NL_CB_VALID, NL_CB_CUSTOM, on_link_message, NULL);
	/* The current state first: a port may start without carrier. */
	if (nl_send_simple(sock, RTM_GETLINK, NLM_F_DUMP, &gen, sizeof(gen)) >= 0)
		nl_recvmsgs_default(sock);
	nl_socket_set_nonblocking(sock);
	poll_carriers();
	report_nl80211();
	return 0;
}

void link_monitor_poll(uint64_t now_ms)
{
	struct pollfd pfd;

	poll_now_ms = now_ms;
	poll_carriers();
	if (sock == NULL)
		return;
	pfd.fd = nl_socket_get_fd(sock);
	pfd.events = POLLIN;
	/* libnl reports "nothing to read" as 0 on a non-blocking socket: ask poll() instead. */
	for (int i = 0; i < 64 && poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN); i++)
		if (nl_recvmsgs_default(sock) < 0)
			break;
}

bool link_monitor_port_down(unsigned port)
{
	return port < CONFIG_MAX_PORTS && carrier_down[port];
}

void link_monitor_fini(void)
{
	if (sock != NULL)
		nl_socket_free(sock);
	sock = NULL;
	if (ioctl_fd >= 0)
		close(ioctl_fd);
	ioctl_fd = -1;
	memset(polled, 0, sizeof(polled));
}
