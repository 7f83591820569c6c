/* gen: splitmix64, small and good enough for synthetic data (not for
 * anything secret: secrets come from libsodium). */
#include "gen.h"

void
gen_seed(struct gen_rng *g, uint64_t seed)
{
	g->s = seed;
}

uint64_t
gen_next(struct gen_rng *g)
{
	uint64_t z = (g->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

size_t
gen_below(struct gen_rng *g, size_t n)
{
	return n ? (size_t)(gen_next(g) % n) : 0;
}

int
gen_chance(struct gen_rng *g, double p)
{
	return (double)(gen_next(g) >> 11) * 0x1.0p-53 < p;
}

size_t
gen_weighted(struct gen_rng *g, const double *w, size_t n)
{
	double sum = 0, x;

	for (size_t i = 0; i < n; i++)
		sum += w[i];
	x = (double)(gen_next(g) >> 11) * 0x1.0p-53 * sum;
	for (size_t i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n ? n - 1 : 0;
}
