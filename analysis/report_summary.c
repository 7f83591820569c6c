/* report_summary: the one-page summary that leads every export: who
 * responded, the headline findings per outcome area and what changed since
 * the previous wave.  It computes no count of its own: every number it
 * shows is a row or base of a published table, so disclosure control has
 * already passed over it; the only new figure, a change between two waves,
 * is the difference of two published percentages. */
#include <stdlib.h>
#include <string.h>
#include "report_int.h"
#include "stat.h"

static const struct rtable *
table(const struct report *r, const char *section, const char *id)
{
	for (size_t i = 0; i < r->nt; i++)
		if (strcmp(r->t[i].section, section) == 0 && strcmp(r->t[i].id, id) == 0)
			return &r->t[i];
	return NULL;
}

static int
visible(const struct rrow *w)
{
	return !w->n_supp && w->n > 0;
}

size_t
report_top_rows(const struct rtable *t, const struct rrow **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; t != NULL && i < t->nrows; i++) {
		const struct rrow *w = &t->rows[i];
		size_t j;
		if (!visible(w))
			continue;
		for (j = n; j > 0 && out[j - 1]->n < w->n; j--)
			if (j < max)
				out[j] = out[j - 1];
		if (j < max)
			out[j] = w;
		n += n < max;
	}
	return n;
}

static const struct rrow *
top_row(const struct rtable *t)
{
	const struct rrow *w = NULL;

	return report_top_rows(t, &w, 1) ? w : NULL;
}

/* The area's page is the one whose free-text question is tagged with it
 * (`outcome:`); its first scale and first multi-choice question speak for
 * the area. */
static void
area_questions(const struct report *r, struct rheadline *h)
{
	const struct survey *s = r->s;
	long page = -1;

	for (size_t i = 0; i < s->nqs && page < 0; i++)
		if (s->qs[i].outcome != NULL && strcmp(s->qs[i].outcome, h->area) == 0)
			page = (long)s->qs[i].page;
	for (size_t i = 0; page >= 0 && i < s->nqs; i++) {
		const struct question *q = &s->qs[i];
		if (q->page != (size_t)page)
			continue;
		if (q->type == Q_SCALE && h->matters == NULL)
			h->matters = table(r, "questions", q->id);
		if (q->type == Q_MULTI && h->focus == NULL)
			h->focus = table(r, "questions", q->id);
	}
	h->focus_top = top_row(h->focus);
}

static int
headlines(struct report *r, const struct tally *ty)
{
	size_t na = ty->cb != NULL ? codebook_nareas(ty->cb) : 0;
	const struct rtable *texts = table(r, "themes", "themes-areas");

	if (na == 0)
		return 0;
	if ((r->sum.areas = arena_calloc(r->a, na, sizeof(*r->sum.areas))) == NULL)
		return -1;
	for (size_t i = 0; i < na; i++) {
		struct rheadline *h = &r->sum.areas[i];
		const char *id = arena_printf(r->a, "themes-%s", codebook_area(ty->cb, i));
		if (id == NULL)
			return -1;
		h->area = codebook_area(ty->cb, i);
		h->title = codebook_area_title(ty->cb, i);
		h->texts = texts;
		h->wrote = texts != NULL && i < texts->nrows ? &texts->rows[i] : NULL;
		h->themes = table(r, "themes", id);
		h->theme_top = top_row(h->themes);
		area_questions(r, h);
	}
	r->sum.nareas = na;
	return 0;
}

static void
change(struct rchange *c, const struct rtable *t)
{
	c->t = t;
	c->prev = &t->rows[t->nrows - 2];
	c->last = &t->rows[t->nrows - 1];
	c->shown = !c->prev->pct_supp && !c->last->pct_supp;
	if (!c->shown)
		return;
	stat_newcombe(c->prev->pct, c->prev->lo, c->prev->hi, c->last->pct, c->last->lo,
	    c->last->hi, &c->d, &c->lo, &c->hi);
	c->clear = c->lo > 0.0 || c->hi < 0.0;
}

static int
changes(struct report *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nt; i++)
		n += r->t[i].kind == RK_TREND && r->t[i].nrows >= 2;
	if (n == 0)
		return 0;
	if ((r->sum.changes = arena_calloc(r->a, n, sizeof(*r->sum.changes))) == NULL)
		return -1;
	for (size_t i = 0; i < r->nt; i++)
		if (r->t[i].kind == RK_TREND && r->t[i].nrows >= 2)
			change(&r->sum.changes[r->sum.nchanges++], &r->t[i]);
	return 0;
}

static int
profile(struct report *r)
{
	size_t n = 0;

	r->sum.channels = table(r, "profile", "channel");
	for (size_t i = 0; i < r->nt; i++)
		n += strcmp(r->t[i].section, "profile") == 0 && r->t[i].kind != RK_PROFILE;
	if (n == 0)
		return 0;
	if ((r->sum.profile = arena_calloc(r->a, n, sizeof(*r->sum.profile))) == NULL)
		return -1;
	for (size_t i = 0; i < r->nt; i++)
		if (strcmp(r->t[i].section, "profile") == 0 && r->t[i].kind != RK_PROFILE)
			r->sum.profile[r->sum.nprofile++] = &r->t[i];
	return 0;
}

int
rep_build_summary(struct report *r, const struct tally *ty)
{
	if (profile(r) != 0 || headlines(r, ty) != 0 || changes(r) != 0)
		return -1;
	return 0;
}
