/* results_page: GET /r/ID, a survey's public results page ("You said, we
 * did"), and GET /staff/surveys/ID/results/preview, the same page for an
 * admin before it is published.  The public page is a 404 until an admin
 * publishes it (and while the survey is still open); it has no script, and
 * every count on it is a cell the disclosure rule let through: the closed
 * questions come from the dashboard's report (dash.h), the themes from the
 * checked upload (results.h).  Staff write "We did" entries in one
 * language; the page's own words are in the survey's languages. */
#include <string.h>
#include <jansson.h>
#include "dash.h"
#include "export.h"
#include "handlers.h"
#include "results.h"
#include "staff.h"
#include "store.h"
#include "view.h"

static const char *const status_keys[DID__MAX] = {
	[DID_PLANNED] = "results_status_planned",
	[DID_PROGRESS] = "results_status_progress",
	[DID_DONE] = "results_status_done",
};

static const char *
count_text(struct ctx *c, const json_t *v)
{
	char b[32];

	return arena_strdup(c->a, export_count((long)json_integer_value(v), json_is_null(v), b));
}

/* One themes table of the stored upload as list `list` of d. */
static void
add_themes(struct ctx *c, struct tdict *d, const char *list, const json_t *t)
{
	struct tdict *x = tdict_add(d, list);
	const json_t *r, *q;
	size_t i, j;

	tdict_str(x, "id", arena_strdup(c->a, json_string_value(json_object_get(t, "id"))));
	tdict_str(x, "title", arena_strdup(c->a, json_string_value(json_object_get(t, "title"))));
	tdict_str(x, "base", count_text(c, json_object_get(t, "base")));
	tdict_list(x, "rows");
	json_array_foreach(json_object_get(t, "rows"), i, r) {
		struct tdict *w = tdict_add(x, "rows");
		tdict_str(w, "code", arena_strdup(c->a, json_string_value(json_object_get(r, "code"))));
		tdict_str(w, "label", arena_strdup(c->a, json_string_value(json_object_get(r, "label"))));
		tdict_str(w, "n", count_text(c, json_object_get(r, "count")));
		tdict_bool(w, "has_quotes", json_array_size(json_object_get(r, "quotes")) > 0);
		json_array_foreach(json_object_get(r, "quotes"), j, q)
			tdict_str(tdict_add(w, "quotes"), "text", arena_strdup(c->a, json_string_value(q)));
	}
}

/* The stored themes: "areas" (people who wrote about each) and "themes"
 * (one table per area).  -1 when they cannot be read. */
static int
add_upload(struct ctx *c, struct tdict *d, const char *themes)
{
	json_t *root;
	const json_t *t;
	size_t i;

	tdict_list(d, "areas");
	tdict_list(d, "themes");
	if (*themes == '\0')
		return 0;
	if ((root = json_loads(themes, 0, NULL)) == NULL)
		return -1;
	json_array_foreach(json_object_get(root, "tables"), i, t)
		add_themes(c, d, i == 0 ? "areas" : "themes", t);
	json_decref(root);
	return 0;
}

static int
add_did(void *ctx, const struct store_did *e)
{
	struct ctx *c = ((void **)ctx)[0];
	struct tdict *w = tdict_add(((void **)ctx)[1], "did");

	tdict_int(w, "id", (long)e->id);
	tdict_str(w, "title", arena_strdup(c->a, e->title));
	tdict_str(w, "body", arena_strdup(c->a, e->body));
	view_paras(w, "paras", c->a, e->body);
	tdict_int(w, "status", e->status);
	tdict_str(w, "status_text", view_text(c, status_keys[e->status < DID__MAX ? e->status : 0],
	    0, 0, 0));
	tdict_str(w, "day", arena_strdup(c->a, e->day));
	for (int i = 0; i < DID__MAX; i++) {
		struct tdict *o = tdict_add(w, "opts");
		tdict_int(o, "value", i);
		tdict_str(o, "label", view_text(c, status_keys[i], 0, 0, 0));
		tdict_bool(o, "selected", i == e->status);
	}
	return 0;
}

int
results_add_did(struct ctx *c, struct tdict *d, const struct survey *s)
{
	void *pair[2] = { c, d };

	tdict_list(d, "did");
	return store_results_did_each(app_store(c->app), s->id, add_did, pair) == STORE_OK ? 0 : -1;
}

/* Table t in the page's language: the question's text and its options'
 * labels where the survey has them (the report is in the first language);
 * a copy in the request arena, or t itself when there is nothing to change. */
static const struct rtable *
translated(struct ctx *c, const struct survey *s, const struct rtable *t)
{
	int lang = view_lang(c);
	const struct question *q = NULL;
	struct rtable *x;

	for (size_t i = 0; i < s->nqs && q == NULL && lang > 0; i++)
		if (strcmp(s->qs[i].id, t->id) == 0)
			q = &s->qs[i];
	if (q == NULL || (x = arena_alloc(c->a, sizeof *x)) == NULL)
		return t;
	*x = *t;
	if ((x->rows = arena_calloc(c->a, t->nrows ? t->nrows : 1, sizeof *x->rows)) == NULL)
		return t;
	x->title = i18n_get(&q->text, lang);
	for (size_t i = 0; i < t->nrows; i++) {
		x->rows[i] = t->rows[i];
		for (size_t o = 0; o < q->nopts; o++)
			if (strcmp(q->opts[o].code, t->rows[i].code) == 0)
				x->rows[i].label = i18n_get(&q->opts[o].text, lang);
	}
	return x;
}

/* The closed questions, as the dashboard shows them, from *r (the caller
 * frees it after rendering: d points into it); -1 after an error page. */
static int
add_findings(struct ctx *c, struct tdict *d, const struct survey *s, struct report **rp)
{
	struct report *r;
	enum dash_err e;

	if ((e = dash_report(c, s, rp)) != DASH_OK) {
		page_error(c, e == DASH_UNSAFE ? 500 : 503, e == DASH_UNSAFE ? "dash_unsafe" :
		    "staff_unavailable");
		return -1;
	}
	r = *rp;
	tdict_str(d, "rule", view_text(c, "dash_rule", r->k - 1, 0, 0));
	tdict_list(d, "questions");
	for (size_t i = 0; i < r->nt; i++)
		if (strcmp(r->t[i].section, "questions") == 0)
			dash_add_table(c, d, "questions", translated(c, s, &r->t[i]));
	return 0;
}

/* Renders survey s's results page; preview: for an admin, published or not. */
static void
render(struct ctx *c, const struct survey *s, int preview)
{
	struct store *st = app_store(c->app);
	struct store_results res;
	struct report *r = NULL;
	struct tdict *d;
	enum store_err er;

	if (st == NULL) {
		page_error(c, 503, "try_again");
		return;
	}
	er = store_results_get(st, s->id, c->a, &res);
	if (er != STORE_OK && er != STORE_NOTFOUND) {
		page_error(c, 503, "try_again");
		return;
	}
	if (!preview && (er == STORE_NOTFOUND || !res.published || !results_survey_closed(c, s))) {
		page_error(c, 404, "not_found");
		return;
	}
	if (er == STORE_NOTFOUND)
		res.themes = "";
	c->survey = s;
	if (!preview)
		c->lang_link = arena_printf(c->a, "/r/%s", s->id);
	view_set_lang(c, kv_get(&c->req->query, "l"));
	d = preview ? staff_view_page(c, view_text(c, "results_title", 0, 0, 0)) :
	    view_page(c, view_text(c, "results_title", 0, 0, 0));
	tdict_bool(d, "preview", preview);
	tdict_str(d, "sid", s->id);
	tdict_str(d, "survey_title", i18n_get(&s->title, view_lang(c)));
	if (add_findings(c, d, s, &r) != 0)
		goto out;
	if (add_upload(c, d, res.themes) != 0 || results_add_did(c, d, s) != 0)
		page_error(c, 503, "try_again");
	else
		view_render(c, 200, "results", d);
out:
	report_free(r);
}

void
h_results_page(struct ctx *c)
{
	const struct survey *s = survey_find(c->app->surveys, c->param);

	if (s == NULL || s->kind != SK_SURVEY) {
		page_error(c, 404, "not_found");
		return;
	}
	render(c, s, 0);
}

void
h_results_preview(struct ctx *c)
{
	render(c, c->survey, 1);
}

void
results_link(struct ctx *c, struct tdict *d, const struct survey *s)
{
	struct store *st = app_store(c->app);
	struct store_results r;

	if (st != NULL && results_survey_closed(c, s) &&
	    store_results_get(st, s->id, NULL, &r) == STORE_OK && r.published)
		tdict_str(d, "results_href", arena_printf(c->a, "/r/%s?l=%s", s->id, c->lang));
}
