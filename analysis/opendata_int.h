/* opendata_int: what opendata.c (collecting, writing) and opendata_kanon.c
 * with opendata_diff.c (withholding, dropping) share.  Every cell is an id into the string
 * table: 0 is "" (not answered), 1 is OPENDATA_WITHHELD. */
#ifndef OPENDATA_INT_H
#define OPENDATA_INT_H
#include <stdint.h>
#include "arena.h"
#include "buf.h"
#include "opendata.h"
#include "strtab.h"

#define OD_EMPTY	0u
#define OD_WITHHELD	1u

struct od_col {
	const char	*name;
	long		 q;		/* survey question, or -1 for a response field */
	int		 text;		/* free text */
};

struct opendata {
	const struct survey *s;
	int		 k;
	double		 max_drop;
	struct od_col	*cols;		/* the stored columns (the row number is not stored) */
	size_t		 ncols;
	struct strtab	*qcol;		/* question id -> column */
	struct strtab	*ids;		/* cell text -> id */
	const char	**strs;		/* id -> cell text */
	size_t		 nstrs, capstrs;
	uint32_t	*cells;		/* [row * ncols + column] */
	size_t		 nrows, caprows;
	unsigned char	*dropped;	/* [row], set by opendata_anonymise */
	size_t		*qi;		/* quasi-identifier columns */
	long		*qi_withheld;	/* [qi]: cells written withheld */
	unsigned char	*qi_keep;	/* [qi]: withheld only when nothing else can be */
	size_t		 nqi;
	char		*qi_names;
	struct arena	*a;
	struct buf	 val;		/* scratch: one cell being built */
};
#endif
