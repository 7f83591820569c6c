/* Tests for scrub: a table of inputs and their exact scrubbed forms, both what
 * must go and what must survive. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "scrub.h"
#include "unit.h"

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
	/* written the way people write them: folded forms, spacing, words */
	{ "call 07700.900.123", "call [phone removed]", SCRUB_PHONE },
	{ "0044 7700 900123", "[phone removed]", SCRUB_PHONE },
	{ "07700\xc2\xa0" "900123 ok", "[phone removed] ok", SCRUB_PHONE },
	{ "\xef\xbc\x90\xef\xbc\x97\xef\xbc\x97\xef\xbc\x90\xef\xbc\x90 "
	  "\xef\xbc\x99\xef\xbc\x90\xef\xbc\x90\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93",
	  "[phone removed]", SCRUB_PHONE },
	{ "ring 7700 900123", "ring [phone removed]", SCRUB_PHONE },
	{ "call \xd9\xa0\xd9\xa7\xd9\xa7\xd9\xa0\xd9\xa0 \xd9\xa9\xd9\xa0\xd9\xa0\xd9\xa1\xd9\xa2\xd9\xa3",
	  "call [phone removed]", SCRUB_PHONE },
	{ "jos\xc3\xa9.garc\xc3\xad" "a@example.es", "[email removed]", SCRUB_EMAIL },
	{ "jo\xef\xbc\xa0" "example.com", "[email removed]", SCRUB_EMAIL },
	{ "jo at example dot com", "[email removed]", SCRUB_EMAIL },
	{ "jo dot bloggs [at] gmail [dot] co [dot] uk!", "[email removed]!", SCRUB_EMAIL },
	{ "sarah.o'connor@gmail", "[email removed]", SCRUB_EMAIL },
	{ "look at bit.ly/3xYz", "look at [link removed]", SCRUB_URL },
	KEEP("I was at school.It was fine"),
	KEEP("meet at the park dot"),
	{ "N17  6AA", "N17 [postcode removed]", SCRUB_POSTCODE },
	{ "N17-6AA", "N17 [postcode removed]", SCRUB_POSTCODE },
	{ "N17\t6AA", "N17 [postcode removed]", SCRUB_POSTCODE },
	{ "N 17 6AA", "N17 [postcode removed]", SCRUB_POSTCODE },
	{ "\xef\xbc\xae\xef\xbc\x91\xef\xbc\x97 \xef\xbc\x96\xef\xbc\xa1\xef\xbc\xa1",
	  "N17 [postcode removed]", SCRUB_POSTCODE },
	KEEP("Y11 6TH FORM"),
	KEEP("E1 6AM and N1 5PM"),
	{ "bit.ly/3xYz12 and facebook.com/jo.bloggs", "[link removed] and [link removed]", SCRUB_URL },
	{ "see jobloggs.co.uk.", "see [link removed].", SCRUB_URL },
	KEEP("a great day.Life is hard, the police.They never came"),
	KEEP("kids aged 14 15 16 17"),
	KEEP("between 5000-6000 people"),
	KEEP("on 01.03.2024 10.30 and 01/03/2024 - 05/03/2024"),
	KEEP("Victim Support 08 08 16 89 111, DA helpline 0808 2000 247"),
	{ "caf\xc3\xa9 07700900123 \xf0\x9f\x98\x9f", "caf\xc3\xa9 [phone removed] \xf0\x9f\x98\x9f", SCRUB_PHONE },
	{ "07700900123\xcc\x81 x", "[phone removed] x", SCRUB_PHONE },
	{ "0770\xe2\x80\x8b" "0900123", "[phone removed]", SCRUB_PHONE },
	KEEP("S 1\xca\x8b 9NR"),	/* a district is written in ASCII */
	{ "jo.bloggs@@gmail.com", "[email removed]", SCRUB_EMAIL },
	{ "www dot jobloggs dot co dot uk", "[link removed]", SCRUB_URL },
	KEEP("pick-up at school.Then chaos, drop-off at school.it is mad"),
	KEEP("the dot com era, www and all that"),
	KEEP("an M.Sc/PhD, he/she, and/or; attacked at 10.30pm at home.police came"),
	{ "jo.bloggs at exampIe.co", "[email removed]", SCRUB_EMAIL },
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
	for (size_t i = 0; i < n; i++)
		p[i] = "a dot b at c dot "[i % 17];
	(void)scrub_text(p, n, &b);
	for (size_t i = 0; i < n; i++)
		p[i] = "N1 0 1 a.b/c "[i % 13];
	(void)scrub_text(p, n, &b);
	for (size_t i = 0; i < n; i++)
		p[i] = "a+b%c'd"[i % 7];
	(void)scrub_text(p, n, &b);
	ck_assert(!buf_failed(&b));
	buf_free(&b);
	free(p);
}
END_TEST

/* Measured sets: positives.tsv (kind, text, secret) and negatives.tsv (text)
 * in a fixture directory, tab-separated, a field with a tab in quotes.  Each
 * kind must have recall >= MIN_RECALL, and at most MAX_FP of the ordinary
 * answers may come out changed. */
#define MIN_RECALL	0.98
#define MAX_FP		0.01

enum pkind { PK_PHONE, PK_EMAIL, PK_POSTCODE, PK_URL, PK__MAX };

static const char *const pk_name[PK__MAX] = {
	[PK_PHONE] = "phone",
	[PK_EMAIL] = "email",
	[PK_POSTCODE] = "postcode",
	[PK_URL] = "url",
};

struct tally {
	int	 hit[PK__MAX], all[PK__MAX];
	int	 fp, neg;
};

/* s folded for comparison: compatibility forms, case and accents folded, and
 * only letters and digits kept.  Caller frees. */
static char *
norm(const char *s)
{
	utf8proc_uint8_t	*f = NULL;
	char			*o;
	size_t			 j = 0;

	ck_assert(utf8proc_map((const utf8proc_uint8_t *)s, 0, &f, UTF8PROC_NULLTERM |
	    UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
	    UTF8PROC_IGNORE) >= 0);
	o = (char *)f;
	for (size_t i = 0; f[i] != '\0'; i++)
		if (f[i] >= 0x80 || (f[i] >= '0' && f[i] <= '9') || (f[i] >= 'a' && f[i] <= 'z'))
			o[j++] = (char)f[i];
	o[j] = '\0';
	return o;
}

/* Text after the last character in set, or NULL when none is. */
static const char *
after_last(const char *s, const char *set)
{
	const char *p = NULL;

	for (; *s != '\0'; s++)
		if (strchr(set, *s) != NULL)
			p = s + 1;
	return p;
}

/* The part of a secret that must not survive besides the whole of it: a
 * phone number's last six digits, a postcode's inward code, a link's path. */
static char *
tail_of(enum pkind k, const char *secret)
{
	char		*n = norm(secret), *t;
	const char	*p;
	size_t		 len = strlen(n);

	switch (k) {
	case PK_PHONE:
		t = strdup(len > 6 ? n + len - 6 : n);
		break;
	case PK_POSTCODE:
		t = strdup(len > 3 ? n + len - 3 : n);
		break;
	case PK_URL:
		p = strstr(secret, "://");
		p = after_last(p != NULL ? p + 3 : secret, "/");
		free(n);
		return norm(p != NULL && strlen(p) >= 4 ? p : "");
	default:
		t = strdup("");
	}
	free(n);
	return t;
}

/* The secret's item is gone from what scrubbing text gave (out): the whole
 * of it, and its tail unless the rest of the text has the same letters. */
static int
removed(enum pkind k, const char *text, const char *secret, const char *out)
{
	char		*ns = norm(secret), *no = norm(out), *t = tail_of(k, secret);
	char		*rest = strdup(text), *nr;
	const char	*p = strstr(text, secret);
	int		 ok;

	if (p != NULL)
		strcpy(rest + (p - text), p + strlen(secret));
	nr = norm(rest);
	ok = strstr(no, ns) == NULL &&
	    (t[0] == '\0' || strstr(nr, t) != NULL || strstr(no, t) == NULL);
	free(ns);
	free(no);
	free(t);
	free(rest);
	free(nr);
	return ok;
}

/* Splits line at tabs into at most n fields, in place; returns the count.
 * A field may be quoted ("N17<tab>6AA"), with "" for a quote inside. */
static int
fields(char *line, char **f, int n)
{
	char	*r = line, *w = line;
	int	 k = 0;

	line[strcspn(line, "\r\n")] = '\0';
	while (k < n) {
		f[k++] = w;
		if (*r == '"') {
			for (r++; *r != '\0' && !(r[0] == '"' && r[1] != '"'); r++) {
				r += *r == '"';
				*w++ = *r;
			}
			r += *r == '"';
		}
		while (*r != '\0' && *r != '\t')
			*w++ = *r++;
		if (*r == '\0') {
			*w = '\0';
			break;
		}
		*w++ = '\0';
		r++;
	}
	return k;
}

static char *
scrubbed(const char *in)
{
	struct buf	 b = BUF_INIT;
	char		*r;

	(void)scrub_text(in, strlen(in), &b);
	ck_assert(!buf_failed(&b));
	r = strdup(b.len ? b.p : "");
	buf_free(&b);
	return r;
}

static void
run_positives(const char *dir, struct tally *t, int verbose)
{
	char	 path[512], line[4096], *f[3], *out;
	FILE	*fp;
	int	 k;

	snprintf(path, sizeof path, "%s/positives.tsv", dir);
	ck_assert_msg((fp = fopen(path, "r")) != NULL, "cannot open %s", path);
	ck_assert(fgets(line, sizeof line, fp) != NULL);	/* header */
	while (fgets(line, sizeof line, fp) != NULL) {
		if (fields(line, f, 3) != 3)
			continue;
		for (k = 0; k < PK__MAX && strcmp(f[0], pk_name[k]) != 0; k++)
			;
		ck_assert_msg(k < PK__MAX, "%s: unknown kind %s", path, f[0]);
		out = scrubbed(f[1]);
		t->all[k]++;
		if (removed((enum pkind)k, f[1], f[2], out))
			t->hit[k]++;
		else if (verbose)
			printf("  missed %s: %s -> %s\n", f[0], f[1], out);
		free(out);
	}
	fclose(fp);
}

static void
run_negatives(const char *dir, struct tally *t, int verbose)
{
	char	 path[512], line[4096], *f[1], *out;
	FILE	*fp;

	snprintf(path, sizeof path, "%s/negatives.tsv", dir);
	ck_assert_msg((fp = fopen(path, "r")) != NULL, "cannot open %s", path);
	ck_assert(fgets(line, sizeof line, fp) != NULL);
	while (fgets(line, sizeof line, fp) != NULL) {
		if (fields(line, f, 1) != 1)
			continue;
		out = scrubbed(f[0]);
		t->neg++;
		if (strcmp(out, f[0]) != 0) {
			t->fp++;
			if (verbose)
				printf("  changed: %s -> %s\n", f[0], out);
		}
		free(out);
	}
	fclose(fp);
}

/* Prints the figures for one set and checks them against the thresholds. */
static void
measure(const char *dir)
{
	struct tally	 t;
	int		 verbose = getenv("SCRUB_VERBOSE") != NULL;

	memset(&t, 0, sizeof t);
	run_positives(dir, &t, verbose);
	run_negatives(dir, &t, verbose);
	printf("%s:", dir);
	for (int k = 0; k < PK__MAX; k++)
		printf(" %s %d/%d (%.1f%%)", pk_name[k], t.hit[k], t.all[k],
		    t.all[k] ? 100.0 * t.hit[k] / t.all[k] : 0.0);
	printf("; ordinary changed %d/%d (%.1f%%)\n", t.fp, t.neg,
	    t.neg ? 100.0 * t.fp / t.neg : 0.0);
	fflush(stdout);	/* shown even when a check below fails */
	for (int k = 0; k < PK__MAX; k++)
		ck_assert_msg(t.all[k] > 0 && t.hit[k] >= MIN_RECALL * t.all[k],
		    "%s recall %d/%d", pk_name[k], t.hit[k], t.all[k]);
	ck_assert_msg(t.neg > 0 && t.fp <= MAX_FP * t.neg, "changed %d/%d", t.fp, t.neg);
}

START_TEST(test_dev)
{
	measure("tests/fixtures/scrub/dev");
}
END_TEST

/* A set written apart from the scrubber, by someone who had not seen it. */
START_TEST(test_heldout)
{
	measure("tests/fixtures/scrub/heldout");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("scrub");
	TCase	*tc = tcase_create("scrub");

	tcase_add_loop_test(tc, test_table, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, test_bounds);
	tcase_add_test(tc, test_long);
	tcase_add_test(tc, test_dev);
	tcase_add_test(tc, test_heldout);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK_GETENV);
}
