/* A node's end of the air: an AF_PACKET raw socket on the veth in the air namespace. */
#ifndef AIRSIM_AIR_PORT_H
#define AIRSIM_AIR_PORT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Room air_port_recv needs beyond the largest frame, to put back a VLAN tag the kernel took out. */
#define AIR_PORT_VLAN_SLACK 4

/* Opens a non-blocking raw socket bound to iface that does not see its own transmissions; fd or -1
 * with errno set. */
int air_port_open(const char *iface);

/* Reads one frame into buf; returns its length, 0 for a packet to ignore (our own or truncated), or
 * -1 with errno (EAGAIN when drained). buf needs cap + AIR_PORT_VLAN_SLACK bytes. */
ssize_t air_port_recv(int fd, uint8_t *buf, size_t cap);

/* Sends one frame without blocking; 0 or -1 with errno. */
int air_port_send(int fd, const uint8_t *frame, size_t len);

#endif
