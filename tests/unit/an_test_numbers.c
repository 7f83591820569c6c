/* Tests for number questions in the analysis: the bands (the author's
 * `bands:` and the defaults from min and max), the median found from
 * counts, the survey loader's checks on `bands:`, the published table with
 * its suppression and the median's rule, and a generated database whose
 * number questions reach tables.csv, numbers.csv, report.json and
 * report.html with their small bands hidden. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "an_unit.h"
#include "cmd.h"
#include "numband.h"
#include "opendata.h"
#include "report.h"
#include "survey.h"
#include "tally.h"


static const char *tmpdir;

/* ---- Bands ---- */

static struct question
numq(long min, long max, const long *bands, size_t nbands)
{
	struct question q = { .id = "n", .type = Q_NUMBER, .min = min, .max = max,
	    .bands = bands, .nbands = nbands };
	return q;
}

static void
check_bands(const struct numband *b, const char *const *codes)
{
	char buf[NUMBAND_LABEL];
	size_t i;

	for (i = 0; codes[i] != NULL; i++) {
		ck_assert_uint_lt(i, b->n);
		ck_assert_str_eq(numband_code(b, i, buf), codes[i]);
	}
	ck_assert_uint_eq(b->n, i);
}

START_TEST(author_bands)
{
	static const long b1[] = { 0, 5, 10, 20 }, b2[] = { 18, 25, 65 };
	static const char *const c1[] = { "0-4", "5-9", "10-19", "20+", NULL };
	static const char *const c2[] = { "16-17", "18-24", "25-64", "65+", NULL };
	struct question q = numq(0, 100, b1, 4);
	struct numband b;
	char buf[NUMBAND_LABEL];

	numband_init(&b, &q);
	check_bands(&b, c1);
	ck_assert_str_eq(numband_label(&b, 0, buf), "0\xe2\x80\x93" "4");
	ck_assert_str_eq(numband_label(&b, 3, buf), "20 or more");
	ck_assert_int_eq(numband_find(&b, 0), 0);
	ck_assert_int_eq(numband_find(&b, 4), 0);
	ck_assert_int_eq(numband_find(&b, 5), 1);
	ck_assert_int_eq(numband_find(&b, 19), 2);
	ck_assert_int_eq(numband_find(&b, 20), 3);
	ck_assert_int_eq(numband_find(&b, 100), 3);
	ck_assert_int_eq(numband_find(&b, 101), -1);
	ck_assert_int_eq(numband_find(&b, -1), -1);
	ck_assert_int_eq(numband_hi(&b, 2), 19);
	ck_assert_int_eq(numband_hi(&b, 3), 100);
	/* A first bound above min: a band from min up to it comes first. */
	q = numq(16, 120, b2, 3);
	numband_init(&b, &q);
	check_bands(&b, c2);
	ck_assert_int_eq(numband_find(&b, 16), 0);
	ck_assert_int_eq(numband_find(&b, 18), 1);
	/* A band of one number is that number. */
	static const long b3[] = { 0, 1, 2, 10 };
	static const char *const c3[] = { "0", "1", "2-9", "10", NULL };
	q = numq(0, 10, b3, 4);
	numband_init(&b, &q);
	check_bands(&b, c3);
}
END_TEST

START_TEST(default_bands)
{
	static const char *const small[] = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
		"10", NULL };
	static const char *const age[] = { "16-19", "20-29", "30-39", "40-49", "50-59", "60-69",
		"70-79", "80-89", "90+", NULL };
	static const char *const wide[] = { "0", "1-4", "5-9", "10-49", "50-99", "100-499",
		"500-999", "1000-4999", "5000-9999", "10000-49999", "50000-99999",
		"100000-499999", "500000-999999", "1000000", NULL };
	static const char *const neg[] = { "-5", "-4--3", "-2--1", "0-1", "2-3", "4-5", "6-7",
		"8-9", "10-11", "12-13", "14", NULL };
	struct question q = numq(0, 10, NULL, 0);
	struct numband b;

	numband_init(&b, &q);
	check_bands(&b, small);
	ck_assert_uint_eq(b.nexact, 11);
	q = numq(16, 99, NULL, 0);
	numband_init(&b, &q);
	check_bands(&b, age);
	q = numq(0, 1000000, NULL, 0);	/* the loader's default range */
	numband_init(&b, &q);
	check_bands(&b, wide);
	ck_assert_uint_eq(b.nexact, NUMBAND_EXACT);
	q = numq(-5, 14, NULL, 0);	/* 20 numbers: bands of 2 from a multiple of 2 */
	numband_init(&b, &q);
	check_bands(&b, neg);
	ck_assert_int_eq(numband_find(&b, -4), 1);
	ck_assert_int_eq(numband_find(&b, -1), 2);
	q = numq(7, 7, NULL, 0);
	numband_init(&b, &q);
	ck_assert_uint_eq(b.n, 1);
}
END_TEST

/* ---- Median ---- */

START_TEST(median_from_counts)
{
	struct question q = numq(0, 100, NULL, 0);
	struct numband b;
	struct numband_median m;
	long exact[101] = { 0 }, over[NUMBAND_MAX] = { 0 };

	numband_init(&b, &q);
	ck_assert_int_eq(numband_median(&b, exact, over, 0, &m), -1);
	exact[3] = 2;
	exact[7] = 1;
	ck_assert_int_eq(numband_median(&b, exact, over, 3, &m), 0);
	ck_assert_int_eq(m.exact, 1);
	ck_assert_int_eq(m.value, 3);	/* 3 3 7 */
	exact[8] = 1;
	ck_assert_int_eq(numband_median(&b, exact, over, 4, &m), 0);
	ck_assert_int_eq(m.value, 5);	/* 3 3 7 8: halfway is 5 */
	exact[3] = 1;
	ck_assert_int_eq(numband_median(&b, exact, over, 3, &m), 0);
	ck_assert_int_eq(m.value, 7);	/* 3 7 8 */
	exact[9] = 1;
	ck_assert_int_eq(numband_median(&b, exact, over, 4, &m), 0);
	ck_assert_int_eq(m.value, 8);	/* 3 7 8 9: 7.5 rounds up */
	ck_assert_int_eq(m.band_lo, numband_find(&b, 7));
	ck_assert_int_eq(m.band_hi, numband_find(&b, 8));
}
END_TEST

START_TEST(median_beyond_exact)
{
	struct question q = numq(0, 1000000, NULL, 0);
	struct numband b;
	struct numband_median m;
	long *exact = calloc(NUMBAND_EXACT, sizeof(long)), over[NUMBAND_MAX] = { 0 };
	long big;

	ck_assert_ptr_nonnull(exact);
	numband_init(&b, &q);
	big = numband_find(&b, 600000);
	exact[2] = 3;
	over[big] = 4;
	ck_assert_int_eq(numband_median(&b, exact, over, 7, &m), 0);
	ck_assert_int_eq(m.exact, 0);	/* only the band of the 4th answer is known */
	ck_assert_int_eq(m.band_lo, big);
	ck_assert_int_eq(m.band_hi, big);
	exact[9999] = 2;	/* the last number counted exactly */
	ck_assert_int_eq(numband_median(&b, exact, over, 9, &m), 0);
	ck_assert_int_eq(m.exact, 1);
	ck_assert_int_eq(m.value, 9999);
	free(exact);
}
END_TEST

/* ---- The survey file ---- */

static const char head[] =
	"id: nums\nversion: 1\nkind: survey\naudience: resident\n"
	"languages:\n  - {code: en, name: English}\n"
	"title: Numbers\nintro: Test.\nprivacy: Test.\ndone: Thanks.\n"
	"pages:\n  - id: p1\n    questions:\n";

/* Loads head + questions; returns the error text ("" when it loads). */
static const char *
load(const char *questions, struct survey_set **set)
{
	static char err[512];
	char *text;
	const char *paths[1];

	tmpdir = unit_tmp();
	ck_assert_int_ge(asprintf(&text, "%s%s", head, questions), 0);
	paths[0] = unit_write(tmpdir, "nums.yaml", text);
	free(text);
	err[0] = '\0';
	if (survey_set_load_files(paths, 1, NULL, set, err, sizeof(err)) != 0)
		return err;
	return "";
}

START_TEST(loader_bands)
{
	struct survey_set *set = NULL;
	const struct question *q;

	ck_assert_str_eq(load("      - {id: n, type: number, min: 0, max: 120, text: Age?,"
	    " bands: [16, 25, 65]}\n", &set), "");
	q = &survey_find(set, "nums")->qs[0];
	ck_assert_uint_eq(q->nbands, 3);
	ck_assert_int_eq(q->bands[0], 16);
	ck_assert_int_eq(q->bands[2], 65);
	survey_set_free(set);
	set = NULL;
	ck_assert_str_eq(load("      - {id: n, type: number, text: How many?}\n", &set), "");
	ck_assert_ptr_null(survey_find(set, "nums")->qs[0].bands);
	survey_set_free(set);
}
END_TEST

START_TEST(loader_bad_bands)
{
	static const struct { const char *q, *msg; } bad[] = {
		{ "{id: n, type: number, max: 100, text: N?, bands: [0, 10, 5]}", "must go up" },
		{ "{id: n, type: number, max: 100, text: N?, bands: [0, 10, 10]}", "must go up" },
		{ "{id: n, type: number, max: 100, text: N?, bands: [0, 200]}", "between 0 and 100" },
		{ "{id: n, type: number, min: 5, text: N?, bands: [0, 10]}", "between 5 and" },
		{ "{id: n, type: number, text: N?, bands: [0, x]}", "whole number" },
		{ "{id: n, type: number, text: N?, bands: 5}", "should be a list" },
		{ "{id: n, type: single, text: N?, options: [{code: a, text: A}], bands: [0]}",
		    "'bands' does not apply to a 'single' question" },
	};
	char line[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct survey_set *set = NULL;
		const char *err;
		snprintf(line, sizeof(line), "      - %s\n", bad[i].q);
		err = load(line, &set);
		ck_assert_msg(strstr(err, bad[i].msg) != NULL, "%s: got '%s'", bad[i].q, err);
		ck_assert_msg(strstr(err, "nums.yaml:") != NULL, "%s: no line in '%s'", bad[i].q, err);
		survey_set_free(set);
		unit_rmdir(tmpdir);
	}
}
END_TEST

/* ---- The published table ---- */

struct people {
	struct store_answer a[1];
	struct store_response r;
	char value[32];
};

/* Adds n responses answering question qid with v. */
static void
add_n(struct tally *t, const char *qid, long v, int n)
{
	struct people p;

	memset(&p, 0, sizeof(p));
	snprintf(p.value, sizeof(p.value), "%ld", v);
	p.a[0] = (struct store_answer){ .question = qid, .value = p.value, .len = strlen(p.value) };
	p.r = (struct store_response){ .survey = "nums", .version = 1, .channel = "online",
	    .lang = "en", .day = "2026-03-02", .answers = p.a, .nanswers = 1 };
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(tally_add(t, &p.r), 0);
}

static const struct rtable *
table(const struct report *r, const char *id)
{
	for (size_t i = 0; i < r->nt; i++)
		if (strcmp(r->t[i].id, id) == 0)
			return &r->t[i];
	ck_abort_msg("no table %s", id);
	return NULL;
}

static const struct rrow *
row(const struct rtable *t, const char *code)
{
	for (size_t i = 0; i < t->nrows; i++)
		if (strcmp(t->rows[i].code, code) == 0)
			return &t->rows[i];
	ck_abort_msg("no row %s in %s", code, t->id);
	return NULL;
}

/* Adds n responses answering question qid with the text value, as stored. */
static void
add_value(struct tally *t, const char *qid, const char *value, int n)
{
	struct store_answer a = { .question = qid, .value = value, .len = strlen(value) };
	struct store_response r = { .survey = "nums", .version = 1, .channel = "online",
	    .lang = "en", .day = "2026-03-02", .answers = &a, .nanswers = 1 };

	for (int i = 0; i < n; i++)
		ck_assert_int_eq(tally_add(t, &r), 0);
}

/* A number stored with spaces round it (" 4 ", as typed on a phone, before
 * the app trimmed it) is counted; spaces alone or after a non-number are not. */
START_TEST(report_spaced_number)
{
	struct survey_set *set = NULL;
	struct tally *t;
	struct report *r;
	const struct rtable *n;

	ck_assert_str_eq(load("      - {id: times, type: number, max: 100, text: How many times?, "
	    "bands: [0, 1, 5, 10]}\n", &set), "");
	ck_assert_ptr_nonnull(t = tally_new(survey_find(set, "nums"), NULL, TALLY_BY_NONE, -1, 0));
	add_value(t, "times", " 4 ", 11);
	add_value(t, "times", "7\t", 12);
	add_value(t, "times", "   ", 13);
	add_value(t, "times", "x ", 14);
	ck_assert_ptr_nonnull(r = report_build(t, 10, 0));
	n = table(r, "times");
	ck_assert_int_eq(row(n, "1-4")->n, 11);
	ck_assert_int_eq(row(n, "5-9")->n, 12);
	ck_assert_int_eq(row(n, "0")->n, 0);
	ck_assert_int_eq(n->has_median, 1);
	ck_assert_int_eq(n->median, 7);
	report_free(r);
	tally_free(t);
	survey_set_free(set);
}
END_TEST

/* The open data publishes such a number as the number alone. */
START_TEST(opendata_spaced_number)
{
	struct survey_set *set = NULL;
	struct opendata_opts o = { 10, 0.0, 0, NULL, NULL };
	struct opendata_stats st;
	struct opendata *d;
	struct store_answer a = { .question = "times", .value = " 4\t", .len = 3 };
	struct store_response r = { .survey = "nums", .version = 1, .channel = "online",
	    .lang = "en", .day = "2026-03-02", .answers = &a, .nanswers = 1 };
	char err[256], *text = NULL;
	size_t len = 0;
	FILE *fp;

	ck_assert_str_eq(load("      - {id: times, type: number, max: 100, text: How many?}\n",
	    &set), "");
	ck_assert_ptr_nonnull(d = opendata_new(survey_find(set, "nums"), &o, err, sizeof(err)));
	for (int i = 0; i < 12; i++)
		ck_assert_int_eq(opendata_add(d, &r), 0);
	ck_assert_int_eq(opendata_anonymise(d, &st), 0);
	ck_assert_ptr_nonnull(fp = open_memstream(&text, &len));
	ck_assert_int_eq(opendata_write(d, fp), 0);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_msg(strstr(text, ",\"4\"") != NULL && strstr(text, " 4") == NULL, "%s", text);
	free(text);
	opendata_free(d);
	survey_set_free(set);
}
END_TEST

START_TEST(report_table)
{
	struct survey_set *set = NULL;
	struct tally *t;
	struct report *r;
	const struct rtable *n, *hid, *few, *even;

	ck_assert_str_eq(load(
	    "      - {id: times, type: number, max: 100, text: How many times?, bands: [0, 1, 5, 10]}\n"
	    "      - {id: hid, type: number, max: 100, text: Hidden middle?, bands: [0, 40, 60]}\n"
	    "      - {id: few, type: number, max: 100, text: Few?}\n"
	    "      - {id: even, type: number, max: 10, text: Even?}\n", &set), "");
	ck_assert_ptr_nonnull(t = tally_new(survey_find(set, "nums"), NULL, TALLY_BY_NONE, -1, 0));
	add_n(t, "times", 0, 30);
	add_n(t, "times", 2, 20);
	add_n(t, "times", 7, 3);
	add_n(t, "times", 101, 4);	/* out of range: left out */
	add_n(t, "hid", 1, 12);
	add_n(t, "hid", 50, 5);
	add_n(t, "hid", 90, 12);
	add_n(t, "few", 30, 5);
	add_n(t, "even", 3, 10);
	add_n(t, "even", 8, 10);
	ck_assert_ptr_nonnull(r = report_build(t, 10, 0));

	n = table(r, "times");
	ck_assert_int_eq(n->kind, RK_NUMBER);
	ck_assert_str_eq(report_kind_names[n->kind], "number");
	ck_assert_uint_eq(n->nrows, 4);
	ck_assert_int_eq(n->answered, 53);
	ck_assert_int_eq(n->base_supp, 0);
	ck_assert_int_eq(row(n, "0")->n, 30);
	ck_assert_int_eq(row(n, "0")->n_supp, 0);
	ck_assert_int_eq(row(n, "5-9")->n_supp, 1);	/* 3 */
	ck_assert_int_eq(row(n, "1-4")->n_supp, 1);	/* or 5-9 = 53 - 30 - 20 */
	ck_assert_int_eq(row(n, "10+")->n, 0);
	ck_assert_int_eq(row(n, "10+")->n_supp, 0);
	ck_assert_int_eq(n->has_median, 1);
	ck_assert_int_eq(n->median_supp, 0);
	ck_assert_int_eq(n->median_exact, 1);
	ck_assert_int_eq(n->median, 0);
	ck_assert_str_eq(n->median_band, "0");

	hid = table(r, "hid");		/* the middle answer is in a hidden band */
	ck_assert_int_eq(row(hid, "40-59")->n_supp, 1);
	ck_assert_int_eq(hid->has_median, 1);
	ck_assert_int_eq(hid->median_supp, 1);

	few = table(r, "few");		/* 5 answers: fewer than k */
	ck_assert_int_eq(few->base_supp, 1);
	ck_assert_int_eq(few->median_supp, 1);

	even = table(r, "even");	/* 3 x10, 8 x10: halfway is 5.5, rounded up */
	ck_assert_int_eq(even->median_supp, 0);
	ck_assert_int_eq(even->median, 6);
	ck_assert_int_eq(row(even, "6")->n, 0);

	ck_assert_int_eq(report_safe(r), 1);
	report_free(r);
	tally_free(t);
	survey_set_free(set);
}
END_TEST

START_TEST(report_safe_refuses_a_leaking_median)
{
	struct survey_set *set = NULL;
	struct tally *t;
	struct report *r;
	struct rtable *h;

	ck_assert_str_eq(load("      - {id: hid, type: number, max: 100, text: H?, bands: [0, 40, 60]}\n",
	    &set), "");
	ck_assert_ptr_nonnull(t = tally_new(survey_find(set, "nums"), NULL, TALLY_BY_NONE, -1, 0));
	add_n(t, "hid", 1, 12);
	add_n(t, "hid", 50, 5);
	add_n(t, "hid", 90, 12);
	ck_assert_ptr_nonnull(r = report_build(t, 10, 0));
	ck_assert_int_eq(report_safe(r), 1);
	h = (struct rtable *)table(r, "hid");
	h->median_supp = 0;	/* as if the rule had not been applied */
	h->median_exact = 1;
	h->median = 50;
	h->median_band = "40\xe2\x80\x93" "59";
	ck_assert_int_eq(report_safe(r), 0);
	report_free(r);
	tally_free(t);
	survey_set_free(set);
}
END_TEST

/* ---- A generated database, end to end ---- */

static const char gen_survey[] =
	"id: nums\nversion: 1\nkind: survey\naudience: resident\n"
	"languages:\n  - {code: en, name: English}\n"
	"title: Numbers\nintro: Test.\nprivacy: Test.\ndone: Thanks.\n"
	"pages:\n  - id: counts\n    questions:\n"
	"      - {id: times, type: number, min: 0, max: 1000, bands: [0, 1, 2, 500],"
	" required: true, text: How many times did it happen?}\n"
	"      - {id: years, type: number, min: 16, max: 99, text: How old are you?}\n";

/* The line of tables.csv for table/code, from its first quote. */
static const char *
csv_line(const char *csv, const char *table_id, const char *code, char *out, size_t n)
{
	char key[128];
	const char *p, *end;

	snprintf(key, sizeof(key), "\"questions\",\"%s\",", table_id);
	for (p = csv; (p = strstr(p, key)) != NULL; p++) {
		char want[64];
		snprintf(want, sizeof(want), ",\"number\",\"%s\",", code);
		end = strstr(p, "\r\n");
		ck_assert_ptr_nonnull(end);
		snprintf(out, n, "%.*s", (int)(end - p), p);
		if (strstr(out, want) != NULL)
			return out;
	}
	ck_abort_msg("no row %s/%s in tables.csv", table_id, code);
	return NULL;
}

START_TEST(generated_exports)
{
	char db[128], surveys[128], out[128], line[1024];
	char *csv, *nums, *json, *html;
	int shown;

	tmpdir = unit_tmp();
	an_surveys(surveys, sizeof(surveys), tmpdir, "nums.yaml", gen_survey);
	snprintf(db, sizeof(db), "%s/nums.db", tmpdir);
	snprintf(out, sizeof(out), "%s/out", tmpdir);
	ck_assert_int_eq(mkdir(out, 0700), 0);
	AN_GENERATE(db, surveys, "--n", "3000", "--seed", "3", "--survey", "nums");
	AN_REPORT(db, surveys, "--out", out, "--survey", "nums", "--formats", "csv,html,json,xlsx");
	csv = unit_slurp_in(out, "tables.csv");
	/* 3000 answers spread over 0..1000: 0 and 1 are a handful each, hidden. */
	ck_assert_ptr_nonnull(strstr(csv_line(csv, "times", "0", line, sizeof(line)),
	    "\"0\",\"0\",\"[c]\",\"[c]\",\"\",\"\",\"3000\""));
	ck_assert_ptr_nonnull(strstr(csv_line(csv, "times", "1", line, sizeof(line)),
	    "\"[c]\",\"[c]\""));
	/* Beside the total, two small hidden bands would add up to a small number:
	 * one of the two large bands is hidden with them, the other is shown. */
	shown = strstr(csv_line(csv, "times", "2-499", line, sizeof(line)), "[c]") == NULL;
	shown += strstr(csv_line(csv, "times", "500+", line, sizeof(line)), "[c]") == NULL;
	ck_assert_int_eq(shown, 1);
	ck_assert_ptr_nonnull(strstr(csv_line(csv, "years", "16-19", line, sizeof(line)),
	    "\"How old are you?\",\"number\",\"16-19\",\"16\xe2\x80\x93" "19\","));
	ck_assert_ptr_nonnull(strstr(csv_line(csv, "years", "90+", line, sizeof(line)),
	    "\"90 or more\","));
	nums = unit_slurp_in(out, "numbers.csv");
	unit_has(nums, "\"table\",\"title\",\"median\",\"median_band\",\"n\",\"indicative\"\r\n",
	    "\"times\",\"How many times did it happen?\",\"",
	    "\"2\xe2\x80\x93" "499\",\"3000\",\"no\"\r\n", NULL);
	json = unit_slurp_in(out, "report.json");
	unit_has(json, "\"id\": \"times\"", "\"kind\": \"number\"",
	    "\"median_band\": \"2\xe2\x80\x93" "499\"", "\"median_n\": 3000",
	    "\"code\": \"0\",\n     \"label\": \"0\",\n"
	    "     \"count\": null,\n     \"suppressed\": true", NULL);
	html = unit_slurp_in(out, "report.html");
	unit_has(html, "<h3>How many times did it happen?</h3>", "<th scope=\"col\">Band</th>",
	    "<th scope=\"row\">0</th><td class=\"n\">[c]</td>", "Median: ", " (of 3,000 answers)",
	    "Answers to a number question are counted in bands", NULL);
	free(csv);
	free(nums);
	free(json);
	free(html);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("numbers");
	TCase *tc = tcase_create("numbers");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, author_bands);
	tcase_add_test(tc, default_bands);
	tcase_add_test(tc, median_from_counts);
	tcase_add_test(tc, median_beyond_exact);
	tcase_add_test(tc, loader_bands);
	tcase_add_test(tc, loader_bad_bands);
	tcase_add_test(tc, report_table);
	tcase_add_test(tc, report_spaced_number);
	tcase_add_test(tc, opendata_spaced_number);
	tcase_add_test(tc, report_safe_refuses_a_leaking_median);
	tcase_add_test(tc, generated_exports);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK);
}
