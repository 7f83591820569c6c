/* export_xlsx: report.xlsx for the policy team's Excel.  Sheets: Summary
 * (export_xlsx_sum.c), one per question (its table and a bar chart, with
 * alt text), Themes (a chart per table), Quotes, Profile, Trends (a chart
 * per indicator), Numbers and Notes.  Suppressed cells hold the text "[c]",
 * so a formula over them fails loudly instead of summing a wrong number;
 * charts (export_xlsx_chart.c) leave them out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "export_xlsx_int.h"

void
xl_count(struct xl *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, long n, int supp)
{
	if (supp)
		worksheet_write_string(ws, r, c, EXPORT_SUPPRESSED, NULL);
	else
		worksheet_write_number(ws, r, c, (double)n, NULL);
	(void)x;
}

void
xl_pct(struct xl *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double p, int supp)
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
	xl_count(x, ws, r, COL_RANK, w->first, w->first_supp);
	xl_pct(x, ws, r, COL_RANK + 1, w->first_pct, w->first_pct_supp);
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
	xl_pct(x, ws, r, COL_POP, w->ref_pct, 0);
	xl_count(x, ws, r, COL_POP + 1, t->cmp_base, t->cmp_base_supp);
	xl_pct(x, ws, r, COL_POP + 2, w->cmp_pct, w->cmp_supp);
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
		xl_count(x, ws, r, 3, w->n, w->n_supp);
		xl_pct(x, ws, r, 4, w->pct, w->pct_supp);
		xl_pct(x, ws, r, 5, w->lo, w->pct_supp);
		xl_pct(x, ws, r, 6, w->hi, w->pct_supp);
		xl_count(x, ws, r, 7, w->base, w->base_supp);
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
		xl_count(x, ws, row, 3, t->answered, t->base_supp);
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
	xl_count(x, ws, 1, 1, t->answered, t->base_supp);
	worksheet_write_string(ws, 1, 0, "Base (answered)", NULL);
	if (t->asked > 0) {
		worksheet_write_string(ws, 2, 0, "Asked (shown the question)", NULL);
		xl_count(x, ws, 2, 1, t->asked, t->asked_supp);
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
	worksheet_write_string(ws, 3, COL_CHART, "Chart: answer", x->bold);
	worksheet_write_string(ws, 3, COL_CHART + 1, t->kind == RK_RANKING ?
	    "Chart: % ranked first" : "Chart: %", x->bold);
	worksheet_write_string(ws, 3, COL_CHART + 2, "Chart: label", x->bold);
	worksheet_set_column(ws, COL_CHART, COL_CHART, 40, NULL);
	worksheet_set_column(ws, COL_CHART + 2, COL_CHART + 2, 24, NULL);
	xl_chart(x, ws, name, 4, COL_CHART, t, (lxw_row_t)(4 + t->nrows + 2), 1);
}

#define COL_SEC_CHART	16	/* themes, trends: each table's chart data */
#define SEC_CHART_ROWS	18	/* rows a chart takes, from SEC_CHART_AT on */
#define COL_SEC_CHART_AT 20

/* A section's tables one under the other; with charts, each table's chart
 * beside the tables, one under the other (longer tables, such as
 * responses by day, get none). */
static void
section_sheet(struct xl *x, const struct report *r, const char *sec, const char *name,
    int charts)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
	lxw_row_t row = 1, at = 1;

	if (ws == NULL)
		return;
	put_heads(x, ws, 0);
	for (lxw_col_t c = 0; r->has_population && strcmp(sec, "profile") == 0 &&
	    pop_heads[c] != NULL; c++)
		worksheet_write_string(ws, 0, COL_POP + c, pop_heads[c], x->bold);
	if (charts) {
		worksheet_write_string(ws, 0, COL_SEC_CHART, "Chart: label", x->bold);
		worksheet_write_string(ws, 0, COL_SEC_CHART + 1, "Chart: %", x->bold);
		worksheet_write_string(ws, 0, COL_SEC_CHART + 2, "Chart: text", x->bold);
	}
	for (size_t i = 0; i < r->nt; i++) {
		const struct rtable *t = &r->t[i];
		if (strcmp(t->section, sec) != 0)
			continue;
		if (charts && t->nrows > 0 && t->nrows <= 40) {
			xl_chart(x, ws, name, row, COL_SEC_CHART, t, at, COL_SEC_CHART_AT);
			at += SEC_CHART_ROWS + (lxw_row_t)(t->nrows > 12 ? t->nrows - 12 : 0);
		}
		row = put_rows(x, ws, row, t);
	}
}

/* Every quote the report shows (the HTML's "You said"): already scrubbed
 * when submitted, and only from themes that at least REPORT_QUOTE_MIN_N
 * people share and whose count is published. */
static void
quotes_sheet(struct xl *x, const struct report *r)
{
	static const char *const heads[] = { "Table", "Theme", "People", "Quote", NULL };
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Quotes");
	lxw_row_t row = 1;

	if (ws == NULL)
		return;
	for (lxw_col_t c = 0; heads[c] != NULL; c++)
		worksheet_write_string(ws, 0, c, heads[c], x->bold);
	worksheet_set_column(ws, 0, 1, 36, NULL);
	worksheet_set_column(ws, 2, 2, 10, NULL);
	worksheet_set_column(ws, 3, 3, 90, x->wrap);
	for (size_t i = 0; i < r->nt; i++)
		for (size_t j = 0; j < r->t[i].nrows; j++) {
			const struct rrow *w = &r->t[i].rows[j];
			for (size_t k = 0; k < w->nquotes; k++, row++) {
				worksheet_write_string(ws, row, 0, r->t[i].title, NULL);
				worksheet_write_string(ws, row, 1, w->label, NULL);
				xl_count(x, ws, row, 2, w->n, w->n_supp);
				worksheet_write_string(ws, row, 3, w->quotes[k], NULL);
			}
		}
	if (row == 1)
		worksheet_write_string(ws, 1, 0, "No theme was shared by enough people to quote from.",
		    NULL);
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
	worksheet_write_string(ws, 8, 0, "Waves are named by the survey's own wave label, with "
	    "the months of their responses, or by those months alone. A change between waves is "
	    "the difference of their percentages with a 95% interval by Newcombe's method.", NULL);
	snprintf(line, sizeof(line), "Free text was coded with version %d of the codebook.",
	    r->codebook_version);
	if (r->codebook_version > 0)
		worksheet_write_string(ws, 9, 0, line, NULL);
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
	x.title = workbook_add_format(x.wb);
	format_set_bold(x.title);
	format_set_font_size(x.title, 14);
	xl_summary_sheet(&x, r, o);
	for (size_t i = 0; i < r->nt; i++)
		if (strcmp(r->t[i].section, "questions") == 0)
			question_sheet(&x, &r->t[i], ++q);
	section_sheet(&x, r, "themes", "Themes", 1);
	quotes_sheet(&x, r);
	section_sheet(&x, r, "profile", "Profile", 0);
	section_sheet(&x, r, "trends", "Trends", 1);
	numbers_sheet(&x, r);
	notes_sheet(&x, r);
	if (workbook_close(x.wb) != LXW_NO_ERROR || rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: cannot write", path);
		unlink(tmp);
		return -1;
	}
	return 0;
}
