/* SAE Authentication frame codec: every form round trips field by field, every truncation point
 * either fails or decodes to a consistent shorter frame (never read past the end: each prefix is
 * decoded from its own exact-size heap copy, which ASan checks), the encoder refuses every short
 * buffer, and malformed trailing elements are errors. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "sae_frame.h"
#include "suites.h"

static uint8_t scalar[66], element[132], token[40], confirm[64];
static const uint8_t rejected[] = {20, 0, 21, 0};

static void fill(void)
{
	for (unsigned i = 0; i < sizeof(element); i++)
		element[i] = (uint8_t)(0x80 + i);
	for (unsigned i = 0; i < sizeof(scalar); i++)
		scalar[i] = (uint8_t)(1 + i);
	for (unsigned i = 0; i < sizeof(token); i++)
		token[i] = (uint8_t)(0x40 + i);
	for (unsigned i = 0; i < sizeof(confirm); i++)
		confirm[i] = (uint8_t)(0xe0 + i);
}

struct form {
	const char *name;
	struct sae_frame f;
	size_t len;       /* encoded length */
	size_t min_len;   /* shortest prefix that still decodes */
};

static struct form forms[] = {
	{"H&P commit P-256", {.transaction = 1, .group = 19}, 6 + 2 + 96, 6 + 2 + 96},
	{"H&P commit P-384", {.transaction = 1, .group = 20}, 6 + 2 + 144, 6 + 2 + 144},
	{"H&P commit P-521", {.transaction = 1, .group = 21}, 6 + 2 + 198, 6 + 2 + 198},
	{"H&P commit with token", {.transaction = 1, .group = 19, .token_len = 32}, 6 + 2 + 32 + 96, 6 + 2 + 96},
	{"H2E commit, all elements", {.transaction = 1, .status = 126, .group = 19, .token_len = 32,
				      .password_id_len = 4, .rejected_groups_count = 2},
	 6 + 2 + 96 + (3 + 4) + (3 + 4) + (3 + 32), 6 + 2 + 96},
	{"token request, bare", {.transaction = 1, .status = 76, .group = 19, .token_len = 32}, 6 + 2 + 32, 6 + 2 + 1},
	{"token request, container", {.transaction = 1, .status = 76, .group = 19, .token_len = 32,
				      .token_in_container = true}, 6 + 2 + 3 + 32, 6 + 2 + 1},
	{"group not supported", {.transaction = 1, .status = 77, .group = 21}, 6 + 2, 6 + 2},
	{"confirm 32", {.transaction = 2, .send_confirm = 7, .confirm_len = 32}, 6 + 2 + 32, 6 + 2 + 32},
	{"confirm 64", {.transaction = 2, .send_confirm = 0xffff, .confirm_len = 64}, 6 + 2 + 64, 6 + 2 + 32},
	{"commit refused (status 1)", {.transaction = 1, .status = 1}, 6, 6},
	{"confirm refused (status 15)", {.transaction = 2, .status = 15}, 6, 6},
};

static struct sae_frame with_data(const struct form *fm)
{
	struct sae_frame f = fm->f;

	fill();
	if (f.transaction == 1 && (f.status == 0 || f.status == 126)) {
		f.scalar = scalar;
		f.element = element;
	}
	if (f.token_len)
		f.token = token;
	if (f.password_id_len)
		f.password_id = (const uint8_t *)"abcd";
	if (f.rejected_groups_count)
		f.rejected_groups = rejected;
	if (f.confirm_len)
		f.confirm = confirm;
	return f;
}

static int decode_copy(const uint8_t *buf, size_t len, struct sae_frame *out, uint8_t **keep)
{
	uint8_t *copy = malloc(len ? len : 1);
	int ret;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, buf, len);
	ret = sae_frame_decode(copy, len, out);
	*keep = copy;
	return ret;
}

START_TEST(every_form_round_trips)
{
	const struct form *fm = &forms[_i];
	struct sae_frame f = with_data(fm), d;
	uint8_t buf[512], *copy;
	size_t pl = sae_frame_group_prime_len(f.group);
	int n = sae_frame_encode(buf, sizeof(buf), &f);

	ck_assert_int_eq(n, (int)fm->len);
	ck_assert_int_eq(decode_copy(buf, (size_t)n, &d, &copy), CODEC_OK);
	ck_assert_uint_eq(d.algorithm, WLAN_AUTH_SAE);
	ck_assert_uint_eq(d.transaction, f.transaction);
	ck_assert_uint_eq(d.status, f.status);
	if (f.transaction == 1 && f.status != 1) {
		ck_assert_uint_eq(d.group, f.group);
		ck_assert_uint_eq(d.prime_len, pl);
	}
	if (f.scalar) {
		ck_assert_mem_eq(d.scalar, scalar, pl);
		ck_assert_mem_eq(d.element, element, 2 * pl);
	}
	ck_assert_uint_eq(d.token_len, f.token_len);
	if (f.token_len) {
		ck_assert_mem_eq(d.token, token, f.token_len);
		ck_assert(d.token_in_container == (f.status == 126 || f.token_in_container));
	}
	ck_assert_uint_eq(d.password_id_len, f.password_id_len);
	if (f.password_id_len)
		ck_assert_mem_eq(d.password_id, "abcd", 4);
	ck_assert_uint_eq(d.rejected_groups_count, f.rejected_groups_count);
	if (f.rejected_groups_count)
		ck_assert_mem_eq(d.rejected_groups, rejected, 4);
	if (f.transaction == 2 && f.status == 0) {
		ck_assert_uint_eq(d.send_confirm, f.send_confirm);
		ck_assert_uint_eq(d.confirm_len, f.confirm_len);
		ck_assert_mem_eq(d.confirm, confirm, f.confirm_len);
	}
	free(copy);
	/* the encoder refuses every buffer that is one octet short or more */
	for (size_t cap = 0; cap < (size_t)n; cap++)
		ck_assert_int_eq(sae_frame_encode(buf, cap, &f), CODEC_ERR_NO_SPACE);
}
END_TEST

START_TEST(every_truncation_point_fails_or_is_consistent)
{
	const struct form *fm = &forms[_i];
	struct sae_frame f = with_data(fm), d;
	uint8_t buf[512], *copy;
	int n = sae_frame_encode(buf, sizeof(buf), &f);

	ck_assert_int_gt(n, 0);
	for (size_t cut = 0; cut < (size_t)n; cut++) {
		int ret = decode_copy(buf, cut, &d, &copy);

		if (cut < fm->min_len) {
			ck_assert_msg(ret < 0, "%s: prefix %zu decoded", fm->name, cut);
		} else if (ret == CODEC_OK) {
			/* a shorter valid frame: a shorter token, or fewer trailing elements */
			ck_assert_uint_eq(d.transaction, f.transaction);
			if (d.token != NULL)
				ck_assert(d.token >= copy && d.token + d.token_len <= copy + cut);
			if (d.confirm != NULL)
				ck_assert(d.confirm + d.confirm_len <= copy + cut);
			if (d.element != NULL)
				ck_assert(d.element + 2 * d.prime_len <= copy + cut);
		} else {
			ck_assert_int_eq(ret, CODEC_ERR_ELEMENT_OVERRUN);
		}
		free(copy);
	}
}
END_TEST

START_TEST(malformed_bodies_are_errors)
{
	static const uint8_t not_sae[] = {0, 0, 1, 0, 0, 0};
	static const uint8_t bad_seq[] = {3, 0, 3, 0, 0, 0};
	static const uint8_t unknown_group[] = {3, 0, 1, 0, 0, 0, 99, 0, 1, 2, 3};
	uint8_t buf[512];
	struct sae_frame f, d;
	int n;

	ck_assert_int_eq(sae_frame_decode(not_sae, sizeof(not_sae), &d), CODEC_ERR_NOT_MGMT);
	ck_assert_int_eq(sae_frame_decode(bad_seq, sizeof(bad_seq), &d), CODEC_ERR_NOT_MGMT);
	/* an unknown group decodes (so that 77 can name it) with nothing past the group */
	ck_assert_int_eq(sae_frame_decode(unknown_group, sizeof(unknown_group), &d), CODEC_OK);
	ck_assert(!d.group_known);
	ck_assert_uint_eq(d.group, 99);
	ck_assert_ptr_null(d.scalar);
	/* Rejected Groups with an odd length */
	f = with_data(&forms[4]);
	f.password_id = NULL;
	f.token = NULL;
	f.rejected_groups_count = 0;
	n = sae_frame_encode(buf, sizeof(buf), &f);
	ck_assert_int_eq(n, 6 + 2 + 96);
	memcpy(buf + n, (const uint8_t[]){255, 4, 92, 19, 0, 20}, 6);
	ck_assert_int_eq(sae_frame_decode(buf, (size_t)n + 6, &d), CODEC_ERR_BAD_LENGTH);
	/* an extension element of length 0 */
	memcpy(buf + n, (const uint8_t[]){255, 0}, 2);
	ck_assert_int_eq(sae_frame_decode(buf, (size_t)n + 2, &d), CODEC_ERR_BAD_LENGTH);
	/* unknown elements are skipped */
	memcpy(buf + n, (const uint8_t[]){221, 2, 1, 2}, 4);
	ck_assert_int_eq(sae_frame_decode(buf, (size_t)n + 4, &d), CODEC_OK);
	/* encoder: a commit without scalar, a token request without token */
	memset(&f, 0, sizeof(f));
	f.transaction = 1;
	f.group = 19;
	ck_assert_int_eq(sae_frame_encode(buf, sizeof(buf), &f), CODEC_ERR_BAD_LENGTH);
	f.status = 76;
	ck_assert_int_eq(sae_frame_encode(buf, sizeof(buf), &f), CODEC_ERR_BAD_LENGTH);
	ck_assert(sae_status_is_h2e(126) && sae_status_is_h2e(127) && !sae_status_is_h2e(0));
}
END_TEST

START_TEST(whole_authentication_frame)
{
	struct mac_addr self = {{2, 0, 0, 0, 0, 1}}, peer = {{2, 0, 0, 0, 0, 2}};
	struct sae_frame f = with_data(&forms[0]), d;
	struct mgmt_hdr h;
	uint8_t body[256], frame[300];
	int n = sae_frame_encode(body, sizeof(body), &f), m;

	m = sae_auth_frame_encode(frame, sizeof(frame), &self, &peer, body, (size_t)n);
	ck_assert_int_eq(m, 24 + n);
	ck_assert_uint_eq(frame[0], 0xb0);
	ck_assert_int_eq(sae_auth_frame_decode(frame, (size_t)m, &h, &d), CODEC_OK);
	ck_assert(mac_equal(&h.addr1, &peer) && mac_equal(&h.addr2, &self) && mac_equal(&h.addr3, &self));
	ck_assert_uint_eq(d.group, 19);
	frame[1] |= 0x40;
	ck_assert_int_eq(sae_auth_frame_decode(frame, (size_t)m, &h, &d), CODEC_ERR_PROTECTED);
	frame[1] &= (uint8_t)~0x40;
	frame[0] = 0xd0;
	ck_assert_int_eq(sae_auth_frame_decode(frame, (size_t)m, &h, &d), CODEC_ERR_NOT_MGMT);
	for (int cap = 0; cap < m; cap++)
		ck_assert_int_lt(sae_auth_frame_encode(frame, (size_t)cap, &self, &peer, body, (size_t)n), 0);
}
END_TEST

Suite *sae_frame_suite(void)
{
	Suite *s = suite_create("sae_frame");
	TCase *tc = tcase_create("codec");
	int n = (int)(sizeof(forms) / sizeof(forms[0]));

	tcase_add_loop_test(tc, every_form_round_trips, 0, n);
	tcase_add_loop_test(tc, every_truncation_point_fails_or_is_consistent, 0, n);
	tcase_add_test(tc, malformed_bodies_are_errors);
	tcase_add_test(tc, whole_authentication_frame);
	suite_add_tcase(s, tc);
	return s;
}
