/* export_xlsx_int: what the files of the XLSX export share. */
#ifndef EXPORT_XLSX_INT_H
#define EXPORT_XLSX_INT_H
#include <xlsxwriter.h>
#include "export.h"

struct xl {
	lxw_workbook	*wb;
	lxw_format	*bold, *pct, *wrap, *mean, *diff, *title;
};

/* A count, or "[c]" when hidden. */
void xl_count(struct xl *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, long n, int supp);
/* A percentage (as a fraction formatted 0.0%), or "[c]" when hidden. */
void xl_pct(struct xl *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double p, int supp);

/* Writes t's chart data into sheet `name` from row r, columns c, c+1, c+2:
 * each row's label (marked "[c]" when hidden), the value it draws (blank
 * when hidden, so no bar of zero is drawn) and the text written beside
 * its bar ("31.0% (23.7 to 39.4)"; for a ranking, the share ranking the
 * option first and its mean rank), then inserts a bar chart of them at
 * (at_r, at_c).  Bars are light grey with a black border and carry their
 * label, so the chart reads in black and white. */
void xl_chart(struct xl *x, lxw_worksheet *ws, const char *name, lxw_row_t r, lxw_col_t c,
    const struct rtable *t, lxw_row_t at_r, lxw_col_t at_c);

/* The Summary sheet (report_summary.c), the workbook's first. */
void xl_summary_sheet(struct xl *x, const struct report *r, const struct export_opts *o);
#endif
