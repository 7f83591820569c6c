/* Tests for what makes the coding generalise: phrases with words in
 * between, acronyms matched by case, absence that is not negation, place
 * names, the learned model (deterministic, explained, versioned with the
 * codebook), the sheet's corrected rows as training data, and a floor on
 * the held-out corpus. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_unit.h"
#include "codebook.h"
#include "evaluate.h"
#include "outcome.h"
#include "sheet_int.h"

#define WORDS	AN_FIX "/codebook-words.yaml"

static struct codebook *cb;

static void
setup(void)
{
	cb = an_codebook(WORDS);
}

static void
teardown(void)
{
	codebook_free(cb);
}

START_TEST(gap_tolerant_phrases)
{
	static const struct an_case cases[] = {
		{ "domestic abuse", "vawg", "domestic" },
		{ "Break the cycle of domestic and gender-based abuse", "vawg", "domestic" },
		/* At most three words in between, and within one clause. */
		{ "domestic life is hard and abuse", "other", "" },
		{ "domestic chores, abuse of power", "other", "" },
		/* No gap next to a tight word: "on road" stays two words in a row. */
		{ "he is on road now", "violence", "knife,transport" },
		{ "on the main road", "other", "transport" },
		/* A negator inside the gap cancels. */
		{ "domestic work is not abuse", "other", "" },
	};

	AN_EXPECT_ALL(cb, cases);
}
END_TEST

START_TEST(acronyms_by_case)
{
	static const struct an_case cases[] = {
		{ "referred to the IDVA", "vawg", "domestic" },
		{ "the DV service", "vawg", "domestic" },
		{ "dv", "other", "" },
		{ "the IOM cohort", "reoffending", "iom" },
		{ "iom", "other", "" },
		{ "referrals to Prevent rose", "exploitation", "prevent" },
		{ "we must prevent this", "other", "" },
		{ "the PREVENT board", "exploitation", "prevent" },
		/* A capital at the start of a sentence says nothing. */
		{ "Prevent it. Now", "other", "" },
		/* Lower-case phrases match any case. */
		{ "COUNTY LINES", "exploitation", "prevent" },
	};

	AN_EXPECT_ALL(cb, cases);
}
END_TEST

START_TEST(absence_is_not_negation)
{
	static const struct an_case cases[] = {
		{ "nothing for young people to do", "other", "youth" },
		{ "there is nothing for young people to do round here", "other", "youth" },
		{ "no youth clubs", "other", "youth" },
		{ "no knife crime here", "other", "" },
		/* A negation that follows. */
		{ "knife crime isnt a problem where i live", "other", "" },
		{ "knife crime is a problem", "violence", "knife" },
	};

	AN_EXPECT_ALL(cb, cases);
}
END_TEST

START_TEST(place_names)
{
	static const struct an_case cases[] = {
		{ "12 Park Road", "other", "" },
		{ "it happened on Station Road last night", "other", "" },
		{ "they hang around near the park", "other", "" },
		{ "dealing by the station", "other", "" },
		{ "the park is dirty", "other", "parks" },
		{ "the station needs lifts", "other", "transport" },
		/* All capitals is shouting, not a name. */
		{ "THE PARK IS DIRTY", "other", "parks" },
	};

	AN_EXPECT_ALL(cb, cases);
}
END_TEST

static const struct codebook_example train_ex[] = {
	{ "domestic abuse at home", 2 },
	{ "my neighbour's domestic abuse", 2 },
	{ "a knife in the park", 1 },
	{ "knife crime is everywhere", 1 },
	{ "knife crime and gangs", 1 },
	{ "gangs on every corner", 1 },
	{ "gangs with knives", 1 },
	{ "the Youth Offending Service budget", 0 },
	{ "probation and the IOM cohort", 8 },
	{ "probation officers never call back", 8 },
	{ "nothing for young people to do", 0 },
	{ "a lovely day", 0 },
};
#define NEX	(sizeof(train_ex) / sizeof(train_ex[0]))

START_TEST(model_is_deterministic)
{
	char err[256], *a, *b;
	struct codebook_hits h;

	ck_assert_int_eq(codebook_train(cb, train_ex, NEX, "t1", err, sizeof(err)), 0);
	ck_assert_int_eq(codebook_save_model(cb, "/tmp/an_test_model_a.txt", err, sizeof(err)), 0);
	ck_assert_int_eq(codebook_code(cb, "gangs everywhere", 16, &h, NULL), 0);
	ck_assert(h.modelled);
	double p = h.prob[0];
	ck_assert_int_eq(codebook_train(cb, train_ex, NEX, "t1", err, sizeof(err)), 0);
	ck_assert_int_eq(codebook_save_model(cb, "/tmp/an_test_model_b.txt", err, sizeof(err)), 0);
	a = unit_file("/tmp/an_test_model_a.txt");
	b = unit_file("/tmp/an_test_model_b.txt");
	ck_assert_str_eq(a, b);
	ck_assert_ptr_nonnull(strstr(a, "version t1\n"));
	/* The model learnt that "gang" marks violence, with no rule for it. */
	ck_assert_ptr_nonnull(strstr(a, "\nw gang\t"));
	ck_assert_double_eq(h.prob[0], p);
	ck_assert_str_eq(codebook_version_str(cb), "codebook 7, model t1");
	free(a);
	free(b);
	codebook_drop_model(cb);
	ck_assert_str_eq(codebook_version_str(cb), "codebook 7");
	remove("/tmp/an_test_model_a.txt");
	remove("/tmp/an_test_model_b.txt");
}
END_TEST

/* A theme no training answer fired keeps its prior: the fixture's prevent
 * theme is in none of train_ex, and the model still codes its phrase to
 * exploitation as the rules do, instead of not knowing the theme. */
START_TEST(unseen_theme_keeps_prior)
{
	char err[256], *a;
	struct codebook_hits h;

	ck_assert_int_eq(codebook_train(cb, train_ex, NEX, "t1", err, sizeof(err)), 0);
	ck_assert_int_eq(codebook_code(cb, "county lines everywhere", 23, &h, NULL), 0);
	ck_assert(h.modelled);
	ck_assert_uint_eq(h.areas, 4);
	ck_assert_double_gt(h.prob[2], 0.5);
	ck_assert_int_eq(codebook_save_model(cb, "/tmp/an_test_model_u.txt", err, sizeof(err)), 0);
	a = unit_file("/tmp/an_test_model_u.txt");
	ck_assert_ptr_nonnull(strstr(a, "\nt prevent\t"));
	/* Topics count towards no area and are not added. */
	ck_assert_ptr_null(strstr(a, "\nt transport\t"));
	free(a);
	remove("/tmp/an_test_model_u.txt");
}
END_TEST

/* A codebook naming a model file codes as the model it was trained as, and
 * explains each area by the features that weighed most. */
START_TEST(model_file_round_trip)
{
	struct codebook *c2 = NULL;
	struct codebook_hits h;
	char err[512], *ex = NULL;
	size_t exlen = 0;
	double p[4];
	FILE *fp;
	char *yaml = unit_file(WORDS);

	fp = fopen("/tmp/an_test_cb_model.yaml", "w");
	fprintf(fp, "model: an_test_model.txt\n%s", yaml);
	fclose(fp);
	free(yaml);
	ck_assert_int_eq(codebook_load_rules("/tmp/an_test_cb_model.yaml", &c2, err, sizeof(err)), 0);
	ck_assert_str_eq(codebook_model_path(c2), "/tmp/an_test_model.txt");
	ck_assert_int_eq(codebook_train(c2, train_ex, NEX, "t2", err, sizeof(err)), 0);
	ck_assert_int_eq(codebook_code(c2, "gangs and knives", 16, &h, NULL), 0);
	memcpy(p, h.prob, sizeof(p));
	ck_assert_int_eq(codebook_save_model(c2, codebook_model_path(c2), err, sizeof(err)), 0);
	codebook_free(c2);
	c2 = NULL;
	ck_assert_msg(codebook_load("/tmp/an_test_cb_model.yaml", &c2, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(codebook_version_str(c2), "codebook 7, model t2");
	fp = open_memstream(&ex, &exlen);
	ck_assert_int_eq(codebook_code(c2, "gangs and knives", 16, &h, fp), 0);
	fclose(fp);
	for (size_t a = 0; a < 4; a++)
		ck_assert_double_eq(h.prob[a], p[a]);
	ck_assert_msg(strstr(ex, "model violence p=") != NULL && strstr(ex, "gang") != NULL, "%s", ex);
	free(ex);
	codebook_free(c2);
	c2 = NULL;
	/* Another codebook file (one more comment) refuses the model. */
	yaml = unit_file("/tmp/an_test_cb_model.yaml");
	fp = fopen("/tmp/an_test_cb_model.yaml", "w");
	fprintf(fp, "# edited\n%s", yaml);
	fclose(fp);
	free(yaml);
	ck_assert_int_eq(codebook_load("/tmp/an_test_cb_model.yaml", &c2, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "voices-analyse train") != NULL, "%s", err);
	remove("/tmp/an_test_cb_model.yaml");
	remove("/tmp/an_test_model.txt");
}
END_TEST

/* A model file that is not exactly what train writes is refused with its
 * line. */
START_TEST(model_file_errors)
{
	static const struct { const char *body, *want; } cases[] = {
		{ "areas 4\nbias 0 0 0\n", ":2: bad bias line" },
		{ "areas 3\n", ":1: not the codebook's outcome areas" },
		{ "areas 4\nt nope\t1 1 1 1\n", ":2: unknown feature" },
		{ "areas 4\nw knife\t1 x 1 1\n", ":2: bad weights" },
		{ "areas 4\nw knife 1 1 1 1\n", ":2: expected a feature, a tab" },
		{ "areas 4\nb knife\t1 1 1 1\n", ":2: unknown feature" },
	};
	char *yaml = unit_file(WORDS), err[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct codebook *c2 = NULL;
		FILE *fp = fopen("/tmp/an_test_cb_bad.yaml", "w");
		fprintf(fp, "model: an_test_bad_model.txt\n%s", yaml);
		fclose(fp);
		fp = fopen("/tmp/an_test_bad_model.txt", "w");
		fputs(cases[i].body, fp);
		fclose(fp);
		ck_assert_int_eq(codebook_load("/tmp/an_test_cb_bad.yaml", &c2, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, cases[i].want) != NULL, "%zu: %s", i, err);
	}
	free(yaml);
	remove("/tmp/an_test_cb_bad.yaml");
	remove("/tmp/an_test_bad_model.txt");
}
END_TEST

/* A checked coding sheet gives only its corrected rows, coded as import
 * reads them. */
START_TEST(sheet_rows_as_examples)
{
	struct eval_set s = { 0 };
	char err[256];
	FILE *fp = fopen("/tmp/an_test_sheet.csv", "w");

	fprintf(fp, "response,question,text,areas,themes,rule,corrected areas,corrected themes,note\n"
	    "1,q,knife,violence,knife,x,,,\n"
	    "2,q,the DV team,other,none,x,vawg,,\n"
	    "3,q,probation,other,none,x,,iom,\n"
	    "4,q,nice park,other,parks,x,other,,\n");
	fclose(fp);
	ck_assert_msg(eval_read(cb, "/tmp/an_test_sheet.csv", &s, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(s.n, 3);
	ck_assert_str_eq(s.v[0].text, "the DV team");
	ck_assert_uint_eq(s.v[0].truth, 2);
	ck_assert_uint_eq(s.v[1].truth, 8);
	ck_assert_uint_eq(s.v[2].truth, 0);
	eval_set_free(&s);
	remove("/tmp/an_test_sheet.csv");
}
END_TEST

/* Certainty: without a model, whether a theme fired; with one, the least
 * sure area's |2p - 1|.  The sheet's queue is the rows at most half sure,
 * least sure first; then the rest in question and response order. */
START_TEST(queue_least_sure_first)
{
	struct codebook_hits h;
	char err[256];
	struct sheet_row v[5] = {
		{ .response = 1, .q = 0, .certainty = 0.9 },
		{ .response = 2, .q = 0, .certainty = 0.3 },
		{ .response = 3, .q = 1, .certainty = 0.05 },
		{ .response = 4, .q = 0, .certainty = 0.5 },
		{ .response = 5, .q = 0, .certainty = 1.0 },
	};
	struct sheet sh = { .v = v, .n = 5 };
	const int64_t want[5] = { 3, 2, 4, 1, 5 };

	ck_assert_int_eq(codebook_code(cb, "knife", 5, &h, NULL), 0);
	ck_assert(!h.modelled);
	ck_assert_double_eq(h.certainty, 1.0);
	ck_assert_int_eq(codebook_code(cb, "a lovely day", 12, &h, NULL), 0);
	ck_assert_double_eq(h.certainty, 0.0);
	ck_assert_int_eq(codebook_train(cb, train_ex, NEX, "t3", err, sizeof(err)), 0);
	ck_assert_int_eq(codebook_code(cb, "gangs", 5, &h, NULL), 0);
	ck_assert(h.modelled);
	ck_assert(h.certainty >= 0 && h.certainty < 1);
	sheet_sort(&sh);
	for (size_t i = 0; i < 5; i++)
		ck_assert_int_eq(v[i].response, want[i]);
}
END_TEST

/* Replaces the fixture's codebook with the shipped rules (no model). */
static void
shipped_rules(void)
{
	char err[512];

	codebook_free(cb);
	cb = NULL;
	ck_assert_msg(codebook_load_rules("analysis/codebook.yaml", &cb, err, sizeof(err)) == 0,
	    "%s", err);
}

/* The shipped rules: the police or the partnership named as institutions is
 * not public trust, how people meet them is; organisation names are not
 * topics. */
/* The surveys' 'outcome:' names (core/outcome.c) are the codebook's areas. */
START_TEST(areas_are_the_surveys_outcomes)
{
	shipped_rules();
	ck_assert_uint_eq(codebook_nareas(cb), outcome_nareas);
	for (size_t i = 0; i < outcome_nareas; i++)
		ck_assert_str_eq(codebook_area(cb, i), outcome_areas[i]);
}
END_TEST

START_TEST(institutions_are_not_trust)
{
	static const struct an_case cases[] = {
		{ "The police and the council will report to the board quarterly.",
		    "other", NULL },
		{ "Each ward has 2 dedicated ward officers and a PCSO.", "other", NULL },
		{ "Trust and an understanding of the challenges each organisation faces.",
		    "other", NULL },
		{ "the police never come when we call", "trust", NULL },
		{ "I dont trust the police", "trust", NULL },
		{ "police", "trust", NULL },
		{ "more police on the streets at night", "trust", NULL },
		{ "The review of the ASB team found 12 staff.", "other", NULL },
		{ "neighbours play loud music every night", "victims", NULL },
		{ "the drug dealers on the stairs", "victims", NULL },
		{ "dealing with difficult issues together", "other", NULL },
	};

	shipped_rules();
	AN_EXPECT_ALL(cb, cases);
}
END_TEST

/* The shipped rules, codebook 4: a sentence about running the partnership
 * (boards, MOPAC, funding) vetoes the trust themes through their `without`
 * words; young people's words for violence; "without getting" is a fear;
 * "coming out of" is not release, and a mosque named is not hate crime. */
START_TEST(governance_and_slang)
{
	static const struct an_case cases[] = {
		{ "The Police go through MOPAC 7 every month - the CSP should not become another "
		    "accounting body.", "other", NULL },
		{ "A monthly meeting with a senior officer to share information.", "other", NULL },
		{ "the police came to our residents meeting and listened", "trust", NULL },
		{ "nobody trusts the police round here", "trust", NULL },
		{ "they ride out on the opps every weekend", "violence", NULL },
		{ "mans just tryna get home without getting robbed", "violence", NULL },
		{ "my cousin went OT for his olders", "exploitation", NULL },
		{ "i got stopped and searched coming out of the mosque", "trust", NULL },
	};

	shipped_rules();
	AN_EXPECT_ALL(cb, cases);
}
END_TEST

/* Codebook 5: a service, a dashboard or a plan named as a heading is
 * governance; "older" is not "olders"; young people's "carry" is a weapon
 * and "carry out" is not; an officer is the police only when said so. */
START_TEST(codebook5_rules)
{
	static const struct an_case cases[] = {
		{ "It is worth noting that the YOS has 57 staff of which 40 are grant funded.",
		    "other", NULL },
		{ "yos worker helped me stay out of trouble", "reoffending", NULL },
		{ "MPS Dashboards: Hate Crime, Domestic Abuse, Knife Crime, Gun Crime",
		    "other", NULL },
		{ "The VRU will lead in co-ordinating a consistent approach for London",
		    "other", NULL },
		{ "my older brother walks me to school", "other", NULL },
		{ "the olders make the youngers hold stuff", "exploitation", NULL },
		{ "most people dont want to carry, they just dont feel safe", "violence", NULL },
		{ "A CSP Executive will be set up to carry out this agenda planning role.",
		    "other", NULL },
		{ "Haringey STAT has been a good idea in engaging officers around salient issues.",
		    "other", NULL },
		{ "the officers were rude to my son", "trust", NULL },
		{ "phone snatched outside the tube by someone on a bike", "victims", NULL },
		{ "andrew tate has boys thinking girls are property", "vawg", NULL },
		{ "i trust my football coach more than anyone", "other", NULL },
	};

	shipped_rules();
	AN_EXPECT_ALL(cb, cases);
}
END_TEST

/* Codebook 6: exploitation said indirectly (debts, runs, unexplained phones
 * with a child gone missing), girls' experiences of control and messages,
 * and punishment called for that is not reoffending.  None of these answers
 * is in the corpus. */
START_TEST(codebook6_rules)
{
	static const struct an_case cases[] = {
		{ "my little brother keeps disappearing for days and coming back with a new phone",
		    "exploitation", NULL },
		{ "i got a new phone for my birthday", "other", NULL },
		{ "he owes the olders for a pack that got taken", "exploitation", NULL },
		{ "i owe my sister money for the cinema", "other", NULL },
		{ "kids doing runs for the olders after school", "exploitation", NULL },
		{ "been shotting round the block since year 8", "exploitation", NULL },
		{ "the youth club has no plug sockets", "other", NULL },
		{ "her ex keeps messaging her from fake accounts", "vawg", NULL },
		{ "lock up anyone caught with a blade", "violence", NULL },
		{ "my uncle got sent down and when he came out nobody would hire him", "reoffending", NULL },
		{ "i got mugged and nobody offered any support after", "violence,victims", NULL },
		{ "police treat us like gang members", "trust", NULL },
	};

	shipped_rules();
	AN_EXPECT_ALL(cb, cases);
}
END_TEST

/* The shipped codebook on the development corpus, 5-fold cross-validated
 * (every answer coded by a model trained on the other four fifths, as
 * `evaluate --cv 5`): floors a little below what was measured with
 * codebook 7 on the 1553 answers of corpus version 5 (macro-F1 0.943,
 * lowest precision 0.904, lowest recall 0.946, registers official 0.916 /
 * residents 0.958 / young 0.939; codebook 6 on the same answers: 0.905,
 * 0.888, 0.793, 0.916 / 0.935 / 0.845), so a change that makes coding worse
 * fails here.  These are not unseen figures: the
 * codebook was written reading these answers. */
START_TEST(cv_floor)
{
	struct codebook *real = NULL;
	struct codebook_example *ex;
	struct eval_set s = { 0 };
	struct eval e;
	char err[512];
	const size_t k = 5;

	ck_assert_msg(codebook_load_rules("analysis/codebook.yaml", &real, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_msg(eval_read(real, "analysis/corpus/dev.csv", &s, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_uint_eq(s.n, 1553);
	ck_assert_ptr_nonnull(ex = calloc(s.n, sizeof(*ex)));
	for (size_t f = 0; f < k; f++) {
		size_t m = 0;
		for (size_t i = 0; i < s.n; i++)
			if (i % k != f)
				ex[m].text = s.v[i].text, ex[m++].areas = s.v[i].truth;
		ck_assert_int_eq(codebook_train(real, ex, m, "cv", err, sizeof(err)), 0);
		for (size_t i = f; i < s.n; i += k) {
			struct eval_set one = s;
			one.v = &s.v[i], one.n = 1;
			ck_assert_int_eq(eval_code(real, &one, NULL), 0);
		}
	}
	eval_init(&e, codebook_nareas(real));
	eval_tally(&s, -1, &e);
	ck_assert_msg(eval_macro_f1(&e) >= 0.93, "macro-F1 %.3f", eval_macro_f1(&e));
	for (size_t a = 0; a < e.nareas; a++)
		ck_assert_msg(eval_precision(&e.c[a]) >= 0.87 && eval_recall(&e.c[a]) >= 0.90,
		    "%s precision %.3f recall %.3f", codebook_area(real, a),
		    eval_precision(&e.c[a]), eval_recall(&e.c[a]));
	for (size_t r = 0; r < s.nregs; r++) {
		eval_init(&e, codebook_nareas(real));
		eval_tally(&s, (int)r, &e);
		ck_assert_msg(eval_macro_f1(&e) >= 0.90, "%s macro-F1 %.3f", s.regs[r],
		    eval_macro_f1(&e));
	}
	free(ex);
	eval_set_free(&s);
	codebook_free(real);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("coding");
	TCase *tc = tcase_create("generalise");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);	/* cv_floor trains five models on 1553 answers */
	tcase_add_test(tc, gap_tolerant_phrases);
	tcase_add_test(tc, acronyms_by_case);
	tcase_add_test(tc, absence_is_not_negation);
	tcase_add_test(tc, place_names);
	tcase_add_test(tc, model_is_deterministic);
	tcase_add_test(tc, unseen_theme_keeps_prior);
	tcase_add_test(tc, model_file_round_trip);
	tcase_add_test(tc, model_file_errors);
	tcase_add_test(tc, sheet_rows_as_examples);
	tcase_add_test(tc, queue_least_sure_first);
	tcase_add_test(tc, areas_are_the_surveys_outcomes);
	tcase_add_test(tc, institutions_are_not_trust);
	tcase_add_test(tc, governance_and_slang);
	tcase_add_test(tc, codebook5_rules);
	tcase_add_test(tc, codebook6_rules);
	tcase_add_test(tc, cv_floor);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK_GETENV);
}
