/* Tests for the codebook: loading, stemming, phrases, negation, exclusions,
 * context words, multi-label results and the coded-sample metrics. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_unit.h"
#include "codebook.h"
#include "evaluate.h"

#define MINI	AN_FIX "/codebook-mini.yaml"

static struct codebook *cb;

static void
setup(void)
{
	cb = an_codebook(MINI);
}

static void
teardown(void)
{
	codebook_free(cb);
}

START_TEST(loads)
{
	ck_assert_int_eq(codebook_version(cb), 3);
	ck_assert_uint_eq(codebook_nareas(cb), 3);
	ck_assert_str_eq(codebook_area(cb, 1), "trust");
	ck_assert_int_eq(codebook_theme_index(cb, "drugs"), 3);
	ck_assert_int_eq(codebook_area_index(cb, "nope"), -1);
}
END_TEST

START_TEST(stemming_and_case)
{
	static const struct an_case cases[] = {
		{ "Two STABBINGS last week", "violence", "knife" },
		{ "he got shanked", "violence", "knife" },
		{ "The Police", "trust", "police" },
		{ "Policing", "trust", "police" },	/* both stem to "polic" */
	};

	AN_EXPECT_ALL(cb, cases);
}
END_TEST

START_TEST(phrases)
{
	static const struct an_case cases[] = {
		{ "drug dealing on the stairs", "victims", "drugs" },
		{ "the dealing of cards", "other", "" },
		{ "the street-lights are out", "other", "lights" },
		{ "E-scooters on the pavement", "other", "lights" },
		{ "the police never come", "trust", "response,police" },
	};

	AN_EXPECT_ALL(cb, cases);
}
END_TEST

START_TEST(negation)
{
	static const struct an_case cases[] = {
		{ "no problem with drugs", "other", "" },
		{ "it's not about the police", "other", "" },
		{ "I don't think knives are the issue", "other", "" },
		{ "not only knives but drugs", "violence,victims", "knife,drugs" },
		{ "no more knives", "violence", "knife" },
		/* Four words away is outside the window. */
		{ "no one I know carries knives", "violence", "knife" },
		/* A clause break stops the window. */
		{ "no, knives", "violence", "knife" },
		{ "not me but knives", "violence", "knife" },
		/* Negation kept where it is the point. */
		{ "nobody listens", "trust", "response" },
	};

	AN_EXPECT_ALL(cb, cases);
}
END_TEST

START_TEST(exclusions_and_context)
{
	static const struct an_case cases[] = {
		{ "a knife and fork", "other", "" },
		{ "knife and fork and a knife", "violence", "knife" },
		{ "the women", "other", "" },
		{ "women feel unsafe", "violence,victims", "unsafe-women" },
		/* An outcome area's phrase that is the whole answer is its own context. */
		{ "women", "violence,victims", "unsafe-women" },
	};

	AN_EXPECT_ALL(cb, cases);
}
END_TEST

START_TEST(multi_label_and_other)
{
	static const struct an_case cases[] = {
		{ "knife crime, drugs and the police",
		    "violence,trust,victims", "knife,police,drugs" },
		{ "", "other", "" },
		{ "\xff\xfe broken bytes knives", "violence", "knife" },
		{ "caf\xc3\xa9 KNIVES \xe2\x80\x94 d\xc3\xa9j\xc3\xa0 vu", "violence", "knife" },
	};

	AN_EXPECT_ALL(cb, cases);
}
END_TEST

START_TEST(apostrophes)
{
	static const struct an_case cases[] = {
		{ "don\xe2\x80\x99t worry about drugs", "other", "" },
		{ "dont worry about drugs", "other", "" },
	};

	AN_EXPECT_ALL(cb, cases);
}
END_TEST

START_TEST(areas_parse)
{
	uint32_t a;
	char bad[32];

	ck_assert_int_eq(codebook_areas_parse(cb, "violence, victims", &a, bad, sizeof(bad)), 0);
	ck_assert_uint_eq(a, 5);
	ck_assert_int_eq(codebook_areas_parse(cb, "other", &a, bad, sizeof(bad)), 0);
	ck_assert_uint_eq(a, 0);
	ck_assert_int_eq(codebook_areas_parse(cb, "violence,vawg", &a, bad, sizeof(bad)), -1);
	ck_assert_str_eq(bad, "vawg");
}
END_TEST

START_TEST(explain_says_why)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	struct codebook_hits h;
	const char *t = "no problem with drugs";

	ck_assert_int_eq(codebook_code(cb, t, strlen(t), &h, fp), 0);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(out, "negated by \"no\""));
	free(out);
}
END_TEST

START_TEST(load_errors)
{
	struct codebook *c = NULL;
	char err[256];
	FILE *fp = fopen("/tmp/an_test_cb_bad.yaml", "w");

	ck_assert_ptr_nonnull(fp);
	fputs("version: 1\nframes:\n  - {id: outcomes, title: A, codes: [{id: a, title: A}]}\n"
	    "themes:\n  - {id: t, frame: outcomes, code: a, phrases: [x], exclud: [y]}\n", fp);
	fclose(fp);
	ck_assert_int_eq(codebook_load("/tmp/an_test_cb_bad.yaml", &c, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, ":5: unknown key 'exclud'") != NULL, "%s", err);
	ck_assert_int_eq(codebook_load("/nonexistent.yaml", &c, err, sizeof(err)), -1);
	remove("/tmp/an_test_cb_bad.yaml");
}
END_TEST

START_TEST(metrics)
{
	struct eval e;

	eval_init(&e, 1);
	for (int i = 0; i < 8; i++)
		eval_add(&e, 1, 1);	/* tp 8 */
	eval_add(&e, 0, 1);		/* fp 1 */
	eval_add(&e, 1, 0);		/* fn 1 */
	for (int i = 0; i < 10; i++)
		eval_add(&e, 0, 0);	/* tn 10 */
	ck_assert_double_eq_tol(eval_precision(&e.c[0]), 8.0 / 9.0, 1e-9);
	ck_assert_double_eq_tol(eval_recall(&e.c[0]), 8.0 / 9.0, 1e-9);
	ck_assert_double_eq_tol(eval_f1(&e.c[0]), 8.0 / 9.0, 1e-9);
	/* po = 0.9, pe = (9*9 + 11*11) / 400 = 0.505, kappa = 0.395 / 0.495 */
	ck_assert_double_eq_tol(eval_kappa(&e.c[0]), 0.395 / 0.495, 1e-9);
	ck_assert_int_eq(e.exact, 18);
}
END_TEST

/* An area no answer belongs to has no recall or F1: it prints n/a, not
 * 0.000 [nan,nan], and the macro-F1 is over the other areas. */
START_TEST(unsupported_area)
{
	struct eval_row rows[2] = {
		{ .id = "a", .text = "x", .truth = 1, .pred = 1, .reg = 0 },
		{ .id = "b", .text = "y", .truth = 0, .pred = 0, .reg = 0 },
	};
	struct eval_set s = { .v = rows, .n = 2, .regs = { "young" }, .nregs = 1 };
	static const char *const want[] = {
		"n/a", "macro-F1       1.000", "over the 1 areas with answers",
	};
	struct eval e;
	char *out = NULL;
	size_t len = 0;
	FILE *fp;

	eval_init(&e, codebook_nareas(cb));
	eval_tally(&s, -1, &e);
	ck_assert_uint_eq(eval_supported(&e), 1);
	ck_assert_double_eq_tol(eval_macro_f1(&e), 1.0, 1e-9);
	ck_assert_ptr_nonnull(fp = open_memstream(&out, &len));
	eval_print(cb, &s, fp);
	fclose(fp);
	ck_assert_msg(strstr(out, "nan") == NULL, "%s", out);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(strstr(out, want[i]) != NULL, "no \"%s\" in %s", want[i], out);
	free(out);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("codebook");
	TCase *tc = tcase_create("matching");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, loads);
	tcase_add_test(tc, stemming_and_case);
	tcase_add_test(tc, phrases);
	tcase_add_test(tc, negation);
	tcase_add_test(tc, exclusions_and_context);
	tcase_add_test(tc, multi_label_and_other);
	tcase_add_test(tc, apostrophes);
	tcase_add_test(tc, areas_parse);
	tcase_add_test(tc, explain_says_why);
	tcase_add_test(tc, load_errors);
	tcase_add_test(tc, metrics);
	tcase_add_test(tc, unsupported_area);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK);
}
