/* life: the lifecycle gate of the survey pages (life.h) and the pages it
 * shows instead: not open yet, closed, answers not stored, preview sent.
 * Invariant: a draft survey answers anyone but signed-in staff with the very
 * page a missing survey gets, so its existence is not revealed. */
#include <string.h>
#include <time.h>
#include "flow.h"
#include "life.h"
#include "staff.h"
#include "store.h"
#include "util.h"
#include "view.h"

/* An admin's close or reopen as this worker last read it.  Reading it costs
 * about 20 us (a read transaction on the database), a good part of a
 * page's whole cost, so respondents' pages use a copy up to LIFE_CACHE_MS
 * old; a close reaches every worker within that, well inside any grace, and
 * the writer's own check reads the database every time.  Workers are single
 * threaded, so the table needs no lock. */
#define LIFE_CACHE_MS	1000
#define LIFE_CACHE_N	64

static struct {
	char			 id[SURVEY_ID_MAX + 1];
	struct lc_override	 ov;
	int64_t			 read_ms;
} cache[LIFE_CACHE_N];
static size_t ncache;

/* The stored change of survey id: from the cache unless fresh or too old. */
static int
override(struct app *app, const char *id, int fresh, struct lc_override *ov)
{
	struct store *st = app_store(app);
	struct store_survey_state ss;
	int64_t now = mono_ms();
	size_t i;

	for (i = 0; i < ncache && strcmp(cache[i].id, id) != 0; i++)
		;
	if (i < ncache && !fresh && now - cache[i].read_ms < LIFE_CACHE_MS) {
		*ov = cache[i].ov;
		return 0;
	}
	if (st == NULL || store_survey_state_get(st, id, &ss) != STORE_OK)
		return -1;
	*ov = ss.ov;
	if (i == ncache && ncache < LIFE_CACHE_N && strlen(id) <= SURVEY_ID_MAX)
		strcpy(cache[ncache++].id, id);
	if (i < ncache) {
		cache[i].ov = ss.ov;
		cache[i].read_ms = now;
	}
	return 0;
}

int
life_view(struct app *app, const struct survey *s, int fresh, struct lc_view *v)
{
	struct lc_override ov;

	if (override(app, s->id, fresh, &ov) != 0)
		return -1;
	lc_decide(&s->sched, &ov, lc_now(), v);
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

/* The link to the survey's published results page (/r/ID), or NULL. */
static const char *
results_url(struct ctx *c)
{
	struct store *st = app_store(c->app);
	struct store_results r;

	if (c->survey == NULL || st == NULL ||
	    store_results_get(st, c->survey->id, NULL, &r) != STORE_OK || !r.published)
		return NULL;
	return arena_printf(c->a, "/r/%s?l=%s", c->survey->id, c->lang ? c->lang : "");
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

/* 1 when the page may run in state st. */
static int
lets_through(struct ctx *c, enum life_use use, enum lc_state st)
{
	if (use == LIFE_ANYTIME || st == LC_OPEN)
		return 1;
	return st == LC_GRACE && (use != LIFE_START ||
	    kv_get(&c->req->cookies, DRAFT_COOKIE) != NULL);	/* someone half-way */
}

int
life_gate(struct ctx *c, enum life_use use)
{
	struct lc_view v;
	int ok;

	if ((ok = life_view(c->app, c->survey, 0, &v)) == 0 && v.state != LC_DRAFT &&
	    !lets_through(c, use, v.state) && use == LIFE_POST)
		ok = life_view(c->app, c->survey, 1, &v);	/* a form is refused on fresh facts */
	if (ok != 0) {
		page_error(c, 503, "try_again");
		return -1;
	}
	if (v.state == LC_DRAFT)
		return draft(c);
	if (lets_through(c, use, v.state))
		return 0;
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

	if (life_view(c->app, c->survey, 1, &v) != 0)
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
