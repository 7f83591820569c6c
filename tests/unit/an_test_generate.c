/* Tests for `generate`, the synthetic data the benchmark and the golden
 * files rest on: a few thousand answers give every point of a scale, both
 * ends included, a required scale is always answered, and so is every row
 * of a required grid. */
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "an_unit.h"
#include "cmd.h"
#include "run.h"
#include "tally.h"

#define N	3000

static const char survey[] =
	"id: gen-test\nversion: 1\nkind: survey\naudience: resident\n"
	"languages:\n  - {code: en, name: English}\n"
	"title: Generator test\nintro: Test.\nprivacy: Test.\ndone: Thanks.\n"
	"pages:\n"
	"  - id: trust\n    questions:\n"
	"      - {id: trust_police, type: scale, from: 0, to: 10, required: true,"
	" low: Not at all, high: Completely, text: How much do you trust the police?}\n"
	"      - {id: worry_area, type: scale, from: 0, to: 10, text: How worried are you?}\n"
	"      - id: safe\n        type: scale\n        text: How safe do you feel?\n"
	"        options:\n"
	"          - {code: dk, text: Don't know, missing: true}\n"
	"          - {code: \"1\", text: Very unsafe}\n"
	"          - {code: \"2\", text: Unsafe}\n"
	"          - {code: \"3\", text: Safe}\n"
	"          - {code: \"4\", text: Very safe}\n"
	"  - id: worries\n    questions:\n"
	"      - {id: worry_grid, type: grid, required: true, text: How worried are you about these?,"
	" from: 1, to: 4, rows: [{id: worry_knife, text: Knife crime}, {id: worry_asb, text: ASB}]}\n";

/* Generates N responses to the survey above and tallies them, unsuppressed. */
static struct tally *
generate_and_tally(struct run *r)
{
	const char *tmp = unit_tmp();
	char db[128], surveys[128];
	struct tally *t = NULL;

	an_surveys(surveys, sizeof(surveys), tmp, "gen-test.yaml", survey);
	snprintf(db, sizeof(db), "%s/gen.db", tmp);
	AN_GENERATE(db, surveys, "--n", "3000", "--seed", "7", "--survey", "gen-test");
	{
		char *rep[] = { "--db", db, "--key", AN_FIX "/analysis.secret", "--survey", "gen-test",
		    "--surveys", surveys, "--quiet", NULL };
		ck_assert_int_eq(run_parse(r, 9, rep), 0);
		ck_assert_int_eq(run_tally(r, TALLY_BY_NONE, -1, &t), 0);
	}
	ck_assert_int_eq(t->n, N);
	return t;
}

static long
count_of(const struct tally *t, size_t q, const char *code)
{
	long k = question_option_index(&t->s->qs[q], code);

	ck_assert_int_ge(k, 0);
	return t->q[q].opt[k];
}

START_TEST(every_scale_point)
{
	struct run r;
	struct tally *t = generate_and_tally(&r);
	char code[16];

	/* Both ends, of a scale that runs with the respondent's level and of a
	 * "worry" scale that runs against it. */
	for (size_t q = 0; q < 2; q++)
		for (int p = 0; p <= 10; p++) {
			snprintf(code, sizeof(code), "%d", p);
			ck_assert_msg(count_of(t, q, code) >= 10, "%s: %s given %ld times of %d",
			    t->s->qs[q].id, code, count_of(t, q, code), N);
		}
	/* A scale listing "Don't know" first: every point still comes up, and
	 * "Don't know" now and then. */
	for (int p = 1; p <= 4; p++) {
		snprintf(code, sizeof(code), "%d", p);
		ck_assert_int_ge(count_of(t, 2, code), 10);
	}
	ck_assert_int_ge(count_of(t, 2, "dk"), 10);
	ck_assert_int_lt(count_of(t, 2, "dk"), N / 10);
	/* Required, and no "missing" option: everyone answers it. */
	ck_assert_int_eq(t->q[0].answered[0], N);
	/* A grid: each row is answered as the scale it is, the grid itself never. */
	ck_assert_int_eq(t->s->qs[3].type, Q_GRID);
	ck_assert_int_eq(t->q[3].answered[0], 0);
	for (size_t q = 4; q <= 5; q++) {
		ck_assert_int_eq(t->q[q].answered[0], N);
		for (int p = 1; p <= 4; p++) {
			snprintf(code, sizeof(code), "%d", p);
			ck_assert_int_ge(count_of(t, q, code), 10);
		}
	}
	tally_free(t);
	run_free(&r);
}
END_TEST

int
main(void)
{
	return unit_run_tests("generate", "generate", 120, CK_FORK, every_scale_point, NULL);
}
