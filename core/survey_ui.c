/* survey_ui: the UI strings (buttons, messages, headings) from ui.yaml.
 * Format: a mapping from language code to a mapping of key -> text; the first
 * language is the default.  Invariant after a load: every language has a value
 * for every key, and no language has a key the default lacks, so a lookup
 * by (language, key) never needs a fallback for a known key. */
#include <stdlib.h>
#include <string.h>
#include "survey_int.h"

struct ui_strings {
	size_t		 nlangs, nkeys;
	const char	**codes;	/* [nlangs]; codes[0] is the default */
	const char	**keys;		/* [nkeys], sorted, unique */
	const char	**vals;		/* [nlangs * nkeys]: vals[l * nkeys + k] */
};

struct kv {
	const char	*key, *val;
	yaml_node_t	*at;
};

/* Just enough English for tests and for running without a ui.yaml. */
static const struct kv builtin[] = {
	{ "back", "Back", NULL },
	{ "chars_left", "You can enter up to {n} characters", NULL },
	{ "check_title", "Check your answers", NULL },
	{ "choose_any", "Select all that apply", NULL },
	{ "choose_max", "Choose up to {n}", NULL },
	{ "done_title", "Answers received", NULL },
	{ "error_bad_text", "Remove the special characters from your answer", NULL },
	{ "error_exclusive", "You cannot combine this option with other options", NULL },
	{ "error_grid_min_rows", "Answer at least {n} of these", NULL },
	{ "error_grid_required", "Answer '{row}'", NULL },
	{ "error_grid_row", "'{row}': {error}", NULL },
	{ "error_not_number", "Enter a whole number, like 12", NULL },
	{ "error_out_of_range", "Enter a number in the allowed range", NULL },
	{ "error_rank_duplicate", "Give each option a different position", NULL },
	{ "error_rank_incomplete", "Fill the positions in order, starting from 1", NULL },
	{ "error_required", "Answer this question", NULL },
	{ "error_title", "There is a problem", NULL },
	{ "error_too_long", "Your answer is too long", NULL },
	{ "error_too_many", "You chose too many options", NULL },
	{ "error_unknown_option", "Choose one of the options shown", NULL },
	{ "home_title", "Have your say", NULL },
	{ "language", "Language", NULL },
	{ "next", "Continue", NULL },
	{ "optional", "(optional)", NULL },
	{ "privacy_title", "Your privacy", NULL },
	{ "rank_hint", "Give your first choice 1, your second 2, and so on", NULL },
	{ "scrub_notice", "Please do not write your name or anyone else's", NULL },
	{ "site_name", "Have your say", NULL },
	{ "start", "Start now", NULL },
	{ "step", "Step {n} of {total}", NULL },
	{ "submit", "Send your answers", NULL },
};

static int
kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kv *)a)->key, ((const struct kv *)b)->key);
}

static long
key_index(const struct ui_strings *ui, const char *key)
{
	size_t	 lo = 0, hi = ui->nkeys, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(key, ui->keys[mid])) == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static long
lang_index(const struct ui_strings *ui, const char *code)
{
	size_t	 i;

	for (i = 0; code != NULL && i < ui->nlangs; i++)
		if (strcmp(ui->codes[i], code) == 0)
			return (long)i;
	return -1;
}

int
ui_has_lang(const struct ui_strings *ui, const char *code)
{
	return lang_index(ui, code) != -1;
}

size_t
ui_nlangs(const struct ui_strings *ui)
{
	return ui != NULL ? ui->nlangs : 0;
}

const char *
ui_lang_code(const struct ui_strings *ui, size_t i)
{
	return ui->codes[i];
}

long
ui_lang_index(const struct ui_strings *ui, const char *code)
{
	return ui != NULL ? lang_index(ui, code) : -1;
}

const char *
ui_default_lang(const struct ui_strings *ui)
{
	return ui->codes[0];
}

const char *
ui_get(const struct ui_strings *ui, const char *lang, const char *key)
{
	long	 k, l;

	if (ui == NULL || key == NULL || (k = key_index(ui, key)) == -1)
		return NULL;
	if ((l = lang_index(ui, lang)) == -1)
		l = 0;
	return ui->vals[(size_t)l * ui->nkeys + (size_t)k];
}

void
ui_each(const struct ui_strings *ui, const char *lang,
    void (*fn)(void *ctx, const char *key, const char *value), void *ctx)
{
	size_t	 k;
	long	 l;

	if (ui == NULL)
		return;
	if ((l = lang_index(ui, lang)) == -1)
		l = 0;
	for (k = 0; k < ui->nkeys; k++)
		fn(ctx, ui->keys[k], ui->vals[(size_t)l * ui->nkeys + k]);
}

/* Sets ui's keys from sorted, unique kvs and the default language's values. */
static int
set_keys(struct arena *mem, struct ui_strings *ui, const struct kv *kv, size_t n)
{
	size_t	 i;

	ui->nkeys = n;
	if ((ui->keys = arena_calloc(mem, n + 1, sizeof(*ui->keys))) == NULL ||
	    (ui->vals = arena_calloc(mem, ui->nlangs * n + 1, sizeof(*ui->vals))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		ui->keys[i] = kv[i].key;
		ui->vals[i] = kv[i].val;
	}
	return 0;
}

int
ui_builtin(struct arena *mem, struct ui_strings **out)
{
	struct ui_strings	*ui;
	const size_t		 n = sizeof(builtin) / sizeof(builtin[0]);

	if ((ui = arena_calloc(mem, 1, sizeof(*ui))) == NULL ||
	    (ui->codes = arena_calloc(mem, 1, sizeof(*ui->codes))) == NULL)
		return -1;
	ui->nlangs = 1;
	ui->codes[0] = "en";
	if (set_keys(mem, ui, builtin, n) == -1)
		return -1;
	*out = ui;
	return 0;
}

/* One "key: text" pair of a language block; an empty text is allowed. */
static int
read_kv(struct ld *ld, const yaml_node_pair_t *p, struct kv *kv)
{
	yaml_node_t	*v = ld_node(ld, p->value);

	kv->at = ld_node(ld, p->key);
	if (ld_str(ld, kv->at, "key", &kv->key) == -1)
		return -1;
	if (v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0) {
		kv->val = "";
		return 0;
	}
	return ld_str(ld, v, kv->key, &kv->val);
}

/* The default language's block fixes the key set. */
static int
parse_default(struct ld *ld, struct ui_strings *ui, yaml_node_t *block)
{
	yaml_node_pair_t	*p = block->data.mapping.pairs.start;
	size_t			 i, n = (size_t)(block->data.mapping.pairs.top - p);
	struct kv		*kv;

	if ((kv = arena_calloc(ld->mem, n + 1, sizeof(*kv))) == NULL)
		return ld_fail(ld, block, "out of memory");
	for (i = 0; i < n; i++)
		if (read_kv(ld, p + i, kv + i) == -1)
			return -1;
	qsort(kv, n, sizeof(*kv), kv_cmp);
	for (i = 1; i < n; i++)
		if (strcmp(kv[i - 1].key, kv[i].key) == 0)
			return ld_fail(ld, kv[i].at, "'%s' is given twice in language '%s'",
			    kv[i].key, ui->codes[0]);
	if (set_keys(ld->mem, ui, kv, n) == -1)
		return ld_fail(ld, block, "out of memory");
	return 0;
}

/* Another language's block: the same keys as the default, no more, no fewer. */
static int
parse_other(struct ld *ld, struct ui_strings *ui, size_t l, yaml_node_t *code,
    yaml_node_t *block)
{
	yaml_node_pair_t	*p;
	const char		**vals = ui->vals + l * ui->nkeys;
	struct kv		 kv;
	long			 k;
	size_t			 i;

	for (p = block->data.mapping.pairs.start; p < block->data.mapping.pairs.top; p++) {
		if (read_kv(ld, p, &kv) == -1)
			return -1;
		if ((k = key_index(ui, kv.key)) == -1)
			return ld_fail(ld, kv.at, "'%s' is not a key of the default language '%s'",
			    kv.key, ui->codes[0]);
		if (vals[k] != NULL)
			return ld_fail(ld, kv.at, "'%s' is given twice in language '%s'",
			    kv.key, ui->codes[l]);
		vals[k] = kv.val;
	}
	for (i = 0; i < ui->nkeys; i++)
		if (vals[i] == NULL)
			return ld_fail(ld, code, "language '%s' has no text for '%s'",
			    ui->codes[l], ui->keys[i]);
	return 0;
}

int
ui_parse(struct ld *ld, struct ui_strings **out)
{
	yaml_node_t		*root = yaml_document_get_root_node(&ld->doc), *code, *block;
	yaml_node_pair_t	*p;
	struct ui_strings	*ui;
	size_t			 l, i;

	if (ld_map(ld, root, "ui.yaml") == -1)
		return -1;
	if (root->data.mapping.pairs.top == root->data.mapping.pairs.start)
		return ld_fail(ld, root, "ui.yaml has no language");
	if ((ui = arena_calloc(ld->mem, 1, sizeof(*ui))) == NULL ||
	    (ui->codes = arena_calloc(ld->mem, (size_t)(root->data.mapping.pairs.top -
	    root->data.mapping.pairs.start) + 1, sizeof(*ui->codes))) == NULL)
		return ld_fail(ld, root, "out of memory");
	ui->nlangs = (size_t)(root->data.mapping.pairs.top - root->data.mapping.pairs.start);
	for (l = 0, p = root->data.mapping.pairs.start; l < ui->nlangs; l++, p++) {
		code = ld_node(ld, p->key);
		block = ld_node(ld, p->value);
		if (ld_str(ld, code, "language code", &ui->codes[l]) == -1)
			return -1;
		if (!ld_is_lang_code(ui->codes[l]))
			return ld_fail(ld, code, "'%s' is not a language code (like en, tr or pt-BR)",
			    ui->codes[l]);
		for (i = 0; i < l; i++)
			if (strcmp(ui->codes[i], ui->codes[l]) == 0)
				return ld_fail(ld, code, "language '%s' is given twice",
				    ui->codes[l]);
		if (ld_map(ld, block, "a language block") == -1)
			return -1;
		if ((l == 0 ? parse_default(ld, ui, block) :
		    parse_other(ld, ui, l, code, block)) == -1)
			return -1;
	}
	*out = ui;
	return 0;
}
