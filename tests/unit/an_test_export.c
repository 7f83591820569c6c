/* Tests for the exports: CSV escaping of hostile text, and golden files for
 * the CSV and HTML of a small fixed synthetic database.  The database is
 * generated afresh from a seed (tallies and quote choice do not depend on
 * the random response ids), with a copy of the residents' survey kept in
 * tests/fixtures/analysis so survey edits do not move the golden files.
 * After an intended change: VOICES_UPDATE_GOLDEN=1 rewrites them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "an_unit.h"
#include "arena.h"
#include "cmd.h"
#include "export.h"
#include "report.h"


static const char *tmpdir;

static const char *const hostile[] = {
	"=HYPERLINK(\"http://x.example\",\"click\")", "+1", "-2", "@SUM(A1)", "a,b",
	"line\nbreak", "quote\"d", "caf\xc3\xa9", "\xff bad byte",
};
#define NHOSTILE (sizeof(hostile) / sizeof(hostile[0]))

/* The tables.csv that export_csv writes of the one table t (with a byte
 * order mark if bom), in a fresh temporary directory. */
static char *
tables_csv(struct rtable *t, int bom)
{
	struct report r = { .t = t, .nt = 1, .k = 10 };
	struct export_opts o = { bom, NULL };
	char err[256], path[128];
	char *csv;

	tmpdir = unit_tmp();
	ck_assert_int_eq(export_csv(&r, tmpdir, &o, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/tables.csv", tmpdir);
	ck_assert_ptr_nonnull(csv = unit_slurp(path, NULL));
	return csv;
}

START_TEST(csv_escaping)
{
	struct rtable t = { 0 };
	struct rrow rows[NHOSTILE];
	char *csv;

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
	csv = tables_csv(&t, 1);
	ck_assert(memcmp(csv, "\xEF\xBB\xBF\"section\",", 13) == 0);
	unit_has(csv, "\"'=HYPERLINK(\"\"http://x.example\"\",\"\"click\"\")\"", "\"'+1\"",
	    "\"'-2\"", "\"'@SUM(A1)\"", "\"a,b\"", "\"line\nbreak\"", "\"quote\"\"d\"",
	    "\"Title, with \"\"quotes\"\"\"", "\"\xEF\xBF\xBD bad byte\"", "\r\n", NULL);
	free(csv);
}
END_TEST

/* Suppressed cells are written as [c], never as their number. */
START_TEST(csv_suppressed)
{
	struct rtable t = { 0 };
	struct rrow rows[2];
	char *csv;

	memset(rows, 0, sizeof(rows));
	rows[0] = (struct rrow){ .code = "a", .label = "A", .n = 7, .n_supp = 1, .pct_supp = 1, .base = 400 };
	rows[1] = (struct rrow){ .code = "b", .label = "B", .n = 393, .n_supp = 1, .pct_supp = 1, .base = 400 };
	t = (struct rtable){ .id = "q", .title = "Q", .section = "questions", .kind = RK_CHOICE,
	    .rows = rows, .nrows = 2, .answered = 400 };
	csv = tables_csv(&t, 0);
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
	snprintf(want_path, sizeof(want_path), AN_FIX "/golden/%s", name);
	ck_assert_ptr_nonnull(got = unit_slurp(got_path, &glen));
	if (getenv("VOICES_UPDATE_GOLDEN") != NULL) {
		FILE *fp = fopen(want_path, "wb");
		ck_assert_ptr_nonnull(fp);
		ck_assert_uint_eq(fwrite(got, 1, glen, fp), glen);
		fclose(fp);
	}
	want = unit_slurp(want_path, &wlen);
	ck_assert_msg(want != NULL, "%s: missing golden file", want_path);
	ck_assert_msg(glen == wlen && memcmp(got, want, glen) == 0,
	    "%s differs from %s (VOICES_UPDATE_GOLDEN=1 to accept)", got_path, want_path);
	free(got);
	free(want);
}

START_TEST(golden_fixture)
{
	char db[128], out[128];

	tmpdir = unit_tmp();
	an_fixture_db(db, sizeof(db), tmpdir);
	snprintf(out, sizeof(out), "%s/out", tmpdir);
	AN_REPORT(db, AN_FIX "/surveys", "--out", out, "--formats", "csv,html,json,xlsx");
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
	return unit_run_tests("export", "export", 120, CK_FORK, csv_escaping, csv_suppressed,
	    golden_fixture, NULL);
}
