/* sdc: the disclosure-control rule of sdc.h over cells and lines, and the
 * one-way and two-way tables built on it.  Invariant: after sdc_run, a cell
 * reads as published only when the run returned SDC_OK and left it
 * visible; anything else reads as hidden. */
#include <stdlib.h>
#include <string.h>
#include "sdc_int.h"

static const char *const errs[SDC__MAX] = {
	[SDC_OK] = "ok",
	[SDC_NOMEM] = "out of memory",
	[SDC_UNSAFE] = "a hidden count could still be worked out",
};

const char *
sdc_strerror(enum sdc_err er)
{
	return er < SDC__MAX ? errs[er] : "unknown error";
}

int
sdc_threshold(int configured, int own)
{
	int k = configured >= 1 ? configured : SDC_K_DEFAULT;

	return own > k ? own : k;
}

int
sdc_small(long n, int k)
{
	return n >= 1 && n < k;
}

int
sdc_asked_hidden(long asked, long answered, int k)
{
	return sdc_small(asked, k) || sdc_small(asked - answered, k);
}

struct sdc *
sdc_new(int k)
{
	struct sdc *t = calloc(1, sizeof(*t));

	if (t != NULL)
		t->k = k;
	return t;
}

struct sdc *
sdc_new_cells(int k, const long *v, size_t n, size_t room, long **m)
{
	struct sdc *t = sdc_new(k);

	if ((*m = malloc(room * sizeof(**m))) == NULL || t == NULL) {
		sdc_free(t);
		free(*m);
		*m = NULL;
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		(*m)[i] = sdc_cell(t, v[i], 0);
	return t;
}

void
sdc_free(struct sdc *t)
{
	if (t == NULL)
		return;
	free(t->v);
	free(t->flag);
	free(t->supp);
	free(t->start);
	free(t->idx);
	free(t);
}

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	if ((q = realloc(*p, c * size)) == NULL)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

long
sdc_cell(struct sdc *t, long v, int flags)
{
	size_t c = t->cap;

	if (t->err == SDC_NOMEM || grow((void **)&t->v, &c, t->n + 1, sizeof(*t->v)) != 0 ||
	    (c = t->cap, grow((void **)&t->flag, &c, t->n + 1, 1)) != 0 ||
	    (c = t->cap, grow((void **)&t->supp, &c, t->n + 1, 1)) != 0) {
		t->err = SDC_NOMEM;
		return -1;
	}
	t->cap = c;
	t->v[t->n] = v;
	t->flag[t->n] = (unsigned char)flags;
	t->supp[t->n] = 1;
	return (long)t->n++;
}

int
sdc_line(struct sdc *t, const long *m, size_t n, long total)
{
	size_t lc = t->lcap;

	if (t->err == SDC_NOMEM || total < -1 ||
	    grow((void **)&t->idx, &t->icap, t->ni + n + 1, sizeof(*t->idx)) != 0 ||
	    grow((void **)&t->start, &lc, t->nl + 2, sizeof(*t->start)) != 0) {
		t->err = SDC_NOMEM;
		return -1;
	}
	t->lcap = lc;
	for (size_t i = 0; i < n; i++) {
		if (m[i] < 0) {
			t->err = SDC_NOMEM;
			return -1;
		}
		t->idx[t->ni++] = m[i];
	}
	t->idx[t->ni++] = total;
	t->start[t->nl] = t->ni - n - 1;
	t->start[++t->nl] = t->ni;
	return 0;
}

int
sdc_lines_apart(struct sdc *t, const long *m, const long *v, size_t n, long total, long tc)
{
	long pair[2];

	for (size_t i = 0; i < n; i++) {
		pair[0] = m[i];
		pair[1] = sdc_cell(t, total - v[i], SDC_IMPLICIT);
		if (sdc_line(t, pair, 2, tc) != 0)
			return -1;
	}
	return 0;
}

int
sdc_unknown(const struct sdc *t, size_t i)
{
	if (t->flag[i] & SDC_SUM)
		return 1;
	return t->flag[i] & SDC_IMPLICIT ? t->v[i] != 0 : t->supp[i];
}

int
sdc_sensitive(const struct sdc *t, size_t i)
{
	return t->flag[i] & SDC_IMPLICIT ? sdc_small(t->v[i], t->k) : t->supp[i];
}

/* Visible: published and not hidden, so the rule may still hide it. */
static int
visible(const struct sdc *t, size_t i)
{
	return !t->flag[i] && !t->supp[i];
}

/* Rule 2: a line whose non-zero published members are all hidden, at least
 * one of them, loses its zero members too.  1 when it hid something. */
static int
hide_zeros(struct sdc *t, const long *m, size_t n)
{
	int hidden_nz = 0, changed = 0;

	for (size_t i = 0; i < n; i++) {
		size_t j = (size_t)m[i];
		if (t->flag[j] & SDC_IMPLICIT || t->v[j] == 0)
			continue;
		if (!t->supp[j])
			return 0;
		hidden_nz = 1;
	}
	for (size_t i = 0; hidden_nz && i < n; i++)
		if (visible(t, (size_t)m[i])) {
			t->supp[m[i]] = 1;
			changed = 1;
		}
	return changed;
}

/* Hides a second member of line m[0..n) (total last): its smallest non-zero
 * visible member, else its total, else a zero member.  1 when it did. */
static int
hide_second(struct sdc *t, const long *m, size_t n)
{
	size_t best = n;

	for (size_t i = 0; i + 1 < n; i++)
		if (visible(t, (size_t)m[i]) && t->v[m[i]] > 0 &&
		    (best == n || t->v[m[i]] < t->v[m[best]]))
			best = i;
	if (best == n && visible(t, (size_t)m[n - 1]))
		best = n - 1;
	for (size_t i = 0; best == n && i + 1 < n; i++)
		if (visible(t, (size_t)m[i]))
			best = i;
	if (best == n)
		return 0;	/* nothing left to hide: the attacker check fails it */
	t->supp[m[best]] = 1;
	return 1;
}

/* The unknown members of line m[0..n), one of them sensitive, add up to
 * less than k while its total is known: the reader counts a small group
 * (two hidden counts that add up to 2 are both 1; hidden zeros that add up
 * to 0 are all 0). */
static int
small_sum(const struct sdc *t, const long *m, size_t n, const unsigned char *known)
{
	long s = 0;
	int sensitive = 0;

	if (m[n - 1] < 0 || !known[m[n - 1]])
		return 0;
	for (size_t i = 0; i + 1 < n; i++)
		if (!known[m[i]]) {
			s += t->v[m[i]];
			sensitive |= sdc_sensitive(t, (size_t)m[i]);
		}
	return sensitive && s < t->k;
}

/* Rule 3, with what subtraction gives away: lines with one unknown member
 * are solved in turn; the first that would solve a sensitive cell, or
 * whose unknown members add up to a small count, gets another hidden
 * member.  1 when it hid something (the caller starts over); known[] is
 * left with what the reader can solve. */
static int
protect(struct sdc *t, unsigned char *known)
{
	int progress = 1;

	for (size_t i = 0; i < t->n; i++)
		known[i] = !sdc_unknown(t, i);
	while (progress) {
		progress = 0;
		for (size_t l = 0; l < t->nl; l++) {
			const long *m = t->idx + t->start[l];
			size_t n = t->start[l + 1] - t->start[l], unknown = 0, at = 0;
			if (m[n - 1] < 0)
				continue;	/* no total: nothing to subtract from */
			for (size_t i = 0; i < n; i++)
				if (!known[m[i]])
					unknown++, at = (size_t)m[i];
			if (unknown != 1)
				continue;
			if (sdc_sensitive(t, at) && hide_second(t, m, n))
				return 1;
			known[at] = 1;
			progress = 1;
		}
	}
	for (size_t l = 0; l < t->nl; l++) {
		const long *m = t->idx + t->start[l];
		size_t n = t->start[l + 1] - t->start[l];
		if (small_sum(t, m, n, known) && hide_second(t, m, n))
			return 1;
	}
	return 0;
}

enum sdc_err
sdc_run(struct sdc *t)
{
	unsigned char *known = NULL;
	int changed = 1;

	if (t->err == SDC_NOMEM || (known = malloc(t->n + 1)) == NULL) {
		t->err = SDC_NOMEM;
		goto fail;
	}
	for (size_t i = 0; i < t->n; i++)
		t->supp[i] = (t->flag[i] & SDC_IMPLICIT) ||
		    (!(t->flag[i] & SDC_KNOWN) && sdc_small(t->v[i], t->k));
	while (changed) {
		changed = 0;
		for (size_t l = 0; l < t->nl; l++)
			changed |= hide_zeros(t, t->idx + t->start[l],
			    t->start[l + 1] - t->start[l] - 1);
		changed |= protect(t, known);
	}
	t->err = sdc_attack(t) >= 0 ? SDC_UNSAFE : SDC_OK;
	for (size_t l = 0; l < t->nl && t->err == SDC_OK; l++)
		if (small_sum(t, t->idx + t->start[l], t->start[l + 1] - t->start[l], known))
			t->err = SDC_UNSAFE;
	free(known);
	if (t->err == SDC_OK)
		return SDC_OK;
fail:
	for (size_t i = 0; i < t->n; i++)
		t->supp[i] = 1;
	return t->err;
}

int
sdc_hidden(const struct sdc *t, long i)
{
	return t == NULL || t->err != SDC_OK || i < 0 || (size_t)i >= t->n || t->supp[i];
}
