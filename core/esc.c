/* esc: one escaper per output context, all driven by one UTF-8 walk.
 * Invariants: every escaper copies runs of harmless ASCII in bulk, drops NUL,
 * replaces each maximal invalid UTF-8 subpart (the Unicode and WHATWG rule)
 * with U+FFFD, and passes valid multi-byte sequences through unchanged,
 * except that esc_url percent-encodes them and esc_json escapes U+2028/2029. */
#include <stdint.h>
#include <string.h>

#include "esc.h"

static const char REPL[] = "\xEF\xBF\xBD";	/* U+FFFD */
static const char HEX[] = "0123456789ABCDEF";	/* RFC 3986 prefers upper case */
static const char hex[] = "0123456789abcdef";	/* JSON, as most encoders write it */

/*
 * Decodes the sequence at s[0..n), n > 0, whose first byte is >= 0x80.
 * Returns the bytes consumed (>= 1) and sets *cp, or sets *cp to -1 when the
 * bytes form no valid sequence: then the return value is the length of the
 * maximal subpart, so "E2 82 41" yields one U+FFFD and then "A".  The second
 * byte's range excludes overlongs (E0, F0), surrogates (ED) and > U+10FFFF (F4).
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, long *cp)
{
	unsigned char	lo = 0x80, hi = 0xBF;
	size_t		need, i;
	long		c;

	*cp = -1;
	if (s[0] < 0xC2 || s[0] > 0xF4)
		return 1;
	if (s[0] < 0xE0) {
		need = 1;
		c = s[0] & 0x1F;
	} else if (s[0] < 0xF0) {
		need = 2;
		c = s[0] & 0x0F;
		lo = s[0] == 0xE0 ? 0xA0 : 0x80;
		hi = s[0] == 0xED ? 0x9F : 0xBF;
	} else {
		need = 3;
		c = s[0] & 0x07;
		lo = s[0] == 0xF0 ? 0x90 : 0x80;
		hi = s[0] == 0xF4 ? 0x8F : 0xBF;
	}
	for (i = 1; i <= need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi)
			return i;
		c = (c << 6) | (s[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = c;
	return need + 1;
}

/* One output context: which ASCII bytes pass as they are, how the others
 * (never NUL) are written, how a valid or replaced multi-byte sequence is
 * written, and what comes before and after the whole (NULL: nothing). */
struct ctx {
	int	(*plain)(unsigned char);
	void	(*ascii)(struct buf *, unsigned char);
	void	(*multi)(struct buf *, const char *, size_t, long);
	void	(*open)(struct buf *, const char *, size_t);
	const char *close;
};

static void
multi_raw(struct buf *out, const char *s, size_t n, long cp)
{
	(void)cp;
	buf_add(out, s, n);
}

static inline void
esc_walk(struct buf *out, const char *s, size_t n, const struct ctx *x)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, j, k;
	long			 cp;

	while (i < n) {
		for (j = i; j < n && p[j] < 0x80 && x->plain(p[j]); j++)
			continue;
		if (j > i)
			buf_add(out, p + i, j - i);
		if (j == n)
			break;
		if (p[j] < 0x80) {
			if (p[j] != 0)
				x->ascii(out, p[j]);
			i = j + 1;
			continue;
		}
		k = utf8_decode(p + j, n - j, &cp);
		if (cp < 0)
			x->multi(out, REPL, 3, 0xFFFD);
		else
			x->multi(out, (const char *)p + j, k, cp);
		i = j + k;
	}
}

static int
html_plain(unsigned char c)
{
	return c != 0 && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'';
}

static void
html_ascii(struct buf *out, unsigned char c)
{
	switch (c) {
	case '&':  buf_add(out, "&amp;", 5); break;
	case '<':  buf_add(out, "&lt;", 4); break;
	case '>':  buf_add(out, "&gt;", 4); break;
	case '"':  buf_add(out, "&quot;", 6); break;
	case '\'': buf_add(out, "&#39;", 5); break;
	default:   buf_addc(out, (char)c); break;
	}
}

static int
url_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

static void
url_ascii(struct buf *out, unsigned char c)
{
	char	e[3] = { '%', HEX[c >> 4], HEX[c & 15] };

	buf_add(out, e, 3);
}

static void
url_multi(struct buf *out, const char *s, size_t n, long cp)
{
	size_t	i;

	(void)cp;
	for (i = 0; i < n; i++)
		url_ascii(out, (unsigned char)s[i]);
}

static int
csv_plain(unsigned char c)
{
	return c != 0 && c != '"';
}

static void
csv_ascii(struct buf *out, unsigned char c)
{
	if (c == '"')
		buf_add(out, "\"\"", 2);
	else
		buf_addc(out, (char)c);
}

/* A CSV cell's opening quote, and the ' that stops a spreadsheet reading it
 * as a formula.  The check looks past leading NULs, since they are dropped
 * and the spreadsheet would see the byte after them first. */
static void
csv_open(struct buf *out, const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n && s[i] == '\0'; i++)
		continue;
	buf_addc(out, '"');
	if (i < n && strchr("=+-@\t\r", s[i]) != NULL)
		buf_addc(out, '\'');
}

static int
json_plain(unsigned char c)
{
	return c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' &&
	    c != '&';
}

static void
json_ascii(struct buf *out, unsigned char c)
{
	char	u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

	switch (c) {
	case '"':  buf_add(out, "\\\"", 2); break;
	case '\\': buf_add(out, "\\\\", 2); break;
	case '\n': buf_add(out, "\\n", 2); break;
	case '\r': buf_add(out, "\\r", 2); break;
	case '\t': buf_add(out, "\\t", 2); break;
	case '\b': buf_add(out, "\\b", 2); break;
	case '\f': buf_add(out, "\\f", 2); break;
	default:   buf_add(out, u, 6); break;
	}
}

/* U+2028 and U+2029 are legal in JSON but end a line in older JavaScript
 * parsers, so JSON placed in a <script> block escapes them too. */
static void
json_multi(struct buf *out, const char *s, size_t n, long cp)
{
	if (cp == 0x2028)
		buf_add(out, "\\u2028", 6);
	else if (cp == 0x2029)
		buf_add(out, "\\u2029", 6);
	else
		buf_add(out, s, n);
}

/* The contexts of esc.h. */
static const struct ctx ctxs[] = {
	[ESC_HTML] = { html_plain, html_ascii, multi_raw, NULL, NULL },
	[ESC_URL] = { url_plain, url_ascii, url_multi, NULL, NULL },
	[ESC_CSV] = { csv_plain, csv_ascii, multi_raw, csv_open, "\"" },
	[ESC_JSON] = { json_plain, json_ascii, json_multi, NULL, NULL },
};

void
esc(struct buf *out, enum esc_to to, const char *s, size_t n)
{
	const struct ctx *x = &ctxs[to];

	if (x->open != NULL)
		x->open(out, s, n);
	esc_walk(out, s, n, x);
	if (x->close != NULL)
		buf_add(out, x->close, strlen(x->close));
}

int
utf8_valid(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0;
	long			 cp;

	while (i < n) {
		if (p[i] == 0)
			return 0;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		i += utf8_decode(p + i, n - i, &cp);
		if (cp < 0)
			return 0;
	}
	return 1;
}

/* On invalid input each maximal invalid subpart counts as one, matching the
 * number of characters the escapers would write. */
size_t
utf8_len(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, count = 0;
	long			 cp;

	while (i < n) {
		i += p[i] < 0x80 ? 1 : utf8_decode(p + i, n - i, &cp);
		count++;
	}
	return count;
}
