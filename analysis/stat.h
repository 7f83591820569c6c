/* stat: the few statistics the report publishes. */
#ifndef STAT_H
#define STAT_H

#define STAT_Z95	1.959963984540054

/* Wilson score interval for x successes in n trials at normal quantile z,
 * as proportions in [0, 1].  n == 0 gives [0, 1]. */
void stat_wilson(long x, long n, double z, double *lo, double *hi);
#endif
