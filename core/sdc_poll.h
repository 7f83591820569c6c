/* sdc_poll: the rule of sdc.h applied to one workshop poll question, for
 * what leaves the room (the exports).  Each function takes the true counts
 * and says what may be published; on any error everything reads as hidden
 * and the caller writes the question without numbers.  Derived numbers
 * follow their counts: a percentage is published only beside a published
 * count and a published base, and an order only from published numbers. */
#ifndef SDC_POLL_H
#define SDC_POLL_H
#include <stddef.h>
#include "sdc.h"

#define SDC_POLL_GROUPS	16	/* answers of the group question compared, at most */

/* Options: count[0..n) of answers (voters; with multi, who ticked each;
 * single answers add up to answers).  hidden[i] for each hidden count,
 * *answers_hidden for the base. */
enum sdc_err sdc_poll_bars(const long *count, size_t n, long answers, int multi, int k,
    unsigned char *hidden, int *answers_hidden);

/* Ranking: pos[i * rank + p] people put option i at position p + 1.  The
 * points of option i are published only where every count behind them is,
 * the counts being protected as a table of options by positions (with who
 * did not rank an option, and who left a position empty, as implicit
 * cells), so points can neither show a small count nor be solved back
 * into one. */
enum sdc_err sdc_poll_ranking(const long *pos, size_t nopts, size_t rank, long answers,
    int k, unsigned char *points_hidden, int *answers_hidden);

/* Word cloud: count[0..n) people gave each word; the others gave none or an
 * empty one.  hidden[i]: the word is left out. */
enum sdc_err sdc_poll_words(const long *count, size_t n, long answers, int k,
    unsigned char *hidden, int *answers_hidden);

/* A statement's votes, overall and by the answers of the group question
 * (g_n voted, g_agree of them agreed); voters who gave no group answer are
 * in neither.  The out fields say what may be published. */
struct sdc_poll_stmt {
	long		 agree, disagree, pass;
	long		 g_agree[SDC_POLL_GROUPS], g_n[SDC_POLL_GROUPS];
	unsigned char	 agree_hidden, disagree_hidden, pass_hidden;
	unsigned char	 g_shown[SDC_POLL_GROUPS];	/* the group's n */
	unsigned char	 g_pct_shown[SDC_POLL_GROUPS];	/* its agree % */
};
/* Statements s[0..n) of a question that answers people voted on, groups
 * 0..ngroups.  A group smaller than k on a statement is not shown at all;
 * a group's percentage only beside a published count of who agreed. */
enum sdc_err sdc_poll_statements(struct sdc_poll_stmt *s, size_t n, size_t ngroups,
    long answers, int k, int *answers_hidden);
#endif
