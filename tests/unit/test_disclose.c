/* Tests for the safeguarding check (disclose.c) and its file formats
 * (survey_disclose.c).  Run from the repository root: it reads the shipped
 * surveys/ (disclosure.yaml included) and the table
 * tests/fixtures/disclosure/cases.tsv, written before the phrase list: the
 * "held" half was never used to change a phrase.  The figures it prints are
 * the ones docs/measurements.md reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include "disclose.h"
#include "survey.h"
#include "unit.h"

#define TABLE	"tests/fixtures/disclosure/cases.tsv"

static struct survey_set *set;
static char err[512];

static void
load(void)
{
	ck_assert_msg(survey_set_load("surveys", &set, err, sizeof(err)) == 0, "%s", err);
	ck_assert_ptr_nonnull(set->disclose);
}

static void
unload(void)
{
	survey_set_free(set);
	set = NULL;
}

static int
hit(const char *s)
{
	int r = disclose_match(set->disclose, s, strlen(s), NULL);

	ck_assert_int_ge(r, 0);
	return r;
}

struct tally {
	int d, dhit, o, ohit;
};

/* Runs the table's half `half` into t; prints each miss and false alarm. */
static void
run_half(const char *half, struct tally *t)
{
	FILE *f = fopen(TABLE, "r");
	char line[1024];

	ck_assert_ptr_nonnull(f);
	memset(t, 0, sizeof(*t));
	while (fgets(line, sizeof(line), f) != NULL) {
		char *lab = strtok(line, "\t"), *h = strtok(NULL, "\t"), *text = strtok(NULL, "\n");
		int r;
		if (lab == NULL || lab[0] == '#' || h == NULL || text == NULL || strcmp(h, half) != 0)
			continue;
		r = hit(text);
		if (lab[0] == 'd') {
			t->d++;
			t->dhit += r;
		} else {
			t->o++;
			t->ohit += r;
		}
		if ((lab[0] == 'd') != r)
			printf("  %s %s: %s\n", half, r ? "false alarm" : "missed", text);
	}
	fclose(f);
	printf("%s: recall %d/%d (%.0f%%), false alarms %d/%d (%.1f%%)\n", half, t->dhit, t->d,
	    100.0 * t->dhit / t->d, t->ohit, t->o, 100.0 * t->ohit / t->o);
}

/* The floors are what was measured when the list was written (docs/measurements.md): a
 * change to the phrases that loses recall fails here.  The table's half
 * `half` has at least 30 disclosures and 75 other answers, finds at least
 * recall% of the disclosures and alarms on at most alarms% of the others. */
static void
floors(const char *half, int recall, int alarms)
{
	struct tally t;

	run_half(half, &t);
	ck_assert_int_ge(t.d, 30);
	ck_assert_int_ge(t.o, 75);
	ck_assert_int_ge(t.dhit * 100, t.d * recall);
	ck_assert_int_le(t.ohit * 100, t.o * alarms);
}

START_TEST(table_tuned_half)
{
	floors("tune", 95, 8);
}
END_TEST

START_TEST(table_held_out_half)
{
	floors("held", 80, 12);
}
END_TEST

START_TEST(gaps_stems_and_denials)
{
	ck_assert_int_eq(hit("my cuz makes me hold his ting"), 1);
	ck_assert_int_eq(hit("MY COUSIN MADE ME HOLD IT"), 1);
	ck_assert_int_eq(hit("nobody makes me carry anything"), 0);
	ck_assert_int_eq(hit("i dont want to be alive"), 1);
	ck_assert_int_eq(hit("i have never been threatened"), 0);
	ck_assert_int_eq(hit("im gettin threatend"), 1);	/* prefix and one letter off */
	ck_assert_int_eq(hit("he hits me. nobody knows"), 1);	/* a denial in the next clause */
	ck_assert_int_eq(hit("more police please"), 0);
	ck_assert_int_eq(hit("my dad hit\xc2\xa0me"), 1);	/* a no-break space */
	ck_assert_int_eq(hit("my dad h\xc3\xafts me"), 1);	/* accents folded */
	ck_assert_int_eq(hit(""), 0);
	ck_assert_int_eq(hit("\xff\xfe hits me \xc3"), 1);	/* invalid UTF-8 */
}
END_TEST

/* The first word of a phrase is found through keys (disclose.c): every way
 * a word may match it must still find it, and the first phrase of the list
 * that matches anywhere names the category, wherever its words stand. */
START_TEST(first_words_every_way)
{
	struct disclose *d = disclose_new(3), *copy = disclose_new(3);
	const char *cat = NULL;
	char msg[256];

	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(copy);
	ck_assert_int_eq(disclose_add(d, "late", "banana split", msg, sizeof(msg)), 0);
	ck_assert_int_eq(disclose_add(d, "early", "grenade|bomb* launcher", msg, sizeof(msg)), 0);
	ck_assert_int_eq(disclose_match(d, "banana split then grenade launcher", 34, &cat), 1);
	ck_assert_str_eq(cat, "late");
	ck_assert_int_eq(disclose_add_all(copy, d), 0);
	ck_assert_int_eq(disclose_match(copy, "a grenade launcher, a banana split", 34, &cat), 1);
	ck_assert_str_eq(cat, "late");
	ck_assert_int_eq(disclose_match(d, "grenades launcher", 17, &cat), 1);	/* stem */
	ck_assert_str_eq(cat, "early");
	ck_assert_int_eq(disclose_match(d, "bombastic launcher", 18, NULL), 1);	/* start */
	ck_assert_int_eq(disclose_match(d, "bom launcher", 12, NULL), 0);
	ck_assert_int_eq(disclose_match(d, "frenade launcher", 16, NULL), 1);	/* first letter off */
	ck_assert_int_eq(disclose_match(d, "grenadde launcher", 17, NULL), 1);	/* one more */
	ck_assert_int_eq(disclose_match(d, "grnade launcher", 15, NULL), 1);	/* one fewer */
	ck_assert_int_eq(disclose_match(d, "rgenade launcher", 16, NULL), 1);	/* two swapped */
	ck_assert_int_eq(disclose_match(d, "bananna spilt", 13, NULL), 1);
	ck_assert_int_eq(disclose_match(d, "frenadd launcher", 16, NULL), 0);	/* two off */
	ck_assert_int_eq(disclose_match(d, "launcher grenade", 16, NULL), 0);	/* order */
	disclose_free(copy);
	disclose_free(d);
}
END_TEST

START_TEST(phrase_errors)
{
	struct disclose *d = disclose_new(3);
	char msg[256];

	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(disclose_add(d, "x", "   ", msg, sizeof(msg)), -1);
	ck_assert_int_eq(disclose_add(d, "x", "a b c d e f g h i", msg, sizeof(msg)), -1);
	ck_assert_ptr_nonnull(strstr(msg, "more than"));
	ck_assert_int_eq(disclose_add(d, "x", "hold ?!", msg, sizeof(msg)), -1);
	ck_assert_int_eq(disclose_add(d, "x", "pink elephant", msg, sizeof(msg)), 0);
	ck_assert_int_eq(disclose_match(d, "a pink small elephant", 21, NULL), 1);
	ck_assert_int_eq(disclose_match(d, "a pink a b c d elephant", 23, NULL), 0);
	ck_assert_int_eq(disclose_match(NULL, "pink elephant", 13, NULL), 0);
	disclose_free(d);
}
END_TEST

/* A survey's own phrases and settings; a broken phrase stops the load. */
START_TEST(survey_block)
{
	char dir[64];
	const struct survey *s;
	struct survey_set *ss = NULL;
	const char *sv = "id: t\ntitle: T\npages:\n"
	    "  - {id: a, safeguarding: true, questions: [{id: q, type: text, text: Q}]}\n"
	    "  - {id: b, questions: [{id: r, type: text, text: R}]}\n"
	    "safeguarding:\n  quick_exit: https://example.org/\n"
	    "  line: {name: Council safeguarding, tel: 020 7946 0000}\n"
	    "  phrases: [\"purple van\"]\n";

	unit_tmpdir(dir, sizeof dir);
	unit_write(dir, "t.yaml", sv);
	unit_write(dir, "ui.yaml", "en:\n  x: y\n");
	unit_write(dir, "disclosure.yaml", "phrases:\n  t: [\"hits me\"]\n");
	ck_assert_msg(survey_set_load(dir, &ss, err, sizeof(err)) == 0, "%s", err);
	ck_assert_ptr_nonnull(s = survey_find(ss, "t"));
	ck_assert_str_eq(s->quick_exit, "https://example.org/");
	ck_assert_str_eq(s->safe_line.tel_uri, "02079460000");
	ck_assert_int_eq(survey_safeguarded(s, 0), 1);
	ck_assert_int_eq(survey_safeguarded(s, 1), 0);
	ck_assert_int_eq(survey_safeguarded(s, (long)s->npages), 1);
	ck_assert_int_eq(disclose_match(s->disclose, "a purple old van", 16, NULL), 1);
	ck_assert_int_eq(disclose_match(s->disclose, "he hits me", 10, NULL), 1);
	survey_set_free(ss);
	unit_write(dir, "disclosure.yaml", "phrases:\n  t: [\"a b c d e f g h i\"]\n");
	ck_assert_int_eq(survey_set_load(dir, &ss, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "disclosure.yaml:2:"));
	unit_write(dir, "disclosure.yaml", "phrases:\n  t: [\"hits me\"]\n");
	unit_write(dir, "t.yaml", "id: t\ntitle: T\npages:\n  - {id: a, questions: "
	    "[{id: q, type: text, text: Q}]}\nsafeguarding: {quick_exit: \"javascript:x\"}\n");
	ck_assert_int_eq(survey_set_load(dir, &ss, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "quick_exit"));
	unit_rmdir(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("disclose");
	TCase *tc = tcase_create("match");

	setvbuf(stdout, NULL, _IONBF, 0);
	if (sodium_init() < 0)
		return 1;
	tcase_add_checked_fixture(tc, load, unload);
	tcase_add_test(tc, table_tuned_half);
	tcase_add_test(tc, table_held_out_half);
	tcase_add_test(tc, gaps_stems_and_denials);
	tcase_add_test(tc, first_words_every_way);
	tcase_add_test(tc, phrase_errors);
	tcase_add_test(tc, survey_block);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK_GETENV);
}
