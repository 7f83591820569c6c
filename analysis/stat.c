/* stat: Wilson intervals behave at p near 0 or 1 and at small n, where the
 * textbook normal interval runs outside [0, 1]; survey tables have both. */
#include <math.h>
#include "stat.h"

void
stat_wilson(long x, long n, double z, double *lo, double *hi)
{
	double p, z2, den, centre, half;

	if (n <= 0) {
		*lo = 0.0;
		*hi = 1.0;
		return;
	}
	p = (double)x / (double)n;
	z2 = z * z;
	den = 1.0 + z2 / (double)n;
	centre = (p + z2 / (2.0 * (double)n)) / den;
	half = z * sqrt(p * (1.0 - p) / (double)n + z2 / (4.0 * (double)n * (double)n)) / den;
	*lo = centre - half < 0.0 ? 0.0 : centre - half;
	*hi = centre + half > 1.0 ? 1.0 : centre + half;
}
