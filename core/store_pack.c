/* store_pack: the one-row form of a response's answers (migration 4), shared
 * by writing (store_add.c), reading (store_read.c) and the migration that
 * moved the old answer rows (store_move.c).  See store_int.h for the form. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "store_int.h"

int
pbuf_room(struct pbuf *b, size_t n)
{
	if (n > SIZE_MAX / 2 - b->n)
		return -1;
	if (b->n + n > b->cap) {
		size_t		 cap = b->cap ? b->cap : 1024;
		unsigned char	*p;
		while (cap < b->n + n)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	return 0;
}

int
pbuf_add(struct pbuf *b, const void *p, size_t n)
{
	if (pbuf_room(b, n) != 0)
		return -1;
	if (n > 0)
		memcpy(b->p + b->n, p, n);
	b->n += n;
	return 0;
}

void
pbuf_free(struct pbuf *b, int wipe)
{
	if (wipe && b->p != NULL)
		sodium_memzero(b->p, b->cap);
	free(b->p);
	memset(b, 0, sizeof *b);
}

/* s (n bytes) as a JSON string: quotes, backslashes and control characters
 * escaped, every other byte as it is (SQLite's JSON reads UTF-8 through). */
static int
json_str(struct pbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;

	if (pbuf_room(b, n + 2) != 0)
		return -1;
	b->p[b->n++] = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char	c = (unsigned char)s[i];
		char		e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (pbuf_add(b, s + run, i - run) != 0)
			return -1;
		run = i + 1;
		if (c == '"' || c == '\\')
			e[1] = (char)c;
		if (pbuf_add(b, e, c == '"' || c == '\\' ? 2 : 6) != 0)
			return -1;
	}
	if (pbuf_add(b, s + run, n - run) != 0)
		return -1;
	return pbuf_add(b, "\"", 1);
}

int
pack_answer(struct pbuf *b, const char *question, int pos, const char *value, size_t len)
{
	char num[16];
	int  k = snprintf(num, sizeof num, ",%d,", pos);

	if (pbuf_add(b, b->n > 1 ? ",[" : "[", b->n > 1 ? 2 : 1) != 0 ||
	    json_str(b, question, strlen(question)) != 0 ||
	    pbuf_add(b, num, (size_t)k) != 0)
		return -1;
	if (value == NULL)
		return pbuf_add(b, "null]", 5);
	if (json_str(b, value, len) != 0)
		return -1;
	return pbuf_add(b, "]", 1);
}

int
pack_len(struct pbuf *b, size_t n)
{
	unsigned char h[4] = { (unsigned char)n, (unsigned char)(n >> 8),
	    (unsigned char)(n >> 16), (unsigned char)(n >> 24) };

	return n > UINT32_MAX ? -1 : pbuf_add(b, h, 4);
}

int
pack_piece(struct pbuf *b, const void *p, size_t n)
{
	return pack_len(b, n) != 0 ? -1 : pbuf_add(b, p, n);
}

const unsigned char *
unpack_piece(const unsigned char **cur, const unsigned char *end, size_t *n)
{
	const unsigned char *p = *cur;

	if (end - p < 4)
		return NULL;
	*n = (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
	if ((size_t)(end - p - 4) < *n)
		return NULL;
	*cur = p + 4 + *n;
	return p + 4;
}

/* Reading the answers column back: a strict JSON reader for its one shape
 * (white space allowed, every JSON string escape decoded), in place of
 * SQLite's json_each, whose per-element text and re-parsing tripled the
 * analysis tool's read time. */

static void
skip_ws(struct jcur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

/* Takes c if it is next (after white space). */
static int
take(struct jcur *c, char ch)
{
	skip_ws(c);
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return 1;
	}
	return 0;
}

static int
hex4(struct jcur *c, unsigned *v)
{
	*v = 0;
	if (c->end - c->p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char h = *c->p++;
		int  d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 :
		    h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		*v = *v << 4 | (unsigned)d;
	}
	return 0;
}

/* \uXXXX (a surrogate pair as one code point) as UTF-8 at out; its length. */
static int
unicode(struct jcur *c, char *out)
{
	unsigned v, lo;
	int	 n = 0;

	if (hex4(c, &v) != 0)
		return -1;
	if (v >= 0xd800 && v < 0xdc00 && c->end - c->p >= 6 && c->p[0] == '\\' &&
	    c->p[1] == 'u') {
		c->p += 2;
		if (hex4(c, &lo) != 0 || lo < 0xdc00 || lo >= 0xe000)
			return -1;
		v = 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (v < 0x80)
		out[n++] = (char)v;
	else if (v < 0x800)
		out[n++] = (char)(0xc0 | v >> 6);
	else if (v < 0x10000)
		out[n++] = (char)(0xe0 | v >> 12);
	else
		out[n++] = (char)(0xf0 | v >> 18);
	for (int shift = (n == 1 ? -6 : v < 0x800 ? 0 : v < 0x10000 ? 6 : 12); shift >= 0;
	    shift -= 6)
		out[n++] = (char)(0x80 | ((v >> shift) & 0x3f));
	return n;
}

/* One escape after the backslash, decoded at out; its length, -1 if bad. */
static int
escape(struct jcur *c, char *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k;

	if (c->p >= c->end)
		return -1;
	if (*c->p == 'u') {
		c->p++;
		return unicode(c, out);
	}
	if ((k = memchr(from, *c->p, sizeof from - 1)) == NULL)
		return -1;
	c->p++;
	*out = to[k - from];
	return 1;
}

/* A JSON string decoded at out with a NUL; *n its length. */
static int
string(struct jcur *c, char *out, size_t *n)
{
	int k;

	*n = 0;
	if (!take(c, '"'))
		return -1;
	while (c->p < c->end && *c->p != '"') {
		/* The next quote, then a backslash only before it: searching the
		 * rest of the column for a backslash that is usually not there
		 * made a row's decoding quadratic in its length. */
		const char *q = memchr(c->p, '"', (size_t)(c->end - c->p));
		const char *bs = q != NULL ? memchr(c->p, '\\', (size_t)(q - c->p)) : NULL;
		const char *stop = bs != NULL ? bs : q;
		if (stop == NULL)
			return -1;
		memcpy(out + *n, c->p, (size_t)(stop - c->p));
		*n += (size_t)(stop - c->p);
		c->p = stop;
		if (*stop == '\\') {
			c->p++;
			if ((k = escape(c, out + *n)) < 0)
				return -1;
			*n += (size_t)k;
		}
	}
	if (c->p >= c->end)
		return -1;
	c->p++;
	out[*n] = '\0';
	return 0;
}

static int
integer(struct jcur *c, int *v)
{
	long x = 0;

	skip_ws(c);
	if (c->p >= c->end || *c->p < '0' || *c->p > '9')
		return -1;
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9' && x <= INT_MAX)
		x = x * 10 + (*c->p++ - '0');
	if (x > INT_MAX)
		return -1;
	*v = (int)x;
	return 0;
}

int
unpack_begin(struct jcur *c, const char *s, size_t n)
{
	c->p = s;
	c->end = s + n;
	c->n = 0;
	return take(c, '[') ? 0 : -1;
}

int
unpack_answer(struct jcur *c, char *out, size_t *qn, int *pos, size_t *vn)
{
	if (take(c, ']')) {
		skip_ws(c);
		return c->p == c->end ? 0 : -1;
	}
	if ((c->n++ > 0 && !take(c, ',')) || !take(c, '[') ||
	    string(c, out, qn) != 0 || !take(c, ',') || integer(c, pos) != 0 || !take(c, ','))
		return -1;
	skip_ws(c);
	if (c->end - c->p >= 4 && memcmp(c->p, "null", 4) == 0) {
		c->p += 4;
		*vn = SIZE_MAX;
	} else if (string(c, out + *qn + 1, vn) != 0) {
		return -1;
	}
	return take(c, ']') ? 1 : -1;
}
