/* stat: the few statistics the report publishes. */
#ifndef STAT_H
#define STAT_H

#define STAT_Z95	1.959963984540054

/* Wilson score interval for x successes in n trials at normal quantile z,
 * as proportions in [0, 1].  n == 0 gives [0, 1]. */
void stat_wilson(long x, long n, double z, double *lo, double *hi);
/* The difference p2 - p1 of two independent proportions with its interval
 * by Newcombe's hybrid score method, from each one's Wilson interval
 * [l1, u1] and [l2, u2] (any one scale: proportions or percentages). */
void stat_newcombe(double p1, double l1, double u1, double p2, double l2, double u2,
    double *d, double *lo, double *hi);
#endif
