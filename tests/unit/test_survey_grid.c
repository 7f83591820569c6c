/* test_survey_grid: the grid question type in the survey model: loading
 * good and bad grids, and checking a grid's answers (required rows, min_rows,
 * unknown codes, repeated answers). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit_survey.h"

static struct answer_set	 as;

#define SCALE	"        options:\n" \
		"          - {code: '1', text: Not at all}\n" \
		"          - {code: '2', text: A bit}\n" \
		"          - {code: '3', text: Very}\n" \
		"          - {code: dk, text: Don't know, missing: true}\n"
#define ROWS	"        rows:\n" \
		"          - {id: knife, text: Knife crime}\n" \
		"          - {id: asb, text: Anti-social behaviour, hint: Noise, indicator: worry_asb}\n" \
		"          - {id: burglary, text: Burglary}\n"
#define GRID(extra)	HEAD "      - id: worry\n        type: grid\n" \
		"        text: How worried are you about each of these?\n" extra SCALE ROWS
#define AFTER	"  - id: p2\n    questions:\n" \
		"      - {id: after, type: text, text: Why?, show_if: " \
		"{question: knife, any_of: ['3']}}\n"

static void
teardown(void)
{
	survey_set_free(set);
	set = NULL;
	answer_set_free(&as);
	memset(&as, 0, sizeof(as));
}

static int
load(const char *yaml)
{
	const char	*p;
	int		 rc;

	survey_set_free(set);
	set = NULL;
	rc = load_text(yaml, NULL, &p);
	unlink(p);
	return rc;
}

static const struct survey *
loaded(const char *yaml)
{
	ck_assert_msg(load(yaml) == 0, "%s", err);
	return survey_find(set, "t");
}

START_TEST(grid_rows_are_scale_questions)
{
	const struct survey	*s = loaded(GRID("") AFTER);
	const struct question	*g = &s->qs[qi(s, "worry")], *r;

	ck_assert_int_eq(g->type, Q_GRID);
	ck_assert_str_eq(qtype_names[Q_GRID], "grid");
	ck_assert_uint_eq(g->rows, 3);
	ck_assert_uint_eq(g->nopts, 0);	/* the rows carry the options */
	ck_assert_uint_eq(s->pages[0].count, 4);
	ck_assert_uint_eq(s->nqs, 5);
	ck_assert_uint_eq(qi(s, "knife"), qi(s, "worry") + 1);
	r = &s->qs[qi(s, "asb")];
	ck_assert_int_eq(r->type, Q_SCALE);
	ck_assert_int_eq(r->row, 2);
	ck_assert_str_eq(r->text.s[0], "Anti-social behaviour");
	ck_assert_str_eq(r->hint.s[0], "Noise");
	ck_assert_str_eq(r->indicator, "worry_asb");
	ck_assert_uint_eq(r->nopts, 4);
	ck_assert_int_eq(r->opts[3].missing, 1);
	ck_assert_int_eq(r->page, 0);
	ck_assert_int_eq(r->required, 0);
	ck_assert_int_eq(s->qs[qi(s, "after")].row, 0);
	ck_assert_ptr_nonnull(s->qs[qi(s, "after")].show_if);	/* a row can be named */
}
END_TEST

START_TEST(grid_required_and_range)
{
	const struct survey	*s = loaded(HEAD "      - id: g\n        type: grid\n"
	    "        text: Agree?\n        required: true\n        from: 1\n        to: 5\n"
	    "        low: Disagree\n        high: Agree\n"
	    "        rows: [{id: a, text: A}, {id: b, text: B}]\n");

	ck_assert_int_eq(s->qs[qi(s, "a")].required, 1);
	ck_assert_int_eq(s->qs[qi(s, "b")].required, 1);
	ck_assert_uint_eq(s->qs[qi(s, "b")].nopts, 5);
	ck_assert_str_eq(s->qs[qi(s, "b")].opts[4].text.s[0], "5 \u2013 Agree");
}
END_TEST

START_TEST(grid_shares_condition)
{
	const struct survey	*s = loaded(HEAD
	    "      - {id: yn, type: single, text: Y?, options: [{code: y, text: Y}, {code: n, text: N}]}\n"
	    "  - id: p2\n    questions:\n"
	    "      - id: g\n        type: grid\n        text: G\n        show_if: {question: yn, any_of: y}\n"
	    "        options: [{code: '1', text: One}, {code: '2', text: Two}]\n"
	    "        rows: [{id: a, text: A}, {id: b, text: B}]\n");

	ck_assert_int_eq(answer_set_add(&as, qi(s, "yn"), "n", 0), 0);
	ck_assert_int_eq(answer_set_add(&as, qi(s, "a"), "1", 0), 0);
	ck_assert_int_eq(survey_question_visible(s, qi(s, "a"), &as), 0);
	ck_assert_int_eq(survey_question_visible(s, qi(s, "b"), &as), 0);
	survey_drop_hidden(s, &as);
	ck_assert_uint_eq(answer_set_count(&as, qi(s, "a")), 0);
}
END_TEST

struct bad {
	const char	*yaml;
	int		 line;
	const char	*phrase;
};

static const struct bad bad[] = {
	{ HEAD "      - id: g\n        type: grid\n        text: G\n" SCALE, 6,
	    "grid 'g' has no 'rows'" },
	{ HEAD "      - id: g\n        type: grid\n        text: G\n" SCALE "        rows: []\n", 14,
	    "'rows' is an empty list" },
	{ HEAD "      - id: g\n        type: grid\n        text: G\n        rows: [{id: a, text: A}]\n",
	    6, "a 'grid' question needs 'options' (or 'from' and 'to')" },
	{ HEAD "      - id: g\n        type: grid\n        text: G\n" SCALE
	    "        rows: [{id: a, text: A}, {id: a, text: B}]\n", 14,
	    "row id 'a' is used twice in grid 'g'" },
	{ HEAD "      - {id: a, type: text, text: T}\n      - id: g\n        type: grid\n"
	    "        text: G\n" SCALE "        rows: [{id: a, text: A}]\n", 15,
	    "row id 'a' is already the id of a question (line 6)" },
	{ HEAD "      - id: g\n        type: grid\n        text: G\n" SCALE
	    "        rows: [{id: a, text: A}]\n      - {id: a, type: text, text: T}\n", 15,
	    "question id 'a' is used twice (first on line 14)" },
	{ HEAD "      - id: g\n        type: grid\n        text: G\n" SCALE
	    "        rows: [{id: a}]\n", 14, "row 'a' has no 'text'" },
	{ HEAD "      - id: g\n        type: grid\n        text: G\n" SCALE
	    "        rows: [{text: A}]\n", 14, "a row of grid 'g' has no 'id'" },
	{ HEAD "      - id: g\n        type: grid\n        text: G\n" SCALE
	    "        rows: [{id: a, text: A, colour: red}]\n", 14, "unknown key 'colour' in a row" },
	{ HEAD "      - id: g\n        type: grid\n        text: G\n" SCALE
	    "        rows: [{id: A!, text: A}]\n", 14, "row id" },
	{ HEAD "      - id: g\n        type: grid\n        text: G\n        min_rows: 2\n" SCALE
	    "        rows: [{id: a, text: A}]\n", 9, "'min_rows'" },
	{ HEAD "      - id: g\n        type: grid\n        text: G\n        required: true\n"
	    "        min_rows: 1\n" SCALE "        rows: [{id: a, text: A}]\n", 10,
	    "either 'required' (every row) or 'min_rows'" },
	{ HEAD "      - id: g\n        type: grid\n        text: G\n        indicator: x\n" SCALE
	    "        rows: [{id: a, text: A}]\n", 9, "'indicator' does not apply to a 'grid'" },
	{ HEAD "      - {id: s, type: single, text: S, rows: [{id: a, text: A}], "
	    "options: [{code: y, text: Y}]}\n", 6, "'rows' does not apply to a 'single'" },
	{ HEAD "      - {id: s, type: scale, text: S, min_rows: 1, from: 1, to: 3}\n", 6,
	    "'min_rows' does not apply to a 'scale'" },
	{ "id: t\nkind: poll\ntitle: T\npages:\n  - id: p\n    questions:\n"
	    "      - {id: g, type: grid, text: G, from: 1, to: 3, rows: [{id: a, text: A}]}\n", 7,
	    "a 'grid' question only works in a survey" },
	{ GRID("") "  - id: p2\n    questions:\n      - {id: x, type: text, text: X, show_if: "
	    "{question: worry, any_of: '1'}}\n", 20, "question 'worry', which has no options" },
};

START_TEST(broken)
{
	const struct bad	*b = &bad[_i];
	char			 want[64];

	ck_assert_int_eq(load(b->yaml), -1);
	snprintf(want, sizeof(want), ":%d: ", b->line);
	ck_assert_msg(strstr(err, want) != NULL, "case %d: want line %d in '%s'", _i, b->line,
	    err);
	ck_assert_msg(strstr(err, b->phrase) != NULL, "case %d: want '%s' in '%s'", _i,
	    b->phrase, err);
}
END_TEST

/* More rows than SURVEY_MAX_GRID_ROWS. */
START_TEST(too_many_rows)
{
	char	 yaml[8192] = HEAD "      - id: g\n        type: grid\n        text: G\n" SCALE
	    "        rows:\n";

	for (int i = 0; i <= SURVEY_MAX_GRID_ROWS; i++)
		snprintf(yaml + strlen(yaml), sizeof(yaml) - strlen(yaml),
		    "          - {id: r%d, text: Row %d}\n", i, i);
	ck_assert_int_eq(load(yaml), -1);
	ck_assert_msg(strstr(err, "grid 'g' has 31 rows; a grid can have at most 30") != NULL,
	    "%s", err);
	yaml[strlen(yaml) - strlen("          - {id: r30, text: Row 30}\n")] = '\0';
	ck_assert_msg(load(yaml) == 0, "%s", err);
}
END_TEST

static enum answer_err
check(const struct survey *s, const char *id)
{
	return survey_check_answer(s, qi(s, id), &as);
}

START_TEST(check_rows)
{
	const struct survey	*s = loaded(GRID("        min_rows: 2\n"));

	ck_assert_int_eq(check(s, "worry"), AE_GRID_MIN_ROWS);
	ck_assert_int_eq(check(s, "knife"), AE_OK);	/* not required on its own */
	ck_assert_int_eq(answer_set_add(&as, qi(s, "knife"), "3", 0), 0);
	ck_assert_int_eq(check(s, "worry"), AE_GRID_MIN_ROWS);
	ck_assert_int_eq(answer_set_add(&as, qi(s, "burglary"), "dk", 0), 0);
	ck_assert_int_eq(check(s, "worry"), AE_OK);
	ck_assert_int_eq(answer_set_add(&as, qi(s, "asb"), "7", 0), 0);
	ck_assert_int_eq(check(s, "asb"), AE_UNKNOWN_OPTION);
	answer_set_clear(&as, qi(s, "asb"));
	ck_assert_int_eq(answer_set_add(&as, qi(s, "asb"), "1", 0), 0);
	ck_assert_int_eq(answer_set_add(&as, qi(s, "asb"), "2", 0), 0);
	ck_assert_int_eq(check(s, "asb"), AE_TOO_MANY);	/* a row takes one answer */
	ck_assert_str_eq(answer_err_keys[AE_GRID_MIN_ROWS], "error_grid_min_rows");
}
END_TEST

START_TEST(check_required_rows)
{
	const struct survey	*s = loaded(GRID("        required: true\n"));

	ck_assert_int_eq(check(s, "worry"), AE_OK);	/* the rows say which is missing */
	ck_assert_int_eq(check(s, "knife"), AE_REQUIRED);
	ck_assert_int_eq(answer_set_add(&as, qi(s, "knife"), "2", 0), 0);
	ck_assert_int_eq(check(s, "knife"), AE_OK);
	ck_assert_int_eq(check(s, "burglary"), AE_REQUIRED);
}
END_TEST

static Suite *
grid_suite(void)
{
	Suite	*s = suite_create("survey_grid");
	TCase	*tc = tcase_create("grid");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, grid_rows_are_scale_questions);
	tcase_add_test(tc, grid_required_and_range);
	tcase_add_test(tc, grid_shares_condition);
	tcase_add_loop_test(tc, broken, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, too_many_rows);
	tcase_add_test(tc, check_rows);
	tcase_add_test(tc, check_required_rows);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(grid_suite(), CK_FORK_GETENV);
}
