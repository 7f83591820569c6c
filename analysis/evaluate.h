/* evaluate: agreement between the coding and a human-coded sample
 * (evaluate.c the measures, evaluate_read.c reading and coding a sample,
 * evaluate_agree.c agreement between two human codings).
 * Per outcome area: precision, recall, F1, support and Cohen's kappa
 * (human coding as the reference); over all areas: macro-F1 and the share of
 * answers whose whole set of areas matched.  A sample is read whole into an
 * eval_set, so it can be coded, split for cross-validation and resampled
 * for confidence intervals. */
#ifndef EVALUATE_H
#define EVALUATE_H
#include <stdint.h>
#include <stdio.h>
#include "codebook.h"

#define EVAL_MAX_REGS	8
#define EVAL_BOOT	1000	/* bootstrap resamples for the 95 % intervals */

struct eval_counts {
	long	 tp, fp, fn, tn;
};

struct eval {
	size_t		 nareas;
	struct eval_counts c[CODEBOOK_MAX_AREAS];
	long		 n;		/* answers */
	long		 exact;		/* answers whose area sets matched */
};

/* One coded answer: text and id point into the set's file data. */
struct eval_row {
	const char	*id;		/* "" when the file has no id column */
	const char	*text;
	uint32_t	 truth;		/* the human's areas */
	uint32_t	 pred;		/* the coding's, once eval_code ran */
	int		 reg;		/* index into regs, or -1 */
};

struct eval_set {
	struct eval_row	*v;
	size_t		 n, cap;
	char		*regs[EVAL_MAX_REGS];	/* register names: official, residents, ... */
	size_t		 nregs;
	char		**data;		/* the files' contents, owned */
	size_t		 ndata;
};

void eval_init(struct eval *e, size_t nareas);
void eval_add(struct eval *e, uint32_t truth, uint32_t predicted);
/* Undefined ratios (nothing predicted, nothing to find) count as 0. */
double eval_precision(const struct eval_counts *c);
double eval_recall(const struct eval_counts *c);
double eval_f1(const struct eval_counts *c);
/* Cohen's kappa of two binary codings; 1 when both are constant and agree. */
double eval_kappa(const struct eval_counts *c);
/* Areas with support (some answer the human coded to them). */
size_t eval_supported(const struct eval *e);
/* Mean F1 over the areas with support: an area no answer belongs to has
 * no F1 (printed n/a) and is left out; 0 when no area has support. */
double eval_macro_f1(const struct eval *e);

/* Appends the rows of a human-coded CSV to s.  With a header row the
 * columns are found by name: text, labels, and optionally id and register;
 * without one the first two columns are text and labels.  Labels are area
 * ids separated by commas or semicolons, or "other".  A checked coding
 * sheet (with "corrected areas" and "corrected themes" columns) gives only
 * its corrected rows, coded as corrections import reads them.  -1 with
 * "file:line: problem" in err. */
int eval_read(struct codebook *cb, const char *path, struct eval_set *s, char *err,
    size_t errlen) __attribute__((warn_unused_result));
void eval_set_free(struct eval_set *s);
/* Frees s and cb, what an evaluate or train command holds; returns rc. */
int eval_end(struct codebook *cb, struct eval_set *s, int rc);
/* Codes every row with cb (rules and, when the codebook has one, its model)
 * into pred.  With errors not NULL, each disagreement is written there.
 * 0, or -1 on OOM. */
int eval_code(struct codebook *cb, struct eval_set *s, FILE *errors)
    __attribute__((warn_unused_result));
/* Tallies rows (of register reg, or all when reg < 0) into e. */
void eval_tally(const struct eval_set *s, int reg, struct eval *e);

/* Cohen's kappa between the coding of s (read from coder 1's files) and
 * that of a second coder's file (id, labels) for the answers both coded,
 * per label and pooled, overall and per register.  Uses pred for coder 2.
 * -1 with err. */
int eval_agree(struct codebook *cb, const char *second, struct eval_set *s, FILE *fp,
    char *err, size_t errlen) __attribute__((warn_unused_result));

/* Prints the table for all rows and, when the set names registers, for
 * each register, with 95 % percentile-bootstrap intervals (EVAL_BOOT
 * resamples of the answers, fixed seed: the same file gives the same
 * figures). */
void eval_print(const struct codebook *cb, const struct eval_set *s, FILE *fp);
#endif
