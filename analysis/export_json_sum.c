/* export_json_sum: report.json's "summary", the numbers the report's
 * summary page leads with (report_summary.c), each with its base.  Hidden
 * numbers are null, as in the tables they come from. */
#include "export_json_int.h"

#define TOP_GROUPS	3

/* {"percent": 12.3, "base": 280} with nulls where hidden. */
static json_t *
share(double pct, int pct_supp, long base, int base_supp, int *fail)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	jx_put(o, "percent", jx_pct(pct, pct_supp), fail);
	jx_put(o, "base", jx_count(base, base_supp), fail);
	return o;
}

static json_t *
row_share(const struct rrow *w, int *fail)
{
	json_t *o = share(w->pct, w->pct_supp, w->base, w->base_supp, fail);

	if (o == NULL)
		return NULL;
	jx_put(o, "code", json_string(w->code), fail);
	jx_put(o, "label", json_string(w->label), fail);
	jx_put(o, "count", jx_count(w->n, w->n_supp), fail);
	return o;
}

static json_t *
rows_json(const struct rrow *const *w, size_t n, int *fail)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < n; i++)
		if (json_array_append_new(a, row_share(w[i], fail)) != 0)
			*fail = 1;
	return a;
}

static json_t *
who_json(const struct report *r, int *fail)
{
	json_t *o = json_object(), *prof = json_array();
	const struct rtable *ch = r->sum.channels;
	const struct rrow *top[CH__MAX + 1];
	size_t n = 0;

	if (o == NULL || prof == NULL) {
		json_decref(o);
		json_decref(prof);
		return NULL;
	}
	jx_put(o, "responses", jx_count(r->responses, r->responses_supp), fail);
	for (size_t i = 0; ch != NULL && i < ch->nrows && n <= CH__MAX; i++)
		if (ch->rows[i].n_supp || ch->rows[i].n != 0)
			top[n++] = &ch->rows[i];
	jx_put(o, "channels", rows_json(top, n, fail), fail);
	for (size_t i = 0; i < r->sum.nprofile; i++) {
		const struct rtable *t = r->sum.profile[i];
		json_t *q = json_object();
		if (q == NULL || json_array_append_new(prof, q) != 0) {
			*fail = 1;
			continue;
		}
		jx_put(q, "question", json_string(t->id), fail);
		jx_put(q, "title", json_string(t->title), fail);
		jx_put(q, "base", jx_count(t->answered, t->base_supp), fail);
		n = report_top_rows(t, top, TOP_GROUPS);
		jx_put(q, "largest_groups", rows_json(top, n, fail), fail);
	}
	jx_put(o, "profile", prof, fail);
	return o;
}

static json_t *
area_json(const struct rheadline *h, int *fail)
{
	json_t *o = json_object(), *m;

	if (o == NULL)
		return NULL;
	jx_put(o, "id", json_string(h->area), fail);
	jx_put(o, "title", json_string(h->title), fail);
	if (h->matters != NULL && h->matters->has_top2 &&
	    (m = share(h->matters->top2_pct, h->matters->top2_supp ||
	    h->matters->answered < REPORT_PCT_MIN_BASE, h->matters->answered,
	    h->matters->base_supp, fail)) != NULL) {
		jx_put(m, "question", json_string(h->matters->id), fail);
		jx_put(m, "answers", json_string(h->matters->top2_label), fail);
		jx_put(o, "says_it_matters", m, fail);
	}
	if (h->focus_top != NULL && (m = row_share(h->focus_top, fail)) != NULL) {
		jx_put(m, "question", json_string(h->focus->id), fail);
		jx_put(o, "focus_chosen_most", m, fail);
	}
	if (h->wrote != NULL)
		jx_put(o, "wrote_about_it", row_share(h->wrote, fail), fail);
	if (h->theme_top != NULL)
		jx_put(o, "theme_raised_most", row_share(h->theme_top, fail), fail);
	return o;
}

static json_t *
wave_json(const struct rrow *w, int *fail)
{
	json_t *o = share(w->pct, w->pct_supp, w->base, w->base_supp, fail);

	if (o != NULL)
		jx_put(o, "wave", json_string(w->label), fail);
	return o;
}

static json_t *
change_json(const struct rchange *c, int *fail)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	jx_put(o, "indicator", json_string(c->t->id), fail);
	jx_put(o, "title", json_string(c->t->title), fail);
	jx_put(o, "previous", wave_json(c->prev, fail), fail);
	jx_put(o, "latest", wave_json(c->last, fail), fail);
	jx_put(o, "change_points", jx_pct(c->d, !c->shown), fail);
	jx_put(o, "ci95_low", jx_pct(c->lo, !c->shown), fail);
	jx_put(o, "ci95_high", jx_pct(c->hi, !c->shown), fail);
	jx_put(o, "reading", !c->shown ? json_null() : json_string(!c->clear ?
	    "no clear change" : c->d > 0 ? "up" : "down"), fail);
	return o;
}

json_t *
jx_summary(const struct report *r, int *fail)
{
	json_t *o = json_object(), *areas = json_array(), *ch = json_array();

	if (o == NULL || areas == NULL || ch == NULL) {
		json_decref(o);
		json_decref(areas);
		json_decref(ch);
		return NULL;
	}
	jx_put(o, "who_responded", who_json(r, fail), fail);
	for (size_t i = 0; i < r->sum.nareas; i++)
		if (json_array_append_new(areas, area_json(&r->sum.areas[i], fail)) != 0)
			*fail = 1;
	jx_put(o, "outcome_areas", areas, fail);
	for (size_t i = 0; i < r->sum.nchanges; i++)
		if (json_array_append_new(ch, change_json(&r->sum.changes[i], fail)) != 0)
			*fail = 1;
	jx_put(o, "changes_since_previous_wave", ch, fail);
	jx_put(o, "change_method", json_string("The latest wave's percentage minus the previous "
	    "wave's, in points, with a 95% interval by Newcombe's hybrid score method; \"no "
	    "clear change\" when that interval includes zero."), fail);
	return o;
}
