/* What the open-data tests share: the file the export writes read back
 * as cells, the checks opendata.h promises on it, and tables made by hand
 * from the fixture survey. */
#ifndef AN_OPENDATA_H
#define AN_OPENDATA_H

#include <stddef.h>
#include <stdint.h>

#include "an_unit.h"
#include "opendata_int.h"
#include "survey.h"

#define MAXC	64
#define MAXR	4000
/* ck_assert records every check that passes, which is slow in loops over
 * every cell of many files; this fails the same way, recording only the
 * failure. */
#define OD_CHECK(e)	do { if (!(e)) ck_abort_msg("failed: %s", #e); } while (0)

struct csv {
	char	*cell[MAXR][MAXC];	/* [0] is the header */
	size_t	 ncols, nrows;
};

/* Rows of a hand-made table over ward and sex. */
struct ward_sex {
	const char	*ward, *sex;
	int		 n;
};

/* Reads the CSV text (RFC 4180, CRLF lines) into c, header first. */
void	 parse_csv(const char *text, struct csv *c);

/* Frees the cells parse_csv made. */
void	 free_csv(struct csv *c);

/* The column of c headed name, or -1. */
long	 col(const struct csv *c, const char *name);

/* Every combination of the columns in qi (comma-separated) occurs >= k times. */
void	 assert_k_anonymous(const struct csv *c, const char *qi, size_t k);

/* How many cells of the columns in qi (comma-separated) say withheld. */
long	 count_withheld(const struct csv *c, const char *qi);

/* No row of the file shows a column of keep withheld while another column
 * of qi still shows a value: the kept ones go last. */
void	 assert_kept_last(const struct csv *c, const char *qi, const char *keep);

/* The fixture's residents' survey, loaded into *set (the caller frees it). */
const struct survey *fixture_survey(struct survey_set **set);

/* One response answering the questions q[0..n) with v[0..n) (NULL: not
 * answered), on the given channel and day. */
void	 add_response(struct opendata *d, const char *const *q, const char *const *v, size_t n,
	    const char *channel, const char *day);

/* How many rows of the file show cell text t in column j. */
long	 rows_with(const struct csv *c, long j, const char *t);

/* Whether hiding h of the total responses with a value is allowed beside
 * the report's tables: none, at least k, or every one. */
int	 hidden_ok(long h, long total, long k);

/* Anonymises d and checks what opendata.h promises on the result: every
 * combination of qi in the file occurs at least k times; the file is safe
 * beside the report's tables (assert_differencing_safe); no more rows are
 * dropped than max_drop allows, unless there are fewer than k and all are;
 * stats match the file.  A row whose combination occurred k times already
 * is written unchanged when the file needed no repair beside the tables:
 * the rounds never touch such a row, but a repair may withhold its values.
 * Returns how many rows were checked unchanged that way. */
size_t	 anonymise_and_check(struct opendata *d, const char *qi, struct opendata_stats *st,
	    struct csv *c);

/* A table of the rows set[0..n), with k 10 and max_drop percent of the
 * rows allowed to drop. */
struct opendata *ward_sex_table(const struct survey *s, const struct ward_sex *set, size_t n,
	    const char *keep, double max_drop);

#endif
