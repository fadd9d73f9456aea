/* Connects the hwmp/ engine to the node: received HWMP action frames in, elements out as Mesh Action
 * frames, installed paths and proxies into the lock-free tables, discoveries for frames that wait. */
#ifndef MESHPLANE_CONTROL_HWMP_GLUE_H
#define MESHPLANE_CONTROL_HWMP_GLUE_H

#include <stdbool.h>
#include <stdint.h>

#include "hwmp.h"
#include "mac.h"
#include "mgmt.h"

/* Creates the engine from the node config; 0 or -1. */
int hwmp_glue_init(uint64_t now_ms);

/* Destroys the engine. */
void hwmp_glue_fini(void);

/* The hwmp section of the_node.cfg changed (a reload): the engine takes it from now_ms, keeping its
 * paths. 0, or -1 when the engine refused it. */
int hwmp_glue_reconfigure(uint64_t now_ms);

/* A Mesh Action frame (HWMP or gate announcement) received on port. */
void hwmp_glue_on_action(unsigned port, const struct action_frame *af, uint64_t now_ms);

/* Frames wait for dest (a mesh node or a station); src_station is the waiting frame's source if it is
 * one of our stations (announced to the target with AE), else NULL. */
void hwmp_glue_need_path(const struct mac_addr *dest, const struct mac_addr *src_station, uint64_t now_ms);

/* A transit frame for mesh node dest found no path here. */
void hwmp_glue_forward_failed(const struct mac_addr *dest, uint64_t now_ms);

/* A station appeared on (present) or left (!present) one of our local ports. */
void hwmp_glue_local_station(const struct mac_addr *station, bool present);

/* A neighbour was lost: paths through it go, PERR goes out. */
void hwmp_glue_neighbour_lost(const struct mac_addr *neighbour, uint64_t now_ms);

/* A peer's traffic moved to another port: the dataplane's paths through it are rewritten to it. */
void hwmp_glue_neighbour_moved(const struct mac_addr *neighbour);

/* Runs the engine's timers and tells it which paths carry traffic. */
void hwmp_glue_tick(uint64_t now_ms);

/* A copy of the engine's counters, safe to read from any thread (refreshed by hwmp_glue_tick). */
void hwmp_glue_counters(struct hwmp_counters *out);

#endif
