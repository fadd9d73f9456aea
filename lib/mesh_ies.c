#include "mesh_ies.h"

#include <string.h>

#include "codec.h"

#define SUPP_RATES_MAX 8 /* octets in Supported Rates; the rest go in Extended Supported Rates */

/* The rates an 802.11 (DSSS, HR/DSSS, ERP/OFDM) PHY knows, in 500 kb/s units: bit i of a basic-rate
 * bitmap is std_rates[i], as mac80211 indexes its band's bitrates. */
static const uint8_t std_rates[] = {2, 4, 11, 22, 12, 18, 24, 36, 48, 72, 96, 108};

static void add_rates(struct mesh_rates *r, const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < len && r->n < MESH_RATES_MAX; i++) {
		uint8_t value = data[i] & (uint8_t)~MESH_RATE_BASIC;

		if ((data[i] & MESH_RATE_BASIC) && value >= MESH_RATE_SELECTOR_MIN)
			continue; /* a BSS membership selector (HT, VHT, SAE H2E, HE PHY) */
		r->rate[r->n++] = data[i];
	}
}

bool mesh_vendor_is(const struct ie *e, uint8_t type)
{
	return e->id == WLAN_EID_VENDOR && e->len >= 4 && e->data[0] == MESHPLANE_OUI0 && e->data[1] == MESHPLANE_OUI1 &&
	       e->data[2] == MESHPLANE_OUI2 && e->data[3] == type;
}

static int parse_ext(const struct ie *e, struct mesh_ies *out)
{
	if (!mesh_vendor_is(e, MESHPLANE_VENDOR_EXT))
		return CODEC_OK; /* someone else's vendor element */
	if (e->len < 5)
		return CODEC_ERR_TRUNCATED;
	out->has_ext = true;
	out->ext_flags = e->data[4];
	out->ext_mgtk_key_id = e->len >= 6 ? e->data[5] : 0;
	out->ext_replay = e->len >= 14 ? get_le64(e->data + 6) : 0;
	return CODEC_OK;
}

static const uint8_t suite_ccmp[4] = {0x00, 0x0f, 0xac, 0x04};
static const uint8_t suite_sae[4] = {0x00, 0x0f, 0xac, 0x08};

/* A suite list (count LE16, then 4-octet selectors) at *p: true when it names want. */
static bool suite_list_has(const uint8_t **p, const uint8_t *end, const uint8_t want[4], bool *ok)
{
	unsigned n;
	bool found = false;

	if (end - *p < 2) {
		*ok = false;
		return false;
	}
	n = (unsigned)((*p)[0] | (*p)[1] << 8);
	*p += 2;
	if ((size_t)(end - *p) < 4u * n) {
		*ok = false;
		return false;
	}
	for (unsigned i = 0; i < n; i++, *p += 4)
		found |= memcmp(*p, want, 4) == 0;
	return found;
}

/* What a secure mesh needs from an RSN element; a malformed one offers nothing. */
static void parse_rsn(const struct ie *e, struct mesh_ies *out)
{
	const uint8_t *p = e->data, *end = e->data + e->len;
	bool ok = true, pairwise, akm;

	if (e->len < 8 || (p[0] | p[1] << 8) != 1 || memcmp(p + 2, suite_ccmp, 4) != 0)
		return;
	p += 6;
	pairwise = suite_list_has(&p, end, suite_ccmp, &ok);
	akm = ok && suite_list_has(&p, end, suite_sae, &ok);
	if (!ok)
		return;
	out->rsn_sae_ccmp = pairwise && akm;
	out->rsn_mfp_required = end - p >= 2 && (p[0] & 0x40);
}

int mesh_ies_parse(const uint8_t *buf, size_t len, struct mesh_ies *out)
{
	bool seen_ext_rates = false;
	struct ie_iter it;
	struct ie e;
	int ret;

	memset(out, 0, sizeof(*out));
	ie_iter_init(&it, buf, len);
	while ((ret = ie_iter_next(&it, &e)) == 1) {
		int status = CODEC_OK;

		switch (e.id) {
		case WLAN_EID_SUPP_RATES:
			if (out->has_rates)
				break;
			if (e.len == 0)
				return CODEC_ERR_BAD_LENGTH;
			out->has_rates = true;
			add_rates(&out->rates, e.data, e.len);
			break;
		case WLAN_EID_EXT_SUPP_RATES:
			if (seen_ext_rates)
				break;
			seen_ext_rates = true;
			add_rates(&out->rates, e.data, e.len);
			break;
		case WLAN_EID_DS_PARAMS:
			if (out->has_ds)
				break;
			if (e.len != 1)
				return CODEC_ERR_BAD_LENGTH;
			out->has_ds = true;
			out->channel = e.data[0];
			break;
		case WLAN_EID_MESH_ID:
			if (out->has_mesh_id)
				break;
			status = mesh_id_decode(e.data, e.len, &out->mesh_id);
			out->has_mesh_id = true;
			break;
		case WLAN_EID_MESH_CONFIG:
			if (out->has_mesh_config)
				break;
			status = mesh_config_decode(e.data, e.len, &out->mesh_config);
			out->has_mesh_config = true;
			break;
		case WLAN_EID_RSN:
			if (!out->has_rsn)
				parse_rsn(&e, out);
			out->has_rsn = true;
			break;
		case WLAN_EID_VENDOR:
			if (!out->has_ext)
				status = parse_ext(&e, out);
			break;
		default:
			break;
		}
		if (status < 0)
			return status;
	}
	return ret;
}

int mesh_rates_write(uint8_t *out, size_t cap, const struct mesh_rates *r, bool extended)
{
	size_t first = r->n < SUPP_RATES_MAX ? r->n : SUPP_RATES_MAX;

	if (!extended)
		return ie_write(out, cap, WLAN_EID_SUPP_RATES, r->rate, first);
	if (r->n <= SUPP_RATES_MAX)
		return 0;
	return ie_write(out, cap, WLAN_EID_EXT_SUPP_RATES, r->rate + SUPP_RATES_MAX, r->n - SUPP_RATES_MAX);
}

int mesh_ds_write(uint8_t *out, size_t cap, uint8_t channel)
{
	return ie_write(out, cap, WLAN_EID_DS_PARAMS, &channel, 1);
}

int mesh_rsn_write(uint8_t *out, size_t cap)
{
	static const uint8_t body[] = {
		0x01, 0x00,             /* version 1 */
		0x00, 0x0f, 0xac, 0x04, /* group data cipher: CCMP-128 */
		0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, /* one pairwise cipher: CCMP-128 */
		0x01, 0x00, 0x00, 0x0f, 0xac, 0x08, /* one AKM: SAE */
		0xc0, 0x00,             /* capabilities: MFP required (bit 6) and capable (bit 7) */
	};

	return ie_write(out, cap, WLAN_EID_RSN, body, sizeof(body));
}

int mesh_ext_write(uint8_t *out, size_t cap, uint8_t flags, uint8_t mgtk_key_id, uint64_t replay)
{
	uint8_t body[14] = {MESHPLANE_OUI0, MESHPLANE_OUI1, MESHPLANE_OUI2, MESHPLANE_VENDOR_EXT, flags, mgtk_key_id};
	size_t n = 5;

	if (mgtk_key_id != 0) {
		n = 6;
		if (replay != 0) {
			put_le64(body + 6, replay);
			n = 14;
		}
	}
	return ie_write(out, cap, WLAN_EID_VENDOR, body, n);
}

uint32_t mesh_rates_basic_bitmap(const struct mesh_rates *r)
{
	uint32_t bitmap = 0;

	for (unsigned i = 0; i < r->n; i++) {
		uint8_t value = r->rate[i] & (uint8_t)~MESH_RATE_BASIC;
		bool known = false;

		if (!(r->rate[i] & MESH_RATE_BASIC))
			continue;
		for (unsigned k = 0; k < sizeof(std_rates); k++)
			if (std_rates[k] == value) {
				bitmap |= 1u << k;
				known = true;
			}
		if (!known)
			bitmap |= 1u << 31;
	}
	return bitmap;
}

void mesh_rates_default_2ghz(struct mesh_rates *r)
{
	memset(r, 0, sizeof(*r));
	for (unsigned k = 0; k < sizeof(std_rates); k++)
		r->rate[r->n++] = (uint8_t)(std_rates[k] | (k == 0 ? MESH_RATE_BASIC : 0));
}

void mesh_rates_default_5ghz(struct mesh_rates *r)
{
	memset(r, 0, sizeof(*r));
	for (unsigned k = 4; k < sizeof(std_rates); k++) {
		bool basic = std_rates[k] == 12 || std_rates[k] == 24 || std_rates[k] == 48;

		r->rate[r->n++] = (uint8_t)(std_rates[k] | (basic ? MESH_RATE_BASIC : 0));
	}
}
