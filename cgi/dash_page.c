/* dash_page: GET /staff/surveys/ID/dashboard, a survey's live dashboard for
 * admins and analysts.  Every number on it is a cell of the suppressed
 * report (dash.h): responses so far, by day (an SVG chart, and the same
 * numbers as a table), by channel and language, the "about you" questions
 * (ward, age band ...) and every closed question, with percentages.  A
 * hidden count is "[c]" and has no bar.  Safe to show in a meeting. */
#include <string.h>
#include <time.h>
#include "dash.h"
#include "export.h"
#include "handlers.h"
#include "retain.h"
#include "staff.h"
#include "util.h"
#include "view.h"

#define CHART_BAR	10	/* SVG units per day; the chart is 100 high */

/* The dashboard's sections, in page order, and which tables each holds. */
enum part { PART_PEOPLE, PART_QUESTIONS, PART__MAX };
static const char *const part_section[PART__MAX] = {
	[PART_PEOPLE] = "profile",
	[PART_QUESTIONS] = "questions",
};
static const char *const part_list[PART__MAX] = {
	[PART_PEOPLE] = "people",
	[PART_QUESTIONS] = "questions",
};

static const char *
count(struct ctx *c, long n, int supp)
{
	char b[32];

	return arena_strdup(c->a, export_count(n, supp, b));
}

static const char *
pct(struct ctx *c, double p, int supp)
{
	char b[32];

	return arena_strdup(c->a, export_pct(p, supp, b));
}

static void
add_row(struct ctx *c, struct tdict *d, const struct rtable *t, const struct rrow *w)
{
	struct tdict *r = tdict_add(d, "rows");
	char mr[32];

	tdict_str(r, "code", w->code);
	tdict_str(r, "label", w->label);
	tdict_str(r, "n", count(c, w->n, w->n_supp));
	tdict_str(r, "pct", pct(c, w->pct, w->pct_supp));
	if (!w->pct_supp)	/* the bar's length: a whole percent */
		tdict_int(r, "bar", (long)(w->pct + 0.5));
	if (t->kind != RK_RANKING)
		return;
	tdict_str(r, "first", count(c, w->first, w->first_supp));
	tdict_str(r, "first_pct", pct(c, w->first_pct, w->first_pct_supp));
	snprintf(mr, sizeof mr, "%.2f", w->mean_rank);
	tdict_str(r, "mean_rank", w->mean_supp ? (w->n == 0 && !w->n_supp ? "" :
	    EXPORT_SUPPRESSED) : arena_strdup(c->a, mr));
}

/* The lines under a table: its base, how many were asked, its top two or median. */
static void
add_summary(struct ctx *c, struct tdict *d, const struct rtable *t)
{
	char m[64];

	tdict_str(d, "base", count(c, t->answered, t->base_supp));
	if (t->asked > 0)
		tdict_str(d, "asked", count(c, t->asked, t->asked_supp));
	tdict_bool(d, "indicative", t->indicative);
	tdict_str(d, "note", t->note);
	if (t->has_top2) {
		tdict_str(d, "top2_label", t->top2_label);
		tdict_str(d, "top2", count(c, t->top2, t->top2_supp));
		tdict_str(d, "top2_pct", pct(c, t->top2_pct, t->top2_supp ||
		    t->answered < REPORT_PCT_MIN_BASE));
	}
	if (t->kind == RK_NUMBER && t->has_median)
		tdict_str(d, "median", arena_strdup(c->a, export_median(t, m)));
}

struct tdict *
dash_add_table(struct ctx *c, struct tdict *d, const char *list, const struct rtable *t)
{
	struct tdict *x = tdict_add(d, list);

	tdict_str(x, "id", t->id);
	tdict_str(x, "title", t->title);
	tdict_bool(x, "ranking", t->kind == RK_RANKING);
	add_summary(c, x, t);
	tdict_list(x, "rows");
	for (size_t i = 0; i < t->nrows; i++)
		add_row(c, x, t, &t->rows[i]);
	return x;
}

/* The chart of responses by day: one bar per day whose count is shown,
 * scaled to the highest; a hidden day has no bar.  The numbers themselves
 * are the table beside it. */
static void
add_days(struct ctx *c, struct tdict *d, const struct rtable *t)
{
	struct tdict *ch = tdict_child(d, "chart");
	size_t ndays = t->nrows - 1;	/* the last row is "other days" */
	long max = 0;

	for (size_t i = 0; i < ndays; i++)
		if (!t->rows[i].n_supp && t->rows[i].n > max)
			max = t->rows[i].n;
	tdict_int(ch, "width", (long)(ndays > 0 ? ndays : 1) * CHART_BAR);
	tdict_str(ch, "max", count(c, max, 0));
	if (ndays > 0) {
		tdict_str(ch, "first", t->rows[0].label);
		tdict_str(ch, "last", t->rows[ndays - 1].label);
	}
	tdict_list(ch, "bars");
	for (size_t i = 0; i < ndays && max > 0; i++) {
		const struct rrow *w = &t->rows[i];
		long h = w->n_supp ? 0 : (w->n * 100 + max - 1) / max;
		struct tdict *b;
		if (h == 0)
			continue;
		b = tdict_add(ch, "bars");
		tdict_int(b, "x", (long)i * CHART_BAR + 1);
		tdict_int(b, "y", 100 - h);
		tdict_int(b, "h", h);
		tdict_str(b, "label", w->label);
		tdict_str(b, "n", count(c, w->n, 0));
	}
	dash_add_table(c, d, "days", t);
}

static void
add_report(struct ctx *c, struct tdict *d, const struct report *r)
{
	tdict_str(d, "responses", count(c, r->responses, r->responses_supp));
	tdict_str(d, "rule", view_text(c, "dash_rule", r->k - 1, 0, 0));
	for (int p = 0; p < PART__MAX; p++)
		tdict_list(d, part_list[p]);
	for (size_t i = 0; i < r->nt; i++) {
		const struct rtable *t = &r->t[i];
		if (strcmp(t->id, "day") == 0 && t->kind == RK_PROFILE)
			add_days(c, d, t);
		else if (t->kind == RK_PROFILE)
			dash_add_table(c, d, "by", t);
		else
			for (int p = 0; p < PART__MAX; p++)
				if (strcmp(t->section, part_section[p]) == 0)
					dash_add_table(c, d, part_list[p], t);
	}
}

/* How long the survey's responses are kept (retain.h): the keep_until date,
 * or the last day a response of today is kept under keep_days (the
 * configuration's when the file says nothing).  A date, not a count. */
static void
add_retention(struct ctx *c, struct tdict *d, const struct survey *s)
{
	const struct retain *r = &s->keep;
	int days = r->days > 0 ? r->days : c->app->cfg->keep_days;
	char day[11];
	long today = 0;

	if (day_local(time(NULL), day) == 0)
		(void)retain_day(day, &today);
	retain_date(retain_last_day(r, days, today), day);
	tdict_str(d, "keep_text", r->until > 0 ? view_text(c, "dash_keep_until", 0, 0, 0) :
	    view_text(c, "dash_keep_days", days, 0, 0));
	tdict_str(d, "keep_date", arena_strdup(c->a, day));
}

void
h_dash_page(struct ctx *c)
{
	const struct survey *s = c->survey;
	struct report *r = NULL;
	struct tdict *d;
	enum dash_err e;

	if ((e = dash_report(c, s, &r)) != DASH_OK) {
		page_error(c, e == DASH_UNSAFE ? 500 : 503, e == DASH_UNSAFE ? "dash_unsafe" :
		    "staff_unavailable");
		return;
	}
	d = staff_view_page(c, view_text(c, "dash_title", 0, 0, 0));
	tdict_str(d, "survey_title", i18n_get(&s->title, 0));
	tdict_str(d, "sid", s->id);
	add_retention(c, d, s);
	add_report(c, d, r);
	view_render(c, 200, "dashboard", d);
	report_free(r);
}
