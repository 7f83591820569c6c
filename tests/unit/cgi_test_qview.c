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

#define POLL	"id: t\nkind: poll\ntitle: T\npages:\n  - id: p\n    questions:\n" \
	"      - {id: where, type: list, text: Where?, options: [{code: a, text: A}, " \
	"{code: b, text: B}]}\n" \
	"      - {id: pick, type: multi, max_choices: 2, text: Pick, options: [{code: a, " \
	"text: A}, {code: b, text: B}, {code: c, text: C}]}\n" \
	"      - {id: rank, type: ranking, text: R, options: [{code: a, text: A}, " \
	"{code: b, text: B}]}\n" \
	"      - {id: say, type: text, max_length: 50, text: Say}\n"

static struct arena		*A;
static struct survey_set	*set;
static const struct survey	*S;
static struct answer_set	 as;

static void
setup(void)
{
	char		 path[] = "/tmp/cgi_test_qview.XXXXXX", err[256];
	const char	*p = path;
	int		 fd;

	ck_assert_ptr_nonnull(A = arena_new(4096));
	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_int_eq(write(fd, POLL, strlen(POLL)), (ssize_t)strlen(POLL));
	close(fd);
	ck_assert_msg(survey_set_load_files(&p, 1, NULL, &set, err, sizeof(err)) == 0, "%s", err);
	unlink(path);
	ck_assert_ptr_nonnull(S = survey_find(set, "t"));
}

static void
teardown(void)
{
	answer_set_free(&as);
	memset(&as, 0, sizeof(as));
	survey_set_free(set);
	arena_free(A);
}

static size_t
qi(const char *id)
{
	long q = survey_question_index(S, id);

	ck_assert_int_ge(q, 0);
	return (size_t)q;
}

START_TEST(list_in_poll_says_one)
{
	size_t q = qi("where");

	ck_assert_int_eq(answer_set_add(&as, q, "a", 0), 0);
	ck_assert_int_eq(answer_set_add(&as, q, "b", 0), 0);
	ck_assert_int_eq(survey_check_answer(S, q, &as), AE_TOO_MANY);
	ck_assert_int_eq(qview_error_n(&S->qs[q], AE_TOO_MANY), 1);
}
END_TEST

START_TEST(each_type_its_number)
{
	ck_assert_int_eq(qview_error_n(&S->qs[qi("pick")], AE_TOO_MANY), 2);
	ck_assert_int_eq(qview_error_n(&S->qs[qi("say")], AE_TOO_LONG), 50);
}
END_TEST

START_TEST(stored_answers_come_back)
{
	ck_assert_int_eq(qview_answers(A, S, qi("rank"), "b,a", &as), 0);
	ck_assert_uint_eq(as.n, 2);
	ck_assert_str_eq(as.v[0].value, "b");
	ck_assert_int_eq(as.v[0].pos, 1);
	ck_assert_int_eq(as.v[1].pos, 2);
	ck_assert_int_eq(qview_answers(A, S, qi("pick"), "a,c", &as), 0);
	ck_assert_uint_eq(as.n, 4);
	ck_assert_int_eq(as.v[3].pos, 0);
	ck_assert_int_eq(qview_answers(A, S, qi("say"), "one, two", &as), 0);
	ck_assert_str_eq(as.v[4].value, "one, two");	/* free text stays whole */
	ck_assert_int_eq(qview_answers(A, S, qi("say"), NULL, &as), 0);
	ck_assert_uint_eq(as.n, 5);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("qview");
	TCase	*tc = tcase_create("qview");
	SRunner	*sr;
	int	 failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, list_in_poll_says_one);
	tcase_add_test(tc, each_type_its_number);
	tcase_add_test(tc, stored_answers_come_back);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
