/* numband: bands and medians of number questions (numband.h).  Invariants
 * of a numband: 1 <= n <= NUMBAND_MAX, lo[0] == min, lo strictly ascending
 * and every lo[i] <= max. */
#include <stdio.h>
#include "numband.h"

#define EVEN_MAX_BANDS	12	/* equal bands: at most this many */

/* Rounds towards minus infinity (C's division rounds towards zero). */
static long
floor_div(long a, long d)
{
	return a / d - (a % d != 0 && (a < 0) != (d < 0));
}

/* Equal bands of width w, the first from min; 0 when there would be more
 * than EVEN_MAX_BANDS of them. */
static size_t
even_bands(struct numband *b, long w)
{
	size_t n = 1;

	b->lo[0] = b->min;
	for (long x = (floor_div(b->min, w) + 1) * w; x <= b->max; x += w) {
		if (n == EVEN_MAX_BANDS)
			return 0;
		b->lo[n++] = x;
	}
	return n;
}

/* Bands from min at offsets 0, 1, 5, 10, 50, 100, 500, ... */
static size_t
growing_bands(struct numband *b)
{
	size_t n = 1;
	long off = 1;

	b->lo[0] = b->min;
	while (n < NUMBAND_MAX && off <= b->max - b->min) {
		b->lo[n++] = b->min + off;
		off *= n % 2 == 0 ? 5 : 2;	/* 1 -> 5 -> 10 -> 50 */
	}
	return n;
}

static void
default_bands(struct numband *b)
{
	static const long widths[] = { 1, 2, 5, 10, 20, 50, 100 };

	if (b->max - b->min + 1 <= NUMBAND_EVEN)
		for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++)
			if ((b->n = even_bands(b, widths[i])) != 0)
				return;
	b->n = growing_bands(b);
}

void
numband_init(struct numband *b, const struct question *q)
{
	long range = q->max - q->min + 1;

	b->min = q->min;
	b->max = q->max;
	b->n = 0;
	b->nexact = range < NUMBAND_EXACT ? (size_t)range : NUMBAND_EXACT;
	if (q->bands == NULL || q->nbands == 0) {
		default_bands(b);
		return;
	}
	if (q->bands[0] > q->min)
		b->lo[b->n++] = q->min;
	for (size_t i = 0; i < q->nbands && b->n < NUMBAND_MAX; i++)
		b->lo[b->n++] = q->bands[i];
}

long
numband_find(const struct numband *b, long v)
{
	size_t lo = 0, hi = b->n;

	if (v < b->min || v > b->max)
		return -1;
	while (hi - lo > 1) {	/* lo[lo] <= v < lo[hi] (or hi == n) */
		size_t mid = (lo + hi) / 2;
		if (b->lo[mid] <= v)
			lo = mid;
		else
			hi = mid;
	}
	return (long)lo;
}

long
numband_hi(const struct numband *b, size_t i)
{
	return i + 1 < b->n ? b->lo[i + 1] - 1 : b->max;
}

static const char *
band_text(const struct numband *b, size_t i, char *out, const char *dash, const char *more)
{
	long hi = numband_hi(b, i);

	if (hi == b->lo[i])
		snprintf(out, NUMBAND_LABEL, "%ld", hi);
	else if (i + 1 == b->n)
		snprintf(out, NUMBAND_LABEL, "%ld%s", b->lo[i], more);
	else
		snprintf(out, NUMBAND_LABEL, "%ld%s%ld", b->lo[i], dash, hi);
	return out;
}

const char *
numband_code(const struct numband *b, size_t i, char *out)
{
	return band_text(b, i, out, "-", "+");
}

const char *
numband_label(const struct numband *b, size_t i, char *out)
{
	return band_text(b, i, out, "\xe2\x80\x93", " or more");
}

/* The r-th smallest answer (1-based, r <= n): its value when counted
 * exactly, and its band. */
static void
nth(const struct numband *b, const long *exact, const long *over, long r, int *is_exact,
    long *value, long *band)
{
	long cum = 0;

	for (size_t i = 0; i < b->nexact; i++)
		if ((cum += exact[i]) >= r) {
			*is_exact = 1;
			*value = b->min + (long)i;
			*band = numband_find(b, *value);
			return;
		}
	*is_exact = 0;
	*band = (long)b->n - 1;
	for (size_t i = 0; i < b->n; i++)
		if ((cum += over[i]) >= r) {
			*band = (long)i;
			return;
		}
}

int
numband_median(const struct numband *b, const long *exact, const long *over, long n,
    struct numband_median *out)
{
	long v1 = 0, v2 = 0, sum;
	int e1, e2;

	if (n <= 0)
		return -1;
	nth(b, exact, over, (n + 1) / 2, &e1, &v1, &out->band_lo);
	nth(b, exact, over, n / 2 + 1, &e2, &v2, &out->band_hi);
	out->exact = e1 && e2;
	sum = v1 + v2;	/* a half rounds up: 4.5 is 5, -4.5 is -4 */
	out->value = out->exact ? floor_div(sum + 1, 2) : 0;
	return 0;
}
