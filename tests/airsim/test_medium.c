#include <check.h>
#include <math.h>

#include "medium.h"
#include "suites.h"

START_TEST(up_link_delivers_both_ways)
{
	struct medium m;

	load_lab_topology(&m, 1);
	ck_assert_int_eq(medium_decide(&m, 0, 1), MEDIUM_DELIVER);
	ck_assert_int_eq(medium_decide(&m, 1, 0), MEDIUM_DELIVER);
	ck_assert_uint_eq(medium_link(&m, 0, 1)->delivered, 2);
	ck_assert_uint_eq(m.nodes[0].tx, 1);
	ck_assert_uint_eq(m.nodes[1].tx, 1);
}
END_TEST

START_TEST(cut_link_drops_only_that_pair)
{
	struct medium m;

	load_lab_topology(&m, 1);
	medium_link(&m, 0, 2)->up = false;
	ck_assert_int_eq(medium_decide(&m, 0, 2), MEDIUM_DROP_CUT);
	ck_assert_int_eq(medium_decide(&m, 2, 0), MEDIUM_DROP_CUT);
	ck_assert_int_eq(medium_decide(&m, 0, 1), MEDIUM_DELIVER);
	ck_assert_int_eq(medium_decide(&m, 2, 1), MEDIUM_DELIVER);
	ck_assert_uint_eq(medium_link(&m, 0, 2)->dropped_cut, 2);
	ck_assert_uint_eq(medium_link(&m, 0, 2)->delivered, 0);
	medium_link(&m, 2, 0)->up = true;
	ck_assert_int_eq(medium_decide(&m, 0, 2), MEDIUM_DELIVER);
}
END_TEST

START_TEST(down_node_neither_sends_nor_hears)
{
	struct medium m;

	load_lab_topology(&m, 1);
	m.nodes[1].up = false;
	ck_assert_int_eq(medium_decide(&m, 0, 1), MEDIUM_DROP_NODE_DOWN);
	ck_assert_int_eq(medium_decide(&m, 1, 2), MEDIUM_DROP_NODE_DOWN);
	ck_assert_int_eq(medium_decide(&m, 0, 2), MEDIUM_DELIVER);
	ck_assert_uint_eq(medium_link(&m, 0, 1)->dropped_node_down, 1);
	ck_assert_uint_eq(medium_link(&m, 1, 2)->dropped_node_down, 1);
	m.nodes[1].up = true;
	ck_assert_int_eq(medium_decide(&m, 0, 1), MEDIUM_DELIVER);
}
END_TEST

START_TEST(cut_counts_before_node_down)
{
	struct medium m;

	load_lab_topology(&m, 1);
	m.nodes[1].up = false;
	medium_link(&m, 0, 1)->up = false;
	ck_assert_int_eq(medium_decide(&m, 0, 1), MEDIUM_DROP_CUT);
}
END_TEST

/* Loss 0.3 over 100,000 frames: the count is binomial with sigma ~145, so +-1% (1,000 frames,
 * about 7 sigma) never fails by chance yet catches an inverted or ignored draw. */
START_TEST(loss_rate_matches_configuration)
{
	const unsigned frames = 100000;
	static const double losses[] = {0.0, 0.3, 0.5, 0.95, 1.0};

	for (unsigned k = 0; k < sizeof(losses) / sizeof(losses[0]); k++) {
		struct medium m;
		unsigned lost = 0;

		load_lab_topology(&m, 42 + k);
		medium_link(&m, 0, 1)->loss = losses[k];
		for (unsigned i = 0; i < frames; i++)
			lost += medium_decide(&m, 0, 1) == MEDIUM_DROP_LOSS;
		ck_assert_msg(fabs((double)lost / frames - losses[k]) <= 0.01, "loss %.2f: lost %u of %u", losses[k],
			      lost, frames);
		ck_assert_uint_eq(medium_link(&m, 0, 1)->dropped_loss, lost);
		ck_assert_uint_eq(medium_link(&m, 0, 1)->delivered, frames - lost);
	}
}
END_TEST

START_TEST(same_seed_same_losses)
{
	struct medium a, b, c;
	unsigned differ = 0;

	load_lab_topology(&a, 7);
	load_lab_topology(&b, 7);
	load_lab_topology(&c, 8);
	medium_link(&a, 0, 1)->loss = medium_link(&b, 0, 1)->loss = medium_link(&c, 0, 1)->loss = 0.5;
	for (unsigned i = 0; i < 1000; i++) {
		enum medium_verdict va = medium_decide(&a, 0, 1), vc = medium_decide(&c, 0, 1);

		ck_assert_int_eq(va, medium_decide(&b, 0, 1));
		differ += va != vc;
	}
	ck_assert_uint_gt(differ, 100); /* another seed is another sequence */
}
END_TEST

START_TEST(rates_in_500kbps_units)
{
	uint8_t r = 0;

	ck_assert(medium_rate_from_mbps(54, &r) && r == 108);
	ck_assert(medium_rate_from_mbps(5.5, &r) && r == 11);
	ck_assert(medium_rate_from_mbps(0.5, &r) && r == 1);
	ck_assert(medium_rate_from_mbps(127.5, &r) && r == 255);
	ck_assert(!medium_rate_from_mbps(0, &r));
	ck_assert(!medium_rate_from_mbps(128, &r));
	ck_assert(!medium_rate_from_mbps(5.25, &r));
	ck_assert(!medium_rate_from_mbps(NAN, &r));
	ck_assert(medium_rate_mbps(11) == 5.5);
}
END_TEST

START_TEST(link_table_is_symmetric_and_distinct)
{
	struct medium m;

	medium_init(&m, 1);
	for (unsigned i = 0; i < MEDIUM_MAX_NODES; i++)
		ck_assert_int_eq(medium_add_node(&m, "n", "i"), (int)i);
	ck_assert_int_eq(medium_add_node(&m, "n", "i"), -1);
	for (unsigned b = 1; b < MEDIUM_MAX_NODES; b++)
		for (unsigned a = 0; a < b; a++) {
			ck_assert_ptr_eq(medium_link(&m, a, b), medium_link(&m, b, a));
			medium_link(&m, a, b)->delivered++;
		}
	/* every pair hit its own entry exactly once */
	for (unsigned k = 0; k < MEDIUM_MAX_LINKS; k++)
		ck_assert_uint_eq(m.links[k].delivered, 1);
}
END_TEST

Suite *medium_suite(void)
{
	Suite *s = suite_create("medium");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, up_link_delivers_both_ways);
	tcase_add_test(tc, cut_link_drops_only_that_pair);
	tcase_add_test(tc, down_node_neither_sends_nor_hears);
	tcase_add_test(tc, cut_counts_before_node_down);
	tcase_add_test(tc, loss_rate_matches_configuration);
	tcase_add_test(tc, same_seed_same_losses);
	tcase_add_test(tc, rates_in_500kbps_units);
	tcase_add_test(tc, link_table_is_symmetric_and_distinct);
	suite_add_tcase(s, tc);
	return s;
}
