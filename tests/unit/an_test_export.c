/* Tests for the exports: CSV escaping of hostile text, and golden files for
 * the CSV and HTML of a small fixed synthetic database.  The database is
 * generated afresh from a seed (tallies and quote choice do not depend on
 * the random response ids), with a copy of the residents' survey kept in
 * tests/fixtures/analysis so survey edits do not move the golden files.
 * After an intended change: VOICES_UPDATE_GOLDEN=1 rewrites them. */
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "cmd.h"
#include "export.h"
#include "report.h"

#define FIX	"tests/fixtures/analysis"

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0 &&
	    (p = malloc((size_t)n + 1)) != NULL) {
		*len = fread(p, 1, (size_t)n, fp);
		p[*len] = '\0';
	}
	fclose(fp);
	return p;
}

static char tmpdir[64];

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(path);
}

static void
rm_tmp(void)
{
	if (tmpdir[0] != '\0')
		nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Each test runs in its own forked process: the directory goes at its exit. */
static void
make_tmp(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/an_test_export.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	atexit(rm_tmp);
}

static const char *const hostile[] = {
	"=HYPERLINK(\"http://x.example\",\"click\")", "+1", "-2", "@SUM(A1)", "a,b",
	"line\nbreak", "quote\"d", "caf\xc3\xa9", "\xff bad byte",
};
#define NHOSTILE (sizeof(hostile) / sizeof(hostile[0]))

START_TEST(csv_escaping)
{
	struct report r = { 0 };
	struct rtable t = { 0 };
	struct rrow rows[NHOSTILE];
	struct export_opts o = { 1, NULL };
	char err[256], path[128];
	size_t len;
	char *csv;

	make_tmp();
	memset(rows, 0, sizeof(rows));
	for (size_t i = 0; i < NHOSTILE; i++) {
		rows[i].code = "c";
		rows[i].label = hostile[i];
		rows[i].n = 20;
		rows[i].base = 180;
	}
	t.id = "q";
	t.title = "Title, with \"quotes\"";
	t.section = "questions";
	t.kind = RK_CHOICE;
	t.rows = rows;
	t.nrows = NHOSTILE;
	t.answered = 180;
	r.t = &t;
	r.nt = 1;
	r.k = 10;
	ck_assert_int_eq(export_csv(&r, tmpdir, &o, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/tables.csv", tmpdir);
	ck_assert_ptr_nonnull(csv = slurp(path, &len));
	ck_assert(memcmp(csv, "\xEF\xBB\xBF\"section\",", 13) == 0);
	ck_assert_ptr_nonnull(strstr(csv, "\"'=HYPERLINK(\"\"http://x.example\"\",\"\"click\"\")\""));
	ck_assert_ptr_nonnull(strstr(csv, "\"'+1\""));
	ck_assert_ptr_nonnull(strstr(csv, "\"'-2\""));
	ck_assert_ptr_nonnull(strstr(csv, "\"'@SUM(A1)\""));
	ck_assert_ptr_nonnull(strstr(csv, "\"a,b\""));
	ck_assert_ptr_nonnull(strstr(csv, "\"line\nbreak\""));
	ck_assert_ptr_nonnull(strstr(csv, "\"quote\"\"d\""));
	ck_assert_ptr_nonnull(strstr(csv, "\"Title, with \"\"quotes\"\"\""));
	ck_assert_ptr_nonnull(strstr(csv, "\"\xEF\xBF\xBD bad byte\""));
	ck_assert_ptr_nonnull(strstr(csv, "\r\n"));
	free(csv);
}
END_TEST

/* Suppressed cells are written as [c], never as their number. */
START_TEST(csv_suppressed)
{
	struct report r = { 0 };
	struct rtable t = { 0 };
	struct rrow rows[2];
	struct export_opts o = { 0, NULL };
	char err[256], path[128];
	size_t len;
	char *csv;

	make_tmp();
	memset(rows, 0, sizeof(rows));
	rows[0] = (struct rrow){ .code = "a", .label = "A", .n = 7, .n_supp = 1, .pct_supp = 1, .base = 400 };
	rows[1] = (struct rrow){ .code = "b", .label = "B", .n = 393, .n_supp = 1, .pct_supp = 1, .base = 400 };
	t = (struct rtable){ .id = "q", .title = "Q", .section = "questions", .kind = RK_CHOICE,
	    .rows = rows, .nrows = 2, .answered = 400 };
	r.t = &t;
	r.nt = 1;
	r.k = 10;
	ck_assert_int_eq(export_csv(&r, tmpdir, &o, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/tables.csv", tmpdir);
	ck_assert_ptr_nonnull(csv = slurp(path, &len));
	ck_assert_ptr_null(strstr(csv, "\"7\""));
	ck_assert_ptr_null(strstr(csv, "\"393\""));
	ck_assert_ptr_nonnull(strstr(csv, "\"[c]\""));
	free(csv);
}
END_TEST

static void
compare_golden(const char *name)
{
	char got_path[256], want_path[256];
	size_t glen = 0, wlen = 0;
	char *got, *want;

	snprintf(got_path, sizeof(got_path), "%s/out/%s", tmpdir, name);
	snprintf(want_path, sizeof(want_path), FIX "/golden/%s", name);
	ck_assert_ptr_nonnull(got = slurp(got_path, &glen));
	if (getenv("VOICES_UPDATE_GOLDEN") != NULL) {
		FILE *fp = fopen(want_path, "wb");
		ck_assert_ptr_nonnull(fp);
		ck_assert_uint_eq(fwrite(got, 1, glen, fp), glen);
		fclose(fp);
	}
	want = slurp(want_path, &wlen);
	ck_assert_msg(want != NULL, "%s: missing golden file", want_path);
	ck_assert_msg(glen == wlen && memcmp(got, want, glen) == 0,
	    "%s differs from %s (VOICES_UPDATE_GOLDEN=1 to accept)", got_path, want_path);
	free(got);
	free(want);
}

START_TEST(golden_fixture)
{
	char db[128], out[128];

	make_tmp();
	snprintf(db, sizeof(db), "%s/fixture.db", tmpdir);
	snprintf(out, sizeof(out), "%s/out", tmpdir);
	{
		char *gen[] = { "--db", db, "--n", "300", "--seed", "42", "--waves", "2",
		    "--pub", FIX "/analysis.pub", "--surveys", FIX "/surveys", NULL };
		ck_assert_int_eq(cmd_generate(12, gen), 0);
	}
	{
		char *rep[] = { "--db", db, "--key", FIX "/analysis.secret", "--out", out,
		    "--surveys", FIX "/surveys", "--formats", "csv,html,json,xlsx", "--quiet", NULL };
		ck_assert_int_eq(cmd_report(11, rep), 0);
	}
	compare_golden("tables.csv");
	compare_golden("scales.csv");
	compare_golden("rankings.csv");
	compare_golden("quotes.csv");
	compare_golden("report.html");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("export");
	TCase *tc = tcase_create("export");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, csv_escaping);
	tcase_add_test(tc, csv_suppressed);
	tcase_add_test(tc, golden_fixture);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
