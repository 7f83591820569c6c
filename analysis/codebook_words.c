/* codebook_words: the codebook's word lists, which are not themes but say
 * how phrases are read: negators and the phrases that only look like one,
 * clause breaks, the words a phrase may not stretch over, and the words
 * that make a place name.  The file format is in docs/analyst.md. */
#include <stdlib.h>
#include <string.h>
#include "codebook_int.h"

/* Interns each word of seq and returns their stem ids in *ids (cb_alloc'd):
 * two per entry, the second 0 unless the entry is two words. */
static int
word_list(struct cb_ld *l, yaml_node_t *seq, int **ids, size_t *n)
{
	*n = yn_seq_len(seq);
	if (seq != NULL && seq->type != YAML_SEQUENCE_NODE)
		return cb_fail(l, seq, "expected a list of words");
	if ((*ids = cb_alloc(l->cb, (*n ? *n : 1) * 2 * sizeof(**ids))) == NULL)
		return cb_fail(l, seq, "out of memory");
	for (size_t i = 0; i < *n; i++) {
		const char *w = yn_scalar(yn_seq_at(l->doc, seq, i));
		char a[64], b[64];
		int k = w ? sscanf(w, "%63s %63s", a, b) : 0;
		if (k < 1)
			return cb_fail(l, yn_seq_at(l->doc, seq, i), "expected a word");
		(*ids)[2 * i] = tok_intern(l->cb->tk, a, strlen(a));
		(*ids)[2 * i + 1] = k == 2 ? tok_intern(l->cb->tk, b, strlen(b)) : 0;
		if ((*ids)[2 * i] <= 0 || (*ids)[2 * i + 1] < 0)
			return cb_fail(l, yn_seq_at(l->doc, seq, i), "cannot stem '%s'", w);
	}
	return 0;
}

/* negation.after: phrases that cancel what comes just before them. */
static int
after_list(struct cb_ld *l, yaml_node_t *seq)
{
	struct codebook *cb = l->cb;
	struct tokens tk = { 0 };
	size_t n = yn_seq_len(seq);
	int rc = -1;

	if ((cb->after = cb_alloc(cb, (n + 1) * sizeof(*cb->after))) == NULL)
		return cb_fail(l, seq, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const char *w = yn_scalar(yn_seq_at(l->doc, seq, i));
		if (w == NULL || tok_split(cb->tk, w, strlen(w), &tk) != 0 || tk.n == 0 ||
		    tk.n > CB_AFTER_MAX) {
			cb_fail(l, yn_seq_at(l->doc, seq, i), "expected 1 to %d words", CB_AFTER_MAX);
			goto out;
		}
		cb->after[i][0] = (int)tk.n;
		for (size_t k = 0; k < tk.n; k++)
			if ((cb->after[i][k + 1] = tok_intern(cb->tk, tk.v[k].w, tk.v[k].n)) <= 0) {
				cb_fail(l, yn_seq_at(l->doc, seq, i), "cannot stem '%s'", tk.v[k].w);
				goto out;
			}
	}
	cb->nafter = n;
	rc = 0;
out:
	tok_tokens_free(&tk);
	return rc;
}

static int
small_int(struct cb_ld *l, yaml_node_t *map, const char *key, int dflt, int *out)
{
	const char *v = map != NULL ? cb_get_str(l, map, key, 0) : NULL;

	*out = v != NULL ? atoi(v) : dflt;
	if (*out < 0 || *out > 10)
		return cb_fail(l, map, "%s must be 0..10 words", key);
	return 0;
}

int
cb_load_words(struct cb_ld *l, yaml_node_t *root, struct cb_words *ws)
{
	static const char *const nkeys[] = { "window", "words", "pseudo", "breaks", "after", NULL };
	static const char *const gkeys[] = { "max", "tight", NULL };
	static const char *const pkeys[] = { "kinds", "near", "articles", NULL };
	static const struct { int map, list; const char *key; } lists[] = {
		{ 0, CBW_NEG, "words" }, { 0, CBW_PSEUDO, "pseudo" }, { 0, CBW_BREAK, "breaks" },
		{ 1, CBW_TIGHT, "tight" },
		{ 2, CBW_PLACE, "kinds" }, { 2, CBW_NEAR, "near" }, { 2, CBW_ARTICLE, "articles" },
	};
	yaml_node_t *m[3] = { yn_get(l->doc, root, "negation"), yn_get(l->doc, root, "gaps"),
	    yn_get(l->doc, root, "places") };

	if ((m[0] != NULL && cb_check_keys(l, m[0], nkeys) != 0) ||
	    (m[1] != NULL && cb_check_keys(l, m[1], gkeys) != 0) ||
	    (m[2] != NULL && cb_check_keys(l, m[2], pkeys) != 0))
		return -1;
	if (small_int(l, m[0], "window", 3, &l->cb->window) != 0 ||
	    small_int(l, m[1], "max", 0, &l->cb->gap) != 0)
		return -1;
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		yaml_node_t *seq = m[lists[i].map] ? yn_get(l->doc, m[lists[i].map], lists[i].key) : NULL;
		if (word_list(l, seq, &ws->ids[lists[i].list], &ws->n[lists[i].list]) != 0)
			return -1;
	}
	return m[0] != NULL ? after_list(l, yn_get(l->doc, m[0], "after")) : 0;
}

int
cb_finish_words(struct cb_ld *l, const struct cb_words *ws)
{
	static const unsigned char flag[CBW__MAX] = {
		[CBW_NEG] = CB_NEG, [CBW_PSEUDO] = 0, [CBW_BREAK] = CB_BREAK,
		[CBW_TIGHT] = CB_TIGHT, [CBW_PLACE] = CB_PLACE, [CBW_NEAR] = CB_NEAR,
		[CBW_ARTICLE] = CB_ARTICLE,
	};
	struct codebook *cb = l->cb;

	if ((cb->stemflag = cb_alloc(cb, cb->nhead)) == NULL ||
	    (cb->pseudo = cb_alloc(cb, (ws->n[CBW_PSEUDO] + 1) * sizeof(*cb->pseudo))) == NULL)
		return cb_fail(l, NULL, "out of memory");
	for (size_t k = 0; k < CBW__MAX; k++)
		for (size_t i = 0; i < ws->n[k]; i++)
			cb->stemflag[ws->ids[k][2 * i]] |= flag[k];
	for (size_t i = 0; i < ws->n[CBW_PSEUDO]; i++) {
		cb->pseudo[i][0] = ws->ids[CBW_PSEUDO][2 * i];
		cb->pseudo[i][1] = ws->ids[CBW_PSEUDO][2 * i + 1];
	}
	cb->npseudo = ws->n[CBW_PSEUDO];
	return 0;
}
