/* eval: reading human-coded samples into an eval_set and coding them.
 * Samples are hundreds of rows, so each file is kept whole in memory and
 * rows point into it. */
#include <stdlib.h>
#include <string.h>
#include "corrections.h"
#include "csvr.h"
#include "evaluate.h"
#include "util.h"

void
eval_set_free(struct eval_set *s)
{
	for (size_t i = 0; i < s->nregs; i++)
		free(s->regs[i]);
	for (size_t i = 0; i < s->ndata; i++)
		free(s->data[i]);
	free(s->data);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int
eval_end(struct codebook *cb, struct eval_set *s, int rc)
{
	eval_set_free(s);
	codebook_free(cb);
	return rc;
}

static int
reg_index(struct eval_set *s, const char *name)
{
	for (size_t i = 0; i < s->nregs; i++)
		if (strcmp(s->regs[i], name) == 0)
			return (int)i;
	if (s->nregs == EVAL_MAX_REGS || (s->regs[s->nregs] = strdup(name)) == NULL)
		return -1;
	return (int)s->nregs++;
}

static int
push_row(struct eval_set *s, const struct eval_row *r)
{
	if (grow(&s->v, &s->cap, s->n, sizeof(*s->v), 256) != 0)
		return -1;
	s->v[s->n++] = *r;
	return 0;
}

/* Column indexes: text, labels, id, register, and a checked coding
 * sheet's corrected themes (-1 when absent). */
struct cols {
	long	 text, labels, id, reg, fix_themes;
};

/* A coding sheet's own "areas" are the machine's: only what a person
 * corrected is read from it. */
static void
find_cols(const struct csvr_rec *h, struct cols *c)
{
	c->text = csvr_col(h, "text");
	c->id = csvr_col(h, "id");
	c->reg = csvr_col(h, "register");
	c->fix_themes = csvr_col(h, corrections_sheet_cols[SC_FIX_THEMES]);
	if ((c->labels = csvr_col(h, corrections_sheet_cols[SC_FIX_AREAS])) < 0)
		c->labels = csvr_col(h, "labels");
	else if (c->id < 0)
		c->id = csvr_col(h, corrections_sheet_cols[SC_RESPONSE]);
}

/* A sheet row's areas: the corrected areas, else those of the corrected
 * themes ("none": other).  0 when the row was not corrected, 1 when it
 * was, -1 with the unknown theme in bad. */
static int
sheet_areas(struct codebook *cb, const char *areas, const char *themes, uint32_t *out,
    char *bad, size_t badlen)
{
	size_t th[64], n = 0;

	if (*areas != '\0')
		return codebook_areas_parse(cb, areas, out, bad, badlen) == 0 ? 1 : -1;
	if (*themes == '\0')
		return 0;
	if (corrections_parse_themes(cb, themes, th, 64, &n, bad, badlen) != 0)
		return -1;
	*out = 0;
	for (size_t i = 0; i < n; i++)
		*out |= codebook_theme(cb, th[i])->areas;
	return 1;
}

static int
add_rec(struct codebook *cb, struct eval_set *s, const struct csvr_rec *r,
    const struct cols *c, const char *path, char *err, size_t errlen)
{
	struct eval_row row = { "", NULL, 0, 0, -1 };
	char bad[64];

	if ((size_t)c->text >= r->n || (size_t)c->labels >= r->n) {
		snprintf(err, errlen, "%s:%ld: expected text and labels", path, r->line);
		return -1;
	}
	row.text = r->f[c->text];
	if (c->fix_themes >= 0 && (size_t)c->fix_themes < r->n) {
		int k = sheet_areas(cb, r->f[c->labels], r->f[c->fix_themes], &row.truth, bad,
		    sizeof(bad));
		if (k <= 0) {
			if (k < 0)
				snprintf(err, errlen, "%s:%ld: unknown area or theme '%s'", path, r->line, bad);
			return k;
		}
	} else if (codebook_areas_parse(cb, r->f[c->labels], &row.truth, bad, sizeof(bad)) != 0) {
		snprintf(err, errlen, "%s:%ld: unknown area '%s'", path, r->line, bad);
		return -1;
	}
	if (c->id >= 0 && (size_t)c->id < r->n)
		row.id = r->f[c->id];
	if (c->reg >= 0 && (size_t)c->reg < r->n && (row.reg = reg_index(s, r->f[c->reg])) < 0) {
		snprintf(err, errlen, "%s:%ld: more than %d registers", path, r->line, EVAL_MAX_REGS);
		return -1;
	}
	if (push_row(s, &row) != 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static int
keep_data(struct eval_set *s, char *data)
{
	char **nd = realloc(s->data, (s->ndata + 1) * sizeof(*nd));

	if (nd == NULL)
		return -1;
	s->data = nd;
	s->data[s->ndata++] = data;
	return 0;
}

int
eval_read(struct codebook *cb, const char *path, struct eval_set *s, char *err, size_t errlen)
{
	struct csvr c;
	struct csvr_rec r;
	struct cols cols = { 0, 1, -1, -1, -1 };
	int k, first = 1, rc = -1;

	if (csvr_open(&c, path, err, errlen) != 0)
		return -1;
	while ((k = csvr_next(&c, &r)) > 0) {
		if (first && csvr_col(&r, "text") >= 0) {
			find_cols(&r, &cols);
			first = 0;
			if (cols.labels < 0 || cols.text < 0) {
				snprintf(err, errlen, "%s:%ld: no 'text' and 'labels' (or 'corrected areas') columns",
				    path, r.line);
				goto out;
			}
			continue;
		}
		first = 0;
		if (add_rec(cb, s, &r, &cols, path, err, errlen) != 0)
			goto out;
	}
	if (k < 0) {
		snprintf(err, errlen, "%s:%ld: malformed CSV", path, c.line);
		goto out;
	}
	if (keep_data(s, c.data) != 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	c.data = NULL;
	rc = 0;
out:
	csvr_close(&c);
	return rc;
}

int
eval_code(struct codebook *cb, struct eval_set *s, FILE *errors)
{
	char a[256], b[256];

	for (size_t i = 0; i < s->n; i++) {
		struct eval_row *r = &s->v[i];
		struct codebook_hits h;
		if (codebook_code(cb, r->text, strlen(r->text), &h, NULL) != 0)
			return -1;
		r->pred = h.areas;
		if (errors != NULL && r->truth != r->pred)
			fprintf(errors, "%s: human %s, coded %s: %s\n", *r->id ? r->id : "?",
			    codebook_areas_str(cb, r->truth, a, sizeof(a)),
			    codebook_areas_str(cb, r->pred, b, sizeof(b)), r->text);
	}
	return 0;
}
