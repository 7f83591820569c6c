/* tally_keep: a survey's kept counts (store.h, "The kept counts" in
 * docs/dashboard.md) read back into a tally, and the store counter that
 * adds new responses to them as they are written, with tally_add, the
 * code a count afresh uses. */
#include <stdlib.h>
#include "tally.h"

struct tally *
tally_from_kept(const struct survey *s, const unsigned char *blob, size_t len)
{
	struct tally *t = tally_new(s, NULL, TALLY_BY_NONE, -1, 0);

	if (t != NULL && tally_unpack(t, blob, len) != 0) {
		tally_free(t);
		t = NULL;
	}
	return t;
}

/* A list with no room left may have turned a language, version or day
 * away that a count in another order would have kept. */
static int
lists_full(const struct tally *t)
{
	return t->nlangs == TALLY_MAX_LANGS || t->nversions == TALLY_MAX_VERSIONS ||
	    t->ndays == TALLY_MAX_DAYS;
}

static void *
keep_open(void *ctx, const char *survey, const unsigned char *blob, size_t len)
{
	const struct survey_set *const *set = ctx;
	const struct survey *s = *set != NULL ? survey_find(*set, survey) : NULL;
	struct tally *t;

	if (s == NULL || s->kind != SK_SURVEY || (t = tally_from_kept(s, blob, len)) == NULL)
		return NULL;
	if (lists_full(t)) {
		tally_free(t);
		return NULL;
	}
	return t;
}

static int
keep_add(void *tally, const struct store_response *r)
{
	return tally_add(tally, r);
}

static int
keep_close(void *tally, int keep, unsigned char **blob, size_t *len)
{
	struct tally *t = tally;
	int rc = -1;

	if (keep && !lists_full(t))
		rc = tally_pack(t, blob, len);
	tally_free(t);
	return rc;
}

void
tally_keeper(struct store_counter *c, const struct survey_set *const *set)
{
	c->ctx = (void *)set;
	c->open = keep_open;
	c->add = keep_add;
	c->close = keep_close;
}
