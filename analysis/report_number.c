/* report_number: a number question as published.  Its bands are the rows
 * of a one-way table over the answers counted (they partition them), so
 * they are suppressed like a single-choice question's options.  The median
 * is an answer someone gave (or the midpoint of two), rounded to a whole
 * number; it is published only when at least k people answered and every
 * band holding a middle answer is itself published, so that it is one of at
 * least k answers in a visible band and tells nothing about a hidden band.
 * When the middle answers lie above the range counted number by number
 * (numband.h) only their band is known, and only the band is given. */
#include <string.h>
#include "numband.h"
#include "report_int.h"
#include "sdc.h"

static int
band_rows(struct report *r, struct rtable *t, const struct tally_q *tq)
{
	char buf[NUMBAND_LABEL];

	for (size_t i = 0; i < tq->nb->n; i++) {
		struct rrow *w = &t->rows[i];
		if ((w->code = arena_strdup(r->a, numband_code(tq->nb, i, buf))) == NULL ||
		    (w->label = arena_strdup(r->a, numband_label(tq->nb, i, buf))) == NULL)
			return -1;
		w->n = tq->num_band[i];
	}
	return 0;
}

static int
median(struct report *r, struct rtable *t, const struct tally_q *tq)
{
	struct numband_median m;
	char buf[NUMBAND_LABEL];
	long band;

	if (numband_median(tq->nb, tq->num_exact, tq->num_over, tq->numn, &m) != 0)
		return 0;	/* nobody answered: there is no median */
	t->has_median = 1;
	t->median_supp = t->base_supp || t->answered < r->k || t->rows[m.band_lo].n_supp ||
	    t->rows[m.band_hi].n_supp || (!m.exact && m.band_lo != m.band_hi);
	if (t->median_supp)
		return 0;
	band = m.exact ? numband_find(tq->nb, m.value) : m.band_lo;
	if ((t->median_supp = t->rows[band].n_supp) != 0)
		return 0;	/* two middle answers around a hidden band */
	t->median_exact = m.exact;
	t->median = m.exact ? m.value : 0;
	return (t->median_band = arena_strdup(r->a, numband_label(tq->nb, (size_t)band, buf))) ==
	    NULL ? -1 : 0;
}

int
rep_build_number(struct report *r, struct rtable *t, const struct tally_q *tq)
{
	t->answered = tq->numn;
	if (band_rows(r, t, tq) != 0 || rep_publish_rows(r, t, REP_ROWS_PARTITION) != 0)
		return -1;
	t->asked_supp = t->base_supp || sdc_asked_hidden(t->asked, t->answered, r->k);
	return median(r, t, tq);
}

/* The check report_safe makes: a median shown beside a small or hidden
 * base, or in a hidden band, is refused.  The band is found again by its
 * label. */
int
rep_median_safe(const struct report *r, const struct rtable *t)
{
	if (!t->has_median || t->median_supp)
		return 1;
	if (t->base_supp || t->answered < r->k || t->median_band == NULL)
		return 0;
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].label != NULL && strcmp(t->rows[i].label, t->median_band) == 0)
			return !t->rows[i].n_supp;
	return 0;
}
