/* survey: loads a survey set (ui.yaml plus survey files) and answers lookups.
 * This file reads files and runs libyaml; survey_parse.c turns one document
 * into a survey, survey_ui.c turns ui.yaml into UI strings, and survey_yaml.c
 * holds the helpers both use.  A set lives in one arena (set->mem), so
 * freeing it is one call, and a failed load leaves nothing behind. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sodium.h>
#include "disclose.h"
#include "survey_int.h"
#include "util.h"

#define FILE_MAX	(8u << 20)	/* a survey file bigger than this is a mistake */

const char *const qtype_names[Q__MAX] = {
	"info",		/* Q_INFO */
	"single",	/* Q_SINGLE */
	"multi",	/* Q_MULTI */
	"scale",	/* Q_SCALE */
	"ranking",	/* Q_RANKING */
	"text",		/* Q_TEXT */
	"longtext",	/* Q_LONGTEXT */
	"number",	/* Q_NUMBER */
	"list",		/* Q_LIST */
	"wordcloud",	/* Q_WORDCLOUD */
	"statements",	/* Q_STATEMENTS */
	"grid",		/* Q_GRID */
};

const char *const channel_names[CH__MAX] = {
	"online",	/* CH_ONLINE */
	"workshop",	/* CH_WORKSHOP */
	"paper",	/* CH_PAPER */
	"stall",	/* CH_STALL */
	"school",	/* CH_SCHOOL */
	"youth-service",/* CH_YOUTH */
	"focus-group",	/* CH_FOCUS */
};

enum channel
channel_from_name(const char *name)
{
	int	 i;

	for (i = 0; name != NULL && i < CH__MAX; i++)
		if (strcmp(name, channel_names[i]) == 0)
			return (enum channel)i;
	return CH__MAX;
}

const char *
i18n_get(const struct i18n *t, int lang)
{
	if (t == NULL)
		return "";
	if (lang >= 0 && lang < SURVEY_MAX_LANGS && t->s[lang] != NULL)
		return t->s[lang];
	return t->s[0] != NULL ? t->s[0] : "";
}

int
i18n_fallback(const struct i18n *t, int lang)
{
	return t != NULL && lang > 0 && lang < SURVEY_MAX_LANGS && t->s[lang] == NULL &&
	    t->s[0] != NULL;
}

/* ---- Files ---- */

/* Reads a whole file into a malloc'd buffer the caller frees. */
static int
read_file(struct ld *ld, unsigned char **out, size_t *len)
{
	FILE		*f;
	struct stat	 st;
	unsigned char	*p = NULL;
	int		 rc = -1;

	if ((f = fopen(ld->path, "rb")) == NULL)
		return ld_fail(ld, NULL, "cannot open the file: %s", strerror(errno));
	if (fstat(fileno(f), &st) == -1 || !S_ISREG(st.st_mode))
		ld_fail(ld, NULL, "not a readable file");
	else if ((size_t)st.st_size > FILE_MAX)
		ld_fail(ld, NULL, "the file is bigger than %u bytes", FILE_MAX);
	else if ((p = malloc((size_t)st.st_size + 1)) == NULL)
		ld_fail(ld, NULL, "out of memory");
	else if (fread(p, 1, (size_t)st.st_size, f) != (size_t)st.st_size || ferror(f))
		ld_fail(ld, NULL, "cannot read the file");
	else {
		*out = p;
		*len = (size_t)st.st_size;
		p = NULL;
		rc = 0;
	}
	free(p);
	fclose(f);
	return rc;
}

/* What to do about a YAML problem a policy officer often meets ("" when
 * there is no advice for it). */
static const char *
yaml_advice(const char *problem)
{
	static const struct {
		const char	*problem;
		const char	*advice;
	} tab[] = {
		{ "mapping values are not allowed", ": a text with ': ' (a colon and "
		    "a space) in it must be in quotes" },
		{ "did not find expected '-' indicator", ": line this up with the "
		    "lines above it (indent with spaces)" },
		{ "did not find expected key", ": line this up with the lines above "
		    "it (indent with spaces), and if a text starts with a quote mark, "
		    "put the whole text in the other kind of quotes" },
		{ "found a tab character", ": indent with spaces, not tabs" },
		{ "found character that cannot start any token", ": indent with "
		    "spaces, not tabs, and put a text that starts with @ ` | > % in "
		    "quotes" },
		{ "did not find expected ',' or '}'", ": close the { } on the same "
		    "item, and put a text with a comma or ': ' in it in quotes" },
	};
	size_t	 i;

	for (i = 0; problem != NULL && i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strncmp(problem, tab[i].problem, strlen(tab[i].problem)) == 0)
			return tab[i].advice;
	return "";
}

/* Parses text into ld->doc (which the caller deletes after a 0 return) and
 * refuses an empty file or more than one document. */
static int
load_doc(struct ld *ld, const unsigned char *text, size_t len)
{
	yaml_parser_t	 parser;
	yaml_document_t	 extra;
	yaml_node_t	 at;
	int		 rc = -1;

	if (!yaml_parser_initialize(&parser))
		return ld_fail(ld, NULL, "out of memory");
	yaml_parser_set_input_string(&parser, text, len);
	if (!yaml_parser_load(&parser, &ld->doc))
		goto syntax;
	if (yaml_document_get_root_node(&ld->doc) == NULL) {
		yaml_document_delete(&ld->doc);
		ld_fail(ld, NULL, "the file is empty");
		goto out;
	}
	if (!yaml_parser_load(&parser, &extra)) {
		yaml_document_delete(&ld->doc);
		goto syntax;
	}
	if (yaml_document_get_root_node(&extra) != NULL) {
		at.start_mark = yaml_document_get_root_node(&extra)->start_mark;
		yaml_document_delete(&extra);
		yaml_document_delete(&ld->doc);
		ld_fail(ld, &at, "a file holds one survey; remove the second document (after '---')");
		goto out;
	}
	yaml_document_delete(&extra);
	rc = 0;
	goto out;
syntax:
	at.start_mark = parser.problem_mark;
	ld_fail(ld, &at, "this is not valid YAML: %s%s%s%s",
	    parser.problem ? parser.problem : "unreadable",
	    parser.context ? " " : "", parser.context ? parser.context : "",
	    yaml_advice(parser.problem));
out:
	yaml_parser_delete(&parser);
	return rc;
}

int
ld_load_file(struct ld *ld, char *hash, int (*fn)(struct ld *, void *), void *arg)
{
	unsigned char	*text = NULL, bin[16];
	size_t		 len = 0;
	int		 rc = -1;

	if (read_file(ld, &text, &len) == -1)
		return -1;
	if (hash != NULL) {
		crypto_generichash(bin, sizeof(bin), text, len, NULL, 0);
		sodium_bin2hex(hash, 33, bin, sizeof(bin));
	}
	if (load_doc(ld, text, len) == -1)
		goto out;
	ld->nnodes = (size_t)(ld->doc.nodes.top - ld->doc.nodes.start);
	if ((ld->seen = calloc(ld->nnodes + 1, 1)) == NULL)
		ld_fail(ld, NULL, "out of memory");
	else
		rc = fn(ld, arg);
	free(ld->seen);
	ld->seen = NULL;
	yaml_document_delete(&ld->doc);
out:
	free(text);
	return rc;
}

struct survey_job {
	const struct ui_strings	*ui;
	struct survey		*s;
	int			 id_line;
};

static int
survey_job(struct ld *ld, void *arg)
{
	struct survey_job	*j = arg;

	return survey_parse(ld, j->ui, &j->s, &j->id_line);
}

static int
ui_job(struct ld *ld, void *arg)
{
	return ui_parse(ld, arg);
}

static int
disclose_job(struct ld *ld, void *arg)
{
	return disclose_parse(ld, arg);
}

/* The phrase sets live outside the arena (disclose.h): freed here. */
static void
free_disclose(struct survey_set *set)
{
	for (size_t i = 0; set != NULL && i < set->n; i++) {
		disclose_free(set->v[i]->disclose);
		set->v[i]->disclose = NULL;
	}
	if (set != NULL)
		disclose_free(set->disclose);
}

/* disc_path (NULL: none) into set->disclose, then each survey's own set. */
static int
add_disclose(struct survey_set *set, struct ld *ld, const char *disc_path)
{
	ld->path = disc_path;
	if (disc_path != NULL && ld_load_file(ld, NULL, disclose_job, &set->disclose) == -1)
		return -1;
	for (size_t i = 0; i < set->n; i++)
		if (survey_disclose_build(set->v[i], set->disclose, ld->err, ld->errlen) != 0)
			return -1;
	return 0;
}

static int
by_id(const void *a, const void *b)
{
	return strcmp((*(struct survey *const *)a)->id, (*(struct survey *const *)b)->id);
}

/* Loads one survey file into set->v[set->n]. */
static int
add_survey(struct survey_set *set, struct ld *ld)
{
	struct survey_job	 j = { set->ui, NULL, 0 };
	char			 hash[33];
	yaml_node_t		 at;
	size_t			 i;

	if (ld_load_file(ld, hash, survey_job, &j) == -1)
		return -1;
	memcpy(j.s->hash, hash, sizeof(hash));
	if ((j.s->file = arena_strdup(ld->mem, ld->path)) == NULL)
		return ld_fail(ld, NULL, "out of memory");
	for (i = 0; i < set->n; i++)
		if (strcmp(set->v[i]->id, j.s->id) == 0) {
			at.start_mark.line = (size_t)j.id_line - 1;
			return ld_fail(ld, &at, "survey id '%s' is already used by %s",
			    j.s->id, set->v[i]->file);
		}
	set->v[set->n++] = j.s;
	return 0;
}

/* The survey files, with ui_path's strings (built-in English when NULL),
 * disc_path's shipped safeguarding phrases (none when NULL) and, when dir is
 * not NULL, its language folders. */
static int
set_load(const char *const *paths, size_t npaths, const char *ui_path, const char *disc_path,
    const char *dir,
    struct survey_set **out, char *err, size_t errlen)
{
	struct ld		 ld = { 0 };
	struct survey_set	*set = NULL;
	size_t			 i;

	*out = NULL;
	lc_tz_init();	/* dates in files are London time: before any thread starts */
	ld.err = err;
	ld.errlen = errlen;
	ld.path = ui_path != NULL ? ui_path : "ui";
	if (errlen > 0)
		err[0] = '\0';
	if (sodium_init() < 0 || (ld.mem = arena_new(64 * 1024)) == NULL ||
	    (set = arena_calloc(ld.mem, 1, sizeof(*set))) == NULL ||
	    (set->v = arena_calloc(ld.mem, npaths + 1, sizeof(*set->v))) == NULL) {
		ld_fail(&ld, NULL, "out of memory or no random source");
		goto fail;
	}
	set->mem = ld.mem;
	if (ui_path != NULL ? ld_load_file(&ld, NULL, ui_job, &set->ui) :
	    ui_builtin(ld.mem, &set->ui))
		goto fail;
	if (dir != NULL && lang_ui(&ld, set, dir) == -1)
		goto fail;
	for (i = 0; i < npaths; i++) {
		ld.path = paths[i];
		if (add_survey(set, &ld) == -1)
			goto fail;
	}
	qsort(set->v, set->n, sizeof(*set->v), by_id);
	if (add_disclose(set, &ld, disc_path) == -1 ||
	    (dir != NULL && lang_texts(&ld, set, dir) == -1))
		goto fail;
	*out = set;
	return 0;
fail:
	free_disclose(set);
	arena_free(ld.mem);
	return -1;
}

int
survey_set_load_files(const char *const *paths, size_t npaths, const char *ui_path,
    struct survey_set **out, char *err, size_t errlen)
{
	return set_load(paths, npaths, ui_path, NULL, NULL, out, err, errlen);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The survey files in dir: every *.yaml but ui.yaml, disclosure.yaml and hidden files, as
 * malloc'd "dir/name" paths sorted by name (the caller frees each and v). */
static int
list_dir(const char *dir, char ***out, size_t *n, char *err, size_t errlen)
{
	DIR		*d;
	struct dirent	*e;
	char		**v = NULL;
	size_t		 len, cap = 0;

	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, "%s: cannot open the folder: %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0 ||
		    strcmp(e->d_name, "ui.yaml") == 0 || strcmp(e->d_name, "disclosure.yaml") == 0)
			continue;
		if (grow(&v, &cap, *n, sizeof(*v), 16) != 0)
			break;
		if (asprintf(&v[*n], "%s/%s", dir, e->d_name) == -1)
			break;
		(*n)++;
	}
	closedir(d);
	*out = v;
	if (e != NULL) {
		snprintf(err, errlen, "%s: out of memory", dir);
		return -1;
	}
	qsort(v, *n, sizeof(*v), by_name);
	return 0;
}

int
survey_set_load(const char *dir, struct survey_set **out, char *err, size_t errlen)
{
	char	**paths = NULL, *ui = NULL, *disc = NULL;
	struct stat st;
	size_t	 n = 0, i;
	int	 rc = -1;

	*out = NULL;
	lc_tz_init();	/* dates in files are London time: before any thread starts */
	if (list_dir(dir, &paths, &n, err, errlen) == -1)
		goto out;
	if (asprintf(&ui, "%s/ui.yaml", dir) == -1)
		ui = NULL;
	if (asprintf(&disc, "%s/disclosure.yaml", dir) == -1)
		disc = NULL;
	if (ui == NULL || disc == NULL) {
		snprintf(err, errlen, "%s: out of memory", dir);
		goto out;
	}
	rc = set_load((const char *const *)paths, n, ui, stat(disc, &st) == 0 ? disc : NULL, dir,
	    out, err, errlen);
out:
	free(disc);
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(ui);
	return rc;
}

void
survey_set_free(struct survey_set *set)
{
	if (set != NULL) {
		free_disclose(set);
		arena_free(set->mem);
	}
}

/* ---- Lookups ---- */

const struct survey *
survey_find(const struct survey_set *set, const char *id)
{
	size_t	 lo = 0, hi = set->n, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(id, set->v[mid]->id)) == 0)
			return set->v[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

long
survey_question_index(const struct survey *s, const char *qid)
{
	size_t	 i;

	for (i = 0; i < s->nqs; i++)
		if (strcmp(s->qs[i].id, qid) == 0)
			return (long)i;
	return -1;
}

long
survey_page_index(const struct survey *s, const char *pid)
{
	size_t	 i;

	for (i = 0; i < s->npages; i++)
		if (strcmp(s->pages[i].id, pid) == 0)
			return (long)i;
	return -1;
}

long
question_option_index(const struct question *q, const char *code)
{
	size_t	 i;

	for (i = 0; i < q->nopts; i++)
		if (strcmp(q->opts[i].code, code) == 0)
			return (long)i;
	return -1;
}

int
survey_lang_index(const struct survey *s, const char *code)
{
	size_t	 i;

	for (i = 0; code != NULL && i < s->nlangs; i++)
		if (strcmp(s->langs[i].code, code) == 0)
			return (int)i;
	return -1;
}
