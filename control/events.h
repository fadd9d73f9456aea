/* The event log: a ring of the last EVENTS_LOG_SIZE moments an operator watches (peers up and down,
 * path changes, failed discoveries, stations connecting, moving, steered away, carrier changes),
 * each with a sequence number, for `meshctl monitor` through telemetry /meshplane/events.
 * The control thread is the only writer and nothing is allocated per event; readers (telemetry
 * threads) take no lock: every slot carries its sequence number, cleared before and written after
 * the body, so a reader that sees the same number on both sides of its copy has a consistent one. */
#ifndef MESHPLANE_CONTROL_EVENTS_H
#define MESHPLANE_CONTROL_EVENTS_H

#include <stdint.h>

#include "mac.h"

#define EVENTS_LOG_SIZE 1024 /* a power of two */
#define EVENT_NO_PORT 0xff

#define EVENT_TYPES(X)                                                                              \
	X(peer_up)              /* a neighbour became a peer (ESTAB, or static at start) */          \
	X(peer_down)            /* a peer link ended (Close, silence, carrier loss) */               \
	X(peer_moved)           /* a peer's traffic moved to another of its ports (wire <-> radio) */ \
	X(path_new)             /* HWMP installed a path to a destination that had none */           \
	X(path_changed)         /* a path's next hop or metric changed */                            \
	X(path_removed)         /* HWMP removed a path (expired, PERR, lost next hop) */             \
	X(discovery_failed)     /* a path discovery found nothing; the frames waiting were dropped */ \
	X(station_connected)    /* hostapd reported a station on one of our access ports */          \
	X(station_disconnected) /* hostapd reported it gone */                                       \
	X(station_moved)        /* a known station is now somewhere else (another port or node) */   \
	X(station_steered)      /* our hostapd told to deauthenticate a station that roamed away */  \
	X(link_down)            /* a port's carrier went down */                                     \
	X(link_up)              /* ... and came back */

enum event_type {
#define EVENT_TYPE_ENUM(name) EVENT_##name,
	EVENT_TYPES(EVENT_TYPE_ENUM)
#undef EVENT_TYPE_ENUM
	EVENT_TYPE_COUNT
};

/* What an event says; which fields mean something depends on the type (telemetry.c names them). */
struct event_body {
	uint64_t time_ms;          /* node time (node_now_ms) */
	uint32_t old_metric, metric;
	uint8_t type;              /* enum event_type */
	uint8_t port, old_port;    /* port indices, or EVENT_NO_PORT */
	uint8_t hops;
	struct mac_addr mac;       /* the peer, path destination or station */
	struct mac_addr old_addr;  /* previous next hop; a station's previous node */
	struct mac_addr addr;      /* next hop; a station's node now */
};

struct event {
	uint64_t seq; /* 1, 2, ... */
	struct event_body body;
};

/* Name of an event type ("peer_up", ...). */
const char *event_type_name(enum event_type t);

/* Empties the log (before the control thread starts). */
void events_reset(void);

/* Control thread only: appends an event, stamped with the next sequence number. */
void events_log(const struct event_body *body);

/* Any thread: copies up to max events with seq >= since (oldest first) into out and returns how
 * many. *next is the seq to ask for next time; *lost counts the events from since on that were
 * overwritten before they could be read (the reader fell more than EVENTS_LOG_SIZE behind). */
unsigned events_read(uint64_t since, struct event *out, unsigned max, uint64_t *next, uint64_t *lost);

/* The seq the next event will get. */
uint64_t events_next_seq(void);

#endif
