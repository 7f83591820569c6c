/* Tests for retain (the day arithmetic of keep_until and keep_days), the
 * survey file's keep_* fields, and store_purge (rows past their time are
 * deleted, counted, and their bytes gone from the database file). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include "retain.h"
#include "store.h"
#include "store_purge.h"
#include "survey.h"
#include "unit.h"

#define HASH	"0123456789abcdef0123456789abcdef"
#define MARKER	"ZQXMARKER-old-answer"


static long
day_of(const char *s)
{
	long d = -1;

	ck_assert_int_eq(retain_day(s, &d), 0);
	return d;
}

START_TEST(days_round_trip)
{
	static const char *const dates[] = { "1970-01-01", "2000-02-29", "2024-12-31",
	    "2026-03-01", "2100-02-28", "9999-12-31" };
	char back[11];

	ck_assert_int_eq(day_of("1970-01-01"), 0);
	ck_assert_int_eq(day_of("1970-01-02"), 1);
	ck_assert_int_eq(day_of("2000-03-01") - day_of("2000-02-28"), 2);	/* leap */
	ck_assert_int_eq(day_of("2100-03-01") - day_of("2100-02-28"), 1);	/* not leap */
	ck_assert_int_eq(day_of("2027-01-01") - day_of("2026-01-01"), 365);
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		retain_date(day_of(dates[i]), back);
		ck_assert_str_eq(back, dates[i]);
	}
}
END_TEST

START_TEST(days_refused)
{
	static const char *const bad[] = { "2026-02-29", "2026-13-01", "2026-00-10",
	    "2026-04-31", "1969-12-31", "2026-1-01", "2026/01/01", "20260101", "",
	    "2026-01-01x", "2026-01-0a" };
	long d = 7;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(retain_day(bad[i], &d) == -1, "%s", bad[i]);
	ck_assert_int_eq(retain_day(NULL, &d), -1);
	ck_assert_int_eq(d, 7);
}
END_TEST

/* keep_days N: a response of day D is kept through D + N, gone from D + N + 1. */
START_TEST(cutoff_keep_days)
{
	struct retain r = { .days = 30 };
	long d = day_of("2026-01-01");

	ck_assert_int_eq(retain_last_day(&r, 730, d), day_of("2026-01-31"));
	ck_assert_int_eq(d < retain_cutoff(&r, 730, d + 30), 0);	/* last day kept */
	ck_assert_int_eq(d < retain_cutoff(&r, 730, d + 31), 1);	/* gone */
	ck_assert_int_eq(d + 1 < retain_cutoff(&r, 730, d + 31), 0);
	/* a file that says nothing: the default */
	ck_assert_int_eq(retain_cutoff(NULL, 730, d), d - 730);
	r.days = 0;
	ck_assert_int_eq(retain_last_day(&r, 730, d), d + 730);
	ck_assert_int_eq(d < retain_cutoff(&r, 730, d + 730), 0);
	ck_assert_int_eq(d < retain_cutoff(&r, 730, d + 731), 1);
}
END_TEST

/* keep_until U: everything kept through U, everything gone from U + 1,
 * a response that came on U + 1 too. */
START_TEST(cutoff_keep_until)
{
	struct retain r = { .until = day_of("2027-03-31") };
	long u = r.until;

	ck_assert_int_eq(retain_last_day(&r, 730, day_of("2020-01-01")), u);
	ck_assert_int_eq(day_of("1999-01-01") < retain_cutoff(&r, 730, u), 0);
	ck_assert_int_eq(u < retain_cutoff(&r, 730, u), 0);
	ck_assert_int_eq(u < retain_cutoff(&r, 730, u + 1), 1);
	ck_assert_int_eq(u + 1 < retain_cutoff(&r, 730, u + 1), 1);
	ck_assert_int_eq(u + 2 < retain_cutoff(&r, 730, u + 1), 0);	/* tomorrow: never */
}
END_TEST

static int
load_text(const char *yaml, struct survey_set **set, char *err, size_t errlen)
{
	char	 p[128];
	FILE	*f;

	snprintf(p, sizeof p, "%s/s.yaml", unit_dir);
	ck_assert_ptr_nonnull(f = fopen(p, "w"));
	fprintf(f, "id: s\ntitle: T\n%spages:\n  - id: p\n    questions:\n"
	    "      - {id: q, type: text, text: Q}\n", yaml);
	fclose(f);
	const char *paths[1] = { p };
	return survey_set_load_files(paths, 1, NULL, set, err, errlen);
}

START_TEST(survey_fields)
{
	struct survey_set *set = NULL;
	char err[512];

	ck_assert_msg(load_text("keep_until: 2028-03-31\n", &set, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(set->v[0]->keep.until, day_of("2028-03-31"));
	ck_assert_int_eq(set->v[0]->keep.days, 0);
	survey_set_free(set);
	ck_assert_msg(load_text("keep_days: 365\n", &set, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(set->v[0]->keep.days, 365);
	ck_assert_int_eq(set->v[0]->keep.until, 0);
	survey_set_free(set);
	ck_assert_msg(load_text("", &set, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(set->v[0]->keep.days + set->v[0]->keep.until, 0);
	survey_set_free(set);
	ck_assert_int_eq(load_text("keep_until: 2028-02-30\n", &set, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "keep_until"));
	ck_assert_int_eq(load_text("keep_days: 0\n", &set, err, sizeof err), -1);
	ck_assert_int_eq(load_text("keep_days: 365\nkeep_until: 2028-03-31\n", &set, err,
	    sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "not both"));
}
END_TEST

static void
add(struct store *st, const char *survey, const char *day, const char *value, int device)
{
	struct store_answer a = { .question = "q", .value = value, .len = strlen(value) };
	unsigned char dev[STORE_DEVICE_BYTES];
	struct submission s = { .survey = survey, .version = 1, .def_hash = HASH,
	    .channel = "web", .lang = "en", .day = day, .answers = &a, .nanswers = 1 };
	struct submission *v[1] = { &s };
	enum store_err res[1];

	randombytes_buf(s.nonce, sizeof s.nonce);
	randombytes_buf(dev, sizeof dev);
	if (device)
		s.device = dev;
	ck_assert_int_eq(store_responses_add(st, v, 1, res), STORE_OK);
	ck_assert_int_eq(res[0], STORE_OK);
}

/* 1 when the bytes of s are anywhere in file p (0 if p is missing). */
static int
file_has(const char *p, const char *s)
{
	FILE *f = fopen(p, "rb");
	size_t n = strlen(s), got = 0;
	char *b;
	int found = 0;

	if (f == NULL)
		return 0;
	ck_assert_ptr_nonnull(b = malloc(64 << 20));
	got = fread(b, 1, 64 << 20, f);
	fclose(f);
	for (size_t i = 0; i + n <= got && !found; i++)
		found = memcmp(b + i, s, n) == 0;
	free(b);
	return found;
}

static void
register_survey(struct store *st, const char *id)
{
	struct survey s;

	memset(&s, 0, sizeof s);
	s.id = id;
	s.version = 1;
	s.title.s[0] = "T";
	memcpy(s.hash, HASH, sizeof s.hash);
	ck_assert_int_eq(store_survey_register(st, &s), STORE_OK);
}

static int
collect(void *ctx, const char *survey)
{
	strcat(ctx, survey);
	strcat(ctx, ";");
	return 0;
}

START_TEST(purge_deletes_and_zeroes)
{
	struct store *st = NULL;
	struct store_purge_counts n;
	char wal[128], ids[64] = "";
	int64_t left = 0;

	ck_assert_int_eq(store_open(unit_db, STORE_CREATE, &st), STORE_OK);
	register_survey(st, "old");
	register_survey(st, "new");
	add(st, "old", "2020-01-01", MARKER, 1);
	add(st, "old", "2020-01-02", MARKER, 1);
	add(st, "new", "2020-01-01", MARKER "-kept", 0);
	add(st, "new", "2026-01-01", "fresh", 0);
	ck_assert_int_eq(store_purge_compact(st, 0), STORE_OK);
	ck_assert_int_eq(file_has(unit_db, MARKER), 1);	/* the test can see it */
	ck_assert_int_eq(store_purge_each_survey(st, collect, ids), STORE_OK);
	ck_assert_str_eq(ids, "new;old;");

	/* a dry run counts and writes nothing */
	ck_assert_int_eq(store_purge_survey(st, "old", "2020-01-02", 1, &n), STORE_OK);
	ck_assert_int_eq(n.responses, 1);
	ck_assert_int_eq(n.devices, 0);		/* one response stays: so do the devices */
	ck_assert_int_eq(store_response_count(st, "old", &left), STORE_OK);
	ck_assert_int_eq(left, 2);

	ck_assert_int_eq(store_purge_survey(st, "old", "2020-01-02", 0, &n), STORE_OK);
	ck_assert_int_eq(n.responses, 1);
	ck_assert_int_eq(n.devices, 0);
	ck_assert_int_eq(store_purge_survey(st, "old", "2020-01-03", 1, &n), STORE_OK);
	ck_assert_int_eq(n.responses, 1);
	ck_assert_int_eq(n.devices, 2);		/* none would be left */
	ck_assert_int_eq(store_purge_survey(st, "old", "2020-01-03", 0, &n), STORE_OK);
	ck_assert_int_eq(n.responses, 1);
	ck_assert_int_eq(n.devices, 2);
	ck_assert_int_eq(store_purge_survey(st, "new", "2020-01-01", 0, &n), STORE_OK);
	ck_assert_int_eq(n.responses, 0);	/* the day itself is kept */
	ck_assert_int_eq(store_response_count(st, "new", &left), STORE_OK);
	ck_assert_int_eq(left, 2);
	ck_assert_int_eq(store_response_count(st, "old", &left), STORE_OK);
	ck_assert_int_eq(left, 0);

	ck_assert_int_eq(store_purge_compact(st, 1), STORE_OK);
	snprintf(wal, sizeof wal, "%s-wal", unit_db);
	ck_assert_int_eq(file_has(unit_db, MARKER "\""), 0);
	ck_assert_int_eq(file_has(wal, MARKER "\""), 0);
	ck_assert_int_eq(file_has(unit_db, MARKER "-kept"), 1);
	ck_assert_int_eq(store_integrity(st), STORE_OK);
	store_close(st);
}
END_TEST

START_TEST(purge_drafts_counted)
{
	struct store *st = NULL;
	unsigned char id[STORE_DRAFT_ID_BYTES] = { 1 }, id2[STORE_DRAFT_ID_BYTES] = { 2 };
	int64_t n = -1;

	ck_assert_int_eq(store_open(unit_db, STORE_CREATE, &st), STORE_OK);
	ck_assert_int_eq(store_draft_put(st, id, 100, "box", 3, NULL, 90), STORE_OK);
	ck_assert_int_eq(store_draft_put(st, id2, 200, "box", 3, NULL, 90), STORE_OK);
	ck_assert_int_eq(store_purge_drafts(st, 150, 1, &n), STORE_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(store_purge_drafts(st, 150, 0, &n), STORE_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(store_purge_drafts(st, 150, 0, &n), STORE_OK);
	ck_assert_int_eq(n, 0);
	store_close(st);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("retain");
	TCase *tc;

	unit_tcase(s, "days", days_round_trip, days_refused, cutoff_keep_days, cutoff_keep_until,
	    NULL);
	tc = unit_tcase(s, "store", survey_fields, purge_deletes_and_zeroes, purge_drafts_counted,
	    NULL);
	tcase_add_checked_fixture(tc, unit_db_setup, unit_db_teardown);
	return unit_run(s, CK_FORK_GETENV);
}
