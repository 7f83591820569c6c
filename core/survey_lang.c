/* survey_lang: the language folders, dir/lang/CODE/.  Part of the survey
 * loader.  A folder holds ui.yaml (the language's UI strings, its name,
 * direction and review state) and one SURVEY-ID.yaml per survey or poll set
 * it translates.  A translation file adds its language to that survey; a
 * text it does not give is shown in the survey's default language (counted
 * in lang.untranslated), so a question added to a survey later never stops
 * the translated survey from loading.  A translation of a text or an id the
 * survey does not have is refused: it is a typing mistake or out of date.
 * Each folder is loaded whole or the set fails, as for every other file. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "survey_int.h"

/* What one translation file is being applied to. */
struct tr {
	struct ld	*ld;
	struct survey	*s;
	int		 l;	/* the language's index in s->langs */
};

static int
is_dir_entry(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* The entries of path (no hidden ones), sorted; *n = 0 when path does not
 * exist.  The caller frees each entry and *out. */
static int
list(struct ld *ld, const char *path, struct dirent ***out, int *n)
{
	if ((*n = scandir(path, out, is_dir_entry, alphasort)) >= 0)
		return 0;
	*n = 0;
	*out = NULL;
	if (errno == ENOENT)
		return 0;
	ld->path = path;
	return ld_fail(ld, NULL, "cannot read the folder: %s", strerror(errno));
}

static void
list_free(struct dirent **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

struct ui_arg {
	struct ui_strings	*ui;
	const char		*code;
};

static int
ui_job(struct ld *ld, void *arg)
{
	struct ui_arg	*a = arg;

	return ui_add_lang(ld, a->ui, a->code);
}

int
lang_ui(struct ld *ld, struct survey_set *set, const char *dir)
{
	struct dirent	**v = NULL;
	struct ui_arg	 a = { set->ui, NULL };
	char		*folder = NULL, *path = NULL;
	int		 n = 0, i, rc = -1;

	if ((folder = arena_printf(ld->mem, "%s/lang", dir)) == NULL)
		return ld_fail(ld, NULL, "out of memory");
	if (list(ld, folder, &v, &n) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i]->d_type != DT_DIR && v[i]->d_type != DT_UNKNOWN)
			continue;	/* a README beside the folders */
		if ((a.code = arena_strdup(ld->mem, v[i]->d_name)) == NULL ||
		    (path = arena_printf(ld->mem, "%s/%s/ui.yaml", folder, a.code)) == NULL) {
			ld_fail(ld, NULL, "out of memory");
			goto out;
		}
		ld->path = path;
		if (ld_load_file(ld, NULL, ui_job, &a) == -1)
			goto out;
	}
	rc = 0;
out:
	list_free(v, n);
	return rc;
}

/* One text: a string for a text the survey has in its default language. */
static int
tr_text(struct tr *t, yaml_node_t *n, const char *what, struct i18n *dst)
{
	if (n == NULL)
		return 0;
	if (dst->s[0] == NULL)
		return ld_fail(t->ld, n, "'%s' has no text in the survey to translate", what);
	return ld_str(t->ld, n, what, &dst->s[t->l]);
}

/* For a from/to scale's end: "code – label", as the survey writes it. */
static int
tr_scale_end(struct tr *t, yaml_node_t *n, const char *what, struct option *o)
{
	const char	*label;

	if (n == NULL)
		return 0;
	if (ld_str(t->ld, n, what, &label) == -1)
		return -1;
	if ((o->text.s[t->l] = arena_printf(t->ld->mem, "%s \u2013 %s", o->code, label)) == NULL)
		return ld_fail(t->ld, n, "out of memory");
	return 0;
}

/* options: {code: text}; a list shared with 'options_from' is translated
 * under any one question that uses it. */
static int
tr_options(struct tr *t, yaml_node_t *n, const char *id, struct question *q)
{
	yaml_node_pair_t	*p;
	const char		*code;
	long			 o;

	if (n == NULL)
		return 0;
	if (ld_map(t->ld, n, "options") == -1)
		return -1;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		if (ld_str(t->ld, ld_node(t->ld, p->key), "option code", &code) == -1)
			return -1;
		if ((o = question_option_index(q, code)) == -1)
			return ld_fail(t->ld, ld_node(t->ld, p->key), "question '%s' has no "
			    "option '%s'%s", id, code, ld_comma_hint(t->ld, n,
			    ld_node(t->ld, p->key)));
		if (tr_text(t, ld_node(t->ld, p->value), code, &q->opts[o].text) == -1)
			return -1;
	}
	return 0;
}

enum qkey { TQ_TEXT, TQ_HINT, TQ_LOW, TQ_HIGH, TQ_OPTIONS, TQ__MAX };
static const char *const tqkeys[TQ__MAX] = {
	"text",		/* TQ_TEXT */
	"hint",		/* TQ_HINT */
	"low",		/* TQ_LOW: the label of a from/to scale's lowest point */
	"high",		/* TQ_HIGH */
	"options",	/* TQ_OPTIONS */
};

/* A question's texts; a grid's options, low and high are those its rows
 * share, so they are translated on its first row. */
static int
tr_question(struct tr *t, const char *id, yaml_node_t *n)
{
	yaml_node_t	*v[TQ__MAX];
	struct question	*q, *o;
	long		 i;

	if ((i = survey_question_index(t->s, id)) == -1)
		return ld_fail(t->ld, n, "the survey has no question '%s'", id);
	q = &t->s->qs[i];
	o = q->type == Q_GRID && q->rows > 0 ? &t->s->qs[i + 1] : q;
	if (ld_fields(t->ld, n, "a question", tqkeys, TQ__MAX, v) == -1)
		return -1;
	if ((v[TQ_LOW] || v[TQ_HIGH]) && (o->type != Q_SCALE || o->nopts == 0 ||
	    o->opts[0].text.s[0] == o->opts[0].code))
		return ld_fail(t->ld, v[TQ_LOW] ? v[TQ_LOW] : v[TQ_HIGH], "'low' and 'high' "
		    "are for a scale or grid given by 'from' and 'to' with those labels; "
		    "translate its other points under 'options'");
	return tr_text(t, v[TQ_TEXT], "text", &q->text) == -1 ||
	    tr_text(t, v[TQ_HINT], "hint", &q->hint) == -1 ||
	    tr_scale_end(t, v[TQ_LOW], "low", &o->opts[0]) == -1 ||
	    tr_scale_end(t, v[TQ_HIGH], "high", &o->opts[o->nopts ? o->nopts - 1 : 0]) == -1 ||
	    tr_options(t, v[TQ_OPTIONS], q->id, o) ? -1 : 0;
}

enum pkey { TP_TITLE, TP_INTRO, TP__MAX };
static const char *const tpkeys[TP__MAX] = {
	"title",	/* TP_TITLE */
	"intro",	/* TP_INTRO */
};

static int
tr_page(struct tr *t, const char *id, yaml_node_t *n)
{
	yaml_node_t	*v[TP__MAX];
	long		 i;

	if ((i = survey_page_index(t->s, id)) == -1)
		return ld_fail(t->ld, n, "the survey has no page '%s'", id);
	if (ld_fields(t->ld, n, "a page", tpkeys, TP__MAX, v) == -1)
		return -1;
	return tr_text(t, v[TP_TITLE], "title", &t->s->pages[i].title) == -1 ||
	    tr_text(t, v[TP_INTRO], "intro", &t->s->pages[i].intro) == -1 ? -1 : 0;
}

/* pages or questions: a mapping from id to its texts. */
static int
tr_each(struct tr *t, yaml_node_t *n, const char *what,
    int (*fn)(struct tr *, const char *, yaml_node_t *))
{
	yaml_node_pair_t	*p;
	const char		*id;

	if (n == NULL)
		return 0;
	if (ld_map(t->ld, n, what) == -1)
		return -1;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++)
		if (ld_str(t->ld, ld_node(t->ld, p->key), "id", &id) == -1 ||
		    fn(t, id, ld_node(t->ld, p->value)) == -1)
			return -1;
	return 0;
}

enum hkey { TH_NAME, TH_DETAIL, TH__MAX };
static const char *const thkeys[TH__MAX] = {
	"name",		/* TH_NAME */
	"detail",	/* TH_DETAIL */
};

/* help: the survey's help items in the same order (numbers and links stay). */
static int
tr_help(struct tr *t, yaml_node_t *n)
{
	yaml_node_item_t	*it;
	yaml_node_t		*v[TH__MAX];
	size_t			 i, cnt;

	if (n == NULL)
		return 0;
	if (ld_seq(t->ld, n, "help", &it, &cnt) == -1)
		return -1;
	if (cnt > t->s->nhelp)
		return ld_fail(t->ld, n, "'help' has %zu items; the survey has %zu", cnt,
		    t->s->nhelp);
	for (i = 0; i < cnt; i++)
		if (ld_fields(t->ld, ld_node(t->ld, it[i]), "a help item", thkeys, TH__MAX,
		    v) == -1 ||
		    tr_text(t, v[TH_NAME], "name", &t->s->help[i].name) == -1 ||
		    tr_text(t, v[TH_DETAIL], "detail", &t->s->help[i].detail) == -1)
			return -1;
	return 0;
}

enum fkey { TF_REVIEW, TF_TITLE, TF_INTRO, TF_PRIVACY, TF_DONE, TF_HELP_TITLE, TF_HELP,
	TF_PAGES, TF_QUESTIONS, TF__MAX };
static const char *const tfkeys[TF__MAX] = {
	"review",	/* TF_REVIEW: draft or reviewed */
	"title",	/* TF_TITLE */
	"intro",	/* TF_INTRO */
	"privacy",	/* TF_PRIVACY */
	"done",		/* TF_DONE */
	"help_title",	/* TF_HELP_TITLE */
	"help",		/* TF_HELP */
	"pages",	/* TF_PAGES */
	"questions",	/* TF_QUESTIONS */
};


/* Texts of s that language l shows in the default language instead. */
static size_t
untranslated(const struct survey *s, int l)
{
	const struct i18n *const top[] = { &s->title, &s->intro, &s->privacy, &s->done,
	    &s->help_title };
	size_t	 i, j, n = 0;

	for (i = 0; i < sizeof(top) / sizeof(top[0]); i++)
		n += (size_t)i18n_fallback(top[i], l);
	for (i = 0; i < s->nhelp; i++)
		n += (size_t)(i18n_fallback(&s->help[i].name, l) +
		    i18n_fallback(&s->help[i].detail, l));
	for (i = 0; i < s->npages; i++)
		n += (size_t)(i18n_fallback(&s->pages[i].title, l) +
		    i18n_fallback(&s->pages[i].intro, l));
	for (i = 0; i < s->nqs; i++) {
		n += (size_t)(i18n_fallback(&s->qs[i].text, l) +
		    i18n_fallback(&s->qs[i].hint, l));
		for (j = 0; j < s->qs[i].nopts; j++)
			n += (size_t)i18n_fallback(&s->qs[i].opts[j].text, l);
	}
	return n;
}

/* Adds language code (in ui) to the survey t->s; sets t->l. */
static int
tr_add_lang(struct tr *t, const struct ui_strings *ui, const char *code, yaml_node_t *at)
{
	struct survey	*s = t->s;
	long		 u = ui_lang_index(ui, code);
	size_t		 i, j;

	if (survey_lang_index(s, code) != -1)
		return ld_fail(t->ld, at, "survey '%s' already has language '%s' in its own "
		    "file: give its texts in one place only", s->id, code);
	if (s->nlangs == SURVEY_MAX_LANGS)
		return ld_fail(t->ld, at, "a survey can offer at most %d languages",
		    SURVEY_MAX_LANGS);
	t->l = (int)s->nlangs++;
	s->langs[t->l].code = ui_lang_code(ui, (size_t)u);
	s->langs[t->l].name = ui_lang_name(ui, (size_t)u);
	s->langs[t->l].rtl = ui_lang_rtl(ui, (size_t)u);
	s->langs[t->l].draft = ui_lang_draft(ui, (size_t)u);
	for (i = 0; i < s->nqs; i++)	/* a from/to scale's points are numbers */
		for (j = 0; j < s->qs[i].nopts; j++)
			if (s->qs[i].opts[j].text.s[0] == s->qs[i].opts[j].code)
				s->qs[i].opts[j].text.s[t->l] = s->qs[i].opts[j].code;
	return 0;
}

struct tr_arg {
	struct survey_set	*set;
	struct survey		*s;
	const char		*code;
};

static int
tr_job(struct ld *ld, void *arg)
{
	struct tr_arg	*a = arg;
	struct tr	 t = { ld, a->s, 0 };
	yaml_node_t	*root = yaml_document_get_root_node(&ld->doc), *v[TF__MAX];
	const char	*review;
	struct survey	*s = a->s;

	if (ld_fields(ld, root, "a translation", tfkeys, TF__MAX, v) == -1 ||
	    tr_add_lang(&t, a->set->ui, a->code, root) == -1)
		return -1;
	if (v[TF_REVIEW] == NULL)
		return ld_fail(ld, root, "'review' is missing: write 'review: draft' until a "
		    "fluent speaker has checked every text, then 'review: reviewed'");
	if (ld_str(ld, v[TF_REVIEW], "review", &review) == -1)
		return -1;
	if (strcmp(review, "draft") != 0 && strcmp(review, "reviewed") != 0)
		return ld_fail(ld, v[TF_REVIEW], "'review' should be draft or reviewed");
	s->langs[t.l].draft |= review[0] == 'd';
	if (tr_text(&t, v[TF_TITLE], "title", &s->title) == -1 ||
	    tr_text(&t, v[TF_INTRO], "intro", &s->intro) == -1 ||
	    tr_text(&t, v[TF_PRIVACY], "privacy", &s->privacy) == -1 ||
	    tr_text(&t, v[TF_DONE], "done", &s->done) == -1 ||
	    tr_text(&t, v[TF_HELP_TITLE], "help_title", &s->help_title) == -1 ||
	    tr_help(&t, v[TF_HELP]) == -1 ||
	    tr_each(&t, v[TF_PAGES], "pages", tr_page) == -1 ||
	    tr_each(&t, v[TF_QUESTIONS], "questions", tr_question) == -1)
		return -1;
	s->langs[t.l].untranslated = untranslated(s, t.l);
	return 0;
}

/* The translation files of one language folder. */
static int
folder_texts(struct ld *ld, struct survey_set *set, const char *folder, const char *code)
{
	struct dirent	**v = NULL;
	struct tr_arg	 a = { set, NULL, code };
	char		*id;
	size_t		 len;
	int		 n = 0, i, rc = -1;

	if (list(ld, folder, &v, &n) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		len = strlen(v[i]->d_name);
		if (strcmp(v[i]->d_name, "ui.yaml") == 0 || len < 6 ||
		    strcmp(v[i]->d_name + len - 5, ".yaml") != 0)
			continue;
		if ((id = arena_strdup(ld->mem, v[i]->d_name)) == NULL ||
		    (ld->path = arena_printf(ld->mem, "%s/%s", folder, id)) == NULL) {
			ld_fail(ld, NULL, "out of memory");
			goto out;
		}
		id[len - 5] = '\0';
		if ((a.s = (struct survey *)survey_find(set, id)) == NULL) {
			ld_fail(ld, NULL, "no survey or poll set has the id '%s' (the file name "
			    "is the id of the survey it translates)", id);
			goto out;
		}
		if (ld_load_file(ld, NULL, tr_job, &a) == -1)
			goto out;
	}
	rc = 0;
out:
	list_free(v, n);
	return rc;
}

int
lang_texts(struct ld *ld, struct survey_set *set, const char *dir)
{
	size_t	 i;
	char	*folder;

	for (i = 1; i < ui_nlangs(set->ui); i++) {
		if (strcmp(ui_lang_file(set->ui, i), ui_lang_file(set->ui, 0)) == 0)
			continue;	/* a block of ui.yaml, not a folder */
		if ((folder = arena_printf(ld->mem, "%s/lang/%s", dir,
		    ui_lang_code(set->ui, i))) == NULL)
			return ld_fail(ld, NULL, "out of memory");
		if (folder_texts(ld, set, folder, ui_lang_code(set->ui, i)) == -1)
			return -1;
	}
	return 0;
}
