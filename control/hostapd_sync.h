/* hostapd sync: one client of hostapd's control socket per access port that names one
 * (ports[].hostapd_ctrl). Attaches, follows station events, keeps the link alive with PING, re-attaches
 * when hostapd comes back and reconciles the station list (STA-FIRST / STA-NEXT). Never blocks. */
#ifndef MESHPLANE_CONTROL_HOSTAPD_SYNC_H
#define MESHPLANE_CONTROL_HOSTAPD_SYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "mac.h"

/* Prepares a client per access port with hostapd_ctrl; connecting happens in hostapd_sync_poll. */
void hostapd_sync_init(void);

/* Connects, sends keep-alives, reads events and replies; call every few milliseconds. */
void hostapd_sync_poll(uint64_t now_ms);

/* A station of ours was announced behind another mesh node: if our hostapd still lists it,
 * deauthenticate it so no ghost association stays behind. */
void hostapd_sync_station_moved(const struct mac_addr *station);

/* True while a hostapd lists station as associated on access port port (its FDB entry must not
 * age out while the station is idle: it is still there). */
bool hostapd_sync_associated(const struct mac_addr *station, unsigned port);

/* True while access port port's hostapd is attached and reconciled: what it lists is the truth
 * about the port's stations (a frame from a station it does not list makes no station). */
bool hostapd_sync_port_up(unsigned port);

/* Closes every client socket. */
/* A peer came up at now_ms: every local station is announced again (its XID layer-2 update) a moment
 * later, once the peer has installed our keys too, so that a node that was not yet peered when the
 * station associated learns where it is without waiting for its traffic. */
void hostapd_sync_reannounce_local(uint64_t now_ms);

void hostapd_sync_fini(void);

#endif
