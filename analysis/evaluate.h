/* eval: agreement between the codebook and a human-coded sample.
 * Per outcome area: precision, recall, F1, support and Cohen's kappa
 * (human coding as the reference); over all areas: macro-F1 and the share of
 * answers whose whole set of areas matched exactly. */
#ifndef EVALUATE_H
#define EVALUATE_H
#include <stdint.h>
#include <stdio.h>
#include "codebook.h"

struct eval_counts {
	long	 tp, fp, fn, tn;
};

struct eval {
	size_t		 nareas;
	struct eval_counts c[CODEBOOK_MAX_AREAS];
	long		 n;		/* answers */
	long		 exact;		/* answers whose area sets matched */
};

void eval_init(struct eval *e, size_t nareas);
void eval_add(struct eval *e, uint32_t truth, uint32_t predicted);
/* Undefined ratios (nothing predicted, nothing to find) count as 0. */
double eval_precision(const struct eval_counts *c);
double eval_recall(const struct eval_counts *c);
double eval_f1(const struct eval_counts *c);
/* Cohen's kappa of two binary codings; 1 when both are constant and agree. */
double eval_kappa(const struct eval_counts *c);
double eval_macro_f1(const struct eval *e);

/* Codes every row of a CSV file "text,labels" (RFC 4180, optional header
 * row, optional UTF-8 BOM) and accumulates into e.  With errors not NULL,
 * each disagreement is written there.  -1 with a message in err. */
int eval_file(struct codebook *cb, const char *path, struct eval *e, FILE *errors,
    char *err, size_t errlen) __attribute__((warn_unused_result));
void eval_print(const struct codebook *cb, const struct eval *e, FILE *fp);
#endif
