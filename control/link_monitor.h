/* Link monitor: follows the carrier of the kernel netdevs behind the ports (read each poll with
 * ETHTOOL_GLINK; rtnetlink via libnl-route where the driver cannot say), so a lost link drops that
 * port's peers at once instead of after missed beacons.
 * Ports not backed by a netdev of this namespace (memif, pcap, ring, null) are not monitored. */
#ifndef MESHPLANE_CONTROL_LINK_MONITOR_H
#define MESHPLANE_CONTROL_LINK_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

/* Opens its sockets and reads the ports' current carrier; 0 (also when nothing is to be monitored),
 * or -1 when rtnetlink is unusable (logged; the ports read directly are still followed). */
int link_monitor_init(void);

/* Reads the carriers and handles pending link notifications without blocking: carrier lost -> the
 * port's peers are dropped. */
void link_monitor_poll(uint64_t now_ms);

/* True when port's carrier is known to be down. */
bool link_monitor_port_down(unsigned port);

/* Closes the socket. */
void link_monitor_fini(void);

#endif
