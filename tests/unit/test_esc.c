/* Tests for the output escapers, UTF-8 checks, the arena and the buffer. */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "esc.h"
#include "unit.h"

#define HOSTILE		"\0\"&'<>"
#define HOSTILE_LEN	6
#define FFFD		"\xEF\xBF\xBD"

/* Escapes s[0..n) for one context and compares with the expected output. */
static void
expect(enum esc_to to, const char *s, size_t n, const char *want)
{
	struct buf	b = BUF_INIT;

	esc(&b, to, s, n);
	ck_assert(!buf_failed(&b));
	ck_assert_str_eq(b.p != NULL ? b.p : "", want);	/* NULL until an append */
	ck_assert_uint_eq(b.len, strlen(want));
	buf_free(&b);
}

/* One escaper's input and what it must write. */
struct esc_case {
	enum esc_to	 to;
	const char	*in;
	size_t		 n;
	const char	*want;
};

/* A string literal as in and n: its bytes, NULs included. */
#define LIT(lit)	(lit), sizeof(lit) - 1

/* Runs each of the n cases (expect). */
static void
expect_all(const struct esc_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		expect(c[i].to, c[i].in, c[i].n, c[i].want);
}

#define EXPECT_ALL(cases)	expect_all((cases), sizeof(cases) / sizeof((cases)[0]))

START_TEST(html_hostile)
{
	static const struct esc_case cases[] = {
		{ ESC_HTML, HOSTILE, HOSTILE_LEN, "&quot;&amp;&#39;&lt;&gt;" },
		{ ESC_HTML, LIT("plain text"), "plain text" },
		{ ESC_HTML, LIT(""), "" },
		{ ESC_HTML, LIT("<script>alert(1)</script>"),
		    "&lt;script&gt;alert(1)&lt;/script&gt;" },
		{ ESC_HTML, LIT("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
		    "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80" },
	};

	EXPECT_ALL(cases);
}
END_TEST

/* Each invalid form, and what the maximal-subpart rule makes of it. */
static const struct {
	const char	*in;
	size_t		 n;
	const char	*out;
} bad_utf8[] = {
	{ "\x80", 1, FFFD },				/* lone continuation */
	{ "a\xBFz", 3, "a" FFFD "z" },
	{ "\xC0\xAF", 2, FFFD FFFD },			/* overlong '/' */
	{ "\xC1\xBF", 2, FFFD FFFD },
	{ "\xE0\x80\xAF", 3, FFFD FFFD FFFD },		/* overlong, 3 bytes */
	{ "\xF0\x80\x80\xAF", 4, FFFD FFFD FFFD FFFD },	/* overlong, 4 bytes */
	{ "\xED\xA0\x80", 3, FFFD FFFD FFFD },		/* surrogate D800 */
	{ "\xED\xBF\xBF", 3, FFFD FFFD FFFD },		/* surrogate DFFF */
	{ "\xF4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD },	/* U+110000 */
	{ "\xF5\x80\x80\x80", 4, FFFD FFFD FFFD FFFD },
	{ "\xFF", 1, FFFD },
	{ "\xE2\x82", 2, FFFD },			/* truncated at the end */
	{ "\xE2\x82" "A", 3, FFFD "A" },		/* truncated before ASCII */
	{ "\xF0\x9F\x98", 3, FFFD },
	{ "\xC3", 1, FFFD },
	{ "\xC3\xC3\xA9", 3, FFFD "\xC3\xA9" },
};

START_TEST(invalid_utf8_html)
{
	expect(ESC_HTML, bad_utf8[_i].in, bad_utf8[_i].n, bad_utf8[_i].out);
	ck_assert(!utf8_valid(bad_utf8[_i].in, bad_utf8[_i].n));
}
END_TEST

START_TEST(invalid_utf8_everywhere)
{
	static const struct esc_case cases[] = {
		{ ESC_URL, LIT("\xC0\xAF"), "%EF%BF%BD%EF%BF%BD" },
		{ ESC_CSV, LIT("\xED\xA0\x80x"), "\"" FFFD FFFD FFFD "x\"" },
		{ ESC_JSON, LIT("\xF4\x90\x80\x80"), FFFD FFFD FFFD FFFD },
		{ ESC_JSON, LIT("a\xE2\x82"), "a" FFFD },
	};

	EXPECT_ALL(cases);
}
END_TEST

START_TEST(url_component)
{
	static const struct esc_case cases[] = {
		{ ESC_URL, HOSTILE, HOSTILE_LEN, "%22%26%27%3C%3E" },
		{ ESC_URL, LIT("AZaz09-._~"), "AZaz09-._~" },
		{ ESC_URL, LIT("a b/c?d=e&f#g+h%"), "a%20b%2Fc%3Fd%3De%26f%23g%2Bh%25" },
		{ ESC_URL, LIT("caf\xC3\xA9"), "caf%C3%A9" },
		{ ESC_URL, LIT("\xE2\x82\xAC\xF0\x9F\x98\x80"), "%E2%82%AC%F0%9F%98%80" },
		{ ESC_URL, LIT("\n\x7F"), "%0A%7F" },
	};

	EXPECT_ALL(cases);
}
END_TEST

START_TEST(csv_cell)
{
	static const struct esc_case cases[] = {
		{ ESC_CSV, HOSTILE, HOSTILE_LEN, "\"\"\"&'<>\"" },
		{ ESC_CSV, LIT(""), "\"\"" },
		{ ESC_CSV, LIT("plain"), "\"plain\"" },
		{ ESC_CSV, LIT("say \"hi\""), "\"say \"\"hi\"\"\"" },
		{ ESC_CSV, LIT("two\nlines\r\n"), "\"two\nlines\r\n\"" },
		{ ESC_CSV, LIT("a=1"), "\"a=1\"" },
	};

	EXPECT_ALL(cases);
}
END_TEST

START_TEST(csv_formula)
{
	static const struct esc_case cases[] = {
		{ ESC_CSV, LIT("=1+2"), "\"'=1+2\"" },
		{ ESC_CSV, LIT("+1"), "\"'+1\"" },
		{ ESC_CSV, LIT("-1"), "\"'-1\"" },
		{ ESC_CSV, LIT("@SUM(A1)"), "\"'@SUM(A1)\"" },
		{ ESC_CSV, LIT("\t=1"), "\"'\t=1\"" },
		{ ESC_CSV, LIT("\r=1"), "\"'\r=1\"" },
		{ ESC_CSV, LIT("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"" },
		/* NUL is dropped, so the cell really starts with '='. */
		{ ESC_CSV, LIT("\0\0=1"), "\"'=1\"" },
	};

	EXPECT_ALL(cases);
}
END_TEST

START_TEST(json_string)
{
	static const struct esc_case cases[] = {
		{ ESC_JSON, HOSTILE, HOSTILE_LEN, "\\\"\\u0026'\\u003c\\u003e" },
		{ ESC_JSON, LIT("a\\b/c"), "a\\\\b/c" },
		{ ESC_JSON, LIT("\n\r\t\b\f"), "\\n\\r\\t\\b\\f" },
		{ ESC_JSON, LIT("\x01\x1F\x0B"), "\\u0001\\u001f\\u000b" },
		{ ESC_JSON, LIT("</script>"), "\\u003c/script\\u003e" },
		{ ESC_JSON, LIT("\xE2\x80\xA8\xE2\x80\xA9"), "\\u2028\\u2029" },
		{ ESC_JSON, LIT("caf\xC3\xA9"), "caf\xC3\xA9" },
	};

	EXPECT_ALL(cases);
}
END_TEST

START_TEST(utf8_checks)
{
	ck_assert(utf8_valid("", 0));
	ck_assert(utf8_valid("plain", 5));
	ck_assert(utf8_valid("\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF", 10));
	ck_assert(utf8_valid("\xF0\x90\x80\x80\xF4\x8F\xBF\xBF", 8));
	ck_assert(utf8_valid("\xED\x9F\xBF\xEE\x80\x80", 6));
	ck_assert(!utf8_valid("a\0b", 3));
	ck_assert_uint_eq(utf8_len("", 0), 0);
	ck_assert_uint_eq(utf8_len("h\xC3\xA9llo\xF0\x9F\x98\x80", 10), 6);
	ck_assert_uint_eq(utf8_len("\xE2\x82\xAC", 3), 1);
}
END_TEST

START_TEST(arena_alignment)
{
	struct arena	*a = arena_new(512);
	size_t		 i;
	void		*p;

	ck_assert_ptr_nonnull(a);
	for (i = 0; i < 500; i++) {
		p = arena_alloc(a, i % 37 + 1);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq((uintptr_t)p % alignof(max_align_t), 0);
		memset(p, 0xAB, i % 37 + 1);
	}
	p = arena_alloc(a, 0);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq((uintptr_t)p % alignof(max_align_t), 0);
	arena_free(a);
}
END_TEST

START_TEST(arena_reset_keeps_first)
{
	struct arena	*a = arena_new(1024);
	char		*first, *again;
	int		 i;

	first = arena_alloc(a, 10);
	ck_assert_uint_eq(arena_used(a), (10 + alignof(max_align_t) - 1) /
	    alignof(max_align_t) * alignof(max_align_t));
	for (i = 0; i < 100; i++)
		ck_assert_ptr_nonnull(arena_alloc(a, 100));
	ck_assert_uint_gt(arena_used(a), 10000);
	arena_reset(a);
	ck_assert_uint_eq(arena_used(a), 0);
	again = arena_alloc(a, 10);
	ck_assert_ptr_eq(first, again);
	arena_reset(a);
	arena_reset(a);
	arena_free(a);
	arena_free(NULL);
}
END_TEST

START_TEST(arena_large)
{
	struct arena	*a = arena_new(1024);
	char		*small1, *big, *small2;

	small1 = arena_alloc(a, 16);
	big = arena_alloc(a, 1 << 20);
	ck_assert_ptr_nonnull(big);
	ck_assert_uint_eq((uintptr_t)big % alignof(max_align_t), 0);
	memset(big, 1, 1 << 20);
	/* The big one did not displace the current block. */
	small2 = arena_alloc(a, 16);
	ck_assert_ptr_eq(small2, small1 + 16);
	arena_reset(a);
	ck_assert_ptr_eq(arena_alloc(a, 16), small1);
	ck_assert_ptr_null(arena_alloc(a, SIZE_MAX));
	ck_assert_ptr_null(arena_alloc(a, SIZE_MAX - 8));
	ck_assert_ptr_null(arena_calloc(a, SIZE_MAX / 2, 4));
	ck_assert_ptr_nonnull(arena_calloc(a, 0, 4));
	arena_free(a);
}
END_TEST

START_TEST(arena_strings)
{
	struct arena	*a = arena_new(256);
	int		*z;
	int		 i;

	ck_assert_str_eq(arena_strdup(a, "hello"), "hello");
	ck_assert_str_eq(arena_strndup(a, "hello", 3), "hel");
	ck_assert_str_eq(arena_printf(a, "%s-%d", "n", 42), "n-42");
	z = arena_calloc(a, 100, sizeof(*z));
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(z[i], 0);
	arena_free(a);
}
END_TEST

START_TEST(buf_growth)
{
	struct buf	b = BUF_INIT;
	size_t		i;
	char		big[5000];

	buf_add(&b, "", 0);
	ck_assert_ptr_nonnull(b.p);
	ck_assert_str_eq(b.p, "");
	for (i = 0; i < 100000; i++)
		buf_addc(&b, (char)('a' + i % 26));
	ck_assert_uint_eq(b.len, 100000);
	ck_assert_int_eq(b.p[b.len], '\0');
	for (i = 0; i < 100000; i++)
		ck_assert_int_eq(b.p[i], 'a' + i % 26);
	buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(b.p, "");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_adds(&b, "<");
	buf_printf(&b, "%s|%d", big, 7);
	ck_assert_uint_eq(b.len, 1 + 4999 + 2);
	ck_assert_str_eq(b.p + 5000, "|7");
	buf_free(&b);
	buf_free(&b);
}
END_TEST

START_TEST(buf_sticky_failure)
{
	struct buf	b = BUF_INIT;

	buf_adds(&b, "kept");
	buf_add(&b, "x", SIZE_MAX);	/* cannot be satisfied: overflow */
	ck_assert(buf_failed(&b));
	buf_adds(&b, "lost");
	buf_addc(&b, '!');
	buf_printf(&b, "%d", 1);
	esc_html(&b, "<", 1);
	ck_assert_uint_eq(b.len, 4);
	ck_assert_str_eq(b.p, "kept");
	ck_assert(buf_failed(&b));
	buf_reset(&b);
	ck_assert(!buf_failed(&b));
	buf_adds(&b, "again");
	ck_assert_str_eq(b.p, "again");
	buf_free(&b);
}
END_TEST

static Suite *
esc_suite(void)
{
	Suite	*s = suite_create("esc");
	TCase	*tc;

	tc = unit_tcase(s, "escapers", html_hostile, invalid_utf8_everywhere, url_component,
	    csv_cell, csv_formula, json_string, utf8_checks, NULL);
	tcase_add_loop_test(tc, invalid_utf8_html, 0,
	    (int)(sizeof(bad_utf8) / sizeof(bad_utf8[0])));
	unit_tcase(s, "arena", arena_alignment, arena_reset_keeps_first, arena_large,
	    arena_strings, NULL);
	unit_tcase(s, "buf", buf_growth, buf_sticky_failure, NULL);
	return s;
}

int
main(void)
{
	return unit_run(esc_suite(), CK_FORK_GETENV);
}
