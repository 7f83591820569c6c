/* codebook_model: features of a coded answer, coding with a model, and
 * the model file.  The file is text, one feature a line with its weight
 * for each outcome area, so a reader can see what the model learnt:
 *   # comment
 *   version <text>          what reports print ("dev-455 + 12 corrections")
 *   codebook <hash>         the codebook file it was trained with
 *   areas <n>
 *   bias <w1> ... <wn>
 *   w <stem>\t<w1> ... <wn>     a word
 *   b <stem> <stem>\t...        two words in a row
 *   t <theme id>\t...           a theme of the codebook fired */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "codebook_model_int.h"
#include "util.h"

static size_t
hslot(uint64_t k, size_t cap)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return (size_t)k & (cap - 1);
}

long
cbm_find(const struct cb_model *m, uint64_t key)
{
	if (m->hcap == 0)
		return -1;
	for (size_t i = hslot(key, m->hcap);; i = (i + 1) & (m->hcap - 1)) {
		if (m->hval[i] == 0)
			return -1;
		if (m->hkey[i] == key)
			return (long)m->hval[i] - 1;
	}
}

static int
rehash(struct cb_model *m)
{
	size_t cap = m->hcap ? m->hcap * 2 : 1024;
	uint64_t *hk = calloc(cap, sizeof(*hk));
	uint32_t *hv = calloc(cap, sizeof(*hv));

	if (hk == NULL || hv == NULL) {
		free(hk), free(hv);
		return -1;
	}
	for (size_t f = 0; f < m->nf; f++) {
		size_t i = hslot(m->key[f], cap);
		while (hv[i] != 0)
			i = (i + 1) & (cap - 1);
		hk[i] = m->key[f], hv[i] = (uint32_t)f + 1;
	}
	free(m->hkey), free(m->hval);
	m->hkey = hk, m->hval = hv, m->hcap = cap;
	return 0;
}

long
cbm_add(struct cb_model *m, uint64_t key, const char *name)
{
	long f = cbm_find(m, key);

	if (f >= 0)
		return f;
	if (m->nf % 1024 == 0) {
		size_t nc = m->nf + 1024;
		uint64_t *k = realloc(m->key, nc * sizeof(*k));
		if (k == NULL)
			return -1;
		m->key = k;
		char **nm = realloc(m->name, nc * sizeof(*nm));
		if (nm == NULL)
			return -1;
		m->name = nm;
		double *w = realloc(m->w, nc * m->na * sizeof(*w));
		if (w == NULL)
			return -1;
		m->w = w;
	}
	if ((m->name[m->nf] = strdup(name)) == NULL)
		return -1;
	m->key[m->nf] = key;
	memset(m->w + m->nf * m->na, 0, m->na * sizeof(*m->w));
	m->nf++;
	if (2 * m->nf > m->hcap)
		return rehash(m) == 0 ? (long)m->nf - 1 : -1;
	size_t i = hslot(key, m->hcap);
	while (m->hval[i] != 0)
		i = (i + 1) & (m->hcap - 1);
	m->hkey[i] = key, m->hval[i] = (uint32_t)m->nf;
	return (long)m->nf - 1;
}

void
cb_model_free(struct cb_model *m)
{
	if (m == NULL)
		return;
	for (size_t f = 0; f < m->nf; f++)
		free(m->name[f]);
	free(m->name), free(m->key), free(m->w), free(m->hkey), free(m->hval), free(m->act);
	free(m->seen);
	free(m);
}

double
cbm_round(double w)
{
	char b[32];

	snprintf(b, sizeof(b), "%.6g", w);
	return strtod(b, NULL);
}

static int
push_act(struct cb_model *m, long f)
{
	if (f < -1)
		return -1;
	if (f < 0)
		return 0;
	if ((size_t)f >= m->capseen) {
		size_t nc = (size_t)f + 1024;
		uint32_t *ns = realloc(m->seen, nc * sizeof(*ns));
		if (ns == NULL)
			return -1;
		memset(ns + m->capseen, 0, (nc - m->capseen) * sizeof(*ns));
		m->seen = ns, m->capseen = nc;
	}
	if (m->seen[f] == m->gen)
		return 0;
	m->seen[f] = m->gen;
	if (grow(&m->act, &m->capact, m->nact, sizeof(*m->act), 64) != 0)
		return -1;
	m->act[m->nact++] = (uint32_t)f;
	return 0;
}

/* The feature of key, adding it when add: named by its kind and the stems
 * of words t and u (u NULL for one word), or the theme id a. */
static long
feature(struct codebook *cb, struct cb_model *m, uint64_t key, int add, const struct tok *t,
    const struct tok *u, const char *a)
{
	char name[160], s1[64] = "", s2[64] = "";
	long f = cbm_find(m, key);

	if (f >= 0 || !add)
		return f;
	if ((t != NULL && tok_stem(cb->tk, t->w, t->n, s1, sizeof(s1)) != 0) ||
	    (u != NULL && tok_stem(cb->tk, u->w, u->n, s2, sizeof(s2)) != 0))
		return -2;
	snprintf(name, sizeof(name), "%c %s%s%s", "?wbt"[key >> 60], a ? a : s1, u ? " " : "", s2);
	f = cbm_add(m, key, name);
	return f < 0 ? -2 : f;
}

int
cbm_keys(struct codebook *cb, struct cb_model *m, int add)
{
	const struct tokens *tk = &cb->toks;

	m->nact = 0;
	if (++m->gen == 0) {
		memset(m->seen, 0, m->capseen * sizeof(*m->seen));
		m->gen = 1;
	}
	for (size_t i = 0; i < tk->n; i++) {
		const struct tok *t = &tk->v[i], *u = i + 1 < tk->n ? &tk->v[i + 1] : NULL;
		if (t->stem <= 0)
			continue;
		if (push_act(m, feature(cb, m, CBM_KEY(CBM_WORD, t->stem, 0), add, t, NULL, NULL)) != 0)
			return -1;
		if (u != NULL && u->stem > 0 && u->clause == t->clause &&
		    push_act(m, feature(cb, m, CBM_KEY(CBM_PAIR, t->stem, u->stem), add, t, u,
		    NULL)) != 0)
			return -1;
	}
	for (size_t th = 0; th < cb->nthemes; th++)
		if (cb->fired[th] && push_act(m, feature(cb, m, CBM_KEY(CBM_THEME, th, 0), add,
		    NULL, NULL, cb->themes[th].id)) != 0)
			return -1;
	return 0;
}

int
cbm_theme_keys(struct codebook *cb, struct cb_model *m)
{
	for (size_t th = 0; th < cb->nthemes; th++)
		if (cb->themes[th].areas != 0 && feature(cb, m, CBM_KEY(CBM_THEME, th, 0), 1,
		    NULL, NULL, cb->themes[th].id) < -1)
			return -1;
	return 0;
}

/* The three features that weighed most for area a (towards it, or, where
 * the model drops an area the rules gave, against it), on one line, and
 * whether the model agrees with the rules on it. */
static void
explain_area(const struct codebook *cb, const struct cb_model *m, size_t a, double p,
    int by_rules, FILE *fp)
{
	size_t best[3] = { 0 }, nb = 0;
	double sign = by_rules && p < 0.5 ? -1.0 : 1.0;

	for (size_t i = 0; i < m->nact; i++) {
		size_t k = nb < 3 ? nb++ : 2;
		double w = sign * m->w[m->act[i] * m->na + a];
		if (nb == 3 && k == 2 && w <= sign * m->w[m->act[best[2]] * m->na + a])
			continue;
		best[k] = i;
		for (; k > 0 && sign * m->w[m->act[best[k]] * m->na + a] >
		    sign * m->w[m->act[best[k - 1]] * m->na + a]; k--) {
			size_t x = best[k];
			best[k] = best[k - 1], best[k - 1] = x;
		}
	}
	fprintf(fp, "  model %s p=%.2f:", codebook_area(cb, a), p);
	for (size_t k = 0; k < nb; k++)
		fprintf(fp, "%s %s (%+.2f)", k ? "," : "", m->name[m->act[best[k]]] + 2,
		    m->w[m->act[best[k]] * m->na + a]);
	if ((p >= 0.5) == by_rules)
		fprintf(fp, " -> %s, as the rules say\n", by_rules ? "area" : "not the area");
	else
		fprintf(fp, " -> %s\n", by_rules ? "dropped: the model overrules the rules" :
		    "added by the model");
}

int
cb_model_apply(struct codebook *cb, struct codebook_hits *h, FILE *explain)
{
	struct cb_model *m = cb->model;

	if (cbm_keys(cb, m, 0) != 0)
		return -1;
	h->areas = 0;
	h->modelled = 1;
	h->certainty = 1.0;
	for (size_t a = 0; a < m->na; a++) {
		double z = m->bias[a], p;
		for (size_t i = 0; i < m->nact; i++)
			z += m->w[m->act[i] * m->na + a];
		p = 1.0 / (1.0 + exp(-z));
		h->prob[a] = p;
		if (p >= 0.5)
			h->areas |= 1u << a;
		if (fabs(2 * p - 1) < h->certainty)
			h->certainty = fabs(2 * p - 1);
		if (explain != NULL && (p >= 0.2 || (h->rule_areas & (1u << a))))
			explain_area(cb, m, a, p, (h->rule_areas >> a) & 1, explain);
	}
	return 0;
}
