/* population: the borough's population shares, to set beside who responded.
 * Read from a CSV file with the header line
 *     question,code,share,source
 * and one line per answer: a question id, an answer code, the share of the
 * borough's population giving that answer in percent (0 to 100) and where
 * the figure comes from.  Lines starting with # are comments; blank lines
 * are skipped.  Shares are public figures: they are never suppressed.  A
 * loaded set owns every string in it. */
#ifndef POPULATION_H
#define POPULATION_H
#include <stddef.h>

struct arena;

#define POPULATION_MAX_ROWS	10000

struct population_row {
	const char	*question;
	const char	*code;
	double		 share;		/* percent, 0..100 */
	const char	*source;	/* never empty */
	int		 used;		/* set by the caller that matched it */
};

struct population {
	struct population_row *rows;
	size_t		 n;
	struct arena	*a;
};

/* Loads and checks path: the header, every share a number from 0 to 100,
 * no answer twice, and a question's shares adding up to no more than 100
 * (plus half a point for rounding).  0, or -1 with a message naming the
 * line in err. */
int population_load(const char *path, struct population **out, char *err, size_t errlen)
    __attribute__((warn_unused_result));
void population_free(struct population *p);
/* The row for question/code, or NULL. */
struct population_row *population_find(const struct population *p, const char *question,
    const char *code);
#endif
