/* esc: one escaper per output context.  Every function appends to a buf and
 * never fails on content: invalid UTF-8 becomes U+FFFD and NUL bytes are
 * dropped, so hostile input can neither break out of its context nor smuggle
 * bytes a browser or spreadsheet would misread. */
#ifndef ESC_H
#define ESC_H
#include <stddef.h>
#include "buf.h"

/* The output contexts. */
enum esc_to {
	ESC_HTML,	/* HTML text and quoted attribute values: & < > " ' escaped */
	ESC_URL,	/* one URL component (path segment or query value): RFC 3986
			 * unreserved characters pass, all else is percent-encoded */
	ESC_CSV,	/* one CSV cell (RFC 4180): always quoted, quotes doubled, and
			 * a cell starting with = + - @ TAB or CR is prefixed with '
			 * so a spreadsheet will not run it */
	ESC_JSON	/* the inside of a JSON string (no surrounding quotes) */
};

/* Appends s[0..n) to out, escaped for the context to. */
void esc(struct buf *out, enum esc_to to, const char *s, size_t n);
#define esc_html(out, s, n)	esc((out), ESC_HTML, (s), (n))
#define esc_url(out, s, n)	esc((out), ESC_URL, (s), (n))
#define esc_csv(out, s, n)	esc((out), ESC_CSV, (s), (n))
#define esc_json(out, s, n)	esc((out), ESC_JSON, (s), (n))

/* 1 when s[0..n) is valid UTF-8 with no NUL and no overlong forms or surrogates. */
int utf8_valid(const char *s, size_t n);
/* Number of code points in valid UTF-8 (for length limits a person understands). */
size_t utf8_len(const char *s, size_t n);
#endif
