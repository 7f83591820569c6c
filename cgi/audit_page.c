/* audit_page: the audit log for administrators (GET /staff/audit, the route
 * admits admins only), newest first, 50 a page, filtered by action, staff
 * name and a range of days given as query parameters, each validated here
 * (a malformed one is a 400).  The page walks the whole chain on every view
 * and says whether it is intact or where it first breaks.  Also audit_log,
 * the one way a handler writes an audit row for the signed-in member. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "audit.h"
#include "esc.h"
#include "handlers.h"
#include "staff.h"
#include "view.h"
#include "util.h"

#define PER_PAGE	50
#define PAGE_MAX	100000

int
audit_log(struct ctx *c, const char *action, const char *fmt, ...)
{
	struct store *st = staff_store(c->app);
	struct store_audit au = { (int64_t)time(NULL), c->staff ? c->staff->name : "system", action,
	    NULL };
	char detail[512];
	va_list ap;
	int n = 0;

	if (c->req != NULL && c->req->method == M_HEAD)
		return 0;
	if (fmt != NULL) {
		va_start(ap, fmt);
		n = vsnprintf(detail, sizeof detail, fmt, ap);
		va_end(ap);
		au.detail = detail;
	}
	if (st == NULL || n < 0 || (size_t)n >= sizeof detail || store_staff_audit(st, &au) != STORE_OK) {
		fprintf(stderr, "voices: audit row for %s not written\n", action);
		return -1;
	}
	return 0;
}

/* A filter's value: absent or empty is NULL (any); made of `allowed` and at
 * most max bytes, else *bad is set. */
static const char *
word(struct ctx *c, const char *name, const char *allowed, size_t max, int *bad)
{
	const char *v = kv_get(&c->req->query, name);
	size_t n = v ? strlen(v) : 0;

	if (n == 0)
		return NULL;
	if (n > max || strspn(v, allowed) != n)
		*bad = 1;
	return v;
}

/* "YYYY-MM-DD" naming a real day, or absent. */
static const char *
day(struct ctx *c, const char *name, int *bad)
{
	const char *v = word(c, name, "0123456789-", 10, bad);

	if (v != NULL && !*bad && !day_valid(v))
		*bad = 1;
	return v;
}

struct rows {
	struct ctx	*c;
	struct tdict	*d;
};

static int
add_row(void *ctx, const struct store_audit_row *r)
{
	struct rows *l = ctx;
	struct tdict *t = tdict_add(l->d, "entries");

	tdict_int(t, "id", (long)r->id);
	tdict_str(t, "at", arena_strdup(l->c->a, r->at ? r->at : ""));
	tdict_str(t, "staff", arena_strdup(l->c->a, r->staff ? r->staff : ""));
	tdict_str(t, "action", arena_strdup(l->c->a, r->action ? r->action : ""));
	tdict_str(t, "detail", arena_strdup(l->c->a, r->detail ? r->detail : ""));
	return 0;
}

/* One choice of a filter's list, selected when it is the current value. */
struct choices {
	struct ctx	*c;
	struct tdict	*d;
	const char	*list, *current;
};

static int
add_choice(void *ctx, const char *s)
{
	struct choices *ch = ctx;
	struct tdict *t = tdict_add(ch->d, ch->list);

	tdict_str(t, "value", arena_strdup(ch->c->a, s ? s : ""));
	tdict_bool(t, "selected", s && ch->current && strcmp(s, ch->current) == 0);
	return 0;
}

/* The query string for page p with the current filters (URL-escaped). */
static const char *
page_link(struct ctx *c, const struct store_audit_filter *f, long p)
{
	const char *names[4] = { "action", "staff", "from", "to" };
	const char *vals[4] = { f->action, f->staff, f->from, f->to };
	struct buf b = BUF_INIT;
	const char *out;

	buf_adds(&b, "/staff/audit?");
	for (int i = 0; i < 4; i++)
		if (vals[i] != NULL) {
			buf_printf(&b, "%s=", names[i]);
			esc_url(&b, vals[i], strlen(vals[i]));
			buf_addc(&b, '&');
		}
	buf_printf(&b, "page=%ld", p);
	out = buf_failed(&b) ? NULL : arena_strndup(c->a, b.p, b.len);
	buf_free(&b);
	return out;
}

static void
chain_state(struct ctx *c, struct store *st, struct tdict *d)
{
	struct store_audit_verify v;

	memset(&v, 0, sizeof v);
	if (store_audit_verify(st, &v) != STORE_OK) {
		tdict_str(d, "chain_error", view_text(c, "audit_chain_unreadable", 0, 0, 0));
		return;
	}
	if (v.why == STORE_AUDIT_INTACT) {
		tdict_str(d, "chain_ok", view_text(c, "audit_chain_ok", (long)v.entries, 0, 0));
		return;
	}
	tdict_str(d, "chain_error", view_text(c, "audit_chain_broken", (long)v.bad_id, 0, 0));
	tdict_str(d, "chain_why", store_audit_break_name(v.why));
}

static int
filters(struct ctx *c, struct store_audit_filter *f, long *page)
{
	const char *p;
	int bad = 0;
	char *end;

	f->action = word(c, "action", "abcdefghijklmnopqrstuvwxyz0123456789_", 64, &bad);
	f->staff = word(c, "staff", "abcdefghijklmnopqrstuvwxyz0123456789._-", 72, &bad);
	f->from = day(c, "from", &bad);
	f->to = day(c, "to", &bad);
	*page = 1;
	if ((p = kv_get(&c->req->query, "page")) != NULL && p[0] != '\0') {
		*page = strtol(p, &end, 10);
		if (*end != '\0' || strspn(p, "0123456789") != strlen(p) || *page < 1 ||
		    *page > PAGE_MAX)
			bad = 1;
	}
	return bad ? -1 : 0;
}

static void
filter_lists(struct ctx *c, struct store *st, struct tdict *d, const struct store_audit_filter *f)
{
	struct choices a = { c, d, "actions", f->action }, s = { c, d, "staff_names", f->staff };

	tdict_list(d, "actions");
	tdict_list(d, "staff_names");
	if (store_audit_distinct(st, 0, add_choice, &a) != STORE_OK ||
	    store_audit_distinct(st, 1, add_choice, &s) != STORE_OK)
		tdict_str(d, "chain_error", view_text(c, "audit_chain_unreadable", 0, 0, 0));
}

void
h_audit_page(struct ctx *c)
{
	struct store_audit_filter f;
	struct store *st = staff_store(c->app);
	struct tdict *d;
	struct rows l;
	int64_t total = 0;
	long page;

	memset(&f, 0, sizeof f);
	if (filters(c, &f, &page) != 0) {
		page_error(c, 400, "audit_filter_bad");
		return;
	}
	if (st == NULL) {
		page_error(c, 503, "staff_unavailable");
		return;
	}
	d = staff_view_page(c, view_text(c, "audit_title", 0, 0, 0));
	l = (struct rows){ c, d };
	tdict_list(d, "entries");
	if (store_audit_list(st, &f, (int64_t)(page - 1) * PER_PAGE, PER_PAGE, add_row, &l,
	    &total) != STORE_OK) {
		page_error(c, 503, "staff_unavailable");
		return;
	}
	chain_state(c, st, d);
	filter_lists(c, st, d, &f);
	tdict_str(d, "from", f.from);
	tdict_str(d, "to", f.to);
	tdict_str(d, "shown", view_text(c, "audit_shown", (long)total, 0, 0));
	if (page > 1)
		tdict_str(d, "newer", page_link(c, &f, page - 1));
	if ((int64_t)page * PER_PAGE < total)
		tdict_str(d, "older", page_link(c, &f, page + 1));
	view_render(c, 200, "audit", d);
}
