/* esc: one escaper per output context.  Every function appends to a buf and
 * never fails on content: invalid UTF-8 becomes U+FFFD and NUL bytes are
 * dropped, so hostile input can neither break out of its context nor smuggle
 * bytes a browser or spreadsheet would misread. */
#ifndef ESC_H
#define ESC_H
#include <stddef.h>
#include "buf.h"

/* HTML text and quoted attribute values: & < > " ' are escaped. */
void esc_html(struct buf *out, const char *s, size_t n);
/* One URL component (path segment or query value): RFC 3986 unreserved
 * characters pass, everything else is percent-encoded. */
void esc_url(struct buf *out, const char *s, size_t n);
/* One CSV cell (RFC 4180): always quoted, quotes doubled, and a cell starting
 * with = + - @ TAB or CR is prefixed with ' so a spreadsheet will not run it. */
void esc_csv(struct buf *out, const char *s, size_t n);
/* The inside of a JSON string (no surrounding quotes). */
void esc_json(struct buf *out, const char *s, size_t n);

/* 1 when s[0..n) is valid UTF-8 with no NUL and no overlong forms or surrogates. */
int utf8_valid(const char *s, size_t n);
/* Number of code points in valid UTF-8 (for length limits a person understands). */
size_t utf8_len(const char *s, size_t n);
#endif
