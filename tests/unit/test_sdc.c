/* Tests for disclosure control: primary and secondary suppression, and the
 * recompute test: no hidden cell can be worked out from published totals. */
#include <stdlib.h>
#include <string.h>

#include "sdc.h"
#include "unit.h"

START_TEST(threshold)
{
	ck_assert_int_eq(sdc_threshold(10, 5), 10);
	ck_assert_int_eq(sdc_threshold(10, 20), 20);
	ck_assert(!sdc_small(0, 10));
	ck_assert(sdc_small(1, 10));
	ck_assert(sdc_small(9, 10));
	ck_assert(!sdc_small(10, 10));
}
END_TEST

/* sdc_oneway of the n counts v with total, additive or not, at threshold
 * 10 hides the cells as want says, one letter a cell and the total's last:
 * 'x' hidden, '-' shown, '?' either. */
static void
oneway(const long *v, size_t n, long total, int additive, const char *want)
{
	unsigned char s[16];
	int ts;

	ck_assert_uint_eq(strlen(want), n + 1);
	ck_assert_int_eq(sdc_oneway(v, n, total, additive, 10, s, &ts), SDC_OK);
	for (size_t i = 0; i <= n; i++)
		if (want[i] != '?')
			ck_assert_msg((i < n ? s[i] != 0 : ts != 0) == (want[i] == 'x'),
			    "cell %zu of %s", i, want);
}

START_TEST(primary_only_when_safe)
{
	oneway((long[]){ 50, 6, 4, 60 }, 4, 120, 1, "-xx--");
}
END_TEST

/* 117 - 50 - 60 = 7 people chose one of the two hidden answers: a small
 * count by subtraction, so a third count goes. */
START_TEST(hidden_sum_small)
{
	oneway((long[]){ 50, 3, 4, 60 }, 4, 117, 1, "xxx--");
}
END_TEST

/* 11 answers: Monday 10, Tuesday 1, Wednesday 0.  Tuesday is 11 - 10 - 0,
 * so Monday goes; then "[c], [c], 0" says the 11 chose Monday or Tuesday,
 * the zero goes too. */
START_TEST(tester_days)
{
	oneway((long[]){ 10, 1, 0 }, 3, 11, 1, "xxx-");
}
END_TEST

/* A group of 3 all "Not very confident": the zeros beside the hidden 3
 * would say so. */
START_TEST(three_of_three)
{
	oneway((long[]){ 0, 3, 0, 0 }, 4, 3, 1, "xxxxx");
}
END_TEST

/* Cross-tabulation: a ward of 3 all "Not very confident" shows nothing. */
START_TEST(small_group_column)
{
	/* rows: very, fairly, not very; columns: East (3 people), West; totals */
	long g[] = { 0, 12, 12, 0, 15, 15, 3, 11, 14, 3, 38, 41 };
	unsigned char s[12];

	ck_assert_int_eq(sdc_twoway(g, 3, 2, 10, s), SDC_OK);
	ck_assert(s[0] && s[3] && s[6] && s[9]);	/* the whole East column */
	ck_assert(!sdc_recoverable(3, 2, s));
}
END_TEST

START_TEST(threshold_only_raised)
{
	ck_assert_int_eq(sdc_threshold(0, 0), SDC_K_DEFAULT);
	ck_assert_int_eq(sdc_threshold(10, 3), 10);	/* a poll set cannot lower it */
	ck_assert_int_eq(sdc_threshold(10, 15), 15);
	ck_assert_int_eq(sdc_threshold(12, 10), 12);
}
END_TEST

/* One small cell in a table with a total: the next smallest goes too (25
 * is the smallest non-zero visible cell). */
START_TEST(secondary_next_smallest)
{
	oneway((long[]){ 50, 3, 40, 0, 25 }, 5, 118, 1, "-x--x-");
}
END_TEST

/* The only non-zero cell is small: the total would give it away. */
START_TEST(secondary_total)
{
	oneway((long[]){ 0, 4, 0 }, 3, 4, 1, "?x?x");
}
END_TEST

START_TEST(non_additive_primary_only)
{
	oneway((long[]){ 50, 3, 40 }, 3, 60, 0, "-x--");
}
END_TEST

/* Counts hidden per line: 0 or at least 2, totals counted as members. */
static void
check_lines_oneway(const unsigned char *s, size_t n, int ts)
{
	size_t hidden = ts != 0;

	for (size_t i = 0; i < n; i++)
		hidden += s[i] != 0;
	ck_assert_msg(hidden != 1, "one hidden cell in a line with a total");
}

/* The attacker's view of a question's skipped count: the base is known when
 * published or when every row is (the rows add up to it); asked only when
 * published.  Knowing both gives asked - answered, which must not be small. */
static void
check_skipped(const unsigned char *s, size_t n, int ts, long asked, long answered,
    int asked_supp, int k)
{
	int base_known = 1;

	for (size_t i = 0; i < n && ts; i++)
		base_known = base_known && !s[i];
	if (!asked_supp)
		ck_assert_msg(!sdc_small(asked, k), "asked %ld published at k %d", asked, k);
	if (base_known && !asked_supp)
		ck_assert_msg(!sdc_small(asked - answered, k), "%ld of %ld skipped, at k %d",
		    asked - answered, asked, k);
}

/* Recompute test, one-way: many random tables, none recomputable, and the
 * number asked beside the base never gives away a small number skipped. */
START_TEST(recompute_oneway_random)
{
	srand(12345);
	for (int round = 0; round < 20000; round++) {
		size_t n = 1 + (size_t)(rand() % 12);
		long v[12], total = 0, asked;
		unsigned char s[12];
		int ts, k = 2 + rand() % 19;
		for (size_t i = 0; i < n; i++)
			total += v[i] = rand() % 4 == 0 ? 0 : rand() % (3 * k);
		asked = total + (rand() % 3 == 0 ? 0 : rand() % (2 * k));
		sdc_oneway(v, n, total, 1, k, s, &ts);
		for (size_t i = 0; i < n; i++)
			ck_assert(!sdc_small(v[i], k) || s[i]);
		check_lines_oneway(s, n, ts);
		check_skipped(s, n, ts, asked, total, ts || sdc_asked_hidden(asked, total, k), k);
	}
}
END_TEST

/* "Base: 11 answered of 12 asked" says one person skipped: asked is hidden. */
START_TEST(skipped_small_hides_asked)
{
	ck_assert(sdc_asked_hidden(12, 11, 10));
	ck_assert(sdc_asked_hidden(20, 11, 10));
	ck_assert(!sdc_asked_hidden(21, 11, 10));	/* 10 skipped: shown */
	ck_assert(!sdc_asked_hidden(11, 11, 10));	/* nobody skipped */
	ck_assert(sdc_asked_hidden(5, 0, 10));		/* asked itself small */
	ck_assert(!sdc_asked_hidden(0, 0, 10));
}
END_TEST

static void
fill_grid(long *g, size_t r, size_t c, int k)
{
	memset(g, 0, (r + 1) * (c + 1) * sizeof(*g));
	for (size_t i = 0; i < r; i++)
		for (size_t j = 0; j < c; j++) {
			long v = rand() % 3 == 0 ? 0 : rand() % (4 * k);
			g[i * (c + 1) + j] = v;
			g[i * (c + 1) + c] += v;
			g[r * (c + 1) + j] += v;
			g[r * (c + 1) + c] += v;
		}
}

/* Recompute test, two-way: with row, column and grand totals published,
 * the attacker solving any line with a single unknown learns nothing. */
START_TEST(recompute_twoway_random)
{
	srand(777);
	for (int round = 0; round < 5000; round++) {
		size_t r = 1 + (size_t)(rand() % 8), c = 1 + (size_t)(rand() % 8);
		long g[81];
		unsigned char s[81];
		int k = 3 + rand() % 10;
		fill_grid(g, r, c, k);
		sdc_twoway(g, r, c, k, s);
		for (size_t i = 0; i < (r + 1) * (c + 1); i++)
			ck_assert(!sdc_small(g[i], k) || s[i]);
		ck_assert_msg(!sdc_recoverable(r, c, s), "round %d: a hidden cell is recoverable", round);
	}
}
END_TEST

/* The attacker check itself finds a lone hidden cell. */
START_TEST(attacker_finds_lone_cell)
{
	unsigned char s[9] = { 0 };

	s[0] = 1;	/* 2x2 table, one interior cell hidden */
	ck_assert(sdc_recoverable(2, 2, s));
	s[1] = s[3] = s[4] = 1;	/* a 2x2 block of hidden cells is safe */
	ck_assert(!sdc_recoverable(2, 2, s));
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("sdc");
	TCase *tc = tcase_create("suppression");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, threshold);
	tcase_add_test(tc, primary_only_when_safe);
	tcase_add_test(tc, hidden_sum_small);
	tcase_add_test(tc, tester_days);
	tcase_add_test(tc, three_of_three);
	tcase_add_test(tc, threshold_only_raised);
	tcase_add_test(tc, small_group_column);
	tcase_add_test(tc, secondary_next_smallest);
	tcase_add_test(tc, secondary_total);
	tcase_add_test(tc, non_additive_primary_only);
	tcase_add_test(tc, recompute_oneway_random);
	tcase_add_test(tc, skipped_small_hides_asked);
	tcase_add_test(tc, recompute_twoway_random);
	tcase_add_test(tc, attacker_finds_lone_cell);
	suite_add_tcase(su, tc);
	return unit_run(su, CK_FORK);
}
