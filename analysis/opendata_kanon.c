/* opendata_kanon: k-anonymity over the quasi-identifier columns by global
 * withholding and then dropping rows (the rule is in opendata.h).  Each
 * quasi-identifier's values are renumbered densely first (0 = withheld), so
 * a round costs one sort of the rows and one count per column; there are at
 * most as many rounds as distinct values. */
#include <stdlib.h>
#include <string.h>
#include "opendata_int.h"

struct kanon {
	struct opendata	*d;
	uint32_t	*qv;		/* [row * nqi + j]: dense value, 0 = withheld */
	size_t		*m;		/* [j]: dense values in use, withheld included */
	size_t		*order;		/* rows, sorted by their quasi-identifiers */
	unsigned char	*risk;		/* [row]: in a group smaller than k */
	long		*freq;		/* scratch: [dense] */
	unsigned char	*hit;		/* scratch: [dense] seen in a row at risk */
	size_t		 maxm;
};

/* Numbers column j's values 1.. in order of appearance (withheld stays 0). */
static void
densify(struct kanon *kn, size_t j, long *map)
{
	struct opendata *d = kn->d;
	size_t col = d->qi[j], m = 1;

	for (size_t r = 0; r < d->nrows; r++) {
		uint32_t id = d->cells[r * d->ncols + col];
		if (id == OD_WITHHELD)
			kn->qv[r * d->nqi + j] = 0;
		else {
			if (map[id] < 0)
				map[id] = (long)m++;
			kn->qv[r * d->nqi + j] = (uint32_t)map[id];
		}
	}
	for (size_t r = 0; r < d->nrows; r++)	/* reset what was touched */
		map[d->cells[r * d->ncols + col]] = -1;
	kn->m[j] = m;
	kn->maxm = m > kn->maxm ? m : kn->maxm;
}

static int
kanon_init(struct kanon *kn, struct opendata *d)
{
	size_t n = d->nrows ? d->nrows : 1, nq = d->nqi ? d->nqi : 1;
	long *map = malloc(d->nstrs * sizeof(*map));
	int rc = -1;

	memset(kn, 0, sizeof(*kn));
	kn->d = d;
	if (map == NULL || (kn->qv = malloc(n * nq * sizeof(*kn->qv))) == NULL ||
	    (kn->m = calloc(nq, sizeof(*kn->m))) == NULL ||
	    (kn->order = malloc(n * sizeof(*kn->order))) == NULL ||
	    (kn->risk = calloc(n, 1)) == NULL || (d->dropped = calloc(n, 1)) == NULL)
		goto out;
	for (size_t i = 0; i < d->nstrs; i++)
		map[i] = -1;
	for (size_t j = 0; j < d->nqi; j++)
		densify(kn, j, map);
	if ((kn->freq = malloc((kn->maxm + 1) * sizeof(*kn->freq))) == NULL ||
	    (kn->hit = malloc(kn->maxm + 1)) == NULL)
		goto out;
	rc = 0;
out:
	free(map);
	return rc;
}

static void
kanon_free(struct kanon *kn)
{
	free(kn->qv);
	free(kn->m);
	free(kn->order);
	free(kn->risk);
	free(kn->freq);
	free(kn->hit);
}

static int
cmp_rows(const void *a, const void *b, void *ctx)
{
	const struct kanon *kn = ctx;
	size_t nq = kn->d->nqi;

	return memcmp(&kn->qv[*(const size_t *)a * nq], &kn->qv[*(const size_t *)b * nq],
	    nq * sizeof(*kn->qv));
}

/* Marks the rows in groups smaller than k; returns how many. */
static size_t
mark_risk(struct kanon *kn)
{
	struct opendata *d = kn->d;
	size_t n = d->nrows, at_risk = 0;

	for (size_t i = 0; i < n; i++)
		kn->order[i] = i;
	qsort_r(kn->order, n, sizeof(*kn->order), cmp_rows, kn);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && cmp_rows(&kn->order[i], &kn->order[j], kn) == 0; j++)
			;
		for (size_t r = i; r < j; r++)
			kn->risk[kn->order[r]] = j - i < (size_t)d->k;
		at_risk += j - i < (size_t)d->k ? j - i : 0;
	}
	return at_risk;
}

/* Withholds, in every row, the rarest value of any quasi-identifier that
 * some row at risk has.  0, or -1 when nothing is left to withhold. */
static int
withhold_rarest(struct kanon *kn, struct opendata_stats *st)
{
	struct opendata *d = kn->d;
	size_t best_j = 0, best_v = 0;
	long best = -1;

	for (size_t j = 0; j < d->nqi; j++) {
		memset(kn->freq, 0, kn->m[j] * sizeof(*kn->freq));
		memset(kn->hit, 0, kn->m[j]);
		for (size_t r = 0; r < d->nrows; r++) {
			uint32_t v = kn->qv[r * d->nqi + j];
			kn->freq[v]++;
			kn->hit[v] |= kn->risk[r];
		}
		for (size_t v = 1; v < kn->m[j]; v++)
			if (kn->hit[v] && (best < 0 || kn->freq[v] < best))
				best = kn->freq[v], best_j = j, best_v = v;
	}
	if (best < 0)
		return -1;
	for (size_t r = 0; r < d->nrows; r++)
		if (kn->qv[r * d->nqi + best_j] == best_v)
			kn->qv[r * d->nqi + best_j] = 0;
	d->qi_withheld[best_j]++;
	st->withheld_values++;
	st->withheld_cells += best;
	return 0;
}

/* Writes the withheld values back into the cells and drops the rows still
 * at risk. */
static void
apply(struct kanon *kn, struct opendata_stats *st)
{
	struct opendata *d = kn->d;

	for (size_t r = 0; r < d->nrows; r++) {
		for (size_t j = 0; j < d->nqi; j++)
			if (kn->qv[r * d->nqi + j] == 0)
				d->cells[r * d->ncols + d->qi[j]] = OD_WITHHELD;
		d->dropped[r] = kn->risk[r];
		st->dropped += kn->risk[r];
	}
	st->rows = (long)d->nrows - st->dropped;
}

int
opendata_anonymise(struct opendata *d, struct opendata_stats *st)
{
	struct kanon kn;
	size_t budget = (size_t)((double)d->nrows * d->max_drop / 100.0);
	int rc = -1;

	memset(st, 0, sizeof(*st));
	st->responses = (long)d->nrows;
	free(d->dropped);
	d->dropped = NULL;
	if (kanon_init(&kn, d) != 0)
		goto out;
	while (mark_risk(&kn) > budget && withhold_rarest(&kn, st) == 0)
		;
	apply(&kn, st);
	rc = 0;
out:
	kanon_free(&kn);
	return rc;
}
