/* Live config changes: SIGHUP or /meshplane/reload (meshctl reload) re-reads the config file; a bad
 * file, or one that changes a key a running node cannot take (config_key_is_live), changes nothing
 * and is answered with the reason naming the file's problem or the key; otherwise the changes are
 * applied on the control thread between two loop turns, without stopping the workers. */
#ifndef MESHPLANE_CONTROL_RELOAD_H
#define MESHPLANE_CONTROL_RELOAD_H

#include <stddef.h>
#include <stdint.h>

#define RELOAD_MSG_MAX 512

/* Remembers the file to re-read (the one the node started from). */
void reload_init(const char *config_path);

/* Async-signal-safe: asks for a reload (SIGHUP); its outcome is logged. */
void reload_request_async(void);

/* Telemetry side: asks for a reload and waits up to 5 s for its outcome; 0 applied (or nothing to
 * change), 1 refused or failed, -1 no answer; msg says what happened. */
int reload_request(char *msg, size_t len);

/* Control side: carries out a pending reload, if any. */
void reload_serve(uint64_t now_ms);

#endif
