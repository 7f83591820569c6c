/* Tests for a grid question in the survey form (cgi/flow_grid.c, flow.c):
 * hostile POST bodies parsed as the app parses them, then checked against
 * the survey model.  A field naming a row the grid does not have makes the
 * form a 400; an unknown code or a row answered twice is a form error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "flow.h"
#include "form.h"
#include "unit_survey.h"

#define SURVEY	"id: t\ntitle: T\npages:\n  - id: p\n    questions:\n" \
	"      - id: worry\n        type: grid\n        text: How worried are you?\n" \
	"        required: true\n" \
	"        options: [{code: '1', text: Not worried}, {code: '2', text: Worried}]\n" \
	"        rows: [{id: knife, text: Knife crime}, {id: asb, text: Anti-social behaviour}]\n" \
	"      - {id: other, type: single, text: O, options: [{code: y, text: Y}]}\n" \
	"      - {id: rank, type: ranking, text: R, options: [{code: a, text: A}, {code: b, text: B}]}\n"

static void
setup(void)
{
	form_open(SURVEY);
}

/* Takes every field of body as flow_parse does: the first non-zero result. */
static int
take(const char *body)
{
	struct flow	 f;
	struct kvlist	 kv;
	int		 rc;

	memset(&f, 0, sizeof(f));
	f.s = form.s;
	ck_assert_int_eq(form_parse(body, strlen(body), NULL, form.a, &kv), FORM_OK);
	for (size_t i = 0; i < kv.n; i++)
		if ((rc = flow_take_field(&f, &form.as, &kv.v[i])) != 0)
			return rc;
	return 0;
}

static enum answer_err
check(const char *id)
{
	return survey_check_shown(form.s, qi(form.s, id), &form.as);
}

START_TEST(rows_taken)
{
	ck_assert_int_eq(take("worry.knife=2&worry.asb=1&other=y"), 0);
	ck_assert_uint_eq(form.as.n, 3);
	ck_assert_int_eq(answer_set_has(&form.as, qi(form.s, "knife"), "2"), 1);
	ck_assert_int_eq(check("worry"), AE_OK);
	ck_assert_int_eq(check("knife"), AE_OK);
	ck_assert_int_eq(check("asb"), AE_OK);
}
END_TEST

START_TEST(required_rows)
{
	ck_assert_int_eq(take("worry.knife=2&worry.asb=%20"), 0);	/* blank: unanswered */
	ck_assert_int_eq(check("knife"), AE_OK);
	ck_assert_int_eq(check("asb"), AE_REQUIRED);
}
END_TEST

START_TEST(unknown_row_refused)
{
	ck_assert_int_eq(take("worry.knife=2&worry.burglary=1"), 1);
	answer_set_free(&form.as);
	memset(&form.as, 0, sizeof(form.as));
	ck_assert_int_eq(take("worry.other=y"), 1);	/* a question, but not a row */
	ck_assert_int_eq(take("worry.worry=1"), 1);
	ck_assert_int_eq(take("worry.=1"), 1);
	ck_assert_int_eq(take("worry.knife.x=1"), 1);
	ck_assert_uint_eq(form.as.n, 0);
}
END_TEST

START_TEST(bare_names_ignored)
{
	/* A row is only answered as grid.row; the grid's own name carries nothing. */
	ck_assert_int_eq(take("knife=2&worry=1&asb.worry=1"), 0);
	ck_assert_uint_eq(form.as.n, 0);
}
END_TEST

START_TEST(unknown_code_is_form_error)
{
	ck_assert_int_eq(take("worry.knife=9&worry.asb=1"), 0);
	ck_assert_int_eq(check("knife"), AE_UNKNOWN_OPTION);
	ck_assert_int_eq(check("asb"), AE_OK);
}
END_TEST

START_TEST(repeated_row_is_form_error)
{
	ck_assert_int_eq(take("worry.knife=1&worry.knife=2&worry.asb=1"), 0);
	ck_assert_int_eq(check("knife"), AE_TOO_MANY);
	ck_assert_int_eq(take("worry.asb=1"), 0);	/* the same answer twice, too */
	ck_assert_int_eq(check("asb"), AE_TOO_MANY);
}
END_TEST

START_TEST(too_many_fields)
{
	char	*body = malloc(700 * 16);
	size_t	 n = 0;

	ck_assert_ptr_nonnull(body);
	for (int i = 0; i < 700; i++)
		n += (size_t)sprintf(body + n, "%sworry.knife=1", i ? "&" : "");
	struct kvlist kv;
	ck_assert_int_eq(form_parse(body, n, NULL, form.a, &kv), FORM_TOO_MANY);
	free(body);
}
END_TEST

/* The name a hidden field or a draft gives an answer is read back as the same answer. */
START_TEST(field_names_round_trip)
{
	struct answer	 a = { qi(form.s, "asb"), "2", 0 };
	struct answer	 r = { qi(form.s, "rank"), "b", 1 };
	struct answer	 o = { qi(form.s, "other"), "y", 0 };

	ck_assert_str_eq(flow_field_name(form.a, form.s, &a), "worry.asb");
	ck_assert_str_eq(flow_field_name(form.a, form.s, &r), "rank.b");
	ck_assert_str_eq(flow_field_name(form.a, form.s, &o), "other");
	ck_assert_int_eq(take("worry.asb=2"), 0);
	ck_assert_uint_eq(form.as.v[0].q, a.q);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("grid_form");
	TCase	*tc = tcase_create("grid_form");

	tcase_add_checked_fixture(tc, setup, form_close);
	tcase_add_test(tc, rows_taken);
	tcase_add_test(tc, required_rows);
	tcase_add_test(tc, unknown_row_refused);
	tcase_add_test(tc, bare_names_ignored);
	tcase_add_test(tc, unknown_code_is_form_error);
	tcase_add_test(tc, repeated_row_is_form_error);
	tcase_add_test(tc, too_many_fields);
	tcase_add_test(tc, field_names_round_trip);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK_GETENV);
}
