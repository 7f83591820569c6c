/* Tests for the open-data export's local withholding rule on random tables
 * with fixed seeds: no more rows than allowed are dropped, rows already in a
 * group of k or more come out unchanged unless the rule beside the report's
 * tables needed them, and without --keep a file that needed no repair is
 * the same as before. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_opendata.h"

#include "gen.h"

/* A value from v[0..n), the first ones far likelier; NULL (not answered)
 * now and then. */
static const char *
draw(struct gen_rng *g, const char *const *v, size_t n)
{
	double w[8];

	for (size_t i = 0; i < n; i++)
		w[i] = (double)(n - i) * (double)(n - i) * (double)(n - i);
	return gen_chance(g, 0.05) ? NULL : v[gen_weighted(g, w, n)];
}

#define RANDOM_QI	"ward,age,sex,ethnicity,channel,month"

/* A random table of n rows over the six quasi-identifiers of RANDOM_QI,
 * skewed so that some groups reach k at once and many do not. */
static struct opendata *
random_rows(const struct survey *s, uint64_t seed, size_t n, const struct opendata_opts *o)
{
	static const char *const wards[] = { "highgate", "woodside", "hornsey", "noel-park",
	    "st-anns", "bruce-castle", "harringay" };
	static const char *const ages[] = { "25-34", "35-44", "16-24", "65-74", "75+" };
	static const char *const sexes[] = { "female", "male", "prefer-not" };
	static const char *const eths[] = { "white-british", "black-african", "turkish",
	    "polish", "other" };
	static const char *const channels[] = { "online", "workshop", "paper" };
	static const char *const days[] = { "2026-03-14", "2026-04-02" };
	static const char *const q[] = { "ward", "age", "sex", "ethnicity" };
	struct opendata *d;
	struct gen_rng g;
	char err[256];

	gen_seed(&g, seed);
	ck_assert_ptr_nonnull(d = opendata_new(s, o, err, sizeof(err)));
	for (size_t r = 0; r < n; r++) {
		const char *v[] = { draw(&g, wards, 7), draw(&g, ages, 5),
		    draw(&g, sexes, 3), draw(&g, eths, 5) };
		add_response(d, q, v, 4, channels[gen_weighted(&g,
		    (const double[]){ 12, 2, 1 }, 3)], days[gen_chance(&g, 0.2)]);
	}
	return d;
}

/* 30 + 30 * seed random rows, with k and the drop limit varying with the
 * seed. */
static struct opendata *
random_table(const struct survey *s, uint64_t seed, const char *keep)
{
	static const double drops[] = { 0.0, 5.0, 20.0 };
	struct opendata_opts o = { 10 + (int)(seed % 3), drops[seed % 3], 0, RANDOM_QI, keep };

	return random_rows(s, seed, 30 + 30 * seed, &o);
}

/* Random tables of 60 to 420 rows, with several k and drop limits, and
 * none, one or two quasi-identifiers kept: the checks of
 * anonymise_and_check hold for each, and kept values go last on the files
 * that needed no repair beside the report's tables (a repair withholds the
 * value it names, kept or not).  Keeping ward withholds it less often, and
 * no more rows are dropped than the limit allows, as without. */
START_TEST(random_tables)
{
	static const char *const keeps[] = { NULL, "ward", "ward,age" };
	struct survey_set *sset = NULL;
	const struct survey *s = fixture_survey(&sset);
	static struct csv c;
	size_t safe = 0;
	long ward[3] = { 0 }, w;

	for (uint64_t seed = 1; seed <= 12; seed++)
		for (size_t i = 0; i < 3; i++) {
			struct opendata_stats st;
			struct opendata *d = random_table(s, seed, keeps[i]);

			safe += anonymise_and_check(d, RANDOM_QI, &st, &c);
			ck_assert_int_gt(st.rows, 0);
			if (st.values_fixed == 0)
				assert_kept_last(&c, RANDOM_QI, keeps[i]);
			opendata_qi(d, 0, &w);
			ward[i] += w;
			free_csv(&c);
			opendata_free(d);
		}
	ck_assert_uint_gt(safe, 50);	/* the rule "never changed" was put to the test */
	ck_assert_int_lt(ward[1], ward[0]);
	survey_set_free(sset);
}
END_TEST

/* Many small random tables, 8 to 200 rows, k from 10 to 15, drop limits
 * from none to half, none to two quasi-identifiers kept: every check of
 * anonymise_and_check holds, the rule beside the report's tables among
 * them.  The rule must have had work to do in many of them, and tables
 * smaller than k (nothing written) are among them. */
START_TEST(differencing_property)
{
	static const char *const keeps[] = { NULL, "ward", "ward,age", "sex,month" };
	static const double drops[] = { 0.0, 2.0, 5.0, 20.0, 50.0 };
	struct survey_set *sset = NULL;
	const struct survey *s = fixture_survey(&sset);
	static struct csv c;
	int repaired = 0, empty = 0;

	for (uint64_t seed = 100; seed < 340; seed++) {
		struct opendata_opts o = { 10 + (int)(seed % 6), drops[seed % 5], 0, RANDOM_QI,
		    keeps[seed % 4] };
		struct opendata_stats st;
		struct opendata *d = random_rows(s, seed, 8 + seed % 7 * 32, &o);

		anonymise_and_check(d, RANDOM_QI, &st, &c);
		repaired += st.values_fixed > 0;
		empty += st.rows == 0;
		free_csv(&c);
		opendata_free(d);
	}
	ck_assert_int_gt(repaired, 60);
	ck_assert_int_gt(empty, 0);
	survey_set_free(sset);
}
END_TEST

/* FNV-1a over what the file holds, row by row in the order the rows were
 * added (the file's own order is random): every cell's text, or a mark for
 * a dropped row. */
static uint64_t
digest(const struct opendata *d)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t r = 0; r < d->nrows; r++)
		for (size_t c = 0; c < (d->dropped[r] ? 1 : d->ncols); c++) {
			const char *t = d->dropped[r] ? "\x01dropped" : d->strs[d->cells[r * d->ncols + c]];
			for (size_t i = 0; i <= strlen(t); i++)
				h = (h ^ (unsigned char)t[i]) * 0x100000001b3ull;
		}
	return h;
}

/* Without --keep, a file that needed no repair beside the report's tables
 * is the one the rounds made before kept quasi-identifiers or that rule
 * existed (digests recorded then); one that needed a repair differs. */
START_TEST(unchanged_without_keep)
{
	static const uint64_t want[12] = {
		0x13afbd0c51141360ull, 0x138db2ee4ecd76e3ull, 0xf6cdcc03d051356cull,
		0x823cdc81a97f1714ull, 0xf4a0c90662c8f675ull, 0x4f153c1675e019c7ull,
		0xc941dd8e48d884aeull, 0x91e5583923acfbf7ull, 0x1e4479dc37b661caull,
		0xb3e888290dc3faffull, 0xa22a699f167b1a87ull, 0x52ef3a5448748e44ull,
	};
	struct survey_set *sset = NULL;
	const struct survey *s = fixture_survey(&sset);
	int same = 0;

	for (uint64_t seed = 1; seed <= 12; seed++) {
		struct opendata_stats st;
		struct opendata *d = random_table(s, seed, NULL);

		ck_assert_int_eq(opendata_anonymise(d, &st), 0);
		ck_assert_msg((digest(d) == want[seed - 1]) == (st.values_fixed == 0),
		    "seed %d: %ld values repaired", (int)seed, st.values_fixed);
		same += st.values_fixed == 0;
		opendata_free(d);
	}
	ck_assert_int_gt(same, 0);
	survey_set_free(sset);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("opendata_random");
	TCase *tc = tcase_create("opendata_random");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, random_tables);
	tcase_add_test(tc, differencing_property);
	tcase_add_test(tc, unchanged_without_keep);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK);
}
