/* scrub: removes personal identifiers from free text (see scrub.h).
 * One left-to-right pass; at each position the matchers are tried in order
 * (link, e-mail, postcode, phone or long number) and the first that matches
 * replaces its span.  Every matcher starts and ends its span on an ASCII
 * byte, so the untouched bytes around it stay valid UTF-8.
 *
 * The number rules lean towards keeping text: what must survive is ordinary
 * prose about years ("2023 2024"), dates ("12-03-2024"), ages, counts, times
 * ("0900-1730", "10:30") and short helpline numbers ("0800 1111"). */
#include <string.h>
#include "scrub.h"

#define MAX_GROUPS	12

/* A digit group and the separator bytes in front of it (none for the first). */
struct group {
	size_t	 start, end;	/* the digits: s[start..end) */
	size_t	 sep;		/* bytes of separator before start */
	int	 plain;		/* separator is exactly one space or dash */
};

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static int is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static int is_alnum(unsigned char c) { return is_digit(c) || is_alpha(c); }
static unsigned char upper(unsigned char c) { return is_alpha(c) ? c & ~0x20 : c; }

static int
is_local(unsigned char c)
{
	return is_alnum(c) || (c != '\0' && strchr("._%+-", c) != NULL);
}

static int
prefix_ci(const char *s, size_t n, size_t i, const char *p)
{
	size_t k = strlen(p);

	if (n - i < k)
		return 0;
	for (size_t j = 0; j < k; j++)
		if ((unsigned char)(s[i + j] | 0x20) != (unsigned char)p[j])
			return 0;
	return 1;
}

/* http://, https:// or www. up to white space, a quote or an angle bracket,
 * without trailing punctuation or an unbalanced closing bracket. */
static size_t
match_url(const char *s, size_t n, size_t i)
{
	size_t	 j, k, open = 0, close = 0;

	if (i > 0 && (is_alnum(s[i - 1]) || s[i - 1] == '.' || s[i - 1] == '/'))
		return 0;
	if (prefix_ci(s, n, i, "https://"))
		k = 8;
	else if (prefix_ci(s, n, i, "http://"))
		k = 7;
	else if (prefix_ci(s, n, i, "www."))
		k = 4;
	else
		return 0;
	for (j = i + k; j < n; j++) {
		unsigned char c = s[j];
		if (c <= ' ' || c >= 0x80 || strchr("<>\"", c) != NULL)
			break;
		open += c == '(';
		close += c == ')';
	}
	while (j > i + k) {
		unsigned char c = s[j - 1];
		if (c == ')' && close > open)
			close--;
		else if (strchr(".,;:!?'", c) == NULL)
			break;
		j--;
	}
	if (j == i + k || !is_alnum(s[i + k]))
		return 0;
	return j - i;
}

/* local@domain.tld with a letter-only top-level label of two or more. */
static size_t
match_email(const char *s, size_t n, size_t i)
{
	size_t	 j = i, at, dot = 0, tld;

	if (i > 0 && is_local(s[i - 1]))
		return 0;
	while (j < n && is_local(s[j]))
		j++;
	if (j == i || j >= n || s[j] != '@')
		return 0;
	for (at = ++j; j < n && (is_alnum(s[j]) || s[j] == '-' || s[j] == '.'); j++)
		;
	while (j > at && (s[j - 1] == '.' || s[j - 1] == '-'))
		j--;
	for (tld = at; tld < j; tld++)
		if (s[tld] == '.')
			dot = tld;
	if (dot == 0 || dot + 1 >= j)
		return 0;
	for (tld = dot + 1; tld < j; tld++)
		if (!is_alpha(s[tld]))
			return 0;
	return j - dot > 2 ? j - i : 0;
}

/* Outward codes: A9, A99, AA9, AA99, A9A, AA9A. */
static int
outward_ok(const char *s, size_t len)
{
	size_t i = 0;

	if (len < 2 || len > 4 || !is_alpha(s[0]))
		return 0;
	i = is_alpha(s[1]) ? 2 : 1;
	if (i >= len || !is_digit(s[i]))
		return 0;
	i++;
	if (i < len && (is_digit(s[i]) || is_alpha(s[i])))
		i++;
	return i == len;
}

/* Inward code: digit and two letters, but not a lower-case ordinal ("2nd"). */
static int
inward_ok(const char *s)
{
	static const char *const ord[] = { "st", "nd", "rd", "th" };

	if (!is_digit(s[0]) || !is_alpha(s[1]) || !is_alpha(s[2]))
		return 0;
	for (size_t k = 0; k < sizeof ord / sizeof ord[0]; k++)
		if (s[1] == ord[k][0] && s[2] == ord[k][1])
			return 0;
	return 1;
}

/* A full postcode with or without the space; *outlen gets the outward length. */
static size_t
match_postcode(const char *s, size_t n, size_t i, size_t *outlen)
{
	size_t	 j = i, len;

	if ((i > 0 && is_alnum(s[i - 1])) || !is_alpha(s[i]))
		return 0;
	while (j < n && is_alnum(s[j]))
		j++;
	len = j - i;
	if (len >= 5 && len <= 7 && outward_ok(s + i, len - 3) && inward_ok(s + j - 3)) {
		*outlen = len - 3;
		return len;
	}
	if (len < 2 || len > 4 || !outward_ok(s + i, len) || j + 4 > n || s[j] != ' ')
		return 0;
	if (!inward_ok(s + j + 1) || (j + 4 < n && is_alnum(s[j + 4])))
		return 0;
	*outlen = len;
	return len + 4;
}

/* Digit groups from s[i], joined by one or two of " -()".  Returns the count. */
static size_t
scan_groups(const char *s, size_t n, size_t i, struct group *g)
{
	size_t	 k = 0, j = i, sep = 0;

	while (k < MAX_GROUPS && j < n && is_digit(s[j])) {
		g[k].start = j;
		g[k].sep = sep;
		g[k].plain = sep == 1 && (s[j - 1] == ' ' || s[j - 1] == '-');
		while (j < n && is_digit(s[j]))
			j++;
		g[k++].end = j;
		for (sep = 0; sep < 2 && j + sep < n && strchr(" -()", s[j + sep]) != NULL &&
		    s[j + sep] != '\0'; sep++)
			;
		if (sep == 0 || j + sep >= n || !is_digit(s[j + sep]))
			break;
		j += sep;
	}
	return k;
}

static size_t glen(const struct group *g) { return g->end - g->start; }

/* A phone number: '+' and 8..15 digits, or a leading 0 and 10..11 digits. */
static size_t
match_phone(const char *s, size_t i, const struct group *g, size_t ng, int plus)
{
	size_t	 digits = 0, max = plus ? 15 : 11, k;

	if (!plus && s[g[0].start] != '0')
		return 0;
	for (k = 0; k < ng && digits + glen(&g[k]) <= max; k++)
		digits += glen(&g[k]);
	if (k == 0 || digits < (plus ? 8u : 10u))
		return 0;
	return g[k - 1].end - i;
}

static int
in_range(const char *p, size_t len, int lo, int hi)
{
	int v = 0;

	for (size_t k = 0; k < len; k++)
		v = v * 10 + (p[k] - '0');
	return v >= lo && v <= hi;
}

/* A four-digit group that reads as a year or a 24-hour time. */
static int
year_or_time(const char *s, const struct group *g)
{
	const char *p = s + g->start;

	if (glen(g) != 4)
		return 0;
	return in_range(p, 4, 1900, 2099) ||
	    (in_range(p, 2, 0, 23) && in_range(p + 2, 2, 0, 59));
}

static int
is_date(const char *s, const struct group *g, size_t ng)
{
	size_t a, b, c;

	if (ng != 3)
		return 0;
	a = glen(&g[0]), b = glen(&g[1]), c = glen(&g[2]);
	if (a == 4 && b <= 2 && c <= 2)
		return in_range(s + g[0].start, 4, 1900, 2099);
	return a <= 2 && b <= 2 && (c == 2 || c == 4);
}

/* A long number: one run of 8+ digits, or groups of 2..4 digits joined by a
 * single space or dash totalling 8+, unless they read as years, times, a date
 * or a short number starting with 0 (a helpline such as 0800 1111). */
static size_t
match_number(const char *s, const struct group *g, size_t ng)
{
	size_t	 k, digits = 0;
	int	 soft = 1;

	for (k = 0; k < ng; k++) {
		if (glen(&g[k]) < 2 || glen(&g[k]) > 4 || (k > 0 && !g[k].plain))
			break;
		digits += glen(&g[k]);
		soft = soft && year_or_time(s, &g[k]);
	}
	if (k >= 2 && digits >= 8 && !soft && !is_date(s, g, k) &&
	    !(s[g[0].start] == '0' && digits < 10))
		return g[k - 1].end - g[0].start;
	return glen(&g[0]) >= 8 ? glen(&g[0]) : 0;
}

/* Phone or long number starting at s[i] ('+', '(' or a digit); *kind gets
 * which one.  A '(' or '+' only starts a phone number. */
static size_t
match_digits(const char *s, size_t n, size_t i, unsigned *kind)
{
	struct group	 g[MAX_GROUPS];
	size_t		 ng, len, first = i;
	int		 plus = s[i] == '+';

	if (plus || s[i] == '(') {
		if ((i > 0 && is_alnum(s[i - 1])) || i + 1 >= n || !is_digit(s[i + 1]))
			return 0;
		first = i + 1;
	} else if (!is_digit(s[i]) || (i > 0 && is_digit(s[i - 1]))) {
		return 0;
	}
	if ((ng = scan_groups(s, n, first, g)) == 0)
		return 0;
	if ((len = match_phone(s, i, g, ng, plus)) > 0) {
		*kind = SCRUB_PHONE;
		return len;
	}
	if (first != i)
		return 0;
	*kind = SCRUB_NUMBER;
	return match_number(s, g, ng);
}

unsigned
scrub_text(const char *s, size_t n, struct buf *out)
{
	unsigned	 found = 0, kind = 0;
	size_t		 i = 0, len, outlen = 0;

	while (i < n) {
		if ((len = match_url(s, n, i)) > 0) {
			buf_adds(out, "[link removed]");
			found |= SCRUB_URL;
		} else if ((len = match_email(s, n, i)) > 0) {
			buf_adds(out, "[email removed]");
			found |= SCRUB_EMAIL;
		} else if ((len = match_postcode(s, n, i, &outlen)) > 0) {
			for (size_t k = 0; k < outlen; k++)
				buf_addc(out, (char)upper(s[i + k]));
			buf_adds(out, " [postcode removed]");
			found |= SCRUB_POSTCODE;
		} else if ((len = match_digits(s, n, i, &kind)) > 0) {
			buf_adds(out, kind == SCRUB_PHONE ? "[phone removed]" : "[number removed]");
			found |= kind;
		} else {
			buf_addc(out, s[i++]);
			continue;
		}
		i += len;
	}
	return found;
}
