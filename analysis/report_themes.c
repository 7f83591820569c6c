/* report_themes: the free-text tables, in this order: answers per outcome
 * area ("themes-areas"); one table per area of its themes; "themes-other",
 * the topics of the answers in none of the areas; one table per other
 * frame; "themes-uncoded", the answers no rule matched, by question.  Quotes come only from visible themes that at least
 * REPORT_QUOTE_MIN_N responses share, and each quote appears under one theme
 * only: the first, in that order, that it was coded to and that has room. */
#include <stdlib.h>
#include <string.h>
#include "report_int.h"
#include "sdc.h"
#include "stat.h"
#include "util.h"

/* The keys (text hashes) of the quotes already placed under a theme. */
struct used {
	uint64_t	*k;
	size_t		 n, cap;
};

/* Which themes a table lists, and which of their counts and quotes. */
struct sel {
	size_t		 frame;
	long		 code;		/* a code of the frame, or -1 for all */
	int		 other;		/* 1: every theme, counted over the answers
					 * in no outcome area (frame, code ignored) */
};

static int
sel_has(const struct tally *ty, size_t i, const struct sel *s)
{
	const struct codebook_theme *th = codebook_theme(ty->cb, i);

	if (s->other)
		return ty->themes[i].n_other > 0;
	return th->frame == s->frame && (s->code < 0 || th->code == (size_t)s->code);
}

static int
used_has(const struct used *u, uint64_t k)
{
	for (size_t i = 0; i < u->n; i++)
		if (u->k[i] == k)
			return 1;
	return 0;
}

static int
used_add(struct used *u, uint64_t k)
{
	if (grow(&u->k, &u->cap, u->n, sizeof(*u->k), 64) != 0)
		return -1;
	u->k[u->n++] = k;
	return 0;
}

const char *
report_number_word(size_t n, char *buf, size_t len)
{
	static const char *const words[] = { "no", "one", "two", "three", "four", "five",
		"six", "seven", "eight", "nine", "ten", "eleven", "twelve" };

	if (n < sizeof(words) / sizeof(words[0]))
		return words[n];
	snprintf(buf, len, "%zu", n);
	return buf;
}

/* "six": the number of the codebook's outcome areas in words. */
static const char *
nareas_word(struct report *r, const struct tally *ty)
{
	char	 n[32];

	return arena_printf(r->a, "%s", report_number_word(codebook_nareas(ty->cb), n,
	    sizeof(n)));
}

static int
themes_areas(struct report *r, const struct tally *ty)
{
	size_t na = codebook_nareas(ty->cb);
	struct rtable *t = rep_table(r, "themes-areas", "Free text by outcome area", "themes",
	    RK_THEMES, na + 1);

	if (t == NULL)
		return -1;
	rep_base(t, ty->texts, "people who wrote something");
	for (size_t i = 0; i < na; i++)
		rep_row(t, i, codebook_area(ty->cb, i), codebook_area_title(ty->cb, i),
		    ty->area_n[i]);
	rep_row(t, na, "other", arena_printf(r->a, "None of the %s areas (other topics)",
	    nareas_word(r, ty)), ty->area_n[CODEBOOK_MAX_AREAS]);
	if (t->rows[na].label == NULL)
		return -1;
	t->note = "An answer can belong to several areas, so the rows do not add up.";
	return rep_publish_rows(r, t, 0);
}

/* Up to nquotes quotes from pool p, in key order, that no earlier theme
 * shows.  0, or -1 on OOM. */
static int
add_quotes(struct report *r, struct rrow *w, const struct tally_pool *p, size_t nquotes,
    struct used *u)
{
	if (w->n_supp || w->n < REPORT_QUOTE_MIN_N || p->n == 0 || nquotes == 0)
		return 0;
	if ((w->quotes = arena_calloc(r->a, nquotes, sizeof(*w->quotes))) == NULL)
		return -1;
	for (size_t i = 0; i < p->n && w->nquotes < nquotes; i++) {
		if (used_has(u, p->q[i].key))
			continue;
		if ((w->quotes[w->nquotes] = arena_strdup(r->a, p->q[i].text)) == NULL ||
		    used_add(u, p->q[i].key) != 0)
			return -1;
		w->nquotes++;
	}
	return 0;
}

/* A theme's count among the other answers sits beside its count among all
 * answers in its own frame's table: their difference (the people who raised
 * the theme together with an outcome area) is hidden by hiding the row. */
static void
hide_differences(struct report *r, struct rtable *t, const struct tally *ty)
{
	for (size_t i = 0, j = 0; i < codebook_nthemes(ty->cb); i++) {
		const struct tally_theme *th = &ty->themes[i];
		if (th->n_other == 0)
			continue;
		if (sdc_small(th->n - th->n_other, r->k))
			t->rows[j].n_supp = t->rows[j].pct_supp = 1;
		j++;
	}
}

/* A frame of answers to one ask (the knife-crime interventions, the
 * hate-crime approaches) is counted over the people whose free text was
 * coded to it, not over everyone who wrote anything.  Everyone else who
 * wrote is then an unpublished count beside that base: when it is small,
 * the table keeps the wider base instead, as sdc_asked_hidden would. */
static void
set_base(struct report *r, struct rtable *t, const struct tally *ty, const struct sel *s)
{
	const char *fid = s->other ? "" : codebook_frame(ty->cb, s->frame)->id;
	long n;

	rep_base(t, ty->texts, "people who wrote something");
	if (s->other || s->frame >= 64 || strcmp(fid, "outcomes") == 0 ||
	    strcmp(fid, "topics") == 0)
		return;
	n = ty->frame_n[s->frame];
	if (sdc_asked_hidden(ty->texts, n, r->k))
		return;
	rep_base(t, n, "people whose free text was coded to at least one of these");
}

static int
themes_table(struct report *r, const struct tally *ty, const char *id, const char *title,
    const struct sel *s, size_t nquotes, struct used *u)
{
	size_t n = 0, k = 0;
	struct rtable *t;

	for (size_t i = 0; i < codebook_nthemes(ty->cb); i++)
		n += sel_has(ty, i, s);
	if (id == NULL || (t = rep_table(r, id, title, "themes", RK_THEMES, n)) == NULL)
		return -1;
	set_base(r, t, ty, s);
	for (size_t i = 0; i < codebook_nthemes(ty->cb); i++) {
		if (!sel_has(ty, i, s))
			continue;
		rep_row(t, k++, codebook_theme(ty->cb, i)->id, codebook_theme(ty->cb, i)->label,
		    s->other ? ty->themes[i].n_other : ty->themes[i].n);
	}
	if (rep_publish_rows(r, t, 0) != 0)
		return -1;
	if (s->other) {
		hide_differences(r, t, ty);
		t->note = arena_printf(r->a, "Topics raised in the answers that belong to none "
		    "of the %s outcome areas. An answer can raise several topics, so the rows "
		    "do not add up.", nareas_word(r, ty));
		if (t->note == NULL)
			return -1;
	}
	for (size_t i = 0, j = 0; i < codebook_nthemes(ty->cb); i++)
		if (sel_has(ty, i, s) && add_quotes(r, &t->rows[j++], s->other ?
		    &ty->themes[i].other : &ty->themes[i].quotes, nquotes, u) != 0)
			return -1;
	return 0;
}

/* One table per frame code group: the outcome areas one by one and then the
 * other topics, other frames whole. */
static int
themes_frame(struct report *r, const struct tally *ty, size_t f, size_t nquotes, struct used *u)
{
	const struct codebook_frame *fr = codebook_frame(ty->cb, f);
	struct sel s = { f, -1, 0 };

	if (strcmp(fr->id, "outcomes") != 0)
		return themes_table(r, ty, arena_printf(r->a, "themes-%s", fr->id), fr->title, &s,
		    nquotes, u);
	for (size_t c = 0; c < fr->ncodes; c++) {
		s.code = (long)c;
		if (themes_table(r, ty, arena_printf(r->a, "themes-%s", fr->codes[c]),
		    fr->titles[c], &s, nquotes, u) != 0)
			return -1;
	}
	s.other = 1;
	return themes_table(r, ty, "themes-other", arena_printf(r->a, "Other topics (none of "
	    "the %s areas)", nareas_word(r, ty)), &s, nquotes, u);
}

static void
uncoded_pct(struct rrow *w)
{
	w->pct_supp = w->n_supp || w->base_supp || w->base < REPORT_PCT_MIN_BASE;
	if (w->pct_supp)
		return;
	w->pct = 100.0 * (double)w->n / (double)w->base;
	stat_wilson(w->n, w->base, STAT_Z95, &w->lo, &w->hi);
	w->lo *= 100.0;
	w->hi *= 100.0;
}

/* Rows [0, nq) are the questions, row nq all of them: the questions add up
 * to it both in answers left uncoded and in answers (the bases), so each is
 * protected as a line with that row as its total.  -1 on OOM. */
static int
uncoded_publish(struct report *r, struct rtable *t, size_t nq)
{
	long *v = calloc(nq + 1, sizeof(*v)), *b = calloc(nq + 1, sizeof(*b));
	unsigned char *vs = malloc(nq + 1), *bs = malloc(nq + 1);
	int vt = 1, bt = 1, rc = -1;

	if (v != NULL && b != NULL && vs != NULL && bs != NULL) {
		for (size_t i = 0; i < nq; i++)
			v[i] = t->rows[i].n, b[i] = t->rows[i].base;
		sdc_oneway(v, nq, t->rows[nq].n, 1, r->k, vs, &vt);
		sdc_oneway(b, nq, t->rows[nq].base, 1, r->k, bs, &bt);
		vs[nq] = (unsigned char)vt, bs[nq] = (unsigned char)bt;
		for (size_t i = 0; i <= nq; i++) {
			t->rows[i].n_supp = vs[i];
			t->rows[i].base_supp = bs[i];
			uncoded_pct(&t->rows[i]);
		}
		t->base_supp = bt;
		t->indicative = t->answered < REPORT_INDICATIVE;
		rc = 0;
	}
	free(v);
	free(b);
	free(vs);
	free(bs);
	return rc;
}

static const char *
uncoded_note(struct report *r, const struct rrow *all)
{
	char n[32];

	snprintf(n, sizeof(n), "%ld", all->n);
	return arena_printf(r->a, "%s answers matched no theme of the codebook and were not "
	    "corrected by hand; the coding sheet lists them first for checking.%s",
	    all->n_supp ? "[c]" : n, !r->has_corrections ? "" : arena_printf(r->a,
	    " %ld answers were corrected by hand.", r->corrected));
}

/* The free-text answers that no rule matched and nobody corrected, by
 * question, each over that question's free-text answers.  0, or -1 on OOM. */
static int
themes_uncoded(struct report *r, const struct tally *ty)
{
	size_t nq = 0, k = 0;
	struct rtable *t;

	for (size_t i = 0; i < ty->s->nqs; i++)
		nq += ty->q[i].texts > 0;
	if ((t = rep_table(r, "themes-uncoded", "Free-text answers that matched no theme",
	    "themes", RK_THEMES, nq + 1)) == NULL)
		return -1;
	for (size_t i = 0; i < ty->s->nqs; i++) {
		if (ty->q[i].texts == 0)
			continue;
		rep_row(t, k, ty->s->qs[i].id, rep_text(&ty->s->qs[i].text), ty->q[i].uncoded);
		t->rows[k++].base = ty->q[i].texts;
		t->rows[nq].n += ty->q[i].uncoded;
		t->rows[nq].base += ty->q[i].texts;
	}
	t->rows[nq].code = "all";
	t->rows[nq].label = "All free-text answers";
	rep_base(t, t->rows[nq].base, "free-text answers");
	if (uncoded_publish(r, t, nq) != 0)
		return -1;
	return (t->note = uncoded_note(r, &t->rows[nq])) == NULL ? -1 : 0;
}

int
rep_build_themes(struct report *r, const struct tally *ty, size_t nquotes)
{
	struct used u = { NULL, 0, 0 };
	int rc = 0;

	if (ty->cb == NULL)
		return 0;
	if (themes_areas(r, ty) != 0)
		return -1;
	for (size_t f = 0; f < codebook_nframes(ty->cb) && rc == 0; f++)
		rc = themes_frame(r, ty, f, nquotes, &u);
	free(u.k);
	r->has_corrections = ty->corr != NULL;
	r->corrected = ty->corrected;
	return rc == 0 ? themes_uncoded(r, ty) : rc;
}
