/* Tests for the survey loader (survey.c, survey_parse.c, survey_ui.c): the
 * valid fixtures (tests/fixtures/surveys/ and the tests' ui.yaml) and broken
 * definitions, each refused with its file and line.  The answer logic:
 * test_answer.c.  Run from the repository root. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

#include "unit_survey.h"

/* ---- Loading the valid fixtures ---- */

START_TEST(load_dir)
{
	const struct survey	*s;

	ck_assert_uint_eq(set->n, 3);
	ck_assert_str_eq(set->v[0]->id, "community-safety");
	ck_assert_str_eq(set->v[1]->id, "workshop-poll");
	ck_assert_str_eq(set->v[2]->id, "youth-voice");
	ck_assert_ptr_null(survey_find(set, "nope"));
	s = fixture("community-safety");
	ck_assert_str_eq(s->file, FIXTURES "/community-safety.yaml");
	ck_assert_int_eq(s->version, 2);
	ck_assert_str_eq(s->wave, "Spring 2026");
	ck_assert_ptr_null(fixture("workshop-poll")->wave);
	ck_assert_int_eq(s->kind, SK_SURVEY);
	ck_assert_int_eq(s->audience, AUD_RESIDENT);
	ck_assert_int_eq(s->one_per_device, 1);
	ck_assert_uint_eq(s->npages, 4);
	ck_assert_uint_eq(s->nqs, 9);
	ck_assert_uint_eq(s->pages[3].first, 6);
	ck_assert_uint_eq(s->pages[3].count, 3);
	ck_assert_uint_eq(s->qs[qi(s, "age")].page, 3);
	ck_assert_int_eq(survey_page_index(s, "worries"), 2);
	ck_assert_int_eq(survey_page_index(s, "nope"), -1);
	ck_assert_int_eq(survey_question_index(s, "nope"), -1);
}
END_TEST

START_TEST(load_languages)
{
	const struct survey	*s = fixture("community-safety");
	const struct question	*q = &s->qs[qi(s, "safe_day")];

	ck_assert_uint_eq(s->nlangs, 3);
	ck_assert_str_eq(s->langs[0].code, "en");
	ck_assert_str_eq(s->langs[1].name, "Türkçe");
	ck_assert_str_eq(s->langs[2].code, "ar");
	ck_assert_int_eq(s->langs[2].rtl, 1);
	ck_assert_int_eq(s->langs[0].rtl, 0);
	ck_assert_int_eq(survey_lang_index(s, "ar"), 2);
	ck_assert_int_eq(survey_lang_index(s, "fr"), -1);
	ck_assert_str_eq(i18n_get(&s->title, 1), "Toplum Güvenliği danışması");
	ck_assert_str_eq(i18n_get(&s->title, 2), "استشارة سلامة المجتمع");
	ck_assert_str_eq(i18n_get(&s->title, -1), "Community Safety consultation");
	ck_assert_str_eq(i18n_get(&s->title, 9), "Community Safety consultation");
	ck_assert_str_eq(i18n_get(&s->pages[1].title, 0), "");
	ck_assert_str_eq(i18n_get(&q->hint, 1), "Birini seçin.");
	ck_assert_str_eq(i18n_get(&q->opts[5].text, 2), "لا أعرف");
	ck_assert_str_eq(i18n_get(NULL, 0), "");
	ck_assert_ptr_nonnull(strstr(i18n_get(&s->intro, 0), "\n\nIt takes"));
}
END_TEST

START_TEST(load_questions)
{
	const struct survey	*s = fixture("community-safety");
	const struct question	*q;

	q = &s->qs[qi(s, "area")];
	ck_assert_int_eq(q->type, Q_LIST);
	ck_assert_int_eq(q->required, 1);
	ck_assert_uint_eq(q->nopts, 3);
	ck_assert_int_eq(q->opts[2].missing, 1);
	ck_assert_int_eq(question_option_index(q, "outside"), 1);
	ck_assert_int_eq(question_option_index(q, "mars"), -1);
	q = &s->qs[qi(s, "safe_day")];
	ck_assert_str_eq(q->indicator, "feel_safe_day");
	ck_assert_int_eq(q->opts[5].missing, 1);
	ck_assert_int_eq(q->line, 60);
	q = &s->qs[qi(s, "worry")];
	ck_assert_int_eq(q->max_choices, 2);
	ck_assert_int_eq(q->opts[3].exclusive, 1);
	ck_assert_int_eq(q->required, 0);
	ck_assert_int_eq(s->qs[qi(s, "why")].max_length, 2000);
	ck_assert_str_eq(s->qs[qi(s, "why")].outcome, "trust");
	ck_assert_int_eq(s->qs[qi(s, "comment")].max_length, 200);
	ck_assert_ptr_null(s->qs[qi(s, "comment")].outcome);
	ck_assert_int_eq(s->qs[qi(s, "priority")].rank, 2);
	ck_assert_int_eq(s->qs[qi(s, "age")].min, 11);
	ck_assert_int_eq(s->qs[qi(s, "age")].max, 120);
	ck_assert_int_eq(s->suppress_below, 10);
}
END_TEST

START_TEST(load_scale_range)
{
	const struct survey	*s = fixture("community-safety");
	const struct question	*q = &s->qs[qi(s, "likely")];

	ck_assert_uint_eq(q->nopts, 11);
	ck_assert_str_eq(q->opts[0].code, "0");
	ck_assert_str_eq(q->opts[10].code, "10");
	ck_assert_str_eq(i18n_get(&q->opts[0].text, 0), "0 \u2013 Not at all likely");
	ck_assert_str_eq(i18n_get(&q->opts[10].text, 1), "10 \u2013 Çok olası");
	ck_assert_str_eq(i18n_get(&q->opts[5].text, 2), "5");
	ck_assert_int_eq(q->rank, 11);
}
END_TEST

START_TEST(load_conditions)
{
	const struct survey	*s = fixture("community-safety");
	const struct cond	*c = s->pages[2].show_if;

	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->q, qi(s, "safe_day"));
	ck_assert_uint_eq(c->ncodes, 2);
	ck_assert_str_eq(c->codes[1], "2");
	ck_assert_int_eq(c->negate, 0);
	c = s->qs[qi(s, "comment")].show_if;
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->negate, 1);
	ck_assert_ptr_null(s->pages[0].show_if);
}
END_TEST

START_TEST(load_poll_and_young)
{
	const struct survey	*s = fixture("workshop-poll");

	ck_assert_int_eq(s->kind, SK_POLL);
	ck_assert_int_eq(s->version, 1);
	ck_assert_uint_eq(s->nlangs, 1);
	ck_assert_str_eq(s->langs[0].code, "en");
	ck_assert_int_eq(s->qs[0].type, Q_WORDCLOUD);
	ck_assert_int_eq(s->qs[0].max_length, 40);
	ck_assert_int_eq(s->qs[1].type, Q_STATEMENTS);
	s = fixture("youth-voice");
	ck_assert_int_eq(s->audience, AUD_YOUNG);
	ck_assert_int_eq(s->suppress_below, 12);
	ck_assert_uint_eq(s->nhelp, 2);
	ck_assert_str_eq(s->help[1].tel, "0800 1111");
	ck_assert_str_eq(s->help[1].tel_uri, "08001111");
	ck_assert_str_eq(s->help[1].url, "https://www.childline.org.uk");
	ck_assert_ptr_null(s->help[0].url);
	ck_assert_str_eq(i18n_get(&s->help[0].detail, 0), "If you are in danger now");
}
END_TEST

START_TEST(load_hash)
{
	const struct survey	*s = fixture("youth-voice");
	unsigned char		 bin[16];
	char			 hex[33], *text;
	size_t			 len;

	ck_assert_ptr_nonnull(text = unit_slurp(FIXTURES "/youth-voice.yaml", &len));
	crypto_generichash(bin, sizeof(bin), (unsigned char *)text, len, NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), bin, sizeof(bin));
	free(text);
	ck_assert_str_eq(s->hash, hex);
	ck_assert_uint_eq(strlen(s->hash), 32);
}
END_TEST

static void
count_key(void *ctx, const char *key, const char *value)
{
	(void)key;
	ck_assert_ptr_nonnull(value);
	(*(int *)ctx)++;
}

START_TEST(ui_strings)
{
	int	 i, n = 0;

	ck_assert_str_eq(ui_get(set->ui, "tr", "next"), "Devam");
	ck_assert_str_eq(ui_get(set->ui, "ar", "back"), "رجوع");
	ck_assert_str_eq(ui_get(set->ui, "xx", "next"), "Continue");
	ck_assert_str_eq(ui_get(set->ui, NULL, "next"), "Continue");
	ck_assert_ptr_null(ui_get(set->ui, "en", "nope"));
	for (i = AE_OK + 1; i < AE__MAX; i++)
		ck_assert_ptr_nonnull(ui_get(set->ui, "ar", answer_err_keys[i]));
	ck_assert_int_eq(ui_has_lang(set->ui, "ar"), 1);
	ck_assert_int_eq(ui_has_lang(set->ui, "xx"), 0);
	ck_assert_int_eq(ui_has_lang(set->ui, NULL), 0);
	ui_each(set->ui, "tr", count_key, &n);
	ck_assert_int_eq(n, 78);	/* the keys the fixture gives in Turkish */
}
END_TEST

START_TEST(ui_builtin_english)
{
	int	 i;

	ck_assert_int_eq(load_text("id: s\ntitle: T\npages:\n  - id: p\n    questions:\n"
	    "      - {id: q, type: text, text: Q}\n", NULL, NULL), 0);
	for (i = AE_OK + 1; i < AE__MAX; i++)
		ck_assert_ptr_nonnull(ui_get(set->ui, "en", answer_err_keys[i]));
	ck_assert_str_eq(ui_get(set->ui, "tr", "error_required"), "Answer this question");
	ck_assert_str_eq(set->v[0]->langs[0].code, "en");
	survey_set_free(set);
}
END_TEST

START_TEST(tables)
{
	ck_assert_str_eq(qtype_names[Q_RANKING], "ranking");
	ck_assert_str_eq(qtype_names[Q_STATEMENTS], "statements");
	ck_assert_str_eq(channel_names[CH_YOUTH], "youth-service");
	ck_assert_int_eq(channel_from_name("focus-group"), CH_FOCUS);
	ck_assert_int_eq(channel_from_name("online"), CH_ONLINE);
	ck_assert_int_eq(channel_from_name("email"), CH__MAX);
	ck_assert_int_eq(channel_from_name(NULL), CH__MAX);
	ck_assert_str_eq(answer_err_keys[AE_RANK_INCOMPLETE], "error_rank_incomplete");
	ck_assert_str_eq(answer_err_keys[AE_BAD_TEXT], "error_bad_text");
}
END_TEST

START_TEST(duplicate_survey_id)
{
	const char	*paths[2];

	paths[0] = write_tmp("a.yaml", "id: same\ntitle: A\npages:\n  - id: p\n    questions:\n"
	    "      - {id: q, type: text, text: Q}\n");
	paths[1] = write_tmp("b.yaml", "# second\nid: same\ntitle: B\npages:\n  - id: p\n"
	    "    questions:\n      - {id: q, type: text, text: Q}\n");
	ck_assert_int_eq(survey_set_load_files(paths, 2, NULL, &set, err, sizeof(err)), -1);
	ck_assert_ptr_null(set);
	ck_assert_msg(strncmp(err, paths[1], strlen(paths[1])) == 0 &&
	    strncmp(err + strlen(paths[1]), ":2: ", 4) == 0, "%s", err);
	ck_assert_ptr_nonnull(strstr(err, "already used by"));
}
END_TEST

START_TEST(missing_dir)
{
	ck_assert_int_eq(survey_set_load("/nonexistent/surveys", &set, err, sizeof(err)), -1);
	ck_assert_ptr_null(set);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/surveys"));
}
END_TEST


/* ---- Broken definitions: each fails the load with "file:line: problem" ---- */

#define UI2	"#\nen:\n  a: A\ntr:\n  a: B\n"
#define LANGS2	"languages:\n  - {code: en, name: English}\n  - {code: tr, name: Türkçe}\n"

struct bad {
	const char	*yaml;
	const char	*ui;	/* NULL: built-in; "#...": written to a file */
	int		 line;	/* 0: the message has no line */
	const char	*phrase;
	int		 in_ui;	/* the message names ui.yaml, not the survey */
};

static const struct bad bad[] = {
	{ "id: t\ntitle: T\n  bad: indent\n", NULL, 3, "not valid YAML", 0 },
	{ "id: t\ntitel: T\n", NULL, 2, "unknown key 'titel' in the survey", 0 },
	{ "id: t\nwave: [a, b]\ntitle: T\n", NULL, 2, "'wave'", 0 },
	{ "id: t\ntitle: T\npages:\n  - id: p\n    colour: red\n", NULL, 5,
	    "unknown key 'colour' in a page", 0 },
	{ HEAD Q("{id: q, type: text, text: Q, colour: red}"), NULL, 6,
	    "unknown key 'colour' in a question", 0 },
	{ HEAD "      - id: q\n        type: single\n        text: Q\n        options:\n"
	    "          - {code: a, text: A, colour: red}\n", NULL, 10,
	    "unknown key 'colour' in an option", 0 },
	{ HEAD Q("{id: q, id: r, type: text, text: Q}"), NULL, 6, "'id' is given twice", 0 },
	{ "title: T\npages: []\n", NULL, 1, "has no 'id'", 0 },
	{ HEAD Q("{type: text, text: Q}"), NULL, 6, "a question has no 'id'", 0 },
	{ HEAD Q("{id: q, text: Q}"), NULL, 6, "has no 'type'", 0 },
	{ HEAD Q("{id: q, type: text}"), NULL, 6, "has no 'text'", 0 },
	{ "id: t\ntitle: T\npages:\n  - questions: []\n", NULL, 4, "a page has no 'id'", 0 },
	{ "id: Bad Id\n", NULL, 1, "may only use small letters", 0 },
	{ HEAD Q("{id: 1q, type: text, text: Q}"), NULL, 6, "must start with a small letter", 0 },
	{ HEAD Q("{id: q, type: essay, text: Q}"), NULL, 6, "unknown question type 'essay'", 0 },
	{ HEAD Q("{id: q, type: text, text: Q}") Q("{id: q, type: text, text: R}"), NULL, 7,
	    "question id 'q' is used twice (first on line 6)", 0 },
	{ HEAD Q("{id: a, type: text, text: Q}") "  - id: p\n    questions:\n"
	    Q("{id: b, type: text, text: Q}"), NULL, 7, "page id 'p' is used twice", 0 },
	{ HEAD "      - id: q\n        type: single\n        text: Q\n        options:\n"
	    "          - {code: a, text: A}\n          - {code: a, text: B}\n", NULL, 11,
	    "option code 'a' is used twice", 0 },
	{ HEAD Q("{id: q, type: single, text: Q}"), NULL, 6, "needs 'options'", 0 },
	{ HEAD Q("{id: q, type: scale, text: Q}"), NULL, 6, "needs 'options' (or 'from'", 0 },
	{ HEAD Q("{id: q, type: text, text: Q, " OPTS "}"), NULL, 6,
	    "'options' does not apply to a 'text' question", 0 },
	{ HEAD Q("{id: q, type: list, text: Q, options_from: wards}"), NULL, 6,
	    "names list 'wards', which is not under 'lists'", 0 },
	{ HEAD Q("{id: a, type: single, text: A, " OPTS "}") PAGE2
	    Q("{id: b, type: text, text: B, show_if: {question: nope, any_of: [y]}}"), NULL, 9,
	    "names question 'nope', which does not exist", 0 },
	{ HEAD Q("{id: a, type: single, text: A, " OPTS "}")
	    Q("{id: b, type: text, text: B, show_if: {question: a, any_of: [y]}}"), NULL, 7,
	    "on the same page or a later one", 0 },
	{ HEAD Q("{id: a, type: text, text: A, show_if: {question: b, any_of: [y]}}") PAGE2
	    Q("{id: b, type: single, text: B, " OPTS "}"), NULL, 6,
	    "names question 'b', which is on the same page or a later one", 0 },
	{ HEAD Q("{id: a, type: single, text: A, " OPTS "}") PAGE2
	    Q("{id: b, type: text, text: B, show_if: {question: a, any_of: [y, maybe]}}"), NULL, 9,
	    "names answer 'maybe', which question 'a' does not have", 0 },
	{ HEAD Q("{id: a, type: text, text: A}") PAGE2
	    Q("{id: b, type: text, text: B, show_if: {question: a, any_of: [y]}}"), NULL, 9,
	    "no options to match", 0 },
	{ HEAD Q("{id: a, type: single, text: A, " OPTS "}") PAGE2
	    Q("{id: b, type: text, text: B, show_if: {question: a}}"), NULL, 9,
	    "needs either 'any_of' or 'none_of'", 0 },
	{ HEAD Q("{id: q, type: multi, text: Q, max_choices: 3, " OPTS "}"), NULL, 6,
	    "'max_choices' must be between 1 and 2, not 3", 0 },
	{ HEAD Q("{id: q, type: ranking, text: Q, rank: 0, " OPTS "}"), NULL, 6,
	    "'rank' must be between 1 and 2, not 0", 0 },
	{ HEAD Q("{id: q, type: number, text: Q, min: 5, max: 1}"), NULL, 6,
	    "'min' (5) is above 'max' (1)", 0 },
	{ HEAD Q("{id: q, type: number, text: Q, min: ten}"), NULL, 6,
	    "'min' should be a whole number", 0 },
	{ HEAD Q("{id: q, type: text, text: Q, max_length: 0}"), NULL, 6,
	    "'max_length' must be between 1", 0 },
	{ HEAD Q("{id: q, type: single, text: Q, max_choices: 1, " OPTS "}"), NULL, 6,
	    "'max_choices' does not apply to a 'single' question", 0 },
	{ HEAD Q("{id: q, type: scale, text: Q, from: 5, to: 5}"), NULL, 6,
	    "'to' must be above 'from'", 0 },
	{ HEAD Q("{id: q, type: scale, text: Q, low: Bad, " OPTS "}"), NULL, 6,
	    "'low' and 'high' label the ends", 0 },
	{ HEAD Q("{id: q, type: single, text: Q, options: [{code: a, text: A, exclusive: true}]}"),
	    NULL, 6, "only applies to a multi question", 0 },
	{ HEAD Q("{id: q, type: text, text: Q, required: maybe}"), NULL, 6,
	    "'required' should be true or false", 0 },
	{ HEAD Q("{id: q, type: wordcloud, text: Q}"), NULL, 6,
	    "only works in a poll set (kind: poll)", 0 },
	{ HEAD Q("{id: q, type: statements, text: Q}"), NULL, 6, "only works in a poll set", 0 },
	{ "id: t\nkind: quiz\n", NULL, 2, "'kind' should be survey or poll", 0 },
	{ LANGS2 "id: t\ntitle: T\n", UNIT_UI, 5, "'title' has no Türkçe (tr) version", 0 },
	{ LANGS2 "id: t\ntitle: {en: T, tr: T}\npages:\n  - id: p\n    questions:\n"
	    "      - id: q\n        type: text\n        text:\n          en: Q\n", UNIT_UI, 12,
	    "'text' has no Türkçe (tr) version", 0 },
	{ LANGS2 "id: t\ntitle: {en: T, tr: T, fr: T}\n", UNIT_UI, 5,
	    "a language the survey does not list", 0 },
	{ "languages:\n  - {code: en}\n  - {code: fr, name: Français}\nid: t\n", UNIT_UI, 3,
	    "language 'fr' is not in ui.yaml", 0 },
	{ "languages: [{code: en}, {code: en}]\nid: t\n", UNIT_UI, 1, "'en' is listed twice", 0 },
	{ "languages:\n  - {code: en, dir: up}\nid: t\n", UNIT_UI, 2, "'dir' should be ltr or rtl", 0 },
	{ "id: t\naudience: young\ntitle: T\n" "pages:\n  - id: p\n    questions:\n"
	    Q("{id: q, type: text, text: Q}"), NULL, 2, "needs 'help' items", 0 },
	{ "id: t\naudience: young\nsuppress_below: 5\n", NULL, 3,
	    "suppress_below of 10 or more", 0 },
	{ "id: t\ntitle: T\nhelp:\n  - {name: X, url: \"javascript:alert(1)\"}\n", NULL, 4,
	    "'url' should be a web address", 0 },
	{ "id: t\ntitle: T\nlists:\n  a: &x\n    - {code: a, text: A}\n  b: *x\n", NULL, 4,
	    "aliases", 0 },
	{ HEAD Q("{id: q, type: text, text: Q}") "---\nid: u\n", NULL, 8, "holds one survey", 0 },
	{ HEAD Q("{id: q, type: single, text: Q, options: [{code: a, text: Yes, often}]}"),
	    NULL, 6, "unknown key 'often' in an option: if it is the end of the text before "
	    "it, put that text in quotes", 0 },
	{ "id: t\ntitle: Market: safety\n", NULL, 2, "not valid YAML: mapping values are not "
	    "allowed in this context: a text with ': ' (a colon and a space) in it must be in "
	    "quotes", 0 },
	{ "id: t\ntitle: T\npages:\n  - id: p\n\ttitle: P\n", NULL, 5,
	    "indent with spaces, not tabs", 0 },
	{ HEAD Q("{id: q, type: text, text: Q, requried: true}"), NULL, 6,
	    "unknown key 'requried' in a question: did you mean 'required'?", 0 },
	{ HEAD Q("{id: q, type: multi, text: Q, max_choice: 2, options: [{code: a, text: A}]}"),
	    NULL, 6, "unknown key 'max_choice' in a question: did you mean 'max_choices'?", 0 },
	{ "id: t\ntilte: T\n", NULL, 2, "unknown key 'tilte' in the survey: did you mean "
	    "'title'?", 0 },
	{ "", NULL, 0, "the file is empty", 0 },
	{ "- a\n- b\n", NULL, 1, "the survey should be a set of 'key: value' lines", 0 },
	{ "id: t\n", UI2 "  b: C\n", 4, "language 'tr' gives 1 key(s) the default language "
	    "does not have (misspelt, or no longer used): b", 1 },
	{ "id: t\n", "#\nen:\n  a: A\n  b: B\ntr:\n  a: A\n", 5,
	    "language 'tr' has no text for 1 key(s) respondents see: b", 1 },
	{ "id: t\n", UI2 "tr:\n  a: C\n", 6, "language 'tr' is given twice", 1 },
	{ "id: t\n", "#\n[a, b]\n", 2, "ui.yaml should be a set of", 1 },
};

START_TEST(broken)
{
	const struct bad	*b = &bad[_i];
	char			 want[600];
	const char		*path;

	ck_assert_int_eq(load_text(b->yaml, b->ui, &path), -1);
	ck_assert_ptr_null(set);
	if (b->in_ui)
		path = b->ui[0] == '#' ? write_tmp("ui.yaml", b->ui) : b->ui;
	if (b->line > 0)
		snprintf(want, sizeof(want), "%s:%d: ", path, b->line);
	else
		snprintf(want, sizeof(want), "%s: ", path);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "case %d: want '%s', got '%s'",
	    _i, want, err);
	ck_assert_msg(strstr(err, b->phrase) != NULL, "case %d: want '%s' in '%s'", _i,
	    b->phrase, err);
}
END_TEST

/* More languages than SURVEY_MAX_LANGS, all of them in ui.yaml. */
START_TEST(too_many_languages)
{
	char	 ui[2048] = "#\n", yaml[2048] = "id: t\nlanguages:\n";
	size_t	 i;

	for (i = 0; i <= SURVEY_MAX_LANGS; i++) {
		snprintf(ui + strlen(ui), sizeof(ui) - strlen(ui), "l%c:\n  a: A\n", (char)('a' + i));
		snprintf(yaml + strlen(yaml), sizeof(yaml) - strlen(yaml), "  - {code: l%c}\n",
		    (char)('a' + i));
	}
	ck_assert_int_eq(load_text(yaml, ui, NULL), -1);
	ck_assert_msg(strstr(err, ":3: a survey can offer at most 16 languages") != NULL, "%s", err);
}
END_TEST


static Suite *
survey_suite(void)
{
	Suite	*s = suite_create("survey");
	TCase	*tc;

	tc = tcase_create("load");
	tcase_add_checked_fixture(tc, load_fixtures, free_fixtures);
	tcase_add_test(tc, load_dir);
	tcase_add_test(tc, load_languages);
	tcase_add_test(tc, load_questions);
	tcase_add_test(tc, load_scale_range);
	tcase_add_test(tc, load_conditions);
	tcase_add_test(tc, load_poll_and_young);
	tcase_add_test(tc, load_hash);
	tcase_add_test(tc, ui_strings);
	suite_add_tcase(s, tc);
	tc = tcase_create("definitions");
	tcase_add_test(tc, ui_builtin_english);
	tcase_add_test(tc, tables);
	tcase_add_test(tc, duplicate_survey_id);
	tcase_add_test(tc, missing_dir);
	tcase_add_loop_test(tc, broken, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, too_many_languages);
	suite_add_tcase(s, tc);
	return s;
}

/* libsodium first: the loader hashes each survey file. */
int
main(void)
{
	return sodium_init() < 0 ? EXIT_FAILURE : unit_run(survey_suite(), CK_FORK_GETENV);
}
