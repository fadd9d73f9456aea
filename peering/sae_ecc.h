/* SAE's elliptic-curve math (802.11-2020 §12.4.4.2, §12.4.5): the password element by
 * hunting-and-pecking and by hash-to-element (simplified SWU, then PT -> PWE), the Commit values,
 * the shared secret, KCK/PMK/PMKID and the Confirm. Groups 19, 20 and 21 (NIST P-256/384/521) over
 * OpenSSL's EC_GROUP and BIGNUM. Every value crosses this interface as a fixed-size big-endian octet
 * string (scalars prime_len octets, elements x || y), so sessions hold no libcrypto objects and can
 * be wiped with one memset. Functions return 0 on success and -1 on failure unless said otherwise.
 * A group object is not thread-safe (it keeps a BN_CTX). */
#ifndef MESHPLANE_PEERING_SAE_ECC_H
#define MESHPLANE_PEERING_SAE_ECC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mac.h"

#define SAE_MAX_PRIME_LEN 66   /* P-521 */
#define SAE_MAX_ELEMENT_LEN (2 * SAE_MAX_PRIME_LEN)
#define SAE_MAX_HASH_LEN 64
#define SAE_PMK_LEN 32
#define SAE_PMKID_LEN 16
#define SAE_HNP_MIN_ITERATIONS 40 /* hostap's dragonfly_min_pwe_loop_iter for ECC groups */
#define SAE_HNP_MAX_ITERATIONS 200

struct sae_group;

/* True for the groups this module implements (19, 20, 21). */
bool sae_group_supported(uint16_t id);

/* The parameters of group id, or NULL when unsupported or out of memory. */
struct sae_group *sae_group_new(uint16_t id);

/* Frees a group (NULL is fine). */
void sae_group_free(struct sae_group *g);

/* IANA number of the group. */
uint16_t sae_group_id(const struct sae_group *g);

/* Octets of the prime (scalar and coordinate size on the air). */
size_t sae_group_prime_len(const struct sae_group *g);

/* Hash length hash-to-element uses with this group (32, 48, 64; hunting-and-pecking always 32). */
size_t sae_group_h2e_hash_len(const struct sae_group *g);

/* PWE by hunting-and-pecking (§12.4.4.2.2): pwd-seed = HMAC-SHA256(max(a,b) || min(a,b),
 * password || counter), at least SAE_HNP_MIN_ITERATIONS rounds whatever round succeeds, so the
 * time taken says little about the password. pwe: x || y. */
int sae_pwe_hunt_and_peck(struct sae_group *g, const struct mac_addr *a, const struct mac_addr *b,
			  const uint8_t *password, size_t password_len, uint8_t *pwe);

/* The simplified SWU map of a field element u (prime_len octets, < p) onto the curve; p: x || y. */
int sae_sswu(struct sae_group *g, const uint8_t *u, uint8_t *p);

/* PT for hash-to-element (§12.4.4.2.3) from the SSID — the Mesh ID in a mesh — the password and an
 * optional password identifier (NULL: none); pt: x || y. */
int sae_pt_derive(struct sae_group *g, const uint8_t *ssid, size_t ssid_len, const uint8_t *password,
		  size_t password_len, const uint8_t *identifier, size_t identifier_len, uint8_t *pt);

/* PWE = ((HMAC(0^n, max(a,b) || min(a,b)) mod (r - 1)) + 1) * PT. */
int sae_pwe_from_pt(struct sae_group *g, const uint8_t *pt, const struct mac_addr *a, const struct mac_addr *b,
		    uint8_t *pwe);

/* A Commit: rand and mask random in [2, r-1] (or the given ones, for known-answer tests; both or
 * neither), scalar = (rand + mask) mod r > 1, element = -(mask * PWE). rand_out keeps rand for the
 * shared secret. */
int sae_commit_make(struct sae_group *g, const uint8_t *pwe, const uint8_t *rand_in, const uint8_t *mask_in,
		    uint8_t *rand_out, uint8_t *scalar, uint8_t *element);

/* True when a peer's scalar is in (1, r) and its element has coordinates < p on the curve. */
bool sae_commit_valid(struct sae_group *g, const uint8_t *scalar, const uint8_t *element);

/* k = x(rand * (peer_scalar * PWE + peer_element)); -1 when that is the point at infinity. */
int sae_shared_secret(struct sae_group *g, const uint8_t *pwe, const uint8_t *rand, const uint8_t *peer_scalar,
		      const uint8_t *peer_element, uint8_t *k);

/* keyseed = HMAC-H(salt, k) (salt NULL: hash_len zeros); KCK || PMK = KDF-H(keyseed, "SAE KCK and
 * PMK", (scalar + peer_scalar) mod r); PMKID = its first 16 octets. H is SHA-256 for
 * hunting-and-pecking and sae_group_h2e_hash_len for hash-to-element; *kck_len = its length. */
int sae_derive_keys(struct sae_group *g, bool h2e, const uint8_t *salt, size_t salt_len, const uint8_t *k,
		    const uint8_t *scalar, const uint8_t *peer_scalar, uint8_t *kck, size_t *kck_len,
		    uint8_t pmk[SAE_PMK_LEN], uint8_t pmkid[SAE_PMKID_LEN]);

/* confirm = HMAC-H(KCK, send_confirm (LE16) || scalar1 || element1 || scalar2 || element2), H of
 * kck_len octets; out gets kck_len octets. */
int sae_confirm_compute(const struct sae_group *g, const uint8_t *kck, size_t kck_len, uint16_t send_confirm,
			const uint8_t *scalar1, const uint8_t *element1, const uint8_t *scalar2,
			const uint8_t *element2, uint8_t *out);

#endif
