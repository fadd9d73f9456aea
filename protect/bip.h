/* BIP-CMAC-128 (802.11-2020 §12.5.4): integrity of group-addressed robust management frames (in a
 * mesh: HWMP PREQ, PERR, RANN and GANN broadcasts) with the sender's IGTK. The frame gets a
 * Management MIC element (MMIE, id 76: Key ID, IPN, 8-octet MIC) as its last element; the MIC is
 * AES-CMAC (OpenSSL, peering/mesh_crypto.h) over the masked header and the body with the MIC zeroed.
 * Control-thread code: frames of a few hundred octets, a stack buffer. */
#ifndef MESHPLANE_PROTECT_BIP_H
#define MESHPLANE_PROTECT_BIP_H

#include <stddef.h>
#include <stdint.h>

#define BIP_IGTK_LEN 16
#define BIP_MMIE_LEN 18 /* id, length 16, Key ID 2, IPN 6, MIC 8 */
#define BIP_MAX_FRAME 2048
#define BIP_IPN_MAX 0xffffffffffffULL

/* Appends the MMIE to frame[0, *len) (a management frame, 24-octet header) under igtk with key_id and
 * ipn, growing *len by BIP_MMIE_LEN (cap: the buffer's size). 0, or -1 on bad sizes. */
int bip_protect(const uint8_t igtk[BIP_IGTK_LEN], uint8_t *frame, size_t *len, size_t cap, uint16_t key_id,
		uint64_t ipn);

/* Reads the MMIE that ends frame: key ID and IPN; -1 when the frame does not end with one. */
int bip_mmie_read(const uint8_t *frame, size_t len, uint16_t *key_id, uint64_t *ipn);

/* Checks the MMIE of frame under igtk: 0 (the frame without its MMIE is len - BIP_MMIE_LEN octets),
 * -1 when there is no MMIE, -2 when the MIC does not verify. */
int bip_verify(const uint8_t igtk[BIP_IGTK_LEN], const uint8_t *frame, size_t len);

#endif
