/* run: what `report` and `crosstab` share: parsing the common options,
 * opening the database read-only with the secret key, and one streaming
 * tally pass with progress on stderr. */
#ifndef RUN_H
#define RUN_H
#include "codebook.h"
#include "survey.h"
#include "tally.h"

struct run {
	const char	*db, *key, *survey_id, *out, *codebook, *surveys, *config, *by;
	const char	*formats;	/* "csv,json,xlsx,html" */
	const char	*generated;	/* date printed in reports, or NULL */
	const char	*population;	/* borough shares CSV (population.h), or NULL */
	long		 quotes;
	int		 suppress;	/* configured threshold */
	int		 bom;
	int		 quiet;
	struct survey_set *set;
	const struct survey *s;
	struct codebook	*cb;
};

/* Parses argv into r (defaults first).  -1 on a usage error. */
int run_parse(struct run *r, int argc, char **argv);
/* Loads config, surveys and codebook, opens the store with the key and
 * tallies every response of the survey into *out.  Prints its own errors.
 * 0 or -1. */
int run_tally(struct run *r, enum tally_by by, long by_q, struct tally **out);
void run_free(struct run *r);
#endif
