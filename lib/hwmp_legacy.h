/* HWMP elements in the forms Linux mac80211 accepts (PROTOCOL.md, "the interop rule"): it silently
 * ignores a PREQ that is not exactly one target without AE (37 octets), a PREP with AE, and a PERR
 * with more than one destination. meshplane's richer forms go only to peers that announced they
 * understand them; this converts for everyone else. Pure codec, no DPDK. */
#ifndef MESHPLANE_HWMP_LEGACY_H
#define MESHPLANE_HWMP_LEGACY_H

#include <stddef.h>
#include <stdint.h>

/* Receives one converted element (id, length, body). */
typedef void (*hwmp_legacy_emit)(void *ctx, const uint8_t *element, size_t len);

/* Emits the Linux forms of one whole HWMP element (id and length first):
 * - PREQ: one PREQ per target, without the originator's external address. Linux takes only the first
 *   of several PREQs with the same originator SN; originators avoid this by sending one target per
 *   PREQ towards such peers, forwarders cannot and let the others be re-asked.
 * - PREP with AE ("station X is behind target T"): a PREP whose target is X, as Linux answers for a
 *   station it asked about as if it were a mesh node (its frames then reach T, which delivers them).
 * - PERR: one PERR per destination, without external addresses.
 * - anything else (RANN, GANN, Linux-form elements): unchanged.
 * Returns the number of elements emitted, or a negative codec_status when the element is malformed. */
int hwmp_legacy_forms(const uint8_t *element, size_t len, hwmp_legacy_emit emit, void *ctx);

/* True when a whole HWMP element is already in a form Linux accepts. */
int hwmp_is_legacy_form(const uint8_t *element, size_t len);

#endif
