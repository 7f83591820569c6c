/* sdc_attack: the reader who wants a hidden count back.  They know every
 * published cell, every implicit cell that is 0 (the worst case) and that
 * each line adds up.  Two attacks, both exact:
 *  - linear: any combination of lines, in any order, that leaves one unknown
 *    (Gauss-Jordan elimination, modulo a prime so no number overflows; it
 *    subsumes subtracting line after line);
 *  - bounds: counts are never negative, so a line bounds each of its
 *    unknowns by the others'; a count whose bounds meet is known.
 * The answer is the first sensitive cell (sdc_sensitive) either attack
 * pins, or -1. */
#include <stdlib.h>
#include "sdc_int.h"

#define PRIME	2147483647LL		/* 2^31 - 1: a product of two fits in 62 bits */
#define INF	(1LL << 50)
#define BOUND_PASSES 64

/* 1 when line l has a total (its members add up to something). */
static int
sums(const struct sdc *t, size_t l)
{
	return t->idx[t->start[l + 1] - 1] >= 0;
}

static long long
inverse(long long a)
{
	long long r = 1, e = PRIME - 2;

	for (a %= PRIME; e > 0; e >>= 1, a = a * a % PRIME)
		if (e & 1)
			r = r * a % PRIME;
	return r;
}

/* Row-reduces rows x cols matrix m in place; returns the column of a row
 * left with a single non-zero entry (that unknown is determined) whose
 * sens[] is set, or -1. */
static long
eliminate(long long *m, size_t rows, size_t cols, const unsigned char *sens)
{
	size_t r = 0;

	for (size_t c = 0; c < cols && r < rows; c++) {
		size_t p = r;
		while (p < rows && m[p * cols + c] == 0)
			p++;
		if (p == rows)
			continue;
		for (size_t j = 0; j < cols; j++) {
			long long x = m[p * cols + j];
			m[p * cols + j] = m[r * cols + j];
			m[r * cols + j] = x;
		}
		long long inv = inverse(m[r * cols + c]);
		for (size_t j = 0; j < cols; j++)
			m[r * cols + j] = m[r * cols + j] * inv % PRIME;
		for (size_t i = 0; i < rows; i++) {
			long long f = m[i * cols + c];
			if (i == r || f == 0)
				continue;
			for (size_t j = 0; j < cols; j++)
				m[i * cols + j] = ((m[i * cols + j] - f * m[r * cols + j]) % PRIME +
				    PRIME) % PRIME;
		}
		r++;
	}
	for (size_t i = 0; i < r; i++) {
		size_t nz = 0, at = 0;
		for (size_t j = 0; j < cols; j++)
			if (m[i * cols + j] != 0)
				nz++, at = j;
		if (nz == 1 && sens[at])
			return (long)at;
	}
	return -1;
}

static long
linear(const struct sdc *t, const long *col, size_t nu, const unsigned char *sens)
{
	long long *m = calloc(t->nl * nu + 1, sizeof(*m));
	long found = -1;

	if (m == NULL)
		return 0;	/* cannot tell: count it as broken */
	for (size_t l = 0; l < t->nl; l++)
		for (size_t i = t->start[l]; sums(t, l) && i < t->start[l + 1]; i++) {
			long c = col[t->idx[i]];
			int total = i + 1 == t->start[l + 1];
			if (c >= 0)
				m[l * nu + (size_t)c] = (m[l * nu + (size_t)c] + (total ? PRIME - 1 : 1)) %
				    PRIME;
		}
	found = eliminate(m, t->nl, nu, sens);
	free(m);
	return found;
}

/* One pass of bound propagation over line l; 1 when a bound moved. */
static int
tighten(const struct sdc *t, size_t l, const long *col, long long *lo, long long *hi)
{
	long long rest = 0, smin = 0, smax = 0;
	int moved = 0;

	if (!sums(t, l))
		return 0;

	for (size_t i = t->start[l]; i < t->start[l + 1]; i++) {
		long c = col[t->idx[i]];
		int a = i + 1 == t->start[l + 1] ? -1 : 1;
		if (c < 0)
			rest -= a * t->v[t->idx[i]];
		else {
			smin += a > 0 ? lo[c] : -hi[c];
			smax += a > 0 ? hi[c] : -lo[c];
		}
	}
	for (size_t i = t->start[l]; i < t->start[l + 1]; i++) {
		long c = col[t->idx[i]];
		int a = i + 1 == t->start[l + 1] ? -1 : 1;
		long long omin, omax, nlo, nhi;
		if (c < 0)
			continue;
		omin = smin - (a > 0 ? lo[c] : -hi[c]);
		omax = smax - (a > 0 ? hi[c] : -lo[c]);
		nlo = a > 0 ? rest - omax : omin - rest;
		nhi = a > 0 ? rest - omin : omax - rest;
		if (nlo > lo[c] && nlo <= INF)
			lo[c] = nlo, moved = 1;
		if (nhi < hi[c] && nhi >= -INF)
			hi[c] = nhi, moved = 1;
	}
	return moved;
}

static long
bounds(const struct sdc *t, const long *col, size_t nu, const unsigned char *sens)
{
	long long *lo = calloc(nu + 1, sizeof(*lo)), *hi = calloc(nu + 1, sizeof(*hi));
	long found = -1;
	int moved = 1;

	if (lo == NULL || hi == NULL) {
		found = 0;
		goto out;
	}
	for (size_t u = 0; u < nu; u++)
		hi[u] = INF;
	for (int pass = 0; moved && pass < BOUND_PASSES; pass++) {
		moved = 0;
		for (size_t l = 0; l < t->nl; l++)
			moved |= tighten(t, l, col, lo, hi);
	}
	for (size_t u = 0; u < nu && found < 0; u++)
		if (lo[u] >= hi[u] && sens[u])
			found = (long)u;
out:
	free(lo);
	free(hi);
	return found;
}

/* Runs the linear attack, and the bounds one too when with_bounds. */
static long
attack(const struct sdc *t, int with_bounds)
{
	long *col = malloc((t->n + 1) * sizeof(*col)), *cell = malloc((t->n + 1) * sizeof(*cell));
	unsigned char *sens = malloc(t->n + 1);
	long found = -1;
	size_t nu = 0;

	if (col == NULL || cell == NULL || sens == NULL) {
		found = 0;
		goto out;
	}
	for (size_t i = 0; i < t->n; i++)
		if (sdc_unknown(t, i)) {
			sens[nu] = (unsigned char)sdc_sensitive(t, i);
			cell[nu] = (long)i;
			col[i] = (long)nu++;
		} else
			col[i] = -1;
	if (nu == 0)
		goto out;
	if ((found = linear(t, col, nu, sens)) < 0 && with_bounds)
		found = bounds(t, col, nu, sens);
	if (found >= 0)
		found = cell[found];
out:
	free(col);
	free(cell);
	free(sens);
	return found;
}

long
sdc_attack(const struct sdc *t)
{
	return attack(t, 1);
}

long
sdc_attack_linear(const struct sdc *t)
{
	return attack(t, 0);
}
