#include "sae_ecc.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include "mesh_crypto.h"

struct sae_group {
	uint16_t id;
	size_t prime_len;
	size_t order_len;
	int sswu_z;     /* the Z of the simplified SWU map for this curve (RFC 9380 §8.2) */
	EC_GROUP *ec;
	BIGNUM *p, *a, *b, *order;
	BN_CTX *bn;
};

static int group_nid(uint16_t id, int *z)
{
	switch (id) {
	case 19: *z = -10; return NID_X9_62_prime256v1;
	case 20: *z = -12; return NID_secp384r1;
	case 21: *z = -4; return NID_secp521r1;
	default: return NID_undef;
	}
}

bool sae_group_supported(uint16_t id)
{
	int z;

	return group_nid(id, &z) != NID_undef;
}

struct sae_group *sae_group_new(uint16_t id)
{
	int z, nid = group_nid(id, &z);
	struct sae_group *g;

	if (nid == NID_undef)
		return NULL;
	g = calloc(1, sizeof(*g));
	if (g == NULL)
		return NULL;
	g->id = id;
	g->sswu_z = z;
	g->ec = EC_GROUP_new_by_curve_name(nid);
	g->p = BN_new();
	g->a = BN_new();
	g->b = BN_new();
	g->bn = BN_CTX_new();
	if (g->ec == NULL || g->p == NULL || g->a == NULL || g->b == NULL || g->bn == NULL ||
	    !EC_GROUP_get_curve(g->ec, g->p, g->a, g->b, g->bn) ||
	    (g->order = BN_dup(EC_GROUP_get0_order(g->ec))) == NULL) {
		sae_group_free(g);
		return NULL;
	}
	g->prime_len = (size_t)BN_num_bytes(g->p);
	g->order_len = (size_t)BN_num_bytes(g->order);
	return g;
}

void sae_group_free(struct sae_group *g)
{
	if (g == NULL)
		return;
	EC_GROUP_free(g->ec);
	BN_free(g->p);
	BN_free(g->a);
	BN_free(g->b);
	BN_free(g->order);
	BN_CTX_free(g->bn);
	free(g);
}

uint16_t sae_group_id(const struct sae_group *g)
{
	return g->id;
}

size_t sae_group_prime_len(const struct sae_group *g)
{
	return g->prime_len;
}

size_t sae_group_h2e_hash_len(const struct sae_group *g)
{
	/* §12.4.2: SHA-256 up to 256-bit primes, SHA-384 up to 384, SHA-512 above. */
	if (g->prime_len <= 32)
		return 32;
	return g->prime_len <= 48 ? 48 : 64;
}

/* Big-endian fixed-width octets of a non-negative number below 2^(8 len). */
static int bn_out(const BIGNUM *v, uint8_t *out, size_t len)
{
	return BN_bn2binpad(v, out, (int)len) == (int)len ? 0 : -1;
}

static EC_POINT *point_in(struct sae_group *g, const uint8_t *xy)
{
	EC_POINT *pt = EC_POINT_new(g->ec);
	BIGNUM *x, *y;
	int ok;

	if (pt == NULL)
		return NULL;
	BN_CTX_start(g->bn);
	x = BN_CTX_get(g->bn);
	y = BN_CTX_get(g->bn);
	/* set_affine_coordinates refuses points off the curve. */
	ok = y != NULL && BN_bin2bn(xy, (int)g->prime_len, x) && BN_bin2bn(xy + g->prime_len, (int)g->prime_len, y) &&
	     BN_cmp(x, g->p) < 0 && BN_cmp(y, g->p) < 0 && EC_POINT_set_affine_coordinates(g->ec, pt, x, y, g->bn);
	BN_CTX_end(g->bn);
	if (!ok) {
		EC_POINT_free(pt);
		return NULL;
	}
	return pt;
}

static int point_out(struct sae_group *g, const EC_POINT *pt, uint8_t *xy)
{
	BIGNUM *x, *y;
	int ret = -1;

	if (EC_POINT_is_at_infinity(g->ec, pt))
		return -1;
	BN_CTX_start(g->bn);
	x = BN_CTX_get(g->bn);
	y = BN_CTX_get(g->bn);
	if (y != NULL && EC_POINT_get_affine_coordinates(g->ec, pt, x, y, g->bn) && bn_out(x, xy, g->prime_len) == 0 &&
	    bn_out(y, xy + g->prime_len, g->prime_len) == 0)
		ret = 0;
	BN_CTX_end(g->bn);
	return ret;
}

/* out = x^3 + a x + b mod p */
static int curve_rhs(struct sae_group *g, const BIGNUM *x, BIGNUM *out)
{
	BIGNUM *t;
	int ok;

	BN_CTX_start(g->bn);
	t = BN_CTX_get(g->bn);
	ok = t != NULL && BN_mod_sqr(t, x, g->p, g->bn) && BN_mod_mul(t, t, x, g->p, g->bn) &&
	     BN_mod_mul(out, g->a, x, g->p, g->bn) && BN_mod_add(out, out, t, g->p, g->bn) &&
	     BN_mod_add(out, out, g->b, g->p, g->bn);
	BN_CTX_end(g->bn);
	return ok ? 0 : -1;
}

/* 1 when v is a quadratic residue mod p (0 counts as one, as in RFC 9380's is_square), 0 when not,
 * -1 on error. The Legendre symbol is taken of v * r^2 for a fresh random r, which has the same
 * residuosity, so its running time does not follow v (the blinding hostap applies too). */
static int is_square(struct sae_group *g, const BIGNUM *v)
{
	BIGNUM *r, *t;
	int ret = -1, sym;

	if (BN_is_zero(v))
		return 1;
	BN_CTX_start(g->bn);
	r = BN_CTX_get(g->bn);
	t = BN_CTX_get(g->bn);
	if (t == NULL)
		goto out;
	do {
		if (!BN_priv_rand_range(r, g->p))
			goto out;
	} while (BN_is_zero(r));
	if (!BN_mod_sqr(t, r, g->p, g->bn) || !BN_mod_mul(t, t, v, g->p, g->bn))
		goto out;
	sym = BN_kronecker(t, g->p, g->bn);
	if (sym != -2)
		ret = sym >= 0;
out:
	BN_CTX_end(g->bn);
	return ret;
}

int sae_pwe_hunt_and_peck(struct sae_group *g, const struct mac_addr *a, const struct mac_addr *b,
			  const uint8_t *password, size_t password_len, uint8_t *pwe)
{
	uint8_t key[2 * MAC_LEN], seed[32], value[SAE_MAX_PRIME_LEN], prime[SAE_MAX_PRIME_LEN];
	uint8_t found_x[SAE_MAX_PRIME_LEN];
	uint8_t counter = 0, found_odd = 0;
	bool found = false;
	int bits = BN_num_bits(g->p), ret = -1;
	BIGNUM *x, *rhs, *y;
	const uint8_t *parts[2] = {password, &counter};
	size_t lens[2] = {password_len, 1};

	bool a_higher = memcmp(a->bytes, b->bytes, MAC_LEN) > 0;

	memcpy(key, (a_higher ? a : b)->bytes, MAC_LEN);
	memcpy(key + MAC_LEN, (a_higher ? b : a)->bytes, MAC_LEN);
	if (bn_out(g->p, prime, g->prime_len) < 0)
		return -1;
	BN_CTX_start(g->bn);
	x = BN_CTX_get(g->bn);
	rhs = BN_CTX_get(g->bn);
	y = BN_CTX_get(g->bn);
	if (y == NULL)
		goto out;
	/* Every round does the same work whether or not an earlier one succeeded; only the first
	 * success is kept. */
	for (unsigned round = 1; round <= SAE_HNP_MIN_ITERATIONS || !found; round++) {
		int square;

		if (round > SAE_HNP_MAX_ITERATIONS)
			goto out;
		counter = (uint8_t)round;
		if (hmac_sha2(32, key, sizeof(key), 2, parts, lens, seed) < 0 ||
		    ieee80211_kdf(32, seed, sizeof(seed), "SAE Hunting and Pecking", prime, g->prime_len, value,
				  (size_t)bits) < 0 ||
		    !BN_bin2bn(value, (int)g->prime_len, x))
			goto out;
		/* The KDF's first `bits` bits are the candidate: shift away the cleared tail bits. */
		if (bits % 8 && !BN_rshift(x, x, 8 - bits % 8))
			goto out;
		if (BN_cmp(x, g->p) >= 0)
			continue;
		if (curve_rhs(g, x, rhs) < 0 || (square = is_square(g, rhs)) < 0)
			goto out;
		if (square && !found) {
			found = true;
			found_odd = seed[31] & 1;
			if (bn_out(x, found_x, g->prime_len) < 0)
				goto out;
		}
	}
	/* y = sqrt(x^3 + ax + b), the root whose parity is the pwd-seed's (LSB(pwd-seed) = LSB(y)). */
	if (!BN_bin2bn(found_x, (int)g->prime_len, x) || curve_rhs(g, x, rhs) < 0 || !BN_mod_sqrt(y, rhs, g->p, g->bn))
		goto out;
	if ((uint8_t)BN_is_odd(y) != found_odd && !BN_sub(y, g->p, y))
		goto out;
	if (bn_out(x, pwe, g->prime_len) == 0 && bn_out(y, pwe + g->prime_len, g->prime_len) == 0)
		ret = 0;
out:
	if (y != NULL) {
		BN_clear(x);
		BN_clear(rhs);
		BN_clear(y);
	}
	BN_CTX_end(g->bn);
	mesh_wipe(seed, sizeof(seed));
	mesh_wipe(value, sizeof(value));
	mesh_wipe(found_x, sizeof(found_x));
	return ret;
}

int sae_sswu(struct sae_group *g, const uint8_t *u_in, uint8_t *out)
{
	BIGNUM *u, *z, *u2, *m, *t, *x1, *x2, *gx1, *gx2, *tmp, *y, *e;
	BN_CTX *c = g->bn;
	int ret = -1, square;

	BN_CTX_start(c);
	u = BN_CTX_get(c);
	z = BN_CTX_get(c);
	u2 = BN_CTX_get(c);
	m = BN_CTX_get(c);
	t = BN_CTX_get(c);
	x1 = BN_CTX_get(c);
	x2 = BN_CTX_get(c);
	gx1 = BN_CTX_get(c);
	gx2 = BN_CTX_get(c);
	tmp = BN_CTX_get(c);
	y = BN_CTX_get(c);
	e = BN_CTX_get(c);
	if (e == NULL || !BN_bin2bn(u_in, (int)g->prime_len, u) || BN_cmp(u, g->p) >= 0)
		goto out;
	/* z as a field element (the curve constants are negative for P-256/384/521). */
	if (!BN_set_word(z, (BN_ULONG)abs(g->sswu_z)) || (g->sswu_z < 0 && !BN_sub(z, g->p, z)))
		goto out;
	/* m = z^2 u^4 + z u^2 = t1^2 + t1 with t1 = z u^2 */
	if (!BN_mod_sqr(u2, u, g->p, c) || !BN_mod_mul(tmp, z, u2, g->p, c) || !BN_mod_sqr(m, tmp, g->p, c) ||
	    !BN_mod_add(m, m, tmp, g->p, c))
		goto out;
	/* t = m^(p-2) = inverse(m), and 0 when m is 0 */
	if (!BN_sub(e, g->p, BN_value_one()) || !BN_sub(e, e, BN_value_one()) || !BN_mod_exp(t, m, e, g->p, c))
		goto out;
	if (BN_is_zero(m)) {
		/* x1 = b / (z a) */
		if (!BN_mod_mul(tmp, z, g->a, g->p, c) || !BN_mod_inverse(tmp, tmp, g->p, c) ||
		    !BN_mod_mul(x1, g->b, tmp, g->p, c))
			goto out;
	} else {
		/* x1 = (-b / a) (1 + t) */
		if (!BN_mod_inverse(tmp, g->a, g->p, c) || !BN_mod_mul(tmp, tmp, g->b, g->p, c) ||
		    !BN_mod_sub(tmp, g->p, tmp, g->p, c) || !BN_add(x1, t, BN_value_one()) ||
		    !BN_mod_mul(x1, x1, tmp, g->p, c))
			goto out;
	}
	/* x2 = z u^2 x1 */
	if (curve_rhs(g, x1, gx1) < 0 || !BN_mod_mul(x2, z, u2, g->p, c) || !BN_mod_mul(x2, x2, x1, g->p, c) ||
	    curve_rhs(g, x2, gx2) < 0)
		goto out;
	square = is_square(g, gx1);
	if (square < 0)
		goto out;
	/* (x, v) = gx1 square ? (x1, gx1) : (x2, gx2); y = sqrt(v) with LSB(y) = LSB(u) */
	if (!BN_mod_sqrt(y, square ? gx1 : gx2, g->p, c))
		goto out;
	if (BN_is_odd(y) != BN_is_odd(u) && !BN_sub(y, g->p, y))
		goto out;
	if (bn_out(square ? x1 : x2, out, g->prime_len) == 0 && bn_out(y, out + g->prime_len, g->prime_len) == 0)
		ret = 0;
out:
	BN_CTX_end(c);
	return ret;
}

/* u = HKDF-Expand(pwd-seed, info, olen(p) + ceil(olen(p)/2)) mod p, then SSWU(u). */
static EC_POINT *h2e_point(struct sae_group *g, const uint8_t *seed, size_t hash_len, const char *info)
{
	uint8_t value[SAE_MAX_PRIME_LEN * 2], u[SAE_MAX_PRIME_LEN], xy[SAE_MAX_ELEMENT_LEN];
	size_t value_len = g->prime_len + (g->prime_len + 1) / 2;
	EC_POINT *pt = NULL;
	BIGNUM *v;

	BN_CTX_start(g->bn);
	v = BN_CTX_get(g->bn);
	if (v != NULL && hkdf_expand_sha2(hash_len, seed, hash_len, info, value, value_len) == 0 &&
	    BN_bin2bn(value, (int)value_len, v) && BN_nnmod(v, v, g->p, g->bn) && bn_out(v, u, g->prime_len) == 0 &&
	    sae_sswu(g, u, xy) == 0)
		pt = point_in(g, xy);
	if (v != NULL)
		BN_clear(v);
	BN_CTX_end(g->bn);
	mesh_wipe(value, sizeof(value));
	mesh_wipe(u, sizeof(u));
	return pt;
}

int sae_pt_derive(struct sae_group *g, const uint8_t *ssid, size_t ssid_len, const uint8_t *password,
		  size_t password_len, const uint8_t *identifier, size_t identifier_len, uint8_t *pt_out)
{
	size_t hash_len = sae_group_h2e_hash_len(g);
	uint8_t seed[SAE_MAX_HASH_LEN];
	const uint8_t *parts[2] = {password, identifier};
	size_t lens[2] = {password_len, identifier_len};
	EC_POINT *p1 = NULL, *p2 = NULL;
	int ret = -1;

	/* pwd-seed = HKDF-Extract(ssid, password [|| identifier]) */
	if (hmac_sha2(hash_len, ssid, ssid_len, identifier != NULL ? 2 : 1, parts, lens, seed) < 0)
		return -1;
	p1 = h2e_point(g, seed, hash_len, "SAE Hash to Element u1 P1");
	p2 = h2e_point(g, seed, hash_len, "SAE Hash to Element u2 P2");
	if (p1 != NULL && p2 != NULL && EC_POINT_add(g->ec, p1, p1, p2, g->bn) && point_out(g, p1, pt_out) == 0)
		ret = 0;
	EC_POINT_clear_free(p1);
	EC_POINT_clear_free(p2);
	mesh_wipe(seed, sizeof(seed));
	return ret;
}

int sae_pwe_from_pt(struct sae_group *g, const uint8_t *pt_xy, const struct mac_addr *a, const struct mac_addr *b,
		    uint8_t *pwe)
{
	size_t hash_len = sae_group_h2e_hash_len(g);
	uint8_t zeros[SAE_MAX_HASH_LEN] = {0}, hash[SAE_MAX_HASH_LEN];
	bool a_higher = memcmp(a->bytes, b->bytes, MAC_LEN) > 0;
	const uint8_t *parts[2] = {(a_higher ? a : b)->bytes, (a_higher ? b : a)->bytes};
	size_t lens[2] = {MAC_LEN, MAC_LEN};
	EC_POINT *pt = point_in(g, pt_xy), *res = EC_POINT_new(g->ec);
	BIGNUM *val, *rm1;
	int ret = -1;

	BN_CTX_start(g->bn);
	val = BN_CTX_get(g->bn);
	rm1 = BN_CTX_get(g->bn);
	/* val = H(0^n, MAX(a, b) || MIN(a, b)) mod (r - 1) + 1 */
	if (pt != NULL && res != NULL && rm1 != NULL && hmac_sha2(hash_len, zeros, hash_len, 2, parts, lens, hash) == 0 &&
	    BN_bin2bn(hash, (int)hash_len, val) && BN_sub(rm1, g->order, BN_value_one()) &&
	    BN_nnmod(val, val, rm1, g->bn) && BN_add(val, val, BN_value_one()) &&
	    EC_POINT_mul(g->ec, res, NULL, pt, val, g->bn) && point_out(g, res, pwe) == 0)
		ret = 0;
	BN_CTX_end(g->bn);
	EC_POINT_clear_free(pt);
	EC_POINT_clear_free(res);
	return ret;
}

/* r in [2, order - 1] */
static int rand_2_to_r1(struct sae_group *g, BIGNUM *r)
{
	BIGNUM *range;
	int ok;

	BN_CTX_start(g->bn);
	range = BN_CTX_get(g->bn);
	ok = range != NULL && BN_sub(range, g->order, BN_value_one()) && BN_sub(range, range, BN_value_one()) &&
	     BN_priv_rand_range(r, range) && BN_add_word(r, 2);
	BN_CTX_end(g->bn);
	return ok ? 0 : -1;
}

int sae_commit_make(struct sae_group *g, const uint8_t *pwe, const uint8_t *rand_in, const uint8_t *mask_in,
		    uint8_t *rand_out, uint8_t *scalar, uint8_t *element)
{
	EC_POINT *pw = point_in(g, pwe), *el = EC_POINT_new(g->ec);
	BIGNUM *r, *m, *s;
	int ret = -1;

	BN_CTX_start(g->bn);
	r = BN_CTX_get(g->bn);
	m = BN_CTX_get(g->bn);
	s = BN_CTX_get(g->bn);
	if (pw == NULL || el == NULL || s == NULL)
		goto out;
	for (unsigned tries = 0;; tries++) {
		if (tries == 100)
			goto out;
		if (rand_in != NULL) {
			if (!BN_bin2bn(rand_in, (int)g->order_len, r) || !BN_bin2bn(mask_in, (int)g->order_len, m))
				goto out;
		} else if (rand_2_to_r1(g, r) < 0 || rand_2_to_r1(g, m) < 0) {
			goto out;
		}
		if (!BN_mod_add(s, r, m, g->order, g->bn))
			goto out;
		if (BN_cmp(s, BN_value_one()) > 0)
			break;
		if (rand_in != NULL)
			goto out;
	}
	if (!EC_POINT_mul(g->ec, el, NULL, pw, m, g->bn) || !EC_POINT_invert(g->ec, el, g->bn) ||
	    point_out(g, el, element) < 0 || bn_out(s, scalar, g->prime_len) < 0 ||
	    bn_out(r, rand_out, g->prime_len) < 0)
		goto out;
	ret = 0;
out:
	if (s != NULL) {
		BN_clear(r);
		BN_clear(m);
	}
	BN_CTX_end(g->bn);
	EC_POINT_clear_free(pw);
	EC_POINT_clear_free(el);
	return ret;
}

bool sae_commit_valid(struct sae_group *g, const uint8_t *scalar, const uint8_t *element)
{
	EC_POINT *el;
	BIGNUM *s;
	bool ok;

	BN_CTX_start(g->bn);
	s = BN_CTX_get(g->bn);
	ok = s != NULL && BN_bin2bn(scalar, (int)g->prime_len, s) && BN_cmp(s, BN_value_one()) > 0 &&
	     BN_cmp(s, g->order) < 0;
	BN_CTX_end(g->bn);
	if (!ok)
		return false;
	el = point_in(g, element);
	EC_POINT_free(el);
	return el != NULL;
}

int sae_shared_secret(struct sae_group *g, const uint8_t *pwe, const uint8_t *rand, const uint8_t *peer_scalar,
		      const uint8_t *peer_element, uint8_t *k)
{
	EC_POINT *pw = point_in(g, pwe), *pe = point_in(g, peer_element), *K = EC_POINT_new(g->ec);
	uint8_t xy[SAE_MAX_ELEMENT_LEN];
	BIGNUM *r, *ps;
	int ret = -1;

	BN_CTX_start(g->bn);
	r = BN_CTX_get(g->bn);
	ps = BN_CTX_get(g->bn);
	/* K = rand * (peer_scalar * PWE + PEER-ELEMENT); point_out refuses the identity. */
	if (pw != NULL && pe != NULL && K != NULL && ps != NULL && BN_bin2bn(rand, (int)g->prime_len, r) &&
	    BN_bin2bn(peer_scalar, (int)g->prime_len, ps) && EC_POINT_mul(g->ec, K, NULL, pw, ps, g->bn) &&
	    EC_POINT_add(g->ec, K, K, pe, g->bn) && EC_POINT_mul(g->ec, K, NULL, K, r, g->bn) &&
	    point_out(g, K, xy) == 0) {
		memcpy(k, xy, g->prime_len);
		ret = 0;
	}
	if (ps != NULL)
		BN_clear(r);
	BN_CTX_end(g->bn);
	EC_POINT_clear_free(pw);
	EC_POINT_free(pe);
	EC_POINT_clear_free(K);
	mesh_wipe(xy, sizeof(xy));
	return ret;
}

int sae_derive_keys(struct sae_group *g, bool h2e, const uint8_t *salt, size_t salt_len, const uint8_t *k,
		    const uint8_t *scalar, const uint8_t *peer_scalar, uint8_t *kck, size_t *kck_len,
		    uint8_t pmk[SAE_PMK_LEN], uint8_t pmkid[SAE_PMKID_LEN])
{
	size_t hash_len = h2e ? sae_group_h2e_hash_len(g) : 32;
	uint8_t zeros[SAE_MAX_HASH_LEN] = {0}, keyseed[SAE_MAX_HASH_LEN], value[SAE_MAX_PRIME_LEN];
	uint8_t keys[SAE_MAX_HASH_LEN + SAE_PMK_LEN];
	const uint8_t *parts[1] = {k};
	size_t lens[1] = {g->prime_len};
	BIGNUM *s1, *s2;
	int ret = -1;

	if (salt == NULL) {
		salt = zeros;
		salt_len = hash_len;
	}
	BN_CTX_start(g->bn);
	s1 = BN_CTX_get(g->bn);
	s2 = BN_CTX_get(g->bn);
	/* (scalar + peer-scalar) mod r, zero-padded to the order's length (hostap's reading of §12.4.5.4) */
	if (s2 == NULL || !BN_bin2bn(scalar, (int)g->prime_len, s1) || !BN_bin2bn(peer_scalar, (int)g->prime_len, s2) ||
	    !BN_mod_add(s1, s1, s2, g->order, g->bn) || bn_out(s1, value, g->order_len) < 0)
		goto out;
	if (hmac_sha2(hash_len, salt, salt_len, 1, parts, lens, keyseed) < 0 ||
	    ieee80211_kdf(hash_len, keyseed, hash_len, "SAE KCK and PMK", value, g->order_len, keys,
			  (hash_len + SAE_PMK_LEN) * 8) < 0)
		goto out;
	memcpy(kck, keys, hash_len);
	*kck_len = hash_len;
	memcpy(pmk, keys + hash_len, SAE_PMK_LEN);
	memcpy(pmkid, value, SAE_PMKID_LEN);
	ret = 0;
out:
	BN_CTX_end(g->bn);
	mesh_wipe(keyseed, sizeof(keyseed));
	mesh_wipe(keys, sizeof(keys));
	return ret;
}

int sae_confirm_compute(const struct sae_group *g, const uint8_t *kck, size_t kck_len, uint16_t send_confirm,
			const uint8_t *scalar1, const uint8_t *element1, const uint8_t *scalar2,
			const uint8_t *element2, uint8_t *out)
{
	uint8_t sc[2] = {(uint8_t)send_confirm, (uint8_t)(send_confirm >> 8)};
	const uint8_t *parts[5] = {sc, scalar1, element1, scalar2, element2};
	size_t lens[5] = {2, g->prime_len, 2 * g->prime_len, g->prime_len, 2 * g->prime_len};

	return hmac_sha2(kck_len, kck, kck_len, 5, parts, lens, out);
}
