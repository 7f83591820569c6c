/* Tests for results_check.c (what an uploaded report.json may publish) and
 * store_results.c (the rows behind a results page), on both engines (the
 * store is store_target's). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include "arena.h"
#include "results.h"
#include "store.h"
#include "store_target.h"
#include "unit.h"

#define K	10

static struct arena *a;
static struct survey sv;

static void
setup(void)
{
	ck_assert_ptr_nonnull(a = arena_new(4096));
	memset(&sv, 0, sizeof sv);
	sv.id = "s1";
}

static void
teardown(void)
{
	arena_free(a);
}

/* A report.json of survey s1 whose themes-areas rows are AREAS and whose
 * themes-a table's rows are A (over a base of 100, or of base_a). */
static enum results_err
accept_base(const char *areas, const char *base_a, const char *rows_a, const char **acc,
    const char **table)
{
	char *j = arena_printf(a, "{\"survey\":{\"id\":\"s1\"},\"tables\":["
	    "{\"id\":\"q1\",\"title\":\"Q\",\"base\":5,\"rows\":[{\"code\":\"x\",\"label\":\"X\",\"count\":3}]},"
	    "{\"id\":\"themes-areas\",\"title\":\"Areas\",\"base\":100,\"rows\":[%s]},"
	    "{\"id\":\"themes-a\",\"title\":\"Area A\",\"base\":%s,\"rows\":[%s]},"
	    "{\"id\":\"themes-other\",\"title\":\"Other\",\"base\":100,\"rows\":"
	    "[{\"code\":\"o\",\"label\":\"O\",\"count\":2}]}]}", areas, base_a, rows_a);

	return results_accept(j, strlen(j), &sv, K, a, acc, table);
}

static enum results_err
accept(const char *areas, const char *rows_a, const char **acc, const char **table)
{
	return accept_base(areas, "100", rows_a, acc, table);
}

#define AREAS	"{\"code\":\"a\",\"label\":\"A\",\"count\":40},{\"code\":\"other\",\"label\":\"Other\",\"count\":20}"

START_TEST(test_accepts_and_scrubs)
{
	const char *acc, *table;

	ck_assert_int_eq(accept(AREAS, "{\"code\":\"t1\",\"label\":\"T1\",\"count\":20,"
	    "\"quotes\":[\"write to jo@example.com please\"]},"
	    "{\"code\":\"t2\",\"label\":\"T2\",\"count\":null,\"suppressed\":true}", &acc, &table),
	    RESULTS_OK);
	ck_assert_ptr_null(table);
	/* Only the areas and their themes: not the closed question nor the other topics. */
	unit_has(acc, "\"themes-areas\"", "\"themes-a\"", "[email removed]", "\"count\":null",
	    NULL);
	unit_lacks(acc, "themes-other", "\"q1\"", "jo@example.com", NULL);
}
END_TEST

START_TEST(test_refuses_small_counts)
{
	const char *acc, *table;

	/* A count of 3. */
	ck_assert_int_eq(accept(AREAS, "{\"code\":\"t1\",\"label\":\"T1\",\"count\":3}", &acc, &table),
	    RESULTS_SMALL);
	ck_assert_str_eq(table, "themes-a");
	ck_assert_ptr_null(acc);
	/* 95 of 100: the 5 who did not raise it are found by subtraction. */
	ck_assert_int_eq(accept(AREAS, "{\"code\":\"t1\",\"label\":\"T1\",\"count\":95}", &acc, &table),
	    RESULTS_SMALL);
	ck_assert_str_eq(table, "themes-a");
	/* A zero beside only hidden counts is what the rule itself publishes in a
	 * table whose rows overlap (nobody's answer follows from it). */
	ck_assert_int_eq(accept(AREAS, "{\"code\":\"t1\",\"label\":\"T1\",\"count\":0},"
	    "{\"code\":\"t2\",\"label\":\"T2\",\"count\":null}", &acc, &table), RESULTS_OK);
	/* One hidden count alone: who did not raise it is unknown as well. */
	ck_assert_int_eq(accept(AREAS, "{\"code\":\"t1\",\"label\":\"T1\",\"count\":null}",
	    &acc, &table), RESULTS_OK);
	/* In the areas table too. */
	ck_assert_int_eq(accept("{\"code\":\"a\",\"label\":\"A\",\"count\":7}",
	    "{\"code\":\"t1\",\"label\":\"T1\",\"count\":20}", &acc, &table), RESULTS_SMALL);
	ck_assert_str_eq(table, "themes-areas");
}
END_TEST

#define OTHER	"{\"survey\":{\"id\":\"s2\"},\"tables\":[]}"
#define NONE	"{\"survey\":{\"id\":\"s1\"},\"tables\":[]}"

START_TEST(test_refuses_bad_quotes_and_shapes)
{
	const char *acc, *table;
	char *longq = arena_alloc(a, RESULTS_QUOTE_MAX + 2);

	memset(longq, 'x', RESULTS_QUOTE_MAX + 1);
	longq[RESULTS_QUOTE_MAX + 1] = '\0';
	/* A quote under a hidden theme, under a rare one, an over-long one. */
	ck_assert_int_eq(accept(AREAS, "{\"code\":\"t1\",\"label\":\"T1\",\"count\":null,"
	    "\"quotes\":[\"q\"]},{\"code\":\"t2\",\"label\":\"T2\",\"count\":20}", &acc, &table),
	    RESULTS_QUOTE);
	ck_assert_str_eq(table, "themes-a");
	ck_assert_int_eq(accept(AREAS, arena_printf(a, "{\"code\":\"t1\",\"label\":\"T1\","
	    "\"count\":20,\"quotes\":[\"%s\"]}", longq), &acc, &table), RESULTS_QUOTE);
	/* More than the base, a negative count, a missing label. */
	ck_assert_int_eq(accept(AREAS, "{\"code\":\"t1\",\"label\":\"T1\",\"count\":101}", &acc,
	    &table), RESULTS_SHAPE);
	ck_assert_int_eq(accept(AREAS, "{\"code\":\"t1\",\"label\":\"T1\",\"count\":-20}", &acc,
	    &table), RESULTS_SHAPE);
	ck_assert_int_eq(accept(AREAS, "{\"code\":\"t1\",\"count\":20}", &acc, &table),
	    RESULTS_SHAPE);
	/* Under a hidden base only hidden counts and zeros may show. */
	ck_assert_int_eq(accept_base(AREAS, "null", "{\"code\":\"t1\",\"label\":\"T1\","
	    "\"count\":20}", &acc, &table), RESULTS_SHAPE);
	ck_assert_int_eq(accept_base(AREAS, "null", "{\"code\":\"t1\",\"label\":\"T1\","
	    "\"count\":null}", &acc, &table), RESULTS_OK);
	ck_assert_int_eq(results_accept("nonsense", 8, &sv, K, a, &acc, &table), RESULTS_JSON);
	ck_assert_int_eq(results_accept(OTHER, strlen(OTHER), &sv, K, a, &acc, &table),
	    RESULTS_SURVEY);
	ck_assert_int_eq(results_accept(NONE, strlen(NONE), &sv, K, a, &acc, &table),
	    RESULTS_NO_THEMES);
}
END_TEST

static int
collect(void *ctx, const struct store_did *d)
{
	char *out = ctx;

	snprintf(out + strlen(out), 256 - strlen(out), "%lld:%s:%d:%s;", (long long)d->id,
	    d->title, d->status, d->day);
	return 0;
}

static const char *const bad_days[] = { "2026-13-01", "2026-00-10", "2026-02-30",
	"2026-04-31", "2026-12-00", "2026-12-32", "2026-02-29", "0000-01-01", "2026-1a-01" };

START_TEST(test_store)
{
	char dir[64], path[128], cmd[128], got[256] = "";
	struct store *st;
	struct store_results r;
	struct store_did d = { 0, "Lights", "New lights", DID_PLANNED, "2026-10-01" };
	int64_t id1, id2, id3;

	unit_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/v.db", dir);
	ck_assert_int_eq(store_open(store_target(path), STORE_CREATE, &st), STORE_OK);
	ck_assert_int_eq(store_results_get(st, "s1", a, &r), STORE_NOTFOUND);
	ck_assert_int_eq(store_results_put(st, "s1", "{}", "2026-12-01"), STORE_OK);
	ck_assert_int_eq(store_results_get(st, "s1", a, &r), STORE_OK);
	ck_assert_str_eq(r.themes, "{}");
	ck_assert_int_eq(r.published, 0);
	ck_assert_int_eq(store_results_publish(st, "s1", 1), STORE_OK);
	ck_assert_int_eq(store_results_put(st, "s1", "{\"x\":1}", "2026-12-02"), STORE_OK);
	ck_assert_int_eq(store_results_get(st, "s1", a, &r), STORE_OK);
	ck_assert_int_eq(r.published, 1);	/* a new upload keeps the page published */
	ck_assert_str_eq(r.uploaded, "2026-12-02");

	ck_assert_int_eq(store_results_did_put(st, "s1", &d, &id1), STORE_OK);
	d.title = "Clubs";
	strcpy(d.day, "2026-11-01");
	ck_assert_int_eq(store_results_did_put(st, "s1", &d, &id2), STORE_OK);
	d.id = id1;
	d.status = DID_DONE;
	d.title = "Lights on";
	strcpy(d.day, "2026-09-01");
	ck_assert_int_eq(store_results_did_put(st, "s1", &d, NULL), STORE_OK);
	ck_assert_int_eq(store_results_did_put(st, "s2", &d, NULL), STORE_NOTFOUND);
	d.status = 3;
	ck_assert_int_eq(store_results_did_put(st, "s1", &d, NULL), STORE_INVALID);
	d.status = 0;
	strcpy(d.day, "2026-9-01");
	ck_assert_int_eq(store_results_did_put(st, "s1", &d, NULL), STORE_INVALID);
	/* Shaped like a date is not enough: no month 13, no 30 February. */
	for (size_t i = 0; i < sizeof(bad_days) / sizeof(bad_days[0]); i++) {
		strcpy(d.day, bad_days[i]);
		ck_assert_msg(store_results_did_put(st, "s1", &d, NULL) == STORE_INVALID,
		    "%s taken", bad_days[i]);
	}
	strcpy(d.day, "2028-02-29");	/* a leap day */
	d.title = "Leap";
	d.id = 0;
	ck_assert_int_eq(store_results_did_put(st, "s1", &d, &id3), STORE_OK);
	ck_assert_int_eq(store_results_did_del(st, "s1", id3), STORE_OK);
	d.id = id1;
	d.title = "Lights on";
	d.status = DID_DONE;
	strcpy(d.day, "2026-09-01");
	ck_assert_int_eq(store_results_did_each(st, "s1", collect, got), STORE_OK);
	snprintf(cmd, sizeof cmd, "%lld:Clubs:0:2026-11-01;%lld:Lights on:2:2026-09-01;",
	    (long long)id2, (long long)id1);
	ck_assert_str_eq(got, cmd);
	ck_assert_int_eq(store_results_did_del(st, "s2", id1), STORE_NOTFOUND);
	ck_assert_int_eq(store_results_did_del(st, "s1", id1), STORE_OK);
	ck_assert_int_eq(store_results_did_del(st, "s1", id1), STORE_NOTFOUND);
	store_close(st);
	unit_rmdir(dir);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("results");
	TCase	*tc = tcase_create("results");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_accepts_and_scrubs);
	tcase_add_test(tc, test_refuses_small_counts);
	tcase_add_test(tc, test_refuses_bad_quotes_and_shapes);
	tcase_add_test(tc, test_store);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK);
}
