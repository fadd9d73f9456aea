/* The key log (meshplane --key-log FILE): every CCMP key the node starts using, appended to FILE in
 * Wireshark's 802.11 decryption-key table format ("tk","<hex>"), so that a capture of the air can be
 * read with tshark (WIRESHARK_CONFIG_DIR holding the file as 80211_keys). A debugging aid like TLS's
 * SSLKEYLOGFILE: it defeats the protection for anyone who can read the file, which is created
 * readable by its owner only; off unless the option is given. */
#ifndef MESHPLANE_CONTROL_KEY_LOG_H
#define MESHPLANE_CONTROL_KEY_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "mac.h"

/* Opens (creates, mode 0600, or appends to) path; NULL closes. 0, or -1 with the reason logged. */
int key_log_open(const char *path);

/* Closes the log. */
void key_log_close(void);

/* Appends one key with a comment line naming what it is (own MGTK, MTK with a peer, a peer's MGTK)
 * and the peer (NULL for our own); a no-op without a log. */
void key_log_write(const char *what, const struct mac_addr *peer, const uint8_t *key, size_t len);

#endif
