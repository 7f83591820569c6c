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

void
stat_newcombe(double p1, double l1, double u1, double p2, double l2, double u2,
    double *d, double *lo, double *hi)
{
	*d = p2 - p1;
	*lo = *d - sqrt((p2 - l2) * (p2 - l2) + (u1 - p1) * (u1 - p1));
	*hi = *d + sqrt((u2 - p2) * (u2 - p2) + (p1 - l1) * (p1 - l1));
}
