/* dash: builds a survey's suppressed report on the server (dash.h), from
 * its kept counts (store.h, store_count_get) or by counting afresh. */
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

/* The survey's counts as stored, if they are those of its responses now
 * and of this survey file: a tally, or NULL (*gen: the gen they were read
 * at, for counting afresh). */
static struct tally *
stored_tally(struct store *st, const struct survey *s, int64_t *gen)
{
	unsigned char *blob = NULL;
	struct tally *t = NULL;
	size_t len;

	if (store_count_get(st, s->id, gen, &blob, &len) != STORE_OK) {
		*gen = -1;	/* unknown: count, but do not store */
		return NULL;
	}
	if (blob != NULL)
		t = tally_from_kept(s, blob, len);
	free(blob);
	return t;
}

/* Counts every response of s afresh into *out and stores the counts for
 * the next request if no response changed since gen was read. */
static enum dash_err
count_tally(struct store *st, const struct survey *s, int64_t gen, struct tally **out)
{
	struct walk w = { NULL, 0 };
	unsigned char *blob;
	size_t len;

	if ((w.t = tally_new(s, NULL, TALLY_BY_NONE, -1, 0)) == NULL)
		return DASH_NOMEM;
	/* No opener: text answers are skipped, unread. */
	if (store_each_response(st, s->id, NULL, on_response, &w) != STORE_OK) {
		tally_free(w.t);
		return DASH_STORE;
	}
	if (w.failed) {
		tally_free(w.t);
		return DASH_NOMEM;
	}
	/* Not stored (no memory, the database busy): the next request counts again. */
	if (gen >= 0 && tally_pack(w.t, &blob, &len) == 0) {
		enum store_err er = store_count_put(st, s->id, gen, blob, len);
		(void)er;
		free(blob);
	}
	*out = w.t;
	return DASH_OK;
}

enum dash_err
dash_report(struct ctx *c, const struct survey *s, struct report **out)
{
	struct store *st = app_store(c->app);
	struct tally *t = NULL;
	struct report *r = NULL;
	enum dash_err e = DASH_STORE;
	int64_t gen;

	*out = NULL;
	if (st == NULL)
		goto out;
	if ((t = stored_tally(st, s, &gen)) == NULL &&
	    (e = count_tally(st, s, gen, &t)) != DASH_OK)
		goto out;
	e = DASH_NOMEM;
	if ((r = report_build(t, c->app->cfg->suppress_below, 0)) == NULL)
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
	tally_free(t);
	return e;
}
