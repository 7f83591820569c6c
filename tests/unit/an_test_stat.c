/* Tests for the Wilson score interval against published values. */
#include <math.h>
#include <stdlib.h>

#include "stat.h"
#include "unit.h"

#define NEAR(a, b)	ck_assert_msg(fabs((a) - (b)) < 5e-5, "%.6f != %.6f", (a), (b))

/* Newcombe (1998), Statistics in Medicine 17:857, table I (Wilson, no
 * continuity correction), and the textbook 0 of 10 case. */
START_TEST(known_values)
{
	static const struct {
		long	 x, n;
		double	 lo, hi;	/* lo < 0: not published */
	} want[] = {
		{ 81, 263, 0.2553, 0.3662 },
		{ 15, 148, 0.0624, 0.1605 },
		{ 0, 20, 0.0, 0.1611 },
		{ 1, 29, 0.0061, 0.1718 },
		{ 0, 10, -1, 0.2775 },
	};
	double lo, hi;

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		stat_wilson(want[i].x, want[i].n, STAT_Z95, &lo, &hi);
		if (want[i].lo >= 0)
			NEAR(lo, want[i].lo);
		NEAR(hi, want[i].hi);
	}
}
END_TEST

START_TEST(edges)
{
	double lo, hi;

	stat_wilson(0, 0, STAT_Z95, &lo, &hi);
	ck_assert(lo == 0.0 && hi == 1.0);
	stat_wilson(50, 50, STAT_Z95, &lo, &hi);
	ck_assert(hi == 1.0 && lo > 0.92 && lo < 0.93);
	stat_wilson(500000, 1000000, STAT_Z95, &lo, &hi);
	NEAR(lo, 0.499020);
	NEAR(hi, 0.500980);
}
END_TEST

/* The interval always contains the estimate and stays within [0, 1]. */
START_TEST(contains_estimate)
{
	for (long n = 1; n < 200; n += 7)
		for (long x = 0; x <= n; x++) {
			double lo, hi, p = (double)x / (double)n;
			stat_wilson(x, n, STAT_Z95, &lo, &hi);
			ck_assert(lo >= 0.0 && hi <= 1.0 && lo <= p + 1e-12 && hi >= p - 1e-12);
		}
}
END_TEST

/* Newcombe (1998), method 10, example (a): 56/70 against 48/80 gives a
 * difference of 0.2000 with interval 0.0524 to 0.3339. */
START_TEST(newcombe_known)
{
	double l1, u1, l2, u2, d, lo, hi;

	stat_wilson(48, 80, STAT_Z95, &l1, &u1);
	stat_wilson(56, 70, STAT_Z95, &l2, &u2);
	stat_newcombe(0.6, l1, u1, 0.8, l2, u2, &d, &lo, &hi);
	ck_assert_double_eq_tol(d, 0.2, 1e-9);
	ck_assert_double_eq_tol(lo, 0.0524, 5e-5);
	ck_assert_double_eq_tol(hi, 0.3339, 5e-5);
	stat_newcombe(0.8, l2, u2, 0.6, l1, u1, &d, &lo, &hi);
	ck_assert_double_eq_tol(lo, -0.3339, 5e-5);
	ck_assert_double_eq_tol(hi, -0.0524, 5e-5);
}
END_TEST

int
main(void)
{
	return unit_run_tests("stat", "wilson", 0, CK_FORK, known_values, edges, contains_estimate,
	    newcombe_known, NULL);
}
