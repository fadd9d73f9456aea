/* HWMP information elements: PREQ, PREP, PERR, RANN, GANN (802.11-2012 8.4.2.113-117).
 * Decoders take the element body (after ID and length); encoders write the whole element. */
#ifndef MESHPLANE_HWMP_ELEMENTS_H
#define MESHPLANE_HWMP_ELEMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mac.h"

#define HWMP_MAX_TARGETS 20
#define HWMP_MAX_PERR_DESTS 19

/* PREQ flags */
#define HWMP_PREQ_F_GATE 0x01
#define HWMP_PREQ_F_ADDR_MODE 0x02
#define HWMP_PREQ_F_PROACTIVE_PREP 0x04
/* PREQ, PREP and PERR-destination flags: an external (proxied) address follows. */
#define HWMP_F_AE 0x40
/* PREQ per-target flags */
#define HWMP_TARGET_F_TO 0x01  /* target only: intermediate nodes must not reply */
#define HWMP_TARGET_F_USN 0x04 /* target sequence number unknown */
/* RANN / GANN flags */
#define HWMP_RANN_F_GATE 0x01

/* PERR reason codes (802.11-2012 Table 8-36). */
#define HWMP_REASON_MESH_PATH_ERROR 61
#define HWMP_REASON_NO_FORWARDING_INFO 62
#define HWMP_REASON_DEST_UNREACHABLE 63

#define HWMP_PREQ_BASE_LEN 26
#define HWMP_PREQ_TARGET_LEN 11
#define HWMP_PREP_LEN 31
#define HWMP_PERR_BASE_LEN 2
#define HWMP_PERR_DEST_LEN 13
#define HWMP_RANN_LEN 21
#define HWMP_GANN_LEN 15

struct hwmp_preq_target {
	uint8_t flags;
	struct mac_addr addr;
	uint32_t sn;
};

struct hwmp_preq {
	uint8_t flags;
	uint8_t hop_count;
	uint8_t ttl;
	uint32_t discovery_id;
	struct mac_addr orig;
	uint32_t orig_sn;
	struct mac_addr orig_ext; /* valid when flags & HWMP_F_AE */
	uint32_t lifetime_tu;
	uint32_t metric;
	uint8_t target_count; /* 1..HWMP_MAX_TARGETS */
	struct hwmp_preq_target targets[HWMP_MAX_TARGETS];
};

struct hwmp_prep {
	uint8_t flags;
	uint8_t hop_count;
	uint8_t ttl;
	struct mac_addr target;
	uint32_t target_sn;
	struct mac_addr target_ext; /* valid when flags & HWMP_F_AE */
	uint32_t lifetime_tu;
	uint32_t metric;
	struct mac_addr orig;
	uint32_t orig_sn;
};

struct hwmp_perr_dest {
	uint8_t flags;
	struct mac_addr addr;
	uint32_t sn;
	struct mac_addr ext; /* valid when flags & HWMP_F_AE */
	uint16_t reason;
};

struct hwmp_perr {
	uint8_t ttl;
	uint8_t dest_count; /* 1..HWMP_MAX_PERR_DESTS */
	struct hwmp_perr_dest dests[HWMP_MAX_PERR_DESTS];
};

struct hwmp_rann {
	uint8_t flags;
	uint8_t hop_count;
	uint8_t ttl;
	struct mac_addr root;
	uint32_t root_sn;
	uint32_t interval_tu;
	uint32_t metric;
};

struct hwmp_gann {
	uint8_t flags;
	uint8_t hop_count;
	uint8_t ttl;
	struct mac_addr gate;
	uint32_t gann_sn;
	uint16_t interval_tu;
};

/* Decodes a PREQ body; CODEC_ERR_BAD_COUNT for 0 or > 20 targets, CODEC_ERR_BAD_LENGTH on mismatch. */
int hwmp_preq_decode(const uint8_t *body, size_t len, struct hwmp_preq *out);
/* Writes a PREQ element; returns its length (2 + body) or < 0. */
int hwmp_preq_encode(uint8_t *out, size_t cap, const struct hwmp_preq *preq);

/* Decodes a PREP body (31 octets, 37 with AE). */
int hwmp_prep_decode(const uint8_t *body, size_t len, struct hwmp_prep *out);
/* Writes a PREP element; returns its length or < 0. */
int hwmp_prep_encode(uint8_t *out, size_t cap, const struct hwmp_prep *prep);

/* Decodes a PERR body with 1..19 destinations, each with or without AE. */
int hwmp_perr_decode(const uint8_t *body, size_t len, struct hwmp_perr *out);
/* Writes a PERR element; CODEC_ERR_TOO_LONG when the destinations exceed 255 octets. */
int hwmp_perr_encode(uint8_t *out, size_t cap, const struct hwmp_perr *perr);

/* Decodes a RANN body (21 octets). */
int hwmp_rann_decode(const uint8_t *body, size_t len, struct hwmp_rann *out);
/* Writes a RANN element; returns 23 or < 0. */
int hwmp_rann_encode(uint8_t *out, size_t cap, const struct hwmp_rann *rann);

/* Decodes a GANN body (15 octets). */
int hwmp_gann_decode(const uint8_t *body, size_t len, struct hwmp_gann *out);
/* Writes a GANN element; returns 17 or < 0. */
int hwmp_gann_encode(uint8_t *out, size_t cap, const struct hwmp_gann *gann);

#endif
