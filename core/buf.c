/* buf: growable output buffer with sticky failure.
 * Invariants: when p is not NULL, p[len] == '\0' and len < cap; once failed
 * is set nothing changes until buf_reset(), so the contents are always a
 * prefix of what the caller meant to write. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define BUF_MIN	256

/* Makes room for n more bytes plus the NUL; 0 on success, -1 (and failed set)
 * on overflow or OOM.  Growth doubles, so appends are amortised O(1). */
static int
buf_grow(struct buf *b, size_t n)
{
	size_t	 need, cap;
	char	*p;

	if (b->failed)
		return -1;
	if (n > SIZE_MAX - 1 - b->len)
		goto fail;
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : BUF_MIN;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if ((p = realloc(b->p, cap)) == NULL)
		goto fail;
	if (b->p == NULL)
		p[0] = '\0';
	b->p = p;
	b->cap = cap;
	return 0;
fail:
	b->failed = 1;
	return -1;
}

void
buf_add(struct buf *b, const void *data, size_t n)
{
	if (buf_grow(b, n) == -1)
		return;
	if (n > 0)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
	if (b->len + 1 < b->cap && !b->failed) {
		b->p[b->len++] = c;
		b->p[b->len] = '\0';
		return;
	}
	buf_add(b, &c, 1);
}

/* Formats into the spare room first and grows only when that was too small,
 * so the common short format costs one vsnprintf. */
void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 cp;
	int	 len;

	if (buf_grow(b, 0) == -1)
		return;
	va_copy(cp, ap);
	len = vsnprintf(b->p + b->len, b->cap - b->len, fmt, cp);
	va_end(cp);
	if (len < 0) {
		b->p[b->len] = '\0';
		b->failed = 1;
		return;
	}
	if ((size_t)len >= b->cap - b->len) {
		if (buf_grow(b, (size_t)len) == -1) {
			b->p[b->len] = '\0';
			return;
		}
		vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)len;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

void
buf_free(struct buf *b)
{
	if (b == NULL)
		return;
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}
