/* Port bring-up. memif in server role reports link up only once its client connected, which is
 * why the link wait doubles as "wait for the peer". */
#include "port.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_ethdev.h>

#define NB_DESC 1024

int mg_port_open(const char *flag, const char *devargs, unsigned queues, struct rte_mempool *pool, uint16_t *port_id, char *err,
		 size_t errlen)
{
	struct rte_eth_conf conf;
	uint16_t nb_rx = NB_DESC, nb_tx = NB_DESC;
	char name[RTE_DEV_NAME_MAX_LEN];
	size_t nlen = strcspn(devargs, ",");
	int ret;

	if (nlen == 0 || nlen >= sizeof(name)) {
		snprintf(err, errlen, "%s: \"%s\" does not start with a device name", flag, devargs);
		return -1;
	}
	memcpy(name, devargs, nlen);
	name[nlen] = '\0';
	ret = rte_dev_probe(devargs);
	if (ret != 0) {
		snprintf(err, errlen, "%s: cannot attach \"%s\" (error %d; the driver's reason is logged above)",
			 flag, devargs, ret);
		return -1;
	}
	if (rte_eth_dev_get_port_by_name(name, port_id) != 0) {
		snprintf(err, errlen, "%s: \"%s\" attached but is no ethdev", flag, name);
		return -1;
	}
	memset(&conf, 0, sizeof(conf));
	if ((ret = rte_eth_dev_configure(*port_id, (uint16_t)queues, (uint16_t)queues, &conf)) != 0 ||
	    (ret = rte_eth_dev_adjust_nb_rx_tx_desc(*port_id, &nb_rx, &nb_tx)) != 0)
		goto fail;
	for (uint16_t q = 0; q < queues; q++)
		if ((ret = rte_eth_rx_queue_setup(*port_id, q, nb_rx, rte_eth_dev_socket_id(*port_id), NULL, pool)) != 0 ||
		    (ret = rte_eth_tx_queue_setup(*port_id, q, nb_tx, rte_eth_dev_socket_id(*port_id), NULL)) != 0)
			goto fail;
	if ((ret = rte_eth_dev_start(*port_id)) != 0)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "%s: cannot set up \"%s\" with %u queue pair(s) (error %d)", flag, name, queues, ret);
	return -1;
}

int mg_port_wait_link(const char *flag, uint16_t port_id, double link_wait_s, char *err, size_t errlen)
{
	uint64_t deadline = rte_get_timer_cycles() + (uint64_t)(link_wait_s * (double)rte_get_timer_hz());
	char name[RTE_ETH_NAME_MAX_LEN] = "?";
	struct rte_eth_link link;

	rte_eth_dev_get_name_by_port(port_id, name);
	for (;;) {
		memset(&link, 0, sizeof(link));
		if (rte_eth_link_get_nowait(port_id, &link) == 0 && link.link_status == RTE_ETH_LINK_UP)
			return 0;
		if (rte_get_timer_cycles() >= deadline)
			break;
		usleep(10000);
	}
	snprintf(err, errlen, "%s: link of \"%s\" did not come up within %g s (is the peer running?)",
		 flag, name, link_wait_s);
	return -1;
}

void mg_port_close(uint16_t port_id)
{
	struct rte_eth_dev_info info;
	struct rte_device *dev = NULL;

	if (rte_eth_dev_info_get(port_id, &info) == 0)
		dev = info.device;
	rte_eth_dev_stop(port_id);
	rte_eth_dev_close(port_id);
	/* Removing the device unregisters its interrupt callbacks (memif's socket); without it, EAL
	 * cleanup could free them under the interrupt thread (a crash at exit, seen in benchmarks). */
	if (dev != NULL)
		rte_dev_remove(dev);
}
