/* The generator loop: one lcore transmits and receives, so the whole tool fits two cores. */
#ifndef MESHGEN_WORKER_H
#define MESHGEN_WORKER_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "ccmp.h"
#include "frames.h"
#include "latency.h"

#define MG_BURST 32
/* imix: 7 × 64, 4 × 594, 1 × 1518, interleaved. */
#define MG_IMIX_PATTERN 12
#define MG_CAPTURE_SNAP 2048

/* Counters the worker publishes (single writer, relaxed stores) for the progress lines. */
struct mg_counters {
	uint64_t tx_packets, tx_bits;
	uint64_t rx_packets, rx_bits;
	uint64_t rx_other;     /* frames on the rx port without meshgen's payload */
	uint64_t reordered;    /* sequence number not above the flow's highest so far */
	uint64_t tx_port_rx;   /* frames drained from the tx port when it is not the rx port */
	uint64_t tx_nombuf;    /* bursts skipped because the pool was empty */
	/* CCMP (--mtk/--mgtk) */
	uint64_t tx_ccmp_encrypted;   /* frames built protected */
	uint64_t rx_ccmp_decrypted;   /* protected frames whose MIC verified: decrypted, then measured */
	uint64_t rx_ccmp_mic_failure; /* protected frames whose MIC did not verify (or malformed): dropped */
	uint64_t rx_ccmp_no_key;      /* protected frames under a key ID we were given no key for: dropped */
	uint64_t rx_ccmp_replay;      /* PN not above the last one under that key: counted, still measured */
};

struct mg_run {
	/* set up by main before launch */
	uint16_t tx_port, rx_port;
	uint16_t queues;       /* rx queues polled on each port */
	struct rte_mempool *pool;
	struct mg_template *templates;      /* owned: what pattern points into */
	const struct mg_template **pattern; /* sent in this order, round robin */
	unsigned n_pattern;
	uint16_t rx_payload_off;          /* where the rx kind carries the payload */
	uint32_t flows, stations, mesh_dests;
	uint64_t sta_src_base, sta_dst_base, mesh_da_base;
	uint64_t rate_pps;                /* 0 = max */
	uint64_t max_debt;                /* frames a paced run may lag before credit is dropped */
	uint64_t count;                   /* 0 = until duration */
	uint64_t duration_tsc, drain_tsc;
	uint64_t restamp_tsc;             /* frames waiting longer than this get a fresh timestamp */
	uint64_t *tx_seq, *rx_seq;        /* per flow, calloc'ed by main */
	uint8_t *capture;                 /* capture_max × MG_CAPTURE_SNAP bytes, or NULL */
	uint16_t *capture_len;
	unsigned capture_max;
	volatile bool *stop;              /* set by the signal handler */
	/* CCMP: ccmp is NULL without keys. The engine belongs to the worker lcore once launched. */
	struct ccmp_engine *ccmp;
	struct ccmp_key mtk, mgtk;
	bool has_mtk, has_mgtk;
	bool radiotap;                    /* received mesh frames start with radiotap */
	bool wired;                       /* ... or with the wired mesh link header */
	uint64_t pn_start;                /* the first PN under each key */
	uint64_t rx_pn_mtk, rx_pn_mgtk;   /* the highest PN received under each key */

	/* written by the worker */
	struct mg_counters live;          /* read by main while running */
	volatile bool done;
	unsigned captured;
	struct mg_latency lat;            /* TSC cycles; read after the worker returned */
	uint64_t t_start, t_tx_end, t_end;
};

/* lcore entry point (arg: struct mg_run *): transmits until duration/count/stop, then receives
 * for drain_tsc more; returns 0. */
int mg_worker_main(void *arg);

#endif
