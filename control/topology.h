/* The mesh's topology as this node learns it: every telemetry.topology_interval_s it sends its own
 * announcement (topology_msg.h: peers and metrics, gate, local stations) to each established peer that
 * announced MESH_EXT_TOPOLOGY, and passes on every newer announcement of another origin to its other
 * such peers, so the announcements of all meshplane nodes reach every one of them and go to no other
 * (Linux) node. Control thread only. */
#ifndef MESHPLANE_CONTROL_TOPOLOGY_H
#define MESHPLANE_CONTROL_TOPOLOGY_H

#include <stddef.h>
#include <stdint.h>

#include "frame_class.h"
#include "topology_db.h"

/* Forgets every origin; the first own announcement goes out one interval from now_ms. */
void topology_init(uint64_t now_ms);

/* Announces when due and forgets silent origins. */
void topology_tick(uint64_t now_ms);

/* A punted unicast mesh data frame v whose payload (body, len bytes) carries the topology magic:
 * stored and relayed when newer, counted otherwise. */
void topology_handle(const struct frame_view *v, const uint8_t *body, size_t len, uint64_t now_ms);

/* Our own announcement as it would go out now (seq of the last one sent). */
void topology_own(struct topology_msg *out);

/* The store of the other origins' announcements (read by the snapshot on the control thread). */
const struct topology_db *topology_known(void);

#endif
