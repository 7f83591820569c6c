/* report: table building.  Every count that leaves the tool passes through
 * rep_publish_rows(), which applies primary and secondary suppression (sdc) and
 * derives percentages only from what stays visible. */
#include <stdlib.h>
#include <string.h>
#include "report_int.h"
#include "sdc.h"
#include "stat.h"
#include "util.h"

const char *const report_kind_names[RK__MAX] = {
	/* RK_PROFILE */	"profile",
	/* RK_CHOICE */		"single",
	/* RK_MULTI */		"multi",
	/* RK_SCALE */		"scale",
	/* RK_RANKING */	"ranking",
	/* RK_THEMES */		"themes",
	/* RK_TREND */		"trend",
	/* RK_NUMBER */		"number",
};

struct rtable *
rep_table(struct report *r, const char *id, const char *title, const char *section,
    enum rkind kind, size_t nrows)
{
	struct rtable *t;

	if (grow(&r->t, &r->capt, r->nt, sizeof(*r->t), 64) != 0)
		return NULL;
	t = &r->t[r->nt];
	memset(t, 0, sizeof(*t));
	if ((t->rows = arena_calloc(r->a, nrows ? nrows : 1, sizeof(*t->rows))) == NULL)
		return NULL;
	t->id = id;
	t->title = title;
	t->section = section;
	t->kind = kind;
	t->nrows = nrows;
	r->nt++;
	return t;
}

void
rep_base(struct rtable *t, long answered, const char *label)
{
	t->answered = answered;
	t->base_label = label;
}

void
rep_row(struct rtable *t, size_t i, const char *code, const char *label, long n)
{
	t->rows[i].code = code;
	t->rows[i].label = label;
	t->rows[i].n = n;
}

static void
set_pct(struct rrow *w, long n, long base, int hidden)
{
	w->pct_supp = hidden || w->base_supp || base < REPORT_PCT_MIN_BASE;
	if (w->pct_supp || base <= 0)
		return;
	w->pct = 100.0 * (double)n / (double)base;
	stat_wilson(n, base, STAT_Z95, &w->lo, &w->hi);
	w->lo *= 100.0;
	w->hi *= 100.0;
}

/* Suppresses and derives percentages for rows whose n and base are set.
 * additive: REP_ROWS_OVERLAP (0), the rows may overlap; REP_ROWS_PARTITION,
 * they partition the base (one answer per response); REP_ROWS_SUM, they add
 * up to a total that is not printed but may be known (a ranking where every
 * answer fills every position sums to rank x base), so they are protected
 * as a line with their sum as its total. */
int
rep_publish_rows(struct report *r, struct rtable *t, int additive)
{
	long *v = calloc(t->nrows + 1, sizeof(*v));
	unsigned char *supp = malloc(t->nrows + 1);
	long total = t->answered;
	int total_supp = 0;

	if (v == NULL || supp == NULL) {
		free(v);
		free(supp);
		return -1;
	}
	if (additive == REP_ROWS_SUM)
		total = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		v[i] = t->rows[i].n;
		total += additive == REP_ROWS_SUM ? v[i] : 0;
	}
	sdc_oneway(v, t->nrows, total, additive != REP_ROWS_OVERLAP, r->k, supp, &total_supp);
	t->base_supp = additive == REP_ROWS_SUM ? sdc_small(t->answered, r->k) : total_supp;
	t->indicative = t->answered < REPORT_INDICATIVE;
	for (size_t i = 0; i < t->nrows; i++) {
		struct rrow *w = &t->rows[i];
		w->n_supp = supp[i];
		if (w->base == 0)
			w->base = t->answered, w->base_supp = t->base_supp;
		set_pct(w, w->n, w->base, w->n_supp);
	}
	free(v);
	free(supp);
	return 0;
}

const char *
rep_text(const struct i18n *t)
{
	return i18n_get(t, 0);
}

size_t
rep_top_points(const struct question *q)
{
	size_t points = 0;

	for (size_t i = 0; i < q->nopts; i++)
		points += !q->opts[i].missing;
	return points >= 4 ? 2 : 1;
}

/* "Fairly safe or Very safe": the answers the top of a scale counts.  NULL
 * on OOM. */
static const char *
top_label(struct report *r, const struct question *q, size_t points)
{
	const char *hi = NULL, *lo = NULL;
	size_t seen = 0;

	for (size_t i = q->nopts; i-- > 0 && seen < points;) {
		if (q->opts[i].missing)
			continue;
		lo = rep_text(&q->opts[i].text);
		hi = hi == NULL ? lo : hi;
		seen++;
	}
	if (hi == NULL)
		return "";
	return seen < 2 ? hi : arena_printf(r->a, "%s or %s", lo, hi);
}

/* Scales: the top points that are not "missing" ("don't know"): two of a
 * scale of four or more, one of a shorter one (rep_top_points). */
static void
top_two(struct report *r, struct rtable *t, const struct question *q)
{
	size_t points = rep_top_points(q), seen = 0;
	long n = 0;
	int hidden = 0;

	for (size_t i = q->nopts; i-- > 0 && seen < points;) {
		if (q->opts[i].missing)
			continue;
		n += t->rows[i].n;
		hidden |= t->rows[i].n_supp;
		seen++;
	}
	t->has_top2 = 1;
	t->top2 = n;
	t->top2_label = top_label(r, q, points);
	/* A visible sum of two cells of which one is hidden would give it away. */
	t->top2_supp = hidden || t->base_supp || sdc_small(n, r->k) || t->top2_label == NULL;
	if (!t->top2_supp && t->answered >= REPORT_PCT_MIN_BASE) {
		t->top2_pct = 100.0 * (double)n / (double)t->answered;
		stat_wilson(n, t->answered, STAT_Z95, &t->top2_lo, &t->top2_hi);
		t->top2_lo *= 100.0;
		t->top2_hi *= 100.0;
	}
}

static int
ranking_extra(struct report *r, struct rtable *t, const struct tally_q *tq)
{
	long *v = malloc(t->nrows * sizeof(*v));
	unsigned char *supp = malloc(t->nrows);
	int total_supp;

	if (v == NULL || supp == NULL) {
		free(v);
		free(supp);
		return -1;
	}
	for (size_t i = 0; i < t->nrows; i++)
		v[i] = tq->first[i];
	/* Each response ranks exactly one option first: the firsts add up. */
	sdc_oneway(v, t->nrows, t->answered, 1, r->k, supp, &total_supp);
	for (size_t i = 0; i < t->nrows; i++) {
		struct rrow *w = &t->rows[i];
		w->first = tq->first[i];
		w->first_supp = supp[i] || total_supp;
		w->first_pct_supp = w->first_supp || t->answered < REPORT_PCT_MIN_BASE;
		if (!w->first_pct_supp)
			w->first_pct = 100.0 * (double)w->first / (double)t->answered;
		/* A mean rank bounds how many ranked the option first (a mean of
		 * 1.00 says all of them): shown only beside a visible first count. */
		w->mean_supp = w->n_supp || w->first_supp || w->n == 0;
		if (!w->mean_supp)
			w->mean_rank = tq->ranksum[i] / (double)w->n;
	}
	free(v);
	free(supp);
	return 0;
}

static enum rkind
kind_of(const struct question *q)
{
	switch (q->type) {
	case Q_MULTI: return RK_MULTI;
	case Q_SCALE: return RK_SCALE;
	case Q_RANKING: return RK_RANKING;
	case Q_NUMBER: return RK_NUMBER;
	default: return RK_CHOICE;
	}
}

/* The question's text, led by its page's title when another question asks
 * the same ("How much does this matter to you?" on each outcome area's
 * page), so that no two tables carry the same title.  NULL on OOM. */
static const char *
question_title(struct report *r, const struct survey *s, const struct question *q)
{
	const char *text = rep_text(&q->text), *page = rep_text(&s->pages[q->page].title);
	int twin = 0;

	if (q->row > 0)	/* a grid's row: "How worried are you about ...? – Knife crime" */
		return arena_printf(r->a, "%s \xe2\x80\x93 %s", rep_text(&q[-q->row].text), text);
	for (size_t i = 0; i < s->nqs && !twin; i++)
		twin = &s->qs[i] != q && strcmp(rep_text(&s->qs[i].text), text) == 0;
	if (!twin || page == NULL || *page == '\0')
		return text;
	return arena_printf(r->a, "%s \xe2\x80\x93 %s", page, text);
}

static int
build_question(struct report *r, const struct tally *ty, size_t qi)
{
	const struct question *q = &ty->s->qs[qi];
	const struct tally_q *tq = &ty->q[qi];
	const char *section = strncmp(ty->s->pages[q->page].id, "about-you", 9) == 0 ||
	    strcmp(q->id, "ward") == 0 ? "profile" : "questions";
	const char *title = question_title(r, ty->s, q);
	struct rtable *t = title == NULL ? NULL : rep_table(r, q->id, title, section, kind_of(q),
	    q->type == Q_NUMBER ? tq->nb->n : q->nopts);

	if (t == NULL)
		return -1;
	t->asked = tq->asked[0];
	t->base_label = "people who answered";
	if (q->type == Q_NUMBER)
		return rep_build_number(r, t, tq);
	t->answered = tq->answered[0];
	for (size_t i = 0; i < q->nopts; i++)
		rep_row(t, i, q->opts[i].code, rep_text(&q->opts[i].text), tq->opt[i * ty->ngroups]);
	if (rep_publish_rows(r, t, t->kind == RK_RANKING ? REP_ROWS_SUM : t->kind == RK_CHOICE ||
	    t->kind == RK_SCALE ? REP_ROWS_PARTITION : REP_ROWS_OVERLAP) != 0)
		return -1;
	t->asked_supp = t->base_supp || sdc_asked_hidden(t->asked, t->answered, r->k);
	if (t->kind == RK_MULTI)
		t->note = "People could choose more than one answer, so the rows add up to more "
		    "than the base.";
	if (t->kind == RK_SCALE)
		top_two(r, t, q);
	if (t->kind == RK_RANKING && ranking_extra(r, t, tq) != 0)
		return -1;
	return 0;
}

static int
build_questions(struct report *r, const struct tally *ty)
{
	for (size_t i = 0; i < ty->s->nqs; i++) {
		const struct question *q = &ty->s->qs[i];
		if ((q->nopts == 0 && q->type != Q_NUMBER) || q->type == Q_INFO)
			continue;
		if (build_question(r, ty, i) != 0)
			return -1;
	}
	return 0;
}

struct report *
report_build(const struct tally *ty, int threshold, size_t nquotes)
{
	struct report *r = calloc(1, sizeof(*r));

	if (r == NULL || (r->a = arena_new(1 << 16)) == NULL)
		goto fail;
	r->s = ty->s;
	r->k = sdc_threshold(threshold, ty->s->suppress_below);
	r->responses = ty->n;
	r->responses_supp = sdc_small(ty->n, r->k);
	r->texts = ty->texts;
	r->codebook_version = ty->cb != NULL ? codebook_version(ty->cb) : 0;
	r->flagged = ty->flagged;
	r->flagged_supp = sdc_small(ty->flagged, r->k);
	if (rep_build_profile(r, ty) != 0 || build_questions(r, ty) != 0 ||
	    rep_build_themes(r, ty, nquotes) != 0 || rep_build_trends(r, ty) != 0 ||
	    rep_build_summary(r, ty) != 0)
		goto fail;
	return r;
fail:
	report_free(r);
	return NULL;
}

void
report_free(struct report *r)
{
	if (r == NULL)
		return;
	arena_free(r->a);
	free(r->t);
	free(r);
}
