/* The HWMP path-selection engine (802.11-2012 §13.10), no DPDK.
 *
 * One engine per mesh node. It never reads a clock and never does I/O: every input carries the current
 * time in milliseconds, every output goes through struct hwmp_callbacks. Memory is allocated once in
 * hwmp_create(); every table has a fixed capacity (a full table refuses and counts).
 *
 * Callbacks run synchronously inside the input call and must not call back into the same engine. */
#ifndef MESHPLANE_HWMP_H
#define MESHPLANE_HWMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "hwmp_elements.h"
#include "mac.h"

#define HWMP_METRIC_INFINITE 0xFFFFFFFFu

struct hwmp_params {
	uint8_t element_ttl;
	uint8_t max_preq_retries;
	uint8_t root_mode;               /* enum hwmp_root_mode */
	bool target_only;                /* originated PREQs set TO: intermediate nodes never reply */
	bool reply_and_forward;          /* as an intermediate that replies, still forward the PREQ (TO set) */
	bool gate_announcements;         /* send GANN when is_gate */
	bool is_gate;                    /* this node is connected to a gate/LAN (mesh.gate) */
	uint32_t net_diameter_traversal_ms;
	uint32_t min_discovery_timeout_ms;
	uint32_t preq_min_interval_ms;
	uint32_t perr_min_interval_ms;
	uint32_t active_path_timeout_ms;
	uint32_t path_refresh_time_ms;
	uint32_t rann_interval_ms;
	uint32_t root_interval_ms;
	uint32_t path_to_root_timeout_ms;
	uint32_t confirmation_interval_ms;
	/* 0: switch next hop on any strictly better metric (exact optimum); Linux uses 10. */
	uint32_t switch_hysteresis_pct;
	/* A flood's newer SN arriving through another next hop first waits this long for the current
	 * next hop's copy before it moves the path (0: take the first copy, as Linux does). */
	uint32_t next_hop_hold_ms;
	uint32_t sweep_interval_ms;      /* how often expired paths are removed */
	uint32_t initial_sn;             /* own HWMP SN at start (tests start near 2^32 to cross the wrap) */
	uint32_t max_paths;              /* mesh destinations remembered */
	uint32_t max_proxies;            /* remote proxied stations remembered */
	uint32_t max_local_proxies;      /* stations behind this node */
	uint32_t max_discoveries;        /* concurrent path discoveries */
	uint32_t max_pending_perr;       /* PERR destinations waiting for the rate limit */
};

/* What the engine reports about a path (also what hwmp_lookup returns). */
struct hwmp_path_info {
	struct mac_addr dest;            /* the mesh destination (a mesh node) */
	struct mac_addr next_hop;
	uint32_t metric;
	uint32_t sn;
	uint8_t hop_count;
	bool sn_valid;
	bool is_root;
	bool is_gate;
	/* From a PREP or a root's announcement. Paths learned as a flood's reverse path may miss the best
	 * route (the flood stops at its target), and a neighbour heard directly has no SN. */
	bool confirmed;
	uint32_t changes;                /* how often the next hop changed (Linux's path_change_count) */
	uint64_t expiry_ms;
};

/* What hwmp_lookup found for an address. */
struct hwmp_route {
	struct hwmp_path_info path;      /* the path to the mesh node that handles the address */
	bool proxied;                    /* the address is a station behind path.dest */
	bool via_gate;                   /* not found: sent to a gate/root as default route */
};

enum hwmp_discovery_result {
	HWMP_DISCOVERY_FOUND = 0,
	HWMP_DISCOVERY_VIA_GATE,         /* not found; a gate takes the frames (route->via_gate) */
	HWMP_DISCOVERY_FAILED,           /* no path, no gate: drop the queued frames */
};

struct hwmp_callbacks {
	void *ctx;
	/* Transmit one HWMP element (id+len+body) to receiver (a neighbour or broadcast). */
	void (*send)(void *ctx, const struct mac_addr *receiver, const uint8_t *element, size_t len);
	/* A path to path->dest was added or changed. */
	void (*path_install)(void *ctx, const struct hwmp_path_info *path);
	/* The path to dest is no longer usable. */
	void (*path_remove)(void *ctx, const struct mac_addr *dest);
	/* station is reachable behind mesh node mesh_node. */
	void (*proxy_install)(void *ctx, const struct mac_addr *station, const struct mac_addr *mesh_node);
	/* The remote station mapping expired. */
	void (*proxy_remove)(void *ctx, const struct mac_addr *station);
	/* Discovery for dest ended; route is NULL when result is HWMP_DISCOVERY_FAILED. */
	void (*discovery_done)(void *ctx, const struct mac_addr *dest, enum hwmp_discovery_result result,
			       const struct hwmp_route *route);
	/* Optional: whether receiver (for a group address: every peer it reaches) understands PREQs with
	 * several targets or AE. When not, PREQs we originate carry one target and no AE, as Linux's do
	 * (the glue converts everything else it sends; lib/hwmp_legacy.h). NULL: everyone does. */
	bool (*extended_ok)(void *ctx, const struct mac_addr *receiver);
};

/* Every event the engine sees or causes. Kept as plain uint64_t so tests and telemetry can diff them. */
struct hwmp_counters {
	uint64_t preq_tx, preq_rx, preq_fwd, preq_targets_tx, preq_rate_limited;
	uint64_t prep_tx, prep_rx, prep_fwd, prep_intermediate_tx, prep_no_reverse_path;
	uint64_t perr_tx, perr_rx, perr_dests_tx, perr_dests_invalidated, perr_dropped_queue_full;
	uint64_t rann_tx, rann_rx, rann_fwd, gann_tx, gann_rx, gann_fwd, proactive_preq_tx;
	uint64_t root_registrations;     /* unicast PREQs sent to a root after a RANN */
	uint64_t discovery_started, discovery_ok, discovery_failed, discovery_via_gate, discovery_retries;
	uint64_t discovery_table_full;
	uint64_t path_installed, path_removed, path_expired, path_table_full, path_refresh, path_confirm;
	uint64_t path_refresh_costlier;  /* same next hop, same SN, higher metric: lifetime extended, metric kept */
	uint64_t path_refresh_other_hop; /* our discovery answered via another next hop, same SN, no better: lifetime extended */
	uint64_t info_rejected_stale;    /* PREQ/PREP/RANN with older SN or no better metric */
	uint64_t path_offers_held;       /* newer SNs through another next hop, held for the current one's copy */
	uint64_t path_holds_forgiven;    /* ... dropped: the current next hop is late (missing floods < refresh time) */
	uint64_t path_holds_taken;       /* ... taken after all: it missed floods for the path refresh time */
	uint64_t proxy_learned, proxy_table_full, local_proxy_table_full, proxy_replies;
	/* rejected elements: nothing changed */
	uint64_t rejected_malformed;     /* the decoder refused it (truncated, bad length, bad count) */
	uint64_t rejected_bad_ttl;       /* element TTL 0 */
	uint64_t rejected_bad_address;   /* group/zero/own transmitter or originator */
	uint64_t rejected_unknown_element;
	uint64_t rejected_own;           /* our own element echoed back by a neighbour */
	uint64_t neighbour_lost;
};

struct hwmp_engine;

/* Fills params from the node config (standard/Linux defaults live there) and sizes tables for
 * path_entries destinations; TU values are converted to ms. */
void hwmp_params_from_config(struct hwmp_params *p, const struct hwmp_config *hc, const struct mesh_config *mc,
			     uint32_t path_entries);

/* Linux's defaults with tables for max_paths destinations (for tests and the simulator). */
void hwmp_params_default(struct hwmp_params *p, uint32_t max_paths);

/* Converts time units (1024 µs) to ms, rounding to nearest, saturating. */
uint32_t hwmp_tu_to_ms(uint32_t tu);

/* Converts ms to TU, rounding to nearest, saturating. */
uint32_t hwmp_ms_to_tu(uint32_t ms);

/* A new engine for node self; NULL on bad params or ENOMEM. Starts announcing at now_ms when a root. */
struct hwmp_engine *hwmp_create(const struct mac_addr *self, const struct hwmp_params *params,
				const struct hwmp_callbacks *cb, uint64_t now_ms);

/* Replaces the engine's parameters (a config reload): timers, intervals, flags and root mode take
 * effect from now_ms, a changed root schedule at once; paths and discoveries are kept. -1 (nothing
 * changed) when p is invalid or changes a table size. */
int hwmp_set_params(struct hwmp_engine *e, const struct hwmp_params *p, uint64_t now_ms);

/* Frees the engine (NULL is fine). No callback runs. */
void hwmp_destroy(struct hwmp_engine *e);

/* One received element body (after id+len) from neighbour transmitter over a link of the given
 * airtime metric. Returns 0 when processed, a negative codec_status or -1 when rejected (counted). */
int hwmp_rx_element(struct hwmp_engine *e, const struct mac_addr *transmitter, uint32_t link_metric,
		    uint8_t id, const uint8_t *body, size_t len, uint64_t now_ms);

/* Runs timers due at now_ms: queued PREQ/PERR, discovery retries, announcements, expiry. */
void hwmp_tick(struct hwmp_engine *e, uint64_t now_ms);

/* The earliest time hwmp_tick has work to do (UINT64_MAX: none until another input). */
uint64_t hwmp_next_deadline(const struct hwmp_engine *e);

/* Data waits for dest: starts a discovery unless a path exists or one is running. Returns 1 when a
 * usable route exists already, 0 when a discovery runs, -1 when refused (table full, dest invalid). */
int hwmp_need_path(struct hwmp_engine *e, const struct mac_addr *dest, uint64_t now_ms);

/* As hwmp_need_path, announcing src_station (a station behind us, or NULL) as the PREQ's AE address so
 * that the target learns where that station lives. */
int hwmp_need_path_from(struct hwmp_engine *e, const struct mac_addr *dest, const struct mac_addr *src_station,
			uint64_t now_ms);

/* Locally originated traffic flows to dest: refreshes the path before it expires, and confirms by a
 * discovery of our own a path that was only overheard. */
void hwmp_path_used(struct hwmp_engine *e, const struct mac_addr *dest, uint64_t now_ms);

/* The peer link to neighbour is gone: invalidate the paths through it and send PERR. */
void hwmp_neighbour_lost(struct hwmp_engine *e, const struct mac_addr *neighbour, uint64_t now_ms);

/* A frame for mesh destination dest could not be forwarded (no path): tell the others by PERR. */
void hwmp_forward_failed(struct hwmp_engine *e, const struct mac_addr *dest, uint64_t now_ms);

/* station sits behind this node (access/lan port): answer PREQs for it. 0, or -1 when the table is full. */
int hwmp_local_proxy_add(struct hwmp_engine *e, const struct mac_addr *station);

/* station left this node. */
void hwmp_local_proxy_remove(struct hwmp_engine *e, const struct mac_addr *station);

/* Resolves dest (a mesh node, a remote station, or a gate-routed address) at now_ms; true if usable. */
bool hwmp_lookup(const struct hwmp_engine *e, const struct mac_addr *dest, uint64_t now_ms,
		 struct hwmp_route *route);

/* The engine's counters (live; read-only). */
const struct hwmp_counters *hwmp_get_counters(const struct hwmp_engine *e);

/* This node's current HWMP sequence number. */
uint32_t hwmp_own_sn(const struct hwmp_engine *e);

/* Calls fn for every stored path (active or not) in table order; for dumps and tests. */
void hwmp_foreach_path(const struct hwmp_engine *e, void (*fn)(void *arg, const struct hwmp_path_info *p, bool active),
		       void *arg, uint64_t now_ms);

/* Number of destinations with an active path at now_ms. */
uint32_t hwmp_active_paths(const struct hwmp_engine *e, uint64_t now_ms);

#endif
