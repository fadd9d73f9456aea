/* Telemetry /meshplane/events: the control thread's event log, read without locks. */
#ifndef MESHPLANE_DP_TELEMETRY_EVENTS_H
#define MESHPLANE_DP_TELEMETRY_EVENTS_H

/* Registers /meshplane/events; 0 or a negative errno. */
int telemetry_events_register(void);

#endif
