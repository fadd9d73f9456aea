/* Engine internals shared by the hwmp_*.c files (not for users of the engine). */
#ifndef MESHPLANE_HWMP_INTERNAL_H
#define MESHPLANE_HWMP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "airtime.h"
#include "hwmp.h"
#include "hwmp_table.h"
#include "sn.h"

#define HWMP_MAX_ANNOUNCERS 8 /* roots and gates we track; the mesh rarely has more than a few */
#define HWMP_MAX_HOLDS 64     /* paths waiting for their current next hop's copy of a flood */

/* path_entry.flags */
#define PF_SN_VALID 0x01
#define PF_ACTIVE 0x02   /* usable until expiry_ms */
#define PF_ROOT 0x04
#define PF_GATE 0x08
#define PF_FROM_FLOOD 0x10 /* learned as a PREQ's reverse path: not necessarily the best one */
#define PF_COSTLIER 0x20   /* its next hop reported a higher metric under the same SN: ask for a newer one */

/* A flood's offer of a newer SN through another next hop, held back while the current next hop's copy
 * of the same flood is on its way (path stability: hwmp_path.c). */
struct path_hold {
	struct mac_addr next_hop;
	uint32_t metric;
	uint32_t sn;
	uint32_t lifetime_ms;
	uint8_t hop_count;
	bool used;
	uint64_t deadline_ms;
};

/* The PREQ behind a held offer: answered and forwarded only if the offer is taken. */
struct hold_slot {
	struct mac_addr dest;
	struct mac_addr ta;
	uint32_t link_metric;
	uint8_t len;
	uint8_t body[255];
};

struct path_entry {
	struct mac_addr dest; /* key: first member (hwmp_table) */
	struct mac_addr next_hop;
	uint32_t sn;
	uint32_t metric;
	uint64_t expiry_ms;
	uint64_t via_gate_until_ms; /* discovery failed: route to a gate until then */
	uint64_t confirm_ms;        /* last confirmation discovery (at most one per path refresh time) */
	uint32_t changes;           /* next-hop changes (Linux's path_change_count) */
	struct path_hold hold;
	uint64_t missed_since_ms;   /* when the next hop first missed a flood (when missed) */
	bool missed;                /* ... and it has not delivered a copy since */
	uint8_t hop_count;
	uint8_t flags;
};

struct proxy_entry {
	struct mac_addr station; /* key */
	struct mac_addr mesh_node;
	uint64_t expiry_ms;
};

struct local_proxy_entry {
	struct mac_addr station; /* key */
};

enum discovery_state { DISC_FREE = 0, DISC_QUEUED, DISC_WAITING };

struct discovery {
	struct mac_addr dest;        /* PREQ target: a mesh node or a remote station */
	struct mac_addr src_station; /* AE originator address when has_src */
	uint8_t state;
	uint8_t retries;
	bool has_src;
	bool refresh;                /* refreshing a live path: no discovery_done on failure */
	bool root_reg;               /* unicast PREQ to a root announced by RANN */
	uint32_t timeout_ms;
	uint64_t deadline_ms;
	uint64_t queued_seq;         /* FIFO order of the PREQ queue */
};

struct announcer {
	struct mac_addr addr;
	bool used, is_root, is_gate;
	uint32_t rann_sn;            /* best RANN/proactive-PREQ SN seen */
	uint32_t rann_metric;
	struct mac_addr rann_next;   /* who sent us the best RANN: unicast PREQs to the root go there */
	bool gann_seen;
	uint32_t gann_sn;
	uint64_t expiry_ms;
};

struct perr_pending {
	struct mac_addr dest;
	uint32_t sn;
	uint16_t reason;
	uint8_t ttl;
};

struct hwmp_engine {
	struct mac_addr self;
	struct hwmp_params p;
	struct hwmp_callbacks cb;
	struct hwmp_counters c;

	uint32_t own_sn;
	uint32_t preq_id;

	struct hwmp_table paths;
	struct hwmp_table proxies;
	struct hwmp_table local_proxies;

	struct discovery *disc;
	uint32_t n_disc;             /* used entries */
	uint64_t disc_seq;
	uint64_t last_preq_ms;
	bool preq_sent;

	struct perr_pending *perr;
	uint32_t n_perr;
	uint64_t last_perr_ms;
	bool perr_sent;

	struct hold_slot holds[HWMP_MAX_HOLDS]; /* paths that hold an offer, with the PREQ that made it */
	uint32_t n_holds;

	struct announcer ann[HWMP_MAX_ANNOUNCERS];
	uint64_t next_root_ms;
	uint64_t next_gann_ms;
	uint32_t gann_sn;
	uint64_t next_sweep_ms;
};

/* hwmp_path.c */
/* The entry for dest or NULL. */
struct path_entry *path_find(const struct hwmp_engine *e, const struct mac_addr *dest);
/* True when p can carry traffic at now. */
bool path_is_active(const struct path_entry *p, uint64_t now);
/* The entry for dest, created (evicting an inactive one when full) if needed; NULL when full. */
struct path_entry *path_get_or_create(struct hwmp_engine *e, const struct mac_addr *dest, uint64_t now);
/* Offers "dest via next_hop at metric, sn" (HWMP acceptance rules); the updated entry, or NULL when the
 * offer is stale, not better, or held (see path_hold). sn_valid false: a neighbour heard directly (no
 * SN). flood: the offer comes from a flood (PREQ) whose copies race along several routes. */
struct path_entry *path_offer(struct hwmp_engine *e, const struct mac_addr *dest, const struct mac_addr *next_hop,
			      uint32_t metric, uint32_t sn, bool sn_valid, uint8_t hop_count, uint32_t lifetime_ms,
			      bool flood, uint64_t now);
/* Keeps the PREQ (body of len bytes from ta over link_metric) whose offer for dest is held. */
void path_hold_keep_preq(struct hwmp_engine *e, const struct mac_addr *dest, const struct mac_addr *ta,
			 uint32_t link_metric, const uint8_t *body, size_t len);
/* Drops every held offer whose next hop is neighbour (it was lost). */
void path_holds_drop_via(struct hwmp_engine *e, const struct mac_addr *neighbour);
/* Applies the held offers whose current next hop's copy did not come in time (their PREQs are then
 * answered and forwarded). */
void path_holds_tick(struct hwmp_engine *e, uint64_t now);
/* Earliest hold deadline (UINT64_MAX: none). */
uint64_t path_holds_deadline(const struct hwmp_engine *e);
/* Marks p unusable at now and tells the glue. */
void path_invalidate(struct hwmp_engine *e, struct path_entry *p, uint64_t now);
/* Fills the public view of p. */
void path_info(const struct path_entry *p, struct hwmp_path_info *out);
/* Removes expired paths and proxies. */
void path_sweep(struct hwmp_engine *e, uint64_t now);

/* hwmp_discovery.c */
/* Ends the discovery for dest (if any) with a result. */
void discovery_finish(struct hwmp_engine *e, const struct mac_addr *dest, enum hwmp_discovery_result r, uint64_t now);
/* A path to dest appeared: ends a running discovery for it, except a root registration (which needs the
 * root's PREP so that the root learns our path too). */
void discovery_path_found(struct hwmp_engine *e, const struct mac_addr *dest, uint64_t now);
/* A PREP for our discovery of dest arrived. */
void discovery_prep_received(struct hwmp_engine *e, const struct mac_addr *dest, uint64_t now);
/* Queues a PREQ for dest; returns the discovery or NULL when the table is full. */
struct discovery *discovery_start(struct hwmp_engine *e, const struct mac_addr *dest, uint64_t now);
/* Sends queued PREQs when the rate limit allows and handles discovery timeouts. */
void discovery_tick(struct hwmp_engine *e, uint64_t now);
/* Earliest discovery deadline. */
uint64_t discovery_deadline(const struct hwmp_engine *e);
/* Own SN for a PREP we answer as target (Linux: at most one increment per net diameter traversal). */
uint32_t own_sn_for_reply(struct hwmp_engine *e, uint32_t requested_sn, bool usn, uint64_t now);

/* hwmp_preq.c, hwmp_prep.c, hwmp_perr.c, hwmp_root.c */
int preq_rx(struct hwmp_engine *e, const struct mac_addr *ta, uint32_t link_metric, const uint8_t *body, size_t len,
	    uint64_t now);
/* Answers and forwards a PREQ whose offer installed op (prev_metric: op's metric before, for the
 * "overheard" flag). */
void preq_act(struct hwmp_engine *e, const struct hwmp_preq *preq, struct path_entry *op, uint32_t prev_metric,
	      uint64_t now);
int prep_rx(struct hwmp_engine *e, const struct mac_addr *ta, uint32_t link_metric, const uint8_t *body, size_t len,
	    uint64_t now);
int perr_rx(struct hwmp_engine *e, const struct mac_addr *ta, const uint8_t *body, size_t len, uint64_t now);
int rann_rx(struct hwmp_engine *e, const struct mac_addr *ta, uint32_t link_metric, const uint8_t *body, size_t len,
	    uint64_t now);
int gann_rx(struct hwmp_engine *e, const struct mac_addr *ta, const uint8_t *body, size_t len, uint64_t now);
/* Encodes and transmits a PREQ/PREP (counted by the caller). */
void send_preq(struct hwmp_engine *e, const struct mac_addr *ra, const struct hwmp_preq *preq);
void send_prep(struct hwmp_engine *e, const struct mac_addr *ra, const struct hwmp_prep *prep);
/* Queues a PERR destination (deduplicated), sent at the next allowed time. */
void perr_queue(struct hwmp_engine *e, const struct mac_addr *dest, uint32_t sn, uint16_t reason, uint8_t ttl,
		uint64_t now);
/* Sends a batch of queued PERR destinations when the rate limit allows. */
void perr_tick(struct hwmp_engine *e, uint64_t now);
/* Earliest time perr_tick can send. */
uint64_t perr_deadline(const struct hwmp_engine *e);
/* Root announcements and GANN when due. */
void root_tick(struct hwmp_engine *e, uint64_t now);
/* The tracked announcer record for addr, created if create; NULL if absent/full. */
struct announcer *announcer_get(struct hwmp_engine *e, const struct mac_addr *addr, bool create);
/* The best gate (else root) with an active path at now, or NULL. */
struct path_entry *default_gate(const struct hwmp_engine *e, uint64_t now);

/* hwmp_proxy.c */
/* True when station is one of ours. */
bool local_proxy_has(const struct hwmp_engine *e, const struct mac_addr *station);
/* Learns (or moves) a remote station behind mesh_node. */
void proxy_learn(struct hwmp_engine *e, const struct mac_addr *station, const struct mac_addr *mesh_node, uint64_t now);
/* The remote proxy entry for station or NULL. */
struct proxy_entry *proxy_find(const struct hwmp_engine *e, const struct mac_addr *station);

/* True when a is usable as a transmitter/originator: not group, not zero. */
static inline bool addr_is_unicast(const struct mac_addr *a)
{
	return !mac_is_group(a) && !mac_is_zero(a);
}

#endif
