/* DPDK port bring-up from the config: one rx/tx queue pair per worker on every port. */
#ifndef MESHPLANE_DP_PORTS_H
#define MESHPLANE_DP_PORTS_H

#include "node.h"

#define PORT_RX_DESC 1024
#define PORT_TX_DESC 1024
#define PORT_RESTART_MS 1000

/* Creates the mbuf pool; 0 or -1 with the reason logged. */
int ports_create_pool(struct node *node);

/* Finds, configures and starts every configured port; 0 or -1 naming the failing port. A memif client
 * whose server is not up yet is no failure: it stays paused until ports_recover connects it. */
int ports_start(struct node *node);

/* Stops and closes every started port. */
void ports_stop(struct node *node);

/* Control thread: restarts a memif client port whose link has been down for PORT_RESTART_MS (its
 * server went away; DPDK's memif reconnects only on start), once every PORT_RESTART_MS, with the
 * workers kept off the port meanwhile. Returns the number of restarts attempted. */
unsigned ports_recover(struct node *node, uint64_t now_ms);

#endif
