/* export_xlsx: report.xlsx for the policy team's Excel.  Sheets: Summary,
 * one per question (its table and a bar chart of the percentages, with alt
 * text), Themes, Profile, Trends and Notes.  Suppressed cells hold the text
 * "[c]", so a formula over them fails loudly instead of summing a wrong
 * number.  A chart reads its own two columns, where a suppressed answer is
 * labelled "[c]" and has no value, so it is left out instead of being
 * drawn as a bar of zero. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include "export.h"

struct xl {
	lxw_workbook	*wb;
	lxw_format	*bold, *pct, *wrap, *mean, *diff;
};

static void
put_count(struct xl *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, long n, int supp)
{
	if (supp)
		worksheet_write_string(ws, r, c, EXPORT_SUPPRESSED, NULL);
	else
		worksheet_write_number(ws, r, c, (double)n, NULL);
	(void)x;
}

static void
put_pct(struct xl *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double p, int supp)
{
	if (supp)
		worksheet_write_string(ws, r, c, EXPORT_SUPPRESSED, NULL);
	else
		worksheet_write_number(ws, r, c, p / 100.0, x->pct);
}

static const char *const row_heads[] = { "Table", "Answer", "Code", "Number", "%",
	"95% low", "95% high", "Base", "Indicative", NULL };
static const char *const rank_heads[] = { "Ranked first", "% ranked first", "Mean rank", NULL };

#define COL_RANK	9	/* rankings: rank_heads from here */
#define COL_CHART	12	/* question sheets: the chart's labels, then values */

/* Rankings: ranked first, its percentage and the mean rank (empty when
 * nobody ranked the option, "[c]" when hidden). */
static void
put_rank(struct xl *x, lxw_worksheet *ws, lxw_row_t r, const struct rrow *w)
{
	put_count(x, ws, r, COL_RANK, w->first, w->first_supp);
	put_pct(x, ws, r, COL_RANK + 1, w->first_pct, w->first_pct_supp);
	if (!w->mean_supp)
		worksheet_write_number(ws, r, COL_RANK + 2, w->mean_rank, x->mean);
	else if (w->n != 0 || w->n_supp)
		worksheet_write_string(ws, r, COL_RANK + 2, EXPORT_SUPPRESSED, NULL);
}

#define COL_POP		9	/* profile sheet with borough shares: pop_heads from here */
static const char *const pop_heads[] = { "Borough %", "Comparable base", "% of comparable",
	"Difference (points)", "Borough source", NULL };

/* A profile row beside the borough's share (report_add_population). */
static void
put_population(struct xl *x, lxw_worksheet *ws, lxw_row_t r, const struct rtable *t,
    const struct rrow *w)
{
	char d[32];

	if (!w->has_ref)
		return;
	put_pct(x, ws, r, COL_POP, w->ref_pct, 0);
	put_count(x, ws, r, COL_POP + 1, t->cmp_base, t->cmp_base_supp);
	put_pct(x, ws, r, COL_POP + 2, w->cmp_pct, w->cmp_supp);
	if (w->cmp_supp)
		worksheet_write_string(ws, r, COL_POP + 3, EXPORT_SUPPRESSED, NULL);
	else
		worksheet_write_number(ws, r, COL_POP + 3, atof(export_diff(w, d)), x->diff);
	worksheet_write_string(ws, r, COL_POP + 4, w->ref_source, NULL);
}

/* Writes a table's rows from row r on; returns the next free row. */
static lxw_row_t
put_rows(struct xl *x, lxw_worksheet *ws, lxw_row_t r, const struct rtable *t)
{
	for (size_t i = 0; i < t->nrows; i++, r++) {
		const struct rrow *w = &t->rows[i];
		worksheet_write_string(ws, r, 0, t->title, NULL);
		worksheet_write_string(ws, r, 1, w->label, NULL);
		worksheet_write_string(ws, r, 2, w->code, NULL);
		put_count(x, ws, r, 3, w->n, w->n_supp);
		put_pct(x, ws, r, 4, w->pct, w->pct_supp);
		put_pct(x, ws, r, 5, w->lo, w->pct_supp);
		put_pct(x, ws, r, 6, w->hi, w->pct_supp);
		put_count(x, ws, r, 7, w->base, w->base_supp);
		worksheet_write_string(ws, r, 8, t->indicative ? "yes" : "no", NULL);
		if (t->kind == RK_RANKING)
			put_rank(x, ws, r, w);
		put_population(x, ws, r, t, w);
	}
	return r;
}

static void
put_heads(struct xl *x, lxw_worksheet *ws, lxw_row_t r)
{
	for (lxw_col_t c = 0; row_heads[c] != NULL; c++)
		worksheet_write_string(ws, r, c, row_heads[c], x->bold);
	worksheet_set_column(ws, 0, 1, 40, NULL);
	worksheet_set_column(ws, 2, 8, 11, NULL);
}

/* The chart's own columns from row r: every answer's label, marked "[c]"
 * when its percentage is hidden, and its percentage, left blank then. */
static void
put_chart_data(struct xl *x, lxw_worksheet *ws, lxw_row_t r, const struct rtable *t)
{
	char label[512];

	worksheet_write_string(ws, r - 1, COL_CHART, "Chart: answer", x->bold);
	worksheet_write_string(ws, r - 1, COL_CHART + 1, "Chart: %", x->bold);
	worksheet_set_column(ws, COL_CHART, COL_CHART, 40, NULL);
	for (size_t i = 0; i < t->nrows; i++, r++) {
		const struct rrow *w = &t->rows[i];
		snprintf(label, sizeof(label), "%s%s", w->label ? w->label : "",
		    w->pct_supp ? " " EXPORT_SUPPRESSED : "");
		worksheet_write_string(ws, r, COL_CHART, label, NULL);
		if (!w->pct_supp)
			worksheet_write_number(ws, r, COL_CHART + 1, w->pct / 100.0, x->pct);
	}
}

static void
put_chart(struct xl *x, lxw_worksheet *ws, const char *name, const struct rtable *t)
{
	lxw_row_t last = (lxw_row_t)(4 + t->nrows - 1);
	lxw_chart_options opt = { 0 };
	char alt[512];
	lxw_chart *ch;
	lxw_chart_series *se;

	if (t->nrows == 0 || (ch = workbook_add_chart(x->wb, LXW_CHART_BAR)) == NULL)
		return;
	put_chart_data(x, ws, 4, t);
	se = chart_add_series(ch, NULL, NULL);
	chart_series_set_categories(se, name, 4, COL_CHART, last, COL_CHART);
	chart_series_set_values(se, name, 4, COL_CHART + 1, last, COL_CHART + 1);
	chart_title_set_name(ch, t->title);
	chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
	chart_axis_set_min(ch->x_axis, 0);
	chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
	snprintf(alt, sizeof(alt), "Bar chart of the percentage giving each answer to \"%s\". "
	    "Answers marked %s are hidden to protect the people who gave them and have no bar. "
	    "The table on this sheet gives the numbers.", t->title, EXPORT_SUPPRESSED);
	opt.description = alt;
	worksheet_insert_chart_opt(ws, last + 3, 1, ch, &opt);
}

/* The median as a number, or as text: its band, or "[c]". */
static void
put_median(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const struct rtable *t)
{
	char m[64];

	if (t->has_median && !t->median_supp && t->median_exact)
		worksheet_write_number(ws, r, c, (double)t->median, NULL);
	else
		worksheet_write_string(ws, r, c, export_median(t, m), NULL);
}

/* Every number question's median, with the band holding it and its n. */
static void
numbers_sheet(struct xl *x, const struct report *r)
{
	static const char *const heads[] = { "Question", "Median", "Median band", "n",
		"Indicative", NULL };
	lxw_worksheet *ws;
	lxw_row_t row = 1;

	if (!export_has_numbers(r) || (ws = workbook_add_worksheet(x->wb, "Numbers")) == NULL)
		return;
	for (lxw_col_t c = 0; heads[c] != NULL; c++)
		worksheet_write_string(ws, 0, c, heads[c], x->bold);
	worksheet_set_column(ws, 0, 0, 60, NULL);
	worksheet_set_column(ws, 1, 4, 14, NULL);
	for (size_t i = 0; i < r->nt; i++) {
		const struct rtable *t = &r->t[i];
		if (t->kind != RK_NUMBER)
			continue;
		worksheet_write_string(ws, row, 0, t->title, NULL);
		put_median(ws, row, 1, t);
		if (t->has_median)
			worksheet_write_string(ws, row, 2, t->median_supp ? EXPORT_SUPPRESSED :
			    t->median_band, NULL);
		put_count(x, ws, row, 3, t->answered, t->base_supp);
		worksheet_write_string(ws, row++, 4, t->indicative ? "yes" : "no", NULL);
	}
}

static void
question_sheet(struct xl *x, const struct rtable *t, size_t idx)
{
	char name[32];
	lxw_worksheet *ws;

	snprintf(name, sizeof(name), "Q%zu %.26s", idx, t->id);
	if ((ws = workbook_add_worksheet(x->wb, name)) == NULL)
		return;
	worksheet_write_string(ws, 0, 0, t->title, x->bold);
	put_count(x, ws, 1, 1, t->answered, t->base_supp);
	worksheet_write_string(ws, 1, 0, "Base (answered)", NULL);
	if (t->asked > 0) {
		worksheet_write_string(ws, 2, 0, "Asked (shown the question)", NULL);
		put_count(x, ws, 2, 1, t->asked, t->asked_supp);
	}
	if (t->indicative)
		worksheet_write_string(ws, 1, 2, "Indicative: base below 50", NULL);
	if (t->has_median) {
		worksheet_write_string(ws, 2, 2, "Median", NULL);
		put_median(ws, 2, 3, t);
	}
	put_heads(x, ws, 3);
	for (lxw_col_t c = 0; t->kind == RK_RANKING && rank_heads[c] != NULL; c++)
		worksheet_write_string(ws, 3, COL_RANK + c, rank_heads[c], x->bold);
	put_rows(x, ws, 4, t);
	put_chart(x, ws, name, t);
}

static void
section_sheet(struct xl *x, const struct report *r, const char *sec, const char *name)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
	lxw_row_t row = 1;

	if (ws == NULL)
		return;
	put_heads(x, ws, 0);
	for (lxw_col_t c = 0; r->has_population && strcmp(sec, "profile") == 0 &&
	    pop_heads[c] != NULL; c++)
		worksheet_write_string(ws, 0, COL_POP + c, pop_heads[c], x->bold);
	for (size_t i = 0; i < r->nt; i++)
		if (strcmp(r->t[i].section, sec) == 0)
			row = put_rows(x, ws, row, &r->t[i]);
}

static void
summary_sheet(struct xl *x, const struct report *r, const struct export_opts *o)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Summary");
	lxw_row_t row = 5;

	if (ws == NULL)
		return;
	worksheet_set_column(ws, 0, 0, 70, NULL);
	worksheet_set_column(ws, 1, 3, 14, NULL);
	worksheet_set_column(ws, 4, 4, 40, NULL);
	worksheet_write_string(ws, 0, 0, i18n_get(&r->s->title, 0), x->bold);
	worksheet_write_string(ws, 1, 0, "Responses", NULL);
	put_count(x, ws, 1, 1, r->responses, r->responses_supp);
	if (o->generated != NULL)
		worksheet_write_string(ws, 2, 0, o->generated, NULL);
	worksheet_write_string(ws, 4, 0, "Question", x->bold);
	worksheet_write_string(ws, 4, 1, "Base", x->bold);
	worksheet_write_string(ws, 4, 2, "Top answers %", x->bold);
	worksheet_write_string(ws, 4, 3, "Indicative", x->bold);
	worksheet_write_string(ws, 4, 4, "Top answers", x->bold);
	for (size_t i = 0; i < r->nt; i++, row++) {
		const struct rtable *t = &r->t[i];
		if (strcmp(t->section, "questions") != 0) {
			row--;
			continue;
		}
		worksheet_write_string(ws, row, 0, t->title, NULL);
		put_count(x, ws, row, 1, t->answered, t->base_supp);
		if (t->has_top2) {
			put_pct(x, ws, row, 2, t->top2_pct, t->top2_supp ||
			    t->answered < REPORT_PCT_MIN_BASE);
			worksheet_write_string(ws, row, 4, t->top2_label, NULL);
		}
		worksheet_write_string(ws, row, 3, t->indicative ? "yes" : "no", NULL);
	}
}

static void
notes_sheet(struct xl *x, const struct report *r)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Notes");
	char line[512];

	if (ws == NULL)
		return;
	worksheet_set_column(ws, 0, 0, 110, x->wrap);
	worksheet_write_string(ws, 0, 0, "Notes on suppression and bases", x->bold);
	snprintf(line, sizeof(line), "Counts from 1 to %d are shown as %s, as are percentages "
	    "of fewer than %d answers. Where one hidden number could be worked out from a total, "
	    "the next smallest is hidden too.", r->k - 1, EXPORT_SUPPRESSED, REPORT_PCT_MIN_BASE);
	worksheet_write_string(ws, 1, 0, line, NULL);
	snprintf(line, sizeof(line), "Base: the people who answered the question. Asked: the "
	    "people who were shown it. Bases below %d are marked indicative.", REPORT_INDICATIVE);
	worksheet_write_string(ws, 2, 0, line, NULL);
	snprintf(line, sizeof(line), "Where from 1 to %d of the people shown a question did not "
	    "answer it, the number asked is shown as %s, so that how many skipped the question "
	    "cannot be worked out.", r->k - 1, EXPORT_SUPPRESSED);
	worksheet_write_string(ws, 3, 0, line, NULL);
	worksheet_write_string(ws, 4, 0, "Percentages are of the base, with 95% Wilson score "
	    "intervals. Multi-choice questions and free-text themes do not add up to 100%.", NULL);
	worksheet_write_string(ws, 5, 0, "The base includes the people who answered \"Don't "
	    "know\" or \"Prefer not to say\", and so does the top of each scale (\"Fairly safe or "
	    "Very safe\"): it is a share of everyone who answered, not only of those who gave a "
	    "view.", NULL);
	snprintf(line, sizeof(line), "%ld free-text answers were corrected by hand: they count "
	    "under the themes an analyst gave them, not those the codebook's rules found.",
	    r->corrected);
	if (r->has_corrections)
		worksheet_write_string(ws, 6, 0, line, NULL);
	snprintf(line, sizeof(line), "Number questions are counted in bands. The median (with an "
	    "even number of answers, halfway between the middle two, rounded up) is given only "
	    "when at least %d people answered and the band holding it is shown.", r->k);
	if (export_has_numbers(r))
		worksheet_write_string(ws, 7, 0, line, NULL);
}

int
export_xlsx(const struct report *r, const char *dir, const struct export_opts *o,
    char *err, size_t errlen)
{
	char path[4096], tmp[4200];
	struct xl x;
	size_t q = 0;

	snprintf(path, sizeof(path), "%s/report.xlsx", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((x.wb = workbook_new(tmp)) == NULL) {
		snprintf(err, errlen, "%s: cannot create", tmp);
		return -1;
	}
	x.bold = workbook_add_format(x.wb);
	format_set_bold(x.bold);
	x.pct = workbook_add_format(x.wb);
	format_set_num_format(x.pct, "0.0%");
	x.mean = workbook_add_format(x.wb);
	format_set_num_format(x.mean, "0.00");
	x.diff = workbook_add_format(x.wb);
	format_set_num_format(x.diff, "+0.0;-0.0;0.0");
	x.wrap = workbook_add_format(x.wb);
	format_set_text_wrap(x.wrap);
	summary_sheet(&x, r, o);
	for (size_t i = 0; i < r->nt; i++)
		if (strcmp(r->t[i].section, "questions") == 0)
			question_sheet(&x, &r->t[i], ++q);
	section_sheet(&x, r, "themes", "Themes");
	section_sheet(&x, r, "profile", "Profile");
	section_sheet(&x, r, "trends", "Trends");
	numbers_sheet(&x, r);
	notes_sheet(&x, r);
	if (workbook_close(x.wb) != LXW_NO_ERROR || rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: cannot write", path);
		unlink(tmp);
		return -1;
	}
	return 0;
}
