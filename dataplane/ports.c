#include "ports.h"

#include <inttypes.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include "host_port.h"
#include "log.h"

int ports_create_pool(struct node *node)
{
	const struct mempool_config *mp = &node->cfg.mempool;

	node->pool = rte_pktmbuf_pool_create("meshplane_mbufs", mp->mbufs, mp->cache, 0, mp->data_room,
					     (int)rte_socket_id());
	if (node->pool == NULL) {
		LOG_ERR("mempool.mbufs: cannot create a pool of %u mbufs of %u bytes: %s", mp->mbufs,
			mp->data_room, rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

/* The ethdev name of a vdev is its devargs up to the first comma. */
static void vdev_name(const char *devargs, char *out, size_t cap)
{
	size_t n = strcspn(devargs, ",");

	if (n >= cap)
		n = cap - 1;
	memcpy(out, devargs, n);
	out[n] = '\0';
}

/* The longest frame net_af_packet hands over intact: the kernel cuts longer ones to the ring frame
 * (framesz devarg, 2048 by default) minus its own header and alignment (at most 80 bytes), and the
 * driver does not say it did. */
static unsigned af_packet_capacity(const char *devargs)
{
	const char *f = strstr(devargs, "framesz=");
	unsigned framesz = f != NULL ? (unsigned)strtoul(f + 8, NULL, 10) : 2048;

	return framesz > 80 ? framesz - 80 : 0;
}

/* A net_af_packet port whose interface MTU admits frames the port would receive cut short: warn at
 * start, naming both sizes, since at run time a cut frame looks like a shorter one. */
static void check_af_packet_mtu(unsigned index, const struct port_config *pc, const struct rte_eth_dev_info *info)
{
	char ifname[IF_NAMESIZE];
	struct ifreq ifr;
	unsigned capacity;
	int s;

	if (info->driver_name == NULL || strcmp(info->driver_name, "net_af_packet") != 0 ||
	    if_indextoname(info->if_index, ifname) == NULL)
		return;
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	capacity = af_packet_capacity(pc->devargs);
	if (ioctl(s, SIOCGIFMTU, &ifr) == 0 && (unsigned)ifr.ifr_mtu + 14 > capacity)
		LOG_WARN("ports[%u] (%s): interface %s has MTU %d, but this port receives frames of at most %u bytes "
			 "intact (framesz %u); longer frames would arrive cut short: set the MTU to %u or less, "
			 "or raise framesz in the devargs", index, pc->name, ifname, ifr.ifr_mtu, capacity,
			 capacity + 80, capacity - 14);
	close(s);
}

static int port_start_one(struct node *node, unsigned index)
{
	const struct port_config *pc = &node->cfg.ports[index];
	struct rte_eth_conf conf;
	char name[CONFIG_DEVARGS_MAX + 1];
	uint16_t port_id;
	int ret;

	ret = rte_dev_probe(pc->devargs);
	if (ret < 0) {
		/* Drivers mostly return -1, which is no errno: their own log line above says why. */
		LOG_ERR("ports[%u] (%s): cannot attach \"%s\" (error %d; the driver's reason is logged above)",
			index, pc->name, pc->devargs, ret);
		return -1;
	}
	vdev_name(pc->devargs, name, sizeof(name));
	node->ports[index].attached = true;
	if (rte_eth_dev_get_port_by_name(name, &port_id) != 0) {
		LOG_ERR("ports[%u] (%s): \"%s\" attached but is no ethdev port \"%s\"", index, pc->name,
			pc->devargs, name);
		return -1;
	}
	node->ports[index].port_id = port_id;
	{
		struct rte_eth_dev_info info;

		if (rte_eth_dev_info_get(port_id, &info) == 0) {
			node->ports[index].device = info.device;
			check_af_packet_mtu(index, pc, &info);
		}
	}
	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(port_id, (uint16_t)node->n_workers, (uint16_t)node->n_workers, &conf);
	if (ret < 0) {
		LOG_ERR("ports[%u] (%s): cannot configure %u queue pairs: %s", index, pc->name,
			node->n_workers, rte_strerror(-ret));
		return -1;
	}
	for (uint16_t q = 0; q < node->n_workers; q++) {
		int socket = rte_eth_dev_socket_id(port_id);

		ret = rte_eth_rx_queue_setup(port_id, q, PORT_RX_DESC, (unsigned)socket, NULL, node->pool);
		if (ret == 0)
			ret = rte_eth_tx_queue_setup(port_id, q, PORT_TX_DESC, (unsigned)socket, NULL);
		if (ret < 0) {
			LOG_ERR("ports[%u] (%s): queue %u setup failed: %s", index, pc->name, q, rte_strerror(-ret));
			return -1;
		}
	}
	node->ports[index].restartable = strncmp(pc->devargs, "net_memif", 9) == 0 &&
					 strstr(pc->devargs, "role=server") == NULL;
	ret = rte_eth_dev_start(port_id);
	if (ret < 0 && node->ports[index].restartable) {
		/* A memif client whose server is not up yet (started after us, or restarting): the node
		 * starts without it, as it goes on without a server that leaves; ports_recover connects
		 * it when the server comes. */
		LOG_WARN("ports[%u] (%s): cannot start yet (%s): no memif server; retrying every %u ms", index,
			 pc->name, rte_strerror(-ret), PORT_RESTART_MS);
		node->ports[index].paused = true;
		ret = 0;
	} else if (ret < 0) {
		LOG_ERR("ports[%u] (%s): cannot start: %s", index, pc->name, rte_strerror(-ret));
		return -1;
	} else {
		node->ports[index].started = true;
	}
	/* A mesh port receives frames for its neighbours too, and bridge ports for every station. */
	ret = rte_eth_promiscuous_enable(port_id);
	if (ret < 0 && ret != -ENOTSUP)
		LOG_WARN("ports[%u] (%s): promiscuous mode: %s", index, pc->name, rte_strerror(-ret));
	if (pc->role == PORT_ROLE_HOST && host_port_configure(index, pc, port_id, &node->cfg.node.mesh_mac) < 0)
		return -1;
	if (pc->role == PORT_ROLE_MESH && pc->wired && !pc->link_rate_set) {
		struct rte_eth_link link;

		/* A wired mesh link's metric comes from the port's own speed unless the config gives one. */
		if (rte_eth_link_get_nowait(port_id, &link) == 0 && link.link_speed != 0 &&
		    link.link_speed != RTE_ETH_SPEED_NUM_UNKNOWN)
			node->cfg.ports[index].link_rate_100kbps = (link.link_speed > 10000 ? 10000 : link.link_speed) * 10;
		LOG_INFO("port %s: wired mesh link at %u Mb/s for the metric%s", pc->name,
			 node->cfg.ports[index].link_rate_100kbps / 10,
			 pc->path_cost != 0 ? " (path_cost overrides it)" : "");
	}
	LOG_INFO("port %s (%s) is DPDK port %u", pc->name, port_role_name(pc->role), port_id);
	return 0;
}

int ports_start(struct node *node)
{
	for (unsigned i = 0; i < node->cfg.n_ports; i++)
		if (port_start_one(node, i) < 0)
			return -1;
	return 0;
}

void ports_stop(struct node *node)
{
	for (unsigned i = 0; i < node->cfg.n_ports; i++) {
		struct node_port *p = &node->ports[i];

		if (p->started)
			rte_eth_dev_stop(p->port_id);
		if (p->attached) {
			rte_eth_dev_close(p->port_id);
			if (p->device != NULL)
				rte_dev_remove(p->device);
		}
		p->started = false;
		p->attached = false;
	}
}

/* Keeps the workers off port p, and returns once none can still be inside a burst call on it. */
static void pause_port(struct node *node, unsigned p)
{
	uint64_t token;

	__atomic_store_n(&node->ports[p].paused, true, __ATOMIC_RELEASE);
	token = rte_rcu_qsbr_start(node->tables.qsbr);
	rte_rcu_qsbr_check(node->tables.qsbr, token, true);
}

static void restart_port(struct node *node, unsigned p, uint64_t now_ms)
{
	struct node_port *np = &node->ports[p];
	const char *name = node->cfg.ports[p].name;
	int ret;

	np->last_restart_ms = now_ms;
	pause_port(node, p);
	if (np->started)
		rte_eth_dev_stop(np->port_id);
	np->started = false;
	ret = rte_eth_dev_start(np->port_id);
	if (ret < 0) {
		/* The peer is not back yet: stay stopped and paused, try again later. */
		LOG_WARN("port %s: link down for %" PRIu64 " ms; restart failed (%s), retrying every %u ms", name,
			 now_ms - np->down_since_ms, rte_strerror(-ret), PORT_RESTART_MS);
		return;
	}
	np->started = true;
	__atomic_store_n(&np->paused, false, __ATOMIC_RELEASE);
	LOG_INFO("port %s: link down for %" PRIu64 " ms; restarted to reconnect", name, now_ms - np->down_since_ms);
}

unsigned ports_recover(struct node *node, uint64_t now_ms)
{
	unsigned restarts = 0;

	for (unsigned p = 0; p < node->cfg.n_ports; p++) {
		struct node_port *np = &node->ports[p];
		struct rte_eth_link link;

		if (!np->restartable)
			continue;
		if (np->started && rte_eth_link_get_nowait(np->port_id, &link) == 0 && link.link_status) {
			np->down_since_ms = 0;
			continue;
		}
		if (np->down_since_ms == 0) {
			np->down_since_ms = now_ms;
			continue;
		}
		if (now_ms - np->down_since_ms >= PORT_RESTART_MS && now_ms - np->last_restart_ms >= PORT_RESTART_MS) {
			restart_port(node, p, now_ms);
			restarts++;
		}
	}
	return restarts;
}
