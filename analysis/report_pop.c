/* report_pop: the borough's population shares beside the response profile.
 * The comparison percentage of a row is its count over the comparison base,
 * the sum of the rows that have a borough share.  Publishing that base adds
 * a line to the table: {rows with a share, base} and, since the table's base
 * is published, {rows without a share, comparison base, table base}.  Each
 * line must have no hidden member or at least two, as sdc requires of every
 * line; a line with one gets its smallest visible non-zero count hidden too.
 * When there is none (a hidden "Prefer not to say" alone on its line), the
 * rows are compared as a share of the table's own base instead (cmp_whole). */
#include <string.h>
#include "population.h"
#include "report.h"
#include "sdc.h"

/* Hidden members of the line of rows with (ref 1) or without (ref 0) a share. */
static size_t
hidden_in(const struct rtable *t, int ref)
{
	size_t n = 0;

	for (size_t i = 0; i < t->nrows; i++)
		n += t->rows[i].has_ref == ref && t->rows[i].n_supp;
	return n;
}

/* Hides the smallest visible non-zero count of the line; 0, or -1 if none. */
static int
hide_next(struct rtable *t, int ref)
{
	struct rrow *min = NULL;

	for (size_t i = 0; i < t->nrows; i++) {
		struct rrow *w = &t->rows[i];
		if (w->has_ref == ref && !w->n_supp && w->n > 0 && (min == NULL || w->n < min->n))
			min = w;
	}
	if (min == NULL)
		return -1;
	min->n_supp = min->pct_supp = 1;
	return 0;
}

/* 1 when the comparison base may be published (hiding more cells if that
 * makes it so); 0 when it would give a hidden count away: then the rows are
 * compared as a share of the table's own base, already published. */
static int
protect_lines(const struct report *r, struct rtable *t)
{
	if (t->base_supp || sdc_small(t->cmp_base, r->k) || t->cmp_base < REPORT_PCT_MIN_BASE)
		return 0;
	for (int ref = 0; ref <= 1; ref++)
		if (hidden_in(t, ref) == 1 && hide_next(t, ref) != 0)
			return 0;
	return 1;
}

/* Multi-choice rows overlap: their sum counts no people, so no base.
 * Sources are copied into the report's arena: the population may go first.
 * 0, or -1 on OOM. */
static int
compare_table(struct report *r, struct rtable *t, struct population *p)
{
	if (t->kind == RK_MULTI)
		return 0;
	for (size_t i = 0; i < t->nrows; i++) {
		struct rrow *w = &t->rows[i];
		struct population_row *pr = population_find(p, t->id, w->code);
		if (pr == NULL)
			continue;
		pr->used = 1;
		w->has_ref = t->has_ref = 1;
		w->ref_pct = pr->share;
		if ((w->ref_source = arena_strdup(r->a, pr->source)) == NULL)
			return -1;
		t->cmp_base += w->n;
	}
	if (!t->has_ref)
		return 0;
	if (!protect_lines(r, t)) {
		t->cmp_whole = 1;
		t->cmp_base = t->answered;
	}
	t->cmp_base_supp = t->base_supp;
	for (size_t i = 0; i < t->nrows; i++) {
		struct rrow *w = &t->rows[i];
		w->cmp_supp = !w->has_ref || w->n_supp || w->pct_supp;
		if (!w->cmp_supp)
			w->cmp_pct = t->cmp_whole ? w->pct :
			    100.0 * (double)w->n / (double)t->cmp_base;
	}
	return 0;
}

int
report_add_population(struct report *r, struct population *p)
{
	for (size_t i = 0; i < r->nt; i++)
		if (strcmp(r->t[i].section, "profile") == 0 && compare_table(r, &r->t[i], p) != 0)
			return -1;
	r->has_population = 1;
	return 0;
}

int
report_population_safe(const struct report *r, const struct rtable *t)
{
	if (!t->has_ref)
		return 1;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct rrow *w = &t->rows[i];
		if (!w->cmp_supp && (w->n_supp || w->pct_supp || !w->has_ref))
			return 0;
	}
	if (t->cmp_whole)
		return t->cmp_base == t->answered && t->cmp_base_supp == t->base_supp;
	return !t->base_supp && !sdc_small(t->cmp_base, r->k) && hidden_in(t, 0) != 1 &&
	    hidden_in(t, 1) != 1;
}
