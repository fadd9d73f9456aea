/* The host port: the node's own kernel interface on its bridged segment (br0 in the seed's network),
 * a DPDK net_tap port. Frames for the node's own address and every group frame reach the kernel
 * through it; what the kernel sends is bridged like any local port. The interface carries the node's
 * mesh address as its MAC, so the node is one station on the LAN and one mesh point in the mesh. */
#ifndef MESHPLANE_DP_HOST_PORT_H
#define MESHPLANE_DP_HOST_PORT_H

#include <stdint.h>

#include "config.h"

/* After the port started: gives the kernel interface the node's mesh MAC, brings it up and sets the
 * configured address (if any). 0, or -1 with the reason logged naming the port. */
int host_port_configure(unsigned index, const struct port_config *pc, uint16_t port_id,
			const struct mac_addr *mesh_mac);

#endif
