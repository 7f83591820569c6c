/* life_staff: the staff side of the survey lifecycle.  The staff home page
 * lists every survey with its state, dates, version, the exact number of
 * responses so far (staff see totals; no breakdown is shown, so nothing
 * here needs the disclosure rule) and the versions that have responses.
 * /staff/surveys/ID is a survey's own page: this file makes its header and
 * the admin's close and reopen form; other staff features add sections
 * below it.  Form fields of the POST: _nav ("close" or "reopen"), reason. */
#include <string.h>
#include "action.h"
#include "handlers.h"
#include "life.h"
#include "staff.h"
#include "store.h"
#include "view.h"

/* The date of t as the console shows it, or "no date". */
static const char *
when(struct ctx *c, int64_t t, int with_time, int end)
{
	char out[64];

	if (t == 0)
		return view_text(c, "life_no_date", 0, 0, 0);
	lc_format(t, with_time, end, out, sizeof(out));
	return arena_strdup(c->a, out);
}

struct waves {
	struct ctx	*c;
	char		*s;
};

static void
add_wave(void *ctx, int version)
{
	struct waves *w = ctx;

	w->s = w->s == NULL ? arena_printf(w->c->a, "%d", version)
	    : arena_printf(w->c->a, "%s, %d", w->s, version);
}

/* One survey's facts into r; -1 when the database could not be read. */
static int
facts(struct ctx *c, const struct survey *s, struct tdict *r, struct lc_view *v)
{
	struct store *st = app_store(c->app);
	struct waves w = { c, NULL };
	int64_t n = 0;

	if (st == NULL || life_view(c->app, s, 1, v) != 0 ||
	    store_response_count(st, s->id, &n) != STORE_OK ||
	    store_survey_versions(st, s->id, add_wave, &w) != STORE_OK)
		return -1;
	tdict_str(r, "id", s->id);
	tdict_str(r, "title", i18n_get(&s->title, 0));
	tdict_str(r, "state", lc_state_names[v->state]);
	tdict_str(r, "state_text", view_text(c, arena_printf(c->a, "life_state_%s",
	    lc_state_names[v->state]), 0, 0, 0));
	tdict_str(r, "opens", when(c, v->opens, s->sched.opens_time, 0));
	tdict_str(r, "closes", when(c, v->closes, v->early || s->sched.closes_time,
	    !(v->early || s->sched.closes_time)));
	tdict_int(r, "version", s->version);
	tdict_int(r, "responses", (long)n);
	tdict_str(r, "waves", w.s ? w.s : view_text(c, "life_none", 0, 0, 0));
	if (v->state == LC_GRACE)
		tdict_str(r, "until", when(c, v->until, 1, 0));
	tdict_bool(r, "can_close", v->state == LC_OPEN || v->state == LC_NOT_OPEN);
	tdict_bool(r, "can_reopen", v->state == LC_GRACE || v->state == LC_CLOSED);
	return 0;
}

int
life_list(struct ctx *c, struct tdict *d)
{
	struct lc_view v;

	tdict_list(d, "surveys");
	for (size_t i = 0; i < c->app->surveys->n; i++) {
		const struct survey *s = c->app->surveys->v[i];
		if (s->kind == SK_SURVEY && facts(c, s, tdict_add(d, "surveys"), &v) != 0)
			return -1;
	}
	return 0;
}

/* The survey's page; notice and error are ui string keys or NULL. */
static void
render(struct ctx *c, const struct survey *s, int status, const char *notice, const char *error)
{
	struct tdict *d = staff_view_page(c, i18n_get(&s->title, 0));
	struct store_survey_state ss;
	struct lc_view v;

	if (d == NULL || facts(c, s, tdict_child(d, "survey"), &v) != 0 ||
	    store_survey_state_get(app_store(c->app), s->id, &ss) != STORE_OK) {
		page_error(c, 503, "staff_unavailable");
		return;
	}
	if (ss.ov.action != LC_ACT_NONE) {
		struct tdict *o = tdict_child(d, "change");
		tdict_str(o, "what", view_text(c, ss.ov.action == LC_ACT_CLOSE ?
		    "life_closed_early" : "life_reopened", 0, 0, 0));
		tdict_str(o, "when", when(c, ss.ov.at, 1, 0));
		tdict_str(o, "by", arena_strdup(c->a, ss.staff));
		tdict_str(o, "reason", arena_strdup(c->a, ss.reason));
	}
	tdict_bool(d, "draft", v.state == LC_DRAFT);
	tdict_str(d, "close_hint", view_text(c, "life_close_hint", (long)(s->sched.grace / 60),
	    0, 0));
	if (notice != NULL)
		tdict_str(d, "notice", view_text(c, notice, 0, 0, 0));
	if (error != NULL)
		tdict_str(d, "error", view_text(c, error, 0, 0, 0));
	view_render(c, status, "staff_survey", d);
}

void
h_life_survey(struct ctx *c)
{
	const struct survey *s = c->survey;
	const char *done = kv_get(&c->req->query, "done"), *notice = NULL;

	if (done != NULL && strcmp(done, "close") == 0)
		notice = "life_closed_notice";
	else if (done != NULL && strcmp(done, "reopen") == 0)
		notice = "life_reopened_notice";
	render(c, s, 200, notice, NULL);
}

/* Stores the change with its audit row, then back to the page (303). */
static void
change(struct ctx *c, const struct survey *s, enum lc_action act, const char *reason)
{
	struct lc_override ov = { act, lc_now(), s->sched.grace };
	struct store_audit au = { ov.at, c->staff->name, act == LC_ACT_CLOSE ?
		"survey_closed" : "survey_reopened", arena_printf(c->a, "survey %s: %s", s->id,
		reason) };
	struct store *st = app_store(c->app);

	if (au.detail == NULL || st == NULL ||
	    store_survey_state_set(st, s->id, &ov, reason, &au) != STORE_OK) {
		page_error(c, 503, "staff_unavailable");
		return;
	}
	resp_redirect(c->resp, c->a, 303, arena_printf(c->a, "/staff/surveys/%s?done=%s",
	    s->id, lc_action_names[act]));
}

/* 1 when act is what the survey's page offers now: close an open (or not yet
 * open) survey, reopen a closed one.  A second close would move the closing
 * time, and with it the grace, later. */
static int
allowed(struct ctx *c, const struct survey *s, enum lc_action act)
{
	struct lc_view v;

	if (life_view(c->app, s, 1, &v) != 0)
		return 0;
	if (act == LC_ACT_CLOSE)
		return v.state == LC_OPEN || v.state == LC_NOT_OPEN;
	return v.state == LC_GRACE || v.state == LC_CLOSED;
}

/* The reason as typed, trimmed; NULL when empty or too long. */
static const char *
reason_of(struct ctx *c)
{
	const char *r = kv_get(&c->req->form, "reason");
	size_t n;

	if (r == NULL)
		return NULL;
	r += strspn(r, " \t\r\n");
	for (n = strlen(r); n > 0 && strchr(" \t\r\n", r[n - 1]) != NULL; n--)
		;
	return n == 0 || n > STORE_REASON_MAX ? NULL : arena_strndup(c->a, r, n);
}

/* close, reopen (arg: the lifecycle action), with the reason typed. */
static void
act(struct ctx *c, int arg)
{
	const struct survey *s = c->survey;
	const char *reason;

	if (s->sched.draft)
		page_error(c, 409, "life_draft_hint");
	else if (!allowed(c, s, (enum lc_action)arg))
		render(c, s, 409, NULL, "life_state_changed");
	else if ((reason = reason_of(c)) == NULL)
		render(c, s, 422, NULL, "life_reason_missing");
	else
		change(c, s, (enum lc_action)arg, reason);
}

void
h_life_survey_post(struct ctx *c)
{
	static const struct action t[] = {
		{ "close", act, LC_ACT_CLOSE },
		{ "reopen", act, LC_ACT_REOPEN },
	};

	action_run(c, t, sizeof t / sizeof t[0]);
}
