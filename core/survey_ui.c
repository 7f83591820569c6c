/* survey_ui: the UI strings (buttons, messages, headings) from ui.yaml and
 * from each language folder's ui.yaml (surveys/lang/CODE/ui.yaml).
 * ui.yaml is a mapping from language code to a mapping of key -> text; its
 * first language is the default and fixes the key set.  A key is either a
 * respondent key (anything a respondent or a workshop participant, or the
 * room looking at the projector, can see) or a staff key (staff_table below).
 * Invariant after a load: every language has a value for every key, and no
 * language has a key the default lacks.  A language must give every
 * respondent key; a staff key it does not give takes the default language's
 * text, so staff pages stay in the default language.  Every key a language
 * lacks, or does not know, is reported in one message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "survey_int.h"

struct ui_lang {
	const char	*code;
	const char	*name;		/* in its own language; the code if not given */
	const char	*file;		/* where its strings came from */
	int		 rtl;
	int		 draft;		/* review: draft */
	const char	**vals;		/* [nkeys] */
};

struct ui_strings {
	size_t		 nlangs, nkeys;
	const char	**keys;		/* [nkeys], sorted, unique */
	struct ui_lang	 langs[UI_MAX_LANGS];	/* langs[0] is the default */
};

struct kv {
	const char	*key, *val;
	yaml_node_t	*at;
};

/* Keys only staff see: the staff pages and the facilitator's console.  A new
 * staff key starts with one of the prefixes, or is listed here; every other
 * key is a respondent key that each language must translate. */
static const char *const staff_prefixes[] = { "staff_", "poll_type_", "poll_quick",
	"audit_", "channel_", "dash_", "dl_", "entry_", "links_", "poster_", "preview_",
	"results_admin", "results_upload", "results_err_" };
/* The other staff keys, each between spaces (ui_key_staff). */
static const char staff_keys[] =
	" csv forbidden json poll_approve poll_console_lobby poll_console_title poll_end"
	" poll_end_no poll_end_title poll_end_warning poll_end_yes poll_export"
	" poll_export_hint poll_first poll_forbidden poll_hide poll_list_title poll_lock"
	" poll_next poll_no_sessions poll_open poll_present_link poll_prev poll_questions"
	" poll_reject poll_save_again poll_saved poll_sessions poll_show poll_start"
	" poll_start_set poll_state_hidden poll_state_shown poll_state_voting poll_unlock"
	" poll_unsaved"
	/* the survey list and a survey's page (lifecycle) */
	" life_by life_close life_close_hint life_close_title life_closed_early"
	" life_closed_notice life_closes life_dates life_draft_hint life_no_date life_none"
	" life_open_link life_opens life_preview life_reason life_reason_hint"
	" life_reason_missing life_reopen life_reopen_hint life_reopen_title life_reopened"
	" life_reopened_notice life_responses life_state life_state_changed"
	" life_state_closed life_state_closing life_state_draft life_state_open"
	" life_state_scheduled life_survey life_surveys_title life_taken_until"
	" life_tool_dashboard life_tool_downloads life_tool_enter life_tool_links"
	" life_tools life_version life_waves"
	/* the results page's admin side */
	" results_bad_json results_bad_quote results_bad_table results_did_add"
	" results_did_body results_did_date results_did_delete results_did_deleted"
	" results_did_gone results_did_invalid results_did_save results_did_saved"
	" results_did_title results_did_what results_is_published results_not_published"
	" results_other_survey results_preview results_preview_link results_publish"
	" results_published results_small_count results_still_open results_table"
	" results_unpublish results_unpublished results_unsafe_table" " ";

int
ui_key_staff(const char *key)
{
	char	 word[128];
	size_t	 i;

	for (i = 0; i < sizeof(staff_prefixes) / sizeof(staff_prefixes[0]); i++)
		if (strncmp(key, staff_prefixes[i], strlen(staff_prefixes[i])) == 0)
			return 1;
	if (strchr(key, ' ') != NULL ||
	    (size_t)snprintf(word, sizeof(word), " %s ", key) >= sizeof(word))
		return 0;
	return strstr(staff_keys, word) != NULL;
}

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
		if (strcmp(ui->langs[i].code, code) == 0)
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
	return ui->langs[i].code;
}

const char *
ui_lang_name(const struct ui_strings *ui, size_t i)
{
	return ui->langs[i].name;
}

const char *
ui_lang_file(const struct ui_strings *ui, size_t i)
{
	return ui->langs[i].file;
}

int
ui_lang_rtl(const struct ui_strings *ui, size_t i)
{
	return ui->langs[i].rtl;
}

int
ui_lang_draft(const struct ui_strings *ui, size_t i)
{
	return ui->langs[i].draft;
}

long
ui_lang_index(const struct ui_strings *ui, const char *code)
{
	return ui != NULL ? lang_index(ui, code) : -1;
}

const char *
ui_default_lang(const struct ui_strings *ui)
{
	return ui->langs[0].code;
}

const char *
ui_get(const struct ui_strings *ui, const char *lang, const char *key)
{
	long	 k, l;

	if (ui == NULL || key == NULL || (k = key_index(ui, key)) == -1)
		return NULL;
	if ((l = lang_index(ui, lang)) == -1)
		l = 0;
	return ui->langs[l].vals[k];
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
		fn(ctx, ui->keys[k], ui->langs[l].vals[k]);
}

/* Sets ui's keys and the default language's values from sorted, unique kvs. */
static int
set_keys(struct arena *mem, struct ui_strings *ui, const struct kv *kv, size_t n)
{
	size_t	 i;

	ui->nkeys = n;
	if ((ui->keys = arena_calloc(mem, n + 1, sizeof(*ui->keys))) == NULL ||
	    (ui->langs[0].vals = arena_calloc(mem, n + 1, sizeof(*ui->keys))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		ui->keys[i] = kv[i].key;
		ui->langs[0].vals[i] = kv[i].val;
	}
	return 0;
}

int
ui_builtin(struct arena *mem, struct ui_strings **out)
{
	struct ui_strings	*ui;
	const size_t		 n = sizeof(builtin) / sizeof(builtin[0]);

	if ((ui = arena_calloc(mem, 1, sizeof(*ui))) == NULL)
		return -1;
	ui->nlangs = 1;
	ui->langs[0].code = ui->langs[0].name = ui->langs[0].file = "en";
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
			    kv[i].key, ui->langs[0].code);
	if (set_keys(ld->mem, ui, kv, n) == -1)
		return ld_fail(ld, block, "out of memory");
	return 0;
}

/* Appends ", word" (or "word" first) to a fixed-size list; "..." once full. */
static void
list_add(char *list, size_t size, size_t *count, const char *word)
{
	size_t	 len = strlen(list), need = strlen(word) + 2;

	if ((*count)++ > 0 && len + need + 4 < size) {
		memcpy(list + len, ", ", 3);
		len += 2;
	}
	if (len + need + 4 < size)
		memcpy(list + len, word, strlen(word) + 1);
	else if (len + 4 < size && strcmp(list + len - 3, "...") != 0)
		memcpy(list + len, "...", 4);
}

/* Keys of a block the default does not know, and respondent keys it lacks:
 * both lists in one message, so one run names every fix. */
static int
check_block(struct ld *ld, struct ui_strings *ui, size_t l, yaml_node_t *at,
    const char **unknown, size_t nunknown)
{
	char		 missing[1536] = "", extra[768] = "";
	const char	*m = "", *x = "";
	size_t		 i, nm = 0, nx = 0;

	for (i = 0; i < nunknown; i++)
		list_add(extra, sizeof(extra), &nx, unknown[i]);
	for (i = 0; i < ui->nkeys; i++) {
		if (ui->langs[l].vals[i] != NULL)
			continue;
		if (ui_key_staff(ui->keys[i]))
			ui->langs[l].vals[i] = ui->langs[0].vals[i];
		else
			list_add(missing, sizeof(missing), &nm, ui->keys[i]);
	}
	if (nm == 0 && nx == 0)
		return 0;
	if (nm > 0 && (m = arena_printf(ld->mem, " has no text for %zu key(s) respondents "
	    "see: %s%s", nm, missing, nx ? ";" : "")) == NULL)
		m = " has missing keys";
	if (nx > 0 && (x = arena_printf(ld->mem, " gives %zu key(s) the default language "
	    "does not have (misspelt, or no longer used): %s", nx, extra)) == NULL)
		x = " has unknown keys";
	return ld_fail(ld, at, "language '%s'%s%s", ui->langs[l].code, m, x);
}

/* Language l's strings from block (key -> text), checked against the default. */
static int
parse_block(struct ld *ld, struct ui_strings *ui, size_t l, yaml_node_t *at,
    yaml_node_t *block)
{
	yaml_node_pair_t	*p = block->data.mapping.pairs.start;
	size_t			 n = (size_t)(block->data.mapping.pairs.top - p), nx = 0;
	const char		**unknown;
	struct kv		 kv;
	long			 k;

	if ((ui->langs[l].vals = arena_calloc(ld->mem, ui->nkeys + 1, sizeof(char *))) == NULL ||
	    (unknown = arena_calloc(ld->mem, n + 1, sizeof(*unknown))) == NULL)
		return ld_fail(ld, block, "out of memory");
	for (; p < block->data.mapping.pairs.top; p++) {
		if (read_kv(ld, p, &kv) == -1)
			return -1;
		if ((k = key_index(ui, kv.key)) == -1)
			unknown[nx++] = kv.key;
		else if (ui->langs[l].vals[k] != NULL)
			return ld_fail(ld, kv.at, "'%s' is given twice in language '%s'",
			    kv.key, ui->langs[l].code);
		else
			ui->langs[l].vals[k] = kv.val;
	}
	return check_block(ld, ui, l, at, unknown, nx);
}

/* Takes the next language slot for code, refusing a bad or repeated code. */
static int
new_lang(struct ld *ld, struct ui_strings *ui, yaml_node_t *at, const char *code,
    size_t *l)
{
	if (!ld_is_lang_code(code))
		return ld_fail(ld, at, "'%s' is not a language code (like en, tr or pt-BR)",
		    code);
	if (lang_index(ui, code) != -1)
		return ld_fail(ld, at, "language '%s' is given twice", code);
	if (ui->nlangs == UI_MAX_LANGS)
		return ld_fail(ld, at, "there can be at most %d languages", UI_MAX_LANGS);
	*l = ui->nlangs++;
	ui->langs[*l].code = ui->langs[*l].name = code;
	if ((ui->langs[*l].file = arena_strdup(ld->mem, ld->path)) == NULL)
		return ld_fail(ld, at, "out of memory");
	return 0;
}

int
ui_parse(struct ld *ld, struct ui_strings **out)
{
	yaml_node_t		*root = yaml_document_get_root_node(&ld->doc), *code, *block;
	yaml_node_pair_t	*p;
	struct ui_strings	*ui;
	const char		*c;
	size_t			 l;

	if (ld_map(ld, root, "ui.yaml") == -1)
		return -1;
	if (root->data.mapping.pairs.top == root->data.mapping.pairs.start)
		return ld_fail(ld, root, "ui.yaml has no language");
	if ((ui = arena_calloc(ld->mem, 1, sizeof(*ui))) == NULL)
		return ld_fail(ld, root, "out of memory");
	for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		code = ld_node(ld, p->key);
		block = ld_node(ld, p->value);
		if (ld_str(ld, code, "language code", &c) == -1 ||
		    new_lang(ld, ui, code, c, &l) == -1 ||
		    ld_map(ld, block, "a language block") == -1)
			return -1;
		if ((l == 0 ? parse_default(ld, ui, block) :
		    parse_block(ld, ui, l, code, block)) == -1)
			return -1;
	}
	*out = ui;
	return 0;
}

enum lkey { LF_NAME, LF_DIR, LF_REVIEW, LF_REVIEWED_BY, LF_STRINGS, LF__MAX };
static const char *const lfkeys[LF__MAX] = {
	"name",		/* LF_NAME */
	"dir",		/* LF_DIR */
	"review",	/* LF_REVIEW */
	"reviewed_by",	/* LF_REVIEWED_BY: who checked it, for the record only */
	"strings",	/* LF_STRINGS */
};

/* name, dir and review of a language folder's ui.yaml. */
static int
lang_meta(struct ld *ld, struct ui_lang *lg, yaml_node_t **v)
{
	const char	*dir = "ltr", *review = NULL, *by;

	if ((v[LF_NAME] != NULL && ld_str(ld, v[LF_NAME], "name", &lg->name) == -1) ||
	    (v[LF_DIR] != NULL && ld_str(ld, v[LF_DIR], "dir", &dir) == -1) ||
	    (v[LF_REVIEWED_BY] != NULL && ld_str(ld, v[LF_REVIEWED_BY], "reviewed_by",
	    &by) == -1))
		return -1;
	if (strcmp(dir, "ltr") != 0 && strcmp(dir, "rtl") != 0)
		return ld_fail(ld, v[LF_DIR], "'dir' should be ltr or rtl");
	lg->rtl = dir[0] == 'r';
	if (v[LF_REVIEW] == NULL)
		return ld_fail(ld, NULL, "'review' is missing: write 'review: draft' until a "
		    "fluent speaker has checked every text, then 'review: reviewed'");
	if (ld_str(ld, v[LF_REVIEW], "review", &review) == -1)
		return -1;
	if (strcmp(review, "draft") != 0 && strcmp(review, "reviewed") != 0)
		return ld_fail(ld, v[LF_REVIEW], "'review' should be draft or reviewed");
	lg->draft = review[0] == 'd';
	return 0;
}

int
ui_add_lang(struct ld *ld, struct ui_strings *ui, const char *code)
{
	yaml_node_t	*root = yaml_document_get_root_node(&ld->doc), *v[LF__MAX];
	size_t		 l;

	if (ld_fields(ld, root, "a language's ui.yaml", lfkeys, LF__MAX, v) == -1 ||
	    new_lang(ld, ui, root, code, &l) == -1 ||
	    lang_meta(ld, &ui->langs[l], v) == -1)
		return -1;
	if (v[LF_STRINGS] == NULL)
		return ld_fail(ld, root, "'strings' is missing: the buttons and messages, "
		    "key: text, as in the default language's block of surveys/ui.yaml");
	if (ld_map(ld, v[LF_STRINGS], "strings") == -1)
		return -1;
	return parse_block(ld, ui, l, v[LF_STRINGS], v[LF_STRINGS]);
}
