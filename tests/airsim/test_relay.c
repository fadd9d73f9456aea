#include <check.h>
#include <string.h>

#include "relay.h"
#include "suites.h"

#define MAX_SENT 8

struct fake_air {
	unsigned n_sent, n_captured;
	unsigned to[MAX_SENT];
	uint8_t frames[MAX_SENT][128];
	size_t lens[MAX_SENT];
	bool fail_to_gw3;
};

static int fake_transmit(void *ctx, unsigned to, const uint8_t *frame, size_t len)
{
	struct fake_air *f = ctx;

	if (f->fail_to_gw3 && to == 2)
		return -1;
	ck_assert_uint_lt(f->n_sent, MAX_SENT);
	ck_assert_uint_le(len, sizeof(f->frames[0]));
	f->to[f->n_sent] = to;
	memcpy(f->frames[f->n_sent], frame, len);
	f->lens[f->n_sent++] = len;
	return 0;
}

static void fake_capture(void *ctx, unsigned from, const uint8_t *frame, size_t len)
{
	struct fake_air *f = ctx;

	(void)from;
	(void)frame;
	(void)len;
	f->n_captured++;
}

/* Minimal radiotap with Rate 1 Mb/s (no Flags), then a 24-byte management header and 2 body bytes. */
static const uint8_t frame[] = {
	0x00, 0x00, 0x09, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02,
	0xd0, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x10, 0x00, 0x0d, 0x01,
};
#define DOT11_OFF 9

static struct medium medium;
static struct relay relay;
static struct fake_air air;

static void setup(void)
{
	struct relay_ops ops = {.transmit = fake_transmit, .capture = fake_capture, .ctx = &air};

	memset(&air, 0, sizeof(air));
	load_lab_topology(&medium, 1);
	medium_link(&medium, 0, 1)->rate_500kbps = 12;  /* gw1-gw2 6 Mb/s */
	medium_link(&medium, 0, 2)->rate_500kbps = 108; /* gw1-gw3 54 Mb/s */
	relay_init(&relay, &medium, &ops);
}

static void assert_delivered(unsigned k, unsigned to, uint8_t rate)
{
	ck_assert_uint_eq(air.to[k], to);
	ck_assert_uint_eq(air.lens[k], RADIOTAP_TX_LEN + sizeof(frame) - DOT11_OFF);
	ck_assert_uint_eq(air.frames[k][9], rate);
	ck_assert_mem_eq(air.frames[k] + RADIOTAP_TX_LEN, frame + DOT11_OFF, sizeof(frame) - DOT11_OFF);
}

START_TEST(frame_reaches_every_other_node_at_its_link_rate)
{
	ck_assert_int_eq(relay_frame(&relay, 0, frame, sizeof(frame)), 2);
	ck_assert_uint_eq(air.n_sent, 2);
	assert_delivered(0, 1, 12);
	assert_delivered(1, 2, 108);
	ck_assert_uint_eq(air.n_captured, 1);
	ck_assert_uint_eq(medium.nodes[0].rx, 1);
}
END_TEST

START_TEST(cut_link_is_skipped)
{
	medium_link(&medium, 2, 0)->up = false;
	ck_assert_int_eq(relay_frame(&relay, 0, frame, sizeof(frame)), 1);
	ck_assert_uint_eq(air.n_sent, 1);
	assert_delivered(0, 1, 12);
	ck_assert_uint_eq(medium_link(&medium, 0, 2)->dropped_cut, 1);
	ck_assert_uint_eq(air.n_captured, 1); /* still on the air */
}
END_TEST

START_TEST(down_sender_is_silent)
{
	medium.nodes[0].up = false;
	ck_assert_int_eq(relay_frame(&relay, 0, frame, sizeof(frame)), 0);
	ck_assert_uint_eq(air.n_sent, 0);
	ck_assert_uint_eq(air.n_captured, 0);
	ck_assert_uint_eq(medium.nodes[0].sent_while_down, 1);
}
END_TEST

START_TEST(invalid_frame_is_counted_and_dropped)
{
	uint8_t bad[sizeof(frame)];

	memcpy(bad, frame, sizeof(frame));
	bad[2] = 0xff; /* it_len past the end */
	ck_assert_int_eq(relay_frame(&relay, 1, bad, sizeof(bad)), -1);
	ck_assert_int_eq(relay_frame(&relay, 1, frame, 5), -1);
	ck_assert_uint_eq(air.n_sent, 0);
	ck_assert_uint_eq(air.n_captured, 0);
	ck_assert_uint_eq(medium.nodes[1].invalid, 2);
	ck_assert_uint_eq(medium.nodes[1].rx, 2);
}
END_TEST

START_TEST(refused_transmit_is_counted)
{
	air.fail_to_gw3 = true;
	ck_assert_int_eq(relay_frame(&relay, 0, frame, sizeof(frame)), 1);
	ck_assert_uint_eq(medium.nodes[2].tx_errors, 1);
	ck_assert_uint_eq(medium.nodes[1].tx_errors, 0);
}
END_TEST

/* drop-opens: the next N Mesh Peering Opens of one direction are lost, everything else passes. */
START_TEST(drop_opens_rule)
{
	uint8_t open[sizeof(frame)];
	struct medium_link *l = medium_link(&medium, 0, 1);

	memcpy(open, frame, sizeof(frame));
	open[DOT11_OFF + 24] = 15; /* Self-protected */
	open[DOT11_OFF + 25] = 1;  /* Open */
	medium.drop_opens[0][1] = 2;
	ck_assert_int_eq(relay_frame(&relay, 0, open, sizeof(open)), 1); /* only gw3 gets it */
	ck_assert_uint_eq(air.to[0], 2);
	ck_assert_int_eq(relay_frame(&relay, 0, frame, sizeof(frame)), 2); /* not an Open: both */
	ck_assert_int_eq(relay_frame(&relay, 1, open, sizeof(open)), 2); /* the other direction: both */
	air.n_sent = 0;
	ck_assert_int_eq(relay_frame(&relay, 0, open, sizeof(open)), 1);
	air.n_sent = 0;
	ck_assert_int_eq(relay_frame(&relay, 0, open, sizeof(open)), 2); /* the rule is used up */
	ck_assert_uint_eq(l->dropped_rule, 2);
	ck_assert_uint_eq(medium.drop_opens[0][1], 0);
}
END_TEST

Suite *relay_suite(void)
{
	Suite *s = suite_create("relay");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, drop_opens_rule);
	tcase_add_test(tc, frame_reaches_every_other_node_at_its_link_rate);
	tcase_add_test(tc, cut_link_is_skipped);
	tcase_add_test(tc, down_sender_is_silent);
	tcase_add_test(tc, invalid_frame_is_counted_and_dropped);
	tcase_add_test(tc, refused_transmit_is_counted);
	suite_add_tcase(s, tc);
	return s;
}
