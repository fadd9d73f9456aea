#include "mesh_crypto.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

static const char *sha2_name(size_t hash_len)
{
	switch (hash_len) {
	case 32: return "SHA256";
	case 48: return "SHA384";
	case 64: return "SHA512";
	default: return NULL;
	}
}

int hmac_sha2(size_t hash_len, const uint8_t *key, size_t key_len, size_t n, const uint8_t *const data[],
	      const size_t data_len[], uint8_t *out)
{
	const char *digest = sha2_name(hash_len);
	EVP_MAC *mac;
	EVP_MAC_CTX *ctx = NULL;
	OSSL_PARAM params[2];
	size_t out_len = 0;
	int ret = -1;
	static const uint8_t empty_key[1];

	if (digest == NULL)
		return -1;
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (mac == NULL)
		return -1;
	ctx = EVP_MAC_CTX_new(mac);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	/* An empty key is a valid HMAC key (zero padded), but EVP_MAC_init wants a pointer. */
	if (ctx == NULL || !EVP_MAC_init(ctx, key_len > 0 ? key : empty_key, key_len, params))
		goto out;
	for (size_t i = 0; i < n; i++)
		if (data_len[i] > 0 && !EVP_MAC_update(ctx, data[i], data_len[i]))
			goto out;
	if (EVP_MAC_final(ctx, out, &out_len, hash_len) && out_len == hash_len)
		ret = 0;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ret;
}

int ieee80211_kdf(size_t hash_len, const uint8_t *key, size_t key_len, const char *label, const uint8_t *context,
		  size_t context_len, uint8_t *out, size_t out_bits)
{
	size_t out_len = (out_bits + 7) / 8, pos = 0;
	uint8_t counter[2], length[2], block[MESH_HASH_MAX_LEN];
	const uint8_t *parts[4] = {counter, (const uint8_t *)label, context, length};
	size_t lens[4] = {2, strlen(label), context_len, 2};

	if (sha2_name(hash_len) == NULL || out_bits == 0 || out_bits > 0xffff)
		return -1;
	length[0] = (uint8_t)out_bits;
	length[1] = (uint8_t)(out_bits >> 8);
	for (uint16_t i = 1; pos < out_len; i++) {
		size_t n = out_len - pos < hash_len ? out_len - pos : hash_len;

		counter[0] = (uint8_t)i;
		counter[1] = (uint8_t)(i >> 8);
		if (hmac_sha2(hash_len, key, key_len, 4, parts, lens, block) < 0) {
			mesh_wipe(block, sizeof(block));
			return -1;
		}
		memcpy(out + pos, block, n);
		pos += n;
	}
	mesh_wipe(block, sizeof(block));
	if (out_bits % 8)
		out[out_len - 1] &= (uint8_t)(0xff << (8 - out_bits % 8));
	return 0;
}

int hkdf_expand_sha2(size_t hash_len, const uint8_t *prk, size_t prk_len, const char *info, uint8_t *out,
		     size_t out_len)
{
	const char *digest = sha2_name(hash_len);
	EVP_KDF *kdf;
	EVP_KDF_CTX *ctx;
	OSSL_PARAM params[5];
	int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
	int ret = -1;

	if (digest == NULL)
		return -1;
	kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	if (kdf == NULL)
		return -1;
	ctx = EVP_KDF_CTX_new(kdf);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)digest, 0);
	params[1] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)prk, prk_len);
	params[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, strlen(info));
	params[4] = OSSL_PARAM_construct_end();
	if (ctx != NULL && EVP_KDF_derive(ctx, out, out_len, params) > 0)
		ret = 0;
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return ret;
}

int aes_cmac(const uint8_t key[16], const uint8_t *data, size_t len, uint8_t mac_out[AES_CMAC_LEN])
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "CMAC", NULL);
	EVP_MAC_CTX *ctx = NULL;
	OSSL_PARAM params[2];
	size_t out_len = 0;
	int ret = -1;

	if (mac == NULL)
		return -1;
	ctx = EVP_MAC_CTX_new(mac);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, "AES-128-CBC", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (ctx != NULL && EVP_MAC_init(ctx, key, 16, params) && (len == 0 || EVP_MAC_update(ctx, data, len)) &&
	    EVP_MAC_final(ctx, mac_out, &out_len, AES_CMAC_LEN) && out_len == AES_CMAC_LEN)
		ret = 0;
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ret;
}

/* AES-SIV's key is two AES keys (S2V's CMAC key, then CTR's): 32 octets is AES-128-SIV. */
static EVP_CIPHER *siv_cipher(size_t key_len)
{
	switch (key_len) {
	case 32: return EVP_CIPHER_fetch(NULL, "AES-128-SIV", NULL);
	case 48: return EVP_CIPHER_fetch(NULL, "AES-192-SIV", NULL);
	case 64: return EVP_CIPHER_fetch(NULL, "AES-256-SIV", NULL);
	default: return NULL;
	}
}

int aes_siv_encrypt(const uint8_t *key, size_t key_len, size_t n_aad, const uint8_t *const aad[],
		    const size_t aad_len[], const uint8_t *pt, size_t pt_len, uint8_t *out)
{
	EVP_CIPHER *cipher = siv_cipher(key_len);
	EVP_CIPHER_CTX *ctx = NULL;
	int outl, ret = -1;

	if (cipher == NULL || pt_len == 0 || pt_len > INT32_MAX)
		goto out;
	ctx = EVP_CIPHER_CTX_new();
	if (ctx == NULL || !EVP_EncryptInit_ex2(ctx, cipher, key, NULL, NULL))
		goto out;
	/* Each AAD update is one S2V vector component (OpenSSL's SIV keeps them apart). */
	for (size_t i = 0; i < n_aad; i++)
		if (!EVP_EncryptUpdate(ctx, NULL, &outl, aad[i], (int)aad_len[i]))
			goto out;
	if (!EVP_EncryptUpdate(ctx, out + AES_SIV_TAG_LEN, &outl, pt, (int)pt_len) || (size_t)outl != pt_len ||
	    !EVP_EncryptFinal_ex(ctx, out + AES_SIV_TAG_LEN + outl, &outl) ||
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, AES_SIV_TAG_LEN, out))
		goto out;
	ret = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(cipher);
	return ret;
}

int aes_siv_decrypt(const uint8_t *key, size_t key_len, size_t n_aad, const uint8_t *const aad[],
		    const size_t aad_len[], const uint8_t *in, size_t in_len, uint8_t *pt)
{
	EVP_CIPHER *cipher = siv_cipher(key_len);
	EVP_CIPHER_CTX *ctx = NULL;
	size_t ct_len = in_len - AES_SIV_TAG_LEN;
	int outl, ret = -1;

	if (cipher == NULL || in_len <= AES_SIV_TAG_LEN || in_len > INT32_MAX)
		goto out;
	ctx = EVP_CIPHER_CTX_new();
	/* SIV checks V as it decrypts, so the expected tag is set first. */
	if (ctx == NULL || !EVP_DecryptInit_ex2(ctx, cipher, key, NULL, NULL) ||
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, AES_SIV_TAG_LEN, (void *)in))
		goto out;
	for (size_t i = 0; i < n_aad; i++)
		if (!EVP_DecryptUpdate(ctx, NULL, &outl, aad[i], (int)aad_len[i]))
			goto out;
	if (EVP_DecryptUpdate(ctx, pt, &outl, in + AES_SIV_TAG_LEN, (int)ct_len) && (size_t)outl == ct_len &&
	    EVP_DecryptFinal_ex(ctx, pt + outl, &outl))
		ret = 0;
out:
	if (ret < 0 && in_len > AES_SIV_TAG_LEN)
		mesh_wipe(pt, ct_len);
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(cipher);
	return ret;
}

bool mesh_equal_ct(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

int mesh_random(uint8_t *buf, size_t n)
{
	return n <= INT32_MAX && RAND_bytes(buf, (int)n) == 1 ? 0 : -1;
}

void mesh_wipe(void *p, size_t n)
{
	OPENSSL_cleanse(p, n);
}
