/* Tests for cgi/form.c: urlencoded and Cookie parsing of hostile input. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "form.h"
#include "unit.h"

static struct arena *A;
static struct kvlist L;

static void
setup(void)
{
	A = arena_new(4096);
	ck_assert_ptr_nonnull(A);
	L.v = NULL;
	L.n = 0;
}

static void
teardown(void)
{
	arena_free(A);
	A = NULL;
}

static enum form_err
parse(const char *s)
{
	return form_parse(s, strlen(s), NULL, A, &L);
}

static enum form_err
parse_lim(const char *s, size_t fields, size_t name, size_t value)
{
	struct form_limits lim = { fields, name, value };

	return form_parse(s, strlen(s), &lim, A, &L);
}

static enum form_err
cookies(const char *s)
{
	return form_parse_cookies(s, strlen(s), A, &L);
}

/* A string of n copies of c, in the arena. */
static char *
rep(char c, size_t n, const char *prefix)
{
	size_t	 pl = strlen(prefix);
	char	*p = arena_alloc(A, pl + n + 1);

	ck_assert_ptr_nonnull(p);
	memcpy(p, prefix, pl);
	memset(p + pl, c, n);
	p[pl + n] = '\0';
	return p;
}

static void
assert_kv(size_t i, const char *name, const char *value)
{
	ck_assert_uint_lt(i, L.n);
	ck_assert_str_eq(L.v[i].name, name);
	ck_assert_str_eq(L.v[i].value, value);
	ck_assert_uint_eq(L.v[i].vlen, strlen(value));
}

static void
assert_value(const char *in, const char *value)
{
	ck_assert_int_eq(parse(in), FORM_OK);
	ck_assert_uint_eq(L.n, 1);
	ck_assert_str_eq(L.v[0].value, value);
	ck_assert_uint_eq(L.v[0].vlen, strlen(value));
}

static void
assert_err(const char *in, enum form_err want)
{
	ck_assert_int_eq(parse(in), want);
	ck_assert_ptr_null(L.v);
	ck_assert_uint_eq(L.n, 0);
}

/* got is FORM_OK and L holds exactly the pairs after it: a name and a
 * value each, NULL after the last. */
static void
assert_pairs(enum form_err got, ...)
{
	const char	*name, *value;
	size_t		 n = 0;
	va_list		 ap;

	ck_assert_int_eq(got, FORM_OK);
	va_start(ap, got);
	while ((name = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		assert_kv(n++, name, value);
	}
	va_end(ap);
	ck_assert_uint_eq(L.n, n);
}

START_TEST(test_basic)
{
	assert_pairs(parse("a=1&b=2&long_name=some+text"), "a", "1", "b", "2", "long_name",
	    "some text", NULL);
}
END_TEST

START_TEST(test_plus_and_escapes)
{
	assert_value("q=a+b++c", "a b  c");
	assert_value("q=%2B1", "+1");
	assert_value("q=%41%62%7e%7E", "Ab~~");
	assert_value("q=caf%c3%a9", "caf\xc3\xa9");
	assert_value("q=%E2%82%AC5", "\xe2\x82\xac" "5");
	assert_value("q=%F0%9F%98%80", "\xf0\x9f\x98\x80");
	assert_value("q=T\xc3\xbcrk\xc3\xa7" "e", "T\xc3\xbcrk\xc3\xa7" "e");
	assert_value("q=%26%3D%25", "&=%");
	assert_value("q=a=b=c", "a=b=c");
	ck_assert_int_eq(parse("my+name=1"), FORM_OK);
	assert_kv(0, "my name", "1");
	ck_assert_int_eq(parse("%71=x"), FORM_OK);
	assert_kv(0, "q", "x");
}
END_TEST

START_TEST(test_empty_pairs)
{
	assert_pairs(parse("&&a=1&&&b=2&"), "a", "1", "b", "2", NULL);
	ck_assert_int_eq(parse(""), FORM_OK);
	ck_assert_uint_eq(L.n, 0);
	ck_assert_int_eq(parse("&&&"), FORM_OK);
	ck_assert_uint_eq(L.n, 0);
	ck_assert_int_eq(form_parse(NULL, 0, NULL, A, &L), FORM_OK);
	ck_assert_uint_eq(L.n, 0);
}
END_TEST

START_TEST(test_missing_equals)
{
	assert_pairs(parse("flag&a=&=x&b"), "flag", "", "a", "", "", "x", "b", "", NULL);
}
END_TEST

START_TEST(test_bad_encoding)
{
	static const char *const bad[] = { "a=%", "a=%4", "a=%G1", "a=%4g",
	    "%zz=1", "a=100%", "a=%%41", "a=1&b=%2", "a=% 1", "%=1" };
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_err(bad[i], FORM_BAD_ENCODING);
}
END_TEST

START_TEST(test_bad_utf8)
{
	static const char *const bad[] = {
		"a=%FF", "a=\xff", "a=%C0%AF", "a=%C1%BF", "a=%E0%80%AF",
		"a=%F0%80%80%AF", "a=%ED%A0%80", "a=%ED%BF%BF", "a=%F4%90%80%80",
		"a=%E2%82", "a=%80", "a=%F8%88%80%80%80", "%C3=1", "a=%C3%28"
	};
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_err(bad[i], FORM_BAD_UTF8);
	assert_value("a=%ED%9F%BF%EE%80%80%F4%8F%BF%BF",
	    "\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf");
}
END_TEST

START_TEST(test_controls)
{
	static const char *const bad[] = { "a=%00", "a=x%00y", "a=%01",
	    "a=%1F", "a=%1b[31m", "%00=1", "%09=1", "a%0A=1", "a%0D=1",
	    "%7F=1", "a%1F=1" };
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_err(bad[i], FORM_BAD_UTF8);
	ck_assert_int_eq(form_parse("a=x\0y", 5, NULL, A, &L), FORM_BAD_UTF8);
	ck_assert_int_eq(form_parse("a\0=y", 4, NULL, A, &L), FORM_BAD_UTF8);
	assert_value("a=%09tab", "\ttab");
	assert_value("a=%7F", "\x7f");
}
END_TEST

START_TEST(test_newlines)
{
	assert_value("t=a%0D%0Ab", "a\nb");
	assert_value("t=a%0Db", "a\nb");
	assert_value("t=a%0Ab", "a\nb");
	assert_value("t=a%0D%0D%0Ab", "a\n\nb");
	assert_value("t=%0A%0D", "\n\n");
	assert_value("t=a%0D", "a\n");
	assert_value("t=%0D%0A%0D%0A", "\n\n");
	assert_value("t=a\r\nb\rc", "a\nb\nc");
}
END_TEST

START_TEST(test_name_limit)
{
	char	*s;

	s = rep('n', 80, "");
	ck_assert_int_eq(parse(s), FORM_OK);
	ck_assert_uint_eq(strlen(L.v[0].name), 80);
	assert_err(rep('n', 81, ""), FORM_TOO_LONG);
	ck_assert_int_eq(parse_lim("%41%41%41=1", 10, 3, 10), FORM_OK);
	assert_kv(0, "AAA", "1");
	ck_assert_int_eq(parse_lim("%41%41%41%41=1", 10, 3, 10), FORM_TOO_LONG);
	ck_assert_int_eq(parse_lim("a+b+=1", 10, 3, 10), FORM_TOO_LONG);
}
END_TEST

START_TEST(test_value_limit)
{
	ck_assert_int_eq(parse(rep('v', 16384, "v=")), FORM_OK);
	ck_assert_uint_eq(L.v[0].vlen, 16384);
	assert_err(rep('v', 16385, "v="), FORM_TOO_LONG);
	ck_assert_int_eq(parse_lim("v=%41%42", 10, 10, 2), FORM_OK);
	assert_kv(0, "v", "AB");
	ck_assert_int_eq(parse_lim("v=%41%42%43", 10, 10, 2), FORM_TOO_LONG);
	/* The limit applies to the decoded bytes, before CR LF is folded. */
	ck_assert_int_eq(parse_lim("v=%0D%0A", 10, 10, 2), FORM_OK);
	ck_assert_uint_eq(L.v[0].vlen, 1);
	ck_assert_int_eq(parse_lim("v=a%0D%0A", 10, 10, 2), FORM_TOO_LONG);
}
END_TEST

START_TEST(test_too_long_allocates_little)
{
	size_t	 before;
	char	*s = rep('v', 1 << 20, "v=");

	before = arena_used(A);
	assert_err(s, FORM_TOO_LONG);
	ck_assert_uint_lt(arena_used(A) - before, 4096);
}
END_TEST

START_TEST(test_field_limit)
{
	ck_assert_int_eq(parse_lim("a&b&c", 3, 10, 10), FORM_OK);
	ck_assert_uint_eq(L.n, 3);
	ck_assert_int_eq(parse_lim("a&b&c&d", 3, 10, 10), FORM_TOO_MANY);
	ck_assert_int_eq(parse_lim("&a&&b&&c&&", 3, 10, 10), FORM_OK);
	ck_assert_uint_eq(L.n, 3);
	ck_assert_int_eq(parse_lim("", 0, 10, 10), FORM_OK);
	ck_assert_int_eq(parse_lim("a", 0, 10, 10), FORM_TOO_MANY);
}
END_TEST

/* n fields "x=1&x=1&..." in the arena. */
static char *
many_fields(size_t n)
{
	char	*s = arena_alloc(A, n * 4 + 1);
	size_t	 i;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++)
		memcpy(s + i * 4, "x=1&", 4);
	s[n * 4 - 1] = '\0';
	return s;
}

START_TEST(test_default_field_limit)
{
	size_t	 before;
	char	*s;

	ck_assert_int_eq(parse(many_fields(600)), FORM_OK);
	ck_assert_uint_eq(L.n, 600);
	ck_assert_uint_eq(kv_count(&L, "x"), 600);
	assert_err(many_fields(601), FORM_TOO_MANY);
	s = many_fields(10000);
	before = arena_used(A);
	assert_err(s, FORM_TOO_MANY);
	ck_assert_uint_eq(arena_used(A), before);
}
END_TEST

START_TEST(test_error_clears_output)
{
	ck_assert_int_eq(parse("a=1"), FORM_OK);
	ck_assert_uint_eq(L.n, 1);
	assert_err("a=1&b=%zz", FORM_BAD_ENCODING);
	assert_err("a=1&b=%FF", FORM_BAD_UTF8);
}
END_TEST

START_TEST(test_kv_lookup)
{
	ck_assert_int_eq(parse("a=1&b=2&a=3&A=4&c"), FORM_OK);
	ck_assert_str_eq(kv_get(&L, "a"), "1");
	ck_assert_str_eq(kv_get(&L, "A"), "4");
	ck_assert_str_eq(kv_get(&L, "c"), "");
	ck_assert_ptr_null(kv_get(&L, "d"));
	ck_assert_ptr_null(kv_get(&L, ""));
	ck_assert_uint_eq(kv_count(&L, "a"), 2);
	ck_assert_uint_eq(kv_count(&L, "b"), 1);
	ck_assert_uint_eq(kv_count(&L, "d"), 0);
	ck_assert_int_eq(parse(""), FORM_OK);
	ck_assert_ptr_null(kv_get(&L, "a"));
	ck_assert_uint_eq(kv_count(&L, "a"), 0);
	ck_assert_ptr_null(kv_get(NULL, "a"));
	ck_assert_uint_eq(kv_count(NULL, "a"), 0);
}
END_TEST

START_TEST(test_cookies)
{
	assert_pairs(cookies("sid=abc123; lang=tr;csrf=x-y_z"), "sid", "abc123", "lang", "tr",
	    "csrf", "x-y_z", NULL);
	assert_pairs(cookies("  a = 1 ;\tb=\"quoted\"  ;c=;d=x==;e=%41"), "a", "1", "b", "quoted",
	    "c", "", "d", "x==", "e", "%41", NULL);
	ck_assert_int_eq(cookies(""), FORM_OK);
	ck_assert_uint_eq(L.n, 0);
	ck_assert_int_eq(cookies(" ; ;;"), FORM_OK);
	ck_assert_uint_eq(L.n, 0);
	ck_assert_int_eq(form_parse_cookies(NULL, 0, A, &L), FORM_OK);
	ck_assert_uint_eq(L.n, 0);
}
END_TEST

START_TEST(test_cookie_junk)
{
	ck_assert_int_eq(cookies("a=1; bad name=2; =3; noeq; x=a b; "
	    "y=caf\xc3\xa9; z=\x01; (p)=4; q=\"; r=a\\b; s=\"a\"b; t=a,b; "
	    "u=\x7f; c=4"), FORM_OK);
	ck_assert_uint_eq(L.n, 2);
	assert_kv(0, "a", "1");
	assert_kv(1, "c", "4");
	ck_assert_int_eq(form_parse_cookies("n=a\0b; m=2", 10, A, &L), FORM_OK);
	ck_assert_uint_eq(L.n, 1);
	assert_kv(0, "m", "2");
}
END_TEST

START_TEST(test_cookie_limits)
{
	char	*s;
	size_t	 i;

	ck_assert_int_eq(cookies(rep('v', 16384, "v=")), FORM_OK);
	ck_assert_uint_eq(L.n, 1);
	ck_assert_int_eq(cookies(rep('v', 16385, "v=")), FORM_OK);
	ck_assert_uint_eq(L.n, 0);
	s = rep('n', 80, "");
	ck_assert_int_eq(cookies(arena_printf(A, "%s=1", s)), FORM_OK);
	ck_assert_uint_eq(L.n, 1);
	s = rep('n', 81, "");
	ck_assert_int_eq(cookies(arena_printf(A, "%s=1", s)), FORM_OK);
	ck_assert_uint_eq(L.n, 0);
	s = rep(';', 10000 * 4, "");
	for (i = 0; i < 10000; i++)
		memcpy(s + i * 4, "k=v;", 4);
	ck_assert_int_eq(cookies(s), FORM_TOO_MANY);
	ck_assert_ptr_null(L.v);
	s[600 * 4] = '\0';
	ck_assert_int_eq(cookies(s), FORM_OK);
	ck_assert_uint_eq(L.n, 600);
	ck_assert_uint_eq(kv_count(&L, "k"), 600);
}
END_TEST

START_TEST(test_strerror)
{
	int	 i, j;

	for (i = 0; i < FORM__MAX; i++) {
		ck_assert_ptr_nonnull(form_strerror((enum form_err)i));
		for (j = 0; j < i; j++)
			ck_assert_str_ne(form_strerror((enum form_err)i),
			    form_strerror((enum form_err)j));
	}
	ck_assert_ptr_nonnull(form_strerror(FORM__MAX));
	ck_assert_uint_eq(form_default_limits.max_fields, 600);
	ck_assert_uint_eq(form_default_limits.max_name, 80);
	ck_assert_uint_eq(form_default_limits.max_value, 16384);
}
END_TEST

static Suite *
form_suite(void)
{
	Suite	*s = suite_create("form");
	TCase	*tc = tcase_create("form");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_basic);
	tcase_add_test(tc, test_plus_and_escapes);
	tcase_add_test(tc, test_empty_pairs);
	tcase_add_test(tc, test_missing_equals);
	tcase_add_test(tc, test_bad_encoding);
	tcase_add_test(tc, test_bad_utf8);
	tcase_add_test(tc, test_controls);
	tcase_add_test(tc, test_newlines);
	tcase_add_test(tc, test_name_limit);
	tcase_add_test(tc, test_value_limit);
	tcase_add_test(tc, test_too_long_allocates_little);
	tcase_add_test(tc, test_field_limit);
	tcase_add_test(tc, test_default_field_limit);
	tcase_add_test(tc, test_error_clears_output);
	tcase_add_test(tc, test_kv_lookup);
	tcase_add_test(tc, test_cookies);
	tcase_add_test(tc, test_cookie_junk);
	tcase_add_test(tc, test_cookie_limits);
	tcase_add_test(tc, test_strerror);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(form_suite(), CK_FORK_GETENV);
}
