/* sheet: the coding sheet, for people to check how the free text was coded.
 * One row per free-text answer: response, question, text, the areas and
 * themes it was coded to, the codebook rules that fired (or "corrected by
 * hand"), empty columns for a corrected coding and a note, and the text's
 * hash and the codebook version, which key a correction (corrections.h).
 * Rows are in a fixed order whatever order the database returns them in:
 * first the answers of responses the safeguarding check flagged (for the
 * safeguarding lead to read first); then the queue, the answers the coding
 * is least sure of and nobody corrected, least sure first, so the first rows
 * a person corrects are the ones that teach the model most (uncertainty
 * sampling; without a model, the answers no rule matched); then the rest, by
 * question in survey order, then by response id and text hash.  The text is held in memory: a sheet is for
 * reading, so it is as large as the free text of one survey. */
#ifndef SHEET_H
#define SHEET_H
#include <stddef.h>
#include "codebook.h"
#include "corrections.h"
#include "store.h"
#include "survey.h"

/* An answer whose coding certainty (codebook_hits) is at most this is in
 * the queue: with a model, some area's probability is between 0.25 and
 * 0.75; an answer no rule matched always is. */
#define SHEET_QUEUE	0.5

struct sheet;

/* cb is used for coding (not thread-safe, see codebook.h); corr may be
 * NULL.  Both and s must outlive the sheet.  NULL on OOM. */
struct sheet *sheet_new(const struct survey *s, struct codebook *cb,
    const struct corrections *corr);
void sheet_free(struct sheet *sh);
/* Adds a row for each free-text answer of r to a question of the survey.
 * 0, or -1 on OOM.  Has store_each_response's callback shape. */
int sheet_add(void *sh, const struct store_response *r);
/* Sorts the rows (see above); call once after the last sheet_add. */
void sheet_sort(struct sheet *sh);
/* Answers, the uncoded ones, the corrected ones, and corrections that no
 * longer match their answer's text; by question when q < the survey's nqs. */
struct sheet_counts {
	long		 answers, uncoded, corrected, stale;
	long		 flagged;	/* answers of flagged responses (listed first) */
};
struct sheet_counts sheet_counts(const struct sheet *sh, size_t q);
/* dir/coding-sheet.csv (RFC 4180, formula-safe) and dir/coding-sheet.xlsx,
 * each written to a temporary name and renamed.  0, or -1 with err. */
int sheet_write_csv(const struct sheet *sh, const char *dir, int bom, char *err, size_t errlen)
    __attribute__((warn_unused_result));
int sheet_write_xlsx(const struct sheet *sh, const char *dir, char *err, size_t errlen)
    __attribute__((warn_unused_result));
#endif
