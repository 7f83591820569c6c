/* numband: the bands a number question is reported in, and its median.
 * A band is a run of whole numbers lo[i] .. lo[i + 1] - 1 (the last one up
 * to the question's max).  The survey author's `bands:` give the lower
 * bounds; when the first is above the question's min, a band from min up to
 * it comes first.  Without `bands:` the bands follow from min and max
 * (numband_init).  The median is found from counts, never from stored
 * answers: one counter per whole number for the first NUMBAND_EXACT values
 * from min, and per band above that, so memory stays fixed however many
 * responses there are. */
#ifndef NUMBAND_H
#define NUMBAND_H
#include <stddef.h>
#include "survey.h"

#define NUMBAND_MAX	(SURVEY_MAX_BANDS + 1)	/* the author's, and one below them */
#define NUMBAND_EXACT	10000	/* whole numbers counted one by one, from min */
#define NUMBAND_EVEN	200	/* ranges up to this many numbers: equal bands */
#define NUMBAND_LABEL	64	/* bytes for a band's code or label */

struct numband {
	long		 lo[NUMBAND_MAX];	/* band i starts at lo[i] */
	size_t		 n;			/* at least 1 */
	long		 min, max;		/* the question's range */
	size_t		 nexact;		/* values min .. min + nexact - 1 counted exactly */
};

/* Bands for a number question.  Defaults: a range of up to NUMBAND_EVEN
 * numbers is cut into at most 10 equal bands of 1, 2 or 5 times a power of
 * ten (after the first, each starts at a multiple of the width: 16-19,
 * 20-39, 40-59 ...); a wider one into bands growing by 1, 5, 10, 50, 100 ...
 * from min (0, 1-4, 5-9, 10-49, 50-99, ...), which suits counts of how
 * often something happened. */
void numband_init(struct numband *b, const struct question *q);
/* The band holding v, or -1 when v is outside [min, max]. */
long numband_find(const struct numband *b, long v);
/* The last number of band i. */
long numband_hi(const struct numband *b, size_t i);
/* Band i as a code ("0-4", "20+", "7") and as a label ("0–4", "20 or
 * more", "7"), into out of NUMBAND_LABEL bytes. */
const char *numband_code(const struct numband *b, size_t i, char *out);
const char *numband_label(const struct numband *b, size_t i, char *out);

/* The median of n counted answers: exact[v - min] answers of v for v below
 * min + nexact, over[i] answers of band i at or above it. */
struct numband_median {
	int		 exact;		/* value holds the median (rounded half up) */
	long		 value;
	long		 band_lo, band_hi;	/* bands holding the middle answer or
					 * answers (the same for an odd n) */
};
/* 0, or -1 when n is 0. */
int numband_median(const struct numband *b, const long *exact, const long *over, long n,
    struct numband_median *out);
#endif
