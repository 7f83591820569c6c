/* Tests for the data dictionary (core/datadict.c): its columns, the
 * response's own fields, one row per code with its "missing" flag, who was
 * asked each question (a page's and a question's show_if, any_of and
 * none_of), number and ranking limits, info left out, every cell escaped
 * for a spreadsheet, and the byte order mark on request. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datadict.h"
#include "survey.h"
#include "unit.h"

static const char SURVEY[] =
    "id: dict-test\n"
    "version: 1\n"
    "kind: survey\n"
    "audience: resident\n"
    "languages:\n"
    "  - {code: en, name: English}\n"
    "title: Dictionary\n"
    "intro: Test.\n"
    "privacy: Test.\n"
    "done: Thanks.\n"
    "pages:\n"
    "  - id: first\n"
    "    questions:\n"
    "      - {id: note, type: info, text: Read this.}\n"
    "      - id: safe\n"
    "        type: scale\n"
    "        required: true\n"
    "        text: \"How safe, \\\"really\\\"?\"\n"
    "        options:\n"
    "          - {code: \"1\", text: Unsafe}\n"
    "          - {code: \"2\", text: \"=SUM(A1)\"}\n"
    "          - {code: dk, text: Don't know, missing: true}\n"
    "  - id: second\n"
    "    show_if: {question: safe, any_of: [\"1\", dk]}\n"
    "    questions:\n"
    "      - id: why\n"
    "        type: multi\n"
    "        max_choices: 2\n"
    "        show_if: {question: safe, none_of: [dk]}\n"
    "        text: Why?\n"
    "        options:\n"
    "          - {code: dark, text: Dark}\n"
    "          - {code: empty, text: Empty}\n"
    "          - {code: other, text: Other}\n"
    "      - {id: times, type: number, min: 0, max: 50, text: How many times?}\n"
    "      - id: order\n"
    "        type: ranking\n"
    "        rank: 2\n"
    "        text: Put in order\n"
    "        options:\n"
    "          - {code: a, text: A}\n"
    "          - {code: b, text: B}\n"
    "          - {code: c, text: C}\n"
    "      - {id: say, type: longtext, text: Anything else?}\n";

static struct survey_set *set;
static char path[128];

static void
setup(void)
{
	char err[512];
	const char *paths[1] = { path };

	snprintf(path, sizeof path, "%s", unit_write(unit_scratch(), "s.yaml", SURVEY));
	ck_assert_msg(survey_set_load_files(paths, 1, NULL, &set, err, sizeof err) == 0, "%s", err);
}

static void
teardown(void)
{
	survey_set_free(set);
	unlink(path);
}

static char *
dict(int bom)
{
	struct buf b = BUF_INIT;

	datadict_csv(survey_find(set, "dict-test"), &b, bom);
	ck_assert(!buf_failed(&b));
	return b.p;
}

/* 1 when line (without its CRLF) is one of the dictionary's lines. */
static int
has_line(const char *d, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = d; p != NULL && *p; p = strstr(p, "\r\n"), p = p ? p + 2 : NULL)
		if (strncmp(p, line, n) == 0 && strncmp(p + n, "\r\n", 2) == 0)
			return 1;
	return 0;
}

START_TEST(test_columns_and_response_fields)
{
	char *d = dict(0);

	static const char head[] = "\"field\",\"page\",\"type\",\"question\",\"code\","
	    "\"label\",\"missing\",\"asked_of\",\"required\",\"min\",\"max\",\"max_choices\","
	    "\"rank\"\r\n";

	ck_assert(strncmp(d, head, sizeof head - 1) == 0);
	ck_assert(has_line(d, "\"channel\",\"\",\"response\",\"Where the response came from "
	    "(the link's ?c=)\",\"paper\",\"paper\",\"\",\"every response\",\"\",\"\",\"\",\"\",\"\""));
	ck_assert(has_line(d, "\"language\",\"\",\"response\",\"The language the survey was answered "
	    "in\",\"en\",\"English\",\"\",\"every response\",\"\",\"\",\"\",\"\",\"\""));
	ck_assert_ptr_nonnull(strstr(d, "\r\n\"day\","));
	ck_assert_ptr_nonnull(strstr(d, "\r\n\"version\","));
	free(d);
}
END_TEST

START_TEST(test_codes_missing_escaped)
{
	char *d = dict(0);

	ck_assert(has_line(d, "\"safe\",\"first\",\"scale\",\"How safe, \"\"really\"\"?\",\"1\","
	    "\"Unsafe\",\"no\",\"everyone\",\"yes\",\"\",\"\",\"\",\"\""));
	/* A label a spreadsheet would run as a formula is neutralised. */
	ck_assert(has_line(d, "\"safe\",\"first\",\"scale\",\"How safe, \"\"really\"\"?\",\"2\","
	    "\"'=SUM(A1)\",\"no\",\"everyone\",\"yes\",\"\",\"\",\"\",\"\""));
	ck_assert(has_line(d, "\"safe\",\"first\",\"scale\",\"How safe, \"\"really\"\"?\",\"dk\","
	    "\"Don't know\",\"yes\",\"everyone\",\"yes\",\"\",\"\",\"\",\"\""));
	ck_assert_ptr_null(strstr(d, "\"note\""));	/* info asks nothing */
	free(d);
}
END_TEST

START_TEST(test_asked_of_and_limits)
{
	char *d = dict(0);

	ck_assert(has_line(d, "\"why\",\"second\",\"multi\",\"Why?\",\"empty\",\"Empty\",\"no\","
	    "\"safe is any of 1, dk and safe is none of dk\",\"no\",\"\",\"\",\"2\",\"\""));
	ck_assert(has_line(d, "\"times\",\"second\",\"number\",\"How many times?\",\"\",\"\",\"\","
	    "\"safe is any of 1, dk\",\"no\",\"0\",\"50\",\"\",\"\""));
	ck_assert(has_line(d, "\"order\",\"second\",\"ranking\",\"Put in order\",\"c\",\"C\",\"no\","
	    "\"safe is any of 1, dk\",\"no\",\"\",\"\",\"\",\"2\""));
	ck_assert(has_line(d, "\"say\",\"second\",\"longtext\",\"Anything else?\",\"\",\"\",\"\","
	    "\"safe is any of 1, dk\",\"no\",\"\",\"\",\"\",\"\""));
	free(d);
}
END_TEST

START_TEST(test_bom)
{
	char *d = dict(1), *plain = dict(0);

	ck_assert(strncmp(d, "\xef\xbb\xbf\"field\",", 11) == 0);
	ck_assert_str_eq(d + 3, plain);
	free(d);
	free(plain);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("datadict");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_columns_and_response_fields);
	tcase_add_test(tc, test_codes_missing_escaped);
	tcase_add_test(tc, test_asked_of_and_limits);
	tcase_add_test(tc, test_bom);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK);
}
