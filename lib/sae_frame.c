#include "sae_frame.h"

#include <string.h>

#include "codec.h"

size_t sae_frame_group_prime_len(uint16_t group)
{
	switch (group) {
	case 19: /* NIST P-256 */
	case 28: /* brainpoolP256r1 */
		return 32;
	case 20: /* NIST P-384 */
	case 29: /* brainpoolP384r1 */
		return 48;
	case 21: /* NIST P-521 */
		return 66;
	case 25: /* NIST P-192 */
		return 24;
	case 26: /* NIST P-224 */
		return 28;
	case 30: /* brainpoolP512r1 */
		return 64;
	default:
		return 0;
	}
}

bool sae_status_is_h2e(uint16_t status)
{
	return status == WLAN_STATUS_SAE_HASH_TO_ELEMENT || status == WLAN_STATUS_SAE_PK;
}

/* The extension elements after a hash-to-element Commit's element. Unknown elements are skipped, as
 * hostap does; a known one with an impossible length is an error. */
static int decode_h2e_elements(const uint8_t *p, size_t len, struct sae_frame *f)
{
	size_t off = 0;

	while (off < len) {
		uint8_t id, elen;
		const uint8_t *data;

		if (len - off < 2)
			return CODEC_ERR_ELEMENT_OVERRUN;
		id = p[off];
		elen = p[off + 1];
		if (len - off - 2 < elen)
			return CODEC_ERR_ELEMENT_OVERRUN;
		data = p + off + 2;
		off += 2 + (size_t)elen;
		if (id != WLAN_EID_EXTENSION)
			continue;
		if (elen < 1)
			return CODEC_ERR_BAD_LENGTH;
		switch (data[0]) {
		case WLAN_EID_EXT_PASSWORD_IDENTIFIER:
			f->password_id = data + 1;
			f->password_id_len = elen - 1u;
			break;
		case WLAN_EID_EXT_REJECTED_GROUPS:
			if (elen < 3 || (elen - 1) % 2 != 0)
				return CODEC_ERR_BAD_LENGTH;
			f->rejected_groups = data + 1;
			f->rejected_groups_count = (elen - 1u) / 2;
			break;
		case WLAN_EID_EXT_ANTI_CLOGGING_TOKEN:
			if (elen < 2)
				return CODEC_ERR_BAD_LENGTH;
			f->token = data + 1;
			f->token_len = elen - 1u;
			f->token_in_container = true;
			break;
		default:
			break;
		}
	}
	return CODEC_OK;
}

static int decode_commit(const uint8_t *p, size_t len, struct sae_frame *f)
{
	size_t fields;

	if (f->status != WLAN_STATUS_SUCCESS && !sae_status_is_h2e(f->status) &&
	    f->status != WLAN_STATUS_ANTI_CLOGGING_TOKEN_REQ && f->status != WLAN_STATUS_FINITE_CYCLIC_GROUP_NOT_SUPPORTED)
		return CODEC_OK; /* a refusal: no fields */
	if (len < 2)
		return CODEC_ERR_TRUNCATED;
	f->group = get_le16(p);
	f->prime_len = sae_frame_group_prime_len(f->group);
	f->group_known = f->prime_len != 0;
	p += 2;
	len -= 2;
	if (f->status == WLAN_STATUS_FINITE_CYCLIC_GROUP_NOT_SUPPORTED)
		return CODEC_OK;
	if (f->status == WLAN_STATUS_ANTI_CLOGGING_TOKEN_REQ) {
		/* H2E peers wrap the token in a container element; others send it bare. */
		if (len >= 3 && p[0] == WLAN_EID_EXTENSION && p[2] == WLAN_EID_EXT_ANTI_CLOGGING_TOKEN &&
		    p[1] >= 2 && (size_t)p[1] + 2 <= len) {
			f->token = p + 3;
			f->token_len = p[1] - 1u;
			f->token_in_container = true;
			return CODEC_OK;
		}
		if (len == 0)
			return CODEC_ERR_TRUNCATED;
		f->token = p;
		f->token_len = len;
		return CODEC_OK;
	}
	if (!f->group_known)
		return CODEC_OK;
	fields = 3 * f->prime_len;
	if (len < fields)
		return CODEC_ERR_TRUNCATED;
	if (!sae_status_is_h2e(f->status)) {
		if (len > fields) {
			f->token = p;
			f->token_len = len - fields;
		}
		f->scalar = p + f->token_len;
		f->element = f->scalar + f->prime_len;
		return CODEC_OK;
	}
	f->scalar = p;
	f->element = p + f->prime_len;
	return decode_h2e_elements(p + fields, len - fields, f);
}

int sae_frame_decode(const uint8_t *body, size_t len, struct sae_frame *f)
{
	memset(f, 0, sizeof(*f));
	if (len < AUTH_FIXED_LEN)
		return CODEC_ERR_TRUNCATED;
	f->algorithm = get_le16(body);
	f->transaction = get_le16(body + 2);
	f->status = get_le16(body + 4);
	if (f->algorithm != WLAN_AUTH_SAE)
		return CODEC_ERR_NOT_MGMT;
	body += AUTH_FIXED_LEN;
	len -= AUTH_FIXED_LEN;
	switch (f->transaction) {
	case SAE_SEQ_COMMIT:
		return decode_commit(body, len, f);
	case SAE_SEQ_CONFIRM:
		if (f->status != WLAN_STATUS_SUCCESS)
			return CODEC_OK;
		if (len < 2 + SAE_CONFIRM_MIN_LEN)
			return CODEC_ERR_TRUNCATED;
		f->send_confirm = get_le16(body);
		f->confirm = body + 2;
		f->confirm_len = len - 2;
		return CODEC_OK;
	default:
		return CODEC_ERR_NOT_MGMT;
	}
}

/* Appends n octets at *off, or fails when they do not fit. */
static int put(uint8_t *out, size_t cap, size_t *off, const void *data, size_t n)
{
	if (cap - *off < n)
		return CODEC_ERR_NO_SPACE;
	if (n > 0)
		memcpy(out + *off, data, n);
	*off += n;
	return CODEC_OK;
}

/* Appends an extension element (255, 1 + n, ext_id, data). */
static int put_ext(uint8_t *out, size_t cap, size_t *off, uint8_t ext_id, const uint8_t *data, size_t n)
{
	uint8_t hdr[3] = {WLAN_EID_EXTENSION, (uint8_t)(n + 1), ext_id};

	if (n > 254)
		return CODEC_ERR_TOO_LONG;
	if (put(out, cap, off, hdr, sizeof(hdr)) < 0)
		return CODEC_ERR_NO_SPACE;
	return put(out, cap, off, data, n);
}

static int encode_commit(uint8_t *out, size_t cap, size_t *off, const struct sae_frame *f)
{
	uint8_t group[2];
	size_t prime_len = sae_frame_group_prime_len(f->group);
	bool h2e = sae_status_is_h2e(f->status);
	int ret = CODEC_OK;

	if (f->status != WLAN_STATUS_SUCCESS && !h2e && f->status != WLAN_STATUS_ANTI_CLOGGING_TOKEN_REQ &&
	    f->status != WLAN_STATUS_FINITE_CYCLIC_GROUP_NOT_SUPPORTED)
		return CODEC_OK;
	put_le16(group, f->group);
	if (put(out, cap, off, group, 2) < 0)
		return CODEC_ERR_NO_SPACE;
	if (f->status == WLAN_STATUS_FINITE_CYCLIC_GROUP_NOT_SUPPORTED)
		return CODEC_OK;
	if (f->status == WLAN_STATUS_ANTI_CLOGGING_TOKEN_REQ) {
		if (f->token == NULL || f->token_len == 0)
			return CODEC_ERR_BAD_LENGTH;
		if (f->token_in_container)
			return put_ext(out, cap, off, WLAN_EID_EXT_ANTI_CLOGGING_TOKEN, f->token, f->token_len);
		return put(out, cap, off, f->token, f->token_len);
	}
	if (prime_len == 0 || f->scalar == NULL || f->element == NULL)
		return CODEC_ERR_BAD_LENGTH;
	if (!h2e && f->token != NULL && put(out, cap, off, f->token, f->token_len) < 0)
		return CODEC_ERR_NO_SPACE;
	if (put(out, cap, off, f->scalar, prime_len) < 0 || put(out, cap, off, f->element, 2 * prime_len) < 0)
		return CODEC_ERR_NO_SPACE;
	if (!h2e)
		return CODEC_OK;
	if (f->password_id != NULL)
		ret = put_ext(out, cap, off, WLAN_EID_EXT_PASSWORD_IDENTIFIER, f->password_id, f->password_id_len);
	if (ret == CODEC_OK && f->rejected_groups_count > 0)
		ret = put_ext(out, cap, off, WLAN_EID_EXT_REJECTED_GROUPS, f->rejected_groups,
			      2 * f->rejected_groups_count);
	if (ret == CODEC_OK && f->token != NULL)
		ret = put_ext(out, cap, off, WLAN_EID_EXT_ANTI_CLOGGING_TOKEN, f->token, f->token_len);
	return ret;
}

int sae_frame_encode(uint8_t *out, size_t cap, const struct sae_frame *f)
{
	uint8_t fixed[AUTH_FIXED_LEN];
	size_t off = 0;
	int ret;

	put_le16(fixed, WLAN_AUTH_SAE);
	put_le16(fixed + 2, f->transaction);
	put_le16(fixed + 4, f->status);
	if (f->transaction != SAE_SEQ_COMMIT && f->transaction != SAE_SEQ_CONFIRM)
		return CODEC_ERR_NOT_MGMT;
	if (put(out, cap, &off, fixed, sizeof(fixed)) < 0)
		return CODEC_ERR_NO_SPACE;
	if (f->transaction == SAE_SEQ_COMMIT) {
		ret = encode_commit(out, cap, &off, f);
		if (ret < 0)
			return ret;
	} else if (f->status == WLAN_STATUS_SUCCESS) {
		uint8_t sc[2];

		if (f->confirm == NULL || f->confirm_len < SAE_CONFIRM_MIN_LEN)
			return CODEC_ERR_BAD_LENGTH;
		put_le16(sc, f->send_confirm);
		if (put(out, cap, &off, sc, 2) < 0 || put(out, cap, &off, f->confirm, f->confirm_len) < 0)
			return CODEC_ERR_NO_SPACE;
	}
	return (int)off;
}

int sae_auth_frame_decode(const uint8_t *buf, size_t len, struct mgmt_hdr *hdr, struct sae_frame *f)
{
	int ret = mgmt_hdr_decode(buf, len, hdr);

	if (ret < 0)
		return ret;
	if (hdr->fc0 != IEEE80211_FC0_AUTH)
		return CODEC_ERR_NOT_MGMT;
	if (hdr->fc1 & 0x40)
		return CODEC_ERR_PROTECTED;
	return sae_frame_decode(buf + MGMT_HDR_LEN, len - MGMT_HDR_LEN, f);
}

int sae_auth_frame_encode(uint8_t *out, size_t cap, const struct mac_addr *self, const struct mac_addr *peer,
			  const uint8_t *body, size_t body_len)
{
	struct mgmt_hdr h;
	int n;

	memset(&h, 0, sizeof(h));
	h.fc0 = IEEE80211_FC0_AUTH;
	h.addr1 = *peer;
	h.addr2 = *self;
	h.addr3 = *self;
	n = mgmt_hdr_encode(out, cap, &h);
	if (n < 0)
		return n;
	if (cap - MGMT_HDR_LEN < body_len)
		return CODEC_ERR_NO_SPACE;
	memcpy(out + MGMT_HDR_LEN, body, body_len);
	return (int)(MGMT_HDR_LEN + body_len);
}
