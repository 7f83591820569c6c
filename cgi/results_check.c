/* results_check: what an uploaded report.json may put on a public page
 * (results.h).  The analysis tool wrote it with the disclosure rule applied;
 * this file does not trust that: each themes table taken is rebuilt as an
 * sdc table (a hidden count stands in as 1, always small, so it stays
 * hidden) and run through the rule again; a count the rule would hide, or a
 * hidden one the attacker can solve, refuses the whole upload. */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "buf.h"
#include "life.h"
#include "report.h"
#include "results.h"
#include "scrub.h"
#include "sdc.h"

static const char *const err_keys[RESULTS__MAX] = {
	[RESULTS_OK] = "results_uploaded",
	[RESULTS_NOMEM] = "try_again",
	[RESULTS_JSON] = "results_bad_json",
	[RESULTS_SURVEY] = "results_other_survey",
	[RESULTS_NO_THEMES] = "results_err_no_themes",
	[RESULTS_SHAPE] = "results_bad_table",
	[RESULTS_SMALL] = "results_small_count",
	[RESULTS_UNSAFE] = "results_unsafe_table",
	[RESULTS_QUOTE] = "results_bad_quote",
};

const char *
results_err_key(enum results_err e)
{
	return e >= 0 && e < RESULTS__MAX ? err_keys[e] : "try_again";
}

int
results_survey_closed(struct ctx *c, const struct survey *s)
{
	struct lc_view v;

	return life_view(c->app, s, 1, &v) == 0 && (v.state == LC_CLOSED || v.state == LC_GRACE);
}

int
results_k(const struct ctx *c, const struct survey *s)
{
	return sdc_threshold(c->app->cfg->suppress_below, s->suppress_below);
}

/* A count as uploaded: 0 and *hidden for null, -1 when it is neither null
 * nor a whole number from 0 up. */
static long
count_of(const json_t *v, int *hidden)
{
	*hidden = json_is_null(v);
	if (*hidden)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 100000000)
		return -1;
	return (long)json_integer_value(v);
}

/* A short string field, or NULL. */
static const char *
text_of(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL && *s != '\0' && strlen(s) <= RESULTS_TEXT_MAX ? s : NULL;
}

/* The rule again over the table's counts, hidden ones standing in as 1. */
static enum results_err
recheck(const long *v, const unsigned char *hid, size_t n, long base, int base_hid, int k)
{
	long *w = calloc(n + 1, sizeof *w);
	unsigned char *supp = calloc(n + 1, 1);
	enum results_err e = RESULTS_NOMEM;
	int tsupp = 0;

	if (w == NULL || supp == NULL)
		goto out;
	for (size_t i = 0; i < n; i++)
		w[i] = hid[i] ? 1 : v[i];
	e = RESULTS_UNSAFE;
	if (sdc_oneway(w, n, base_hid ? 1 : base, 0, k, supp, &tsupp) != SDC_OK)
		goto out;
	e = !base_hid && tsupp ? RESULTS_SMALL : RESULTS_OK;
	for (size_t i = 0; i < n && e == RESULTS_OK; i++)
		if (supp[i] && !hid[i])
			e = RESULTS_SMALL;
out:
	free(w);
	free(supp);
	return e;
}

/* Copies row r's quotes into array q, each scrubbed again. */
static enum results_err
take_quotes(const json_t *r, long count, int hidden, json_t *q)
{
	const json_t *in = json_object_get(r, "quotes"), *x;
	size_t i;

	if (in == NULL)
		return RESULTS_OK;
	if (!json_is_array(in) || json_array_size(in) > RESULTS_QUOTES_MAX ||
	    (json_array_size(in) > 0 && (hidden || count < REPORT_QUOTE_MIN_N)))
		return RESULTS_QUOTE;
	json_array_foreach(in, i, x) {
		const char *s = json_string_value(x);
		struct buf b = BUF_INIT;
		int bad;
		if (s == NULL || *s == '\0' || strlen(s) > RESULTS_QUOTE_MAX)
			return RESULTS_QUOTE;
		scrub_text(s, strlen(s), &b);
		bad = buf_failed(&b) ||
		    json_array_append_new(q, json_string(b.p != NULL ? b.p : "")) != 0;
		buf_free(&b);
		if (bad)
			return RESULTS_NOMEM;
	}
	return RESULTS_OK;
}

/* One row into out (and its count into v/hid); RESULTS_SHAPE when malformed. */
static enum results_err
take_row(const json_t *r, long base, int base_hid, long *v, unsigned char *hid, json_t *out)
{
	const char *code = text_of(r, "code"), *label = text_of(r, "label");
	json_t *o = json_object();
	int h;

	if (o == NULL || json_array_append_new(out, o) != 0)
		return RESULTS_NOMEM;
	*v = count_of(json_object_get(r, "count"), &h);
	*hid = (unsigned char)h;
	if (code == NULL || label == NULL || *v < 0 || (!h && !base_hid && *v > base) ||
	    (!h && base_hid && *v > 0))	/* a count shown under a hidden base */
		return RESULTS_SHAPE;
	return json_object_set_new(o, "code", json_string(code)) != 0 ||
	    json_object_set_new(o, "label", json_string(label)) != 0 ||
	    json_object_set_new(o, "count", h ? json_null() : json_integer(*v)) != 0 ?
	    RESULTS_NOMEM : RESULTS_OK;
}

/* The quotes of each row of rows (counts already checked) into out's rows. */
static enum results_err
take_all_quotes(const json_t *rows, const long *v, const unsigned char *hid, json_t *out)
{
	const json_t *r;
	enum results_err e;
	size_t i;

	json_array_foreach(rows, i, r) {
		json_t *q = json_array();
		if (q == NULL || json_object_set_new(json_array_get(out, i), "quotes", q) != 0)
			return RESULTS_NOMEM;
		if ((e = take_quotes(r, v[i], hid[i], q)) != RESULTS_OK)
			return e;
	}
	return RESULTS_OK;
}

/* Checks table t and appends what may be published of it to tables. */
static enum results_err
take_table(const json_t *t, int k, json_t *tables)
{
	const json_t *rows = json_object_get(t, "rows"), *r;
	size_t n = json_array_size(rows), i;
	json_t *o = json_object(), *out = json_array();
	long v[RESULTS_ROWS_MAX + 1] = { 0 }, base;
	unsigned char hid[RESULTS_ROWS_MAX + 1] = { 0 };
	enum results_err e = RESULTS_NOMEM;
	int base_hid;

	if (json_array_append_new(tables, o) != 0 || out == NULL)
		goto out;
	e = RESULTS_SHAPE;
	base = count_of(json_object_get(t, "base"), &base_hid);
	if (!json_is_array(rows) || n == 0 || n > RESULTS_ROWS_MAX || base < 0 ||
	    text_of(t, "title") == NULL)
		goto out;
	json_array_foreach(rows, i, r)
		if ((e = take_row(r, base, base_hid, &v[i], &hid[i], out)) != RESULTS_OK)
			goto out;
	if ((e = recheck(v, hid, n, base, base_hid, k)) != RESULTS_OK ||
	    (e = take_all_quotes(rows, v, hid, out)) != RESULTS_OK)
		goto out;
	e = json_object_set_new(o, "id", json_string(text_of(t, "id"))) != 0 ||
	    json_object_set_new(o, "title", json_string(text_of(t, "title"))) != 0 ||
	    json_object_set_new(o, "base", base_hid ? json_null() : json_integer(base)) != 0 ||
	    json_object_set_new(o, "rows", out) != 0 ? RESULTS_NOMEM : RESULTS_OK;
	out = NULL;
out:
	json_decref(out);
	return e;
}

/* The report's table called id, or NULL. */
static const json_t *
find_table(const json_t *tables, const char *id)
{
	const json_t *t;
	size_t i;

	json_array_foreach(tables, i, t)
		if (json_is_object(t) && json_string_value(json_object_get(t, "id")) != NULL &&
		    strcmp(json_string_value(json_object_get(t, "id")), id) == 0)
			return t;
	return NULL;
}

/* themes-areas, then the table of each area it lists that the report has
 * (not the "other" topics: their counts are differences of the areas'). */
static enum results_err
take_all(const json_t *tables, int k, struct arena *a, json_t *acc, const char **table)
{
	const json_t *areas = find_table(tables, "themes-areas"), *r;
	json_t *outt = json_object_get(acc, "tables");
	enum results_err e;
	size_t i;

	*table = "themes-areas";
	if (areas == NULL)
		return RESULTS_NO_THEMES;
	if ((e = take_table(areas, k, outt)) != RESULTS_OK)
		return e;
	json_array_foreach(json_object_get(areas, "rows"), i, r) {
		const char *code = text_of(r, "code"), *id;
		const json_t *t;
		if (code == NULL || strcmp(code, "other") == 0)
			continue;
		if ((id = arena_printf(a, "themes-%s", code)) == NULL)
			return RESULTS_NOMEM;
		if ((t = find_table(tables, id)) == NULL)
			continue;
		*table = id;
		if ((e = take_table(t, k, outt)) != RESULTS_OK)
			return e;
	}
	*table = NULL;
	return RESULTS_OK;
}

enum results_err
results_accept(const char *text, size_t n, const struct survey *s, int k, struct arena *a,
    const char **accepted, const char **table)
{
	json_t *root = json_loadb(text, n, JSON_REJECT_DUPLICATES, NULL), *acc = NULL;
	const json_t *tables = json_object_get(root, "tables");
	const char *sid = json_string_value(json_object_get(json_object_get(root, "survey"), "id"));
	enum results_err e = RESULTS_JSON;
	char *dump = NULL;

	*accepted = *table = NULL;
	if (root == NULL || !json_is_array(tables) || sid == NULL)
		goto out;
	e = RESULTS_SURVEY;
	if (strcmp(sid, s->id) != 0)
		goto out;
	e = RESULTS_NOMEM;
	if ((acc = json_object()) == NULL || json_object_set_new(acc, "tables", json_array()) != 0)
		goto out;
	if ((e = take_all(tables, k, a, acc, table)) != RESULTS_OK)
		goto out;
	e = RESULTS_NOMEM;
	if ((dump = json_dumps(acc, JSON_COMPACT | JSON_PRESERVE_ORDER)) != NULL &&
	    (*accepted = arena_strdup(a, dump)) != NULL)
		e = RESULTS_OK;
out:
	free(dump);
	json_decref(acc);
	json_decref(root);
	return e;
}
