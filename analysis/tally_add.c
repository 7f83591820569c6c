/* tally_add: counting one response.  Quotes: for each theme the tool keeps
 * the nquotes short texts with the smallest hash (and, apart, those of them
 * coded to no outcome area), so the choice depends on
 * the texts alone, not on the order the database returns them in (response
 * ids are random), and a re-run picks the same quotes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "tally_int.h"
#include "util.h"

#define QUOTE_MIN	20	/* bytes: shorter says too little to quote */
#define QUOTE_MAX	200	/* bytes: "short quotes" */

/* Keeps text in the pool if its key is among the smallest. */
static int
offer_quote(struct tally *t, struct tally_pool *p, const char *text, size_t n)
{
	uint64_t key = fnv1a64(FNV64_BASIS, text, n);
	size_t at;
	char *copy;

	if (t->nquotes == 0 || n < QUOTE_MIN || n > QUOTE_MAX)
		return 0;
	if (p->q == NULL && (p->q = calloc(t->nquotes, sizeof(*p->q))) == NULL)
		return -1;
	for (at = 0; at < p->n && p->q[at].key < key; at++)
		;
	if (at < p->n && p->q[at].key == key)
		return 0;	/* the same text again */
	if (at == t->nquotes)
		return 0;
	if ((copy = malloc(n + 1)) == NULL)
		return -1;
	memcpy(copy, text, n);
	copy[n] = '\0';
	if (p->n == t->nquotes)
		free(p->q[--p->n].text);
	memmove(&p->q[at + 1], &p->q[at], (p->n - at) * sizeof(*p->q));
	p->q[at].key = key;
	p->q[at].text = copy;
	p->n++;
	return 0;
}

static long
option_index(const struct question *q, const char *code)
{
	for (size_t i = 0; i < q->nopts; i++)
		if (strcmp(q->opts[i].code, code) == 0)
			return (long)i;
	return -1;
}

static int
cond_holds(const struct scratch *sc, const struct store_response *r, const struct cond *c)
{
	int any = 0;

	if (c == NULL)
		return 1;
	for (size_t i = 0; i < sc->count[c->q] && !any; i++)
		for (size_t k = 0; k < c->ncodes && !any; k++)
			any = strcmp(r->answers[sc->first[c->q] + i].value, c->codes[k]) == 0;
	return c->negate ? !any : any;
}

static int
asked(const struct tally *t, const struct scratch *sc, const struct store_response *r, size_t q)
{
	const struct question *qq = &t->s->qs[q];

	return cond_holds(sc, r, t->s->pages[qq->page].show_if) && cond_holds(sc, r, qq->show_if);
}

/* Finds each question's run of answers; unknown questions are ignored. */
static void
index_answers(const struct tally *t, struct scratch *sc, const struct store_response *r)
{
	const char *last = NULL;
	int qi = -1;

	memset(sc->count, 0, t->s->nqs * sizeof(*sc->count));
	for (size_t i = 0; i < r->nanswers; i++) {
		const char *id = r->answers[i].question;
		if (last == NULL || strcmp(id, last) != 0) {
			last = id;
			if (!strtab_get(sc->qidx, id, strlen(id), &qi))
				qi = -1;
			else if (sc->count[qi] == 0)
				sc->first[qi] = i;
		}
		if (qi >= 0 && sc->first[qi] + sc->count[qi] == i)
			sc->count[qi]++;
	}
}

static size_t
group_of(const struct tally *t, const struct scratch *sc, const struct store_response *r)
{
	long k;

	if (t->by == TALLY_BY_CHANNEL) {
		enum channel c = channel_from_name(r->channel);
		return c < CH__MAX ? (size_t)c : CH__MAX;
	}
	if (t->by == TALLY_BY_QUESTION && sc->count[t->by_q] > 0) {
		k = option_index(&t->s->qs[t->by_q], r->answers[sc->first[t->by_q]].value);
		if (k >= 0)
			return (size_t)k;
	}
	return t->ngroups - 1;
}

static void
count_day(struct tally *t, const char *day)
{
	size_t lo = 0, hi = t->ndays;
	int c = 1;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		c = strcmp(t->days[mid], day);
		if (c == 0) {
			t->day_n[mid]++;
			return;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (t->ndays == TALLY_MAX_DAYS || strlen(day) != 10) {
		t->day_other++;
		return;
	}
	memmove(&t->days[lo + 1], &t->days[lo], (t->ndays - lo) * sizeof(*t->days));
	memmove(&t->day_n[lo + 1], &t->day_n[lo], (t->ndays - lo) * sizeof(*t->day_n));
	memcpy(t->days[lo], day, 11);
	t->day_n[lo] = 1;
	t->ndays++;
}

/* A version's response and its first and last day (days are "YYYY-MM-DD",
 * so they sort as strings; anything else is left out of the range). */
static void
count_version_day(struct tally *t, size_t v, const char *day)
{
	t->version_n[v]++;
	if (strlen(day) != 10)
		return;
	if (t->ver_first[v][0] == '\0' || strcmp(day, t->ver_first[v]) < 0)
		memcpy(t->ver_first[v], day, 11);
	if (strcmp(day, t->ver_last[v]) > 0)
		memcpy(t->ver_last[v], day, 11);
}

static long
count_profile(struct tally *t, const struct store_response *r)
{
	enum channel c = channel_from_name(r->channel);
	size_t i;
	long v;

	t->n++;
	t->flagged += r->flagged != 0;
	t->channel[c < CH__MAX ? c : CH__MAX]++;
	for (i = 0; i < t->nlangs && strcmp(t->langs[i], r->lang) != 0; i++)
		;
	if (i == t->nlangs && i < TALLY_MAX_LANGS && strlen(r->lang) < sizeof(t->langs[0]))
		snprintf(t->langs[t->nlangs++], sizeof(t->langs[0]), "%s", r->lang);
	t->lang_n[i < t->nlangs ? i : TALLY_MAX_LANGS]++;
	count_day(t, r->day);
	if ((v = tally_version_index(t, r->version)) < 0 && t->nversions < TALLY_MAX_VERSIONS) {
		v = (long)t->nversions++;
		t->versions[v] = r->version;
	}
	if (v >= 0)
		count_version_day(t, (size_t)v, r->day);
	return v;
}

/* What one answer is coded to: a hand correction for it replaces what the
 * rules find.  1 when corrected, 0 when coded by the rules, -1 on OOM. */
static int
code_answer(struct tally *t, const struct store_response *r, const struct store_answer *a,
    struct codebook_hits *h)
{
	const struct corr *c;

	switch (corrections_find(t->corr, r->id, a->question, a->value, a->len, &c)) {
	case CORR_APPLIES:
		h->areas = c->areas;
		h->themes = c->themes;
		h->nthemes = c->nthemes;
		t->corrected++;
		return 1;
	case CORR_STALE:
		t->stale++;
		break;
	case CORR_NONE:
		break;
	}
	return codebook_code(t->cb, a->value, a->len, h, NULL) != 0 ? -1 : 0;
}

static int
count_text(struct tally *t, struct scratch *sc, const struct store_response *r, size_t q,
    const struct store_answer *a, int *any)
{
	struct codebook_hits h;
	int fixed;

	if (a->len == 0)
		return 0;
	*any = 1;
	if (t->cb == NULL)
		return 0;
	if ((fixed = code_answer(t, r, a, &h)) < 0)
		return -1;
	t->q[q].texts++;
	t->q[q].uncoded += !fixed && h.nthemes == 0;
	sc->areas |= h.areas;
	for (size_t i = 0; i < h.nthemes; i++) {
		struct tally_theme *th = &t->themes[h.themes[i]];
		sc->fired[h.themes[i]] = 1;
		if (offer_quote(t, &th->quotes, a->value, a->len) != 0 ||
		    (h.areas == 0 && offer_quote(t, &th->other, a->value, a->len) != 0))
			return -1;
	}
	return 0;
}

static void
count_choice(struct tally *t, size_t q, const struct store_answer *a, size_t g, long ver)
{
	const struct question *qq = &t->s->qs[q];
	struct tally_q *tq = &t->q[q];
	long k = option_index(qq, a->value);

	if (k < 0)
		return;
	tq->opt[(size_t)k * t->ngroups + g]++;
	if (qq->type == Q_RANKING && a->pos > 0) {
		tq->ranksum[k] += a->pos;
		if (a->pos == 1)
			tq->first[k]++;
	}
	if (tq->ver_opt != NULL && ver >= 0)
		tq->ver_opt[(size_t)ver * qq->nopts + (size_t)k]++;
}

/* A whole number in the question's range goes into its band and its exact
 * or over-the-exact-range counter; anything else is left out (the app
 * stores only numbers in range, but an older version of the survey may
 * have had another range). */
static void
count_number(struct tally_q *tq, const char *value)
{
	char *end;
	long v, band;

	errno = 0;
	v = strtol(value, &end, 10);
	if (end != value)
		end += strspn(end, " \t");	/* " 4 ": stored so before it was trimmed */
	if (end == value || *end != '\0' || errno != 0 || (band = numband_find(tq->nb, v)) < 0)
		return;
	tq->numn++;
	tq->num_band[band]++;
	if (v - tq->nb->min < (long)tq->nb->nexact)
		tq->num_exact[v - tq->nb->min]++;
	else
		tq->num_over[band]++;
}

static int
count_question(struct tally *t, struct scratch *sc, const struct store_response *r,
    size_t q, size_t g, long ver, int *any_text)
{
	const struct question *qq = &t->s->qs[q];
	struct tally_q *tq = &t->q[q];

	if (qq->type == Q_INFO)
		return 0;
	if (asked(t, sc, r, q))
		tq->asked[g]++;
	if (sc->count[q] == 0)
		return 0;
	tq->answered[g]++;
	if (tq->ver_answered != NULL && ver >= 0)
		tq->ver_answered[ver]++;
	for (size_t i = 0; i < sc->count[q]; i++) {
		const struct store_answer *a = &r->answers[sc->first[q] + i];
		if (qq->type == Q_TEXT || qq->type == Q_LONGTEXT || a->text) {
			if (count_text(t, sc, r, q, a, any_text) != 0)
				return -1;
		} else if (qq->type == Q_NUMBER) {
			count_number(tq, a->value);
		} else {
			count_choice(t, q, a, g, ver);
		}
	}
	return 0;
}

static void
count_themes(struct tally *t, struct scratch *sc, int any_text)
{
	uint32_t areas = sc->areas;
	uint64_t frames = 0;

	sc->areas = 0;
	if (!any_text)
		return;
	t->texts++;
	for (size_t i = 0; t->cb != NULL && i < codebook_nthemes(t->cb); i++) {
		size_t f;
		if (!sc->fired[i])
			continue;
		sc->fired[i] = 0;
		t->themes[i].n++;
		t->themes[i].n_other += areas == 0;
		/* Once per response, by the frame's first fired theme (a
		 * codebook has a handful of frames: past the 64th none counts). */
		f = codebook_theme(t->cb, i)->frame;
		if (f < 64 && !(frames & ((uint64_t)1 << f)))
			t->frame_n[f]++, frames |= (uint64_t)1 << f;
	}
	for (size_t i = 0; t->cb != NULL && i < codebook_nareas(t->cb); i++)
		if (areas & (1u << i))
			t->area_n[i]++;
	if (areas == 0)
		t->area_n[CODEBOOK_MAX_AREAS]++;
}

int
tally_add(struct tally *t, const struct store_response *r)
{
	struct scratch *sc = t->priv;
	size_t g;
	long ver;
	int any_text = 0;

	if (strcmp(r->survey, t->s->id) != 0)
		return 0;
	index_answers(t, sc, r);
	g = group_of(t, sc, r);
	t->group_n[g]++;
	ver = count_profile(t, r);
	for (size_t q = 0; q < t->s->nqs; q++)
		if (count_question(t, sc, r, q, g, ver, &any_text) != 0)
			return -1;
	count_themes(t, sc, any_text);
	return 0;
}
