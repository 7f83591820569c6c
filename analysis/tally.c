/* tally: one pass, counters only.  A response's answers arrive grouped by
 * question (store_each_response's contract), so each question's answers are
 * a contiguous run, found once per response through a hash of question ids.
 * Whether a question was asked is worked out from the stored answers: the
 * app drops answers to hidden questions before storing, so a condition can
 * be evaluated on what is stored. */
#include <stdlib.h>
#include <string.h>
#include "strtab.h"
#include "tally_int.h"


static void *
alloc0(size_t n, size_t size, int *fail)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL)
		*fail = 1;
	return p;
}

static int
alloc_question(struct tally *t, size_t i)
{
	const struct question *q = &t->s->qs[i];
	struct tally_q *tq = &t->q[i];
	size_t g = t->ngroups;
	int fail = 0;

	tq->asked = alloc0(g, sizeof(long), &fail);
	tq->answered = alloc0(g, sizeof(long), &fail);
	tq->opt = alloc0(q->nopts * g, sizeof(long), &fail);
	if (q->type == Q_RANKING) {
		tq->first = alloc0(q->nopts, sizeof(long), &fail);
		tq->ranksum = alloc0(q->nopts, sizeof(double), &fail);
	}
	if (q->type == Q_NUMBER && (tq->nb = alloc0(1, sizeof(*tq->nb), &fail)) != NULL) {
		numband_init(tq->nb, q);
		tq->num_band = alloc0(tq->nb->n, sizeof(long), &fail);
		tq->num_exact = alloc0(tq->nb->nexact, sizeof(long), &fail);
		tq->num_over = alloc0(tq->nb->n, sizeof(long), &fail);
	}
	if (q->indicator != NULL) {
		tq->ver_opt = alloc0(TALLY_MAX_VERSIONS * q->nopts, sizeof(long), &fail);
		tq->ver_answered = alloc0(TALLY_MAX_VERSIONS, sizeof(long), &fail);
	}
	return fail ? -1 : 0;
}

static size_t
count_groups(const struct survey *s, enum tally_by by, long by_q)
{
	if (by == TALLY_BY_CHANNEL)
		return CH__MAX + 1;
	if (by == TALLY_BY_QUESTION && by_q >= 0 && (size_t)by_q < s->nqs)
		return s->qs[by_q].nopts + 1;
	return 1;
}

static int
init_scratch(struct tally *t)
{
	struct scratch *sc = calloc(1, sizeof(*sc));
	int fail = 0;

	if ((t->priv = sc) == NULL || (sc->qidx = strtab_new()) == NULL)
		return -1;
	sc->first = alloc0(t->s->nqs, sizeof(size_t), &fail);
	sc->count = alloc0(t->s->nqs, sizeof(size_t), &fail);
	sc->fired = alloc0(t->cb ? codebook_nthemes(t->cb) : 1, 1, &fail);
	for (size_t i = 0; !fail && i < t->s->nqs; i++)
		if (strtab_put(sc->qidx, t->s->qs[i].id, strlen(t->s->qs[i].id), (int)i) != 0)
			fail = 1;
	return fail ? -1 : 0;
}

static void
free_pool(struct tally_pool *p)
{
	for (size_t j = 0; j < p->n; j++)
		free(p->q[j].text);
	free(p->q);
}

struct tally *
tally_new(const struct survey *s, struct codebook *cb, enum tally_by by, long by_q,
    size_t nquotes)
{
	struct tally *t = calloc(1, sizeof(*t));
	int fail = 0;

	if (t == NULL)
		return NULL;
	t->s = s;
	t->cb = cb;
	t->by = by;
	t->by_q = by_q;
	t->nquotes = nquotes * TALLY_QUOTE_POOL;
	t->ngroups = count_groups(s, by, by_q);
	t->group_n = alloc0(t->ngroups, sizeof(long), &fail);
	t->q = alloc0(s->nqs, sizeof(*t->q), &fail);
	t->days = alloc0(TALLY_MAX_DAYS, sizeof(*t->days), &fail);
	t->day_n = alloc0(TALLY_MAX_DAYS, sizeof(long), &fail);
	if (cb != NULL) {
		t->themes = alloc0(codebook_nthemes(cb), sizeof(*t->themes), &fail);
		t->frame_n = alloc0(codebook_nframes(cb), sizeof(long), &fail);
	}
	for (size_t i = 0; !fail && i < s->nqs; i++)
		fail = alloc_question(t, i) != 0;
	if (fail || init_scratch(t) != 0) {
		tally_free(t);
		return NULL;
	}
	return t;
}

void
tally_free(struct tally *t)
{
	struct scratch *sc;

	if (t == NULL)
		return;
	for (size_t i = 0; t->q != NULL && i < t->s->nqs; i++) {
		free(t->q[i].asked);
		free(t->q[i].answered);
		free(t->q[i].opt);
		free(t->q[i].first);
		free(t->q[i].ranksum);
		free(t->q[i].ver_opt);
		free(t->q[i].ver_answered);
		free(t->q[i].nb);
		free(t->q[i].num_band);
		free(t->q[i].num_exact);
		free(t->q[i].num_over);
	}
	for (size_t i = 0; t->themes != NULL && i < codebook_nthemes(t->cb); i++) {
		free_pool(&t->themes[i].quotes);
		free_pool(&t->themes[i].other);
	}
	if ((sc = t->priv) != NULL) {
		strtab_free(sc->qidx);
		free(sc->first);
		free(sc->count);
		free(sc->fired);
		free(sc);
	}
	free(t->themes);
	free(t->frame_n);
	free(t->q);
	free(t->group_n);
	free(t->days);
	free(t->day_n);
	free(t);
}

const char *
tally_group_label(const struct tally *t, size_t g)
{
	if (g + 1 == t->ngroups)
		return "unknown";
	if (t->by == TALLY_BY_CHANNEL)
		return channel_names[g];
	if (t->by == TALLY_BY_QUESTION)
		return t->s->qs[t->by_q].opts[g].code;
	return "all";
}

long
tally_version_index(const struct tally *t, int v)
{
	for (size_t i = 0; i < t->nversions; i++)
		if (t->versions[i] == v)
			return (long)i;
	return -1;
}

