/* poll_staff: the list of sessions (a facilitator's own; an analyst's: the
 * ended ones; an admin's: all), starting one (from a poll set, or a quick
 * question typed in the browser) and the console page.
 * Form fields of POST /staff/polls: _nav = "start" with set (a poll set id),
 * or _nav = "quick" with text, type and options (one a line). */
#include <string.h>
#include "action.h"
#include "audit.h"
#include "handlers.h"
#include "poll.h"
#include "poll_staff.h"
#include "staff.h"
#include "view.h"

#define QUICK_TEXT_MAX		280
#define QUICK_OPTIONS_MAX	2000

struct listing {
	struct ctx	*c;
	struct tdict	*d;
};

static int
list_row(void *ctx, const struct store_poll *p)
{
	struct listing *l = ctx;
	const struct survey *s = p->poll_set[0] ? survey_find(l->c->app->surveys, p->poll_set)
	    : NULL;
	struct tdict *r;

	if (l->c->staff->role == ROLE_ANALYST && p->state.open)
		return 0;	/* analysts read ended sessions' exports, nothing live */
	r = tdict_add(l->d, "sessions");

	tdict_int(r, "id", (long)p->id);
	tdict_str(r, "code", arena_strdup(l->c->a, p->code));
	tdict_str(r, "day", arena_strdup(l->c->a, p->day));
	tdict_str(r, "title", s ? i18n_get(&s->title, 0) : view_text(l->c, "poll_quick", 0, 0, 0));
	tdict_bool(r, "open", p->state.open);
	return 0;
}

void
h_poll_list(struct ctx *c)
{
	struct tdict *d = staff_view_page(c, view_text(c, "poll_list_title", 0, 0, 0));
	struct listing l = { c, d };
	struct store *st = poll_store(c->app);
	int runs = c->staff->role != ROLE_ANALYST;

	tdict_list(d, "sessions");
	if (st == NULL || store_poll_list(st, c->staff->role == ROLE_FACILITATOR ? c->staff->id : 0,
	    list_row, &l) != STORE_OK) {
		page_error(c, 503, "try_again");
		return;
	}
	tdict_bool(d, "runs", runs);
	for (size_t i = 0; runs && i < c->app->surveys->n; i++) {
		const struct survey *s = c->app->surveys->v[i];
		struct tdict *sd;
		if (s->kind != SK_POLL)
			continue;
		sd = tdict_add(d, "sets");
		tdict_str(sd, "id", s->id);
		tdict_str(sd, "title", i18n_get(&s->title, 0));
		tdict_int(sd, "nq", (long)s->nqs);
		tdict_bool(sd, "first", tdict_failed(d) ? 0 : i == 0);
	}
	if (kv_get(&c->req->query, "bad") != NULL)
		tdict_str(d, "error", view_text(c, "poll_quick_bad", 0, 0, 0));
	view_render(c, kv_get(&c->req->query, "bad") ? 422 : 200, "poll_list", d);
}

/* The lines of text with something on them besides spaces. */
static size_t
answer_lines(const char *p)
{
	size_t n = 0, len;

	for (; p != NULL && *p != '\0'; p += len + (p[len] == '\n')) {
		len = strcspn(p, "\n");
		n += strspn(p, " \r") < len;
	}
	return n;
}

/* Fills p from the quick-question fields; -1 when they do not make one. */
static int
quick_from_form(struct ctx *c, struct store_poll *p)
{
	const struct kvlist *f = &c->req->form;
	const char *text = kv_get(f, "text"), *type = kv_get(f, "type"), *opts = kv_get(f,
	    "options");
	struct store_poll probe = { .quick_type = type, .quick_options = opts };
	const struct survey *s;

	if (text == NULL || (text += strspn(text, " \n")) == NULL || *text == '\0' ||
	    strlen(text) > QUICK_TEXT_MAX || !poll_quick_type_ok(type) ||
	    (opts && strlen(opts) > QUICK_OPTIONS_MAX))
		return -1;
	probe.quick_text = text;
	if ((s = poll_quick_survey(c, &probe)) == NULL)
		return -1;
	if ((s->qs[0].type == Q_SINGLE || s->qs[0].type == Q_MULTI || s->qs[0].type == Q_SCALE ||
	    s->qs[0].type == Q_RANKING) && (s->qs[0].nopts < 2 || answer_lines(opts) >
	    QUICK_MAX_OPTIONS))
		return -1;	/* (answers past the last taken would be dropped unseen) */
	p->quick_type = type;
	p->quick_text = text;
	p->quick_options = opts ? opts : "";
	p->state.nq = 1;
	snprintf(p->def_hash, sizeof(p->def_hash), "quick");
	p->version = 1;
	return 0;
}

static int
set_from_form(struct ctx *c, struct store_poll *p)
{
	const struct survey *s = survey_find(c->app->surveys, kv_get(&c->req->form, "set"));

	if (s == NULL || s->kind != SK_POLL || s->nqs == 0)
		return -1;
	snprintf(p->poll_set, sizeof(p->poll_set), "%s", s->id);
	snprintf(p->def_hash, sizeof(p->def_hash), "%s", s->hash);
	p->version = s->version;
	p->state.nq = s->nqs < POLL_MAX_QUESTIONS ? (int)s->nqs : POLL_MAX_QUESTIONS;
	return 0;
}

/* start (a poll set) or quick (arg 1): a new session, then its console. */
static void
start(struct ctx *c, int quick)
{
	struct store_poll p;
	struct store *st = poll_store(c->app);

	memset(&p, 0, sizeof(p));
	p.staff = c->staff->id;
	if ((quick ? quick_from_form(c, &p) : set_from_form(c, &p)) != 0) {
		resp_redirect(c->resp, c->a, 303, "/staff/polls?bad=1");
		return;
	}
	if (st == NULL || store_poll_create(st, &p) != STORE_OK) {
		page_error(c, 503, "try_again");
		return;
	}
	(void)audit_log(c, "poll_start", "session=%lld set=%s", (long long)p.id,
	    p.poll_set[0] ? p.poll_set : "quick");
	resp_redirect(c->resp, c->a, 303, arena_printf(c->a, "/staff/polls/%lld",
	    (long long)p.id));
}

void
h_poll_start(struct ctx *c)
{
	static const struct action t[] = { { "start", start, 0 }, { "quick", start, 1 } };

	action_run(c, t, sizeof t / sizeof t[0]);
}

void
h_poll_console(struct ctx *c)
{
	const struct psess *ps = c->poll;
	struct tdict *d;

	if (kv_get(&c->req->query, "frag") != NULL) {
		d = staff_view_page(c, "");
		poll_staff_live(c, ps, d, 1);
		view_render(c, 200, "poll_live", d);
		return;
	}
	d = staff_view_page(c, view_text(c, "poll_console_title", 0, 0, 0));
	tdict_str(d, "survey_id", "");
	poll_staff_head(c, ps, d);
	tdict_bool(d, "runs", 1);
	tdict_str(d, "script", "/static/present.js");
	for (int q = 0; q < ps->p.state.nq; q++) {
		struct tdict *qd = tdict_add(d, "questions");
		tdict_int(qd, "n", q + 1);
		tdict_str(qd, "text", i18n_get(&ps->s->qs[q].text, 0));
		tdict_bool(qd, "current", q == ps->p.state.current);
	}
	if (kv_get(&c->req->query, "unsaved") != NULL)
		tdict_str(d, "error", view_text(c, "poll_unsaved", 0, 0, 0));
	poll_staff_live(c, ps, tdict_child(d, "live"), 1);
	view_render(c, 200, "poll_console", d);
}
