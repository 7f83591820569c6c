/* export_csv: RFC 4180 files (CRLF line ends, every cell quoted by esc_csv,
 * which also defuses cells a spreadsheet would run as formulas).  Long
 * format, one row per table row, so a pivot table can do the rest:
 *   tables.csv    every count and percentage with its base and interval
 *   rankings.csv  ranked first and mean rank per option
 *   scales.csv    top-two-box per scale question, with the answers it counts
 *   numbers.csv   the median of each number question, with its band and n
 *   quotes.csv    the quotes chosen per theme */
#include <stdio.h>
#include <string.h>
#include "esc.h"
#include "export.h"

static void
cell(struct buf *b, const char *s, int last)
{
	esc_csv(b, s ? s : "", s ? strlen(s) : 0);
	buf_adds(b, last ? "\r\n" : ",");
}

/* The column names; more: further names follow on the line. */
static void
header(struct buf *b, int bom, const char *const *cols, int more)
{
	if (bom)
		buf_adds(b, "\xEF\xBB\xBF");
	for (size_t i = 0; cols[i] != NULL; i++)
		cell(b, cols[i], cols[i + 1] == NULL && !more);
}

/* A number this file formatted itself ("-2.5"): quoted, but without the
 * formula guard esc_csv would put before its minus sign. */
static void
num_cell(struct buf *b, const char *s)
{
	buf_printf(b, "\"%s\",", s);
}

/* With --population: the borough's share beside each profile row.  The
 * difference goes without its plus sign, so a spreadsheet reads a number. */
static void
population_cells(struct buf *b, const struct rtable *t, const struct rrow *w)
{
	char base[32], bp[32], cp[32], d[32];
	const char *diff = export_diff(w, d);

	num_cell(b, w->has_ref ? export_pct(w->ref_pct, 0, bp) : "");
	num_cell(b, w->has_ref ? export_count(t->cmp_base, t->cmp_base_supp, base) : "");
	num_cell(b, export_cmp_pct(w, cp));
	num_cell(b, diff[0] == '+' ? diff + 1 : diff);
	cell(b, w->has_ref ? w->ref_source : "", 1);
}

static void
table_rows(struct buf *b, const struct report *r, const struct rtable *t)
{
	char n[32], p[32], lo[32], hi[32], base[32], asked[32];

	for (size_t i = 0; i < t->nrows; i++) {
		const struct rrow *w = &t->rows[i];
		cell(b, t->section, 0);
		cell(b, t->id, 0);
		cell(b, t->title, 0);
		cell(b, report_kind_names[t->kind], 0);
		cell(b, w->code, 0);
		cell(b, w->label, 0);
		cell(b, export_count(w->n, w->n_supp, n), 0);
		cell(b, export_pct(w->pct, w->pct_supp, p), 0);
		cell(b, w->pct_supp ? "" : export_pct(w->lo, 0, lo), 0);
		cell(b, w->pct_supp ? "" : export_pct(w->hi, 0, hi), 0);
		cell(b, export_count(w->base, w->base_supp, base), 0);
		cell(b, t->kind == RK_TREND || t->asked == 0 ? "" : export_count(t->asked,
		    t->asked_supp, asked), 0);
		cell(b, t->indicative ? "yes" : "no", !r->has_population);
		if (r->has_population)
			population_cells(b, t, w);
	}
}

static void
ranking_rows(struct buf *b, const struct rtable *t)
{
	char f[32], fp[32], mr[32];

	for (size_t i = 0; i < t->nrows; i++) {
		const struct rrow *w = &t->rows[i];
		cell(b, t->id, 0);
		cell(b, w->code, 0);
		cell(b, w->label, 0);
		cell(b, export_count(w->first, w->first_supp, f), 0);
		cell(b, export_pct(w->first_pct, w->first_pct_supp, fp), 0);
		if (w->mean_supp)
			cell(b, w->n == 0 && !w->n_supp ? "" : EXPORT_SUPPRESSED, 1);
		else {
			snprintf(mr, sizeof(mr), "%.2f", w->mean_rank);
			cell(b, mr, 1);
		}
	}
}

static void
scale_row(struct buf *b, const struct rtable *t)
{
	char n[32], p[32], lo[32], hi[32], base[32];
	int nopct = t->top2_supp || t->answered < REPORT_PCT_MIN_BASE;

	cell(b, t->id, 0);
	cell(b, t->title, 0);
	cell(b, export_count(t->top2, t->top2_supp, n), 0);
	cell(b, export_pct(t->top2_pct, nopct, p), 0);
	cell(b, nopct ? "" : export_pct(t->top2_lo, 0, lo), 0);
	cell(b, nopct ? "" : export_pct(t->top2_hi, 0, hi), 0);
	cell(b, export_count(t->answered, t->base_supp, base), 0);
	cell(b, t->indicative ? "yes" : "no", 0);
	cell(b, t->top2_label, 1);
}

static void
number_row(struct buf *b, const struct rtable *t)
{
	char m[64], base[32];
	const char *shown = export_median(t, m);

	cell(b, t->id, 0);
	cell(b, t->title, 0);
	num_cell(b, t->has_median && !t->median_supp && !t->median_exact ? "" : shown);
	cell(b, t->has_median && !t->median_supp ? t->median_band : shown, 0);
	num_cell(b, export_count(t->answered, t->base_supp, base));
	cell(b, t->indicative ? "yes" : "no", 1);
}

static const char *const tables_cols[] = { "section", "table", "title", "kind", "code",
	"label", "count", "percent", "ci95_low", "ci95_high", "base", "asked", "indicative", NULL };
static const char *const population_cols[] = { "borough_percent", "comparable_base",
	"comparable_percent", "difference_points", "borough_source", NULL };
static const char *const ranking_cols[] = { "table", "code", "label", "ranked_first",
	"ranked_first_percent", "mean_rank", NULL };
static const char *const scale_cols[] = { "table", "title", "top_two_count",
	"top_two_percent", "ci95_low", "ci95_high", "base", "indicative", "top_two_answers", NULL };
static const char *const quote_cols[] = { "table", "theme", "label", "quote", NULL };
static const char *const number_cols[] = { "table", "title", "median", "median_band", "n",
	"indicative", NULL };

static int
write_one(const struct report *r, const struct export_opts *o, const char *dir,
    const char *name, int which, char *err, size_t errlen)
{
	static const char *const *const cols[] = { tables_cols, ranking_cols, scale_cols, quote_cols,
	    number_cols };
	struct buf b = BUF_INIT;
	int rc;

	header(&b, o->bom, cols[which], which == 0 && r->has_population);
	if (which == 0 && r->has_population)
		header(&b, 0, population_cols, 0);
	for (size_t i = 0; i < r->nt; i++) {
		const struct rtable *t = &r->t[i];
		if (which == 0)
			table_rows(&b, r, t);
		else if (which == 1 && t->kind == RK_RANKING)
			ranking_rows(&b, t);
		else if (which == 2 && t->has_top2)
			scale_row(&b, t);
		else if (which == 4 && t->kind == RK_NUMBER)
			number_row(&b, t);
		for (size_t j = 0; which == 3 && j < t->nrows; j++)
			for (size_t k = 0; k < t->rows[j].nquotes; k++) {
				cell(&b, t->id, 0);
				cell(&b, t->rows[j].code, 0);
				cell(&b, t->rows[j].label, 0);
				cell(&b, t->rows[j].quotes[k], 1);
			}
	}
	rc = export_write(dir, name, &b, err, errlen);
	buf_free(&b);
	return rc;
}

int
export_csv(const struct report *r, const char *dir, const struct export_opts *o,
    char *err, size_t errlen)
{
	static const char *const names[] = { "tables.csv", "rankings.csv", "scales.csv", "quotes.csv",
	    "numbers.csv" };

	for (int i = 0; i < 5; i++)
		if (write_one(r, o, dir, names[i], i, err, errlen) != 0)
			return -1;
	return 0;
}
