/* export_xlsx_sum: the workbook's first sheet, the summary the HTML report
 * leads with (report_summary.c): who responded, the headline per outcome
 * area and the change since the previous wave, each share beside its base;
 * then every question's base and top-of-scale share. */
#include <math.h>
#include <string.h>
#include "export_xlsx_int.h"

#define TOP_GROUPS	3

/* Writes the heads from column 0 in bold on row r; returns the next row. */
static lxw_row_t
heads(struct xl *x, lxw_worksheet *ws, lxw_row_t r, const char *const *h)
{
	for (lxw_col_t c = 0; h[c] != NULL; c++)
		worksheet_write_string(ws, r, c, h[c], x->bold);
	return r + 1;
}

/* Label, number, % and base of a row from column c. */
static void
row_cells(struct xl *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const struct rrow *w)
{
	worksheet_write_string(ws, r, c, w->label, NULL);
	xl_count(x, ws, r, c + 1, w->n, w->n_supp);
	xl_pct(x, ws, r, c + 2, w->pct, w->pct_supp);
	xl_count(x, ws, r, c + 3, w->base, w->base_supp);
}

/* A section of the sheet: its title, then its heads and a row for each of
 * its items, or the note empty when it has none; then foot (or nothing). */
struct section {
	const char		*title;
	const char		*empty;
	const char *const	*heads;
	const char		*foot;
	void			(*item)(struct xl *x, lxw_worksheet *ws, lxw_row_t row,
				    const struct report *r, size_t i);
};

/* Writes section s of n items from row; returns the row after a blank one. */
static lxw_row_t
section(struct xl *x, lxw_worksheet *ws, lxw_row_t row, const struct section *s,
    const struct report *r, size_t n)
{
	worksheet_write_string(ws, row++, 0, s->title, x->title);
	if (n == 0) {
		worksheet_write_string(ws, row, 0, s->empty, NULL);
		return row + 2;
	}
	row = heads(x, ws, row, s->heads);
	for (size_t i = 0; i < n; i++)
		s->item(x, ws, row++, r, i);
	if (s->foot == NULL)
		return row + 1;
	worksheet_write_string(ws, row, 0, s->foot, NULL);
	return row + 2;
}

static lxw_row_t
who(struct xl *x, lxw_worksheet *ws, const struct report *r, lxw_row_t row)
{
	static const char *const ch_heads[] = { "Channel", "Number", "%", "Base", NULL };
	static const char *const pr_heads[] = { "Question", "Largest groups", "Number", "%",
		"Base", NULL };
	const struct rtable *ch = r->sum.channels;

	worksheet_write_string(ws, row++, 0, "Who responded", x->title);
	row = heads(x, ws, row, ch_heads);
	for (size_t i = 0; ch != NULL && i < ch->nrows; i++)
		if (ch->rows[i].n_supp || ch->rows[i].n != 0)
			row_cells(x, ws, row++, 0, &ch->rows[i]);
	row = heads(x, ws, row + 1, pr_heads);
	for (size_t i = 0; i < r->sum.nprofile; i++) {
		const struct rtable *t = r->sum.profile[i];
		const struct rrow *top[TOP_GROUPS];
		size_t n = report_top_rows(t, top, TOP_GROUPS);
		worksheet_write_string(ws, row, 0, t->title, NULL);
		if (n == 0)
			worksheet_write_string(ws, row++, 1, "Every group is too small to publish", NULL);
		for (size_t k = 0; k < n; k++)
			row_cells(x, ws, row++, 1, top[k]);
	}
	return row + 1;
}

static void
area_row(struct xl *x, lxw_worksheet *ws, lxw_row_t row, const struct report *r, size_t i)
{
	const struct rheadline *h = &r->sum.areas[i];
	const struct rtable *m = h->matters;

	worksheet_write_string(ws, row, 0, h->title, NULL);
	if (m != NULL && m->has_top2) {
		worksheet_write_string(ws, row, 1, m->top2_label, NULL);
		xl_pct(x, ws, row, 2, m->top2_pct, m->top2_supp || m->answered < REPORT_PCT_MIN_BASE);
		xl_count(x, ws, row, 3, m->answered, m->base_supp);
	}
	if (h->focus_top != NULL) {
		worksheet_write_string(ws, row, 4, h->focus_top->label, NULL);
		xl_pct(x, ws, row, 5, h->focus_top->pct, h->focus_top->pct_supp);
		xl_count(x, ws, row, 6, h->focus_top->base, h->focus_top->base_supp);
	}
	if (h->wrote != NULL) {
		xl_pct(x, ws, row, 7, h->wrote->pct, h->wrote->pct_supp);
		xl_count(x, ws, row, 8, h->wrote->base, h->wrote->base_supp);
	}
	if (h->theme_top != NULL) {
		worksheet_write_string(ws, row, 9, h->theme_top->label, NULL);
		xl_count(x, ws, row, 10, h->theme_top->n, 0);
	}
}

static lxw_row_t
areas(struct xl *x, lxw_worksheet *ws, const struct report *r, lxw_row_t row)
{
	static const char *const h[] = { "Outcome area", "Says it matters: answers",
		"Says it matters %", "Base", "Focus chosen most often", "%", "Base",
		"Wrote about it %", "Base (people who wrote)", "Theme raised most often", "People",
		NULL };
	static const struct section s = { "Headline findings by outcome area",
		"No codebook was used, so the free text is not grouped by outcome area.",
		h, NULL, area_row };

	return section(x, ws, row, &s, r, r->sum.nareas);
}

static void
wave_cells(struct xl *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t c, const struct rrow *w)
{
	worksheet_write_string(ws, row, c, w->label, NULL);
	xl_pct(x, ws, row, c + 1, w->pct, w->pct_supp);
	xl_count(x, ws, row, c + 2, w->base, w->base_supp);
}

static void
change_row(struct xl *x, lxw_worksheet *ws, lxw_row_t row, const struct report *r, size_t i)
{
	const struct rchange *c = &r->sum.changes[i];

	worksheet_write_string(ws, row, 0, c->t->title, NULL);
	wave_cells(x, ws, row, 1, c->prev);
	wave_cells(x, ws, row, 4, c->last);
	if (!c->shown) {
		worksheet_write_string(ws, row, 10, "Too few answers to compare", NULL);
		return;
	}
	worksheet_write_number(ws, row, 7, round(c->d * 10.0) / 10.0, x->diff);
	worksheet_write_number(ws, row, 8, round(c->lo * 10.0) / 10.0, x->diff);
	worksheet_write_number(ws, row, 9, round(c->hi * 10.0) / 10.0, x->diff);
	worksheet_write_string(ws, row, 10, !c->clear ? "No clear change" : c->d > 0 ? "Up" :
	    "Down", NULL);
}

static lxw_row_t
changes(struct xl *x, lxw_worksheet *ws, const struct report *r, lxw_row_t row)
{
	static const char *const h[] = { "Indicator", "Previous wave", "%", "Base",
		"Latest wave", "%", "Base", "Change (points)", "95% low", "95% high", "Reading",
		NULL };
	static const struct section s = { "What changed since the previous wave",
		"The responses come from one wave of the survey, so there is no earlier wave "
		"to compare with.", h,
		"Each wave's percentage is of its own people who answered. A change is the latest "
		"minus the previous, in points, with a 95% interval by Newcombe's hybrid score "
		"method: \"No clear change\" when it includes zero.", change_row };

	return section(x, ws, row, &s, r, r->sum.nchanges);
}

/* Every question's base and the top of each scale. */
static void
questions(struct xl *x, lxw_worksheet *ws, const struct report *r, lxw_row_t row)
{
	static const char *const h[] = { "Question", "Base", "Top answers %", "Indicative",
		"Top answers", NULL };

	worksheet_write_string(ws, row++, 0, "Every question", x->title);
	row = heads(x, ws, row, h);
	for (size_t i = 0; i < r->nt; i++) {
		const struct rtable *t = &r->t[i];
		if (strcmp(t->section, "questions") != 0)
			continue;
		worksheet_write_string(ws, row, 0, t->title, NULL);
		xl_count(x, ws, row, 1, t->answered, t->base_supp);
		if (t->has_top2) {
			xl_pct(x, ws, row, 2, t->top2_pct, t->top2_supp ||
			    t->answered < REPORT_PCT_MIN_BASE);
			worksheet_write_string(ws, row, 4, t->top2_label, NULL);
		}
		worksheet_write_string(ws, row++, 3, t->indicative ? "yes" : "no", NULL);
	}
}

void
xl_summary_sheet(struct xl *x, const struct report *r, const struct export_opts *o)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Summary");
	lxw_row_t row = 6;
	char line[160];

	if (ws == NULL)
		return;
	worksheet_set_column(ws, 0, 0, 60, NULL);
	worksheet_set_column(ws, 1, 10, 14, NULL);
	worksheet_write_string(ws, 0, 0, i18n_get(&r->s->title, 0), x->title);
	worksheet_write_string(ws, 1, 0, "Responses", NULL);
	xl_count(x, ws, 1, 1, r->responses, r->responses_supp);
	if (r->codebook_version > 0) {
		worksheet_write_string(ws, 2, 0, "Codebook version", NULL);
		worksheet_write_number(ws, 2, 1, r->codebook_version, NULL);
	}
	if (o->generated != NULL)
		worksheet_write_string(ws, 3, 0, o->generated, NULL);
	snprintf(line, sizeof(line), "%s: a number from 1 to %d, hidden to protect the people "
	    "who answered. Every percentage stands beside its base.", EXPORT_SUPPRESSED, r->k - 1);
	worksheet_write_string(ws, 4, 0, line, NULL);
	row = who(x, ws, r, row);
	row = areas(x, ws, r, row);
	row = changes(x, ws, r, row);
	questions(x, ws, r, row);
}
