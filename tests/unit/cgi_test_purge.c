/* Tests for cgi/purge.c: when the writer's purge is due (daily in one local
 * hour, or every purge_interval seconds), and that a purge whose survey
 * files do not load deletes nothing.  Run from the repository root (it
 * copies surveys/ui.yaml).  On both engines: the database is store_target's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include "purge.h"
#include "store.h"
#include "store_target.h"
#include "unit.h"

static char		 dir[64], path[128];
static struct config	 cfg;

static void
setup(void)
{
	unit_db_dir(dir, sizeof dir, path, sizeof path);
	config_defaults(&cfg);
	free(cfg.database);
	ck_assert_ptr_nonnull(cfg.database = strdup(store_target(path)));
	free(cfg.surveys);
	ck_assert_ptr_nonnull(cfg.surveys = strdup(dir));
	unit_copy_ui(dir);
}

static void
teardown(void)
{
	config_free(&cfg);
	unit_rmdir(dir);
}

/* Local time on 1 June 2026 at h:m. */
static time_t
at(int day, int h, int m)
{
	struct tm tm = { .tm_year = 126, .tm_mon = 5, .tm_mday = day, .tm_hour = h, .tm_min = m,
	    .tm_isdst = -1 };

	return mktime(&tm);
}

START_TEST(due_daily)
{
	cfg.purge_hour = 3;
	ck_assert_int_eq(purge_due(&cfg, at(1, 2, 59), 0), 0);
	ck_assert_int_eq(purge_due(&cfg, at(1, 3, 0), 0), 1);		/* never ran: now */
	ck_assert_int_eq(purge_due(&cfg, at(1, 3, 59), 0), 1);
	ck_assert_int_eq(purge_due(&cfg, at(1, 4, 0), 0), 0);
	ck_assert_int_eq(purge_due(&cfg, at(1, 3, 30), at(1, 3, 0)), 0);	/* once a day */
	ck_assert_int_eq(purge_due(&cfg, at(2, 3, 0), at(1, 3, 59)), 1);	/* the next day */
	ck_assert_int_eq(purge_due(&cfg, at(2, 12, 0), at(1, 3, 0)), 0);	/* not at noon */
	cfg.purge_hour = -1;
	ck_assert_int_eq(purge_due(&cfg, at(2, 3, 0), 0), 0);			/* never */
}
END_TEST

START_TEST(due_interval)
{
	cfg.purge_interval = 5;
	cfg.purge_hour = -1;
	ck_assert_int_eq(purge_due(&cfg, 1004, 1000), 0);
	ck_assert_int_eq(purge_due(&cfg, 1005, 1000), 1);
	ck_assert_int_eq(purge_due(&cfg, at(1, 12, 0), at(1, 12, 0) - 60), 1);	/* any hour */
}
END_TEST

static int64_t
responses(struct store *st)
{
	int64_t n = -1;

	ck_assert_int_eq(store_response_count(st, NULL, &n), STORE_OK);
	return n;
}

/* A survey whose file is broken cannot say how long to keep: nothing goes. */
START_TEST(broken_file_purges_nothing)
{
	struct store_answer a = { .question = "q", .value = "1", .len = 1 };
	struct submission s = { .survey = "s", .version = 1, .def_hash = "0123456789abcdef0123456789abcdef",
	    .channel = "web", .lang = "en", .day = "2001-01-01", .answers = &a, .nanswers = 1 };
	struct submission *v[1] = { &s };
	struct survey sv = { .id = "s", .version = 1, .hash = "0123456789abcdef0123456789abcdef" };
	struct purge_totals t;
	enum store_err res[1];
	struct store *st = NULL;
	FILE *out = fopen("/dev/null", "w");

	ck_assert_ptr_nonnull(out);
	sv.title.s[0] = "T";
	ck_assert_int_eq(store_open(cfg.database, STORE_CREATE, &st), STORE_OK);
	ck_assert_int_eq(store_survey_register(st, &sv), STORE_OK);
	ck_assert_int_eq(store_responses_add(st, v, 1, res), STORE_OK);
	unit_write(dir, "s.yaml", "id: s\ntitle: T\nkeep_days: soon\npages: []\n");
	ck_assert_int_eq(purge_run(&cfg, st, 0, "cli", out, "", &t), -1);
	ck_assert_int_eq(responses(st), 1);
	unit_write(dir, "s.yaml", "id: s\ntitle: T\nkeep_days: 30\npages:\n  - id: p\n    questions:\n"
	    "      - {id: q, type: text, text: Q}\n");
	ck_assert_int_eq(purge_run(&cfg, st, 1, "cli", out, "", &t), 0);	/* dry run */
	ck_assert_int_eq(t.n.responses, 1);
	ck_assert_int_eq(responses(st), 1);
	ck_assert_int_eq(purge_run(&cfg, st, 0, "cli", out, "", &t), 0);
	ck_assert_int_eq(t.n.responses, 1);
	ck_assert_int_eq(responses(st), 0);
	store_close(st);
	fclose(out);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("purge");
	TCase *tc = tcase_create("purge");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, due_daily);
	tcase_add_test(tc, due_interval);
	tcase_add_test(tc, broken_file_purges_nothing);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK_GETENV);
}
