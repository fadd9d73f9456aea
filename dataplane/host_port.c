#include "host_port.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_ethdev.h>

#include "log.h"

static int set_ipv4(int s, const char *ifname, unsigned long request, uint32_t addr)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = addr;
	return ioctl(s, request, &ifr);
}

int host_port_configure(unsigned index, const struct port_config *pc, uint16_t port_id,
			const struct mac_addr *mesh_mac)
{
	struct rte_ether_addr mac;
	struct rte_eth_dev_info info;
	char ifname[IF_NAMESIZE];
	struct ifreq ifr;
	int s, ret;

	/* net_tap sets the kernel side's MAC with the port's. */
	memcpy(mac.addr_bytes, mesh_mac->bytes, MAC_LEN);
	ret = rte_eth_dev_default_mac_addr_set(port_id, &mac);
	if (ret < 0) {
		LOG_ERR("ports[%u] (%s): cannot give the host interface the mesh address: %s", index, pc->name,
			rte_strerror(-ret));
		return -1;
	}
	if (rte_eth_dev_info_get(port_id, &info) != 0 || info.if_index == 0 ||
	    if_indextoname(info.if_index, ifname) == NULL) {
		LOG_ERR("ports[%u] (%s): role host needs a port with a kernel interface (net_tap), \"%s\" has none",
			index, pc->name, pc->devargs);
		return -1;
	}
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0) {
		LOG_ERR("ports[%u] (%s): socket: %s", index, pc->name, strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ret = ioctl(s, SIOCGIFFLAGS, &ifr);
	if (ret == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		ret = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	if (ret == 0 && pc->prefix_len != 0) {
		uint32_t mask = pc->prefix_len == 32 ? 0xffffffffu : ~(0xffffffffu >> pc->prefix_len);

		ret = set_ipv4(s, ifname, SIOCSIFADDR, pc->ipv4);
		if (ret == 0)
			ret = set_ipv4(s, ifname, SIOCSIFNETMASK, htonl(mask));
	}
	if (ret != 0) {
		LOG_ERR("ports[%u] (%s): cannot bring up or address the host interface %s: %s", index, pc->name, ifname,
			strerror(errno));
		close(s);
		return -1;
	}
	close(s);
	if (pc->prefix_len != 0) {
		char a[INET_ADDRSTRLEN];

		LOG_NOTICE("host interface %s: %s/%u, MAC %02x:%02x:%02x:%02x:%02x:%02x", ifname,
			   inet_ntop(AF_INET, &pc->ipv4, a, sizeof(a)), pc->prefix_len, mesh_mac->bytes[0],
			   mesh_mac->bytes[1], mesh_mac->bytes[2], mesh_mac->bytes[3], mesh_mac->bytes[4], mesh_mac->bytes[5]);
	} else {
		LOG_NOTICE("host interface %s up without an address (DHCP or the operator gives it one)", ifname);
	}
	return 0;
}
