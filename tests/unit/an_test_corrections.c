/* Tests for hand corrections of the coding: the corrections file (parse,
 * refusals with file:line, save and load), key matching (a changed text is
 * not corrected), importing a filled-in coding sheet, the CSV reader's line
 * numbers, and re-application in a tally and through the commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "an_unit.h"
#include "cmd.h"
#include "corrections.h"
#include "csvr.h"
#include "tally.h"

#define MINI	AN_FIX "/codebook-mini.yaml"
#define HEAD	"response,question,text_hash,codebook,areas,themes,note\n"

static const char *tmpdir;

static struct codebook *
mini(void)
{
	struct codebook *cb = NULL;
	char err[256];

	ck_assert_int_eq(codebook_load(MINI, &cb, err, sizeof(err)), 0);
	return cb;
}

static char *
hash_of(const char *text)
{
	static char h[CORR_HASH_HEX];

	corrections_hash(text, strlen(text), h);
	return h;
}

/* A corrections file row for (response, question, text). */
static char *
row(char *out, size_t n, long resp, const char *q, const char *text, const char *areas,
    const char *themes)
{
	snprintf(out, n, "%ld,%s,%s,3,\"%s\",\"%s\",\n", resp, q, hash_of(text), areas, themes);
	return out;
}

START_TEST(parse_file)
{
	struct codebook *cb = mini();
	struct corrections *c = NULL;
	char err[256], a[256], b[256], file[1024];

	tmpdir = unit_tmp();
	snprintf(file, sizeof(file), HEAD "%s%s", row(a, sizeof(a), 20, "change", "two", "victims",
	    "drugs,knife"), row(b, sizeof(b), 10, "change", "one", "other", "none"));
	ck_assert_int_eq(corrections_load(unit_write(tmpdir, "c.csv", file), cb, &c, err, sizeof(err)), 0);
	ck_assert_uint_eq(c->n, 2);
	ck_assert(c->v[0].response == 10 && c->v[1].response == 20);	/* sorted */
	ck_assert_uint_eq(c->v[0].nthemes, 0);
	ck_assert_uint_eq(c->v[0].areas, 0);
	ck_assert_uint_eq(c->v[1].nthemes, 2);
	ck_assert_uint_eq(c->v[1].themes[0], (size_t)codebook_theme_index(cb, "knife"));
	ck_assert_uint_eq(c->v[1].themes[1], (size_t)codebook_theme_index(cb, "drugs"));
	ck_assert_uint_eq(c->v[1].areas, 1u << codebook_area_index(cb, "victims"));
	ck_assert_int_eq(c->v[1].codebook, 3);
	ck_assert_str_eq(c->v[1].hash, hash_of("two"));
	corrections_free(c);
	codebook_free(cb);
}
END_TEST

/* Each bad file is refused with its file and line and nothing loaded. */
START_TEST(refuse_malformed)
{
	static const struct { const char *body, *want; } bad[] = {
		{ "response,question\n", "c.csv:1: want the header" },
		{ HEAD "1,change,00112233445566778899aabbccddeeff,3,other,none,\n"
		  "x,change,00112233445566778899aabbccddeeff,3,other,none,\n", "c.csv:3: bad response id" },
		{ HEAD "1,change,0011,3,other,none,\n", "c.csv:2: bad text hash" },
		{ HEAD "1,change,00112233445566778899aabbccddeeff,v3,other,none,\n", "c.csv:2: bad codebook" },
		{ HEAD "1,change,00112233445566778899aabbccddeeff,3,other,nosuch,\n",
		  "c.csv:2: unknown theme 'nosuch'" },
		{ HEAD "1,change,00112233445566778899aabbccddeeff,3,nowhere,none,\n",
		  "c.csv:2: unknown outcome area 'nowhere'" },
		{ HEAD "1,change,00112233445566778899aabbccddeeff,3,other,none\n", "c.csv:2: 6 fields" },
		{ HEAD "1,change,00112233445566778899aabbccddeeff,3,other,none,\"multi\nline\"\n"
		  "2,change,00112233445566778899aabbccddeeff,3,other,none,\"open\n",
		  "c.csv:4: a quote is not closed" },
		{ HEAD "1,change,00112233445566778899aabbccddeeff,3,other,none,\n"
		  "1,change,00112233445566778899aabbccddeeff,3,victims,drugs,\n", "c.csv:3: a second" },
	};
	struct codebook *cb = mini();
	char err[256];

	tmpdir = unit_tmp();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct corrections *c = NULL;
		ck_assert_int_eq(corrections_load(unit_write(tmpdir, "c.csv", bad[i].body), cb, &c, err,
		    sizeof(err)), -1);
		ck_assert_ptr_null(c);
		ck_assert_msg(strstr(err, bad[i].want) != NULL, "case %zu: %s", i, err);
	}
	codebook_free(cb);
}
END_TEST

START_TEST(key_matching)
{
	struct codebook *cb = mini();
	struct corrections *c = NULL;
	const struct corr *e = NULL;
	char err[256], a[256], file[1024];
	const char *t = "street lights are out";

	tmpdir = unit_tmp();
	snprintf(file, sizeof(file), HEAD "%s", row(a, sizeof(a), 7, "change", t, "trust", "police"));
	ck_assert_int_eq(corrections_load(unit_write(tmpdir, "c.csv", file), cb, &c, err, sizeof(err)), 0);
	ck_assert_int_eq(corrections_find(c, 7, "change", t, strlen(t), &e), CORR_APPLIES);
	ck_assert_ptr_eq(e, &c->v[0]);
	/* The text was edited: the correction no longer applies. */
	ck_assert_int_eq(corrections_find(c, 7, "change", "street lights are on", 20, &e), CORR_STALE);
	ck_assert_int_eq(corrections_find(c, 7, "anything_else", t, strlen(t), &e), CORR_NONE);
	ck_assert_int_eq(corrections_find(c, 8, "change", t, strlen(t), &e), CORR_NONE);
	ck_assert_int_eq(corrections_find(NULL, 7, "change", t, strlen(t), &e), CORR_NONE);
	corrections_free(c);
	codebook_free(cb);
}
END_TEST

START_TEST(save_and_load)
{
	struct codebook *cb = mini();
	struct corrections *c = corrections_new(), *back = NULL;
	size_t themes[2] = { 0, 3 };
	struct corr e = { .response = 99, .question = "change", .codebook = 3, .areas = 5,
	    .themes = themes, .nthemes = 2, .note = "=SUM(A1), \"quoted\"" };
	char err[256], path[128];

	tmpdir = unit_tmp();
	snprintf(path, sizeof(path), "%s/store.csv", tmpdir);
	memcpy(e.hash, hash_of("x"), CORR_HASH_HEX);
	ck_assert_int_eq(corrections_put(c, &e), 0);
	e.areas = 2;
	ck_assert_int_eq(corrections_put(c, &e), 0);	/* same key: replaces */
	ck_assert_uint_eq(c->n, 1);
	ck_assert_int_eq(corrections_save(c, cb, path, err, sizeof(err)), 0);
	ck_assert_int_eq(corrections_load(path, cb, &back, err, sizeof(err)), 0);
	ck_assert_uint_eq(back->n, 1);
	ck_assert_uint_eq(back->v[0].areas, 2);
	ck_assert_uint_eq(back->v[0].nthemes, 2);
	ck_assert_uint_eq(back->v[0].themes[1], 3);
	ck_assert_str_eq(back->v[0].note, "'=SUM(A1), \"quoted\"");	/* formula-safe */
	corrections_free(back);
	corrections_free(c);
	codebook_free(cb);
}
END_TEST

/* A sheet row with an empty corrected column is skipped; corrected themes
 * alone give those themes' areas; an unknown theme is refused by line. */
START_TEST(import_sheet)
{
	struct codebook *cb = mini();
	struct corrections *c = corrections_new();
	char err[256], sheet[2048];
	size_t added;
	const char *hdr = "\"response\",\"question\",\"text\",\"areas\",\"themes\",\"rule\","
	    "\"corrected areas\",\"corrected themes\",\"note\",\"text hash\",\"codebook\"\r\n";

	tmpdir = unit_tmp();
	snprintf(sheet, sizeof(sheet), "%s"
	    "\"'11\",\"change\",\"a\nb\",\"other\",\"none\",\"no rule matched\",\"\",\"drugs\",\"x\",\"%s\",\"3\"\r\n"
	    "\"12\",\"change\",\"c\",\"trust\",\"police\",\"police\",\"\",\"\",\"\",\"%s\",\"3\"\r\n"
	    "\"13\",\"change\",\"d\",\"trust\",\"police\",\"police\",\"other\",\"\",\"\",\"%s\",\"3\"\r\n",
	    hdr, hash_of("a\nb"), hash_of("c"), hash_of("d"));
	ck_assert_int_eq(corrections_import(c, unit_write(tmpdir, "s.csv", sheet), cb, &added, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(added, 2);
	ck_assert_uint_eq(c->n, 2);
	ck_assert(c->v[0].response == 11 && c->v[1].response == 13);
	ck_assert_uint_eq(c->v[0].areas, 1u << codebook_area_index(cb, "victims"));
	ck_assert_str_eq(c->v[0].note, "x");
	ck_assert_uint_eq(c->v[1].areas, 0);			/* "other" */
	ck_assert_uint_eq(c->v[1].nthemes, 1);			/* kept from the sheet */
	snprintf(sheet, sizeof(sheet), "%s\"14\",\"change\",\"e\",\"other\",\"none\",\"\",\"\","
	    "\"bogus\",\"\",\"%s\",\"3\"\r\n", hdr, hash_of("e"));
	ck_assert_int_eq(corrections_import(c, unit_write(tmpdir, "s.csv", sheet), cb, &added, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "s.csv:2: unknown theme 'bogus'"));
	ck_assert_uint_eq(c->n, 2);				/* nothing taken */
	ck_assert_int_eq(corrections_import(c, unit_write(tmpdir, "s.csv", "response,question\n"), cb,
	    &added, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "s.csv:1: no column \"themes\""));
	corrections_free(c);
	codebook_free(cb);
}
END_TEST

START_TEST(csv_lines)
{
	struct csvr in;
	struct csvr_rec r;

	static const char data[] = "\xEF\xBB\xBF" "a,\"b\"\"c\"\r\n\r\n\"x\ny\",z\nlast";

	ck_assert_int_eq(csvr_open_mem(&in, data, sizeof(data) - 1), 0);
	ck_assert_int_eq(csvr_next(&in, &r), 1);
	ck_assert(r.n == 2 && r.line == 1 && strcmp(r.f[1], "b\"c") == 0);
	ck_assert_int_eq(csvr_next(&in, &r), 1);
	ck_assert(r.n == 2 && r.line == 3 && strcmp(r.f[0], "x\ny") == 0);
	ck_assert_int_eq(csvr_next(&in, &r), 1);
	ck_assert(r.n == 1 && r.line == 5 && strcmp(r.f[0], "last") == 0);
	ck_assert_int_eq(csvr_next(&in, &r), 0);
	csvr_close(&in);
}
END_TEST

static struct store_answer ans[3];

static struct store_response
response(int64_t id, const char *text)
{
	struct store_response r = { id, "residents-2026", 1, "online", "en", "2026-03-01", ans, 1, 0 };

	ans[0] = (struct store_answer){ "change", text, strlen(text), 0, 1 };
	return r;
}

static long
theme_n(const struct tally *t, const struct codebook *cb, const char *id)
{
	return t->themes[codebook_theme_index(cb, id)].n;
}

/* A corrected answer counts exactly under its corrected themes and areas;
 * a correction for another text is ignored; an uncorrected answer no rule
 * matched is counted as uncoded under its question. */
START_TEST(reapply_in_tally)
{
	struct codebook *cb = mini();
	struct survey_set *set = NULL;
	const struct survey *s;
	struct corrections *c = NULL;
	struct tally *t;
	struct store_response r;
	char err[256], a[256], b[256], file[1024];
	long q;

	tmpdir = unit_tmp();
	ck_assert_int_eq(survey_set_load(AN_FIX "/surveys", &set, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(s = survey_find(set, "residents-2026"));
	snprintf(file, sizeof(file), HEAD "%s%s",
	    row(a, sizeof(a), 1, "change", "knives everywhere", "victims", "drugs"),
	    row(b, sizeof(b), 2, "change", "an older text", "victims", "drugs"));
	ck_assert_int_eq(corrections_load(unit_write(tmpdir, "c.csv", file), cb, &c, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(t = tally_new(s, cb, TALLY_BY_NONE, -1, 0));
	t->corr = c;
	r = response(1, "knives everywhere");
	ck_assert_int_eq(tally_add(t, &r), 0);
	r = response(2, "knives again");
	ck_assert_int_eq(tally_add(t, &r), 0);
	r = response(3, "nothing to say");
	ck_assert_int_eq(tally_add(t, &r), 0);
	ck_assert_int_eq(theme_n(t, cb, "drugs"), 1);
	ck_assert_int_eq(theme_n(t, cb, "knife"), 1);		/* only response 2, by the rules */
	ck_assert_int_eq(t->area_n[codebook_area_index(cb, "victims")], 1);
	ck_assert_int_eq(t->area_n[codebook_area_index(cb, "violence")], 1);
	ck_assert_int_eq(t->corrected, 1);
	ck_assert_int_eq(t->stale, 1);
	for (q = 0; strcmp(s->qs[q].id, "change") != 0; q++)
		;
	ck_assert_int_eq(t->q[q].texts, 3);
	ck_assert_int_eq(t->q[q].uncoded, 1);
	tally_free(t);
	corrections_free(c);
	survey_set_free(set);
	codebook_free(cb);
}
END_TEST

/* The first data row of dir/coding-sheet.csv with "drugs" as its corrected
 * themes, as a sheet of its own; returns the row's rule cell (static). */
static const char *
fill_first_row(const char *dir, const char *out)
{
	static char rule[512];
	struct csvr in;
	struct csvr_rec h, r;
	char err[256], path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/coding-sheet.csv", dir);
	ck_assert_int_eq(csvr_open(&in, path, err, sizeof(err)), 0);
	ck_assert_int_eq(csvr_next(&in, &h), 1);
	ck_assert_int_eq(csvr_next(&in, &r), 1);
	ck_assert_uint_eq(r.n, SC__MAX);
	snprintf(rule, sizeof(rule), "%s", r.f[SC_RULE]);
	r.f[SC_FIX_THEMES] = "drugs";
	r.f[SC_TEXT] = "";
	ck_assert_ptr_nonnull(fp = fopen(out, "wb"));
	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < SC__MAX; i++) {
			fputc('"', fp);
			for (const char *c = (k ? &r : &h)->f[i]; *c; c++)
				fprintf(fp, *c == '"' ? "\"\"" : "%c", *c);
			fprintf(fp, "\"%s", i + 1 < SC__MAX ? "," : "\r\n");
		}
	fclose(fp);
	csvr_close(&in);
	return rule;
}

/* generate, sheet, corrections import, then sheet and report with
 * --corrections: the corrected row says so and the report counts it. */
START_TEST(commands)
{
	char db[128], out[128], out2[128], rep[128], filled[128], store[128], path[256];
	char *json, *csv;

	tmpdir = unit_tmp();
	snprintf(db, sizeof(db), "%s/t.db", tmpdir);
	snprintf(out, sizeof(out), "%s/sheet", tmpdir);
	snprintf(out2, sizeof(out2), "%s/sheet2", tmpdir);
	snprintf(rep, sizeof(rep), "%s/rep", tmpdir);
	snprintf(filled, sizeof(filled), "%s/filled.csv", tmpdir);
	snprintf(store, sizeof(store), "%s/corrections.csv", tmpdir);
	AN_GENERATE(db, AN_FIX "/surveys", "--n", "60", "--seed", "7");
	an_cmd(cmd_sheet, (char *[]){ "--db", db, "--key", AN_FIX "/analysis.secret", "--out", out,
	    "--surveys", AN_FIX "/surveys", "--quiet", NULL });
	ck_assert_str_ne(fill_first_row(out, filled), "corrected by hand");
	an_cmd(cmd_corrections, (char *[]){ "import", filled, "--store", store, NULL });
	an_cmd(cmd_sheet, (char *[]){ "--db", db, "--key", AN_FIX "/analysis.secret", "--out", out2,
	    "--surveys", AN_FIX "/surveys", "--corrections", store, "--quiet", NULL });
	AN_REPORT(db, AN_FIX "/surveys", "--out", rep, "--corrections", store, "--formats", "json,csv");
	snprintf(path, sizeof(path), "%s/coding-sheet.csv", out2);
	ck_assert_ptr_nonnull(csv = unit_slurp(path, NULL));
	ck_assert_ptr_nonnull(strstr(csv, "\"drugs\",\"corrected by hand\""));
	snprintf(path, sizeof(path), "%s/report.json", rep);
	ck_assert_ptr_nonnull(json = unit_slurp(path, NULL));
	ck_assert_ptr_nonnull(strstr(json, "\"answers_corrected_by_hand\": 1"));
	ck_assert_ptr_nonnull(strstr(json, "\"themes-uncoded\""));
	free(csv);
	free(json);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("corrections");
	TCase *tc = tcase_create("corrections");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, parse_file);
	tcase_add_test(tc, refuse_malformed);
	tcase_add_test(tc, key_matching);
	tcase_add_test(tc, save_and_load);
	tcase_add_test(tc, import_sheet);
	tcase_add_test(tc, csv_lines);
	tcase_add_test(tc, reapply_in_tally);
	tcase_add_test(tc, commands);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK);
}
