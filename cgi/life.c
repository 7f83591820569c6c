/* life: the lifecycle gate of the survey pages (life.h) and the pages it
 * shows instead: not open yet, closed, answers not stored, preview sent.
 * Invariant: a draft survey answers anyone but signed-in staff with the very
 * page a missing survey gets, so its existence is not revealed. */
#include <string.h>
#include "flow.h"
#include "life.h"
#include "staff.h"
#include "store.h"
#include "view.h"

int
life_view(struct app *app, const struct survey *s, struct lc_view *v)
{
	struct store *st = app_store(app);
	struct store_survey_state ss;

	if (st == NULL || store_survey_state_get(st, s->id, &ss) != STORE_OK)
		return -1;
	lc_decide(&s->sched, &ss.ov, lc_now(), v);
	return 0;
}

/* ui string key with {date} replaced by the date of t. */
static const char *
dated(struct ctx *c, const char *key, int64_t t, int with_time, int end)
{
	const char *s = view_text(c, key, 0, 0, 0), *at = strstr(s, "{date}");
	char date[64];

	if (at == NULL)
		return s;
	lc_format(t, with_time, end, date, sizeof(date));
	return arena_printf(c->a, "%.*s%s%s", (int)(at - s), s, date, at + 6);
}

/* The closing date as respondents read it: a whole day from the file is
 * named as that day, an admin's close or a file time with its time. */
static const char *
closed_on(struct ctx *c, const struct lc_view *v, const char *key)
{
	const struct lc_sched *s = &c->survey->sched;
	int with_time = v->early || s->closes_time;

	return dated(c, key, v->closes, with_time, !with_time);
}

/* The link to the published results, once a results page exists for the
 * survey; NULL until then.  (The results feature fills this in: /r/ID.) */
static const char *
results_url(struct ctx *c)
{
	(void)c;
	return NULL;
}

static void
render(struct ctx *c, int status, const char *title_key, const char *message,
    const char *more_key, int refused)
{
	struct tdict *d;

	if (c->lang == NULL)
		view_set_lang(c, kv_get(&c->req->query, "l"));
	d = view_page(c, view_text(c, title_key, 0, 0, 0));
	tdict_str(d, "message", message);
	if (more_key != NULL)
		tdict_str(d, "more", view_text(c, more_key, 0, 0, 0));
	tdict_bool(d, "refused", refused);
	tdict_str(d, "results_url", results_url(c));
	view_render(c, status, "life", d);
}

static void
not_open(struct ctx *c, const struct lc_view *v, int status)
{
	render(c, status, "life_not_open_title",
	    dated(c, "life_opens_on", v->opens, c->survey->sched.opens_time, 0), NULL, 0);
}

static void
closed(struct ctx *c, const struct lc_view *v)
{
	render(c, 200, "life_closed_title", closed_on(c, v, "life_closed_on"),
	    "life_closed_thanks", 0);
}

static void
refused(struct ctx *c, const struct lc_view *v)
{
	render(c, 410, "life_refused_title", closed_on(c, v, "life_refused"), NULL, 1);
}

/* A draft: staff see a preview, anyone else the missing survey's 404. */
static int
draft(struct ctx *c)
{
	if (staff_current(c) != NULL) {
		c->preview = 1;
		return 0;
	}
	c->survey = NULL;
	page_error(c, 404, "not_found");
	return -1;
}

int
life_gate(struct ctx *c, enum life_use use)
{
	struct lc_view v;

	if (life_view(c->app, c->survey, &v) != 0) {
		page_error(c, 503, "try_again");
		return -1;
	}
	if (v.state == LC_DRAFT)
		return draft(c);
	if (use == LIFE_ANYTIME || v.state == LC_OPEN)
		return 0;
	if (v.state == LC_GRACE && (use != LIFE_START ||
	    kv_get(&c->req->cookies, DRAFT_COOKIE) != NULL))
		return 0;	/* someone half-way through */
	if (use == LIFE_POST && v.state == LC_CLOSED &&
	    flow_nonce_stored(c, kv_get(&c->req->form, "_n")))
		return 0;	/* sent before: its confirmation again, not "not stored" */
	if (v.state == LC_NOT_OPEN)
		not_open(c, &v, use == LIFE_POST ? 409 : 200);
	else if (use == LIFE_POST)
		refused(c, &v);
	else
		closed(c, &v);
	return -1;
}

void
life_refused(struct ctx *c)
{
	struct lc_view v;

	if (life_view(c->app, c->survey, &v) != 0)
		page_error(c, 503, "try_again");
	else
		refused(c, &v);
}

void
life_preview_sent(struct ctx *c)
{
	render(c, 200, "preview_not_stored_title", view_text(c, "preview_not_stored", 0, 0, 0),
	    NULL, 0);
}
