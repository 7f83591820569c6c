/* run: what `report` and `crosstab` share: parsing the common options,
 * opening the database read-only with the secret key, and one streaming
 * tally pass with progress on stderr. */
#ifndef RUN_H
#define RUN_H
#include "codebook.h"
#include "corrections.h"
#include "survey.h"
#include "tally.h"

struct run {
	const char	*db, *key, *survey_id, *out, *codebook, *surveys, *config, *by;
	const char	*formats;	/* "csv,json,xlsx,html" */
	const char	*generated;	/* date printed in reports, or NULL */
	const char	*corrections;	/* hand corrections file (corrections.h), or NULL */
	const char	*population;	/* borough shares CSV (population.h), or NULL */
	long		 quotes;
	int		 suppress;	/* configured threshold */
	int		 bom;
	int		 quiet;
	struct survey_set *set;
	const struct survey *s;
	struct codebook	*cb;
	struct corrections *corr;	/* loaded from corrections, or NULL */
};

/* Parses argv into r (defaults first).  -1 on a usage error. */
int run_parse(struct run *r, int argc, char **argv);
/* Loads config, surveys and codebook, opens the store with the key and
 * tallies every response of the survey into *out.  Prints its own errors.
 * 0 or -1. */
int run_tally(struct run *r, enum tally_by by, long by_q, struct tally **out);
/* Loads config, surveys, codebook and corrections, as run_tally does
 * first.  Prints its own errors.  0 or -1. */
int run_load(struct run *r);
/* After run_load: opens the store and calls fn on each response of the
 * survey in the calling thread (store_each_response's contract).  Prints
 * its own errors.  0 or -1. */
int run_each(struct run *r, int (*fn)(void *, const struct store_response *), void *ctx);
void run_free(struct run *r);
#endif
