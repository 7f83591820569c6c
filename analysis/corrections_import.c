/* corrections_import: taking the corrected rows of a coding sheet.  The
 * sheet's own text column is never hashed: the CSV writer neutralises
 * formula characters and invalid UTF-8, so the key comes from the "text
 * hash" column, computed from the answer as stored. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "corrections.h"
#include "csvr.h"


const char *const corrections_sheet_cols[SC__MAX] = {
	/* SC_RESPONSE */	"response",
	/* SC_QUESTION */	"question",
	/* SC_TEXT */		"text",
	/* SC_AREAS */		"areas",
	/* SC_THEMES */		"themes",
	/* SC_RULE */		"rule",
	/* SC_FIX_AREAS */	"corrected areas",
	/* SC_FIX_THEMES */	"corrected themes",
	/* SC_NOTE */		"note",
	/* SC_HASH */		"text hash",
	/* SC_CODEBOOK */	"codebook",
};

/* Columns import needs; the others are for people. */
static const enum sheet_col needed[] = { SC_RESPONSE, SC_QUESTION, SC_THEMES, SC_FIX_AREAS,
	SC_FIX_THEMES, SC_NOTE, SC_HASH, SC_CODEBOOK };

static int
blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

static int
find_cols(const struct csvr_rec *h, long col[SC__MAX], char *why, size_t whylen)
{
	for (size_t i = 0; i < SC__MAX; i++)
		col[i] = csvr_col(h, corrections_sheet_cols[i]);
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		if (col[needed[i]] < 0)
			return snprintf(why, whylen, "no column \"%s\" in the header",
			    corrections_sheet_cols[needed[i]]), -1;
	return 0;
}

static const char *
get(const struct csvr_rec *r, const long col[SC__MAX], enum sheet_col c)
{
	return col[c] >= 0 && (size_t)col[c] < r->n ? r->f[col[c]] : "";
}

/* One corrected sheet row into e (themes into the caller's array).  -1
 * with the problem in why. */
static int
parse_fix(const struct codebook *cb, const struct csvr_rec *r, const long col[SC__MAX],
    struct corr *e, size_t *themes, char *why, size_t whylen)
{
	const char *fa = get(r, col, SC_FIX_AREAS), *ft = get(r, col, SC_FIX_THEMES);

	memset(e, 0, sizeof(*e));
	e->question = (char *)get(r, col, SC_QUESTION);
	e->note = (char *)get(r, col, SC_NOTE);
	e->themes = themes;
	if (*e->question == '\0')
		return snprintf(why, whylen, "no question id"), -1;
	if (corrections_parse_key(get(r, col, SC_RESPONSE), get(r, col, SC_HASH),
	    get(r, col, SC_CODEBOOK), e, why, whylen) != 0)
		return -1;
	if (corrections_parse_themes(cb, blank(ft) ? get(r, col, SC_THEMES) : ft, themes,
	    CORR_MAX_THEMES, &e->nthemes, why, whylen) != 0)
		return -1;
	if (!blank(fa))
		return corrections_parse_areas(cb, fa, &e->areas, why, whylen);
	for (size_t i = 0; i < e->nthemes; i++)
		e->areas |= codebook_theme(cb, themes[i])->areas;
	return 0;
}

static int
import_rows(struct csvr *in, const char *path, const struct codebook *cb,
    struct corrections *got, char *err, size_t errlen)
{
	struct csvr_rec r;
	struct corr e;
	size_t themes[CORR_MAX_THEMES];
	long col[SC__MAX];
	char why[256];
	int k;

	if ((k = csvr_next(in, &r)) <= 0)
		return snprintf(err, errlen, "%s:1: no header", path), -1;
	if (find_cols(&r, col, why, sizeof(why)) != 0)
		return snprintf(err, errlen, "%s:%ld: %s", path, r.line, why), -1;
	while ((k = csvr_next(in, &r)) > 0) {
		size_t before = got->n;
		if (blank(get(&r, col, SC_FIX_AREAS)) && blank(get(&r, col, SC_FIX_THEMES)))
			continue;
		if (parse_fix(cb, &r, col, &e, themes, why, sizeof(why)) != 0)
			return snprintf(err, errlen, "%s:%ld: %s", path, r.line, why), -1;
		if (corrections_put(got, &e) != 0)
			return snprintf(err, errlen, "%s: out of memory", path), -1;
		if (got->n == before)
			return snprintf(err, errlen, "%s:%ld: the same answer was corrected on an "
			    "earlier row", path, r.line), -1;
	}
	if (k < 0)
		return snprintf(err, errlen, "%s:%ld: a quote is not closed or a row has too many "
		    "fields", path, r.line), -1;
	return 0;
}

int
corrections_import(struct corrections *c, const char *sheet, const struct codebook *cb,
    size_t *added, char *err, size_t errlen)
{
	struct corrections *got = corrections_new();
	struct csvr in;
	int rc = -1;

	*added = 0;
	if (got == NULL) {
		snprintf(err, errlen, "%s: out of memory", sheet);
		return -1;
	}
	if (csvr_open(&in, sheet, err, errlen) != 0) {
		corrections_free(got);
		return -1;
	}
	if (import_rows(&in, sheet, cb, got, err, errlen) == 0) {
		rc = 0;
		for (size_t i = 0; i < got->n && rc == 0; i++)
			if ((rc = corrections_put(c, &got->v[i])) != 0)
				snprintf(err, errlen, "%s: out of memory", sheet);
		*added = got->n;
	}
	csvr_close(&in);
	corrections_free(got);
	return rc;
}
