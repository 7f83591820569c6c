/* sdc_int: the table sdc.c builds and sdc_attack.c attacks. */
#ifndef SDC_INT_H
#define SDC_INT_H
#include "sdc.h"

struct sdc {
	int		 k;
	enum sdc_err	 err;		/* of the last run; SDC_NOMEM once a push failed */
	size_t		 n, cap;	/* cells */
	long		*v;
	unsigned char	*flag, *supp;
	size_t		 nl, lcap;	/* lines: members at idx[start[l]..start[l+1]), total last */
	size_t		*start;
	size_t		 ni, icap;
	long		*idx;
};

/* 1 when the reader does not see cell i: hidden, or implicit and not 0 (a
 * reader may well assume that nobody was left out). */
int sdc_unknown(const struct sdc *t, size_t i);
/* 1 when the reader must not be able to work cell i out: hidden, or
 * implicit and small.  An implicit count of k or more may be found. */
int sdc_sensitive(const struct sdc *t, size_t i);
/* The linear attack alone: what the shape of the hidden cells gives away
 * whatever the counts are. */
long sdc_attack_linear(const struct sdc *t);
#endif
