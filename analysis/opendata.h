/* opendata: anonymised microdata for publication, one row per response.
 *
 * What a row holds: a fresh sequence number (never the response id), the
 * survey version, the month (never the day), the channel, the language and
 * the closed answers (codes; a multi's codes in option order and a
 * ranking's in rank order, joined by ";").  Free text only when asked for.
 * Rows are written in a random order, so the file's order says nothing
 * about when or how a response arrived.
 *
 * k-anonymity: every combination of the quasi-identifiers (the columns a
 * reader could know about a person: ward, age band, the equality questions,
 * channel, language, month) occurs in at least k rows of the file.  To get
 * there, values are withheld ("withheld" in every row that had them), the
 * rarest value found in a too-small group first, while more than max_drop
 * percent of the rows are in too-small groups; the rows still in one then
 * are dropped.  This protects against singling out by those columns only:
 * any other closed answer a reader happens to know about someone is not
 * covered, and free text is not anonymised at all. */
#ifndef OPENDATA_H
#define OPENDATA_H
#include <stddef.h>
#include <stdio.h>
#include "store.h"
#include "survey.h"

#define OPENDATA_WITHHELD	"withheld"
#define OPENDATA_K_MIN		10	/* the survey's suppress_below applies when larger */
/* Quasi-identifiers when none are given: the residents' survey's ward, age
 * and equality questions (those a survey lacks are left out), and the
 * columns every response has.  "channel", "language", "month" and
 * "version" name those columns. */
#define OPENDATA_DEFAULT_QI	"ward,age,sex,gender_same,ethnicity,religion,disability," \
				"sexual_orientation,channel,language,month"

struct opendata_opts {
	int		 k;
	double		 max_drop;	/* percent of rows that may be dropped */
	int		 with_text;	/* free-text columns (the caller opens the texts) */
	const char	*qi;		/* comma-separated, or NULL for OPENDATA_DEFAULT_QI */
};

struct opendata_stats {
	long		 responses;	/* read */
	long		 rows;		/* written */
	long		 dropped;	/* still in a group smaller than k */
	long		 withheld_values;	/* distinct (column, value) pairs */
	long		 withheld_cells;
};

struct opendata;

/* NULL with a message in err for an unknown quasi-identifier (named
 * explicitly), k below the minimum, or OOM. */
struct opendata *opendata_new(const struct survey *s, const struct opendata_opts *o,
    char *err, size_t errlen);
void opendata_free(struct opendata *d);
/* Copies one response of the survey (others are ignored).  0, or -1 on OOM. */
int opendata_add(struct opendata *d, const struct store_response *r)
    __attribute__((warn_unused_result));
/* Withholds and drops until every quasi-identifier combination occurs at
 * least k times.  0, or -1 on OOM. */
int opendata_anonymise(struct opendata *d, struct opendata_stats *st)
    __attribute__((warn_unused_result));
/* Writes the CSV (RFC 4180, every cell through esc_csv) in a random order.
 * 0, or -1 on a write error or OOM. */
int opendata_write(struct opendata *d, FILE *fp) __attribute__((warn_unused_result));
/* The quasi-identifier columns in use, comma-separated (for messages). */
const char *opendata_qi_names(const struct opendata *d);
/* Per quasi-identifier: its name and how many of its values were withheld. */
size_t opendata_nqi(const struct opendata *d);
const char *opendata_qi(const struct opendata *d, size_t i, long *withheld_values);
#endif
