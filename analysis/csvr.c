/* csvr: reading CSV in place.  Unquoting only ever shortens a field, so the
 * unquoted text is written over the input and the records point into it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csvr.h"

int
csvr_open_mem(struct csvr *c, const char *s, size_t n)
{
	memset(c, 0, sizeof(*c));
	if ((c->data = malloc(n + 1)) == NULL)
		return -1;
	memcpy(c->data, s, n);
	c->data[n] = '\0';
	c->p = c->data;
	c->end = c->data + n;
	c->line = 1;
	if (n >= 3 && memcmp(c->p, "\xEF\xBB\xBF", 3) == 0)
		c->p += 3;
	return 0;
}

int
csvr_open(struct csvr *c, const char *path, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "rb");
	char *data = NULL;
	long size;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	if (fp == NULL) {
		snprintf(err, errlen, "%s: cannot open", path);
		return -1;
	}
	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0 ||
	    (data = malloc((size_t)size + 1)) == NULL ||
	    fread(data, 1, (size_t)size, fp) != (size_t)size)
		snprintf(err, errlen, "%s: cannot read", path);
	else if (csvr_open_mem(c, data, (size_t)size) != 0)
		snprintf(err, errlen, "%s: out of memory", path);
	else
		rc = 0;
	free(data);
	fclose(fp);
	return rc;
}

/* One field from c->p: unquoted in place, NUL-terminated.  *eol is set when
 * it ended the record.  -1 when a quote is never closed. */
static int
field(struct csvr *c, char **out, int *eol)
{
	char *s = c->p, *w = s;

	*out = s;
	if (s < c->end && *s == '"') {
		for (s++; s < c->end && !(*s == '"' && (s + 1 >= c->end || s[1] != '"')); s++) {
			c->line += *s == '\n';
			*w++ = *s;
			s += *s == '"';
		}
		if (s >= c->end)
			return -1;
		s++;
	}
	while (s < c->end && *s != ',' && *s != '\n' && *s != '\r')
		*w++ = *s++;
	*eol = s >= c->end || *s != ',';
	if (s < c->end && *s == '\r')
		s++;
	if (s < c->end && (*s == '\n' || *s == ','))
		c->line += *s++ == '\n';
	*w = '\0';
	c->p = s;
	return 0;
}

int
csvr_next(struct csvr *c, struct csvr_rec *r)
{
	int eol = 0;

	while (c->p < c->end && (*c->p == '\n' || *c->p == '\r'))
		c->line += *c->p++ == '\n';
	if (c->p >= c->end)
		return 0;
	r->n = 0;
	r->line = c->line;
	while (!eol) {
		char *f;
		if (r->n == CSVR_MAX_FIELDS || field(c, &f, &eol) != 0)
			return -1;
		r->f[r->n++] = f;
	}
	return 1;
}

void
csvr_close(struct csvr *c)
{
	free(c->data);
	c->data = c->p = c->end = NULL;
}

long
csvr_col(const struct csvr_rec *header, const char *name)
{
	for (size_t i = 0; i < header->n; i++)
		if (strcmp(header->f[i], name) == 0)
			return (long)i;
	return -1;
}
