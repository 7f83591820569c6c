/* codebook: loading and checking analysis/codebook.yaml (libyaml document
 * API), and the small queries on a loaded codebook.  The file format is
 * described in docs/analyst.md ("Coding free text"); unknown keys are errors, so a misspelt
 * "exclude" cannot silently do nothing. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>
#include <sodium.h>
#include "codebook_model.h"

#define CB_MAX_PHRASE	16

static int
same_tokens(const struct cb_rule *r, const int *stems, char *const *prefix,
    const unsigned char *cs)
{
	for (size_t k = 0; k < r->n; k++) {
		if (r->cs[k] != cs[k])
			return 0;
		if ((r->prefix[k] == NULL) != (prefix[k] == NULL))
			return 0;
		if (r->prefix[k] ? strcmp(r->prefix[k], prefix[k]) != 0 : r->stems[k] != stems[k])
			return 0;
	}
	return 1;
}

static int
add_rule(struct cb_ld *l, yaml_node_t *n, const char *text, size_t theme, int kind,
    const int *stems, char *const *prefix, const unsigned char *cs, size_t np)
{
	struct codebook *cb = l->cb;
	struct cb_rule *r;

	/* "killed" and "killing" stem alike: keep one rule, so --explain says it once. */
	for (size_t i = cb->nrules; i-- > 0 && cb->rules[i].theme == theme;) {
		r = &cb->rules[i];
		if (r->kind == kind && r->n == np && same_tokens(r, stems, prefix, cs))
			return 0;
	}
	if (cb->nrules == 0 || (cb->nrules >= 64 && (cb->nrules & (cb->nrules - 1)) == 0)) {
		size_t nc = cb->nrules ? cb->nrules * 2 : 64;
		struct cb_rule *nr = realloc(cb->rules, nc * sizeof(*nr));
		if (nr == NULL)
			return cb_fail(l, n, "out of memory");
		cb->rules = nr;
	}
	r = &cb->rules[cb->nrules];
	memset(r, 0, sizeof(*r));
	r->stems = cb_alloc(cb, np * sizeof(*r->stems));
	r->prefix = cb_alloc(cb, np * sizeof(*r->prefix));
	r->plen = cb_alloc(cb, np * sizeof(*r->plen));
	r->cs = cb_alloc(cb, np);
	r->text = cb_strdup(cb, text);
	if (r->stems == NULL || r->prefix == NULL || r->plen == NULL || r->cs == NULL ||
	    r->text == NULL)
		return cb_fail(l, n, "out of memory");
	memcpy(r->stems, stems, np * sizeof(*stems));
	memcpy(r->prefix, prefix, np * sizeof(*prefix));
	memcpy(r->cs, cs, np);
	for (size_t k = 0; k < np; k++)
		r->plen[k] = prefix[k] ? strlen(prefix[k]) : 0;
	r->n = np;
	r->theme = theme;
	r->kind = kind;
	r->next = -1;
	r->line = (int)n->start_mark.line + 1;
	r->file = l->file;
	cb->nrules++;
	return 0;
}

/* One space-separated piece of a phrase: a "prefix*" or one or more words. */
/* A word written in capitals ("IOM", "DV") must be in capitals in the
 * answer; one written capitalised ("Prevent") must be capitalised where a
 * sentence does not start.  Lower-case words match any case. */
static unsigned char
case_rule(const struct tok *t)
{
	if (t->shape & TOK_UPPER)
		return CB_CS_UPPER;
	return t->shape & TOK_CAP ? CB_CS_CAP : 0;
}

static int
compile_piece(struct cb_ld *l, yaml_node_t *n, char *piece, struct tokens *tk,
    int *stems, char **prefix, unsigned char *cs, size_t *np)
{
	size_t pl = strlen(piece), i;
	int wild = pl > 1 && piece[pl - 1] == '*';

	if (wild)
		piece[pl - 1] = '\0';
	if (tok_split(l->cb->tk, piece, strlen(piece), tk) != 0)
		return cb_fail(l, n, "out of memory");
	if (wild && tk->n == 0)
		return cb_fail(l, n, "'%s*': a prefix needs letters", piece);
	/* "e-scooter*": words before the last match exactly, the last as a prefix. */
	for (i = 0; i < tk->n; i++) {
		int pre = wild && i + 1 == tk->n;
		if (*np == CB_MAX_PHRASE)
			return cb_fail(l, n, "a phrase has at most %d words", CB_MAX_PHRASE);
		prefix[*np] = NULL;
		stems[*np] = 0;
		cs[*np] = case_rule(&tk->v[i]);
		if (pre && (prefix[*np] = cb_strdup(l->cb, tk->v[i].w)) == NULL)
			return cb_fail(l, n, "out of memory");
		if (!pre && (stems[*np] = tok_intern(l->cb->tk, tk->v[i].w, tk->v[i].n)) <= 0)
			return cb_fail(l, n, "cannot stem '%s'", tk->v[i].w);
		(*np)++;
	}
	return 0;
}

static int
compile_phrase(struct cb_ld *l, yaml_node_t *n, size_t theme, int kind)
{
	const char *text = yn_scalar(n);
	struct tokens tk = { 0 };
	int stems[CB_MAX_PHRASE];
	char *prefix[CB_MAX_PHRASE], *copy, *piece, *save = NULL;
	unsigned char cs[CB_MAX_PHRASE];
	size_t np = 0;
	int rc = -1;

	if (text == NULL)
		return cb_fail(l, n, "a phrase must be text");
	if ((copy = strdup(text)) == NULL)
		return cb_fail(l, n, "out of memory");
	for (piece = strtok_r(copy, " \t", &save); piece; piece = strtok_r(NULL, " \t", &save))
		if (compile_piece(l, n, piece, &tk, stems, prefix, cs, &np) != 0)
			goto out;
	if (np == 0) {
		cb_fail(l, n, "phrase '%s' has no words", text);
		goto out;
	}
	rc = add_rule(l, n, text, theme, kind, stems, prefix, cs, np);
out:
	tok_tokens_free(&tk);
	free(copy);
	return rc;
}

static int
compile_list(struct cb_ld *l, yaml_node_t *seq, size_t theme, int kind)
{
	for (size_t i = 0; i < yn_seq_len(seq); i++)
		if (compile_phrase(l, yn_seq_at(l->doc, seq, i), theme, kind) != 0)
			return -1;
	return 0;
}

static long
find_frame(struct codebook *cb, const char *id)
{
	for (size_t i = 0; i < cb->nframes; i++)
		if (strcmp(cb->frames[i].id, id) == 0)
			return (long)i;
	return -1;
}

static long
find_code(const struct codebook_frame *f, const char *id)
{
	for (size_t i = 0; i < f->ncodes; i++)
		if (strcmp(f->codes[i], id) == 0)
			return (long)i;
	return -1;
}

static int
load_areas(struct cb_ld *l, yaml_node_t *seq, struct codebook_theme *t)
{
	const struct codebook_frame *o = &l->cb->frames[l->cb->outcomes];

	if (seq != NULL && seq->type != YAML_SEQUENCE_NODE)
		return cb_fail(l, seq, "'areas' must be a list of outcome area ids");
	for (size_t i = 0; i < yn_seq_len(seq); i++) {
		const char *a = yn_scalar(yn_seq_at(l->doc, seq, i));
		long k = a ? find_code(o, a) : -1;
		if (k < 0)
			return cb_fail(l, yn_seq_at(l->doc, seq, i), "'%s' is not an outcome area", a ? a : "?");
		t->areas |= 1u << k;
	}
	return 0;
}

static int
load_theme_head(struct cb_ld *l, yaml_node_t *n, struct codebook_theme *t)
{
	static const char *const keys[] = { "id", "label", "frame", "code", "areas",
	    "phrases", "exclude", "with", "without", "negation", NULL };
	const char *id, *fr, *code, *neg;
	long fi, ci;

	if (cb_check_keys(l, n, keys) != 0)
		return -1;
	if ((id = cb_get_str(l, n, "id", 1)) == NULL || (fr = cb_get_str(l, n, "frame", 1)) == NULL ||
	    (code = cb_get_str(l, n, "code", 1)) == NULL)
		return -1;
	if (!cb_valid_id(id))
		return cb_fail(l, n, "theme id '%s': use a-z, 0-9, _ and -", id);
	if (codebook_theme_index(l->cb, id) >= 0)
		return cb_fail(l, n, "theme '%s' is defined twice", id);
	if ((fi = find_frame(l->cb, fr)) < 0)
		return cb_fail(l, n, "theme '%s': no frame '%s'", id, fr);
	if ((ci = find_code(&l->cb->frames[fi], code)) < 0)
		return cb_fail(l, n, "theme '%s': frame '%s' has no code '%s'", id, fr, code);
	neg = cb_get_str(l, n, "negation", 0);
	if (neg != NULL && strcmp(neg, "keep") != 0 && strcmp(neg, "cancel") != 0)
		return cb_fail(l, n, "theme '%s': negation is 'cancel' or 'keep'", id);
	t->id = cb_strdup(l->cb, id);
	t->label = cb_strdup(l->cb, cb_get_str(l, n, "label", 0) ? cb_get_str(l, n, "label", 0) : id);
	if (t->id == NULL || t->label == NULL)
		return cb_fail(l, n, "out of memory");
	t->frame = (size_t)fi;
	t->code = (size_t)ci;
	t->keep_negated = neg != NULL && strcmp(neg, "keep") == 0;
	if ((size_t)fi == l->cb->outcomes)
		t->areas |= 1u << ci;
	return load_areas(l, yn_get(l->doc, n, "areas"), t);
}

/* A theme's with: or without: list, written out or named ("without:
 * running"): a named list is in codebook.yaml's lists:, so its phrases are
 * compiled as that file's lines. */
static int
compile_context(struct cb_ld *l, yaml_node_t *t, const char *key, size_t theme, int kind,
    size_t *n)
{
	struct cb_ld m = *l;
	yaml_node_t *seq = yn_get(l->doc, t, key);

	if (yn_scalar(seq) != NULL) {
		if ((seq = cb_named_list(l, seq)) == NULL)
			return -1;
		m.doc = l->main;
		m.path = l->main_path;
		m.file = NULL;
	}
	*n = yn_seq_len(seq);
	return compile_list(&m, seq, theme, kind);
}

int
cb_load_themes(struct cb_ld *l, yaml_node_t *seq)
{
	struct codebook *cb = l->cb;
	size_t nwith, nwithout;

	for (size_t k = 0; k < yn_seq_len(seq); k++) {
		yaml_node_t *t = yn_seq_at(l->doc, seq, k);
		size_t i = cb->nthemes;
		if (load_theme_head(l, t, &cb->themes[i]) != 0)
			return -1;
		cb->nthemes++;
		if (yn_seq_len(yn_get(l->doc, t, "phrases")) == 0)
			return cb_fail(l, t, "theme '%s' has no phrases", cb->themes[i].id);
		if (compile_list(l, yn_get(l->doc, t, "phrases"), i, CB_PHRASE) != 0 ||
		    compile_list(l, yn_get(l->doc, t, "exclude"), i, CB_EXCLUDE) != 0 ||
		    compile_context(l, t, "with", i, CB_WITH, &nwith) != 0 ||
		    compile_context(l, t, "without", i, CB_WITHOUT, &nwithout) != 0)
			return -1;
		cb->themes[i].needs_context = nwith > 0;
	}
	return 0;
}

static int
load_codes(struct cb_ld *l, yaml_node_t *seq, struct codebook_frame *f)
{
	static const char *const keys[] = { "id", "title", NULL };
	size_t n = yn_seq_len(seq);

	if (n == 0)
		return cb_fail(l, seq, "frame '%s' needs a list of codes", f->id);
	f->codes = cb_alloc(l->cb, n * sizeof(*f->codes));
	f->titles = cb_alloc(l->cb, n * sizeof(*f->titles));
	if (f->codes == NULL || f->titles == NULL)
		return cb_fail(l, seq, "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *c = yn_seq_at(l->doc, seq, i);
		const char *id, *title;
		if (cb_check_keys(l, c, keys) != 0 || (id = cb_get_str(l, c, "id", 1)) == NULL ||
		    (title = cb_get_str(l, c, "title", 1)) == NULL)
			return -1;
		if (!cb_valid_id(id) || strcmp(id, "other") == 0 || find_code(f, id) >= 0)
			return cb_fail(l, c, "code '%s': a unique id of a-z, 0-9, _ or -, not 'other'", id);
		f->codes[i] = cb_strdup(l->cb, id);
		f->titles[i] = cb_strdup(l->cb, title);
		if (f->codes[i] == NULL || f->titles[i] == NULL)
			return cb_fail(l, c, "out of memory");
		f->ncodes++;
	}
	return 0;
}

static int
load_frames(struct cb_ld *l, yaml_node_t *seq)
{
	static const char *const keys[] = { "id", "title", "codes", NULL };
	struct codebook *cb = l->cb;
	size_t n = yn_seq_len(seq);
	long o;

	if (n == 0)
		return cb_fail(l, seq, "'frames' must be a non-empty list");
	if ((cb->frames = cb_alloc(cb, n * sizeof(*cb->frames))) == NULL)
		return cb_fail(l, seq, "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *f = yn_seq_at(l->doc, seq, i);
		const char *id, *title;
		if (cb_check_keys(l, f, keys) != 0 || (id = cb_get_str(l, f, "id", 1)) == NULL ||
		    (title = cb_get_str(l, f, "title", 1)) == NULL)
			return -1;
		if (!cb_valid_id(id) || find_frame(cb, id) >= 0)
			return cb_fail(l, f, "frame '%s': a unique id of a-z, 0-9, _ or -", id);
		cb->frames[i].id = cb_strdup(cb, id);
		cb->frames[i].title = cb_strdup(cb, title);
		if (cb->frames[i].id == NULL || cb->frames[i].title == NULL)
			return cb_fail(l, f, "out of memory");
		if (load_codes(l, yn_get(l->doc, f, "codes"), &cb->frames[i]) != 0)
			return -1;
		cb->nframes++;
	}
	if ((o = find_frame(cb, "outcomes")) < 0)
		return cb_fail(l, seq, "there must be a frame with id 'outcomes'");
	if (cb->frames[o].ncodes > CODEBOOK_MAX_AREAS)
		return cb_fail(l, seq, "at most %d outcome areas", CODEBOOK_MAX_AREAS);
	cb->outcomes = (size_t)o;
	return 0;
}

/* The model the codebook names, as a path relative to the codebook. */
static int
load_model(struct cb_ld *l, const char *name)
{
	char path[4096], err[512];
	const char *slash = strrchr(l->path, '/');

	if (name == NULL)
		return 0;
	if (name[0] == '/' || slash == NULL)
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - l->path), l->path, name);
	if ((l->cb->model_path = cb_strdup(l->cb, path)) == NULL)
		return cb_fail(l, NULL, "out of memory");
	if (l->rules_only)
		return 0;
	if (cb_model_load(l->cb, path, err, sizeof(err)) != 0)
		return cb_fail(l, yn_get(l->doc, yaml_document_get_root_node(l->doc), "model"), "model %s", err);
	return 0;
}

static int
load_doc(struct cb_ld *l)
{
	static const char *const keys[] = { "version", "negation", "gaps", "places", "model",
	    "frames", "lists", "include", "themes", NULL };
	yaml_node_t *root = yaml_document_get_root_node(l->doc);
	struct cb_words ws = { 0 };
	unsigned char h[16];
	const char *v;

	if (root == NULL)
		return cb_fail(l, NULL, "the file is empty");
	if (cb_check_keys(l, root, keys) != 0)
		return -1;
	if ((v = cb_get_str(l, root, "version", 1)) == NULL)
		return -1;
	l->cb->version = atoi(v);
	if (load_frames(l, yn_get(l->doc, root, "frames")) != 0 ||
	    cb_load_words(l, root, &ws) != 0 ||
	    cb_load_all_themes(l, root) != 0)
		return -1;
	crypto_generichash_final(l->hs, h, sizeof(h));
	sodium_bin2hex(l->cb->hash, sizeof(l->cb->hash), h, sizeof(h));
	if (cb_index(l->cb) != 0)
		return cb_fail(l, NULL, "out of memory");
	if (cb_finish_words(l, &ws) != 0)
		return -1;
	snprintf(l->cb->vstr, sizeof(l->cb->vstr), "codebook %d", l->cb->version);
	return load_model(l, cb_get_str(l, root, "model", 0));
}

static int
load(const char *path, int rules_only, struct codebook **out, char *err, size_t errlen)
{
	struct cb_ld l = { NULL, NULL, path, err, errlen, rules_only, NULL, NULL, path, NULL };
	crypto_generichash_state hs;
	yaml_document_t doc;
	int rc = -1;

	if (sodium_init() < 0) {
		snprintf(err, errlen, "%s: libsodium failed to start", path);
		return -1;
	}
	crypto_generichash_init(&hs, NULL, 0, 16);
	if (cb_parse_file(path, &doc, &hs, err, errlen) != 0)
		return -1;
	l.doc = l.main = &doc;
	l.hs = &hs;
	if ((l.cb = calloc(1, sizeof(*l.cb))) == NULL || (l.cb->tk = tok_new()) == NULL) {
		snprintf(err, errlen, "%s: out of memory (or no English stemmer)", path);
		goto out;
	}
	if (load_doc(&l) != 0)
		goto out;
	*out = l.cb;
	l.cb = NULL;
	rc = 0;
out:
	codebook_free(l.cb);
	yaml_document_delete(&doc);
	return rc;
}

int
codebook_load(const char *path, struct codebook **out, char *err, size_t errlen)
{
	return load(path, 0, out, err, errlen);
}

int
codebook_load_rules(const char *path, struct codebook **out, char *err, size_t errlen)
{
	return load(path, 1, out, err, errlen);
}

const char *
codebook_model_path(const struct codebook *cb)
{
	return cb->model_path;
}

const char *
codebook_hash(const struct codebook *cb)
{
	return cb->hash;
}

void
codebook_drop_model(struct codebook *cb)
{
	cb_model_free(cb->model);
	cb->model = NULL;
	snprintf(cb->vstr, sizeof(cb->vstr), "codebook %d", cb->version);
}

void
codebook_free(struct codebook *cb)
{
	if (cb == NULL)
		return;
	cb_model_free(cb->model);
	for (size_t i = 0; i < cb->nallocs; i++)
		free(cb->allocs[i]);
	free(cb->allocs);
	free(cb->rules);
	free(cb->head);
	free(cb->m);
	free(cb->fired);
	free(cb->context);
	free(cb->list);
	tok_tokens_free(&cb->toks);
	tok_free(cb->tk);
	free(cb);
}
