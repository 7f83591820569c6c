/* poll_results: live tallies of one question as JSON, the one shape the
 * presenter, the console and the exports read.  In the room (suppress 0)
 * every count is exact; anything leaving the room (suppress > 0, the
 * threshold) goes through the core's disclosure control instead
 * (poll_safe.c): small counts and whatever would give them away are null,
 * and free text is left out. */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "poll.h"
#include "sdc.h"
#include "util.h"
#include "view.h"

#define MAX_WORDS	60
#define WORD_SIZES	6

int
poll_collect(void *ctx, const struct store_poll_row *r)
{
	struct poll_votes *vs = ctx;
	struct poll_vote *v;
	unsigned char *voter;

	if (arena_grow(vs->a, &vs->v, &vs->cap, vs->n, sizeof(*vs->v), 256) != 0)
		goto fail;
	v = &vs->v[vs->n];
	if ((voter = arena_alloc(vs->a, STORE_VOTER_BYTES)) == NULL ||
	    (v->value = arena_strdup(vs->a, r->value)) == NULL ||
	    (r->group != NULL && (v->group = arena_strdup(vs->a, r->group)) == NULL) ||
	    (r->lang != NULL && (v->lang = arena_strdup(vs->a, r->lang)) == NULL))
		goto fail;
	memcpy(voter, r->voter, STORE_VOTER_BYTES);
	v->voter = voter;
	if (r->group == NULL)
		v->group = NULL;
	if (r->lang == NULL)
		v->lang = NULL;
	v->item = r->item;
	v->approved = r->approved;
	v->q = r->q;
	v->text = r->text;
	vs->n++;
	return 0;
fail:
	vs->failed = 1;
	return 1;
}

size_t
poll_next_voter(const struct poll_votes *vs, size_t from)
{
	size_t i = from + 1;

	while (i < vs->n && memcmp(vs->v[i].voter, vs->v[from].voter, STORE_VOTER_BYTES) == 0)
		i++;
	return i;
}

/* Adds each comma-separated code of value to its option's count (ranking:
 * the points of its position, 1-based). */
static void
each_code(const struct question *q, const char *value, long *counts, int ranking)
{
	int pos = 1;

	for (const char *p = value; *p; pos++) {
		size_t n = strcspn(p, ",");
		for (size_t i = 0; i < q->nopts; i++)
			if (strlen(q->opts[i].code) == n && strncmp(q->opts[i].code, p, n) == 0)
				counts[i] += ranking ? (pos <= q->rank ? q->rank - pos + 1 : 0) : 1;
		p += n + (p[n] == ',');
	}
}

static void
put_bars(json_t *o, const struct question *q, const struct poll_votes *vs, int lang,
    struct arena *a)
{
	long *counts = arena_calloc(a, q->nopts + 1, sizeof(*counts)), max = 0;
	int ranking = q->type == Q_RANKING;
	json_t *bars = json_array();
	size_t *order = arena_calloc(a, q->nopts + 1, sizeof(*order));

	if (counts == NULL || order == NULL || bars == NULL) {
		json_decref(bars);
		return;
	}
	for (size_t i = 0; i < vs->n; i++)
		if (vs->v[i].item == 0)
			each_code(q, vs->v[i].value, counts, ranking);
	for (size_t i = 0; i < q->nopts; i++) {
		order[i] = i;
		if (counts[i] > max)
			max = counts[i];
	}
	for (size_t i = 1; ranking && i < q->nopts; i++)	/* ranking: most points first */
		for (size_t j = i; j > 0 && counts[order[j]] > counts[order[j - 1]]; j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (size_t k = 0; k < q->nopts; k++) {
		size_t i = order[k];
		long pct = vs->n && !ranking ? (counts[i] * 100 + (long)vs->n / 2) / (long)vs->n
		    : max ? counts[i] * 100 / max : 0;
		json_array_append_new(bars, json_pack("{s:s,s:s,s:I,s:I}", "code", q->opts[i].code,
		    "label", i18n_get(&q->opts[i].text, lang), "count", (json_int_t)counts[i],
		    ranking ? "width" : "pct", (json_int_t)pct));
	}
	json_object_set_new(o, ranking ? "points" : "bars", bars);
}

int
poll_cmp_word(const void *x, const void *y)
{
	const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
	json_int_t ca = json_integer_value(json_object_get(a, "count"));
	json_int_t cb = json_integer_value(json_object_get(b, "count"));

	return ca < cb ? 1 : ca > cb ? -1 : strcmp(json_string_value(json_object_get(a, "text")),
	    json_string_value(json_object_get(b, "text")));
}

/* Word cloud: answers folded to lower case (ASCII) and trimmed, counted. */
static void
put_words(json_t *o, const struct poll_votes *vs, struct arena *a)
{
	json_t *seen = json_object(), *words = json_array(), *v;
	json_t **list;
	const char *k;
	size_t n = 0, max = 1;

	for (size_t i = 0; seen && i < vs->n; i++) {
		char *w = arena_strdup(a, vs->v[i].value);
		for (char *p = w; p && *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		if (w == NULL || *w == '\0')
			continue;
		v = json_object_get(seen, w);
		json_object_set_new(seen, w, json_integer(v ? json_integer_value(v) + 1 : 1));
	}
	list = arena_calloc(a, json_object_size(seen) + 1, sizeof(*list));
	json_object_foreach(seen, k, v) {
		if (list == NULL)
			continue;
		list[n++] = json_pack("{s:s,s:I}", "text", k, "count", json_integer_value(v));
		if ((size_t)json_integer_value(v) > max)
			max = (size_t)json_integer_value(v);
	}
	if (n)
		qsort(list, n, sizeof(*list), poll_cmp_word);
	for (size_t i = 0; i < n; i++) {
		json_int_t c = json_integer_value(json_object_get(list[i], "count"));
		json_object_set_new(list[i], "size", json_integer(1 + (c - 1) * (WORD_SIZES - 1) /
		    (json_int_t)(max > 1 ? max - 1 : 1)));
		if (i < MAX_WORDS)
			json_array_append_new(words, list[i]);
		else
			json_decref(list[i]);
	}
	json_object_set_new(o, "words", words);
	json_decref(seen);
}

/* Open text: approved answers for the room, the rest for the moderator. */
static void
put_texts(json_t *o, const struct poll_votes *vs)
{
	json_t *texts = json_array(), *pending = json_array();
	char hex[STORE_VOTER_BYTES * 2 + 1];

	for (size_t i = 0; i < vs->n; i++) {
		if (vs->v[i].approved) {
			json_array_append_new(texts, json_string(vs->v[i].value));
			continue;
		}
		sodium_bin2hex(hex, sizeof(hex), vs->v[i].voter, STORE_VOTER_BYTES);
		json_array_append_new(pending, json_pack("{s:s,s:s}", "voter", hex, "text",
		    vs->v[i].value));
	}
	json_object_set_new(o, "texts", texts);
	json_object_set_new(o, "pending", pending);
}

json_t *
poll_results_json(struct ctx *c, const struct psess *ps, int q, int suppress)
{
	const struct question *qs = &ps->s->qs[q];
	struct poll_votes vs = { .a = c->a };
	struct store *st = poll_store(c->app);
	json_t *o;
	long answers = 0;
	int lang = view_lang(c);

	if (st == NULL || store_poll_each_vote(st, ps->p.id, q, qs->type == Q_STATEMENTS ?
	    poll_group_question(ps->s) : -1, poll_collect, &vs) != STORE_OK || vs.failed)
		return NULL;
	for (size_t i = 0; i < vs.n; i = poll_next_voter(&vs, i))
		answers++;
	o = json_pack("{s:i,s:s,s:s,s:s,s:o}", "q", q, "id", qs->id, "text",
	    i18n_get(&qs->text, lang), "type", qtype_names[qs->type], "answers",
	    suppress > 0 && sdc_small(answers, suppress) ? json_null() : json_integer(answers));
	if (o == NULL)
		return NULL;
	switch (qs->type) {
	case Q_SINGLE: case Q_MULTI: case Q_SCALE: case Q_LIST: case Q_RANKING:
		if (suppress > 0)
			poll_safe_options(o, qs, &vs, answers, suppress, lang);
		else
			put_bars(o, qs, &vs, lang, c->a);
		break;
	case Q_WORDCLOUD:
		if (suppress > 0)
			poll_safe_words(o, &vs, answers, suppress);
		else
			put_words(o, &vs, c->a);
		break;
	case Q_TEXT: case Q_LONGTEXT:
		if (suppress == 0 && ps->p.state.open)	/* none once ended, not even approved */
			put_texts(o, &vs);
		break;
	case Q_STATEMENTS:
		if (suppress > 0)
			poll_safe_statements(c, ps, q, o, &vs, answers, suppress);
		else
			poll_statements_json(c, ps, q, o, &vs, 0);
		break;
	default:
		break;
	}
	return o;
}
