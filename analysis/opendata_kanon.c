/* opendata_kanon: k-anonymity over the quasi-identifier columns by local
 * suppression, then dropping rows (the rule is in opendata.h).
 *
 * Each quasi-identifier's values are renumbered densely first (0 =
 * withheld, an ordinary value when grouping).  The rows sharing one
 * combination form a group, kept in a hash table as a list of rows and a
 * size.  A group smaller than k moves as a whole, withholding one value per
 * round, so a group of k or more is never touched and weighing a move costs
 * one table lookup per quasi-identifier, not a sort.  The hash of a
 * combination is a sum over its columns, so the hash with one value changed
 * takes two steps.  A row moves at most once per quasi-identifier, so there
 * are at most that many rounds, plus one. */
#include <stdlib.h>
#include <string.h>
#include "opendata_int.h"

#define NONE	UINT32_MAX

/* A slot of the table: empty (head NONE), a group (n > 0), or a group that
 * moved away during the round (n 0), which lookups step over. */
struct group {
	uint32_t	 head;		/* first row; next[] links the rest */
	uint32_t	 n;
};

struct kanon {
	struct opendata	*d;
	uint32_t	*qv;		/* [row * nqi + j]: dense value, 0 = withheld */
	size_t		*foff;		/* [j]: where column j's counts start in freq */
	long		*freq;		/* [foff[j] + v]: rows now showing v in column j */
	uint32_t	*next;		/* [row]: the next row of its group, or NONE */
	struct group	*tab;
	size_t		 mask;		/* slots - 1 */
	uint32_t	*key;		/* scratch: one combination */
	uint32_t	*risk;		/* slots of the groups smaller than k this round */
	size_t		 nrisk;
	size_t		 at_risk;	/* rows in groups smaller than k */
};

/* One column's share of a combination's hash (splitmix64's finalizer). */
static uint64_t
mix(size_t j, uint32_t v)
{
	uint64_t z = ((uint64_t)j << 32 | v) + 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t
hash_key(const struct kanon *kn, const uint32_t *key)
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
		if (g->head == NONE)
			return i;
		if (g->n > 0 && memcmp(&kn->qv[(size_t)g->head * nq], key,
		    nq * sizeof(*key)) == 0)
			return i;
	}
}

static size_t
count(const struct kanon *kn, const uint32_t *key, uint64_t h)
{
	return kn->tab[find(kn, key, h)].n;
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
 * group a row and each move adds at most one slot in use, so lookups always
 * meet an empty slot soon. */
static int
kanon_alloc(struct kanon *kn, size_t n, size_t nq)
{
	size_t slots = 4;

	while (slots < 4 * n)
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
	int rc = -1;

	memset(kn, 0, sizeof(*kn));
	kn->d = d;
	if (map == NULL || d->nrows > NONE / 8 || kanon_alloc(kn, n, nq) != 0)
		goto out;
	for (size_t i = 0; i < d->nstrs; i++)
		map[i] = -1;
	for (size_t j = 0; j < d->nqi; j++)
		if (densify(kn, j, map) != 0)
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
	free(kn->foff);
	free(kn->freq);
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
		kn->tab[i] = (struct group){ NONE, 0 };
	for (size_t r = 0; r < d->nrows; r++) {
		const uint32_t *key = &kn->qv[r * d->nqi];
		struct group *g = &kn->tab[find(kn, key, hash_key(kn, key))];
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
	h = hash_key(kn, key);
	for (size_t j = 0; j < nq; j++) {
		uint32_t v = key[j];
		if (v == 0)
			continue;
		key[j] = 0;
		safe = count(kn, key, h - mix(j, v) + mix(j, 0)) + n >= k;
		key[j] = v;
		freq = kn->freq[kn->foff[j] + v];
		kept = kn->d->qi_keep[j];
		if (bj < 0 || kept < bkept || (kept == bkept &&
		    (safe > bsafe || (safe == bsafe && freq < bfreq))))
			bj = (long)j, bkept = kept, bsafe = safe, bfreq = freq;
	}
	return bj;
}

/* Withholds column j in every row of the group in slot s and joins the
 * group that shows the result, or starts it. */
static void
move(struct kanon *kn, size_t s, size_t j)
{
	size_t nq = kn->d->nqi, k = (size_t)kn->d->k;
	struct group *g = &kn->tab[s], *t;
	uint32_t head = g->head, n = g->n, last = NONE, v = kn->qv[(size_t)head * nq + j];
	const uint32_t *key = &kn->qv[(size_t)head * nq];

	for (uint32_t r = head; r != NONE; r = kn->next[r]) {
		kn->qv[(size_t)r * nq + j] = 0;
		last = r;
	}
	kn->freq[kn->foff[j] + v] -= n;
	kn->freq[kn->foff[j]] += n;
	g->n = 0;
	kn->at_risk -= n;
	t = &kn->tab[find(kn, key, hash_key(kn, key))];
	if (t->head != NONE) {
		kn->at_risk -= t->n < k ? t->n : 0;
		kn->next[last] = t->head;
	}
	t->head = head;
	t->n += n;
	kn->at_risk += t->n < k ? t->n : 0;
}

/* One round: each group smaller than k at its start withholds one value,
 * unless others joined it meanwhile and it reached k, until no more than
 * budget rows are left at risk.  The largest groups go first: they are the
 * closest to k, so the rows left at risk when the budget is reached are
 * those in the smallest groups, the most unusual.  Returns how many groups
 * moved. */
static size_t
one_round(struct kanon *kn, size_t budget)
{
	size_t moves = 0, k = (size_t)kn->d->k;
	long j;

	build(kn);
	qsort_r(kn->risk, kn->nrisk, sizeof(*kn->risk), larger_first, kn);
	for (size_t i = 0; i < kn->nrisk && kn->at_risk > budget; i++) {
		if (kn->tab[kn->risk[i]].n >= k || (j = choose(kn, kn->risk[i])) < 0)
			continue;
		move(kn, kn->risk[i], (size_t)j);
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
		for (uint32_t r = kn->tab[i].head; r != NONE; r = kn->next[r])
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
	size_t budget = (size_t)((double)d->nrows * d->max_drop / 100.0);
	int rc = -1;

	memset(st, 0, sizeof(*st));
	st->responses = (long)d->nrows;
	free(d->dropped);
	d->dropped = NULL;
	if (kanon_init(&kn, d) != 0)
		goto out;
	while (one_round(&kn, budget) > 0)
		;
	apply(&kn, st);
	rc = 0;
out:
	kanon_free(&kn);
	return rc;
}
