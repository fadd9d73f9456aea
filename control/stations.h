/* Stations as the roaming logic sees them: local ones (hostapd reported them on one of our access
 * ports) and remote ones (announced or learned behind another mesh node), with the time they came. */
#ifndef MESHPLANE_CONTROL_STATIONS_H
#define MESHPLANE_CONTROL_STATIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "mac.h"

#define STATIONS_MAX 1024

struct station {
	struct mac_addr mac;
	bool local;
	uint8_t port;          /* local: the access port */
	struct mac_addr node;  /* remote: the mesh node it is behind */
	uint64_t since_ms;
};

/* Records a local station on access port port (replacing any remote record). */
void stations_set_local(const struct mac_addr *mac, unsigned port, uint64_t now_ms);

/* Records a station behind mesh node node; keeps since_ms when nothing changed. */
void stations_set_remote(const struct mac_addr *mac, const struct mac_addr *node, uint64_t now_ms);

/* Forgets a station. */
void stations_remove(const struct mac_addr *mac);

/* The record of mac, or NULL. */
const struct station *stations_find(const struct mac_addr *mac);

/* Calls fn for every station. */
void stations_foreach(void (*fn)(void *arg, const struct station *s), void *arg);

#endif
