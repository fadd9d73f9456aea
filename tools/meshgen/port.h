/* Ports by devargs: probe, one rx/tx queue pair, start, wait for link. */
#ifndef MESHGEN_PORT_H
#define MESHGEN_PORT_H

#include <stddef.h>
#include <stdint.h>

#include <rte_mempool.h>

/* Attaches devargs, configures queues queue pairs on pool and starts it. 0 with *port_id set, or -1
 * with a message naming flag in err. */
int mg_port_open(const char *flag, const char *devargs, unsigned queues, struct rte_mempool *pool, uint16_t *port_id,
		 char *err, size_t errlen);

/* Waits up to link_wait_s seconds for the port's link (a memif server's comes up when its client
 * connects); 0, or -1 with a message naming flag. Open every port first: a peer may need them all. */
int mg_port_wait_link(const char *flag, uint16_t port_id, double link_wait_s, char *err, size_t errlen);

/* Stops and closes a port opened by mg_port_open (errors ignored: we are quitting). */
void mg_port_close(uint16_t port_id);

#endif
