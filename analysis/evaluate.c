/* eval: metrics, and the reader for the human-coded CSV.  The reader takes
 * the whole file into memory: coded samples are hundreds of rows, not
 * millions. */
#include <stdlib.h>
#include <string.h>
#include "evaluate.h"

void
eval_init(struct eval *e, size_t nareas)
{
	memset(e, 0, sizeof(*e));
	e->nareas = nareas;
}

void
eval_add(struct eval *e, uint32_t truth, uint32_t predicted)
{
	uint32_t all = e->nareas >= 32 ? 0xffffffffu : (1u << e->nareas) - 1;

	for (size_t i = 0; i < e->nareas; i++) {
		int t = (truth >> i) & 1, p = (predicted >> i) & 1;
		struct eval_counts *c = &e->c[i];
		if (t && p)
			c->tp++;
		else if (p)
			c->fp++;
		else if (t)
			c->fn++;
		else
			c->tn++;
	}
	e->n++;
	if ((truth & all) == (predicted & all))
		e->exact++;
}

static double
ratio(long a, long b)
{
	return b > 0 ? (double)a / (double)b : 0.0;
}

double
eval_precision(const struct eval_counts *c)
{
	return ratio(c->tp, c->tp + c->fp);
}

double
eval_recall(const struct eval_counts *c)
{
	return ratio(c->tp, c->tp + c->fn);
}

double
eval_f1(const struct eval_counts *c)
{
	return ratio(2 * c->tp, 2 * c->tp + c->fp + c->fn);
}

double
eval_kappa(const struct eval_counts *c)
{
	double n = (double)(c->tp + c->fp + c->fn + c->tn), po, pe;

	if (n == 0)
		return 0.0;
	po = (double)(c->tp + c->tn) / n;
	pe = ((double)(c->tp + c->fp) * (double)(c->tp + c->fn) +
	    (double)(c->fn + c->tn) * (double)(c->fp + c->tn)) / (n * n);
	if (pe >= 1.0)
		return po >= 1.0 ? 1.0 : 0.0;
	return (po - pe) / (1.0 - pe);
}

double
eval_macro_f1(const struct eval *e)
{
	double s = 0;

	for (size_t i = 0; i < e->nareas; i++)
		s += eval_f1(&e->c[i]);
	return e->nareas ? s / (double)e->nareas : 0.0;
}

/* Reads one RFC 4180 field starting at *p; returns its length in the
 * unquoted copy written over the input.  *p ends after the field's
 * terminator; *eol is set when that was a line end (or the end). */
static char *
csv_field(char **p, char *end, int *eol)
{
	char *s = *p, *w = s, *start = s;

	if (s < end && *s == '"') {
		for (s++; s < end; s++) {
			if (*s == '"' && s + 1 < end && s[1] == '"')
				*w++ = '"', s++;
			else if (*s == '"')
				break;
			else
				*w++ = *s;
		}
		if (s < end)
			s++;
	}
	while (s < end && *s != ',' && *s != '\n' && *s != '\r')
		*w++ = *s++;
	*eol = s >= end || *s != ',';
	if (s < end && *s == '\r')
		s++;
	if (s < end)
		s++;
	*w = '\0';
	*p = s;
	return start;
}

static int
eval_row(struct codebook *cb, char *text, char *labels, long line, struct eval *e,
    FILE *errors, char *err, size_t errlen)
{
	struct codebook_hits h;
	uint32_t truth;
	char bad[64], a[256], b[256];

	if (codebook_areas_parse(cb, labels, &truth, bad, sizeof(bad)) != 0) {
		snprintf(err, errlen, "line %ld: unknown area '%s'", line, bad);
		return -1;
	}
	if (codebook_code(cb, text, strlen(text), &h, NULL) != 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	eval_add(e, truth, h.areas);
	if (errors != NULL && truth != h.areas)
		fprintf(errors, "line %ld: human %s, codebook %s: %s\n", line,
		    codebook_areas_str(cb, truth, a, sizeof(a)),
		    codebook_areas_str(cb, h.areas, b, sizeof(b)), text);
	return 0;
}

static int
eval_text(struct codebook *cb, char *s, char *end, struct eval *e, FILE *errors,
    char *err, size_t errlen)
{
	long line = 0;

	if (end - s >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	while (s < end) {
		int eol = 0;
		char *text, *labels = "";
		line++;
		if (*s == '\n' || *s == '\r') {
			csv_field(&s, end, &eol);
			continue;
		}
		text = csv_field(&s, end, &eol);
		if (!eol)
			labels = csv_field(&s, end, &eol);
		while (!eol)
			csv_field(&s, end, &eol);
		if (line == 1 && strcmp(text, "text") == 0)
			continue;
		if (eval_row(cb, text, labels, line, e, errors, err, errlen) != 0)
			return -1;
	}
	return 0;
}

int
eval_file(struct codebook *cb, const char *path, struct eval *e, FILE *errors,
    char *err, size_t errlen)
{
	FILE *fp = fopen(path, "rb");
	char *data = NULL;
	long size;
	int rc = -1;

	if (fp == NULL) {
		snprintf(err, errlen, "%s: cannot open", path);
		return -1;
	}
	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0 ||
	    (data = malloc((size_t)size + 1)) == NULL ||
	    fread(data, 1, (size_t)size, fp) != (size_t)size) {
		snprintf(err, errlen, "%s: cannot read", path);
		goto out;
	}
	data[size] = '\0';
	rc = eval_text(cb, data, data + size, e, errors, err, errlen);
out:
	free(data);
	fclose(fp);
	return rc;
}

void
eval_print(const struct codebook *cb, const struct eval *e, FILE *fp)
{
	fprintf(fp, "%-14s %9s %9s %9s %8s %9s\n", "area", "precision", "recall", "F1",
	    "support", "kappa");
	for (size_t i = 0; i < e->nareas; i++) {
		const struct eval_counts *c = &e->c[i];
		fprintf(fp, "%-14s %9.3f %9.3f %9.3f %8ld %9.3f\n", codebook_area(cb, i),
		    eval_precision(c), eval_recall(c), eval_f1(c), c->tp + c->fn, eval_kappa(c));
	}
	fprintf(fp, "\nanswers          %ld\n", e->n);
	fprintf(fp, "macro-F1         %.3f\n", eval_macro_f1(e));
	fprintf(fp, "exact match      %.3f\n", e->n ? (double)e->exact / (double)e->n : 0.0);
}
