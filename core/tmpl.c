/* tmpl: the compiler from template source to ops (see tmpl_int.h for the
 * compiled form).  Whitespace is kept exactly as written; a tag's error names
 * the line the tag starts on. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl_int.h"
#include "util.h"

struct comp {
	struct tmpl_set	*set;
	struct tmpl	*t;
	char		*err;
	size_t		 errlen;
	uint32_t	 line;	/* of the tag being compiled */
	uint32_t	 open[TMPL_NEST];
	uint32_t	 nopen;
};

static int __attribute__((format(printf, 3, 4)))
fail(struct comp *c, uint32_t line, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	n = snprintf(c->err, c->errlen, "%s:%u: ", c->t->file, line);
	if (n >= 0 && (size_t)n < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Appends an op; its index is t->nops - 1.  NULL (error set) on OOM. */
static struct op *
emit(struct comp *c, enum opk kind, const char *s, size_t len)
{
	struct tmpl	*t = c->t;
	struct op	*o;

	if (t->nops == t->cap && (t->cap >= NOREF / 4 ||
	    grow(&t->ops, &t->cap, t->nops, sizeof(*t->ops), 16) != 0)) {
		fail(c, c->line, "out of memory");
		return NULL;
	}
	o = &t->ops[t->nops++];
	*o = (struct op){ kind, c->line, NOREF, 0, s, len, NULL };
	return o;
}

static int
is_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

/* Reports s[i] as not allowed in the name s[0..n); bytes that would garble
 * the message are shown in hex. */
static int
bad_char(struct comp *c, const char *what, const char *s, size_t n, size_t i)
{
	unsigned char	ch = (unsigned char)s[i];

	if (ch > 0x20 && ch < 0x7F)
		return fail(c, c->line, "bad character '%c' in %s '%.*s'", ch, what,
		    (int)n, s);
	return fail(c, c->line, "bad byte 0x%02X in %s", ch, what);
}

/* Stores the name s[0..n) and its split form in o; names are segments of
 * [A-Za-z0-9_-] joined by dots. */
static int
set_name(struct comp *c, struct op *o, const char *s, size_t n)
{
	struct tseg	*seg;
	size_t		 i, start = 0, k = 0;

	if (n == 0)
		return fail(c, c->line, "empty name");
	for (i = 0; i < n; i++) {
		if (s[i] == '.')
			k++;
		else if (!is_name_char(s[i]))
			return bad_char(c, "name", s, n, i);
	}
	if (++k > TMPL_SEGS)
		return fail(c, c->line, "name '%.*s' has too many parts", (int)n, s);
	if ((o->s = arena_strndup(c->set->a, s, n)) == NULL ||
	    (seg = arena_calloc(c->set->a, k, sizeof(*seg))) == NULL)
		return fail(c, c->line, "out of memory");
	o->len = n;
	o->nseg = (uint32_t)k;
	o->seg = seg;
	for (k = 0, i = 0; i <= n; i++) {
		if (i < n && s[i] != '.')
			continue;
		if (i == start)
			return fail(c, c->line, "empty part in name '%.*s'", (int)n, s);
		seg[k++] = (struct tseg){ o->s + start, i - start };
		start = i + 1;
	}
	return 0;
}

static int
c_var(struct comp *c, const char *s, size_t n)
{
	const char	*bar = memchr(s, '|', n);
	size_t		 nn = bar ? (size_t)(bar - s) : n;
	enum opk	 kind = OP_VAR;
	struct op	*o;

	if (bar != NULL) {
		if (n - nn - 1 != 3 || memcmp(bar + 1, "url", 3) != 0)
			return fail(c, c->line, "unknown filter '%.*s'",
			    (int)(n - nn - 1), bar + 1);
		kind = OP_URL;
	}
	if (nn == 7 && memcmp(s, "@number", 7) == 0)
		return emit(c, OP_NUMBER, "@number", 7) ? 0 : -1;
	if (nn == 6 && memcmp(s, "@index", 6) == 0)
		return emit(c, OP_INDEX, "@index", 6) ? 0 : -1;
	if (nn > 0 && !is_name_char(s[0]))
		return fail(c, c->line, "unknown tag syntax {{%.*s}}", (int)n, s);
	if (nn == 14 && memcmp(s, "unescaped_html", 14) == 0)
		return fail(c, c->line, "unescaped_html needs a name");
	if ((o = emit(c, kind, NULL, 0)) == NULL)
		return -1;
	return set_name(c, o, s, nn);
}

static int
c_open(struct comp *c, enum opk kind, const char *s, size_t n)
{
	struct op	*o;

	if (c->nopen == TMPL_NEST)
		return fail(c, c->line, "sections nested deeper than %d", TMPL_NEST);
	if ((o = emit(c, kind, NULL, 0)) == NULL || set_name(c, o, s, n) == -1)
		return -1;
	c->open[c->nopen++] = c->t->nops - 1;
	return 0;
}

static int
c_close(struct comp *c, const char *s, size_t n)
{
	struct op	*o, *opener;
	uint32_t	 at;

	if (c->nopen == 0)
		return fail(c, c->line, "close {{/%.*s}} without an open section",
		    (int)n, s);
	at = c->open[c->nopen - 1];
	opener = &c->t->ops[at];
	if (opener->len != n || memcmp(opener->s, s, n) != 0)
		return fail(c, c->line, "mismatched close {{/%.*s}}, expected {{/%s}}",
		    (int)n, s, opener->s);
	if ((o = emit(c, OP_END, c->t->ops[at].s, n)) == NULL)
		return -1;
	o->ref = at;
	c->t->ops[at].ref = c->t->nops - 1;
	c->nopen--;
	return 0;
}

static int
c_partial(struct comp *c, const char *s, size_t n)
{
	struct op	*o;
	size_t		 i;

	if (n == 0)
		return fail(c, c->line, "empty name");
	for (i = 0; i < n; i++)
		if (!is_name_char(s[i]) && s[i] != '.')
			return bad_char(c, "partial", s, n, i);
	if ((o = emit(c, OP_PARTIAL, NULL, n)) == NULL)
		return -1;
	if ((o->s = arena_strndup(c->set->a, s, n)) == NULL)
		return fail(c, c->line, "out of memory");
	return 0;
}

static int
has_space(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strchr(" \t\r\n\v\f", s[i]) != NULL && s[i] != '\0')
			return 1;
	return 0;
}

/* One tag's content s[0..n), between the braces. */
static int
c_tag(struct comp *c, const char *s, size_t n)
{
	static const char raw[] = "unescaped_html ";
	const size_t	  rawn = sizeof(raw) - 1;
	struct op	 *o;

	if (n > 0 && s[0] == '!')
		return 0;
	if (n == 0)
		return fail(c, c->line, "empty name {{}}");
	if (n > rawn && memcmp(s, raw, rawn) == 0 && !has_space(s + rawn, n - rawn)) {
		if ((o = emit(c, OP_RAW, NULL, 0)) == NULL)
			return -1;
		return set_name(c, o, s + rawn, n - rawn);
	}
	if (has_space(s, n))
		return fail(c, c->line, "tag with spaces {{%.*s}}", (int)n, s);
	switch (s[0]) {
	case '#':
		return c_open(c, OP_SECTION, s + 1, n - 1);
	case '^':
		return c_open(c, OP_INVERTED, s + 1, n - 1);
	case '/':
		return c_close(c, s + 1, n - 1);
	case '>':
		return c_partial(c, s + 1, n - 1);
	default:
		return c_var(c, s, n);
	}
}

static uint32_t
count_lines(const char *s, size_t n)
{
	const char	*end = s + n;
	uint32_t	 k = 0;

	while ((s = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		k++;
		s++;
	}
	return k;
}

static int
compile(struct comp *c, const char *src, size_t n)
{
	const char	*p = src, *end = src + n, *open, *close;

	c->line = 1;
	while (p < end) {
		if ((open = memmem(p, (size_t)(end - p), "{{", 2)) == NULL)
			open = end;
		if (open > p && emit(c, OP_TEXT, p, (size_t)(open - p)) == NULL)
			return -1;
		c->line += count_lines(p, (size_t)(open - p));
		if (open == end)
			break;
		close = memmem(open + 2, (size_t)(end - open - 2), "}}", 2);
		if (close == NULL || (open[2] != '!' &&
		    memmem(open + 2, (size_t)(close - open - 2), "{{", 2) != NULL))
			return fail(c, c->line, "unclosed tag {{");
		if (c_tag(c, open + 2, (size_t)(close - open - 2)) == -1)
			return -1;
		c->line += count_lines(open, (size_t)(close - open));
		p = close + 2;
	}
	if (c->nopen > 0)
		return fail(c, c->t->ops[c->open[c->nopen - 1]].line,
		    "unclosed section {{%c%s}}",
		    c->t->ops[c->open[c->nopen - 1]].kind == OP_SECTION ? '#' : '^',
		    c->t->ops[c->open[c->nopen - 1]].s);
	return 0;
}

int
tmpl_compile(struct tmpl_set *set, struct tmpl *t, const char *src, size_t n,
    char *err, size_t errlen)
{
	struct comp	c = { set, t, err, errlen, 1, { 0 }, 0 };

	return compile(&c, src, n);
}
