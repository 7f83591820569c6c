/* opendata_kanon: what opendata_kanon.c (the rounds that make the file
 * k-anonymous) and opendata_diff.c (the rule that keeps it so beside the
 * report's tables) share: the rows' quasi-identifier values and their
 * groups.
 *
 * Each quasi-identifier's values are numbered densely (0 = withheld, an
 * ordinary value when grouping).  The rows sharing one combination form a
 * group, kept in a hash table as a list of rows and a size.  A value only
 * ever goes from shown to withheld, so every change makes progress. */
#ifndef OPENDATA_KANON_H
#define OPENDATA_KANON_H
#include <stdint.h>
#include "opendata_int.h"

#define KANON_NONE	UINT32_MAX

/* A slot of the table: empty (head KANON_NONE), a group (n > 0), or a group
 * that moved away since the table was built (n 0), which lookups step
 * over. */
struct group {
	uint32_t	 head;		/* first row; next[] links the rest */
	uint32_t	 n;
};

struct kanon {
	struct opendata	*d;
	uint32_t	*qv;		/* [row * nqi + j]: dense value, 0 = withheld */
	size_t		*foff;		/* [j]: where column j's counts start in freq */
	long		*freq;		/* [foff[j] + v]: rows now showing v in column j */
	long		*total;		/* [foff[j] + v]: responses read with v in column j */
	long		*shown;		/* [foff[j] + v]: rows written showing v (opendata_diff.c) */
	uint32_t	*best;		/* [foff[j] + v]: scratch for opendata_diff.c */
	long		*cost;		/* [foff[j] + v]: rows best[] would give up */
	unsigned char	*fixed;		/* [foff[j] + v]: withheld in more rows by it */
	uint32_t	*next;		/* [row]: the next row of its group, or KANON_NONE */
	struct group	*tab;
	size_t		 mask;		/* slots - 1 */
	size_t		 used;		/* slots in use since the table was built */
	uint32_t	*key;		/* scratch: one combination */
	uint32_t	*risk;		/* slots of the groups smaller than k this round */
	size_t		 nrisk;
	size_t		 at_risk;	/* rows in groups smaller than k */
	size_t		 budget;	/* rows that may stay at risk, then be dropped */
	int		 total_fixed;	/* too few rows would have been dropped */
};

uint64_t kanon_hash(const struct kanon *kn, const uint32_t *key);
/* The size of the group of key with column j withheld; h is key's hash.
 * key is changed meanwhile and restored. */
size_t kanon_count_without(const struct kanon *kn, uint32_t *key, uint64_t h, size_t j);
/* Withholds column j in the first m rows of the group in slot s (all of
 * them, or fewer) and joins them to the group that shows the result, or
 * starts it.  Returns that group's slot; moved rows stay first in it. */
size_t kanon_move(struct kanon *kn, size_t s, size_t j, uint32_t m);

/* The rule beside the report's tables (opendata_diff.c).  One pass of
 * repairs after the rounds have settled: returns 0 when there is nothing
 * to repair, else how much was changed (the rounds must then run again). */
size_t kanon_diff_pass(struct kanon *kn);
/* Once the rows dropped are marked: how many quasi-identifier values (and
 * the total, as one) break the rule, counted afresh from the rows (0 unless
 * something is wrong); *fixed, how many values (and the total, as one) it
 * changed the file for. */
long kanon_diff_exposed(struct kanon *kn, long *fixed);
#endif
