/* population: loading the borough's reference shares (see population.h).
 * The file is small and typed by hand, so every error names its line. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "population.h"
#include "util.h"

#define LINE_MAX_BYTES	4096
#define NFIELDS		4
#define SHARE_SLACK	0.5	/* points a question's shares may exceed 100 by (rounding) */

/* Splits one CSV line (RFC 4180 quoting, no line breaks inside a cell) into
 * exactly NFIELDS cells, in place.  0, or -1 on a malformed line. */
static int
split(char *s, char *f[NFIELDS])
{
	size_t n = 0;

	for (;;) {
		char *w = s;
		if (n == NFIELDS)
			return -1;
		f[n++] = w;
		if (*s == '"') {
			for (s++; *s != '\0' && (*s != '"' || s[1] == '"'); s++)
				*w++ = *s == '"' ? *s++ : *s;
			if (*s++ != '"')
				return -1;
		} else
			for (; *s != ',' && *s != '\0'; s++)
				*w++ = *s;
		if (*s != ',' && *s != '\0')
			return -1;
		if (*s == '\0') {
			*w = '\0';
			return n == NFIELDS ? 0 : -1;
		}
		*w = '\0';
		s++;
	}
}

static int
parse_share(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return *s != '\0' && *end == '\0' && errno == 0 && isfinite(*out) &&
	    *out >= 0.0 && *out <= 100.0 ? 0 : -1;
}

/* Adds the row in f, checked.  NULL on success, else what is wrong. */
static const char *
add_row(struct population *p, char *f[NFIELDS], size_t *cap)
{
	struct population_row *w;
	double share;

	if (f[0][0] == '\0' || f[1][0] == '\0')
		return "question and code must not be empty";
	if (parse_share(f[2], &share) != 0)
		return "the share must be a number from 0 to 100";
	if (f[3][0] == '\0')
		return "every share needs its source";
	if (population_find(p, f[0], f[1]) != NULL)
		return "this answer is listed twice";
	if (p->n == POPULATION_MAX_ROWS)
		return "too many lines";
	if (grow(&p->rows, cap, p->n, sizeof(*p->rows), 64) != 0)
		return "out of memory";
	w = &p->rows[p->n];
	w->question = arena_strdup(p->a, f[0]);
	w->code = arena_strdup(p->a, f[1]);
	w->source = arena_strdup(p->a, f[3]);
	w->share = share;
	w->used = 0;
	if (w->question == NULL || w->code == NULL || w->source == NULL)
		return "out of memory";
	p->n++;
	return NULL;
}

/* Each question's shares add up to at most 100 (with slack): NULL or the
 * first question that does not. */
static const char *
over_100(const struct population *p)
{
	for (size_t i = 0; i < p->n; i++) {
		double sum = 0.0;
		for (size_t j = 0; j < p->n; j++)
			if (strcmp(p->rows[j].question, p->rows[i].question) == 0)
				sum += p->rows[j].share;
		if (sum > 100.0 + SHARE_SLACK)
			return p->rows[i].question;
	}
	return NULL;
}

/* Reads every line of fp into p.  0, or -1 with err set. */
static int
read_lines(struct population *p, FILE *fp, const char *path, char *err, size_t errlen)
{
	char line[LINE_MAX_BYTES], *f[NFIELDS];
	const char *why;
	size_t cap = 0, len;
	int lineno = 0, header = 0;

	while (fgets(line, sizeof(line), fp) != NULL) {
		char *s = line;
		lineno++;
		if ((len = strlen(s)) == sizeof(line) - 1 && s[len - 1] != '\n') {
			snprintf(err, errlen, "%s:%d: line too long", path, lineno);
			return -1;
		}
		if (lineno == 1 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			s += 3;	/* a byte order mark from Excel */
		s[strcspn(s, "\r\n")] = '\0';
		if (*s == '#' || *s == '\0')
			continue;
		if (split(s, f) != 0)
			why = "expected four comma-separated cells";
		else if (!header)
			why = strcmp(f[0], "question") == 0 && strcmp(f[1], "code") == 0 &&
			    strcmp(f[2], "share") == 0 && strcmp(f[3], "source") == 0 ? NULL :
			    "the header must be: question,code,share,source";
		else
			why = add_row(p, f, &cap);
		if (why != NULL) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
			return -1;
		}
		header = 1;
	}
	if (ferror(fp) || !header) {
		snprintf(err, errlen, "%s: %s", path, ferror(fp) ? strerror(errno) : "no header line");
		return -1;
	}
	if ((why = over_100(p)) != NULL) {
		snprintf(err, errlen, "%s: the shares of '%s' add up to more than 100", path, why);
		return -1;
	}
	return 0;
}

int
population_load(const char *path, struct population **out, char *err, size_t errlen)
{
	struct population *p = calloc(1, sizeof(*p));
	FILE *fp = NULL;
	int rc = -1;

	*out = NULL;
	if (p == NULL || (p->a = arena_new(4096)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (read_lines(p, fp, path, err, errlen) != 0)
		goto out;
	*out = p;
	p = NULL;
	rc = 0;
out:
	if (fp != NULL)
		fclose(fp);
	population_free(p);
	return rc;
}

void
population_free(struct population *p)
{
	if (p == NULL)
		return;
	arena_free(p->a);
	free(p->rows);
	free(p);
}

struct population_row *
population_find(const struct population *p, const char *question, const char *code)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->rows[i].question, question) == 0 && strcmp(p->rows[i].code, code) == 0)
			return &p->rows[i];
	return NULL;
}
