/* form: hostile-input parsing of query strings, urlencoded bodies and Cookie
 * headers into the request arena.
 *
 * Invariants: every limit is checked before the memory it guards is
 * allocated (the field count before the field array, a decoded length before
 * the string); each input byte is looked at a bounded number of times, so a
 * parse is linear in its input; nothing recurses.  A kv handed out has a
 * NUL-terminated name and value, both valid UTF-8, the name free of control
 * characters, the value free of C0 controls other than TAB and LF. */
#include <string.h>

#include "esc.h"
#include "form.h"
#include "util.h"

const struct form_limits form_default_limits = {
	600,	/* max_fields */
	80,	/* max_name */
	16384	/* max_value */
};

static const char *const form_errs[FORM__MAX] = {
	"no error",					/* FORM_OK */
	"too many fields",				/* FORM_TOO_MANY */
	"a field name or value is too long",		/* FORM_TOO_LONG */
	"broken percent escape",			/* FORM_BAD_ENCODING */
	"invalid UTF-8 or a control character",		/* FORM_BAD_UTF8 */
	"out of memory"					/* FORM_NOMEM */
};

const char *
form_strerror(enum form_err e)
{
	if ((unsigned)e >= FORM__MAX)
		return "unknown form error";
	return form_errs[e];
}

static int
hexval(char ch)
{
	unsigned char c = (unsigned char)ch;

	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Number of segments of s[0..n) between separators `sep` that hold at least
 * one byte not in `blank` (so "&&" and, for cookies, "; ;" count nothing). */
static size_t
count_segments(const char *s, size_t n, char sep, const char *blank)
{
	size_t	 i, count = 0;
	int	 filled = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == sep) {
			count += filled;
			filled = 0;
		} else if (!filled && (s[i] == '\0' || strchr(blank, s[i]) == NULL))
			filled = 1;
	}
	return count + filled;
}

/* Checks the escapes of an urlencoded token and measures it decoded. */
static enum form_err
decoded_len(const char *s, size_t n, size_t max, size_t *len)
{
	size_t	 i, d = 0;

	for (i = 0; i < n; i++, d++) {
		if (s[i] != '%')
			continue;
		if (n - i < 3 || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
			return FORM_BAD_ENCODING;
		i += 2;
	}
	if (d > max)
		return FORM_TOO_LONG;
	*len = d;
	return FORM_OK;
}

/* Decodes a token checked by decoded_len() into dst and NUL-terminates it. */
static void
decode(char *dst, const char *s, size_t n)
{
	size_t	 i, d = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '+')
			dst[d++] = ' ';
		else if (s[i] == '%') {
			dst[d++] = (char)(hexval(s[i + 1]) << 4 | hexval(s[i + 2]));
			i += 2;
		} else
			dst[d++] = s[i];
	}
	dst[d] = '\0';
}

/* 1 when p[0..n) is valid UTF-8 without control characters, except TAB, CR
 * and LF when it is a value.  DEL counts as a control in names only. */
static int
text_ok(const char *p, size_t n, int value)
{
	size_t		 i;
	unsigned char	 c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if (c == 0x7f && !value)
			return 0;
		if (c >= 0x20)
			continue;
		if (!value || (c != '\t' && c != '\n' && c != '\r'))
			return 0;
	}
	return utf8_valid(p, n);
}

/* Folds CR LF and lone CR to LF in place; returns the new length. */
static size_t
fold_newlines(char *p, size_t n)
{
	size_t	 i, o = 0;

	for (i = 0; i < n; i++) {
		if (p[i] != '\r')
			p[o++] = p[i];
		else {
			p[o++] = '\n';
			if (i + 1 < n && p[i + 1] == '\n')
				i++;
		}
	}
	p[o] = '\0';
	return o;
}

/* One non-empty "name=value" or "name" pair of an urlencoded string. */
static enum form_err
parse_pair(const char *s, size_t n, const struct form_limits *lim,
    struct arena *a, struct kv *kv, int *kept)
{
	const char	*eq, *rv;
	size_t		 rn, rvn, nlen = 0, vlen = 0;
	char		*p;
	enum form_err	 er;

	eq = memchr(s, '=', n);
	rn = eq != NULL ? (size_t)(eq - s) : n;
	rv = eq != NULL ? eq + 1 : s + n;
	rvn = eq != NULL ? n - rn - 1 : 0;
	if ((er = decoded_len(s, rn, lim->max_name, &nlen)) != FORM_OK)
		return er;
	if ((er = decoded_len(rv, rvn, lim->max_value, &vlen)) != FORM_OK)
		return er;
	if ((p = arena_alloc(a, nlen + vlen + 2)) == NULL)
		return FORM_NOMEM;
	decode(p, s, rn);
	decode(p + nlen + 1, rv, rvn);
	if (!text_ok(p, nlen, 0) || !text_ok(p + nlen + 1, vlen, 1))
		return FORM_BAD_UTF8;
	kv->name = p;
	kv->value = p + nlen + 1;
	kv->vlen = fold_newlines(p + nlen + 1, vlen);
	*kept = 1;
	return FORM_OK;
}

/* RFC 7230 token characters, which RFC 6265 requires of a cookie name. */
static int
is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 6265 cookie-octet: visible ASCII except DQUOTE , ; and backslash. */
static int
is_cookie_octet(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' &&
	    c != '\\';
}

static int
all_of(const char *s, size_t n, int (*ok)(unsigned char))
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!ok((unsigned char)s[i]))
			return 0;
	return 1;
}

/* One cookie-pair; sets *kept to 0 when it is malformed and so skipped. */
static enum form_err
parse_cookie(const char *s, size_t n, const struct form_limits *lim, struct arena *a,
    struct kv *kv, int *kept)
{
	const char	*eq, *val;
	size_t		 nn, vn;
	char		*p;

	*kept = 0;
	trim_blank(&s, &n);
	if ((eq = memchr(s, '=', n)) == NULL)
		return FORM_OK;
	nn = (size_t)(eq - s);
	val = eq + 1;
	vn = n - nn - 1;
	trim_blank(&s, &nn);
	trim_blank(&val, &vn);
	if (vn >= 2 && val[0] == '"' && val[vn - 1] == '"') {
		val++;
		vn -= 2;
	}
	if (nn == 0 || nn > lim->max_name || vn > lim->max_value ||
	    !all_of(s, nn, is_tchar) || !all_of(val, vn, is_cookie_octet))
		return FORM_OK;
	if ((p = arena_alloc(a, nn + vn + 2)) == NULL)
		return FORM_NOMEM;
	memcpy(p, s, nn);
	p[nn] = '\0';
	memcpy(p + nn + 1, val, vn);
	p[nn + 1 + vn] = '\0';
	kv->name = p;
	kv->value = p + nn + 1;
	kv->vlen = vn;
	*kept = 1;
	return FORM_OK;
}

/* How a string splits into fields: at sep, a piece that is only blank
 * characters counting as no field, each non-empty piece parsed by one
 * (which fills kv, or sets *kept to 0 to skip the piece). */
struct pieces {
	char		 sep;
	const char	*blank;
	enum form_err	(*one)(const char *s, size_t n, const struct form_limits *lim,
			    struct arena *a, struct kv *kv, int *kept);
};

static const struct pieces urlencoded = { '&', "", parse_pair };
static const struct pieces cookie_header = { ';', " \t", parse_cookie };

static enum form_err
split(const char *s, size_t n, const struct pieces *how, const struct form_limits *lim,
    struct arena *a, struct kvlist *out)
{
	struct kv	*v;
	const char	*sep;
	size_t		 max, start, end, k = 0;
	int		 kept = 0;
	enum form_err	 er;

	out->v = NULL;
	out->n = 0;
	if (s == NULL)
		n = 0;
	if ((max = count_segments(s, n, how->sep, how->blank)) > lim->max_fields)
		return FORM_TOO_MANY;
	if (max == 0)
		return FORM_OK;
	if ((v = arena_calloc(a, max, sizeof(*v))) == NULL)
		return FORM_NOMEM;
	for (start = 0; start < n; start = end + 1) {
		sep = memchr(s + start, how->sep, n - start);
		end = sep != NULL ? (size_t)(sep - s) : n;
		if (end == start)
			continue;
		if ((er = how->one(s + start, end - start, lim, a, &v[k], &kept)) != FORM_OK)
			return er;
		k += (size_t)kept;
	}
	out->v = v;
	out->n = k;
	return FORM_OK;
}

enum form_err
form_parse(const char *s, size_t n, const struct form_limits *lim,
    struct arena *a, struct kvlist *out)
{
	return split(s, n, &urlencoded, lim != NULL ? lim : &form_default_limits, a, out);
}

enum form_err
form_parse_cookies(const char *s, size_t n, struct arena *a, struct kvlist *out)
{
	return split(s, n, &cookie_header, &form_default_limits, a, out);
}

const char *
kv_get(const struct kvlist *l, const char *name)
{
	size_t	 i;

	if (l == NULL || name == NULL)
		return NULL;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return l->v[i].value;
	return NULL;
}

size_t
kv_count(const struct kvlist *l, const char *name)
{
	size_t	 i, count = 0;

	if (l == NULL || name == NULL)
		return 0;
	for (i = 0; i < l->n; i++)
		count += strcmp(l->v[i].name, name) == 0;
	return count;
}
