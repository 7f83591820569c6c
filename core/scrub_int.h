/* scrub_int: what the scrub matchers share; internal to core/scrub*.c.
 * The matchers read a folded view of the text, one byte per code point kept:
 * the ASCII form after compatibility decomposition and lumping (full-width
 * letters and digits, non-breaking and other spaces, dashes, curly quotes and
 * the full-width at sign become ASCII; accents are dropped, so "josé" reads
 * "jose"), V_LETTER for any other letter and V_OTHER for anything else.
 * Combining marks and invisible characters (zero-width space, soft hyphen)
 * are left out of the view.  A matcher returns the length of its match in
 * view bytes, 0 for none, and looks only at c[0..len): v_at() reads 0 past
 * the end. */
#ifndef SCRUB_INT_H
#define SCRUB_INT_H
#include <stddef.h>
#include <string.h>

enum { V_LETTER = 0x80, V_OTHER = 0x81 };

struct view {
	const unsigned char	*c;
	size_t			 len;
};

static inline unsigned
v_at(const struct view *v, size_t i)
{
	return i < v->len ? v->c[i] : 0;
}

static inline int v_digit(unsigned c) { return c >= '0' && c <= '9'; }
static inline int v_alpha(unsigned c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static inline int v_letter(unsigned c) { return v_alpha(c) || c == V_LETTER; }
static inline int v_alnum(unsigned c) { return v_digit(c) || v_letter(c); }
static inline int v_space(unsigned c) { return c == ' ' || c == '\t'; }
static inline unsigned v_lower(unsigned c) { return v_alpha(c) ? c | 0x20 : c; }

/* c is an ASCII byte other than NUL listed in set. */
static inline int
v_in(unsigned c, const char *set)
{
	for (; *set != '\0'; set++)	/* a loop the compiler unrolls for a literal set */
		if ((unsigned char)*set == c)
			return 1;
	return 0;
}

/* The view at i starts with w (lower-case ASCII), in any case. */
static inline int
v_word(const struct view *v, size_t i, const char *w)
{
	for (; *w != '\0'; w++, i++)
		if (v_lower(v_at(v, i)) != (unsigned char)*w)
			return 0;
	return 1;
}

/* Matchers in core/scrub_net.c: a link with a scheme or "www." ... */
size_t scrub_url(const struct view *v, size_t i);
/* ... an e-mail address, also written "name at example dot com" ... */
size_t scrub_email(const struct view *v, size_t i);
/* ... and a bare domain such as "bit.ly/x" or "example.co.uk". */
size_t scrub_domain(const struct view *v, size_t i);
#endif
