/* tally_int: per-response scratch shared by tally.c (set-up) and
 * tally_add.c (counting); nothing else sees it. */
#ifndef TALLY_INT_H
#define TALLY_INT_H
#include "strtab.h"
#include "tally.h"

struct scratch {
	struct strtab	*qidx;		/* question id -> index */
	size_t		*first, *count;	/* [question]: this response's answers */
	unsigned char	*fired;		/* [theme]: coded in this response */
	uint32_t	 areas;		/* outcome areas coded in this response */
};
#endif
