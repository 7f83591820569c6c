/* Tests for the open-data export's local withholding rule on hand-made
 * tables over ward and sex: where withholding within the file alone wins,
 * where a kept column costs nothing or is still withheld, and the reader's
 * subtraction beside the report's tables (rows dropped count as hidden). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_opendata.h"

/* How many rows of the file show ward w and sex x. */
static long
rows_showing(const struct csv *c, const char *w, const char *x)
{
	long n = 0, cw = col(c, "ward"), cx = col(c, "sex");

	for (size_t r = 1; r < c->nrows; r++)
		n += strcmp(c->cell[r][cw], w) == 0 && strcmp(c->cell[r][cx], x) == 0;
	return n;
}

/* Anonymises the ward and sex table set[0..n), keeping keep and dropping
 * nothing, and checks the cells withheld per column and the rows dropped. */
static void
check_ward_sex(const struct survey *s, const struct ward_sex *set, size_t n,
    const char *keep, long ward, long sex, long dropped, struct csv *c)
{
	struct opendata *d = ward_sex_table(s, set, n, keep, 0.0);
	struct opendata_stats st;
	long w;

	anonymise_and_check(d, "ward,sex", &st, c);
	ck_assert_int_eq(st.dropped, dropped);
	ck_assert_str_eq(opendata_qi(d, 0, &w), "ward");
	ck_assert_int_eq(w, ward);
	ck_assert_str_eq(opendata_qi(d, 1, &w), "sex");
	ck_assert_int_eq(w, sex);
	ck_assert_int_eq(st.withheld_cells, ward + sex);
	opendata_free(d);
}

/* Hand-made, where local withholding wins within the file alone: the rare
 * wards lose their ward in their own 10 rows, no Highgate row changes and
 * Woodside's 5 men are dropped.  Global withholding withheld 55 cells here
 * (the two rare wards, then woodside in all 20 rows and male in all 35,
 * Highgate's included), for the same 5 rows dropped.  Beside the report's
 * tables neither would do: 5 rows dropped, and Woodside and male hidden from
 * 5 responses each, can be read off by subtraction.  Keeping the 5 men
 * costs as many cells as global withholding, with no row dropped. */
START_TEST(local_beats_global)
{
	static const struct ward_sex set[] = {
		{ "highgate", "female", 30 }, { "highgate", "male", 30 },
		{ "woodside", "female", 15 }, { "woodside", "male", 5 },
		{ "bruce-castle", "female", 5 }, { "noel-park", "female", 5 },
	};
	struct survey_set *sset = NULL;
	const struct survey *s = fixture_survey(&sset);
	static struct csv c;

	check_ward_sex(s, set, 6, NULL, 30, 25, 0, &c);
	ck_assert_int_eq((long)c.nrows - 1, 90);
	ck_assert_int_eq(rows_showing(&c, OPENDATA_WITHHELD, "female"), 20);
	free_csv(&c);
	survey_set_free(sset);
}
END_TEST

/* Hand-made, where the rule gives up ward and keeping it costs nothing.
 * Woodside's 6 men and 4 who preferred not to say are groups smaller than
 * 10.  Without --keep, the men withhold their ward (fewer rows show
 * woodside than male), then their sex; the other 4 withhold their sex, then
 * their ward, and join them.  Keeping ward, both withhold their sex and
 * make 10 rows in Woodside.  Keeping both columns is the rule unchanged.
 * Either way male would be hidden from 6 of 36 responses, the Woodside men:
 * beside the report's count of men that would speak of them alone, so 10
 * Highgate men withhold their sex too (10, to make a group of k). */
START_TEST(keep_ward_by_hand)
{
	static const struct ward_sex set[] = {
		{ "highgate", "female", 30 }, { "highgate", "male", 30 },
		{ "woodside", "female", 12 }, { "woodside", "male", 6 },
		{ "woodside", "prefer-not", 4 },
	};
	static const char *const keeps[] = { NULL, "ward", "sex,ward" };
	struct survey_set *sset = NULL;
	const struct survey *s = fixture_survey(&sset);
	static struct csv c;

	for (size_t i = 0; i < 3; i++) {
		int kept = i == 1;
		check_ward_sex(s, set, 5, keeps[i], kept ? 0 : 10, 20, 0, &c);
		ck_assert_int_eq(rows_showing(&c, "highgate", "female"), 30);
		ck_assert_int_eq(rows_showing(&c, "highgate", "male"), 20);
		ck_assert_int_eq(rows_showing(&c, "highgate", OPENDATA_WITHHELD), 10);
		ck_assert_int_eq(rows_showing(&c, "woodside", "female"), 12);
		ck_assert_int_eq(rows_showing(&c, "woodside", OPENDATA_WITHHELD), kept ? 10 : 0);
		ck_assert_int_eq(rows_showing(&c, OPENDATA_WITHHELD, OPENDATA_WITHHELD),
		    kept ? 0 : 10);
		free_csv(&c);
	}
	survey_set_free(sset);
}
END_TEST

/* A kept column is still withheld when the row has nothing else left:
 * Woodside's and Noel Park's 5 men withhold their sex first, then their
 * ward, and make 10 rows with both withheld.  Without --keep, giving up the
 * ward alone was enough. */
START_TEST(keep_when_nothing_else)
{
	static const struct ward_sex set[] = {
		{ "highgate", "female", 20 }, { "woodside", "male", 5 },
		{ "noel-park", "male", 5 },
	};
	struct survey_set *sset = NULL;
	const struct survey *s = fixture_survey(&sset);
	static struct csv c;

	check_ward_sex(s, set, 3, "ward", 10, 10, 0, &c);
	ck_assert_int_eq(rows_showing(&c, OPENDATA_WITHHELD, OPENDATA_WITHHELD), 10);
	free_csv(&c);
	check_ward_sex(s, set, 3, NULL, 10, 0, 0, &c);
	ck_assert_int_eq(rows_showing(&c, OPENDATA_WITHHELD, "male"), 10);
	free_csv(&c);
	survey_set_free(sset);
}
END_TEST

/* Anonymises the ward and sex table set[0..n), max_drop percent allowed to
 * drop, through anonymise_and_check, into st and c. */
static void
diff_ward_sex(const struct ward_sex *set, size_t n, double max_drop,
    struct opendata_stats *st, struct csv *c)
{
	struct survey_set *sset = NULL;
	const struct survey *s = fixture_survey(&sset);
	struct opendata *d = ward_sex_table(s, set, n, NULL, max_drop);

	anonymise_and_check(d, "ward,sex", st, c);
	opendata_free(d);
	survey_set_free(sset);
}

/* The file hides value v of column q from none, 10 or more, or all of the
 * total responses read with it. */
static void
assert_hidden_ok(const struct csv *c, const char *q, const char *v, long total)
{
	long h = total - rows_with(c, col(c, q), v);

	if (!hidden_ok(h, total, 10))
		ck_abort_msg("%s=%s hidden from %ld of %ld", q, v, h, total);
}

/* The tables of difference_by_hand and dropped_count_as_hidden. */
static const struct ward_sex one_hidden[] = {
	{ "highgate", "female", 30 }, { "highgate", "male", 30 },
	{ "woodside", "female", 20 }, { "woodside", "male", 1 },
	{ "noel-park", "male", 9 },
}, dropped_only[] = {
	{ "highgate", "female", 30 }, { "woodside", "female", 30 },
	{ "highgate", "male", 3 }, { "noel-park", "female", 4 },
	{ "noel-park", "male", 5 },
};

/* The reader's subtraction, by hand.  Woodside has 21 responses, 20 women
 * and a man.  Within the file alone the man could withhold his ward and
 * join Noel Park's 9 men, who withhold theirs: 10 rows alike.  But the
 * report counts 21 responses in Woodside and the file would show 20: the
 * one hidden is the man, and a crosstab by ward would give each of his
 * answers.  Woodside must be hidden from none, 10 or more, or all 21: 10
 * of its women withhold their ward too (10, to make a group of k). */
START_TEST(difference_by_hand)
{
	struct opendata_stats st;
	static struct csv c;
	long report = 21, file, hidden;

	diff_ward_sex(one_hidden, 5, 0.0, &st, &c);
	file = rows_with(&c, col(&c, "ward"), "woodside");
	hidden = report - file;
	ck_assert_msg(hidden_ok(hidden, report, 10), "Woodside: %ld of %ld hidden", hidden, report);
	ck_assert_int_eq(hidden, 11);
	ck_assert_int_eq(rows_with(&c, col(&c, "ward"), "noel-park"), 0);
	ck_assert_int_eq(rows_showing(&c, OPENDATA_WITHHELD, "male"), 10);
	ck_assert_int_eq(st.dropped, 0);
	ck_assert_int_gt(st.values_fixed, 0);
	free_csv(&c);
}
END_TEST

/* Rows dropped are hidden too.  Highgate's 3 men and Noel Park's 4 women
 * and 5 men are groups smaller than 10: 12 rows, within the 14 (20%)
 * allowed to drop, so the rounds withhold nothing.  Dropping them would
 * hide Highgate from 3 of its 33 responses and female from 4 of 64, with
 * no cell withheld: the drops alone would break the rule.  So 10 of
 * Highgate's women withhold their ward and 10 their sex (10 each, to make
 * groups of k): Highgate is hidden from 13, female from 14. */
START_TEST(dropped_count_as_hidden)
{
	struct opendata_stats st;
	static struct csv c;

	diff_ward_sex(dropped_only, 5, 20.0, &st, &c);
	assert_hidden_ok(&c, "ward", "highgate", 33);
	assert_hidden_ok(&c, "sex", "female", 64);
	ck_assert_int_eq(st.dropped, 12);
	ck_assert_int_eq(rows_showing(&c, "highgate", "female"), 10);
	ck_assert_int_eq(rows_showing(&c, OPENDATA_WITHHELD, "female"), 10);
	ck_assert_int_eq(rows_showing(&c, "highgate", OPENDATA_WITHHELD), 10);
	ck_assert_int_eq(rows_showing(&c, "woodside", "female"), 30);
	free_csv(&c);
}
END_TEST

int
main(void)
{
	return unit_run_tests("opendata_hand", "opendata_hand", 120, CK_FORK, local_beats_global,
	    keep_ward_by_hand, keep_when_nothing_else, difference_by_hand, dropped_count_as_hidden,
	    NULL);
}
