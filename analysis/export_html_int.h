/* export_html_int: what export_html.c and export_html_sum.c share. */
#ifndef EXPORT_HTML_INT_H
#define EXPORT_HTML_INT_H
#include "export.h"

/* s (NULL: nothing) as HTML text. */
void html_text(struct buf *b, const char *s);
/* A count for people to read: "5,000", or "[c]" when suppressed. */
const char *html_count(long n, int supp, char out[32]);
/* The one-page summary (report_summary.c) as the page's first section. */
void html_summary(struct buf *b, const struct report *r);
#endif
