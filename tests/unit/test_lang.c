/* Tests for the languages of the survey loader (survey_ui.c, survey_lang.c)
 * and for numbers typed in other digits (answer.c): respondent keys a
 * language must give, reported all at once; staff keys it may leave out;
 * language folders with their review state; translation files that add a
 * language to a survey; the shipped residents' survey complete in every
 * language; Arabic-Indic, Persian and Bengali digits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "survey.h"
#include "unit.h"

static struct survey_set	*set;
static char			 err[4096];
static char			 dir[64];

static const char *const EN =
    "en:\n  next: Continue\n  back: Back\n  submit: Send\n  error_required: Answer it\n"
    "  staff_sign_in: Sign in\n  poll_lock: Close voting\n";

static const char *const SURVEY =
    "id: s\ntitle: Survey\nintro: Hello\npages:\n"
    "  - id: p1\n    title: Page one\n    questions:\n"
    "      - {id: q1, type: single, text: Question one, hint: A hint,\n"
    "         options: [{code: a, text: Yes}, {code: b, text: No}]}\n"
    "      - {id: q2, type: scale, from: 0, to: 4, low: Never, high: Always,"
    " text: How often}\n"
    "      - {id: q3, type: number, text: How many}\n";

static void
mk(const char *name)
{
	char	 path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_int_eq(mkdir(path, 0755), 0);
}

static void
setup(void)
{
	unit_tmpdir(dir, sizeof dir);
	unit_write(dir, "ui.yaml", EN);
	unit_write(dir, "s.yaml", SURVEY);
	mk("lang");
	mk("lang/tr");
}

static void
teardown(void)
{
	survey_set_free(set);
	set = NULL;
	unit_rmdir(dir);
}

static int
load(void)
{
	return survey_set_load(dir, &set, err, sizeof(err));
}

START_TEST(missing_keys_all_at_once)
{
	unit_write(dir, "ui.yaml", "en:\n  next: Continue\n  back: Back\n  submit: Send\n"
	    "  staff_sign_in: Sign in\ntr:\n  next: Devam\n  nxet: Devam\n");
	ck_assert_int_eq(load(), -1);
	ck_assert_msg(strstr(err, "language 'tr' has no text for 2 key(s) respondents see: "
	    "back, submit;") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "gives 1 key(s) the default language does not have "
	    "(misspelt, or no longer used): nxet") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "staff_sign_in") == NULL, "a staff key is optional: %s", err);
}
END_TEST

START_TEST(folder_missing_keys_named)
{
	unit_write(dir, "lang/tr/ui.yaml", "name: Türkçe\nreview: draft\nstrings:\n  next: Devam\n");
	ck_assert_int_eq(load(), -1);
	ck_assert_msg(strstr(err, "lang/tr/ui.yaml:4: language 'tr' has no text for 3 key(s) "
	    "respondents see: back, error_required, submit") != NULL, "%s", err);
}
END_TEST

START_TEST(staff_keys_stay_in_default)
{
	unit_write(dir, "lang/tr/ui.yaml", "name: Türkçe\nreview: draft\nstrings:\n  next: Devam\n"
	    "  back: Geri\n  submit: Gönder\n  error_required: Yanıtlayın\n");
	ck_assert_msg(load() == 0, "%s", err);
	ck_assert_str_eq(ui_get(set->ui, "tr", "next"), "Devam");
	ck_assert_str_eq(ui_get(set->ui, "tr", "staff_sign_in"), "Sign in");
	ck_assert_str_eq(ui_get(set->ui, "tr", "poll_lock"), "Close voting");
	ck_assert_int_eq(ui_key_staff("staff_anything"), 1);
	ck_assert_int_eq(ui_key_staff("poll_lock"), 1);
	ck_assert_int_eq(ui_key_staff("poll_agree"), 0);
	ck_assert_int_eq(ui_key_staff("next"), 0);
	ck_assert_int_eq(ui_lang_draft(set->ui, 1), 1);
	ck_assert_str_eq(ui_lang_name(set->ui, 1), "Türkçe");
	/* no translation file: the survey does not offer Turkish */
	ck_assert_int_eq(survey_find(set, "s")->nlangs, 1);
}
END_TEST

START_TEST(review_is_required)
{
	unit_write(dir, "lang/tr/ui.yaml", "name: Türkçe\nstrings:\n  next: Devam\n");
	ck_assert_int_eq(load(), -1);
	ck_assert_msg(strstr(err, "'review' is missing") != NULL, "%s", err);
	survey_set_free(set);
	set = NULL;
	unit_write(dir, "lang/tr/ui.yaml", "name: Türkçe\nreview: done\nstrings:\n  next: Devam\n");
	ck_assert_int_eq(load(), -1);
	ck_assert_msg(strstr(err, "'review' should be draft or reviewed") != NULL, "%s", err);
}
END_TEST

static const char *const TR_UI =
    "name: العربية\ndir: rtl\nreview: reviewed\nstrings:\n  next: التالي\n  back: رجوع\n"
    "  submit: إرسال\n  error_required: أجب\n";

START_TEST(translation_adds_language)
{
	const struct survey	*s;
	long			 q1, q2;

	unit_write(dir, "lang/tr/ui.yaml", TR_UI);
	unit_write(dir, "lang/tr/s.yaml", "review: draft\ntitle: Anket\npages:\n  p1: {title: Sayfa}\n"
	    "questions:\n  q1:\n    text: Soru bir\n    options: {a: Evet}\n"
	    "  q2: {low: Asla, high: Her zaman}\n");
	ck_assert_msg(load() == 0, "%s", err);
	s = survey_find(set, "s");
	ck_assert_int_eq(s->nlangs, 2);
	ck_assert_str_eq(s->langs[1].code, "tr");
	ck_assert_int_eq(s->langs[1].rtl, 1);
	ck_assert_int_eq(s->langs[1].draft, 1);	/* the file is a draft */
	q1 = survey_question_index(s, "q1");
	q2 = survey_question_index(s, "q2");
	ck_assert_str_eq(i18n_get(&s->title, 1), "Anket");
	ck_assert_str_eq(i18n_get(&s->qs[q1].text, 1), "Soru bir");
	ck_assert_str_eq(i18n_get(&s->qs[q1].opts[0].text, 1), "Evet");
	ck_assert_str_eq(i18n_get(&s->qs[q1].opts[1].text, 1), "No");
	ck_assert_int_eq(i18n_fallback(&s->qs[q1].opts[1].text, 1), 1);
	ck_assert_int_eq(i18n_fallback(&s->qs[q1].opts[0].text, 1), 0);
	ck_assert_str_eq(i18n_get(&s->qs[q2].opts[0].text, 1), "0 \u2013 Asla");
	ck_assert_str_eq(i18n_get(&s->qs[q2].opts[2].text, 1), "2");
	ck_assert_str_eq(i18n_get(&s->qs[q2].opts[4].text, 1), "4 \u2013 Her zaman");
	/* intro, q1's hint, option b, q2's and q3's texts */
	ck_assert_int_eq(s->langs[1].untranslated, 5);
}
END_TEST

START_TEST(translation_mistakes)
{
	unit_write(dir, "lang/tr/ui.yaml", TR_UI);
	unit_write(dir, "lang/tr/s.yaml", "review: draft\nquestions:\n  q9: {text: Yok}\n");
	ck_assert_int_eq(load(), -1);
	ck_assert_msg(strstr(err, "lang/tr/s.yaml:3: the survey has no question 'q9'") != NULL,
	    "%s", err);
	survey_set_free(set);
	set = NULL;
	unit_write(dir, "lang/tr/s.yaml", "review: draft\nquestions:\n  q1: {options: {c: Yok}}\n");
	ck_assert_int_eq(load(), -1);
	ck_assert_msg(strstr(err, "question 'q1' has no option 'c'") != NULL, "%s", err);
	survey_set_free(set);
	set = NULL;
	unit_write(dir, "lang/tr/s.yaml", "review: draft\nquestions:\n  q1: {low: Hiç}\n");
	ck_assert_int_eq(load(), -1);
	ck_assert_msg(strstr(err, "'low' and 'high' are for a scale") != NULL, "%s", err);
	survey_set_free(set);
	set = NULL;
	unit_write(dir, "lang/tr/x.yaml", "review: draft\n");
	unit_write(dir, "lang/tr/s.yaml", "review: draft\n");
	ck_assert_int_eq(load(), -1);
	ck_assert_msg(strstr(err, "no survey or poll set has the id 'x'") != NULL, "%s", err);
}
END_TEST

/* A grid's points are its rows' (one shared list): its translation gives
 * them under the grid, as options or as low and high. */
START_TEST(translation_of_grid)
{
	const struct survey	*s;
	long			 g, r1, r2, g2;

	unit_write(dir, "s.yaml", "id: s\ntitle: Survey\npages:\n  - id: p1\n    questions:\n"
	    "      - id: g\n        type: grid\n        text: How worried?\n"
	    "        from: 1\n        to: 4\n        low: Not at all\n        high: Very\n"
	    "        rows:\n          - {id: r1, text: Theft}\n          - {id: r2, text: Noise}\n"
	    "      - id: g2\n        type: grid\n        text: How often?\n"
	    "        options: [{code: a, text: Never}, {code: b, text: Often}]\n"
	    "        rows: [{id: r3, text: Bus}]\n");
	unit_write(dir, "lang/tr/ui.yaml", TR_UI);
	unit_write(dir, "lang/tr/s.yaml", "review: draft\nquestions:\n"
	    "  g: {text: Ne kadar endişeli?, low: Hiç, high: Çok}\n"
	    "  r1: {text: Hırsızlık}\n"
	    "  g2: {options: {a: Asla, b: Sık sık}}\n");
	ck_assert_msg(load() == 0, "%s", err);
	s = survey_find(set, "s");
	g = survey_question_index(s, "g");
	r1 = survey_question_index(s, "r1");
	r2 = survey_question_index(s, "r2");
	g2 = survey_question_index(s, "g2");
	ck_assert_str_eq(i18n_get(&s->qs[g].text, 1), "Ne kadar endişeli?");
	ck_assert_str_eq(i18n_get(&s->qs[r1].text, 1), "Hırsızlık");
	ck_assert_str_eq(i18n_get(&s->qs[r1].opts[0].text, 1), "1 \u2013 Hiç");
	ck_assert_str_eq(i18n_get(&s->qs[r2].opts[3].text, 1), "4 \u2013 Çok");
	ck_assert_str_eq(i18n_get(&s->qs[r2].opts[0].text, 0), "1 \u2013 Not at all");
	ck_assert_str_eq(i18n_get(&s->qs[g2 + 1].opts[1].text, 1), "Sık sık");
	survey_set_free(set);
	set = NULL;
	unit_write(dir, "lang/tr/s.yaml", "review: draft\nquestions:\n  g2: {options: {z: Yok}}\n");
	ck_assert_int_eq(load(), -1);
	ck_assert_msg(strstr(err, "s.yaml:3: question 'g2' has no option 'z'") != NULL, "%s", err);
}
END_TEST

/* A comma in an unquoted text inside { } ends it: the rest reads as a code. */
START_TEST(translation_comma)
{
	unit_write(dir, "lang/tr/ui.yaml", TR_UI);
	unit_write(dir, "lang/tr/s.yaml", "review: draft\nquestions:\n"
	    "  q1: {options: {a: Evet, kesinlikle, b: Hayır}}\n");
	ck_assert_int_eq(load(), -1);
	ck_assert_msg(strstr(err, "s.yaml:3: question 'q1' has no option 'kesinlikle': if it is "
	    "the end of the text before it, put that text in quotes") != NULL, "%s", err);
}
END_TEST

/* The shipped residents' survey leaves no text in English in any of its
 * twelve languages; its worry grid's question and rows are each language's
 * own, not the English shown in their place. */
START_TEST(shipped_residents_complete)
{
	const struct survey	*s;
	const char *const	 grid[] = { "worry_about", "worry_crime", "worry_asb" };
	size_t			 l, i;
	long			 q;

	ck_assert_msg(survey_set_load("surveys", &set, err, sizeof(err)) == 0, "%s", err);
	ck_assert_ptr_nonnull(s = survey_find(set, "residents-2026"));
	ck_assert_int_eq(s->nlangs, 13);
	for (l = 1; l < s->nlangs; l++) {
		ck_assert_msg(s->langs[l].untranslated == 0, "%s: %zu texts shown in English",
		    s->langs[l].code, s->langs[l].untranslated);
		for (i = 0; i < sizeof(grid) / sizeof(grid[0]); i++) {
			ck_assert_int_ne(q = survey_question_index(s, grid[i]), -1);
			ck_assert_msg(!i18n_fallback(&s->qs[q].text, (int)l), "%s: %s",
			    s->langs[l].code, grid[i]);
		}
	}
	survey_set_free(set);
	set = NULL;
}
END_TEST

START_TEST(digits_become_ascii)
{
	char	 out[64];

	answer_number_ascii(out, "\xd9\xa3\xd9\xa4");		/* ٣٤ */
	ck_assert_str_eq(out, "34");
	answer_number_ascii(out, "\xdb\xb1\xdb\xb2");		/* ۱۲ Persian, Kurdish */
	ck_assert_str_eq(out, "12");
	answer_number_ascii(out, "\xe0\xa7\xa9\xe0\xa7\xa6");	/* ৩০ Bengali */
	ck_assert_str_eq(out, "30");
	answer_number_ascii(out, " \xef\xbc\x97 ");		/* full-width 7 */
	ck_assert_str_eq(out, " 7 ");
	answer_number_ascii(out, "\xe2\x88\x92" "5");		/* minus sign */
	ck_assert_str_eq(out, "-5");
	answer_number_ascii(out, "1\xd9\xa9x\xd9");		/* other bytes kept */
	ck_assert_str_eq(out, "19x\xd9");
	answer_number_ascii(out, "\xd9\xaa");			/* ٪ is not a digit */
	ck_assert_str_eq(out, "\xd9\xaa");
	answer_number_ascii(out, "\xe0\xa7");			/* cut short */
	ck_assert_str_eq(out, "\xe0\xa7");
}
END_TEST

START_TEST(digits_pass_the_check)
{
	const struct survey	*s;
	struct answer_set	 as = { 0 };
	char			 v[16];

	unit_write(dir, "lang/tr/ui.yaml", TR_UI);
	ck_assert_msg(load() == 0, "%s", err);
	s = survey_find(set, "s");
	answer_number_ascii(v, "\xd9\xa3");	/* ٣: refused as "not a whole number" before */
	ck_assert_int_eq(answer_set_add(&as, (size_t)survey_question_index(s, "q3"), v, 0), 0);
	ck_assert_int_eq(survey_check_shown(s, (size_t)survey_question_index(s, "q3"), &as),
	    AE_OK);
	ck_assert_str_eq(as.v[0].value, "3");
	answer_set_free(&as);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("lang");
	TCase	*tc;

	tc = unit_tcase(s, "load", missing_keys_all_at_once, folder_missing_keys_named,
	    staff_keys_stay_in_default, review_is_required, translation_adds_language,
	    translation_mistakes, translation_of_grid, translation_comma,
	    digits_pass_the_check, NULL);
	tcase_add_checked_fixture(tc, setup, teardown);
	unit_tcase(s, "digits", digits_become_ascii, NULL);
	unit_tcase(s, "shipped", shipped_residents_complete, NULL);
	return unit_run(s, CK_FORK_GETENV);
}
