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
 * channel, language, month) occurs in at least k rows of the file, where
 * "withheld" is a value like any other: the file can be checked by counting
 * its own combinations.  To get there, values are withheld locally: only
 * the rows of a group smaller than k lose anything, one value per round,
 * the same in every row of the group (a value whose loss lets the group
 * join others and reach k at once, else the value the fewest rows show).
 * A quasi-identifier the caller keeps is withheld in a row only when none
 * of the others can be any more: the rule above then applies among the
 * kept ones.  These rounds never change a row in a group of k or more.
 * They go on while more than max_drop percent of the rows are in groups
 * smaller than k; the rows still in one then are dropped.
 *
 * Beside the report's tables: the report counts the same responses
 * exactly, so a count set against the file tells how many responses the
 * file hides, and a crosstab what they answered.  So for every value of
 * every quasi-identifier, the responses it is hidden from (withheld in a
 * row written, or in a row dropped) are none, at least k, or all of them;
 * and the rows dropped are none, at least k, or all.  A value hidden from 1
 * to k-1 is withheld in more rows that show it, kept or not (the rule
 * names it), all from one group and never leaving a group smaller than k;
 * 1 to k-1 rows to drop are kept instead, as the rounds go on with no drop
 * allowed and rows with every value withheld, if fewer than k, are joined
 * by rows withholding every value.  The rounds then run again, until
 * nothing changes: more than max_drop percent are dropped only when there
 * are fewer than k responses, and all are.  Like any table, if the
 * responses hidden from a value all answered alike, the difference shows
 * it.
 *
 * This protects against singling out by those columns only: any other
 * closed answer a reader happens to know about someone is not covered, and
 * free text is not anonymised at all. */
#ifndef OPENDATA_H
#define OPENDATA_H
#include <stddef.h>
#include <stdio.h>
#include "sdc.h"
#include "store.h"
#include "survey.h"

#define OPENDATA_WITHHELD	"withheld"
#define OPENDATA_K_MIN		SDC_K_DEFAULT	/* the survey's suppress_below applies when larger */
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
	const char	*keep;		/* quasi-identifiers withheld last, comma-separated, or NULL */
};

struct opendata_stats {
	long		 responses;	/* read */
	long		 rows;		/* written */
	long		 dropped;	/* still in a group smaller than k */
	long		 qi_cells;	/* quasi-identifier cells written */
	long		 withheld_cells;	/* of those, withheld */
	long		 values_fixed;	/* values (and the total, as one) repaired beside the tables */
	long		 exposed;	/* of those, still breaking the rule: 0 unless a bug */
};

struct opendata;

/* NULL with a message in err for an unknown quasi-identifier (named
 * explicitly), a name kept that is not one of the quasi-identifiers, k
 * below the minimum, or OOM. */
struct opendata *opendata_new(const struct survey *s, const struct opendata_opts *o,
    char *err, size_t errlen);
void opendata_free(struct opendata *d);
/* Copies one response of the survey (others are ignored).  0, or -1 on OOM. */
int opendata_add(struct opendata *d, const struct store_response *r)
    __attribute__((warn_unused_result));
/* Withholds and drops until every quasi-identifier combination occurs at
 * least k times and the file is safe beside the report's tables.  0, or
 * -1 on OOM. */
int opendata_anonymise(struct opendata *d, struct opendata_stats *st)
    __attribute__((warn_unused_result));
/* Writes the CSV (RFC 4180, every cell through esc_csv) in a random order.
 * 0, or -1 on a write error or OOM. */
int opendata_write(struct opendata *d, FILE *fp) __attribute__((warn_unused_result));
/* The quasi-identifier columns in use, comma-separated (for messages). */
const char *opendata_qi_names(const struct opendata *d);
/* Per quasi-identifier: its name and how many of its cells written were
 * withheld. */
size_t opendata_nqi(const struct opendata *d);
const char *opendata_qi(const struct opendata *d, size_t i, long *withheld_cells);
/* Whether quasi-identifier i is kept (opendata_opts.keep). */
int opendata_qi_kept(const struct opendata *d, size_t i);
#endif
