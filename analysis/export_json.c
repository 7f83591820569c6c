/* export_json: report.json for other tools (the "You said, we did" page).
 * A suppressed number is null with "suppressed": true beside it, never the
 * number; percentages carry six significant digits at most. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "export_json_int.h"
#include "sdc.h"

void
jx_put(json_t *o, const char *k, json_t *v, int *fail)
{
	if (v == NULL || json_object_set_new(o, k, v) != 0)
		*fail = 1;
}

json_t *
jx_count(long n, int supp)
{
	return supp ? json_null() : json_integer(n);
}

json_t *
jx_pct(double p, int supp)
{
	return supp ? json_null() : json_real(round(p * 10.0) / 10.0);
}

/* The borough's share beside a profile row (report_add_population); the
 * difference is in points, from the two rounded percentages. */
static void
population_json(json_t *o, const struct rrow *w, int *fail)
{
	double d = (round(w->cmp_pct * 10.0) - round(w->ref_pct * 10.0)) / 10.0;

	jx_put(o, "borough_percent", json_real(round(w->ref_pct * 10.0) / 10.0), fail);
	jx_put(o, "comparable_percent", jx_pct(w->cmp_pct, w->cmp_supp), fail);
	jx_put(o, "difference_points", w->cmp_supp ? json_null() : json_real(d), fail);
	jx_put(o, "borough_source", json_string(w->ref_source), fail);
}

static json_t *
row_json(const struct rtable *t, const struct rrow *w, int *fail)
{
	json_t *o = json_object(), *q;

	if (o == NULL)
		return NULL;
	jx_put(o, "code", json_string(w->code), fail);
	jx_put(o, "label", json_string(w->label), fail);
	jx_put(o, "count", jx_count(w->n, w->n_supp), fail);
	jx_put(o, "suppressed", json_boolean(w->n_supp), fail);
	jx_put(o, "percent", jx_pct(w->pct, w->pct_supp), fail);
	jx_put(o, "ci95_low", jx_pct(w->lo, w->pct_supp), fail);
	jx_put(o, "ci95_high", jx_pct(w->hi, w->pct_supp), fail);
	jx_put(o, "base", jx_count(w->base, w->base_supp), fail);
	if (t->kind == RK_RANKING) {
		jx_put(o, "ranked_first", jx_count(w->first, w->first_supp), fail);
		jx_put(o, "ranked_first_percent", jx_pct(w->first_pct, w->first_pct_supp), fail);
		jx_put(o, "mean_rank", w->mean_supp ? json_null() :
		    json_real(round(w->mean_rank * 100.0) / 100.0), fail);
	}
	if (w->has_ref)
		population_json(o, w, fail);
	if (w->nquotes > 0 && (q = json_array()) != NULL) {
		for (size_t i = 0; i < w->nquotes; i++)
			if (json_array_append_new(q, json_string(w->quotes[i])) != 0)
				*fail = 1;
		jx_put(o, "quotes", q, fail);
	}
	return o;
}

/* A number table's median: null when hidden or when nobody answered
 * ("median_suppressed" tells which), or when only its band is known. */
static void
median_json(json_t *o, const struct rtable *t, int *fail)
{
	int shown = t->has_median && !t->median_supp;

	jx_put(o, "median", shown && t->median_exact ? json_integer(t->median) : json_null(), fail);
	jx_put(o, "median_band", shown ? json_string(t->median_band) : json_null(), fail);
	jx_put(o, "median_n", jx_count(t->answered, t->base_supp), fail);
	jx_put(o, "median_suppressed", json_boolean(t->has_median && t->median_supp), fail);
}

static json_t *
table_json(const struct rtable *t, int *fail)
{
	json_t *o = json_object(), *rows = json_array();

	if (o == NULL || rows == NULL) {
		json_decref(o);
		json_decref(rows);
		return NULL;
	}
	jx_put(o, "id", json_string(t->id), fail);
	jx_put(o, "title", json_string(t->title), fail);
	jx_put(o, "section", json_string(t->section), fail);
	jx_put(o, "kind", json_string(report_kind_names[t->kind]), fail);
	jx_put(o, "base", jx_count(t->answered, t->base_supp), fail);
	if (t->asked > 0)
		jx_put(o, "asked", jx_count(t->asked, t->asked_supp), fail);
	jx_put(o, "indicative", json_boolean(t->indicative), fail);
	if (t->has_top2) {
		int nopct = t->top2_supp || t->answered < REPORT_PCT_MIN_BASE;
		jx_put(o, "top_two_count", jx_count(t->top2, t->top2_supp), fail);
		jx_put(o, "top_two_percent", jx_pct(t->top2_pct, nopct), fail);
		jx_put(o, "top_two_answers", json_string(t->top2_label ? t->top2_label : ""), fail);
	}
	if (t->kind == RK_NUMBER)
		median_json(o, t, fail);
	if (t->has_ref)
		jx_put(o, "comparable_base", jx_count(t->cmp_base, t->cmp_base_supp), fail);
	if (t->base_label != NULL)
		jx_put(o, "base_counts", json_string(t->base_label), fail);
	if (t->note != NULL)
		jx_put(o, "note", json_string(t->note), fail);
	for (size_t i = 0; i < t->nrows; i++)
		if (json_array_append_new(rows, row_json(t, &t->rows[i], fail)) != 0)
			*fail = 1;
	jx_put(o, "rows", rows, fail);
	return o;
}

static json_t *
report_json(const struct report *r, const struct export_opts *o, int *fail)
{
	json_t *root = json_object(), *tables = json_array(), *sv = json_object();

	if (root == NULL || tables == NULL || sv == NULL) {
		json_decref(root);
		json_decref(tables);
		json_decref(sv);
		return NULL;
	}
	jx_put(sv, "id", json_string(r->s->id), fail);
	jx_put(sv, "title", json_string(i18n_get(&r->s->title, 0)), fail);
	jx_put(root, "survey", sv, fail);
	if (o->generated != NULL)
		jx_put(root, "generated", json_string(o->generated), fail);
	jx_put(root, "suppression_threshold", json_integer(r->k), fail);
	if (r->codebook_version > 0)
		jx_put(root, "codebook_version", json_integer(r->codebook_version), fail);
	jx_put(root, "responses", jx_count(r->responses, r->responses_supp), fail);
	jx_put(root, "responses_with_free_text", jx_count(r->texts, sdc_small(r->texts, r->k)), fail);
	if (r->has_corrections)
		jx_put(root, "answers_corrected_by_hand", json_integer(r->corrected), fail);
	jx_put(root, "summary", jx_summary(r, fail), fail);
	for (size_t i = 0; i < r->nt; i++)
		if (json_array_append_new(tables, table_json(&r->t[i], fail)) != 0)
			*fail = 1;
	jx_put(root, "tables", tables, fail);
	return root;
}

int
export_json(const struct report *r, const char *dir, const struct export_opts *o,
    char *err, size_t errlen)
{
	int fail = 0, rc = -1;
	json_t *root = report_json(r, o, &fail);
	char *s = NULL;
	struct buf b = BUF_INIT;

	if (root == NULL || fail ||
	    (s = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6))) == NULL) {
		snprintf(err, errlen, "report.json: out of memory");
		goto out;
	}
	buf_adds(&b, s);
	buf_addc(&b, '\n');
	rc = export_write(dir, "report.json", &b, err, errlen);
out:
	buf_free(&b);
	free(s);
	json_decref(root);
	return rc;
}
