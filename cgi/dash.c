/* dash: builds a survey's suppressed report on the server (dash.h). */
#include <stdlib.h>
#include "dash.h"
#include "store.h"
#include "tally.h"

static const char *const dash_errs[DASH__MAX] = {
	[DASH_OK] = "ok",
	[DASH_NOMEM] = "out of memory",
	[DASH_STORE] = "the database could not be read",
	[DASH_UNSAFE] = "a table failed the disclosure check",
};

const char *
dash_strerror(enum dash_err e)
{
	return e >= 0 && e < DASH__MAX ? dash_errs[e] : "unknown error";
}

struct walk {
	struct tally	*t;
	int		 failed;
};

static int
on_response(void *ctx, const struct store_response *r)
{
	struct walk *w = ctx;

	if (tally_add(w->t, r) != 0) {
		w->failed = 1;
		return 1;
	}
	return 0;
}

enum dash_err
dash_report(struct ctx *c, const struct survey *s, struct report **out)
{
	struct store *st = app_store(c->app);
	struct walk w = { NULL, 0 };
	struct report *r = NULL;
	enum dash_err e = DASH_NOMEM;

	*out = NULL;
	if (st == NULL) {
		e = DASH_STORE;
		goto out;
	}
	if ((w.t = tally_new(s, NULL, TALLY_BY_NONE, -1, 0)) == NULL)
		goto out;
	/* No opener: text answers are skipped, unread. */
	if (store_each_response(st, s->id, NULL, on_response, &w) != STORE_OK) {
		e = DASH_STORE;
		goto out;
	}
	if (w.failed || (r = report_build(w.t, c->app->cfg->suppress_below, 0)) == NULL)
		goto out;
	if (!report_safe(r)) {
		e = DASH_UNSAFE;
		goto out;
	}
	*out = r;
	r = NULL;
	e = DASH_OK;
out:
	report_free(r);
	tally_free(w.t);
	return e;
}
