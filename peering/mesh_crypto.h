/* The symmetric primitives a secure mesh needs, every one from OpenSSL 3 libcrypto (EVP_MAC HMAC and
 * CMAC, EVP_KDF HKDF, EVP_CIPHER AES-SIV): nothing here is a hand-made primitive, only the 802.11
 * constructions on top of them (the KDF of 802.11-2020 §12.7.1.7.2). All functions return 0 on
 * success and -1 on failure (bad sizes, or libcrypto refusing). */
#ifndef MESHPLANE_PEERING_MESH_CRYPTO_H
#define MESHPLANE_PEERING_MESH_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MESH_HASH_MAX_LEN 64 /* SHA-512 */
#define AES_SIV_TAG_LEN 16
#define AES_CMAC_LEN 16

/* HMAC-SHA-256/-384/-512 (hash_len 32/48/64) of the concatenation of n strings; out: hash_len. */
int hmac_sha2(size_t hash_len, const uint8_t *key, size_t key_len, size_t n, const uint8_t *const data[],
	      const size_t data_len[], uint8_t *out);

/* 802.11 KDF-Hash-Length (§12.7.1.7.2): HMAC-SHA-2(key, i || label || context || Length) for
 * i = 1, 2, ... (i and Length little-endian 16 bits, Length in bits); out gets ceil(out_bits/8)
 * octets with the bits past out_bits cleared. */
int ieee80211_kdf(size_t hash_len, const uint8_t *key, size_t key_len, const char *label, const uint8_t *context,
		  size_t context_len, uint8_t *out, size_t out_bits);

/* RFC 5869 HKDF-Expand with SHA-2 (hash_len 32/48/64) and a text info; out: out_len octets. */
int hkdf_expand_sha2(size_t hash_len, const uint8_t *prk, size_t prk_len, const char *info, uint8_t *out,
		     size_t out_len);

/* RFC 4493 AES-CMAC with a 16-octet key (BIP-CMAC-128's MIC is its first 8 octets). */
int aes_cmac(const uint8_t key[16], const uint8_t *data, size_t len, uint8_t mac[AES_CMAC_LEN]);

/* RFC 5297 AES-SIV (key 32/48/64 octets) over n_aad associated-data strings (each one S2V vector,
 * in order) and a non-empty plaintext; out gets V (16) || C (pt_len). */
int aes_siv_encrypt(const uint8_t *key, size_t key_len, size_t n_aad, const uint8_t *const aad[],
		    const size_t aad_len[], const uint8_t *pt, size_t pt_len, uint8_t *out);

/* Checks V || C (in_len > 16) against the same key and associated data and writes the plaintext
 * (in_len - 16 octets, wiped on failure); -1 when the tag does not verify. */
int aes_siv_decrypt(const uint8_t *key, size_t key_len, size_t n_aad, const uint8_t *const aad[],
		    const size_t aad_len[], const uint8_t *in, size_t in_len, uint8_t *pt);

/* Constant-time equality of two n-octet strings (CRYPTO_memcmp). */
bool mesh_equal_ct(const void *a, const void *b, size_t n);

/* Fills buf with n octets from the CSPRNG (RAND_bytes); -1 when it has no entropy. */
int mesh_random(uint8_t *buf, size_t n);

/* Wipes n octets so the compiler cannot drop the stores (OPENSSL_cleanse). */
void mesh_wipe(void *p, size_t n);

#endif
