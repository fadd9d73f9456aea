/* mac_table: single-threaded semantics, then the RCU guarantee under load: a reader lcore holds
 * entries between quiescent reports while the writer replaces, removes and recycles them. An
 * entry recycled too early changes under the reader's eyes, which the reader detects. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_random.h>
#include <rte_rcu_qsbr.h>

#include "mac_table.h"

#define MAGIC 0x6d657368706c616eull
#define N_KEYS 32

struct test_entry {
	uint64_t key_index;
	uint64_t generation;
	uint64_t check; /* key_index ^ generation ^ MAGIC */
};

static struct rte_rcu_qsbr *qsbr;

static struct mac_addr key_mac(unsigned i)
{
	struct mac_addr m = {{0x02, 0xee, 0, 0, 0, (uint8_t)i}};

	return m;
}

static struct rte_rcu_qsbr *make_qsbr(unsigned readers)
{
	struct rte_rcu_qsbr *v = rte_zmalloc(NULL, rte_rcu_qsbr_get_memsize(readers), RTE_CACHE_LINE_SIZE);

	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(rte_rcu_qsbr_init(v, readers), 0);
	return v;
}

START_TEST(put_lookup_replace_remove)
{
	struct rte_rcu_qsbr *v = make_qsbr(1);
	struct mac_table *t = mac_table_create("t_basic", 4, 2, sizeof(struct test_entry), v);
	struct test_entry e = {1, 1, 0};
	const struct test_entry *got;
	struct mac_addr k0 = key_mac(0);

	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_null(mac_table_lookup(t, &k0));
	ck_assert_int_eq(mac_table_put(t, &k0, &e, false), 0);
	got = mac_table_lookup(t, &k0);
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(got->generation, 1);
	e.generation = 2;
	ck_assert_int_eq(mac_table_put(t, &k0, &e, false), 0);
	ck_assert_uint_eq(((const struct test_entry *)mac_table_lookup(t, &k0))->generation, 2);
	ck_assert_uint_eq(t->count, 1);
	ck_assert_uint_eq(t->stats.replaces, 1);
	ck_assert_int_eq(mac_table_remove(t, &k0), 0);
	ck_assert_ptr_null(mac_table_lookup(t, &k0));
	ck_assert_int_eq(mac_table_remove(t, &k0), -ENOENT);
	ck_assert_uint_eq(t->count, 0);
	mac_table_free(t);
	rte_free(v);
}
END_TEST

/* Ordinary inserts stop at capacity; reserved inserts (neighbours, local) still get in. */
START_TEST(full_table_refuses_but_keeps_reserved_room)
{
	struct rte_rcu_qsbr *v = make_qsbr(1);
	struct mac_table *t = mac_table_create("t_full", 4, 2, sizeof(struct test_entry), v);
	struct test_entry e = {0, 0, 0};
	const void *out[N_KEYS];
	mac_key_t keys[8];

	for (unsigned i = 0; i < 4; i++) {
		struct mac_addr k = key_mac(i);

		ck_assert_int_eq(mac_table_put(t, &k, &e, false), 0);
	}
	{
		struct mac_addr k = key_mac(4), r = key_mac(5), r2 = key_mac(6), r3 = key_mac(7);

		ck_assert_int_eq(mac_table_put(t, &k, &e, false), -ENOSPC);
		ck_assert_uint_eq(t->stats.full, 1);
		ck_assert_int_eq(mac_table_put(t, &r, &e, true), 0);
		ck_assert_int_eq(mac_table_put(t, &r2, &e, true), 0);
		ck_assert_int_eq(mac_table_put(t, &r3, &e, true), -ENOSPC);
	}
	for (unsigned i = 0; i < 8; i++) {
		struct mac_addr k = key_mac(i);

		keys[i] = mac_key(&k);
	}
	ck_assert_uint_eq(mac_table_lookup_bulk(t, keys, 8, out), 6);
	ck_assert_ptr_null(out[4]);
	ck_assert_ptr_nonnull(out[5]);
	mac_table_free(t);
	rte_free(v);
}
END_TEST

/* Without a quiescent report from the reader, nothing retired may come back. */
START_TEST(retired_entries_wait_for_readers)
{
	struct rte_rcu_qsbr *v = make_qsbr(1);
	struct mac_table *t = mac_table_create("t_grace", 2, 0, sizeof(struct test_entry), v);
	struct test_entry e = {0, 0, 0};
	struct mac_addr k = key_mac(0);
	const uint32_t pool = 2 + MAC_TABLE_REPLACE_ROOM;

	rte_rcu_qsbr_thread_register(v, 0);
	rte_rcu_qsbr_thread_online(v, 0);
	/* One live entry and pool - 1 retired ones: every pool entry is taken... */
	for (uint32_t i = 0; i < pool; i++)
		ck_assert_int_eq(mac_table_put(t, &k, &e, false), 0);
	ck_assert_int_eq(mac_table_put(t, &k, &e, false), -ENOSPC);
	ck_assert_uint_eq(t->stats.reclaimed, 0);
	/* ...until the reader reports a quiescent state. */
	rte_rcu_qsbr_quiescent(v, 0);
	ck_assert_int_eq(mac_table_put(t, &k, &e, false), 0);
	ck_assert_uint_eq(t->stats.reclaimed, pool - 1);
	rte_rcu_qsbr_thread_offline(v, 0);
	rte_rcu_qsbr_thread_unregister(v, 0);
	mac_table_free(t);
	rte_free(v);
}
END_TEST

/* Found by the hostile-input test: a table full of keys still takes updates of the keys it holds (a
 * PREQ storm filled the path table, and a better path to a known node could not be installed). */
START_TEST(full_table_still_updates_present_keys)
{
	struct rte_rcu_qsbr *v = make_qsbr(1);
	struct mac_table *t = mac_table_create("t_update", 4, 0, sizeof(struct test_entry), v);
	struct test_entry e = {0, 0, 0};
	struct mac_addr k0 = key_mac(0), extra = key_mac(9);

	for (unsigned i = 0; i < 4; i++) {
		struct mac_addr k = key_mac(i);

		ck_assert_int_eq(mac_table_put(t, &k, &e, false), 0);
	}
	ck_assert_int_eq(mac_table_put(t, &extra, &e, false), -ENOSPC);
	e.generation = 7;
	ck_assert_int_eq(mac_table_put(t, &k0, &e, false), 0);
	ck_assert_uint_eq(((const struct test_entry *)mac_table_lookup(t, &k0))->generation, 7);
	ck_assert_uint_eq(t->count, 4);
	mac_table_free(t);
	rte_free(v);
}
END_TEST

static struct mac_table *shared;
static volatile int reader_stop;
static uint64_t reader_lookups, reader_hits, reader_violations;

static int reader_main(void *arg)
{
	(void)arg;
	rte_rcu_qsbr_thread_register(qsbr, 0);
	rte_rcu_qsbr_thread_online(qsbr, 0);
	while (!__atomic_load_n(&reader_stop, __ATOMIC_ACQUIRE)) {
		const struct test_entry *held[N_KEYS];
		struct test_entry first[N_KEYS];

		for (unsigned i = 0; i < N_KEYS; i++) {
			struct mac_addr k = key_mac(i);

			held[i] = mac_table_lookup(shared, &k);
			reader_lookups++;
			if (held[i] == NULL)
				continue;
			reader_hits++;
			memcpy(&first[i], (const void *)held[i], sizeof(first[i]));
			if (first[i].key_index != i || first[i].check != (first[i].key_index ^ first[i].generation ^ MAGIC))
				reader_violations++;
		}
		/* Hold every entry a while, as a worker holds entries across a burst. */
		for (int spin = 0; spin < 200; spin++)
			rte_pause();
		for (unsigned i = 0; i < N_KEYS; i++)
			if (held[i] != NULL && memcmp(&first[i], (const void *)held[i], sizeof(first[i])) != 0)
				reader_violations++;
		rte_rcu_qsbr_quiescent(qsbr, 0);
	}
	rte_rcu_qsbr_thread_offline(qsbr, 0);
	rte_rcu_qsbr_thread_unregister(qsbr, 0);
	return 0;
}

START_TEST(reader_never_sees_a_recycled_entry)
{
	unsigned reader = rte_get_next_lcore(-1, 1, 0);
	uint64_t ops = 0, refused = 0;

	ck_assert_uint_lt(reader, RTE_MAX_LCORE);
	qsbr = make_qsbr(1);
	/* Few spare entries: retired ones must be recycled constantly. */
	shared = mac_table_create("t_rcu", N_KEYS + 4, 0, sizeof(struct test_entry), qsbr);
	ck_assert_ptr_nonnull(shared);
	reader_stop = 0;
	ck_assert_int_eq(rte_eal_remote_launch(reader_main, NULL, reader), 0);
	/* The writer goes on until the reader has held and released entries often enough (or a generous
	 * deadline passes): on a busy machine the reader lcore may get little CPU time, so the amount of
	 * recycling, not the number of writer operations, is what the test waits for. */
	uint64_t deadline = rte_get_tsc_cycles() + 120 * rte_get_tsc_hz();

	for (uint64_t gen = 1; gen <= 300000 || shared->stats.reclaimed <= 10000 ||
			       __atomic_load_n(&reader_hits, __ATOMIC_RELAXED) <= 1000; gen++) {
		if (gen % 1024 == 0 && rte_get_tsc_cycles() > deadline)
			break;
		unsigned i = (unsigned)(rte_rand() % N_KEYS);
		struct mac_addr k = key_mac(i);
		struct test_entry e = {i, gen, i ^ gen ^ MAGIC};

		if (rte_rand() % 4 == 0)
			mac_table_remove(shared, &k);
		else if (mac_table_put(shared, &k, &e, false) < 0)
			refused++; /* every spare entry waits for the reader: retry later */
		if (gen % 8 == 0)
			mac_table_reclaim(shared);
		ops++;
	}
	__atomic_store_n(&reader_stop, 1, __ATOMIC_RELEASE);
	rte_eal_wait_lcore(reader);
	printf("mac_table RCU: %lu writer ops (%lu refused while waiting for the reader), %lu reader lookups, "
	       "%lu hits, %lu entries reclaimed, %lu violations\n",
	       (unsigned long)ops, (unsigned long)refused, (unsigned long)reader_lookups,
	       (unsigned long)reader_hits, (unsigned long)shared->stats.reclaimed, (unsigned long)reader_violations);
	ck_assert_uint_eq(reader_violations, 0);
	ck_assert_uint_gt(reader_hits, 1000);
	ck_assert_uint_gt(shared->stats.reclaimed, 10000);
	mac_table_free(shared);
	rte_free(qsbr);
}
END_TEST

int main(void)
{
	char prefix[64];
	char *eal_argv[] = {"test_mac_table", "--no-huge", "-m", "64", "-l", "0,1", "--no-pci", "--no-telemetry",
			    "--log-level=4", prefix, NULL};
	Suite *s = suite_create("mac_table");
	TCase *tc = tcase_create("mac_table");
	SRunner *sr;
	int failed;

	snprintf(prefix, sizeof(prefix), "--file-prefix=mp-tabletest-%d", (int)getpid());
	if (rte_eal_init(10, eal_argv) < 0)
		return 1;
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, put_lookup_replace_remove);
	tcase_add_test(tc, full_table_refuses_but_keeps_reserved_room);
	tcase_add_test(tc, full_table_still_updates_present_keys);
	tcase_add_test(tc, retired_entries_wait_for_readers);
	tcase_add_test(tc, reader_never_sees_a_recycled_entry);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK); /* EAL does not survive fork */
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rte_eal_cleanup();
	return failed == 0 ? 0 : 1;
}
