/* The control thread: the single writer of the FDB and path table. It applies the workers'
 * learn reports, holds frames that wait for a path, ages entries and reclaims retired ones.
 * (HWMP, neighbours and hostapd sync plug in here with later issues.) */
#ifndef MESHPLANE_CONTROL_H
#define MESHPLANE_CONTROL_H

#include <stdint.h>

#define CONTROL_COUNTERS(X)                                                                 \
	X(mgmt_frames)          /* management frames received (consumed by HWMP from issue 5) */ \
	X(fdb_learned)          /* FDB entries added or moved from worker reports */            \
	X(fdb_refused)          /* FDB full: learn refused */                                   \
	X(fdb_aged)             /* dynamic FDB entries removed after fdb_aging_s */             \
	X(paths_expired)        /* paths removed at their expiry */                             \
	X(no_path_events)       /* workers found no path to a mesh node */                      \
	X(pending_held)         /* frames held while waiting for a path or proxy */             \
	X(pending_released)     /* held frames forwarded once the destination became known */   \
	X(drop_pending_full)    /* frames refused: queue of that destination, or all queues, full */ \
	X(drop_no_path)         /* held frames dropped: destination still unknown at timeout */ \
	X(drop_reinject_full)   /* released frames lost: reinjection ring full */

enum control_counter {
#define CONTROL_COUNTER_ENUM(name) CONTROL_##name,
	CONTROL_COUNTERS(CONTROL_COUNTER_ENUM)
#undef CONTROL_COUNTER_ENUM
	CONTROL_COUNTER_COUNT
};

extern uint64_t control_counters[CONTROL_COUNTER_COUNT];

/* Name of a control counter. */
const char *control_counter_name(enum control_counter c);

/* Allocates the pending-frame store; 0 or -1. */
int control_init(void);

/* Runs on the main lcore until the node stops or duration_ms passes (0 = no limit). */
void control_run(uint64_t duration_ms);

/* Frees held frames and the pending store. */
void control_fini(void);

#endif
