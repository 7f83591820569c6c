/* csvr: an RFC 4180 reader over a file held in memory, for the small files
 * people edit by hand (coding sheets, corrections).  It knows the line each
 * record starts on, so a caller can refuse a bad row with "file:line:
 * problem".  Quoted fields may hold commas, doubled quotes and line breaks;
 * CRLF and LF line ends are both accepted, and a leading UTF-8 byte order
 * mark is skipped. */
#ifndef CSVR_H
#define CSVR_H
#include <stddef.h>

#define CSVR_MAX_FIELDS	32

struct csvr {
	char		*data;		/* the whole file, unquoted in place */
	char		*p, *end;
	long		 line;		/* line the next record starts on */
};

struct csvr_rec {
	char		*f[CSVR_MAX_FIELDS];	/* NUL-terminated, valid until csvr_close */
	size_t		 n;
	long		 line;		/* the line the record starts on */
};

/* Reads path whole.  0, or -1 with "path: problem" in err. */
int csvr_open(struct csvr *c, const char *path, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* Reads from a copy of s[0..n) (tests).  0, or -1 on OOM. */
int csvr_open_mem(struct csvr *c, const char *s, size_t n) __attribute__((warn_unused_result));
/* The next record, skipping empty lines: 1, 0 at the end, or -1 when a
 * record has more than CSVR_MAX_FIELDS fields or a quote is never closed. */
int csvr_next(struct csvr *c, struct csvr_rec *r) __attribute__((warn_unused_result));
void csvr_close(struct csvr *c);
/* Index of the field named name in a header record, or -1. */
long csvr_col(const struct csvr_rec *header, const char *name);
#endif
