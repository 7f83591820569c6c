/* buf: a growable byte buffer for building output.  Errors are sticky: after
 * an allocation fails every later append is ignored and buf_failed() is true,
 * so a caller may append freely and check once at the end.  The contents are
 * always NUL-terminated (the NUL is not counted in len). */
#ifndef BUF_H
#define BUF_H
#include <stddef.h>
#include <stdarg.h>

struct buf {
	char	*p;	/* malloc'd, owned by the buf; NULL until the first append */
	size_t	 len;
	size_t	 cap;
	int	 failed;
};

#define BUF_INIT { NULL, 0, 0, 0 }

void buf_add(struct buf *b, const void *data, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Empties the buffer but keeps its memory and clears the failure flag. */
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
static inline int buf_failed(const struct buf *b) { return b->failed; }
#endif
