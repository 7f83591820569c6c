/* staff_acct_pages: the pages for managing accounts.  /staff/account (any
 * member: own password, own sessions), /staff/user?name=N (admins: one
 * account's role, reset, sign-out, disable) and /staff/reset (anyone holding
 * a reset code).  The router has already checked each route's role and, for
 * a POST, its CSRF token.  Form fields: _nav (one of each page's action
 * table; anything else is a 400), name, role, current, password, again, code. */
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "action.h"
#include "handlers.h"
#include "staff.h"
#include "store.h"
#include "view.h"

/* Status and UI string of each refusal that re-shows a form. */
static const struct {
	int		 status;
	const char	*key;
} refusal[STAFF__MAX] = {
	[STAFF_BAD_LOGIN] = { 422, "staff_pw_current_wrong" },
	[STAFF_LOCKED] = { 429, "staff_pw_locked" },
	[STAFF_BAD_NAME] = { 422, "staff_role_bad" },
	[STAFF_PASSWORD_SHORT] = { 422, "staff_pw_short" },
	[STAFF_PASSWORD_LONG] = { 422, "staff_pw_long" },
	[STAFF_NOTFOUND] = { 422, "staff_no_such_account" },
	[STAFF_LAST_ADMIN] = { 422, "staff_last_admin" },
	[STAFF_PASSWORDS_DIFFER] = { 422, "staff_pw_differ" },
	[STAFF_BAD_CODE] = { 422, "staff_reset_code_bad" },
	[STAFF_UNAVAILABLE] = { 503, "staff_unavailable" },
	[STAFF_NOMEM] = { 503, "staff_unavailable" },
};

static int
status_of(enum staff_err e)
{
	return refusal[e].key != NULL ? refusal[e].status : 503;
}

static const char *
key_of(enum staff_err e)
{
	return refusal[e].key != NULL ? refusal[e].key : "staff_unavailable";
}

/* Local "YYYY-MM-DD", or with hour "YYYY-MM-DD HH:00": never finer. */
static const char *
when(struct arena *a, int64_t t, int hour)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[24];

	if (localtime_r(&tt, &tm) == NULL ||
	    strftime(buf, sizeof buf, hour ? "%Y-%m-%d %H:00" : "%Y-%m-%d", &tm) == 0)
		return "";
	return arena_strdup(a, buf);
}

struct acct_page {
	struct ctx	*c;
	struct tdict	*d;
};

static void
add_session(void *ctx, int64_t created, int64_t last_seen, int here)
{
	struct acct_page *p = ctx;
	struct tdict *r = tdict_add(p->d, "sessions");

	tdict_str(r, "started", when(p->c->a, created, 0));
	tdict_str(r, "seen", when(p->c->a, last_seen, 1));
	tdict_bool(r, "here", here);
}

/* The member's own page; notice and error are UI string keys or NULL. */
static void
render_account(struct ctx *c, int status, const char *notice, long n, const char *error)
{
	struct tdict *d = staff_view_page(c, view_text(c, "staff_account_title", 0, 0, 0));
	struct acct_page p = { c, d };

	tdict_list(d, "sessions");
	if (staff_session_each(c, add_session, &p) != STAFF_OK) {
		page_error(c, 503, "staff_unavailable");
		return;
	}
	if (notice != NULL)
		tdict_str(d, "notice", view_text(c, notice, n, 0, 0));
	if (error != NULL)
		tdict_str(d, "error", view_text(c, error, 0, 0, 0));
	view_render(c, status, "staff_account", d);
}

void
h_staff_account(struct ctx *c)
{
	render_account(c, 200, NULL, 0, NULL);
}

static void
own_password(struct ctx *c, int arg)
{
	int64_t ended = 0;
	enum staff_err e = staff_password_change(c, kv_get(&c->req->form, "current"),
	    kv_get(&c->req->form, "password"), kv_get(&c->req->form, "again"), &ended);

	(void)arg;
	if (e == STAFF_OK)
		render_account(c, 200, "staff_pw_changed", (long)ended, NULL);
	else if (status_of(e) == 503)
		page_error(c, 503, "staff_unavailable");
	else
		render_account(c, status_of(e), NULL, 0, key_of(e));
}

static void
own_signout(struct ctx *c, int arg)
{
	int64_t ended = 0;

	(void)arg;
	if (staff_sign_out_everywhere(c->app, c->staff->name, c->staff->name, &ended) != STAFF_OK) {
		page_error(c, 503, "staff_unavailable");
		return;
	}
	resp_cookie(c->resp, c->a, STAFF_COOKIE, "", 0, c->req->https || c->app->cfg->https);
	resp_redirect(c->resp, c->a, 303, "/staff/login?out=1");
}

void
h_staff_account_post(struct ctx *c)
{
	static const struct action t[] = {
		{ "password", own_password, 0 },
		{ "signout", own_signout, 0 },
	};

	action_run(c, t, sizeof t / sizeof t[0]);
}

/* ---- One account, for admins ---- */

struct user_view {
	struct ctx		*c;
	struct tdict		*d;
	const char		*name;
	int			 found;
};

static int
user_row(void *ctx, const struct store_staff *s)
{
	struct user_view *u = ctx;
	struct tdict *a;
	enum staff_role role = staff_role_from_name(s->role);
	int64_t n = 0;

	if (strcmp(s->name, u->name) != 0)
		return 0;
	a = tdict_child(u->d, "account");
	u->found = 1;
	tdict_str(a, "name", arena_strdup(u->c->a, s->name));
	tdict_str(a, "role", role == ROLE__MAX ? "" : view_text(u->c,
	    arena_printf(u->c->a, "staff_role_%s", staff_role_names[role]), 0, 0, 0));
	tdict_str(a, "created", arena_strdup(u->c->a, s->created_day));
	tdict_bool(a, "disabled", s->disabled);
	if (staff_session_count(u->c->app, s->id, &n) != STAFF_OK)
		u->found = -1;
	tdict_int(a, "sessions", (long)n);
	for (int r = 0; r < ROLE__MAX; r++) {
		struct tdict *o = tdict_add(u->d, "roles");
		tdict_str(o, "value", staff_role_names[r]);
		tdict_str(o, "label", view_text(u->c, arena_printf(u->c->a, "staff_role_%s",
		    staff_role_names[r]), 0, 0, 0));
		tdict_bool(o, "selected", r == (int)role);
	}
	return 1;
}

/* One account's page; code is a reset code to show this once, or NULL. */
static void
render_user(struct ctx *c, int status, const char *name, const char *notice,
    const char *error, const char *code)
{
	struct tdict *d = staff_view_page(c, view_text(c, "staff_user_title", 0, 0, 0));
	struct user_view u = { c, d, name ? name : "", 0 };

	tdict_list(d, "roles");
	if (staff_store(c->app) == NULL ||
	    store_staff_list(staff_store(c->app), user_row, &u) != STORE_OK || u.found < 0) {
		page_error(c, 503, "staff_unavailable");
		return;
	}
	if (!u.found) {
		page_error(c, 404, "staff_no_such_account");
		return;
	}
	if (notice != NULL)
		tdict_str(d, "notice", view_text(c, notice, 0, 0, 0));
	if (error != NULL)
		tdict_str(d, "error", view_text(c, error, 0, 0, 0));
	tdict_str(d, "code", code);
	tdict_str(d, "reset_url", arena_printf(c->a, "%s/staff/reset", c->app->cfg->base_url));
	view_render(c, status, "staff_user", d);
}

void
h_staff_user(struct ctx *c)
{
	render_user(c, 200, kv_get(&c->req->query, "name"), NULL, NULL, NULL);
}

/* Shows the outcome of an admin's action on the account page. */
static void
outcome(struct ctx *c, const char *name, enum staff_err e, const char *notice)
{
	if (e == STAFF_OK)
		render_user(c, 200, name, notice, NULL, NULL);
	else if (e == STAFF_NOTFOUND)
		page_error(c, 404, "staff_no_such_account");
	else if (status_of(e) == 503)
		page_error(c, 503, "staff_unavailable");
	else
		render_user(c, status_of(e), name, NULL, key_of(e), NULL);
}

static void
user_reset(struct ctx *c, int arg)
{
	const char *name = kv_get(&c->req->form, "name");	/* checked by the handler */
	char code[STAFF_RESET_BUF];
	enum staff_err e = staff_reset_issue(c->app, c->staff->name, name, code);

	(void)arg;
	if (e == STAFF_OK)
		render_user(c, 200, name, "staff_reset_notice", NULL, arena_strdup(c->a, code));
	else
		outcome(c, name, e, NULL);
	sodium_memzero(code, sizeof code);
}

static void
user_disable(struct ctx *c, int arg)
{
	const char *name = kv_get(&c->req->form, "name");	/* checked by the handler */
	enum staff_err e = staff_set_disabled(c->app, c->staff->name, name, 1);

	(void)arg;
	if (e == STAFF_OK && strcmp(name, c->staff->name) == 0)
		resp_redirect(c->resp, c->a, 303, "/staff/login?out=1");
	else
		outcome(c, name, e, "staff_disabled_notice");
}

static void
user_enable(struct ctx *c, int arg)
{
	const char *name = kv_get(&c->req->form, "name");	/* checked by the handler */

	(void)arg;
	outcome(c, name, staff_set_disabled(c->app, c->staff->name, name, 0), "staff_enabled_notice");
}

static void
user_role(struct ctx *c, int arg)
{
	const char *name = kv_get(&c->req->form, "name");	/* checked by the handler */
	enum staff_role role = staff_role_from_name(kv_get(&c->req->form, "role"));

	(void)arg;
	if (role == ROLE__MAX)
		outcome(c, name, STAFF_BAD_NAME, NULL);
	else
		outcome(c, name, staff_set_role(c->app, c->staff->name, name, role),
		    "staff_role_notice");
}

static void
user_signout(struct ctx *c, int arg)
{
	const char *name = kv_get(&c->req->form, "name");	/* checked by the handler */
	int64_t ended = 0;

	(void)arg;
	outcome(c, name, staff_sign_out_everywhere(c->app, c->staff->name, name, &ended),
	    "staff_signout_user_notice");
}

void
h_staff_user_post(struct ctx *c)
{
	static const struct action t[] = {
		{ "reset", user_reset, 0 },
		{ "disable", user_disable, 0 },
		{ "enable", user_enable, 0 },
		{ "role", user_role, 0 },
		{ "signout", user_signout, 0 },
	};
	const char *name = kv_get(&c->req->form, "name");

	if (name == NULL || !staff_name_ok(name))
		page_error(c, 404, "staff_no_such_account");
	else
		action_run(c, t, sizeof t / sizeof t[0]);
}

/* ---- Setting a password with a reset code ---- */

static void
render_reset(struct ctx *c, int status, const char *error)
{
	static const struct staff_field code = { "code", "staff_reset_code",
		"staff_reset_code_hint", "one-time-code", "characters" };
	struct tdict *d = view_page(c, view_text(c, "staff_reset_page_title", 0, 0, 0));

	if (error != NULL)
		tdict_str(d, "error", view_text(c, error, 0, 0, 0));
	staff_view_field(c, d, &code, 0);
	view_render(c, status, "staff_reset", d);
}

void
h_staff_reset(struct ctx *c)
{
	render_reset(c, 200, NULL);
}

void
h_staff_reset_post(struct ctx *c)
{
	const char *name = NULL;
	enum staff_err e = staff_reset_redeem(c, kv_get(&c->req->form, "code"),
	    kv_get(&c->req->form, "password"), kv_get(&c->req->form, "again"), &name);

	if (e == STAFF_OK)
		resp_redirect(c->resp, c->a, 303, "/staff/login?reset=1");
	else if (status_of(e) == 503)
		page_error(c, 503, "staff_unavailable");
	else
		render_reset(c, status_of(e), key_of(e));
}
