/* Tests for the question view (cgi/qview.c): the number an error message
 * speaks of is the question's own, the same in a poll set as in a survey
 * (a list question allows one answer, so "no more than 1"), and a poll
 * phone's stored answer comes back as the answers the view ticks. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "qview.h"
#include "unit_survey.h"

#define POLL	"id: t\nkind: poll\ntitle: T\npages:\n  - id: p\n    questions:\n" \
	"      - {id: where, type: list, text: Where?, options: [{code: a, text: A}, " \
	"{code: b, text: B}]}\n" \
	"      - {id: pick, type: multi, max_choices: 2, text: Pick, options: [{code: a, " \
	"text: A}, {code: b, text: B}, {code: c, text: C}]}\n" \
	"      - {id: rank, type: ranking, text: R, options: [{code: a, text: A}, " \
	"{code: b, text: B}]}\n" \
	"      - {id: say, type: text, max_length: 50, text: Say}\n" \
	"      - {id: count, type: number, min: 3, max: 30, text: How many}\n"

static void
setup(void)
{
	form_open(POLL);
}

START_TEST(list_in_poll_says_one)
{
	size_t q = qi(form.s, "where");

	ck_assert_int_eq(answer_set_add(&form.as, q, "a", 0), 0);
	ck_assert_int_eq(answer_set_add(&form.as, q, "b", 0), 0);
	ck_assert_int_eq(survey_check_answer(form.s, q, &form.as), AE_TOO_MANY);
	ck_assert_int_eq(qview_error_n(&form.s->qs[q], AE_TOO_MANY), 1);
}
END_TEST

START_TEST(each_type_its_number)
{
	ck_assert_int_eq(qview_error_n(&form.s->qs[qi(form.s, "pick")], AE_TOO_MANY), 2);
	ck_assert_int_eq(qview_error_n(&form.s->qs[qi(form.s, "say")], AE_TOO_LONG), 50);
}
END_TEST

/* A ranking's positions are 1 to its rank: a position outside says so, not
 * "between 0 and 0" (a ranking has no min or max of its own). */
START_TEST(ranking_range_is_its_positions)
{
	const struct question *r = &form.s->qs[qi(form.s, "rank")];
	long min = -1, max = -1;

	ck_assert_int_eq(answer_set_add(&form.as, qi(form.s, "rank"), "a", 9), 0);
	ck_assert_int_eq(survey_check_answer(form.s, qi(form.s, "rank"), &form.as),
	    AE_OUT_OF_RANGE);
	qview_error_range(r, &min, &max);
	ck_assert_int_eq(min, 1);
	ck_assert_int_eq(max, 2);
	qview_error_range(&form.s->qs[qi(form.s, "count")], &min, &max);
	ck_assert_int_eq(min, 3);
	ck_assert_int_eq(max, 30);
}
END_TEST

START_TEST(stored_answers_come_back)
{
	ck_assert_int_eq(qview_answers(form.a, form.s, qi(form.s, "rank"), "b,a", &form.as), 0);
	ck_assert_uint_eq(form.as.n, 2);
	ck_assert_str_eq(form.as.v[0].value, "b");
	ck_assert_int_eq(form.as.v[0].pos, 1);
	ck_assert_int_eq(form.as.v[1].pos, 2);
	ck_assert_int_eq(qview_answers(form.a, form.s, qi(form.s, "pick"), "a,c", &form.as), 0);
	ck_assert_uint_eq(form.as.n, 4);
	ck_assert_int_eq(form.as.v[3].pos, 0);
	ck_assert_int_eq(qview_answers(form.a, form.s, qi(form.s, "say"), "one, two", &form.as),
	    0);
	ck_assert_str_eq(form.as.v[4].value, "one, two");	/* free text stays whole */
	ck_assert_int_eq(qview_answers(form.a, form.s, qi(form.s, "say"), NULL, &form.as), 0);
	ck_assert_uint_eq(form.as.n, 5);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("qview");
	TCase	*tc = tcase_create("qview");
	SRunner	*sr;
	int	 failed;

	tcase_add_checked_fixture(tc, setup, form_close);
	tcase_add_test(tc, list_in_poll_says_one);
	tcase_add_test(tc, each_type_its_number);
	tcase_add_test(tc, ranking_range_is_its_positions);
	tcase_add_test(tc, stored_answers_come_back);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
