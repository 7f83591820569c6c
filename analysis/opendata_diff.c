/* opendata_diff: the file stays safe beside the report's tables (the rule
 * is in opendata.h).
 *
 * The report publishes exact counts of every quasi-identifier value, and
 * of all responses.  The file's own count falls short by the responses it
 * hides: a value withheld in a row written, or a row dropped.  Set against
 * a table, the shortfall speaks about those responses as one, so it must
 * be 0, at least k, or everything (the value shows in no row written,
 * nothing is written).  That holds for every value of every
 * quasi-identifier, and for the rows dropped against the total.
 *
 * Repairs only ever withhold values (the rows dropped are kept instead
 * when too few), so after each pass the rounds of opendata_kanon.c make
 * every group k rows again and the rule is checked again, until a pass has
 * nothing to repair. */
#include <stdlib.h>
#include <string.h>
#include "opendata_kanon.h"

/* Counts the rows of the groups of k or more, which will be written, per
 * value shown. */
static void
count_shown(struct kanon *kn)
{
	size_t nq = kn->d->nqi, k = (size_t)kn->d->k;

	memset(kn->shown, 0, kn->foff[nq] * sizeof(*kn->shown));
	for (size_t s = 0; s <= kn->mask; s++) {
		const uint32_t *key;
		if (kn->tab[s].n < k)
			continue;
		key = &kn->qv[(size_t)kn->tab[s].head * nq];
		for (size_t j = 0; j < nq; j++)
			kn->shown[kn->foff[j] + key[j]] += kn->tab[s].n;
	}
}

/* How many more responses must hide value v of column j: none when it is
 * hidden from none, from k or more, or shown in no row. */
static long
shortfall(const struct kanon *kn, size_t j, uint32_t v)
{
	size_t i = kn->foff[j] + v;
	long hidden = kn->total[i] - kn->shown[i], k = kn->d->k;

	return v == 0 || kn->shown[i] == 0 || hidden == 0 || hidden >= k ? 0 : k - hidden;
}

/* How many rows of a group of n give up a value to hide it from r more
 * responses, when nd rows show the result already: r, or more if that is
 * what it takes to make a group of k with them, or the whole group when
 * fewer than k would be left.  So a repair never leaves a group smaller
 * than k behind, and costs fewer than 2k cells. */
static uint32_t
rows_to_take(uint32_t n, long r, size_t nd, long k)
{
	long m = (long)nd + r >= k ? r : k - (long)nd;

	return (long)n - m >= k ? (uint32_t)m : n;
}

/* rows_to_take for the group in slot s withholding column j. */
static uint32_t
rows_to_give(const struct kanon *kn, size_t s, size_t j, long r)
{
	size_t nq = kn->d->nqi;
	uint32_t *key = kn->key;

	memcpy(key, &kn->qv[(size_t)kn->tab[s].head * nq], nq * sizeof(*key));
	return rows_to_take(kn->tab[s].n, r, kanon_count_without(kn, key,
	    kanon_hash(kn, key), j), kn->d->k);
}

/* For every value short of hidden responses, the group of k or more that
 * gives it up in the fewest rows; on a tie the larger group, whose rows
 * lose the least between them. */
static void
choose_groups(struct kanon *kn)
{
	size_t nq = kn->d->nqi, k = (size_t)kn->d->k;

	for (size_t i = 0; i < kn->foff[nq]; i++)
		kn->best[i] = KANON_NONE;
	for (size_t s = 0; s <= kn->mask; s++) {
		const uint32_t *key;
		uint32_t n = kn->tab[s].n;
		if (n < k)
			continue;
		key = &kn->qv[(size_t)kn->tab[s].head * nq];
		for (size_t j = 0; j < nq; j++) {
			size_t i = kn->foff[j] + key[j];
			long r = shortfall(kn, j, key[j]), m;
			if (r == 0)
				continue;
			m = rows_to_give(kn, s, j, r);
			if (kn->best[i] == KANON_NONE || m < kn->cost[i] ||
			    (m == kn->cost[i] && n > kn->tab[kn->best[i]].n))
				kn->best[i] = (uint32_t)s, kn->cost[i] = m;
		}
	}
}

/* Withholds each value short of hidden responses in the rows its chosen
 * group gives up (counted again: an earlier repair of the pass may have
 * changed the group or the one its rows join).  A group that has moved
 * away is skipped, and so is everything once the table holds two slots a
 * row: the next pass chooses again.  Returns how many cells were
 * withheld. */
static size_t
repair_values(struct kanon *kn)
{
	size_t nq = kn->d->nqi, cells = 0;
	uint32_t k = (uint32_t)kn->d->k;

	count_shown(kn);
	choose_groups(kn);
	for (size_t j = 0; j < nq; j++)
		for (size_t i = kn->foff[j]; i < kn->foff[j + 1]; i++) {
			uint32_t s = kn->best[i], m;
			if (s == KANON_NONE || kn->tab[s].n < k ||
			    kn->used >= 2 * kn->d->nrows)
				continue;
			m = rows_to_give(kn, s, j, shortfall(kn, j, (uint32_t)(i - kn->foff[j])));
			kanon_move(kn, s, j, m);
			kn->fixed[i] = 1;
			cells += m;
		}
	return cells;
}

/* The values a combination still shows. */
static long
values_shown(const struct kanon *kn, const uint32_t *key)
{
	long n = 0;

	for (size_t j = 0; j < kn->d->nqi; j++)
		n += key[j] != 0;
	return n;
}

/* Too few rows would be dropped (1 to k-1): the report's total less the
 * file's would speak about them alone.  Dropping more is not allowed, so
 * they are kept: first the rounds go on with nothing allowed to stay at
 * risk; what is left then is one group with every value withheld, which
 * rows of the group of k or more that show the fewest values join,
 * withholding them all.  Returns 0 when the rows dropped are fine. */
static size_t
repair_dropped(struct kanon *kn)
{
	size_t nq = kn->d->nqi, k = (size_t)kn->d->k, best = KANON_NONE, s;
	long bcost = 0, c;
	uint32_t m;

	if (kn->at_risk == 0 || kn->at_risk >= k || kn->at_risk == kn->d->nrows)
		return 0;
	kn->total_fixed = 1;
	if (kn->budget > 0) {
		kn->budget = 0;
		return 1;
	}
	for (s = 0; s <= kn->mask; s++) {
		uint32_t n = kn->tab[s].n;
		if (n < k)
			continue;
		m = rows_to_take(n, (long)(k - kn->at_risk), kn->at_risk, (long)k);
		c = (long)m * values_shown(kn, &kn->qv[(size_t)kn->tab[s].head * nq]);
		if (best == KANON_NONE || c < bcost || (c == bcost && n > kn->tab[best].n))
			best = s, bcost = c;
	}
	m = rows_to_take(kn->tab[best].n, (long)(k - kn->at_risk), kn->at_risk, (long)k);
	for (size_t j = 0; j < nq; j++)
		if (kn->qv[(size_t)kn->tab[best].head * nq + j] != 0)
			best = kanon_move(kn, best, j, m);
	return (size_t)bcost;
}

size_t
kanon_diff_pass(struct kanon *kn)
{
	size_t n = repair_dropped(kn);

	return n > 0 ? n : repair_values(kn);
}

long
kanon_diff_exposed(struct kanon *kn, long *fixed)
{
	struct opendata *d = kn->d;
	size_t nq = d->nqi, k = (size_t)d->k, dropped = 0;
	long exposed = 0;

	memset(kn->shown, 0, kn->foff[nq] * sizeof(*kn->shown));
	for (size_t r = 0; r < d->nrows; r++) {
		dropped += d->dropped[r];
		for (size_t j = 0; j < nq && !d->dropped[r]; j++)
			kn->shown[kn->foff[j] + kn->qv[r * nq + j]]++;
	}
	*fixed = 0;
	for (size_t j = 0; j < nq; j++)
		for (size_t i = kn->foff[j]; i < kn->foff[j + 1]; i++) {
			exposed += shortfall(kn, j, (uint32_t)(i - kn->foff[j])) > 0;
			*fixed += kn->fixed[i];
		}
	*fixed += kn->total_fixed;
	return exposed + (dropped > 0 && dropped < k && dropped < d->nrows);
}
