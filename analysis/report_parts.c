/* report_parts: the response profile and the trends of repeated
 * indicators; and report_safe, the last check before export. */
#include <stdio.h>
#include <string.h>
#include "report_int.h"
#include "sdc.h"
#include "stat.h"

const char *const report_channel_titles[CH__MAX + 1] = {
	/* CH_ONLINE */		"Online",
	/* CH_WORKSHOP */	"Workshop poll",
	/* CH_PAPER */		"Paper form",
	/* CH_STALL */		"Outreach stall",
	/* CH_SCHOOL */		"School",
	/* CH_YOUTH */		"Youth service",
	/* CH_FOCUS */		"Focus group",
	/* CH__MAX */		"Unknown",
};

static int
profile_channel(struct report *r, const struct tally *ty)
{
	struct rtable *t = rep_table(r, "channel", "Responses by channel", "profile",
	    RK_PROFILE, CH__MAX + 1);

	if (t == NULL)
		return -1;
	rep_base(t, ty->n, "responses");
	for (size_t i = 0; i <= CH__MAX; i++)
		rep_row(t, i, i < CH__MAX ? channel_names[i] : "unknown", report_channel_titles[i],
		    ty->channel[i]);
	return rep_publish_rows(r, t, 1);
}

/* Tallies number languages and versions in the order first seen, which
 * depends on the (random) response ids: publish them sorted instead. */
static void
order_langs(const struct tally *ty, size_t *ix)
{
	for (size_t i = 0; i < ty->nlangs; i++) {
		size_t j = i;
		for (; j > 0 && strcmp(ty->langs[ix[j - 1]], ty->langs[i]) > 0; j--)
			ix[j] = ix[j - 1];
		ix[j] = i;
	}
}

static void
order_versions(const struct tally *ty, size_t *ix)
{
	for (size_t i = 0; i < ty->nversions; i++) {
		size_t j = i;
		for (; j > 0 && ty->versions[ix[j - 1]] > ty->versions[i]; j--)
			ix[j] = ix[j - 1];
		ix[j] = i;
	}
}

static int
profile_lang(struct report *r, const struct tally *ty)
{
	size_t ix[TALLY_MAX_LANGS];
	struct rtable *t = rep_table(r, "language", "Responses by language", "profile",
	    RK_PROFILE, ty->nlangs + 1);

	if (t == NULL)
		return -1;
	rep_base(t, ty->n, "responses");
	order_langs(ty, ix);
	for (size_t i = 0; i < ty->nlangs; i++) {
		int li = survey_lang_index(ty->s, ty->langs[ix[i]]);
		const char *code = arena_strdup(r->a, ty->langs[ix[i]]);
		rep_row(t, i, code, li >= 0 ? ty->s->langs[li].name : code, ty->lang_n[ix[i]]);
	}
	rep_row(t, ty->nlangs, "other", "Other", ty->lang_n[TALLY_MAX_LANGS]);
	return rep_publish_rows(r, t, 1);
}

static int
profile_day(struct report *r, const struct tally *ty)
{
	struct rtable *t = rep_table(r, "day", "Responses by day", "profile", RK_PROFILE,
	    ty->ndays + 1);

	if (t == NULL)
		return -1;
	rep_base(t, ty->n, "responses");
	for (size_t i = 0; i < ty->ndays; i++) {
		const char *day = arena_strdup(r->a, ty->days[i]);
		rep_row(t, i, day, day, ty->day_n[i]);
	}
	rep_row(t, ty->ndays, "other", "Other days", ty->day_other);
	return rep_publish_rows(r, t, 1);
}

int
rep_build_profile(struct report *r, const struct tally *ty)
{
	if (profile_channel(r, ty) != 0 || profile_lang(r, ty) != 0 || profile_day(r, ty) != 0)
		return -1;
	return 0;
}

static long
version_top2(const struct question *q, const struct tally_q *tq, size_t v)
{
	size_t points = rep_top_points(q), seen = 0;
	long n = 0;

	for (size_t i = q->nopts; i-- > 0 && seen < points;)
		if (!q->opts[i].missing)
			n += tq->ver_opt[v * q->nopts + i], seen++;
	return n;
}

/* The question's own table (built before the trends), or NULL. */
static struct rtable *
question_table(const struct report *r, const char *id)
{
	for (size_t i = 0; i < r->nt; i++)
		if (strcmp(r->t[i].section, "questions") == 0 && strcmp(r->t[i].id, id) == 0)
			return &r->t[i];
	return NULL;
}

static const char *const months[12] = { "January", "February", "March", "April", "May",
	"June", "July", "August", "September", "October", "November", "December" };

/* "March 2025" of "2025-03-14"; NULL unless a day. */
static const char *
month_of(struct report *r, const char *day)
{
	int y, m;

	if (strlen(day) != 10 || sscanf(day, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12)
		return NULL;
	return arena_printf(r->a, "%s %d", months[m - 1], y);
}

/* A wave's name: the survey's own `wave:` label for its current version,
 * with the months of the wave's responses ("Spring 2026 (March to April
 * 2026)"); those months alone for earlier versions, whose labels the
 * current file does not hold.  NULL on OOM. */
static const char *
wave_label(struct report *r, const struct tally *ty, size_t v)
{
	const char *from = month_of(r, ty->ver_first[v]), *to = month_of(r, ty->ver_last[v]);
	const char *own = ty->versions[v] == ty->s->version ? ty->s->wave : NULL, *when;

	if (from == NULL || to == NULL)
		return arena_printf(r->a, "%s%s(undated)", own ? own : "Survey version ",
		    own ? " " : arena_printf(r->a, "%d ", ty->versions[v]));
	if (strcmp(from, to) == 0)
		when = from;
	else if (strcmp(from + strlen(from) - 4, to + strlen(to) - 4) == 0)
		when = arena_printf(r->a, "%.*s to %s", (int)strcspn(from, " "), from, to);
	else
		when = arena_printf(r->a, "%s to %s", from, to);
	if (when == NULL || own == NULL)
		return when;
	return arena_printf(r->a, "%s (%s)", own, when);
}

/* Fills the trend grid, waves by {top two, the rest, the wave's base}, with
 * the column totals in the last row: the totals are the scale's top two, the
 * rest and its base, which its own table publishes. */
static void
trend_grid(const struct tally *ty, const struct question *q, const struct tally_q *tq,
    const size_t *ix, long *g)
{
	size_t nv = ty->nversions;

	memset(g, 0, (nv + 1) * 3 * sizeof(*g));
	for (size_t k = 0; k < nv; k++) {
		long n = version_top2(q, tq, ix[k]), base = tq->ver_answered[ix[k]];
		g[k * 3] = n, g[k * 3 + 1] = base - n, g[k * 3 + 2] = base;
		for (int c = 0; c < 3; c++)
			g[nv * 3 + (size_t)c] += g[k * 3 + (size_t)c];
	}
}

/* One row per wave.  The waves add up to the totals the scale's own table
 * publishes, so the wave counts are suppressed as a two-way table (waves by
 * top two / rest): no hidden wave can be had by subtracting the visible ones
 * from the scale's top two or base. */
static int
trend(struct report *r, const struct tally *ty, const struct question *q, const struct tally_q *tq)
{
	const char *title = q->row > 0 ? arena_printf(r->a, "%s \xe2\x80\x93 %s",	/* a grid's row */
	    rep_text(&q[-q->row].text), rep_text(&q->text)) : rep_text(&q->text);
	struct rtable *t = title == NULL ? NULL : rep_table(r, arena_printf(r->a, "trend-%s",
	    q->indicator), title, "trends", RK_TREND, ty->nversions);
	struct rtable *scale = question_table(r, q->id);
	size_t ix[TALLY_MAX_VERSIONS], nv = ty->nversions;
	long g[(TALLY_MAX_VERSIONS + 1) * 3];
	unsigned char supp[(TALLY_MAX_VERSIONS + 1) * 3];

	if (t == NULL || t->id == NULL)
		return -1;
	t->note = scale != NULL && scale->top2_label != NULL ? arena_printf(r->a,
	    "%% answering %s in each wave of the survey.", scale->top2_label) :
	    "Top of the scale in each wave of the survey.";
	t->base_label = "people who answered, all waves";
	t->total_of = q->id;
	order_versions(ty, ix);
	trend_grid(ty, q, tq, ix, g);
	sdc_twoway(g, nv, 2, r->k, supp);
	t->total_supp = supp[nv * 3];
	if (scale != NULL && supp[nv * 3] && scale->has_top2)
		scale->top2_supp = 1;	/* one wave, or the waves could not hide among themselves */
	for (size_t k = 0; k < nv; k++) {
		struct rrow *w = &t->rows[k];
		w->code = arena_printf(r->a, "%d", ty->versions[ix[k]]);
		if ((w->label = wave_label(r, ty, ix[k])) == NULL)
			return -1;
		w->n = g[k * 3];
		w->base = g[k * 3 + 2];
		w->base_supp = supp[k * 3 + 2];
		/* Exactly the grid's pattern: hiding more could leave a line with one
		 * hidden member.  The rest (base - n) is never printed; the grid
		 * hides n or the base whenever it hides the rest. */
		w->n_supp = supp[k * 3];
		w->pct_supp = w->n_supp || w->base_supp || w->base < REPORT_PCT_MIN_BASE;
		if (!w->pct_supp) {
			w->pct = 100.0 * (double)w->n / (double)w->base;
			stat_wilson(w->n, w->base, STAT_Z95, &w->lo, &w->hi);
			w->lo *= 100.0, w->hi *= 100.0;
		}
	}
	t->answered = g[nv * 3 + 2];
	t->base_supp = supp[nv * 3 + 2] || sdc_small(t->answered, r->k);
	t->indicative = t->answered < REPORT_INDICATIVE;
	return 0;
}

int
rep_build_trends(struct report *r, const struct tally *ty)
{
	for (size_t i = 0; i < ty->s->nqs; i++) {
		const struct question *q = &ty->s->qs[i];
		if (q->indicator != NULL && q->type == Q_SCALE && ty->q[i].ver_opt != NULL &&
		    trend(r, ty, q, &ty->q[i]) != 0)
			return -1;
	}
	return 0;
}

/* 1 when the waves' grid hid their total (one wave with its count hidden
 * has it, as the only other member of its line) and it is hidden where it
 * is published: as the top two of its scale's table. */
static int
total_hidden(const struct report *r, const struct rtable *t)
{
	const struct rtable *s = t->total_of != NULL ? question_table(r, t->total_of) : NULL;

	return t->total_supp && s != NULL && s->has_top2 && s->top2_supp;
}

/* The waves add up to the scale's top two and base: neither line may have
 * exactly one hidden member (a total counts as hidden when small, or when
 * the waves' grid hid it and its scale's table does). */
static int
trend_safe(const struct report *r, const struct rtable *t)
{
	size_t hidden_n = 0, hidden_base = t->base_supp != 0;
	long sum = 0;

	for (size_t i = 0; i < t->nrows; i++) {
		hidden_n += t->rows[i].n_supp != 0;
		hidden_base += t->rows[i].base_supp != 0;
		sum += t->rows[i].n;
	}
	hidden_n += sdc_small(sum, r->k) || total_hidden(r, t);
	return hidden_n != 1 && hidden_base != 1;
}

static int
table_safe(const struct report *r, const struct rtable *t)
{
	int additive = t->kind == RK_CHOICE || t->kind == RK_SCALE || t->kind == RK_PROFILE ||
	    t->kind == RK_RANKING || t->kind == RK_NUMBER;
	size_t hidden = t->base_supp != 0, hidden_first = t->base_supp != 0;

	if (!t->base_supp && sdc_small(t->answered, r->k) && t->kind != RK_TREND)
		return 0;
	if (t->asked > 0 && !t->asked_supp && sdc_asked_hidden(t->asked, t->answered, r->k))
		return 0;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct rrow *w = &t->rows[i];
		if ((!w->n_supp && sdc_small(w->n, r->k)) || (w->n_supp && !w->pct_supp))
			return 0;
		hidden += w->n_supp != 0;
		hidden_first += w->first_supp != 0;
	}
	if (additive && hidden == 1)
		return 0;
	if (t->kind == RK_RANKING && hidden_first == 1)
		return 0;
	if (!report_population_safe(r, t) || !rep_median_safe(r, t))
		return 0;
	return t->kind != RK_TREND || trend_safe(r, t);
}

int
report_safe(const struct report *r)
{
	for (size_t i = 0; i < r->nt; i++)
		if (!table_safe(r, &r->t[i]))
			return 0;
	return 1;
}
