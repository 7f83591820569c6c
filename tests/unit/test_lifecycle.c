/* Tests for the survey lifecycle: the one decision of a survey's state,
 * and the borough's local dates (GMT and BST from the time zone database). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lifecycle.h"
#include "survey.h"
#include "unit.h"

#define DAY	(24 * 60 * 60)
#define T0	1780000000	/* 2026-05-28 */

static struct lc_view
at(const struct lc_sched *s, const struct lc_override *ov, int64_t now)
{
	struct lc_view v;

	lc_decide(s, ov, now, &v);
	return v;
}

START_TEST(dates_in_summer_and_winter)
{
	int64_t t;
	int has_time;
	char out[64];

	ck_assert_int_eq(lc_parse("2026-07-01 12:00", 0, &t, &has_time), 0);
	ck_assert_int_eq(t, 1782903600);	/* 11:00 UTC: BST */
	ck_assert_int_eq(has_time, 1);
	ck_assert_int_eq(lc_parse("2026-12-01T12:00", 0, &t, &has_time), 0);
	ck_assert_int_eq(t, 1796126400);	/* 12:00 UTC: GMT */
	ck_assert_int_eq(lc_parse("2026-03-29", 0, &t, &has_time), 0);
	ck_assert_int_eq(t, 1774742400);	/* midnight GMT, the day clocks go forward */
	ck_assert_int_eq(has_time, 0);
	ck_assert_int_eq(lc_parse("2026-03-29", 1, &t, &has_time), 0);
	ck_assert_int_eq(t, 1774825200);	/* the next midnight is BST: 23 hours later */
	lc_format(t, 0, 1, out, sizeof(out));
	ck_assert_str_eq(out, "29 March 2026");
	lc_format(1782903600, 1, 0, out, sizeof(out));
	ck_assert_str_eq(out, "1 July 2026, 12:00");
}
END_TEST

START_TEST(bad_dates)
{
	const char *bad[] = { "", "2026-02-30", "2026-13-01", "2026-5-1", "2026-05-01 25:00",
		"2026-05-01 9:00", "2026-05-01x12:00", "2026-03-29 01:30", "tomorrow",
		"2026-05-01 12:00:00" };
	int64_t t;
	int has_time;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(lc_parse(bad[i], 0, &t, &has_time) == -1, "%s", bad[i]);
}
END_TEST

START_TEST(file_schedule)
{
	struct lc_sched s = { 0, T0, T0 + 10 * DAY, 0, 0, 3600 };

	ck_assert_int_eq(at(&s, NULL, T0 - 1).state, LC_NOT_OPEN);
	ck_assert_int_eq(at(&s, NULL, T0).state, LC_OPEN);
	ck_assert_int_eq(at(&s, NULL, T0 + 10 * DAY).state, LC_GRACE);
	ck_assert_int_eq(at(&s, NULL, T0 + 10 * DAY + 3599).state, LC_GRACE);
	ck_assert_int_eq(at(&s, NULL, T0 + 10 * DAY + 3600).state, LC_CLOSED);
	s.draft = 1;
	ck_assert_int_eq(at(&s, NULL, T0 + DAY).state, LC_DRAFT);
	ck_assert(!lc_takes_forms(LC_DRAFT) && !lc_takes_forms(LC_CLOSED) &&
	    !lc_takes_forms(LC_NOT_OPEN) && lc_takes_forms(LC_GRACE) && lc_takes_forms(LC_OPEN));
}
END_TEST

START_TEST(admin_close_and_reopen)
{
	struct lc_sched s = { 0, T0, T0 + 10 * DAY, 0, 0, 3600 };
	struct lc_override close = { LC_ACT_CLOSE, T0 + DAY, 600 };
	struct lc_override reopen = { LC_ACT_REOPEN, T0 + 11 * DAY, 0 };
	struct lc_view v = at(&s, &close, T0 + DAY + 599);

	ck_assert_int_eq(v.state, LC_GRACE);	/* the grace recorded with the close */
	ck_assert(v.early);
	ck_assert_int_eq(at(&s, &close, T0 + DAY + 600).state, LC_CLOSED);
	ck_assert_int_eq(at(&s, &close, T0 + DAY - 1).state, LC_OPEN);
	close.at = T0 + 20 * DAY;		/* after the file's date: the file's wins */
	v = at(&s, &close, T0 + 10 * DAY + 1);
	ck_assert_int_eq(v.state, LC_GRACE);
	ck_assert(!v.early);
	/* reopened after the file's close: open with no close date */
	v = at(&s, &reopen, T0 + 30 * DAY);
	ck_assert_int_eq(v.state, LC_OPEN);
	ck_assert_int_eq(v.closes, 0);
	/* reopened before it was due to open: open from then; the file's close stays */
	reopen.at = T0 - DAY;
	ck_assert_int_eq(at(&s, &reopen, T0 - 1).state, LC_OPEN);
	ck_assert_int_eq(at(&s, &reopen, T0 + 11 * DAY).state, LC_CLOSED);
	/* closed before it was due to open: closed, never "opens on" */
	close.at = T0 - DAY;
	ck_assert_int_eq(at(&s, &close, T0 - DAY + 300).state, LC_GRACE);
	ck_assert_int_eq(at(&s, &close, T0 + DAY).state, LC_CLOSED);
	/* no file (the writer): an admin's close alone */
	close.at = T0;
	ck_assert_int_eq(at(NULL, &close, T0 + 599).state, LC_GRACE);
	ck_assert_int_eq(at(NULL, &close, T0 + 600).state, LC_CLOSED);
	ck_assert_int_eq(at(NULL, NULL, T0).state, LC_OPEN);
}
END_TEST

/* Loads a one-question survey with the given schedule lines; NULL with the
 * loader's message in err when it refuses it. */
static struct survey_set *
load(const char *schedule, char *err, size_t errlen)
{
	char path[] = "/tmp/voices-lc-XXXXXX";
	const char *paths[1] = { path };
	struct survey_set *set = NULL;
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	fprintf(f, "id: lc\n%stitle: T\npages:\n  - id: p\n    questions:\n"
	    "      - {id: q, type: text, text: Q}\n", schedule);
	fclose(f);
	if (survey_set_load_files(paths, 1, NULL, &set, err, errlen) != 0)
		set = NULL;
	unlink(path);
	return set;
}

START_TEST(survey_file_schedule)
{
	char err[512];
	struct survey_set *set = load("state: draft\nopens: 2026-07-01 12:00\n"
	    "closes: 2026-12-01\ngrace: 30\n", err, sizeof(err));
	const struct survey *s;

	ck_assert_msg(set != NULL, "%s", err);
	s = survey_find(set, "lc");
	ck_assert_int_eq(s->sched.draft, 1);
	ck_assert_int_eq(s->sched.opens, 1782903600);
	ck_assert_int_eq(s->sched.opens_time, 1);
	ck_assert_int_eq(s->sched.closes, 1796169600);	/* 2 December, 00:00 GMT */
	ck_assert_int_eq(s->sched.closes_time, 0);
	ck_assert_int_eq(s->sched.grace, 30 * 60);
	survey_set_free(set);
	set = load("", err, sizeof(err));
	ck_assert_msg(set != NULL, "%s", err);
	s = survey_find(set, "lc");
	ck_assert(!s->sched.draft && s->sched.opens == 0 && s->sched.closes == 0);
	ck_assert_int_eq(s->sched.grace, LC_GRACE_DEFAULT);
	survey_set_free(set);

	ck_assert_ptr_null(load("closes: 2026-02-30\n", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, ":2: 'closes' should be a date like 2026-05-01"));
	ck_assert_ptr_null(load("opens: 2026-06-01\ncloses: 2026-05-01\n", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "'closes' should be after 'opens'"));
	ck_assert_ptr_null(load("state: published\n", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "'state' should be draft"));
	ck_assert_ptr_null(load("grace: 20000\n", err, sizeof(err)));
}
END_TEST

static Suite *
lifecycle_suite(void)
{
	Suite	*s = suite_create("lifecycle");
	TCase	*tc = tcase_create("decide");

	tcase_add_test(tc, file_schedule);
	tcase_add_test(tc, admin_close_and_reopen);
	suite_add_tcase(s, tc);
	tc = tcase_create("dates");
	tcase_add_test(tc, dates_in_summer_and_winter);
	tcase_add_test(tc, bad_dates);
	tcase_add_test(tc, survey_file_schedule);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(lifecycle_suite(), CK_FORK_GETENV);
}
