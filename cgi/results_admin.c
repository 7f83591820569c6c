/* results_admin: GET and POST /staff/surveys/ID/results, where an admin
 * makes a survey's public results page: pastes the analysts' report.json
 * (checked as results.h says; refused whole, naming the table, when a table
 * fails), previews, publishes or withdraws the page, and writes the "We
 * did" entries.  Every change leaves one audit row (who, which survey,
 * what; never a figure nor the entry's text).  The form is urlencoded like
 * every other: the app takes no multipart bodies, so the file's text is
 * pasted into a text area (worker.c lets this one path carry a larger
 * body, RESULTS_MAX_BODY). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "action.h"
#include "audit.h"
#include "form.h"
#include "handlers.h"
#include "audit.h"
#include "results.h"
#include "staff.h"
#include "store.h"
#include "view.h"

/* Status 200 (or the form error's) with notice or error (ui.yaml keys, or
 * NULL) and the table at fault. */
static void
show(struct ctx *c, int status, const char *notice, const char *error, const char *table)
{
	struct store_results res;
	struct tdict *d;
	enum store_err er = store_results_get(app_store(c->app), c->survey->id, c->a, &res);

	if (er != STORE_OK && er != STORE_NOTFOUND) {
		page_error(c, 503, "staff_unavailable");
		return;
	}
	d = staff_view_page(c, view_text(c, "results_admin_title", 0, 0, 0));
	tdict_str(d, "sid", c->survey->id);
	tdict_str(d, "survey_title", i18n_get(&c->survey->title, 0));
	tdict_bool(d, "published", er == STORE_OK && res.published);
	tdict_bool(d, "closed", results_survey_closed(c, c->survey));
	tdict_str(d, "uploaded", er == STORE_OK && res.uploaded[0] ? arena_strdup(c->a,
	    res.uploaded) : NULL);
	if (notice != NULL)
		tdict_str(d, "notice", view_text(c, notice, 0, 0, 0));
	if (error != NULL)
		tdict_str(d, "error", view_text(c, error, results_k(c, c->survey) - 1, 0, 0));
	tdict_str(d, "table", table);
	for (int i = 0; i < DID__MAX; i++) {
		struct tdict *o = tdict_add(d, "statuses");
		tdict_int(o, "value", i);
		tdict_str(o, "label", view_text(c, i == DID_PLANNED ? "results_status_planned" :
		    i == DID_PROGRESS ? "results_status_progress" : "results_status_done", 0, 0, 0));
	}
	if (results_add_did(c, d, c->survey) != 0) {
		page_error(c, 503, "staff_unavailable");
		return;
	}
	view_render(c, status, "results_admin", d);
}

void
h_results_admin(struct ctx *c)
{
	show(c, 200, NULL, NULL, NULL);
}

/* The audit row for an action on this survey; -1 when it was not written. */
static int
audit(struct ctx *c, const char *action, int64_t id)
{
	return id > 0 ? audit_log(c, action, "survey=%s entry=%lld", c->survey->id, (long long)id) :
	    audit_log(c, action, "survey=%s", c->survey->id);
}

/* After a change: the audit row, then the page with notice. */
static void
done(struct ctx *c, enum store_err er, const char *action, int64_t id, const char *notice)
{
	if (er == STORE_NOTFOUND || er == STORE_INVALID) {
		show(c, 422, NULL, er == STORE_INVALID ? "results_did_invalid" : "results_did_gone",
		    NULL);
		return;
	}
	if (er != STORE_OK || audit(c, action, id) != 0) {
		page_error(c, 503, "staff_unavailable");
		return;
	}
	show(c, 200, notice, NULL, NULL);
}

static void
upload(struct ctx *c, int arg)
{
	const char *text = kv_get(&c->req->form, "report"), *acc, *table;
	enum results_err e;
	char day[11];
	time_t now = time(NULL);
	struct tm tm;

	(void)arg;
	if (text == NULL || *text == '\0') {
		show(c, 422, NULL, "results_bad_json", NULL);
		return;
	}
	e = results_accept(text, strlen(text), c->survey, results_k(c, c->survey), c->a, &acc,
	    &table);
	if (e == RESULTS_NOMEM) {
		page_error(c, 503, "try_again");
		return;
	}
	if (e != RESULTS_OK) {
		show(c, 422, NULL, results_err_key(e), table);
		return;
	}
	gmtime_r(&now, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	done(c, store_results_put(app_store(c->app), c->survey->id, acc, day), "results_upload", 0,
	    "results_uploaded");
}

static void
publish(struct ctx *c, int arg)
{
	(void)arg;
	if (!results_survey_closed(c, c->survey)) {
		show(c, 422, NULL, "results_still_open", NULL);
		return;
	}
	done(c, store_results_publish(app_store(c->app), c->survey->id, 1), "results_publish", 0,
	    "results_published");
}

static void
unpublish(struct ctx *c, int arg)
{
	(void)arg;
	done(c, store_results_publish(app_store(c->app), c->survey->id, 0), "results_unpublish", 0,
	    "results_unpublished");
}

/* The entry id the form names: 0 for none, -1 when malformed. */
static int64_t
entry_id(struct ctx *c)
{
	const char *v = kv_get(&c->req->form, "id");
	char *end;
	long long n;

	if (v == NULL || *v == '\0')
		return 0;
	n = strtoll(v, &end, 10);
	return *end == '\0' && n > 0 ? n : -1;
}

static void
did_save(struct ctx *c, int arg)
{
	const char *st = kv_get(&c->req->form, "status"), *day = kv_get(&c->req->form, "day");
	struct store_did d = { entry_id(c), kv_get(&c->req->form, "title"),
	    kv_get(&c->req->form, "body"), st != NULL && st[0] >= '0' && st[0] <= '2' &&
	    st[1] == '\0' ? st[0] - '0' : -1, "" };
	int64_t id = 0;
	enum store_err er = STORE_INVALID;

	(void)arg;
	if (d.id >= 0 && day != NULL && strlen(day) == 10) {
		memcpy(d.day, day, 11);
		er = store_results_did_put(app_store(c->app), c->survey->id, &d, &id);
	}
	done(c, er, d.id == 0 ? "results_entry_added" : "results_entry_changed", id,
	    "results_did_saved");
}

static void
did_delete(struct ctx *c, int arg)
{
	int64_t id = entry_id(c);

	(void)arg;
	done(c, id > 0 ? store_results_did_del(app_store(c->app), c->survey->id, id) :
	    STORE_NOTFOUND, "results_entry_deleted", id, "results_did_deleted");
}

void
h_results_admin_post(struct ctx *c)
{
	static const struct action t[] = {
		{ "upload", upload, 0 },
		{ "publish", publish, 0 },
		{ "unpublish", unpublish, 0 },
		{ "did_save", did_save, 0 },
		{ "did_delete", did_delete, 0 },
	};

	if (app_store(c->app) == NULL)
		page_error(c, 503, "staff_unavailable");
	else
		action_run(c, t, sizeof t / sizeof t[0]);
}
