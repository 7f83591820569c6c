/* Tests for the answer logic (answer.c) on the survey model: the answer
 * set, conditions and what is visible, settling the conditions, and checking
 * each question type's answers.  Run from the repository root. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "unit_survey.h"

/* ---- Answers, conditions and visibility ---- */

static struct answer_set	 as;

static void
add(const struct survey *s, const char *qid, const char *value, int pos)
{
	ck_assert_int_eq(answer_set_add(&as, qi(s, qid), value, pos), 0);
}

static enum answer_err
check(const struct survey *s, const char *qid)
{
	return survey_check_answer(s, qi(s, qid), &as);
}

/* Answers qid with one value alone and checks it. */
static enum answer_err
check1(const struct survey *s, const char *qid, const char *value)
{
	answer_set_clear(&as, qi(s, qid));
	add(s, qid, value, 0);
	return check(s, qid);
}

/* A value for a question alone and what checking it gives. */
struct check_case {
	const char		*value;
	enum answer_err		 want;
};

/* Answers qid with each case's value alone (check1) and checks it. */
static void
check_all(const struct survey *s, const char *qid, const struct check_case *c, size_t n)
{
	enum answer_err got;

	for (size_t i = 0; i < n; i++) {
		got = check1(s, qid, c[i].value);
		ck_assert_msg(got == c[i].want, "%s \"%s\": %d, want %d", qid, c[i].value, got,
		    c[i].want);
	}
}

#define CHECK_ALL(s, qid, cases) check_all((s), (qid), (cases), sizeof(cases) / sizeof((cases)[0]))

static void
free_answers(void)
{
	answer_set_free(&as);
}

START_TEST(answer_set_ops)
{
	const struct survey	*s = fixture("community-safety");
	size_t			 i;

	for (i = 0; i < 100; i++)
		add(s, "worry", i % 2 ? "groups" : "traffic", 0);
	add(s, "area", "outside", 0);
	ck_assert_uint_eq(answer_set_count(&as, qi(s, "worry")), 100);
	ck_assert_int_eq(answer_set_has(&as, qi(s, "worry"), "groups"), 1);
	ck_assert_int_eq(answer_set_has(&as, qi(s, "worry"), "none"), 0);
	ck_assert_int_eq(answer_set_has(&as, qi(s, "area"), "groups"), 0);
	answer_set_clear(&as, qi(s, "worry"));
	ck_assert_uint_eq(as.n, 1);
	ck_assert_str_eq(as.v[0].value, "outside");
	answer_set_free(&as);
	ck_assert_uint_eq(as.n, 0);
	answer_set_free(&as);
}
END_TEST

START_TEST(visibility)
{
	const struct survey	*s = fixture("community-safety");

	ck_assert_int_eq(survey_page_visible(s, 0, &as), 1);
	ck_assert_int_eq(survey_page_visible(s, 2, &as), 0);
	ck_assert_int_eq(survey_question_visible(s, qi(s, "worry"), &as), 0);
	ck_assert_int_eq(survey_question_visible(s, qi(s, "comment"), &as), 1);
	add(s, "safe_day", "2", 0);
	ck_assert_int_eq(survey_page_visible(s, 2, &as), 1);
	ck_assert_int_eq(survey_question_visible(s, qi(s, "why"), &as), 1);
	check1(s, "safe_day", "dk");
	ck_assert_int_eq(survey_page_visible(s, 2, &as), 0);
	add(s, "area", "outside", 0);
	ck_assert_int_eq(survey_question_visible(s, qi(s, "comment"), &as), 0);
	check1(s, "area", "pnts");
	ck_assert_int_eq(survey_question_visible(s, qi(s, "comment"), &as), 1);
	ck_assert_int_eq(survey_page_visible(s, 99, &as), 0);
	ck_assert_int_eq(survey_question_visible(s, 999, &as), 0);
}
END_TEST

/* a -> page 2 (shown when a = y) holds b -> c (shown when b = y), d (when b is not y). */
#define CHAIN	"id: chain\ntitle: T\npages:\n  - id: p1\n    questions:\n" \
	Q("{id: a, type: single, text: A, " OPTS "}") \
	"  - id: pb\n    show_if: {question: a, any_of: [y]}\n    questions:\n" \
	Q("{id: b, type: single, text: B, " OPTS "}") PAGE2 \
	Q("{id: c, type: text, text: C, show_if: {question: b, any_of: [y]}}") \
	Q("{id: d, type: text, text: D, show_if: {question: b, none_of: [y]}}")

START_TEST(hidden_counts_as_unanswered)
{
	const struct survey	*s;

	ck_assert_msg(load_text(CHAIN, NULL, NULL) == 0, "%s", err);
	s = set->v[0];
	add(s, "a", "y", 0);
	add(s, "b", "y", 0);
	add(s, "c", "hello", 0);
	add(s, "d", "stale", 0);
	ck_assert_int_eq(survey_question_visible(s, qi(s, "c"), &as), 1);
	ck_assert_int_eq(survey_question_visible(s, qi(s, "d"), &as), 0);
	check1(s, "a", "n");
	ck_assert_int_eq(survey_question_visible(s, qi(s, "b"), &as), 0);
	ck_assert_int_eq(survey_question_visible(s, qi(s, "c"), &as), 0);
	ck_assert_int_eq(survey_question_visible(s, qi(s, "d"), &as), 1);
	survey_drop_hidden(s, &as);
	ck_assert_uint_eq(as.n, 2);
	ck_assert_int_eq(answer_set_has(&as, qi(s, "a"), "n"), 1);
	ck_assert_int_eq(answer_set_has(&as, qi(s, "d"), "stale"), 1);
	survey_set_free(set);
}
END_TEST

/* Settling once agrees with the conditions worked out by hand and with the
 * one-at-a-time forms, for every way of answering a and b (a stale answer to
 * a hidden b still in the set); survey_check_shown does not look at
 * visibility, survey_check_answer does. */
START_TEST(settle_once)
{
	static const char *const vals[] = { NULL, "y", "n" };
	const struct survey	*s;
	struct survey_vis	 v;
	size_t			 i, j, p, q;
	int			 pb, c;

	ck_assert_msg(load_text(CHAIN, NULL, NULL) == 0, "%s", err);
	s = set->v[0];
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++) {
			answer_set_free(&as);
			if (vals[i] != NULL)
				add(s, "a", vals[i], 0);
			if (vals[j] != NULL)
				add(s, "b", vals[j], 0);
			add(s, "c", "bad\x01", 0);
			add(s, "d", "bad\x01", 0);
			ck_assert_int_eq(survey_vis_settle(&v, s, &as), 0);
			pb = i == 1;
			c = pb && j == 1;
			ck_assert_int_eq(v.page[0], 1);
			ck_assert_int_eq(v.page[1], pb);
			ck_assert_int_eq(v.page[2], 1);
			ck_assert_int_eq(v.q[qi(s, "a")], 1);
			ck_assert_int_eq(v.q[qi(s, "b")], pb);
			ck_assert_int_eq(v.q[qi(s, "c")], c);
			ck_assert_int_eq(v.q[qi(s, "d")], !c);
			for (p = 0; p < s->npages; p++)
				ck_assert_int_eq(v.page[p], survey_page_visible(s, p, &as));
			for (q = 0; q < s->nqs; q++) {
				ck_assert_int_eq(v.q[q], survey_question_visible(s, q, &as));
				ck_assert_int_eq(survey_check_answer(s, q, &as),
				    v.q[q] ? survey_check_shown(s, q, &as) : AE_OK);
			}
			ck_assert_int_eq(survey_check_shown(s, qi(s, "c"), &as), AE_BAD_TEXT);
			survey_vis_free(&v);
		}
	survey_set_free(set);
}
END_TEST

/* A hand-built survey beyond the loader's limits is settled in heap arrays. */
START_TEST(settle_big)
{
	static const char	*y[] = { "y" };
	struct cond		 last = { 0, y, 1, 0 }, second = { 0, y, 1, 1 };
	struct survey		 s;
	struct survey_vis	 v;
	size_t			 p;
	int			 i;

	memset(&s, 0, sizeof(s));
	s.npages = s.nqs = SURVEY_MAX_PAGES + 1;
	ck_assert_ptr_nonnull(s.pages = calloc(s.npages, sizeof(*s.pages)));
	ck_assert_ptr_nonnull(s.qs = calloc(s.nqs, sizeof(*s.qs)));
	for (p = 0; p < s.npages; p++) {
		s.pages[p].first = s.qs[p].page = p;
		s.pages[p].count = 1;
		s.qs[p].type = Q_TEXT;
	}
	s.pages[s.npages - 1].show_if = &last;
	s.qs[1].show_if = &second;
	for (i = 0; i < 2; i++) {
		if (i == 1)
			ck_assert_int_eq(answer_set_add(&as, 0, "y", 0), 0);
		ck_assert_int_eq(survey_vis_settle(&v, &s, &as), 0);
		ck_assert_int_eq(v.heap, 1);
		ck_assert_int_eq(v.page[s.npages - 1], i);
		ck_assert_int_eq(v.q[s.nqs - 1], i);
		ck_assert_int_eq(v.q[1], !i);
		ck_assert_int_eq(survey_page_visible(&s, s.npages - 1, &as), i);
		ck_assert_int_eq(survey_question_visible(&s, 1, &as), !i);
		survey_vis_free(&v);
		survey_vis_free(&v);	/* as after a failed settle: harmless */
	}
	free(s.pages);
	free(s.qs);
}
END_TEST

START_TEST(drop_hidden)
{
	const struct survey	*s = fixture("community-safety");

	add(s, "safe_day", "4", 0);
	add(s, "worry", "groups", 0);
	add(s, "why", "because", 0);
	add(s, "age", "40", 0);
	ck_assert_int_eq(check(s, "worry"), AE_OK);
	ck_assert_int_eq(answer_set_add(&as, 999, "x", 0), 0);
	survey_drop_hidden(s, &as);
	ck_assert_uint_eq(as.n, 2);
	ck_assert_uint_eq(as.v[0].q, qi(s, "safe_day"));
	ck_assert_uint_eq(as.v[1].q, qi(s, "age"));
}
END_TEST

START_TEST(check_required)
{
	const struct survey	*s = fixture("community-safety");

	ck_assert_int_eq(check(s, "area"), AE_REQUIRED);
	ck_assert_int_eq(check1(s, "area", ""), AE_REQUIRED);
	ck_assert_int_eq(check1(s, "area", " \t\r\n"), AE_REQUIRED);
	ck_assert_int_eq(check(s, "comment"), AE_OK);
	ck_assert_int_eq(check1(s, "comment", "   "), AE_OK);
	ck_assert_int_eq(check(s, "welcome"), AE_OK);
	ck_assert_int_eq(check1(s, "welcome", "x"), AE_TOO_MANY);
}
END_TEST

START_TEST(check_choice)
{
	const struct survey	*s = fixture("community-safety");

	ck_assert_int_eq(check1(s, "area", "outside"), AE_OK);
	ck_assert_int_eq(check1(s, "area", "mars"), AE_UNKNOWN_OPTION);
	add(s, "area", "pnts", 0);
	add(s, "area", "outside", 0);
	ck_assert_int_eq(check(s, "area"), AE_TOO_MANY);
	ck_assert_int_eq(check1(s, "safe_day", "dk"), AE_OK);
	ck_assert_int_eq(check1(s, "safe_day", "6"), AE_UNKNOWN_OPTION);
	ck_assert_int_eq(check1(s, "likely", "10"), AE_OK);
	ck_assert_int_eq(check1(s, "likely", "11"), AE_UNKNOWN_OPTION);
}
END_TEST

START_TEST(check_multi)
{
	const struct survey	*s = fixture("community-safety");

	add(s, "safe_day", "1", 0);
	ck_assert_int_eq(check1(s, "worry", "groups"), AE_OK);
	add(s, "worry", "traffic", 0);
	ck_assert_int_eq(check(s, "worry"), AE_OK);
	add(s, "worry", "lighting", 0);
	ck_assert_int_eq(check(s, "worry"), AE_TOO_MANY);
	ck_assert_int_eq(check1(s, "worry", "groups"), AE_OK);
	add(s, "worry", "groups", 0);
	ck_assert_int_eq(check(s, "worry"), AE_TOO_MANY);
	ck_assert_int_eq(check1(s, "worry", "none"), AE_OK);
	add(s, "worry", "groups", 0);
	ck_assert_int_eq(check(s, "worry"), AE_EXCLUSIVE);
	ck_assert_int_eq(check1(s, "worry", "mars"), AE_UNKNOWN_OPTION);
	check1(s, "safe_day", "5");
	ck_assert_int_eq(check(s, "worry"), AE_OK);
}
END_TEST

START_TEST(check_ranking)
{
	struct survey_set	*own;
	const struct survey	*s = fixture("community-safety");
	size_t			 q = qi(s, "priority");

	add(s, "priority", "police", 1);
	ck_assert_int_eq(check(s, "priority"), AE_OK);
	add(s, "priority", "youth", 2);
	ck_assert_int_eq(check(s, "priority"), AE_OK);
	add(s, "priority", "lights", 3);
	ck_assert_int_eq(check(s, "priority"), AE_OUT_OF_RANGE);
	answer_set_clear(&as, q);
	add(s, "priority", "police", 1);
	add(s, "priority", "youth", 1);
	ck_assert_int_eq(check(s, "priority"), AE_RANK_DUPLICATE);
	answer_set_clear(&as, q);
	add(s, "priority", "police", 1);
	add(s, "priority", "police", 2);
	ck_assert_int_eq(check(s, "priority"), AE_RANK_DUPLICATE);
	answer_set_clear(&as, q);
	add(s, "priority", "police", 2);
	ck_assert_int_eq(check(s, "priority"), AE_RANK_INCOMPLETE);
	answer_set_clear(&as, q);
	add(s, "priority", "mars", 1);
	ck_assert_int_eq(check(s, "priority"), AE_UNKNOWN_OPTION);
	answer_set_clear(&as, q);
	add(s, "priority", "police", 0);
	ck_assert_int_eq(check(s, "priority"), AE_OUT_OF_RANGE);
	own = set;
	set = NULL;
	ck_assert_msg(load_text(HEAD Q("{id: r, type: ranking, text: R, required: true, rank: 2, "
	    "options: [{code: a, text: A}, {code: b, text: B}, {code: c, text: C}]}"),
	    NULL, NULL) == 0, "%s", err);
	s = set->v[0];
	ck_assert_int_eq(check(s, "r"), AE_REQUIRED);
	add(s, "r", "c", 1);
	ck_assert_int_eq(check(s, "r"), AE_RANK_INCOMPLETE);
	add(s, "r", "a", 2);
	ck_assert_int_eq(check(s, "r"), AE_OK);
	survey_set_free(set);
	set = own;
}
END_TEST

START_TEST(check_number)
{
	static const struct check_case cases[] = {
		{ "42", AE_OK },
		{ " 42 ", AE_OK },
		{ "11", AE_OK },
		{ "120", AE_OK },
		{ "10", AE_OUT_OF_RANGE },
		{ "121", AE_OUT_OF_RANGE },
		{ "-5", AE_OUT_OF_RANGE },
		{ "99999999999999999999999", AE_OUT_OF_RANGE },
		{ "9223372036854775808", AE_OUT_OF_RANGE },
		{ "-9223372036854775809", AE_OUT_OF_RANGE },
		{ "12a", AE_NOT_NUMBER },
		{ "1.5", AE_NOT_NUMBER },
		{ "+3", AE_NOT_NUMBER },
		{ "-", AE_NOT_NUMBER },
		{ "4 2", AE_NOT_NUMBER },
		{ "\xd9\xa4\xd9\xa2", AE_NOT_NUMBER },
	};
	const struct survey	*s = fixture("community-safety");

	CHECK_ALL(s, "age", cases);
	add(s, "age", "30", 0);
	ck_assert_int_eq(check(s, "age"), AE_TOO_MANY);
}
END_TEST

START_TEST(check_text)
{
	static const struct check_case comment[] = {
		{ "Güvenli değil \xf0\x9f\x98\x8a", AE_OK },
		{ "a\nb", AE_BAD_TEXT },
		{ "a\tb", AE_BAD_TEXT },
		{ "a\x01", AE_BAD_TEXT },
		{ "a\x7f", AE_BAD_TEXT },
		{ "a\xc2\x85", AE_BAD_TEXT },
		{ "\xff", AE_BAD_TEXT },
		{ "\xc0\xaf", AE_BAD_TEXT },
		{ "\xed\xa0\x80", AE_BAD_TEXT },
		{ "\xf4\x90\x80\x80", AE_BAD_TEXT },
		{ "\xe2\x82", AE_BAD_TEXT },
	}, why[] = {
		{ "one\r\ntwo\n\tthree", AE_OK },
		{ "one\rtwo", AE_BAD_TEXT },
		{ "nul\x1b", AE_BAD_TEXT },
	};
	const struct survey	*s = fixture("community-safety");
	char			 v[1024];

	memset(v, 'a', 200);
	v[200] = '\0';
	ck_assert_int_eq(check1(s, "comment", v), AE_OK);
	v[200] = 'a', v[201] = '\0';
	ck_assert_int_eq(check1(s, "comment", v), AE_TOO_LONG);
	for (size_t i = 0; i < 200; i++)
		memcpy(v + 2 * i, "\xc3\xa9", 2);
	v[400] = '\0';
	ck_assert_int_eq(check1(s, "comment", v), AE_OK);
	CHECK_ALL(s, "comment", comment);
	add(s, "safe_day", "1", 0);
	CHECK_ALL(s, "why", why);
	add(s, "why", "again", 0);
	ck_assert_int_eq(check(s, "why"), AE_TOO_MANY);
}
END_TEST

START_TEST(check_wordcloud)
{
	const struct survey	*s = fixture("workshop-poll");

	ck_assert_int_eq(check1(s, "one_word", "quiet"), AE_OK);
	ck_assert_int_eq(check1(s, "one_word", "a\nb"), AE_BAD_TEXT);
	ck_assert_int_eq(check1(s, "one_word",
	    "abcdefghijklmnopqrstuvwxyzabcdefghijklmno"), AE_TOO_LONG);
	ck_assert_int_eq(check1(s, "ideas", "More lights"), AE_OK);
}
END_TEST


static Suite *
answer_suite(void)
{
	Suite	*s = suite_create("answer");
	TCase	*tc;

	tc = unit_tcase(s, "answer", answer_set_ops, visibility, drop_hidden, check_required,
	    check_choice, check_multi, check_ranking, check_number, check_text, check_wordcloud,
	    NULL);
	tcase_add_checked_fixture(tc, load_fixtures, free_fixtures);
	tcase_add_checked_fixture(tc, NULL, free_answers);
	tc = unit_tcase(s, "conditions", hidden_counts_as_unanswered, settle_once, settle_big,
	    NULL);
	tcase_add_checked_fixture(tc, NULL, free_answers);
	return s;
}

/* libsodium first: the loader hashes each survey file. */
int
main(void)
{
	return sodium_init() < 0 ? EXIT_FAILURE : unit_run(answer_suite(), CK_FORK_GETENV);
}
