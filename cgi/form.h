/* form: parsing of everything a request brings from outside: the query
 * string, an application/x-www-form-urlencoded body and the Cookie header.
 * Hostile until proven otherwise: every limit is checked, every name and value
 * is percent-decoded and must be valid UTF-8 without NUL or other C0 controls
 * (TAB, CR and LF allowed in values only, and CR LF is folded to LF).
 * Results live in the request arena. */
#ifndef FORM_H
#define FORM_H
#include <stddef.h>
#include "arena.h"

struct kv {
	const char	*name;
	const char	*value;
	size_t		 vlen;	/* bytes, excluding the NUL */
};

struct kvlist {
	struct kv	*v;
	size_t		 n;
};

struct form_limits {
	size_t	max_fields;	/* default 600 */
	size_t	max_name;	/* bytes after decoding; default 80 */
	size_t	max_value;	/* bytes after decoding; default 16384 */
};

enum form_err {
	FORM_OK,
	FORM_TOO_MANY,		/* more fields than max_fields */
	FORM_TOO_LONG,		/* a name or value over its limit */
	FORM_BAD_ENCODING,	/* broken %XX escape */
	FORM_BAD_UTF8,		/* invalid UTF-8 or a control character */
	FORM_NOMEM,
	FORM__MAX
};
const char *form_strerror(enum form_err e);
extern const struct form_limits form_default_limits;

/* Parses "a=1&b=2" (query string or urlencoded body; '+' is a space).  Empty
 * pairs ("&&") are skipped; a pair without '=' has an empty value.  lim NULL
 * means form_default_limits.  On any error out is empty ({NULL, 0}). */
enum form_err form_parse(const char *s, size_t n, const struct form_limits *lim,
    struct arena *a, struct kvlist *out) __attribute__((warn_unused_result));
/* Parses a Cookie header ("a=1; b=2"); values are not percent-decoded, and
 * cookies with invalid names or values are skipped rather than failing.  A
 * name must be an RFC 6265 token, a value RFC 6265 cookie-octets (surrounding
 * double quotes are removed), both within form_default_limits.  More cookies
 * than form_default_limits.max_fields is FORM_TOO_MANY. */
enum form_err form_parse_cookies(const char *s, size_t n, struct arena *a,
    struct kvlist *out) __attribute__((warn_unused_result));

/* First value for name, or NULL. */
const char *kv_get(const struct kvlist *l, const char *name);
/* Number of fields named name. */
size_t kv_count(const struct kvlist *l, const char *name);
#endif
