/* opendata_kanon: k-anonymity over the quasi-identifier columns by local
 * suppression, then dropping rows (the rule is in opendata.h), then the
 * rule beside the report's tables (opendata_diff.c), until both hold.
 *
 * A group smaller than k moves as a whole, withholding one value per round,
 * so weighing a move costs one table lookup per quasi-identifier, not a
 * sort.  The hash of a combination is a sum over its columns, so the hash
 * with one value changed takes two steps.  A row moves at most once per
 * quasi-identifier, so the rounds settle after at most that many, plus
 * one; each repair of opendata_diff.c withholds a value for good, so they
 * settle too. */
#include <stdlib.h>
#include <string.h>
#include "opendata_kanon.h"

/* One column's share of a combination's hash (splitmix64's finalizer). */
static uint64_t
mix(size_t j, uint32_t v)
{
	uint64_t z = ((uint64_t)j << 32 | v) + 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t
kanon_hash(const struct kanon *kn, const uint32_t *key)
{
	uint64_t h = 0;

	for (size_t j = 0; j < kn->d->nqi; j++)
		h += mix(j, key[j]);
	return h;
}

/* The slot of key's group, or the empty slot where it would go. */
static size_t
find(const struct kanon *kn, const uint32_t *key, uint64_t h)
{
	size_t nq = kn->d->nqi, i = (size_t)h & kn->mask;

	for (;; i = (i + 1) & kn->mask) {
		const struct group *g = &kn->tab[i];
		if (g->head == KANON_NONE)
			return i;
		if (g->n > 0 && memcmp(&kn->qv[(size_t)g->head * nq], key,
		    nq * sizeof(*key)) == 0)
			return i;
	}
}

size_t
kanon_count_without(const struct kanon *kn, uint32_t *key, uint64_t h, size_t j)
{
	uint32_t v = key[j];
	size_t n;

	key[j] = 0;
	n = kn->tab[find(kn, key, h - mix(j, v) + mix(j, 0))].n;
	key[j] = v;
	return n;
}

/* Numbers column j's values 1.. in order of appearance (withheld stays 0)
 * and counts them. */
static int
densify(struct kanon *kn, size_t j, long *map)
{
	struct opendata *d = kn->d;
	size_t col = d->qi[j], m = 1;
	long *f;

	for (size_t r = 0; r < d->nrows; r++) {
		uint32_t id = d->cells[r * d->ncols + col];
		if (id != OD_WITHHELD && map[id] < 0)
			map[id] = (long)m++;
		kn->qv[r * d->nqi + j] = id == OD_WITHHELD ? 0 : (uint32_t)map[id];
	}
	for (size_t r = 0; r < d->nrows; r++)	/* reset what was touched */
		map[d->cells[r * d->ncols + col]] = -1;
	kn->foff[j + 1] = kn->foff[j] + m;
	if ((f = realloc(kn->freq, kn->foff[j + 1] * sizeof(*f))) == NULL)
		return -1;
	kn->freq = f;
	memset(&f[kn->foff[j]], 0, m * sizeof(*f));
	for (size_t r = 0; r < d->nrows; r++)
		f[kn->foff[j] + kn->qv[r * d->nqi + j]]++;
	return 0;
}

/* The table has at least four slots a row: a round starts with at most one
 * group a row and each move adds at most one slot in use (a round moves a
 * group at most once, opendata_diff.c stops at two slots a row or adds one
 * a quasi-identifier), so lookups always meet an empty slot soon. */
static int
kanon_alloc(struct kanon *kn, size_t n, size_t nq)
{
	size_t slots = 4;

	while (slots < 4 * n || slots < 4 * nq)
		slots *= 2;
	kn->mask = slots - 1;
	return (kn->qv = malloc(n * nq * sizeof(*kn->qv))) == NULL ||
	    (kn->foff = calloc(nq + 1, sizeof(*kn->foff))) == NULL ||
	    (kn->next = malloc(n * sizeof(*kn->next))) == NULL ||
	    (kn->tab = malloc(slots * sizeof(*kn->tab))) == NULL ||
	    (kn->key = malloc(nq * sizeof(*kn->key))) == NULL ||
	    (kn->risk = malloc(n * sizeof(*kn->risk))) == NULL ||
	    (kn->d->dropped = calloc(n, 1)) == NULL ? -1 : 0;
}

static int
kanon_init(struct kanon *kn, struct opendata *d)
{
	size_t n = d->nrows ? d->nrows : 1, nq = d->nqi ? d->nqi : 1;
	long *map = malloc(d->nstrs * sizeof(*map));
	size_t nv;
	int rc = -1;

	memset(kn, 0, sizeof(*kn));
	kn->d = d;
	if (map == NULL || d->nrows > KANON_NONE / 8 || kanon_alloc(kn, n, nq) != 0)
		goto out;
	for (size_t i = 0; i < d->nstrs; i++)
		map[i] = -1;
	for (size_t j = 0; j < d->nqi; j++)
		if (densify(kn, j, map) != 0)
			goto out;
	nv = kn->foff[d->nqi] ? kn->foff[d->nqi] : 1;
	if ((kn->total = malloc(nv * sizeof(*kn->total))) == NULL ||
	    (kn->shown = malloc(nv * sizeof(*kn->shown))) == NULL ||
	    (kn->best = malloc(nv * sizeof(*kn->best))) == NULL ||
	    (kn->cost = malloc(nv * sizeof(*kn->cost))) == NULL ||
	    (kn->fixed = calloc(nv, sizeof(*kn->fixed))) == NULL)
		goto out;
	memcpy(kn->total, kn->freq, kn->foff[d->nqi] * sizeof(*kn->total));
	rc = 0;
out:
	free(map);
	return rc;
}

static void
kanon_free(struct kanon *kn)
{
	free(kn->qv);
	free(kn->foff);
	free(kn->freq);
	free(kn->total);
	free(kn->shown);
	free(kn->best);
	free(kn->cost);
	free(kn->fixed);
	free(kn->next);
	free(kn->tab);
	free(kn->key);
	free(kn->risk);
}

/* Groups the rows afresh (which also clears the slots left by moves) and
 * lists the groups smaller than k. */
static void
build(struct kanon *kn)
{
	struct opendata *d = kn->d;
	size_t k = (size_t)d->k;

	for (size_t i = 0; i <= kn->mask; i++)
		kn->tab[i] = (struct group){ KANON_NONE, 0 };
	kn->used = 0;
	for (size_t r = 0; r < d->nrows; r++) {
		const uint32_t *key = &kn->qv[r * d->nqi];
		struct group *g = &kn->tab[find(kn, key, kanon_hash(kn, key))];
		kn->used += g->head == KANON_NONE;
		kn->next[r] = g->head;
		g->head = (uint32_t)r;
		g->n++;
	}
	kn->nrisk = kn->at_risk = 0;
	for (size_t i = 0; i <= kn->mask; i++)
		if (kn->tab[i].n > 0 && kn->tab[i].n < k) {
			kn->risk[kn->nrisk++] = (uint32_t)i;
			kn->at_risk += kn->tab[i].n;
		}
}

static int
larger_first(const void *a, const void *b, void *ctx)
{
	const struct kanon *kn = ctx;
	uint32_t sa = *(const uint32_t *)a, sb = *(const uint32_t *)b;
	uint32_t na = kn->tab[sa].n, nb = kn->tab[sb].n;

	return na != nb ? (na < nb) - (na > nb) : (sa > sb) - (sa < sb);
}

/* The column the group in slot s withholds next, or -1 when it has none
 * left.  A kept column only when no other is left: the caller values it
 * above the cells its loss would save.  Then, first choice: a column whose
 * withholding brings the group to k rows at once, by joining the rows that
 * show the result already.  Among those, or when there is none, the column
 * whose value the fewest rows show now: the most identifying value, and the
 * one other rows at risk are the most likely to have given up too.  Ties go
 * to the quasi-identifier named first. */
static long
choose(struct kanon *kn, size_t s)
{
	size_t nq = kn->d->nqi, n = kn->tab[s].n, k = (size_t)kn->d->k;
	uint32_t *key = kn->key;
	uint64_t h;
	long bj = -1, bfreq = 0, freq;
	int bkept = 0, kept, bsafe = 0, safe;

	memcpy(key, &kn->qv[(size_t)kn->tab[s].head * nq], nq * sizeof(*key));
	h = kanon_hash(kn, key);
	for (size_t j = 0; j < nq; j++) {
		uint32_t v = key[j];
		if (v == 0)
			continue;
		safe = kanon_count_without(kn, key, h, j) + n >= k;
		freq = kn->freq[kn->foff[j] + v];
		kept = kn->d->qi_keep[j];
		if (bj < 0 || kept < bkept || (kept == bkept &&
		    (safe > bsafe || (safe == bsafe && freq < bfreq))))
			bj = (long)j, bkept = kept, bsafe = safe, bfreq = freq;
	}
	return bj;
}

/* Sets the size of the group g to n, keeping the count of rows at risk. */
static void
resize(struct kanon *kn, struct group *g, uint32_t n)
{
	uint32_t k = (uint32_t)kn->d->k;

	kn->at_risk -= g->n < k ? g->n : 0;
	g->n = n;
	kn->at_risk += n < k ? n : 0;
}

size_t
kanon_move(struct kanon *kn, size_t s, size_t j, uint32_t m)
{
	size_t nq = kn->d->nqi, i;
	struct group *g = &kn->tab[s], *t;
	uint32_t head = g->head, last = head, v = kn->qv[(size_t)head * nq + j];

	kn->qv[(size_t)head * nq + j] = 0;
	for (uint32_t c = 1; c < m; c++) {
		last = kn->next[last];
		kn->qv[(size_t)last * nq + j] = 0;
	}
	kn->freq[kn->foff[j] + v] -= m;
	kn->freq[kn->foff[j]] += m;
	/* The rows left keep the slot, under a head that still shows v, before
	 * the lookup below could take it for the group of the rows moved.  A
	 * group moved whole keeps its head, so lookups step over its slot. */
	resize(kn, g, g->n - m);
	if (g->n > 0)
		g->head = kn->next[last];
	i = find(kn, &kn->qv[(size_t)head * nq], kanon_hash(kn, &kn->qv[(size_t)head * nq]));
	t = &kn->tab[i];
	kn->used += t->head == KANON_NONE;
	kn->next[last] = t->head;
	t->head = head;
	resize(kn, t, t->n + m);
	return i;
}

/* One round: each group smaller than k at its start withholds one value,
 * unless others joined it meanwhile and it reached k, until no more rows
 * are left at risk than the budget.  The largest groups go first: they are
 * the closest to k, so the rows left at risk when the budget is reached
 * are those in the smallest groups, the most unusual.  Returns how many
 * groups moved. */
static size_t
one_round(struct kanon *kn)
{
	size_t moves = 0, k = (size_t)kn->d->k;
	long j;

	build(kn);
	qsort_r(kn->risk, kn->nrisk, sizeof(*kn->risk), larger_first, kn);
	for (size_t i = 0; i < kn->nrisk && kn->at_risk > kn->budget; i++) {
		size_t s = kn->risk[i];
		if (kn->tab[s].n >= k || (j = choose(kn, s)) < 0)
			continue;
		kanon_move(kn, s, (size_t)j, kn->tab[s].n);
		moves++;
	}
	return moves;
}

/* Marks the rows of the groups still smaller than k as dropped. */
static void
mark_dropped(struct kanon *kn)
{
	for (size_t i = 0; i <= kn->mask; i++) {
		if (kn->tab[i].n == 0 || kn->tab[i].n >= (size_t)kn->d->k)
			continue;
		for (uint32_t r = kn->tab[i].head; r != KANON_NONE; r = kn->next[r])
			kn->d->dropped[r] = 1;
	}
}

/* Drops the rows still at risk, and writes the withheld values of the
 * others back into their cells, counting them. */
static void
apply(struct kanon *kn, struct opendata_stats *st)
{
	struct opendata *d = kn->d;

	mark_dropped(kn);
	memset(d->qi_withheld, 0, d->nqi * sizeof(*d->qi_withheld));
	for (size_t r = 0; r < d->nrows; r++) {
		st->dropped += d->dropped[r];
		for (size_t j = 0; !d->dropped[r] && j < d->nqi; j++) {
			if (kn->qv[r * d->nqi + j] != 0)
				continue;
			d->cells[r * d->ncols + d->qi[j]] = OD_WITHHELD;
			d->qi_withheld[j]++;
			st->withheld_cells++;
		}
	}
	st->rows = (long)d->nrows - st->dropped;
	st->qi_cells = st->rows * (long)d->nqi;
}

int
opendata_anonymise(struct opendata *d, struct opendata_stats *st)
{
	struct kanon kn;
	int rc = -1;

	memset(st, 0, sizeof(*st));
	st->responses = (long)d->nrows;
	free(d->dropped);
	d->dropped = NULL;
	if (kanon_init(&kn, d) != 0)
		goto out;
	kn.budget = (size_t)((double)d->nrows * d->max_drop / 100.0);
	/* A repair beside the tables can leave rows at risk: the rounds again. */
	do {
		while (one_round(&kn) > 0)
			;
	} while (kanon_diff_pass(&kn) > 0);
	apply(&kn, st);
	st->exposed = kanon_diff_exposed(&kn, &st->values_fixed);
	rc = 0;
out:
	kanon_free(&kn);
	return rc;
}
