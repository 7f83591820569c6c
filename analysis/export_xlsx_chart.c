/* export_xlsx_chart: the workbook's bar charts.  A chart reads its own
 * columns, where a hidden answer is labelled "[c]" and has no value, so it
 * is left out instead of being drawn as a bar of zero; every bar carries
 * its number, so the chart reads without colour. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "export_xlsx_int.h"

#define CHART_ROWS_FIT	12	/* rows the default chart height holds */

/* What a row draws: its percentage with the 95% interval, or for a
 * ranking the share ranking the option first (the share ranking it at all
 * is 100 for every option of a full ranking). */
static int
bar_value(const struct rtable *t, const struct rrow *w, double *v, char *label, size_t len)
{
	char p[32], lo[32], hi[32];

	if (t->kind == RK_RANKING ? w->first_pct_supp : w->pct_supp) {
		snprintf(label, len, "%s", EXPORT_SUPPRESSED);
		return 0;
	}
	*v = t->kind == RK_RANKING ? w->first_pct : w->pct;
	if (t->kind != RK_RANKING)
		snprintf(label, len, "%s%% (%s to %s)", export_pct(*v, 0, p),
		    export_pct(w->lo, 0, lo), export_pct(w->hi, 0, hi));
	else if (!w->mean_supp)
		snprintf(label, len, "%s%% first, mean rank %.2f", export_pct(*v, 0, p),
		    w->mean_rank);
	else
		snprintf(label, len, "%s%% first", export_pct(*v, 0, p));
	return 1;
}

static void
chart_data(struct xl *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const struct rtable *t)
{
	char cat[512], label[96];

	for (size_t i = 0; i < t->nrows; i++, r++) {
		const struct rrow *w = &t->rows[i];
		double v = 0;
		int shown = bar_value(t, w, &v, label, sizeof(label));
		snprintf(cat, sizeof(cat), "%s%s", w->label ? w->label : "",
		    shown ? "" : " " EXPORT_SUPPRESSED);
		worksheet_write_string(ws, r, c, cat, NULL);
		if (shown)
			worksheet_write_number(ws, r, c + 1, v / 100.0, x->pct);
		worksheet_write_string(ws, r, c + 2, label, NULL);
	}
}

/* Each bar's label is the text cell beside its value. */
static void
custom_labels(lxw_chart_series *se, const char *name, lxw_row_t r, lxw_col_t c, size_t n)
{
	lxw_chart_data_label *lab = calloc(n, sizeof(*lab));
	lxw_chart_data_label **lp = calloc(n + 1, sizeof(*lp));
	char *refs = calloc(n, 320), *q = lxw_quote_sheetname(name), cell[32];

	if (lab != NULL && lp != NULL && refs != NULL && q != NULL) {
		for (size_t i = 0; i < n; i++) {
			lxw_rowcol_to_cell_abs(cell, r + (lxw_row_t)i, c, 1, 1);
			snprintf(refs + i * 320, 320, "=%s!%s", q, cell);
			lab[i].value = refs + i * 320;
			lp[i] = &lab[i];
		}
		chart_series_set_labels_custom(se, lp);
	}
	free(q);
	free(refs);
	free(lp);
	free(lab);
}

static char *
chart_alt(const struct rtable *t, char *out, size_t len)
{
	snprintf(out, len, "Bar chart of %s \"%s\", each bar labelled with its number. Answers "
	    "marked %s are hidden to protect the people who gave them and have no bar. The table "
	    "on this sheet gives the numbers and bases.", t->kind == RK_RANKING ? "the percentage "
	    "ranking each option first in" : t->kind == RK_TREND ? "the percentage at the top of "
	    "the scale in each wave, with 95% intervals, for" : "the percentage, with 95% "
	    "intervals, for", t->title, EXPORT_SUPPRESSED);
	return out;
}

void
xl_chart(struct xl *x, lxw_worksheet *ws, const char *name, lxw_row_t r, lxw_col_t c,
    const struct rtable *t, lxw_row_t at_r, lxw_col_t at_c)
{
	lxw_row_t last = r + (lxw_row_t)t->nrows - 1;
	lxw_chart_fill fill = { .color = 0xD9D9D9 };
	lxw_chart_line line = { .color = 0x000000, .width = 0.75 };
	lxw_chart_options opt = { 0 };
	char alt[1024];
	lxw_chart *ch;
	lxw_chart_series *se;

	if (t->nrows == 0 || (ch = workbook_add_chart(x->wb, LXW_CHART_BAR)) == NULL)
		return;
	chart_data(x, ws, r, c, t);
	se = chart_add_series(ch, NULL, NULL);
	chart_series_set_categories(se, name, r, c, last, c);
	chart_series_set_values(se, name, r, c + 1, last, c + 1);
	chart_series_set_fill(se, &fill);
	chart_series_set_line(se, &line);
	chart_series_set_labels(se);
	custom_labels(se, name, r, c + 2, t->nrows);
	chart_title_set_name(ch, t->title);
	chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
	chart_axis_set_min(ch->x_axis, 0);
	chart_axis_set_max(ch->x_axis, 1);
	chart_axis_set_num_format(ch->x_axis, "0%");
	chart_axis_set_reverse(ch->y_axis);	/* the table's first row at the top */
	chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
	opt.description = chart_alt(t, alt, sizeof(alt));
	opt.x_scale = 1.5;
	opt.y_scale = t->nrows > CHART_ROWS_FIT ? (double)t->nrows / CHART_ROWS_FIT : 1.0;
	worksheet_insert_chart_opt(ws, at_r, at_c, ch, &opt);
}
