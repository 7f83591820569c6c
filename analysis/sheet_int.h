/* sheet_int: the sheet's rows, shared by sheet.c (collecting, CSV) and
 * sheet_xlsx.c and nothing else. */
#ifndef SHEET_INT_H
#define SHEET_INT_H
#include "sheet.h"

struct sheet_row {
	int64_t		 response;
	size_t		 q;		/* survey question index */
	char		*text;		/* a NUL-terminated copy of the answer */
	size_t		 len;
	char		 hash[CORR_HASH_HEX];
	int		 codebook;	/* version that coded it (or was corrected) */
	char		*areas;		/* "violence,trust" or "other" */
	char		*themes;	/* "a,b" or "none" */
	char		*rule;		/* fired phrases, "corrected by hand" or "no rule matched" */
	const char	*note;		/* the correction's, or "": points into corr */
	int		 uncoded, corrected;
	double		 certainty;	/* codebook_hits.certainty; 1 when corrected */
	int		 flagged;	/* its response was flagged by the safeguarding check */
};

struct sheet {
	const struct survey *s;
	struct codebook	*cb;
	const struct corrections *corr;
	struct sheet_row *v;
	size_t		 n, cap;
	long		*stale;		/* [question]: corrections for another text */
};

/* The cells of row i, or of the header when i == sh->n, in
 * corrections_sheet_cols order; num holds the text of the numbers.  Valid
 * while the sheet and num are. */
void sheet_cells(const struct sheet *sh, size_t i, const char *cell[SC__MAX], char num[2][32]);
#endif
