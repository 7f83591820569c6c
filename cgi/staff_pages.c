/* staff_pages: sign-in, sign-out, the staff home page and account
 * management.  The router has already checked each route's role and, for a
 * POST, its CSRF token.  Form fields: name, password (sign-in); _nav
 * ("create" or "disable"; anything else is a 400), name, role (accounts). */
#include <ctype.h>
#include <string.h>
#include <sodium.h>
#include "action.h"
#include "handlers.h"
#include "life.h"
#include "staff.h"
#include "store.h"
#include "view.h"

/* Status and UI string of each sign-in outcome that re-shows the form. */
static const struct {
	int		 status;
	const char	*key;
} login_msg[STAFF__MAX] = {
	[STAFF_BAD_LOGIN] = { 422, "staff_login_failed" },
	[STAFF_LOCKED] = { 429, "staff_login_locked" },
	[STAFF_BAD_NAME] = { 422, "staff_login_missing" },
	[STAFF_UNAVAILABLE] = { 503, "staff_unavailable" },
	[STAFF_NOMEM] = { 503, "staff_unavailable" },
};

static void
render_login(struct ctx *c, int status, const char *error_key, const char *name)
{
	struct tdict *d = view_page(c, view_text(c, "staff_login_title", 0, 0, 0));

	if (error_key != NULL)
		tdict_str(d, "error", view_text(c, error_key, 0, 0, 0));
	if (kv_get(&c->req->query, "out") != NULL && error_key == NULL)
		tdict_bool(d, "signed_out", 1);
	if (kv_get(&c->req->query, "reset") != NULL && error_key == NULL)
		tdict_bool(d, "reset_done", 1);
	tdict_str(d, "name", name ? name : "");
	view_render(c, status, "staff_login", d);
}

void
h_staff_login(struct ctx *c)
{
	if (staff_current(c) != NULL)
		resp_redirect(c->resp, c->a, 303, "/staff");
	else
		render_login(c, 200, NULL, NULL);
}

/* The name as typed, lower-cased and trimmed of surrounding spaces. */
static char *
typed_name(struct arena *a, const char *s)
{
	size_t n;
	char *out;

	if (s == NULL)
		return NULL;
	s += strspn(s, " \t");
	for (n = strlen(s); n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'); n--)
		;
	if ((out = arena_strndup(a, s, n)) != NULL)
		for (char *p = out; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	return out;
}

void
h_staff_login_post(struct ctx *c)
{
	const char *name = typed_name(c->a, kv_get(&c->req->form, "name"));
	const char *pw = kv_get(&c->req->form, "password");
	enum staff_err e;

	if (name == NULL || pw == NULL || name[0] == '\0' || pw[0] == '\0')
		e = STAFF_BAD_NAME;
	else if ((e = staff_login(c, name, pw)) == STAFF_OK) {
		resp_redirect(c->resp, c->a, 303, "/staff");
		return;
	}
	if (login_msg[e].key == NULL)
		e = STAFF_UNAVAILABLE;
	render_login(c, login_msg[e].status, login_msg[e].key, name);
}

void
h_staff_logout(struct ctx *c)
{
	if (staff_logout(c) != STAFF_OK)
		page_error(c, 503, "staff_unavailable");
	else
		resp_redirect(c->resp, c->a, 303, "/staff/login?out=1");
}

void
h_staff_home(struct ctx *c)
{
	struct tdict *d = staff_view_page(c, view_text(c, "staff_home_title", 0, 0, 0));

	if (life_list(c, d) != 0)
		page_error(c, 503, "staff_unavailable");
	else
		view_render(c, 200, "staff_home", d);
}

struct list_ctx {
	struct ctx	*c;
	struct tdict	*d;
};

static int
add_row(void *ctx, const struct store_staff *s)
{
	struct list_ctx *l = ctx;
	struct tdict *r = tdict_add(l->d, "accounts");
	enum staff_role role = staff_role_from_name(s->role);

	tdict_str(r, "name", arena_strdup(l->c->a, s->name));
	tdict_str(r, "role", role == ROLE__MAX ? "" : view_text(l->c,
	    arena_printf(l->c->a, "staff_role_%s", staff_role_names[role]), 0, 0, 0));
	tdict_str(r, "created", arena_strdup(l->c->a, s->created_day));
	tdict_bool(r, "disabled", s->disabled);
	return 0;
}

/* The accounts page; `notice` and `error` are UI string keys or NULL;
 * `password` is a new account's generated password, shown this once. */
static void
render_users(struct ctx *c, int status, const char *notice, const char *error,
    const char *who, const char *password)
{
	static const struct staff_field name = { "name", "staff_name", "staff_name_hint", "off",
		"none" };
	struct tdict *d = staff_view_page(c, view_text(c, "staff_users_title", 0, 0, 0));
	struct list_ctx l = { c, d };

	tdict_list(d, "accounts");
	if (staff_store(c->app) == NULL ||
	    store_staff_list(staff_store(c->app), add_row, &l) != STORE_OK) {
		page_error(c, 503, "staff_unavailable");
		return;
	}
	for (int r = 0; r < ROLE__MAX; r++) {
		struct tdict *o = tdict_add(d, "roles");
		tdict_str(o, "value", staff_role_names[r]);
		tdict_str(o, "label", view_text(c, arena_printf(c->a, "staff_role_%s",
		    staff_role_names[r]), 0, 0, 0));
	}
	if (notice != NULL)
		tdict_str(d, "notice", view_text(c, notice, 0, 0, 0));
	if (error != NULL)
		tdict_str(d, "error", view_text(c, error, 0, 0, 0));
	staff_view_field(c, d, &name, error != NULL);
	tdict_str(d, "who", who);
	tdict_str(d, "password", password);
	view_render(c, status, "staff_users", d);
}

void
h_staff_users(struct ctx *c)
{
	render_users(c, 200, NULL, NULL, NULL, NULL);
}

/* The account name typed in the form, or NULL (the handler refuses it). */
static const char *
form_name(struct ctx *c)
{
	return typed_name(c->a, kv_get(&c->req->form, "name"));
}

static void
create(struct ctx *c, int arg)
{
	const char *name = form_name(c), *role_name = kv_get(&c->req->form, "role");
	static const char *const key[STAFF__MAX] = {
		[STAFF_BAD_NAME] = "staff_name_bad",
		[STAFF_NAME_TAKEN] = "staff_name_taken",
	};
	enum staff_role role = staff_role_from_name(role_name);
	char pw[STAFF_GENERATED_LEN + 1];
	enum staff_err e;

	(void)arg;
	if (role == ROLE__MAX) {
		render_users(c, 422, NULL, "staff_role_bad", NULL, NULL);
		return;
	}
	staff_password_generate(pw);
	if ((e = staff_add(c->app, c->staff->name, name, role, pw)) == STAFF_OK)
		render_users(c, 200, "staff_created_notice", NULL, name, arena_strdup(c->a, pw));
	else if (key[e] != NULL)
		render_users(c, 422, NULL, key[e], NULL, NULL);
	else
		page_error(c, 503, "staff_unavailable");
	sodium_memzero(pw, sizeof pw);
}

static void
disable(struct ctx *c, int arg)
{
	const char *name = form_name(c);
	enum staff_err e;

	(void)arg;
	if (strcmp(name, c->staff->name) == 0) {
		render_users(c, 422, NULL, "staff_disable_self", NULL, NULL);
		return;
	}
	if ((e = staff_disable(c->app, c->staff->name, name)) == STAFF_OK)
		render_users(c, 200, "staff_disabled_notice", NULL, name, NULL);
	else if (e == STAFF_NOTFOUND)
		render_users(c, 422, NULL, "staff_no_such_account", NULL, NULL);
	else
		page_error(c, 503, "staff_unavailable");
}

void
h_staff_users_post(struct ctx *c)
{
	static const struct action t[] = { { "create", create, 0 }, { "disable", disable, 0 } };

	if (form_name(c) == NULL)
		page_error(c, 400, "bad_request");
	else
		action_run(c, t, sizeof t / sizeof t[0]);
}
