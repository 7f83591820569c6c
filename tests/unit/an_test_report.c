/* Tests for what the report leads with and how it labels its numbers: the
 * summary first in every export, waves by name, crosstab labels and
 * intervals, the workbook's sheets and charts, ranking charts and the base
 * of the intervention themes.  Each test forks (Check), so its temporary
 * directory goes at its exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "an_unit.h"
#include "cmd.h"
#include "export.h"
#include "report.h"
#include "survey.h"
#include "tally.h"


static const char *tmpdir;

/* What `unzip ARGS 'XLSX' MEMBER` writes (on files this test wrote). */
static char *
run(const char *args, const char *xlsx, const char *member)
{
	char cmd[512];
	FILE *fp;
	char *p;

	snprintf(cmd, sizeof(cmd), "unzip %s '%s' %s", args, xlsx, member);
	ck_assert_ptr_nonnull(fp = popen(cmd, "r"));
	p = unit_read(fp, NULL);
	pclose(fp);
	return p;
}

static size_t
count_of(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

static void
fixture_report(char *out, size_t len)
{
	char db[128];

	tmpdir = unit_tmp();
	an_fixture_db(db, sizeof(db), tmpdir);	/* two waves: the survey file is version 2 */
	snprintf(out, len, "%s/out", tmpdir);
	AN_REPORT(db, AN_FIX "/surveys", "--out", out, "--formats", "html,json,xlsx");
}

static const char *const areas[] = { "Violence: reduce high-harm crime",
	"All forms of Violence Against Women and Girls", "Exploitation",
	"Public trust and confidence",
	"Victims: reduce repeat victims of crime and anti-social behaviour",
	"Reduce reoffending" };

START_TEST(summary_leads)
{
	char out[128];
	char *html, *json, *sum, *end;

	fixture_report(out, sizeof(out));
	html = unit_slurp_in(out, "report.html");
	sum = strstr(html, "<section id=\"summary\"");
	ck_assert_ptr_nonnull(sum);
	/* The first section heading of the page is the summary's. */
	ck_assert_ptr_eq(strstr(html, "<h2"), strstr(sum, "<h2"));
	ck_assert(sum < strstr(html, "id=\"questions\""));
	ck_assert(sum < strstr(html, "id=\"you-said\""));
	ck_assert(sum < strstr(html, "<blockquote"));
	ck_assert_ptr_nonnull(end = strstr(sum, "</section>"));
	*end = '\0';
	ck_assert_ptr_nonnull(strstr(sum, "Who responded"));
	ck_assert_ptr_nonnull(strstr(sum, "Online"));
	ck_assert_ptr_nonnull(strstr(sum, "Which ward do you live in?"));
	for (size_t i = 0; i < sizeof(areas) / sizeof(areas[0]); i++)
		ck_assert_msg(strstr(sum, areas[i]) != NULL, "no headline for %s", areas[i]);
	ck_assert_ptr_nonnull(strstr(sum, "What changed since the previous wave"));
	ck_assert_ptr_nonnull(strstr(sum, "Newcombe"));
	ck_assert_uint_eq(count_of(sum, "<td>No clear change</td>") +
	    count_of(sum, ">Up</td>") + count_of(sum, ">Down</td>"), 7);
	/* Every percentage in the summary has its base beside it. */
	ck_assert_uint_eq(count_of(sum, "%</strong> of "), count_of(sum, "%</strong>"));
	ck_assert_ptr_nonnull(strstr(html, "Free text coded with codebook version"));
	free(html);
	json = unit_slurp_in(out, "report.json");
	ck_assert_ptr_nonnull(strstr(json, "\"summary\""));
	ck_assert(strstr(json, "\"summary\"") < strstr(json, "\"tables\""));
	ck_assert_ptr_nonnull(strstr(json, "\"codebook_version\""));
	ck_assert_ptr_nonnull(strstr(json, "\"changes_since_previous_wave\""));
	ck_assert_ptr_nonnull(strstr(json, "\"reading\": \"no clear change\""));
	free(json);
}
END_TEST

/* Waves carry the survey's own label (the file's version) and the months
 * of their responses; no wave is called "Version 1". */
START_TEST(waves_named)
{
	char out[128];
	char *html, *json;

	fixture_report(out, sizeof(out));
	html = unit_slurp_in(out, "report.html");
	ck_assert_ptr_null(strstr(html, "Version 1"));
	ck_assert_ptr_null(strstr(html, "Version 2"));
	ck_assert_uint_eq(count_of(html, "<th scope=\"row\">Spring 2026 (March to April 2026)</th>"),
	    7);
	ck_assert_uint_eq(count_of(html, "<th scope=\"row\">March to April 2025</th>"), 7);
	free(html);
	json = unit_slurp_in(out, "report.json");
	ck_assert_ptr_nonnull(strstr(json, "\"wave\": \"Spring 2026 (March to April 2026)\""));
	free(json);
}
END_TEST

START_TEST(xlsx_sheets_and_charts)
{
	char out[128], path[160];
	char *names, *wb, *charts;

	fixture_report(out, sizeof(out));
	snprintf(path, sizeof(path), "%s/report.xlsx", out);
	names = run("-Z1", path, "");
	ck_assert_ptr_nonnull(strstr(names, "xl/charts/chart1.xml"));
	wb = run("-p", path, "xl/workbook.xml");
	ck_assert_ptr_nonnull(strstr(wb, "<sheet name=\"Summary\" sheetId=\"1\""));
	ck_assert_ptr_nonnull(strstr(wb, "<sheet name=\"Quotes\""));
	ck_assert_ptr_nonnull(strstr(wb, "<sheet name=\"Themes\""));
	ck_assert_ptr_nonnull(strstr(wb, "<sheet name=\"Trends\""));
	charts = run("-p", path, "'xl/charts/*.xml'");
	/* One chart per question, per theme table and per indicator. */
	ck_assert_uint_ge(count_of(charts, "<c:barChart>"), 21 + 10 + 7);
	ck_assert_uint_ge(count_of(charts, "<c:cat><c:strRef><c:f>Trends!"), 7);
	ck_assert_uint_ge(count_of(charts, "<c:cat><c:strRef><c:f>Themes!"), 10);
	/* Bars are labelled with their numbers, in grey with a black border. */
	ck_assert_ptr_nonnull(strstr(charts, "<c:dLbls>"));
	ck_assert_ptr_nonnull(strstr(charts, "<a:srgbClr val=\"D9D9D9\"/>"));
	free(names);
	free(wb);
	free(charts);
	charts = run("-p", path, "xl/sharedStrings.xml");
	ck_assert_ptr_nonnull(strstr(charts, "Spring 2026 (March to April 2026)"));
	ck_assert_ptr_nonnull(strstr(charts, "Headline findings by outcome area"));
	free(charts);
}
END_TEST

START_TEST(crosstab_labels)
{
	static const char head[] = "\"question\",\"answer\",\"group\",\"count\","
	    "\"percent_of_group\",\"ci95_low\",\"ci95_high\",\"group_base\",\"question_id\","
	    "\"answer_code\",\"group_code\"\r\n";
	char db[128], *csv, *line, *nl;
	int numeric = 0;

	tmpdir = unit_tmp();
	an_fixture_db(db, sizeof(db), tmpdir);
	an_cmd(cmd_crosstab, (char *[]){ "--db", db, "--key", AN_FIX "/analysis.secret", "--surveys",
	    AN_FIX "/surveys", "--by", "channel", "--out", (char *)tmpdir, "--quiet", NULL });
	csv = unit_slurp_in(tmpdir, "crosstab-channel.csv");
	ck_assert(strncmp(csv, head, strlen(head)) == 0);
	ck_assert_ptr_nonnull(strstr(csv, "\"Which ward do you live in?\",\"Harringay\",\"Online\","));
	ck_assert_ptr_nonnull(strstr(csv, "\"Area 1 of 6: Violence \xe2\x80\x93 How much does this "
	    "matter to you?\""));
	ck_assert_ptr_null(strstr(csv, "\r\n\"ward\","));
	/* Every visible percentage lies inside its interval. */
	for (line = strchr(csv, '\n') + 1; *line != '\0'; line = nl + 1) {
		char q[512], a[256], g[64];
		double p, lo, hi;
		ck_assert_ptr_nonnull(nl = strchr(line, '\n'));
		if (sscanf(line, "\"%511[^\"]\",\"%255[^\"]\",\"%63[^\"]\",\"%*[0-9]\",\"%lf\",\"%lf\","
		    "\"%lf\"", q, a, g, &p, &lo, &hi) != 6)
			continue;
		ck_assert(lo <= p && p <= hi && hi <= 100.0);
		numeric++;
	}
	ck_assert_int_gt(numeric, 50);
	free(csv);
}
END_TEST

/* A full ranking: everyone ranks every option, so each is "ranked" by
 * 100%; the chart shows who ranked it first and its mean rank instead. */
START_TEST(ranking_chart)
{
	struct report r = { 0 };
	struct rtable t = { 0 };
	struct rrow rows[3];
	struct export_opts o = { 0, NULL };
	struct survey s = { 0 };
	static const double first[3] = { 40.0, 35.0, 25.0 }, mean[3] = { 1.8, 2.0, 2.2 };
	char err[256], path[160], *html, *svg, *end, *strings;

	tmpdir = unit_tmp();
	memset(rows, 0, sizeof(rows));
	for (int i = 0; i < 3; i++)
		rows[i] = (struct rrow){ .code = "o", .label = i == 0 ? "Policing" : "Other",
		    .n = 200, .base = 200, .pct = 100.0, .lo = 98.1, .hi = 100.0,
		    .first = (long)(first[i] * 2), .first_pct = first[i], .mean_rank = mean[i] };
	t = (struct rtable){ .id = "rank", .title = "Rank these", .section = "questions",
	    .kind = RK_RANKING, .rows = rows, .nrows = 3, .answered = 200,
	    .base_label = "people who answered" };
	s.id = "s";
	r.s = &s;
	r.t = &t;
	r.nt = 1;
	r.k = 10;
	r.responses = 200;
	ck_assert_int_eq(export_html(&r, tmpdir, &o, err, sizeof(err)), 0);
	html = unit_slurp_in(tmpdir, "report.html");
	ck_assert_ptr_nonnull(svg = strstr(html, "<svg"));
	ck_assert_ptr_nonnull(end = strstr(svg, "</figure>"));
	*end = '\0';
	ck_assert_ptr_null(strstr(svg, ">100.0%"));
	ck_assert_ptr_nonnull(strstr(svg, ">40.0% first, mean rank 1.80<"));
	ck_assert_ptr_nonnull(strstr(svg, "width=\"120.0\""));	/* 40% of 300 px */
	ck_assert_ptr_nonnull(strstr(svg, "Percentage ranking it first"));
	free(html);
	ck_assert_int_eq(export_xlsx(&r, tmpdir, &o, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/report.xlsx", tmpdir);
	strings = run("-p", path, "xl/sharedStrings.xml");
	ck_assert_ptr_nonnull(strstr(strings, "40.0% first, mean rank 1.80"));
	ck_assert_ptr_nonnull(strstr(strings, "Chart: % ranked first"));
	free(strings);
}
END_TEST

static const char survey_yaml[] =
	"id: kc\nversion: 1\nkind: survey\naudience: resident\n"
	"languages:\n  - {code: en, name: English}\n"
	"title: Knife crime\nintro: Test.\nprivacy: Test.\ndone: Thanks.\n"
	"pages:\n  - id: p1\n    questions:\n"
	"      - {id: ideas, type: longtext, text: What should be done?}\n";

static const char codebook_yaml[] =
	"version: 7\n"
	"frames:\n"
	"  - {id: outcomes, title: Areas, codes: [{id: violence, title: Violence}]}\n"
	"  - {id: knife, title: Interventions, codes: [{id: educate, title: Educate},\n"
	"     {id: deter, title: Deter}]}\n"
	"themes:\n"
	"  - {id: lights, frame: outcomes, code: violence, phrases: [lights]}\n"
	"  - {id: knife-educate, frame: knife, code: educate, phrases: [education]}\n"
	"  - {id: knife-deter, frame: knife, code: deter, phrases: [jail]}\n";

static void
add_texts(struct tally *t, const char *text, int n)
{
	struct store_answer a = { .question = "ideas", .value = text, .len = strlen(text),
	    .text = 1 };
	struct store_response rs = { .survey = "kc", .version = 1, .channel = "online",
	    .lang = "en", .day = "2026-03-02", .answers = &a, .nanswers = 1 };

	for (int i = 0; i < n; i++)
		ck_assert_int_eq(tally_add(t, &rs), 0);
}

/* The knife-crime interventions' shares are of the people coded to an
 * intervention, so 20 of 30 is 66.7%, not 20 of everyone who wrote. */
static const struct rtable *
knife_table(int others, struct report **rp, struct tally **tp, struct survey_set **sp,
    struct codebook **cp)
{
	char err[256], sp_path[160], cb_path[160];
	const char *paths[1] = { sp_path };

	tmpdir = unit_tmp();
	snprintf(sp_path, sizeof(sp_path), "%s", unit_write(tmpdir, "kc.yaml", survey_yaml));
	snprintf(cb_path, sizeof(cb_path), "%s", unit_write(tmpdir, "cb.yaml", codebook_yaml));
	ck_assert_int_eq(survey_set_load_files(paths, 1, NULL, sp, err, sizeof(err)), 0);
	ck_assert_msg(codebook_load(cb_path, cp, err, sizeof(err)) == 0, "%s", err);
	ck_assert_ptr_nonnull(*tp = tally_new(survey_find(*sp, "kc"), *cp, TALLY_BY_NONE, -1, 0));
	add_texts(*tp, "more education", 20);
	add_texts(*tp, "jail", 10);
	add_texts(*tp, "fix the lights", others);
	ck_assert_ptr_nonnull(*rp = report_build(*tp, 10, 0));
	ck_assert_int_eq((*rp)->codebook_version, 7);
	for (size_t i = 0; i < (*rp)->nt; i++)
		if (strcmp((*rp)->t[i].id, "themes-knife") == 0)
			return &(*rp)->t[i];
	ck_abort_msg("no themes-knife table");
	return NULL;
}

START_TEST(intervention_base)
{
	struct report *r;
	struct tally *t;
	struct survey_set *s;
	struct codebook *cb;
	const struct rtable *k = knife_table(200, &r, &t, &s, &cb);

	ck_assert_int_eq(k->answered, 30);
	ck_assert_int_eq(k->rows[0].base, 30);
	ck_assert_double_eq_tol(k->rows[0].pct, 200.0 / 3.0, 1e-9);
	ck_assert_ptr_nonnull(strstr(k->base_label, "coded to at least one of these"));
	ck_assert(report_safe(r));
	{
		/* No page per outcome area: the summary has no empty columns for one. */
		struct export_opts o = { 0, NULL };
		char err[256], *html;
		ck_assert_int_eq(export_html(r, tmpdir, &o, err, sizeof(err)), 0);
		html = unit_slurp_in(tmpdir, "report.html");
		ck_assert_ptr_nonnull(strstr(html, "<th scope=\"col\">Wrote about it"));
		ck_assert_ptr_null(strstr(html, "Say it matters"));
		ck_assert_ptr_null(strstr(html, "Focus chosen most often"));
		ck_assert_ptr_nonnull(strstr(html, "codebook version 7"));
		ck_assert_ptr_nonnull(strstr(html, "Base: 30 people whose free text was coded to at "
		    "least one of these"));
		free(html);
	}
	report_free(r);
	tally_free(t);
	codebook_free(cb);
	survey_set_free(s);
}
END_TEST

/* With only 5 people who wrote and named no intervention, the narrower base
 * would give that small number away: the table keeps everyone who wrote. */
START_TEST(intervention_base_small_rest)
{
	struct report *r;
	struct tally *t;
	struct survey_set *s;
	struct codebook *cb;
	const struct rtable *k = knife_table(5, &r, &t, &s, &cb);

	ck_assert_int_eq(k->answered, 35);
	ck_assert_str_eq(k->base_label, "people who wrote something");
	report_free(r);
	tally_free(t);
	codebook_free(cb);
	survey_set_free(s);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, summary_leads);
	tcase_add_test(tc, waves_named);
	tcase_add_test(tc, xlsx_sheets_and_charts);
	tcase_add_test(tc, crosstab_labels);
	tcase_add_test(tc, ranking_chart);
	tcase_add_test(tc, intervention_base);
	tcase_add_test(tc, intervention_base_small_rest);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK);
}
