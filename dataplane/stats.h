/* Per-lcore counters: each worker writes only its own block, readers sum them. */
#ifndef MESHPLANE_DP_STATS_H
#define MESHPLANE_DP_STATS_H

#include <stdint.h>

#include <rte_common.h>
#include <rte_lcore.h>

#include "config.h"
#include "frame_class.h"

/* Forwarding counters; tx_packets counts by egress port, everything else by ingress port. */
#define DP_COUNTERS(X)                                                                          \
	X(tx_packets)          /* frames handed to the port's tx queue */                         \
	X(encap_unicast)       /* Ethernet -> unicast mesh data */                                \
	X(encap_group)         /* Ethernet group frame -> mesh flood (one per mesh port) */       \
	X(decap_unicast)       /* unicast mesh data for us or our stations -> Ethernet */         \
	X(decap_group)         /* group mesh data delivered to the local ports */                 \
	X(mesh_forward)        /* unicast mesh data forwarded to the next hop */                  \
	X(mesh_reflood)        /* group mesh data flooded on once */                              \
	X(mesh_control_bit_missing) /* mesh data without the Mesh Control Present bit (Linux 6.1 forwards so) */ \
	X(bridge_forward)      /* Ethernet to a known station on another local port */           \
	X(bridge_flood)        /* Ethernet copies flooded to the other local ports */             \
	X(host_deliver)        /* frames for this node's own address handed to its host port */   \
	X(link_local_to_host)  /* link-local frames (LLDP...) from a lan port to the host port */  \
	X(link_local_out)      /* link-local frames from the host port sent out the lan ports */  \
	X(punt_mgmt)           /* management frames handed to the control thread */              \
	X(punt_no_path)        /* frames waiting for a path or proxy in the control thread */     \
	X(punt_echo)           /* mesh echo (meshctl ping/traceroute) for us, or whose TTL ran out */ \
	X(learn_events)        /* new or moved source addresses reported to the control thread */ \
	X(ccmp_decrypted)      /* secure mesh: mesh data frames decrypted and verified */         \
	X(ccmp_encrypted)      /* secure mesh: mesh data frames encrypted for their receiver */   \
	X(drop_not_for_us)     /* unicast mesh data whose receiver (A1) is another node */         \
	X(drop_not_peer)       /* mesh data from a transmitter that is not an established peer */  \
	X(drop_own_frame)      /* mesh frames we sent ourselves, heard back */                    \
	X(drop_ttl_expired)    /* mesh TTL would reach 0 */                                       \
	X(drop_duplicate)      /* group mesh data already seen (recent multicast cache) */        \
	X(drop_hairpin)        /* destination is on the port the frame came in on */              \
	X(drop_no_route)       /* transit frame for a mesh node we have no path to */             \
	X(drop_to_self)        /* addressed to this node's own address: no host port */          \
	X(drop_link_local)     /* link-local frame not from a lan port, or no host port to take it */ \
	X(drop_punt_ring_full) /* control thread ring full */                                     \
	X(drop_event_ring_full)/* learn/no-path report lost: ring full (frame still forwarded) */ \
	X(drop_no_key)         /* no key: for the receiver of a secure mesh frame (tx), or protected \
				  HWMP received in an open mesh */                                 \
	X(drop_tx_full)        /* tx queue full */                                                \
	X(drop_host_refused)   /* the host port took no more: its kernel interface is down (or busy) */ \
	X(drop_port_down)      /* out port being restarted (memif reconnect) */                   \
	X(drop_no_mbuf)        /* no mbuf for a flood copy */                                     \
	X(drop_no_headroom)    /* mbuf headroom too small to encapsulate */

enum dp_counter {
#define DP_COUNTER_ENUM(name) DP_##name,
	DP_COUNTERS(DP_COUNTER_ENUM)
#undef DP_COUNTER_ENUM
	DP_COUNTER_COUNT
};

struct port_counters {
	uint64_t rx_packets;
	uint64_t rx_bytes;
	uint64_t classes[FRAME_CLASS_COUNT];
	uint64_t dp[DP_COUNTER_COUNT];
};

struct lcore_counters {
	uint64_t polls;
	uint64_t idle_sleeps;
	uint64_t busy_cycles; /* TSC cycles of the polls that received something, processing included */
	struct port_counters ports[CONFIG_MAX_PORTS];
} __rte_cache_aligned;

extern struct lcore_counters lcore_counters[RTE_MAX_LCORE];

/* Adds n to a counter owned by the calling lcore; readers on other threads see whole values. */
static inline void counter_add(uint64_t *counter, uint64_t n)
{
	__atomic_store_n(counter, *counter + n, __ATOMIC_RELAXED);
}

/* Reads a counter another lcore may be writing. */
static inline uint64_t counter_read(const uint64_t *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

/* True for the drop_* forwarding counters. */
static inline int dp_counter_is_drop(enum dp_counter c)
{
	return c >= DP_drop_not_for_us && c < DP_COUNTER_COUNT;
}

/* Name of a forwarding counter ("tx_packets", ...). */
const char *dp_counter_name(enum dp_counter c);

/* Sums every lcore's counters of one port into out. */
void stats_sum_port(unsigned port_index, struct port_counters *out);

#endif
