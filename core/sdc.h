/* sdc: statistical disclosure control, the one rule for every number that
 * leaves the room: the analysis tool's tables and the workshop poll exports.
 *
 * A table is a set of cells (counts) and lines: a line is a list of cells
 * whose members add up to its total, itself a cell.  At threshold k:
 *  1. primary: a count from 1 to k-1 is hidden;
 *  2. zeros: in a line whose non-zero members are all hidden (or never
 *     published), its zero members are hidden too, since "0, [c], 0" says
 *     that everyone in the line gave the hidden answer (the "3 of 3" case);
 *  3. secondary: a line with exactly one unknown member, its total counted
 *     as a member, gets a second one (its smallest non-zero visible member,
 *     else its total, else a zero member), so nothing is found by
 *     subtraction; so does a line whose hidden members add up to less
 *     than k beside a known total (two hidden counts making 2 are both 1,
 *     hidden zeros making 0 are all 0); what earlier lines give away
 *     counts as known;
 *  2 and 3 repeat until no line changes; then
 *  4. the attacker (sdc_attack) tries every subtraction, across lines and
 *     repeatedly, and bounds from counts never being negative: a table in
 *     which it can still solve a hidden cell is not written (SDC_UNSAFE).
 * Zero is shown wherever that rule leaves it: it singles nobody out.
 *
 * Implicit cells are counts that are never published but that a reader can
 * still aim at: the people who did not tick an option of a multi-choice
 * question (the base minus the option's count), who did not vote on a
 * statement, who are in no published group.  One from 1 to k-1 is protected
 * like a hidden cell; one of k or more may be worked out (it is no small
 * number); 0 is taken to be known, since a reader may well assume that
 * nobody was left out (everyone voted on every statement). */
#ifndef SDC_H
#define SDC_H
#include <stddef.h>

#define SDC_K_DEFAULT	10	/* the threshold when nothing configures one */

enum sdc_err {
	SDC_OK,
	SDC_NOMEM,
	SDC_UNSAFE,	/* the attacker still solves a hidden cell: do not write */
	SDC__MAX
};
const char *sdc_strerror(enum sdc_err er);

/* The threshold in force: the configured one (SDC_K_DEFAULT when below 1),
 * raised by a survey's or poll set's own suppress_below, never lowered. */
int sdc_threshold(int configured, int own);
/* 1 when a count of n must be hidden at threshold k. */
int sdc_small(long n, int k);

/* A question publishes its base (people who answered) beside the number
 * asked (people shown it); the difference is how many skipped it, a count
 * like any other.  Returns 1 when asked must be hidden at threshold k: the
 * skipped count is from 1 to k-1, or asked itself is small.  The base stays:
 * every percentage hangs on it. */
int sdc_asked_hidden(long asked, long answered, int k);

/* A table to protect.  Build it with sdc_cell and sdc_line, run sdc_run,
 * then read sdc_hidden.  Owned by the caller: sdc_free (NULL is fine). */
struct sdc;
struct sdc *sdc_new(int k);
void sdc_free(struct sdc *t);
/* Adds a cell of count v; its index, or -1 when out of memory (sdc_run
 * then fails too).  Flags: SDC_IMPLICIT, never published (who is left out
 * of a line); SDC_SUM with it, a sum nobody would guess, not even as 0 (the
 * people who voted on a statement); SDC_KNOWN, published whatever the rule
 * says, since the reader has it from elsewhere (the caller made sure it is
 * not small). */
#define SDC_IMPLICIT	1
#define SDC_KNOWN	2
#define SDC_SUM		4
long sdc_cell(struct sdc *t, long v, int flags);
/* sdc_new with cells 0 .. n-1 of counts v[0..n), and in *m (the caller
 * frees it) room for room >= n cell indexes, the first n set.  NULL, with
 * *m NULL, when out of memory. */
struct sdc *sdc_new_cells(int k, const long *v, size_t n, size_t room, long **m);
/* Adds a line: members m[0..n) add up to cell total.  -1: out of memory.
 * A total of -1 makes a line without a sum (the options of a multi-choice
 * question): only the zero rule applies to it. */
int sdc_line(struct sdc *t, const long *m, size_t n, long total);
/* Counts that overlap (each person may be in several): for each cell m[i]
 * of count v[i], a line of it and an implicit cell of the total - v[i] who
 * are not in it, adding up to cell tc (of count total).  -1 as sdc_line. */
int sdc_lines_apart(struct sdc *t, const long *m, const long *v, size_t n, long total,
    long tc);
/* Applies the rule above.  On any error every cell reads as hidden. */
enum sdc_err sdc_run(struct sdc *t) __attribute__((warn_unused_result));
/* 1 when cell i must not be published (implicit cells: always). */
int sdc_hidden(const struct sdc *t, long i);
/* The attacker's view: the first cell it can solve that is hidden (or
 * implicit and small), or -1 when there is none. */
long sdc_attack(const struct sdc *t);

/* One-way table: v[0..n) with published total (counts may overlap, as in a
 * multi-choice question, when additive is 0: then each count's complement,
 * total minus it, is an implicit cell).  supp[i] is set for hidden cells,
 * *total_supp when the total must be hidden as well.  Returns sdc_run's
 * error; on error everything is hidden. */
enum sdc_err sdc_oneway(const long *v, size_t n, long total, int additive, int k,
    unsigned char *supp, int *total_supp);

/* Two-way table of r rows and c columns stored row-major in a grid of
 * (r + 1) x (c + 1): the last column holds the row totals, the last row the
 * column totals and the corner the grand total.  supp has the same shape. */
enum sdc_err sdc_twoway(const long *grid, size_t r, size_t c, int k, unsigned char *supp);

/* The attacker's view of a two-way grid given only which cells are hidden:
 * 1 when some hidden member can be solved by repeatedly taking a line with
 * exactly one unknown. */
int sdc_recoverable(size_t r, size_t c, const unsigned char *supp);
#endif
