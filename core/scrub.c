/* scrub: removes personal identifiers from free text (see scrub.h).
 * The text is first folded into a view, one byte per code point (see
 * scrub_int.h), so "０７７００ ９００１２３", a non-breaking space or "＠" read as
 * their ASCII forms.  Then one left-to-right pass over the view: at each
 * position the matchers are tried in order and the first that matches
 * replaces its span; the bytes of the original text outside the matches are
 * copied unchanged.  A span always covers whole code points, so the copy
 * stays valid UTF-8.
 *
 * The number rules lean towards keeping text: what must survive is ordinary
 * prose about years ("2023 2024"), dates ("12-03-2024"), ages and lists of
 * them ("aged 14 15 16 17"), counts, times ("0900-1730", "10:30"), round
 * ranges ("5000-6000") and the helplines the surveys show. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "scrub.h"
#include "scrub_int.h"

#define MAX_GROUPS	16
#define STACK_VIEW	512
#define FOLD_OPTS	(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK | \
			 UTF8PROC_LUMP | UTF8PROC_IGNORE)

/* The value of a decimal digit of any script ("٧" is 7): digits come in
 * runs of ten from zero, so it is the distance from the run's start. */
static int
digit_value(utf8proc_int32_t cp)
{
	int	 k = 0;

	while (k < 64 && utf8proc_category(cp - k - 1) == UTF8PROC_CATEGORY_ND)
		k++;
	return k % 10;
}

/* The view byte of a code point with no ASCII form: a digit's value, or
 * V_LETTER or V_OTHER. */
static unsigned char
view_class(utf8proc_int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_ND:
		return (unsigned char)('0' + digit_value(cp));
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
		return V_LETTER;
	default:
		return V_OTHER;
	}
}

/* The view bytes for the code point at s[i..i+len): 0 to len of them. */
static size_t
fold_cp(const unsigned char *s, size_t n, size_t i, unsigned char *out, size_t *len)
{
	utf8proc_int32_t	 cp, d[4];
	utf8proc_ssize_t	 k, r;
	int			 bc = 0, ascii = 1;

	k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
	if (k < 1) {
		*len = 1;
		out[0] = V_OTHER;
		return 1;
	}
	*len = (size_t)k;
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	r = utf8proc_decompose_char(cp, d, 4, FOLD_OPTS, &bc);
	for (utf8proc_ssize_t j = 0; j < r && j < 4; j++)
		ascii = ascii && d[j] > 0 && d[j] < 0x80;
	if (r >= 0 && r <= k && ascii) {
		for (utf8proc_ssize_t j = 0; j < r; j++)
			out[j] = (unsigned char)d[j];
		return (size_t)r;
	}
	out[0] = view_class(cp);
	return 1;
}

/* Builds the view of s[0..n) into c, with off[k] the byte offset in s of the
 * code point c[k] came from, off[len] = n.  c and off hold n and n+1. */
static size_t
fold(const char *s, size_t n, unsigned char *c, size_t *off)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, m = 0, len, k;

	while (i < n) {
		k = fold_cp(u, n, i, c + m, &len);
		for (size_t j = 0; j < k; j++)
			off[m + j] = i;
		m += k;
		i += len;
	}
	off[m] = n;
	return m;
}

/* The UK postcode areas, the letters an outward code starts with. */
static const char *const areas[] = {
	"ab", "al", "b", "ba", "bb", "bd", "bf", "bh", "bl", "bn", "br", "bs", "bt", "bx",
	"ca", "cb", "cf", "ch", "cm", "co", "cr", "ct", "cv", "cw", "da", "dd", "de",
	"dg", "dh", "dl", "dn", "dt", "dy", "e", "ec", "eh", "en", "ex", "fk", "fy", "g",
	"gl", "gu", "gy", "ha", "hd", "hg", "hp", "hr", "hs", "hu", "hx", "ig", "im",
	"ip", "iv", "je", "ka", "kt", "kw", "ky", "l", "la", "ld", "le", "ll", "ln", "ls",
	"lu", "m", "me", "mk", "ml", "n", "ne", "ng", "nn", "np", "nr", "nw", "ol", "ox",
	"pa", "pe", "ph", "pl", "po", "pr", "rg", "rh", "rm", "s", "sa", "se", "sg", "sk",
	"sl", "sm", "sn", "so", "sp", "sr", "ss", "st", "sw", "sy", "ta", "td", "tf", "tn",
	"tq", "tr", "ts", "tw", "ub", "w", "wa", "wc", "wd", "wf", "wn", "wr", "ws", "wv",
	"yo", "ze"
};

static int
area_ok(const struct view *v, size_t i, size_t len)
{
	for (size_t k = 0; k < sizeof areas / sizeof areas[0]; k++)
		if (strlen(areas[k]) == len && v_word(v, i, areas[k]))
			return 1;
	return 0;
}

/* The length of an inward code at j (digit, two letters, then no letter or
 * digit; "1 BS" in capitals too), 0 when there is none, a lower-case ordinal
 * ("2nd") or a time ("6AM": no inward code has an M). */
static size_t
inward_len(const struct view *v, size_t j)
{
	static const char *const not[] = { "st", "nd", "rd", "th" };
	size_t	 sp = v_at(v, j + 1) == ' ';
	unsigned a = v_at(v, j + 1 + sp), b = v_at(v, j + 2 + sp);

	if (!v_digit(v_at(v, j)) || !v_alpha(a) || !v_alpha(b) || v_alnum(v_at(v, j + 3 + sp)))
		return 0;
	if (sp && (a > 'Z' || b > 'Z'))
		return 0;
	for (size_t k = 0; k < sizeof not / sizeof not[0]; k++)
		if (a == (unsigned char)not[k][0] && b == (unsigned char)not[k][1])
			return 0;
	if ((v_lower(a) == 'a' || v_lower(a) == 'p') && v_lower(b) == 'm')
		return 0;
	return 3 + sp;
}

/* Up to three of space, tab, '-', '.' and ',' between the outward and inward
 * code; a comma only before a space ("N17, 6AA"). */
static size_t
postcode_sep(const struct view *v, size_t j)
{
	size_t	 k = 0;

	while (k < 3 && (v_in(v_at(v, j + k), " \t-.") ||
	    (v_at(v, j + k) == ',' && v_at(v, j + k + 1) == ' ')))
		k++;
	return k;
}

/* A full postcode at i: area, an optional space ("N 17 6AA"), district
 * (digit, then a digit or letter or nothing), separator, inward code.  out
 * gets the outward code in capitals. */
static size_t
match_postcode(const struct view *v, size_t i, char out[5])
{
	size_t	 a = 0, j, d, e, sep, in;

	if (i > 0 && v_alnum(v->c[i - 1]))
		return 0;
	while (a < 3 && v_alpha(v_at(v, i + a)))
		a++;
	if (a == 0 || a > 2)
		return 0;
	d = i + a + (v_at(v, i + a) == ' ');
	if (!v_digit(v_at(v, d)) || !area_ok(v, i, a))	/* the cheaper test first */
		return 0;
	for (e = d + 2; e > d; e--) {
		if (e == d + 2 && !v_digit(v_at(v, d + 1)) && !v_alpha(v_at(v, d + 1)))
			continue;
		sep = postcode_sep(v, e);
		if ((in = inward_len(v, e + sep)) == 0)
			continue;
		for (j = 0; j < a; j++)
			out[j] = (char)(v->c[i + j] & ~0x20);
		for (size_t k = d; k < e; k++)
			out[j++] = (char)(v_alpha(v->c[k]) ? v->c[k] & ~0x20 : v->c[k]);
		out[j] = '\0';
		return e + sep + in - i;
	}
	return 0;
}

/* A digit group and whether the separator in front of it is one space or
 * dash (none for the first group). */
struct group {
	size_t	 start, end;
	int	 plain;
};

static size_t glen(const struct group *g) { return g->end - g->start; }

/* Separator between two digit groups of a phone number at j: up to three of
 * space, tab, '-', '(' and ')', or a single '.' or '/'; 0 when none. */
static size_t
group_sep(const struct view *v, size_t j)
{
	size_t	 k = 0;

	if (v_in(v_at(v, j), "./"))
		return v_digit(v_at(v, j + 1)) ? 1 : 0;
	while (k < 3 && v_in(v_at(v, j + k), " \t-()"))
		k++;
	return v_digit(v_at(v, j + k)) ? k : 0;
}

/* Digit groups from view position i.  Returns the count. */
static size_t
scan_groups(const struct view *v, size_t i, struct group *g)
{
	size_t	 k = 0, j = i, sep = 0;

	while (k < MAX_GROUPS && v_digit(v_at(v, j))) {
		g[k].start = j;
		g[k].plain = sep == 1 && v_in(v->c[j - 1], " -");
		while (v_digit(v_at(v, j)))
			j++;
		g[k++].end = j;
		if ((sep = group_sep(v, j)) == 0)
			break;
		j += sep;
	}
	return k;
}

static int
value(const struct view *v, const struct group *g, size_t len)
{
	int	 x = 0;

	for (size_t k = 0; k < len && k < glen(g); k++)
		x = x * 10 + (v->c[g->start + k] - '0');
	return x;
}

/* The first three groups read as a date: day and month (either order), then
 * a two- or four-digit year; or year, month, day. */
static int
is_date(const struct view *v, const struct group *g, size_t ng)
{
	int	 a, b;

	if (ng < 3)
		return 0;
	if (glen(&g[0]) == 4 && glen(&g[1]) <= 2 && glen(&g[2]) <= 2)
		return value(v, &g[0], 4) >= 1900 && value(v, &g[0], 4) <= 2099;
	if (glen(&g[0]) > 2 || glen(&g[1]) > 2 || (glen(&g[2]) != 2 && glen(&g[2]) != 4))
		return 0;
	a = value(v, &g[0], 2), b = value(v, &g[1], 2);
	return a >= 1 && b >= 1 && a <= 31 && b <= 31 && (a <= 12 || b <= 12);
}

/* Public helplines the surveys show, kept wherever they are written. */
static const char *const helplines[] = {
	"08001111",	/* Childline */
	"08082000247",	/* National Domestic Abuse Helpline */
	"08081689111",	/* Victim Support */
	"0800555111",	/* Crimestoppers */
};

/* A date or a helpline at i, which the number rules must not take apart. */
static size_t
match_keep(const struct view *v, size_t i)
{
	struct group	 g[MAX_GROUPS];
	char		 d[24];
	size_t		 ng, k, nd = 0;

	if (!v_digit(v_at(v, i)) || (i > 0 && (v_digit(v->c[i - 1]) || v->c[i - 1] == '+')))
		return 0;
	ng = scan_groups(v, i, g);
	if (is_date(v, g, ng) && g[1].start - g[0].end == 1 && g[2].start - g[1].end == 1 &&
	    v_in(v->c[g[0].end], "/.-") && v->c[g[0].end] == v->c[g[1].end])
		return g[2].end - i;
	for (k = 0; k < ng; k++) {
		for (size_t j = g[k].start; j < g[k].end && nd < sizeof d - 1; j++)
			d[nd++] = (char)v->c[j];
		d[nd] = '\0';
		for (size_t h = 0; h < sizeof helplines / sizeof helplines[0]; h++)
			if (strcmp(d, helplines[h]) == 0)
				return g[k].end - i;
	}
	return 0;
}

/* A phone number from its groups: after '+', 8 to 15 digits; after "00", 10
 * to 17; from a leading 0, 10 or 11; a mobile without its 0 ("7700 900123")
 * or with 44 in front, 10 or 12.  Not a date ("01.03.2024 10.30"). */
static size_t
match_phone(const struct view *v, size_t i, const struct group *g, size_t ng, int plus)
{
	const unsigned char	*p = v->c + g[0].start;
	size_t			 lo, hi, digits = 0, k;

	if (plus)
		lo = 8, hi = 15;
	else if (p[0] == '0' && glen(&g[0]) >= 2 && p[1] == '0')
		lo = 10, hi = 17;
	else if (p[0] == '0')
		lo = 10, hi = 11;
	else if (p[0] == '7' && glen(&g[0]) >= 3)
		lo = hi = 10;
	else if (p[0] == '4' && glen(&g[0]) >= 2 && p[1] == '4')
		lo = hi = 12;
	else
		return 0;
	for (k = 0; k < ng && digits + glen(&g[k]) <= hi; k++)
		digits += glen(&g[k]);
	if (k == 0 || digits < lo || (!plus && is_date(v, g, k)))
		return 0;
	return g[k - 1].end - i;
}

/* A group that reads as a year, a 24-hour time or a round number. */
static int
soft(const struct view *v, const struct group *g)
{
	const unsigned char *p = v->c + g->end;

	if (glen(g) == 4 && value(v, g, 4) >= 1900 && value(v, g, 4) <= 2099)
		return 1;
	if (glen(g) == 4 && value(v, g, 2) <= 23 && p[-2] <= '5')
		return 1;
	return p[-1] == '0' && p[-2] == '0';
}

/* A long number: one run of 8+ digits, or groups of 3 or 4 digits joined by a
 * single space or dash totalling 8+ with a group of 4, unless each is a year,
 * time or round number, or it is short and starts with 0 ("0800 1111"). */
static size_t
match_number(const struct view *v, const struct group *g, size_t ng)
{
	size_t	 k, digits = 0;
	int	 all_soft = 1, four = 0;

	for (k = 0; k < ng; k++) {
		if (glen(&g[k]) < 3 || glen(&g[k]) > 4 || (k > 0 && !g[k].plain))
			break;
		digits += glen(&g[k]);
		four |= glen(&g[k]) == 4;
		all_soft = all_soft && soft(v, &g[k]);
	}
	if (k >= 2 && digits >= 8 && four && !all_soft &&
	    !(v->c[g[0].start] == '0' && digits < 10))
		return g[k - 1].end - g[0].start;
	return glen(&g[0]) >= 8 ? glen(&g[0]) : 0;
}

/* Phone or long number at i ('+', '(' or a digit); *kind gets which one.  A
 * '(' or '+' only starts a phone number. */
static size_t
match_digits(const struct view *v, size_t i, unsigned *kind)
{
	struct group	 g[MAX_GROUPS];
	size_t		 ng, len, first = i;
	int		 plus = 0;

	if (v_in(v_at(v, i), "+(")) {
		if (i > 0 && v_alnum(v->c[i - 1]))
			return 0;
		first += v_at(v, first) == '(';
		plus = v_at(v, first) == '+';
		first += plus;
		first += plus && v_at(v, first) == ' ';
		if (first == i + 1 && v->c[i] == '+' && !v_digit(v_at(v, first)))
			return 0;
	} else if (!v_digit(v_at(v, i)) || (i > 0 && v_digit(v->c[i - 1]))) {
		return 0;
	}
	if ((ng = scan_groups(v, first, g)) == 0)
		return 0;
	if ((len = match_phone(v, i, g, ng, plus)) > 0) {
		*kind = SCRUB_PHONE;
		return len;
	}
	if (first != i)
		return 0;
	*kind = SCRUB_NUMBER;
	return match_number(v, g, ng);
}

/* The first match at view position i; *kind gets its kind, 0 for text kept
 * as it is. */
static size_t
match_at(const struct view *v, size_t i, unsigned *kind, char outward[5])
{
	size_t	 len;

	if ((len = match_keep(v, i)) > 0)
		*kind = 0;
	else if ((len = scrub_url(v, i)) > 0)
		*kind = SCRUB_URL;
	else if ((len = scrub_email(v, i)) > 0)
		*kind = SCRUB_EMAIL;
	else if ((len = scrub_domain(v, i)) > 0)
		*kind = SCRUB_URL;
	else if ((len = match_postcode(v, i, outward)) > 0)
		*kind = SCRUB_POSTCODE;
	else
		len = match_digits(v, i, kind);
	return len;
}

static void
replace(struct buf *out, unsigned kind, const char *outward)
{
	switch (kind) {
	case SCRUB_EMAIL:	buf_adds(out, "[email removed]"); break;
	case SCRUB_PHONE:	buf_adds(out, "[phone removed]"); break;
	case SCRUB_URL:		buf_adds(out, "[link removed]"); break;
	case SCRUB_NUMBER:	buf_adds(out, "[number removed]"); break;
	case SCRUB_POSTCODE:
		buf_adds(out, outward);
		buf_adds(out, " [postcode removed]");
		break;
	}
}

/* The pass over the view c[0..m) of s, off mapping it back (see fold()). */
static unsigned
scrub_view(const char *s, size_t n, const struct view *v, const size_t *off,
    struct buf *out)
{
	unsigned	 found = 0, kind;
	size_t		 i = 0, copied = 0, len;
	char		 outward[5];

	while (i < v->len) {
		kind = 0;
		if ((len = match_at(v, i, &kind, outward)) == 0) {
			i++;
			continue;
		}
		if (kind != 0) {
			buf_add(out, s + copied, off[i] - copied);
			replace(out, kind, outward);
			copied = off[i + len];
			found |= kind;
		}
		i += len;
	}
	buf_add(out, s + copied, n - copied);
	return found;
}

unsigned
scrub_text(const char *s, size_t n, struct buf *out)
{
	unsigned char	 cs[STACK_VIEW], *c = cs;
	size_t		 os[STACK_VIEW + 1], *off = os;
	struct view	 v;
	unsigned	 found = 0;

	if (n > STACK_VIEW) {
		c = malloc(n);
		off = malloc((n + 1) * sizeof *off);
		if (c == NULL || off == NULL) {
			out->failed = 1;	/* as an append that failed */
			goto out;
		}
	}
	v.len = fold(s, n, c, off);
	v.c = c;
	found = scrub_view(s, n, &v, off, out);
out:
	if (c != cs)
		free(c);
	if (off != os)
		free(off);
	return found;
}
