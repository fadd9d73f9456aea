/* Per-frame forwarding decisions of a worker: classify, then decap / encap / mesh forward /
 * bridge / flood / punt (DESIGN §3). */
#ifndef MESHPLANE_DP_FORWARD_H
#define MESHPLANE_DP_FORWARD_H

#include <stdint.h>

#include <rte_mbuf.h>

#include "config.h"
#include "ccmp.h"
#include "peer_set.h"
#include "rmc.h"
#include "stats.h"

#define TX_BATCH 64
/* Largest rx burst forward_burst takes (rte_hash bulk lookups take at most 64 keys). */
#define WORKER_BURST_MAX 64

/* A frame's encryption, readied when it is queued and done for the whole batch when it is sent. */
struct tx_crypto {
	const struct ccmp_key *key; /* NULL: sent as it is */
	uint64_t pn;
	uint16_t rt;                /* link header length: radiotap or the wired mesh header */
	uint8_t hl;                 /* 802.11 header length */
	uint8_t key_id;
};

struct tx_batch {
	uint16_t n;
	struct rte_mbuf *pkts[TX_BATCH];
	struct tx_crypto crypto[TX_BATCH]; /* secure mesh ports only */
};

struct worker_ctx {
	uint16_t queue;             /* this worker's queue on every port, and its RCU thread id */
	struct lcore_counters *cnt;
	struct tx_batch tx[CONFIG_MAX_PORTS];
	struct rmc rmc;
	uint64_t now_ms;
	uint64_t now_s;
	uint32_t mesh_seq; /* sequence numbers of the unicast mesh frames this worker originates */
	struct peer_cache peer_cache; /* the last transmitter found among the peers */
	struct peer_cache tx_peer_cache; /* the last receiver whose keys encrypted a frame */
	struct ccmp_engine *ccmp;     /* secure mesh: this worker's AES-CCM manager */
	struct ccmp_batch *crypto;    /* ... and the burst it encrypts or decrypts at once */
};

/* Handles a burst received on port index in; every mbuf is consumed (sent, punted or freed). */
void forward_burst(struct worker_ctx *w, unsigned in, struct rte_mbuf **pkts, uint16_t n);

/* Forwards an Ethernet frame again as if received on local port in (held frames released). */
void forward_reinject(struct worker_ctx *w, unsigned in, struct rte_mbuf *m);

/* Queues m for transmission on port index out, flushing the batch when full. */
void forward_tx(struct worker_ctx *w, unsigned out, struct rte_mbuf *m);

/* Sends every queued frame; frames the port refuses are freed and counted. */
void forward_flush(struct worker_ctx *w);

#endif
