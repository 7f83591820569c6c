/* Tests for scrub: a table of inputs and their exact scrubbed forms, both what
 * must go and what must survive. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "scrub.h"

struct scase {
	const char	*in;
	const char	*out;
	unsigned	 kinds;
};

#define KEEP(s) { s, s, 0 }

static const struct scase cases[] = {
	/* e-mail */
	{ "mail me at jo.bloggs+x@example.co.uk please", "mail me at [email removed] please", SCRUB_EMAIL },
	{ "JOHN_SMITH@Example.COM.", "[email removed].", SCRUB_EMAIL },
	{ "(a@b.org)", "([email removed])", SCRUB_EMAIL },
	KEEP("meet @ the park, 5@6 odds"),
	KEEP("user@localhost is not an address"),
	/* phones */
	{ "call 07700 900123 now", "call [phone removed] now", SCRUB_PHONE },
	{ "07700900123", "[phone removed]", SCRUB_PHONE },
	{ "ring +44 7700 900123.", "ring [phone removed].", SCRUB_PHONE },
	{ "+447700900123", "[phone removed]", SCRUB_PHONE },
	{ "office 020 7946 0000", "office [phone removed]", SCRUB_PHONE },
	{ "(020) 7946 0000 ext", "[phone removed] ext", SCRUB_PHONE },
	{ "+44 (0)20 7946 0000", "[phone removed]", SCRUB_PHONE },
	{ "0161-496-0000", "[phone removed]", SCRUB_PHONE },
	{ "07700 900 123", "[phone removed]", SCRUB_PHONE },
	{ "Paris +33 1 23 45 67 89", "Paris [phone removed]", SCRUB_PHONE },
	{ "+1 555 123 4567", "[phone removed]", SCRUB_PHONE },
	{ "aged 15 07700900123", "aged 15 [phone removed]", SCRUB_PHONE },
	{ "tel:07700900123", "tel:[phone removed]", SCRUB_PHONE },
	KEEP("call 999 or 101"),
	KEEP("Childline 0800 1111"),
	KEEP("call 111 if unsure"),
	/* postcodes */
	{ "I live in N17 8AB.", "I live in N17 [postcode removed].", SCRUB_POSTCODE },
	{ "n178ab", "N17 [postcode removed]", SCRUB_POSTCODE },
	{ "EC1A 1BB, London", "EC1A [postcode removed], London", SCRUB_POSTCODE },
	{ "sw1a1aa", "SW1A [postcode removed]", SCRUB_POSTCODE },
	{ "M1 1AE", "M1 [postcode removed]", SCRUB_POSTCODE },
	{ "near B33 8TH today", "near B33 [postcode removed] today", SCRUB_POSTCODE },
	KEEP("the N17 area is great"),
	KEEP("COVID19 and MP3 players"),
	KEEP("Take the M25 2nd exit"),
	KEEP("Y11 3rd term"),
	/* links */
	{ "see https://example.org/a?b=c.", "see [link removed].", SCRUB_URL },
	{ "(www.facebook.com/groups/x)", "([link removed])", SCRUB_URL },
	{ "HTTP://EXAMPLE.COM", "[link removed]", SCRUB_URL },
	{ "https://en.wikipedia.org/wiki/Foo_(bar) ok", "[link removed] ok", SCRUB_URL },
	KEEP("http:// alone"),
	/* long numbers */
	{ "account 12345678", "account [number removed]", SCRUB_NUMBER },
	{ "NHS 943 476 5919", "NHS [number removed]", SCRUB_NUMBER },
	{ "card 4111 1111 1111 1111 ok", "card [number removed] ok", SCRUB_NUMBER },
	{ "ref AB12345678", "ref AB[number removed]", SCRUB_NUMBER },
	{ "ref 1234-5678", "ref [number removed]", SCRUB_NUMBER },
	KEEP("in 2024 and 2025"),
	KEEP("from 2019 2020 2021 until now"),
	KEEP("2023-2024 was hard"),
	KEEP("I am 84 years old and go 3 times a week"),
	KEEP("open 0900-1730, or 10:30 to 19:45, 7pm"),
	KEEP("on 12-03-2024 and 2024-03-12 and 12/03/2024"),
	KEEP("costs \xc2\xa3" "1,000,000 or 3.5%"),
	KEEP("1234567"),
	/* several kinds, and UTF-8 around them */
	{ "Ça va? jo@x.fr, 07700900123, N1 9GU — merci",
	  "Ça va? [email removed], [phone removed], N1 [postcode removed] — merci",
	  SCRUB_EMAIL | SCRUB_PHONE | SCRUB_POSTCODE },
	{ "日本07700900123日本", "日本[phone removed]日本", SCRUB_PHONE },
	KEEP("Nothing personal here, just views on the park."),
	KEEP(""),
};

START_TEST(test_table)
{
	const struct scase	*c = &cases[_i];
	struct buf		 b = BUF_INIT;
	unsigned		 k;

	k = scrub_text(c->in, strlen(c->in), &b);
	ck_assert(!buf_failed(&b));
	ck_assert_str_eq(b.len ? b.p : "", c->out);
	ck_assert_msg(k == c->kinds, "kinds %u, want %u for \"%s\"", k, c->kinds, c->in);
	buf_free(&b);
}
END_TEST

/* Input that is not NUL-terminated at n: scrub must stay inside the bytes given. */
START_TEST(test_bounds)
{
	const char	 src[] = "call 07700900123x";
	char		*p = malloc(sizeof src - 2);
	struct buf	 b = BUF_INIT;

	memcpy(p, src, sizeof src - 2);	/* "call 07700900123" without NUL */
	ck_assert_uint_eq(scrub_text(p, sizeof src - 2, &b), SCRUB_PHONE);
	ck_assert_str_eq(b.p, "call [phone removed]");
	buf_free(&b);
	free(p);
}
END_TEST

/* Every byte of a long adversarial run is visited a bounded number of times. */
START_TEST(test_long)
{
	size_t		 n = 200000;
	char		*p = malloc(n);
	struct buf	 b = BUF_INIT;

	for (size_t i = 0; i < n; i++)
		p[i] = "1 a.@-+("[i % 8];
	(void)scrub_text(p, n, &b);
	ck_assert(!buf_failed(&b));
	buf_free(&b);
	free(p);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("scrub");
	TCase	*tc = tcase_create("scrub");
	SRunner	*sr;
	int	 nf;

	tcase_add_loop_test(tc, test_table, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, test_bounds);
	tcase_add_test(tc, test_long);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
