/* export_html_int: what export_html.c and export_html_sum.c share. */
#ifndef EXPORT_HTML_INT_H
#define EXPORT_HTML_INT_H
#include "export.h"

/* s (NULL: nothing) as HTML text. */
void html_text(struct buf *b, const char *s);
/* A count for people to read: "5,000", or "[c]" when suppressed. */
const char *html_count(long n, int supp, char out[32]);
/* Profile rows that say nothing when empty ("Unknown" channel, "Other"
 * language or days) are left out of the page: 0 for those. */
int html_row_shown(const struct rtable *t, const struct rrow *w);
/* t's bar chart (export_html_chart.c), the idx-th of the page; none for
 * tables too long to draw. */
void html_chart(struct buf *b, const struct rtable *t, size_t idx);
/* The one-page summary (report_summary.c) as the page's first section. */
void html_summary(struct buf *b, const struct report *r);
#endif
