/* Frames held by the control thread until their destination gets a path or proxy (bounded per
 * destination and in total), then released, or dropped at a timeout. */
#ifndef MESHPLANE_CONTROL_PENDING_H
#define MESHPLANE_CONTROL_PENDING_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "mac.h"

struct pending_store;

/* Creates a store for n_dests destinations of per_dest frames each; NULL on ENOMEM. */
struct pending_store *pending_create(uint32_t n_dests, uint16_t per_dest);

/* Frees the store and every frame still held. */
void pending_free(struct pending_store *s);

/* Holds m for dest; false (m not taken) when the destination's queue or the store is full. */
bool pending_hold(struct pending_store *s, const struct mac_addr *dest, struct rte_mbuf *m, uint64_t now_ms);

/* For every destination: if resolved(dest) hand its frames to release(), else if it has waited
 * timeout_ms hand them to expire(). */
void pending_scan(struct pending_store *s, uint64_t now_ms, uint64_t timeout_ms,
		  bool (*resolved)(const struct mac_addr *dest), void (*release)(struct rte_mbuf *m),
		  void (*expire)(struct rte_mbuf *m));

/* Hands every frame held for dest to drop(); returns how many. */
uint32_t pending_drop(struct pending_store *s, const struct mac_addr *dest, void (*drop)(struct rte_mbuf *m));

/* Frames currently held. */
uint32_t pending_count(const struct pending_store *s);

#endif
