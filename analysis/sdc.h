/* sdc: statistical disclosure control for every number the tool publishes.
 *
 * Primary suppression hides counts from 1 to k-1 (zero is shown: it singles
 * nobody out).  Secondary suppression then makes sure no hidden cell can be
 * worked out from what is published: in every line of a table that has a
 * published total (a row, a column, the one line of a one-way table) the
 * number of hidden members, the total counted as a member, is 0 or at least
 * 2.  When a line has exactly one, the smallest non-zero visible cell of the
 * line is hidden too (or, failing that, its total); this repeats until no
 * line changes, since hiding a cell can expose its other line. */
#ifndef SDC_H
#define SDC_H
#include <stddef.h>

/* The threshold in force: the larger of the configured and the survey's. */
int sdc_threshold(int configured, int survey);
/* 1 when a count of n must be hidden at threshold k. */
int sdc_small(long n, int k);

/* A question publishes its base (people who answered) beside the number
 * asked (people shown it); the difference is how many skipped it, a count
 * like any other.  Returns 1 when asked must be hidden at threshold k: the
 * skipped count is from 1 to k-1, or asked itself is small.  The base stays:
 * every percentage hangs on it. */
int sdc_asked_hidden(long asked, long answered, int k);

/* One-way table: v[0..n) with published total (counts may overlap, as in a
 * multi-choice question, when additive is 0: then only primary suppression
 * applies and the total is the base, not a sum).  supp[i] is set for hidden
 * cells, *total_supp when the total must be hidden as well. */
void sdc_oneway(const long *v, size_t n, long total, int additive, int k,
    unsigned char *supp, int *total_supp);

/* Two-way table of r rows and c columns stored row-major in a grid of
 * (r + 1) x (c + 1): the last column holds the row totals, the last row the
 * column totals and the corner the grand total.  supp has the same shape. */
void sdc_twoway(const long *grid, size_t r, size_t c, int k, unsigned char *supp);

/* The attacker's view, for tests and a final self-check: returns 1 when some
 * hidden member of the grid can be solved from the published numbers by
 * repeatedly taking a line with exactly one unknown. */
int sdc_recoverable(size_t r, size_t c, const unsigned char *supp);
#endif
