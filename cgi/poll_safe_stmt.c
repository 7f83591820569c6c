/* poll_safe_stmt: word clouds and statements as they may leave the room
 * (see poll_safe.c).  A word is listed only when the rule publishes its
 * count; statements carry their number and counts, never their text. */
#include <stdlib.h>
#include <string.h>
#include "poll.h"
#include "sdc_poll.h"
#include "util.h"
#include "view.h"

#define TOP		3
#define WORD_SIZES	6
#define MAX_WORDS	60

static json_t *
num_or_null(long n, int hidden)
{
	return hidden ? json_null() : json_integer(n);
}

/* seen: word -> count, answers folded to lower case (ASCII) and trimmed. */
static json_t *
count_words(const struct poll_votes *vs)
{
	json_t *seen = json_object(), *v;

	for (size_t i = 0; seen && i < vs->n; i++) {
		char *w = strdup(vs->v[i].value);
		for (char *p = w; p && *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		if (w != NULL && *w != '\0') {
			v = json_object_get(seen, w);
			json_object_set_new(seen, w, json_integer(v ? json_integer_value(v) + 1 : 1));
		}
		free(w);
	}
	return seen;
}

void
poll_safe_words(json_t *o, const struct poll_votes *vs, long answers, int k)
{
	json_t *seen = count_words(vs), *words = json_array(), *v, **list = NULL;
	size_t n = 0, nw = seen ? json_object_size(seen) : 0, i = 0;
	long *count = calloc(nw + 1, sizeof(*count)), max = 1;
	unsigned char *hid = calloc(nw + 1, 1);
	const char *key;
	int ah;

	if (seen == NULL || count == NULL || hid == NULL ||
	    (list = calloc(nw + 1, sizeof(*list))) == NULL)
		goto fail;
	json_object_foreach(seen, key, v)
		count[i++] = (long)json_integer_value(v);
	if (sdc_poll_words(count, nw, answers, k, hid, &ah) != SDC_OK)
		goto fail;
	i = 0;
	json_object_foreach(seen, key, v) {
		if (!hid[i]) {
			list[n++] = json_pack("{s:s,s:I}", "text", key, "count", json_integer_value(v));
			max = count[i] > max ? count[i] : max;
		}
		i++;
	}
	if (n)
		qsort(list, n, sizeof(*list), poll_cmp_word);
	for (i = 0; i < n; i++) {
		json_int_t c = json_integer_value(json_object_get(list[i], "count"));
		json_object_set_new(list[i], "size", json_integer(1 + (c - 1) * (WORD_SIZES - 1) /
		    (max > 1 ? max - 1 : 1)));
		if (i < MAX_WORDS)
			json_array_append_new(words, list[i]);
		else
			json_decref(list[i]);
	}
	json_object_set_new(o, "answers", num_or_null(answers, ah));
	json_object_set_new(o, "words", words);
	words = NULL;
	goto out;
fail:
	json_object_set_new(o, "answers", json_null());
	json_object_set_new(o, "withheld", json_true());
out:
	json_decref(words);
	json_decref(seen);
	free(list);
	free(count);
	free(hid);
}

struct safe_stmts {
	int64_t			*id;
	struct sdc_poll_stmt	*s;
	size_t			 n, cap;
};

static int
take(void *ctx, const struct store_poll_statement *st)
{
	struct safe_stmts *l = ctx;
	size_t idcap = l->cap;	/* the two arrays grow together */

	if (st->state != SPS_APPROVED)
		return 0;
	if (grow(&l->id, &idcap, l->n, sizeof(*l->id), 32) != 0 ||
	    grow(&l->s, &l->cap, l->n, sizeof(*l->s), 32) != 0)
		return 1;
	memset(&l->s[l->n], 0, sizeof(l->s[l->n]));
	l->id[l->n++] = st->id;
	return 0;
}

/* Counts each vote on an approved statement, overall and by group. */
static void
tally(struct safe_stmts *l, const struct poll_votes *vs, const struct question *g)
{
	for (size_t i = 0; i < vs->n; i++) {
		const char *v = vs->v[i].value;
		long gi = g && vs->v[i].group ? question_option_index(g, vs->v[i].group) : -1;
		size_t j = 0;
		while (j < l->n && l->id[j] != vs->v[i].item)
			j++;
		if (j == l->n)
			continue;
		l->s[j].agree += strcmp(v, "agree") == 0;
		l->s[j].disagree += strcmp(v, "disagree") == 0;
		l->s[j].pass += strcmp(v, "pass") == 0;
		if (gi >= 0 && gi < SDC_POLL_GROUPS) {
			l->s[j].g_agree[gi] += strcmp(v, "agree") == 0;
			l->s[j].g_n[gi]++;
		}
	}
}

/* 1 when all of statement j's counts are published. */
static int
published(const struct sdc_poll_stmt *s)
{
	return !s->agree_hidden && !s->disagree_hidden && !s->pass_hidden;
}

static json_t *
stmt_json(const struct safe_stmts *l, size_t j)
{
	const struct sdc_poll_stmt *s = &l->s[j];

	return json_pack("{s:I,s:o,s:o,s:o}", "id", (json_int_t)l->id[j], "agree",
	    num_or_null(s->agree, s->agree_hidden), "disagree", num_or_null(s->disagree,
	    s->disagree_hidden), "pass", num_or_null(s->pass, s->pass_hidden));
}

enum score { SCORE_AGREED, SCORE_DIVIDED, SCORE_GROUPS, SCORE__MAX };

/* A statement's score from its published numbers only; 0: not ranked. */
static double
score(const struct sdc_poll_stmt *s, size_t ngroups, enum score how)
{
	long a = s->agree, d = s->disagree, t = a + d + s->pass;
	double lo = 2, hi = -1;
	int n = 0;

	if (how == SCORE_AGREED)
		return published(s) && t ? (double)a / (double)t + (double)t * 1e-6 : 0;
	if (how == SCORE_DIVIDED)
		return published(s) && a && d ? (double)(a < d ? a : d) / (double)t +
		    (double)t * 1e-6 : 0;
	for (size_t g = 0; g < ngroups; g++) {
		double p;
		if (!s->g_pct_shown[g])
			continue;
		p = (double)s->g_agree[g] / (double)s->g_n[g];
		lo = p < lo ? p : lo;
		hi = p > hi ? p : hi;
		n++;
	}
	return n >= 2 ? hi - lo + 1e-9 : 0;
}

/* The TOP statements by score, higher first, ties in statement order. */
static json_t *
top(const struct safe_stmts *l, size_t ngroups, enum score how, size_t *pick)
{
	json_t *a = json_array();
	size_t k = 0;

	for (; k < TOP; k++) {
		size_t best = l->n;
		for (size_t i = 0; i < l->n; i++) {
			int used = 0;
			for (size_t u = 0; u < k; u++)
				used |= pick[u] == i;
			if (!used && score(&l->s[i], ngroups, how) > 0 && (best == l->n ||
			    score(&l->s[i], ngroups, how) > score(&l->s[best], ngroups, how)))
				best = i;
		}
		if (best == l->n)
			break;
		pick[k] = best;
		json_array_append_new(a, stmt_json(l, best));
	}
	return a;
}

static json_t *
groups_json(const struct safe_stmts *l, const struct question *g, size_t ng, int lang)
{
	size_t pick[TOP], i;
	json_t *rows = top(l, ng, SCORE_GROUPS, pick), *row;

	json_array_foreach(rows, i, row) {
		const struct sdc_poll_stmt *s = &l->s[pick[i]];
		json_t *gs = json_array();
		for (size_t k = 0; k < ng; k++)
			if (s->g_shown[k])
				json_array_append_new(gs, json_pack("{s:s,s:I,s:o}", "label",
				    i18n_get(&g->opts[k].text, lang), "n", (json_int_t)s->g_n[k],
				    "agree_pct", num_or_null(s->g_n[k] ? s->g_agree[k] * 100 / s->g_n[k]
				    : 0, !s->g_pct_shown[k])));
		json_object_set_new(row, "groups", gs);
	}
	return json_pack("{s:s,s:o}", "question", i18n_get(&g->text, lang), "rows", rows);
}

void
poll_safe_statements(struct ctx *c, const struct psess *ps, int q, json_t *o,
    const struct poll_votes *vs, long answers, int k)
{
	struct safe_stmts l = { 0 };
	int gq = poll_group_question(ps->s), ah;
	const struct question *g = gq >= 0 ? &ps->s->qs[gq] : NULL;
	size_t ng = g ? (g->nopts < SDC_POLL_GROUPS ? g->nopts : SDC_POLL_GROUPS) : 0, pick[TOP];
	struct store *st = poll_store(c->app);
	json_t *all = json_array();

	if (st == NULL || all == NULL ||
	    store_poll_each_statement(st, ps->p.id, q, take, &l) != STORE_OK)
		goto fail;
	tally(&l, vs, g);
	if (sdc_poll_statements(l.s, l.n, ng, answers, k, &ah) != SDC_OK)
		goto fail;
	json_object_set_new(o, "answers", num_or_null(answers, ah));
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(all, stmt_json(&l, i));
	json_object_set_new(o, "statements", all);
	all = NULL;
	json_object_set_new(o, "most_agreed", top(&l, ng, SCORE_AGREED, pick));
	json_object_set_new(o, "most_divisive", top(&l, ng, SCORE_DIVIDED, pick));
	if (g != NULL)
		json_object_set_new(o, "groups", groups_json(&l, g, ng, view_lang(c)));
	goto out;
fail:
	json_object_set_new(o, "answers", json_null());
	json_object_set_new(o, "withheld", json_true());
out:
	json_decref(all);
	free(l.id);
	free(l.s);
}
