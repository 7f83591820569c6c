/* codebook_match: coding one answer against a loaded codebook, and the
 * read-only queries on it.  Cost is linear in the answer's words: rules are
 * indexed by their first stem, and only the few rules that start with a
 * prefix ("shank*") are tried at every word. */
#include <stdlib.h>
#include <string.h>
#include "codebook_model.h"
#include "util.h"

int
cb_index(struct codebook *cb)
{
	cb->nhead = tok_nstems(cb->tk) + 1;
	if ((cb->head = malloc(cb->nhead * sizeof(*cb->head))) == NULL)
		return -1;
	for (size_t i = 0; i < cb->nhead; i++)
		cb->head[i] = -1;
	for (size_t i = 0; i < 256; i++)
		cb->wild[i] = -1;
	/* Built backwards so each chain lists rules in file order. */
	for (size_t i = cb->nrules; i-- > 0;) {
		struct cb_rule *r = &cb->rules[i];
		int *h = r->prefix[0] != NULL ? &cb->wild[(unsigned char)r->prefix[0][0]] :
		    &cb->head[r->stems[0]];
		r->next = *h;
		*h = (int)i;
	}
	cb->fired = calloc(cb->nthemes, 1);
	cb->context = calloc(cb->nthemes, 1);
	cb->list = calloc(cb->nthemes, sizeof(*cb->list));
	return cb->fired != NULL && cb->context != NULL && cb->list != NULL ? 0 : -1;
}

static int
tok_matches(const struct cb_rule *r, size_t k, const struct tok *t)
{
	if (t->shape & TOK_PLACE)
		return 0;
	if (r->cs[k] == CB_CS_UPPER && !(t->shape & TOK_UPPER))
		return 0;
	if (r->cs[k] == CB_CS_CAP && !(t->shape & TOK_UPPER) &&
	    (t->shape & (TOK_CAP | TOK_START)) != TOK_CAP)
		return 0;
	if (r->prefix[k] != NULL)
		return t->n >= r->plen[k] && memcmp(t->w, r->prefix[k], r->plen[k]) == 0;
	return t->stem == r->stems[k];
}

/* How many words may stand between words k-1 and k of r: none next to a
 * tight word or a negator ("on road", "no police" stay exact), else the
 * codebook's gap. */
static size_t
gap_before(const struct codebook *cb, const struct cb_rule *r, size_t k)
{
	if ((r->prefix[k - 1] == NULL && (cb_flag(cb, r->stems[k - 1]) & (CB_TIGHT | CB_NEG))) ||
	    (r->prefix[k] == NULL && (cb_flag(cb, r->stems[k]) & (CB_TIGHT | CB_NEG))))
		return 0;
	return (size_t)cb->gap;
}

/* One past the last word of r matched from word at, or 0.  Later words of
 * a phrase may follow the earlier ones with gaps of other words, within
 * one clause: "domestic and sexual abuse" matches "domestic abuse". */
static size_t
rule_at(const struct codebook *cb, const struct cb_rule *r, const struct tokens *tk,
    size_t at)
{
	size_t pos = at;

	if (!tok_matches(r, 0, &tk->v[at]))
		return 0;
	for (size_t k = 1; k < r->n; k++) {
		size_t g = gap_before(cb, r, k), j = pos + 1;
		for (; j < tk->n && j <= pos + 1 + g; j++) {
			if (j > pos + 1 && tk->v[j].clause != tk->v[at].clause) {
				j = tk->n;
				break;
			}
			if (tok_matches(r, k, &tk->v[j]))
				break;
		}
		if (j >= tk->n || j > pos + 1 + g)
			return 0;
		pos = j;
	}
	return pos + 1;
}

static int
push_match(struct codebook *cb, size_t rule, size_t at, size_t end)
{
	if (grow(&cb->m, &cb->capm, cb->nm, sizeof(*cb->m), 32) != 0)
		return -1;
	cb->m[cb->nm].rule = rule;
	cb->m[cb->nm].at = at;
	cb->m[cb->nm].end = end;
	cb->nm++;
	return 0;
}

static int
find_matches(struct codebook *cb)
{
	const struct tokens *tk = &cb->toks;

	cb->nm = 0;
	for (size_t i = 0; i < tk->n; i++) {
		int r = tk->v[i].stem > 0 && (size_t)tk->v[i].stem < cb->nhead ?
		    cb->head[tk->v[i].stem] : -1;
		size_t end;
		for (; r >= 0; r = cb->rules[r].next)
			if ((end = rule_at(cb, &cb->rules[r], tk, i)) > 0 &&
			    push_match(cb, (size_t)r, i, end) != 0)
				return -1;
		for (r = cb->wild[(unsigned char)tk->v[i].w[0]]; r >= 0; r = cb->rules[r].next)
			if ((end = rule_at(cb, &cb->rules[r], tk, i)) > 0 &&
			    push_match(cb, (size_t)r, i, end) != 0)
				return -1;
	}
	return 0;
}

/* Words like "but" end a clause: the negation window does not reach over them. */
static void
mark_breaks(struct codebook *cb)
{
	struct tokens *tk = &cb->toks;
	uint32_t bump = 0;

	for (size_t i = 0; i < tk->n; i++) {
		tk->v[i].clause += bump;
		if (cb_flag(cb, tk->v[i].stem) & CB_BREAK)
			tk->v[i].clause = tk->v[i].clause + 1, bump++;
	}
}

static int
is_cap(const struct tok *t)
{
	return (t->shape & (TOK_CAP | TOK_UPPER)) == TOK_CAP || (t->shape & TOK_NUMBER);
}

/* Marks place names, whose words are not topics: a capitalised place word
 * after a capitalised word or a number, with the capitalised words before
 * it ("12 Park Road", "Northumberland Park"), and a place word right after
 * "near", "by", ... and an optional article ("near the park"). */
static void
mark_places(struct codebook *cb)
{
	struct tokens *tk = &cb->toks;

	for (size_t i = 1; i < tk->n; i++) {
		struct tok *t = &tk->v[i];
		size_t j = i - 1;
		if (!(cb_flag(cb, t->stem) & CB_PLACE))
			continue;
		if (is_cap(t) && !(t->shape & TOK_NUMBER) && is_cap(&tk->v[j]) &&
		    tk->v[j].clause == t->clause) {
			t->shape |= TOK_PLACE;
			for (size_t d = 0; d < 3 && is_cap(&tk->v[j]) && tk->v[j].clause == t->clause;
			    d++, j--) {
				tk->v[j].shape |= TOK_PLACE;
				if (j == 0)
					break;
			}
			continue;
		}
		if ((cb_flag(cb, tk->v[j].stem) & CB_ARTICLE) && j > 0)
			j--;
		if ((cb_flag(cb, tk->v[j].stem) & CB_NEAR) && tk->v[j].clause == t->clause)
			t->shape |= TOK_PLACE;
	}
}

static void
explain_places(const struct codebook *cb, FILE *fp)
{
	const struct tokens *tk = &cb->toks;

	for (size_t i = 0; i < tk->n; i++) {
		if (!(tk->v[i].shape & TOK_PLACE) || (i > 0 && (tk->v[i - 1].shape & TOK_PLACE)))
			continue;
		fprintf(fp, "  place at word %zu:", i + 1);
		for (size_t k = i; k < tk->n && (tk->v[k].shape & TOK_PLACE); k++)
			fprintf(fp, " %s", tk->v[k].w);
		fprintf(fp, " -> a place, not a topic\n");
	}
}

static int
is_pseudo(const struct codebook *cb, size_t j)
{
	const struct tokens *tk = &cb->toks;

	for (size_t p = 0; p < cb->npseudo; p++)
		if (tk->v[j].stem == cb->pseudo[p][0] && j + 1 < tk->n &&
		    tk->v[j + 1].stem == cb->pseudo[p][1])
			return 1;
	return 0;
}

static int
rule_has_negator(const struct codebook *cb, const struct cb_rule *r)
{
	for (size_t k = 0; k < r->n; k++)
		if (r->prefix[k] == NULL && (cb_flag(cb, r->stems[k]) & CB_NEG))
			return 1;
	return 0;
}

/* The first word of a negation in negation.after starting at j, or -1. */
static long
after_at(const struct codebook *cb, size_t j)
{
	const struct tokens *tk = &cb->toks;

	for (size_t p = 0; p < cb->nafter; p++) {
		size_t n = (size_t)cb->after[p][0], k;
		for (k = 0; k < n && j + k < tk->n && tk->v[j + k].stem == cb->after[p][k + 1]; k++)
			;
		if (k == n)
			return (long)j;
	}
	return -1;
}

/* The index of the negator cancelling match m, or -1: one in the window
 * before it, one inside a gap of it ("police are not responding"), or a
 * negation that follows it ("knife crime isnt a problem"). */
static long
negator_of(const struct codebook *cb, const struct cb_match *m)
{
	const struct tokens *tk = &cb->toks;
	uint32_t clause = tk->v[m->at].clause;

	if (m->end > m->at + cb->rules[m->rule].n && !rule_has_negator(cb, &cb->rules[m->rule]))
		for (size_t j = m->at + 1; j < m->end; j++)
			if ((cb_flag(cb, tk->v[j].stem) & CB_NEG) && !is_pseudo(cb, j))
				return (long)j;
	for (size_t d = 1; d <= (size_t)cb->window && d <= m->at; d++) {
		size_t j = m->at - d;
		if (tk->v[j].clause != clause)
			break;
		if ((cb_flag(cb, tk->v[j].stem) & CB_NEG) && !is_pseudo(cb, j))
			return (long)j;
	}
	for (size_t j = m->end; j < tk->n && j <= m->end + (size_t)cb->window; j++) {
		if (tk->v[j].clause != clause)
			break;
		if (after_at(cb, j) >= 0)
			return (long)j;
	}
	return -1;
}

/* The exclusion match of the same theme overlapping match m, or -1. */
static long
exclusion_of(const struct codebook *cb, const struct cb_match *m)
{
	const struct cb_rule *r = &cb->rules[m->rule];

	for (size_t i = 0; i < cb->nm; i++) {
		const struct cb_match *x = &cb->m[i];
		const struct cb_rule *xr = &cb->rules[x->rule];
		if (xr->kind == CB_EXCLUDE && xr->theme == r->theme &&
		    x->at < m->end && m->at < x->end)
			return (long)i;
	}
	return -1;
}

/* The first `without` phrase of theme found in the answer, for explanations. */
static const char *
without_text(const struct codebook *cb, size_t theme)
{
	for (size_t i = 0; i < cb->nm; i++) {
		const struct cb_rule *r = &cb->rules[cb->m[i].rule];
		if (r->kind == CB_WITHOUT && r->theme == theme)
			return r->text;
	}
	return "?";
}

static void
explain_match(const struct codebook *cb, const struct cb_match *m, long neg, long exc,
    FILE *fp)
{
	const struct cb_rule *r = &cb->rules[m->rule];
	const struct tokens *tk = &cb->toks;

	fprintf(fp, "  %s \"%s\" (%s line %d) at word %zu:", cb->themes[r->theme].id,
	    r->text, r->file ? r->file : "codebook", r->line, m->at + 1);
	for (size_t k = m->at; k < m->end; k++)
		fprintf(fp, " %s", tk->v[k].w);
	if (exc >= 0)
		fprintf(fp, " -> excluded by \"%s\"\n", cb->rules[cb->m[exc].rule].text);
	else if (cb->themes[r->theme].needs_context && !(cb->context[r->theme] & CB_CTX_WITH))
		fprintf(fp, " -> no context word (with:) in the answer\n");
	else if (cb->context[r->theme] & CB_CTX_WITHOUT)
		fprintf(fp, " -> vetoed by \"%s\" (without:): about running the partnership\n",
		    without_text(cb, r->theme));
	else if (neg >= 0)
		fprintf(fp, " -> negated by \"%s\"\n", tk->v[neg].w);
	else
		fprintf(fp, " -> fires%s\n", cb->themes[r->theme].keep_negated &&
		    negator_of(cb, m) >= 0 ? " (negation kept: meaningful here)" : "");
}

/* An outcome area's phrase that is the whole answer ("police", "trust") is
 * its own context: the answer names the area and nothing else. */
static int
whole_answer(const struct codebook *cb, const struct cb_match *m)
{
	const struct cb_rule *r = &cb->rules[m->rule];

	return r->kind == CB_PHRASE && cb->themes[r->theme].frame == cb->outcomes &&
	    m->at == 0 && m->end == cb->toks.n;
}

static void
apply_matches(struct codebook *cb, struct codebook_hits *h, FILE *explain)
{
	memset(cb->fired, 0, cb->nthemes);
	memset(cb->context, 0, cb->nthemes);
	h->areas = 0;
	for (size_t i = 0; i < cb->nm; i++)
		if (cb->rules[cb->m[i].rule].kind == CB_WITH || whole_answer(cb, &cb->m[i]))
			cb->context[cb->rules[cb->m[i].rule].theme] |= CB_CTX_WITH;
		else if (cb->rules[cb->m[i].rule].kind == CB_WITHOUT)
			cb->context[cb->rules[cb->m[i].rule].theme] |= CB_CTX_WITHOUT;
	for (size_t i = 0; i < cb->nm; i++) {
		const struct cb_match *m = &cb->m[i];
		const struct cb_rule *r = &cb->rules[m->rule];
		long neg = -1, exc;
		if (r->kind != CB_PHRASE)
			continue;
		exc = exclusion_of(cb, m);
		if (!cb->themes[r->theme].keep_negated)
			neg = negator_of(cb, m);
		if (explain != NULL)
			explain_match(cb, m, neg, exc, explain);
		if (exc < 0 && neg < 0 && (!cb->themes[r->theme].needs_context ||
		    (cb->context[r->theme] & CB_CTX_WITH)) &&
		    !(cb->context[r->theme] & CB_CTX_WITHOUT))
			cb->fired[r->theme] = 1;
	}
	h->nthemes = 0;
	for (size_t t = 0; t < cb->nthemes; t++)
		if (cb->fired[t]) {
			cb->list[h->nthemes++] = t;
			h->areas |= cb->themes[t].areas;
		}
	h->themes = cb->list;
	h->rule_areas = h->areas;
	h->modelled = 0;
	h->certainty = h->nthemes > 0 ? 1.0 : 0.0;
}

int
codebook_code(struct codebook *cb, const char *text, size_t n, struct codebook_hits *h,
    FILE *explain)
{
	if (tok_split(cb->tk, text, n, &cb->toks) != 0)
		return -1;
	mark_breaks(cb);
	mark_places(cb);
	if (explain != NULL)
		explain_places(cb, explain);
	if (find_matches(cb) != 0)
		return -1;
	apply_matches(cb, h, explain);
	if (cb->model != NULL)
		return cb_model_apply(cb, h, explain);
	return 0;
}

const char *
codebook_version_str(const struct codebook *cb)
{
	return cb->vstr;
}

int
codebook_version(const struct codebook *cb)
{
	return cb->version;
}

size_t
codebook_nareas(const struct codebook *cb)
{
	return cb->frames[cb->outcomes].ncodes;
}

const char *
codebook_area(const struct codebook *cb, size_t i)
{
	return cb->frames[cb->outcomes].codes[i];
}

const char *
codebook_area_title(const struct codebook *cb, size_t i)
{
	return cb->frames[cb->outcomes].titles[i];
}

size_t
codebook_nframes(const struct codebook *cb)
{
	return cb->nframes;
}

const struct codebook_frame *
codebook_frame(const struct codebook *cb, size_t i)
{
	return &cb->frames[i];
}

size_t
codebook_nthemes(const struct codebook *cb)
{
	return cb->nthemes;
}

const struct codebook_theme *
codebook_theme(const struct codebook *cb, size_t i)
{
	return &cb->themes[i];
}

long
codebook_theme_index(const struct codebook *cb, const char *id)
{
	for (size_t i = 0; i < cb->nthemes; i++)
		if (strcmp(cb->themes[i].id, id) == 0)
			return (long)i;
	return -1;
}

long
codebook_area_index(const struct codebook *cb, const char *id)
{
	for (size_t i = 0; i < codebook_nareas(cb); i++)
		if (strcmp(codebook_area(cb, i), id) == 0)
			return (long)i;
	return -1;
}

char *
codebook_areas_str(const struct codebook *cb, uint32_t areas, char *out, size_t outlen)
{
	size_t len = 0;

	if (outlen == 0)
		return out;
	out[0] = '\0';
	for (size_t i = 0; i < codebook_nareas(cb); i++) {
		if (!(areas & (1u << i)))
			continue;
		int k = snprintf(out + len, outlen - len, "%s%s", len ? "," : "", codebook_area(cb, i));
		if (k < 0 || (size_t)k >= outlen - len)
			return out;
		len += (size_t)k;
	}
	if (len == 0)
		snprintf(out, outlen, "other");
	return out;
}

int
codebook_areas_parse(const struct codebook *cb, const char *s, uint32_t *areas,
    char *bad, size_t badlen)
{
	*areas = 0;
	while (*s) {
		size_t n = strcspn(s, ",; \t\r\n");
		char id[64];
		long k;
		if (n > 0) {
			snprintf(id, sizeof(id), "%.*s", (int)(n < 63 ? n : 63), s);
			k = codebook_area_index(cb, id);
			if (k < 0 && strcmp(id, "other") != 0) {
				snprintf(bad, badlen, "%s", id);
				return -1;
			}
			if (k >= 0)
				*areas |= 1u << k;
		}
		s += n;
		if (*s)
			s++;
	}
	return 0;
}
