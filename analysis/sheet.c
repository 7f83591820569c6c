/* sheet: collecting, ordering and writing the coding sheet (CSV here, the
 * XLSX in sheet_xlsx.c).  The rule column is the matcher's own explanation
 * (codebook_code with explain), cut to the phrases that fired, so the sheet
 * says exactly what `code --explain` would. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "esc.h"
#include "export.h"
#include "sheet_int.h"
#include "util.h"

struct sheet *
sheet_new(const struct survey *s, struct codebook *cb, const struct corrections *corr)
{
	struct sheet *sh = calloc(1, sizeof(*sh));

	if (sh == NULL || (sh->stale = calloc(s->nqs + 1, sizeof(long))) == NULL) {
		free(sh);
		return NULL;
	}
	sh->s = s;
	sh->cb = cb;
	sh->corr = corr;
	return sh;
}

static void
row_free(struct sheet_row *w)
{
	free(w->text);
	free(w->areas);
	free(w->themes);
	free(w->rule);
}

void
sheet_free(struct sheet *sh)
{
	if (sh == NULL)
		return;
	for (size_t i = 0; i < sh->n; i++)
		row_free(&sh->v[i]);
	free(sh->v);
	free(sh->stale);
	free(sh);
}

/* Takes the buffer's text (or NULL if it failed) and leaves b empty. */
static char *
take(struct buf *b)
{
	char *p = b->failed ? NULL : b->p != NULL ? b->p : strdup("");

	if (b->failed)
		free(b->p);
	b->p = NULL, b->len = b->cap = 0, b->failed = 0;
	return p;
}

static char *
themes_str(const struct codebook *cb, const size_t *themes, size_t n)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? "," : "", codebook_theme(cb, themes[i])->id);
	if (n == 0)
		buf_adds(&b, "none");
	return take(&b);
}

/* From explanation lines "  theme \"phrase\" (codebook line N) at word K:
 * words -> fires", the part before " at word", joined by "; ". */
static char *
fired_rules(const char *ex)
{
	struct buf b = BUF_INIT;
	const char *l, *nl, *at;

	for (l = ex; *l != '\0'; l = *nl ? nl + 1 : nl) {
		nl = l + strcspn(l, "\n");
		l += strspn(l, " ");
		at = memmem(l, (size_t)(nl - l), ") at word ", 10);
		if (at != NULL && memmem(at, (size_t)(nl - at), "-> fires", 8) != NULL)
			buf_printf(&b, "%s%.*s)", b.len ? "; " : "", (int)(at - l), l);
		else if (strncmp(l, "model ", 6) == 0 && (memmem(l, (size_t)(nl - l), "-> added", 8) ||
		    memmem(l, (size_t)(nl - l), "-> dropped", 10)))
			buf_printf(&b, "%s%.*s", b.len ? "; " : "", (int)(nl - l), l);
	}
	return take(&b);
}

/* Codes w's text by the rules (and the model, if the codebook has one).
 * An answer no rule matched is at most half sure, so it stays in the queue.
 * 0, or -1 on OOM. */
static int
fill_coded(struct sheet *sh, struct sheet_row *w)
{
	struct codebook_hits h;
	char *ex = NULL, areas[512];
	size_t exlen = 0;
	FILE *fp = open_memstream(&ex, &exlen);
	int rc = -1;

	if (fp == NULL)
		return -1;
	rc = codebook_code(sh->cb, w->text, w->len, &h, fp);
	if (fclose(fp) != 0 || ex == NULL)
		rc = -1;
	if (rc == 0) {
		w->uncoded = h.nthemes == 0;
		w->certainty = w->uncoded && h.certainty > SHEET_QUEUE ? SHEET_QUEUE : h.certainty;
		w->areas = strdup(codebook_areas_str(sh->cb, h.areas, areas, sizeof(areas)));
		w->themes = themes_str(sh->cb, h.themes, h.nthemes);
		w->rule = fired_rules(ex);
		if (w->rule != NULL && *w->rule == '\0') {
			free(w->rule);
			w->rule = strdup("no rule matched");
		}
		rc = w->areas && w->themes && w->rule ? 0 : -1;
	}
	free(ex);
	return rc;
}

static int
fill_corrected(struct sheet *sh, struct sheet_row *w, const struct corr *c)
{
	char areas[512];

	w->corrected = 1;
	w->certainty = 1.0;
	w->codebook = c->codebook;
	w->note = c->note;
	w->areas = strdup(codebook_areas_str(sh->cb, c->areas, areas, sizeof(areas)));
	w->themes = themes_str(sh->cb, c->themes, c->nthemes);
	w->rule = strdup("corrected by hand");
	return w->areas && w->themes && w->rule ? 0 : -1;
}

static int
add_row(struct sheet *sh, const struct store_response *r, size_t q, const struct store_answer *a)
{
	const struct corr *c = NULL;
	struct sheet_row *w;
	enum corr_match m;
	int rc;

	if (grow(&sh->v, &sh->cap, sh->n, sizeof(*sh->v), 256) != 0)
		return -1;
	w = &sh->v[sh->n];
	memset(w, 0, sizeof(*w));
	w->response = r->id;
	w->flagged = r->flagged;
	w->q = q;
	w->len = a->len;
	w->codebook = codebook_version(sh->cb);
	w->note = "";
	if ((w->text = malloc(a->len + 1)) == NULL)
		return -1;
	memcpy(w->text, a->value, a->len);
	w->text[a->len] = '\0';
	corrections_hash(a->value, a->len, w->hash);
	m = corrections_find(sh->corr, r->id, a->question, a->value, a->len, &c);
	sh->stale[q] += m == CORR_STALE;
	rc = m == CORR_APPLIES ? fill_corrected(sh, w, c) : fill_coded(sh, w);
	if (rc != 0) {
		row_free(w);
		return -1;
	}
	sh->n++;
	return 0;
}

static long
question_index(const struct survey *s, const char *id)
{
	for (size_t i = 0; i < s->nqs; i++)
		if (strcmp(s->qs[i].id, id) == 0)
			return (long)i;
	return -1;
}

int
sheet_add(void *ctx, const struct store_response *r)
{
	struct sheet *sh = ctx;

	if (strcmp(r->survey, sh->s->id) != 0)
		return 0;
	for (size_t i = 0; i < r->nanswers; i++) {
		const struct store_answer *a = &r->answers[i];
		long q = question_index(sh->s, a->question);
		enum qtype t = q >= 0 ? sh->s->qs[q].type : Q_INFO;
		if (q < 0 || a->len == 0 || !(t == Q_TEXT || t == Q_LONGTEXT || a->text))
			continue;
		if (add_row(sh, r, (size_t)q, a) != 0)
			return -1;
	}
	return 0;
}

static int
row_cmp(const void *pa, const void *pb)
{
	const struct sheet_row *a = pa, *b = pb;
	int qa = a->certainty <= SHEET_QUEUE, qb = b->certainty <= SHEET_QUEUE;

	if (a->flagged != b->flagged)	/* for the safeguarding lead */
		return a->flagged ? -1 : 1;
	if (qa != qb)
		return qa ? -1 : 1;
	if (qa && a->certainty != b->certainty)
		return a->certainty < b->certainty ? -1 : 1;
	if (a->q != b->q)
		return a->q < b->q ? -1 : 1;
	if (a->response != b->response)
		return a->response < b->response ? -1 : 1;
	return strcmp(a->hash, b->hash);
}

void
sheet_sort(struct sheet *sh)
{
	if (sh->n > 1)
		qsort(sh->v, sh->n, sizeof(*sh->v), row_cmp);
}

struct sheet_counts
sheet_counts(const struct sheet *sh, size_t q)
{
	struct sheet_counts c = { 0, 0, 0, 0, 0 };

	for (size_t i = 0; i < sh->n; i++) {
		const struct sheet_row *w = &sh->v[i];
		if (q < sh->s->nqs && w->q != q)
			continue;
		c.answers++;
		c.flagged += w->flagged;
		c.uncoded += w->uncoded;
		c.corrected += w->corrected;
	}
	for (size_t i = 0; i < sh->s->nqs; i++)
		c.stale += q >= sh->s->nqs || q == i ? sh->stale[i] : 0;
	return c;
}

/* The cells of row i (or of the header when i is the row count) in
 * corrections_sheet_cols order; num holds the numbers' text. */
void
sheet_cells(const struct sheet *sh, size_t i, const char *cell[SC__MAX], char num[2][32])
{
	const struct sheet_row *w = &sh->v[i < sh->n ? i : 0];

	if (i >= sh->n) {
		memcpy(cell, corrections_sheet_cols, sizeof(corrections_sheet_cols));
		return;
	}
	snprintf(num[0], 32, "%" PRId64, w->response);
	snprintf(num[1], 32, "%d", w->codebook);
	cell[SC_RESPONSE] = num[0];
	cell[SC_QUESTION] = sh->s->qs[w->q].id;
	cell[SC_TEXT] = w->text;
	cell[SC_AREAS] = w->areas;
	cell[SC_THEMES] = w->themes;
	cell[SC_RULE] = w->rule;
	cell[SC_FIX_AREAS] = cell[SC_FIX_THEMES] = "";
	cell[SC_NOTE] = w->note;
	cell[SC_HASH] = w->hash;
	cell[SC_CODEBOOK] = num[1];
}

static void
csv_line(struct buf *b, const struct sheet *sh, size_t i)
{
	const char *cell[SC__MAX];
	char num[2][32];

	sheet_cells(sh, i, cell, num);
	for (size_t c = 0; c < SC__MAX; c++) {
		size_t n = c == SC_TEXT && i < sh->n ? sh->v[i].len : strlen(cell[c]);
		esc_csv(b, cell[c], n);
		buf_adds(b, c + 1 < SC__MAX ? "," : "\r\n");
	}
}

int
sheet_write_csv(const struct sheet *sh, const char *dir, int bom, char *err, size_t errlen)
{
	struct buf b = BUF_INIT;
	int rc;

	if (bom)
		buf_adds(&b, "\xEF\xBB\xBF");
	csv_line(&b, sh, sh->n);
	for (size_t i = 0; i < sh->n; i++)
		csv_line(&b, sh, i);
	rc = export_write(dir, "coding-sheet.csv", &b, err, errlen);
	buf_free(&b);
	return rc;
}
