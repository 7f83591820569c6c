/* report_int: what report.c and report_parts.c share. */
#ifndef REPORT_INT_H
#define REPORT_INT_H
#include "report.h"

enum { REP_ROWS_OVERLAP, REP_ROWS_PARTITION, REP_ROWS_SUM };	/* rep_publish_rows */

struct rtable *rep_table(struct report *r, const char *id, const char *title,
    const char *section, enum rkind kind, size_t nrows);
/* Sets row i of t: its code, label and count. */
void rep_row(struct rtable *t, size_t i, const char *code, const char *label, long n);
/* Sets what t's shares are taken over: how many, and who they are. */
void rep_base(struct rtable *t, long answered, const char *label);
int rep_publish_rows(struct report *r, struct rtable *t, int additive);
const char *rep_text(const struct i18n *t);
/* How many points the top of a scale counts: two of four or more, else one. */
size_t rep_top_points(const struct question *q);
int rep_build_profile(struct report *r, const struct tally *ty);
int rep_build_themes(struct report *r, const struct tally *ty, size_t nquotes);
int rep_build_trends(struct report *r, const struct tally *ty);
/* report_summary.c: the summary over the tables built so far (built last:
 * it points into r->t, which no later table may move). */
int rep_build_summary(struct report *r, const struct tally *ty);
/* report_number.c: a number question's bands and median into t, whose id,
 * title, section, asked and kind are set. */
int rep_build_number(struct report *r, struct rtable *t, const struct tally_q *tq);
/* 1 when a number table's median gives nothing hidden away. */
int rep_median_safe(const struct report *r, const struct rtable *t);
#endif
