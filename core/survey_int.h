/* survey_int: private to the survey loader (survey.c, survey_parse.c,
 * survey_question.c, survey_ui.c, survey_yaml.c); nothing else includes it.
 * It holds the load context that every check reports through, and the YAML
 * helpers the two file formats share.
 * Every helper that can fail writes "file:line: problem" into ld->err and
 * returns -1; the caller passes the -1 up and adds nothing. */
#ifndef SURVEY_INT_H
#define SURVEY_INT_H
#include <yaml.h>
#include "yaml_node.h"
#include "arena.h"
#include "survey.h"

struct ld {
	struct arena	*mem;	/* the set's arena: everything the model keeps */
	const char	*path;	/* for messages */
	yaml_document_t	 doc;
	unsigned char	*seen;	/* per node: a mapping or list is entered once, so
				 * aliases (shared or looping nodes) are refused */
	size_t		 nnodes;
	char		*err;
	size_t		 errlen;
};

/* Writes "path:line: message" (line of `at`, or none when NULL); returns -1. */
int ld_fail(struct ld *ld, const yaml_node_t *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
yaml_node_t *ld_node(struct ld *ld, int id);
/* 1 when n is absent or an empty value ("key:" with nothing after it). */
int ld_empty(const yaml_node_t *n);

/* After a key of `map` that is not expected: when `map` is written in { }
 * and the key has no value, the advice that a comma in an unquoted text
 * there ended the text before it; else "". */
const char *ld_comma_hint(struct ld *ld, const yaml_node_t *map, const yaml_node_t *key);

/* Splits a mapping into vals[i] for names[i] (NULL when absent).  Refuses a
 * non-mapping, an unknown key and a key given twice; `what` names the
 * mapping in messages ("a question"). */
int ld_fields(struct ld *ld, yaml_node_t *map, const char *what,
    const char *const *names, size_t nnames, yaml_node_t **vals);
/* A list: its items as node ids; refuses anything else, and an empty list. */
int ld_seq(struct ld *ld, yaml_node_t *n, const char *what,
    yaml_node_item_t **items, size_t *nitems);
/* A mapping to walk by hand; refuses anything else. */
int ld_map(struct ld *ld, yaml_node_t *n, const char *what);

/* Scalars.  `what` is the key name as the file spells it. */
int ld_str(struct ld *ld, yaml_node_t *n, const char *what, const char **out);
int ld_id(struct ld *ld, yaml_node_t *n, const char *what, const char **out);
int ld_code(struct ld *ld, yaml_node_t *n, const char *what, const char **out);
int ld_long(struct ld *ld, yaml_node_t *n, const char *what, long lo, long hi, long *out);
int ld_int(struct ld *ld, yaml_node_t *n, const char *what, int lo, int hi, int *out);
int ld_bool(struct ld *ld, yaml_node_t *n, const char *what, int *out);
/* 1 when s is a language code: a letter, then letters, digits or '-', 2..15. */
int ld_is_lang_code(const char *s);

/* survey_yaml.c: everything above. */

/* survey_dates.c: state, opens, closes and grace into ps->s->sched. */
struct ps;
int ps_schedule(struct ps *ps, yaml_node_t *state, yaml_node_t *opens, yaml_node_t *closes,
    yaml_node_t *grace);

/* survey_parse.c: the loaded document as one survey. */
int survey_parse(struct ld *ld, const struct ui_strings *ui, struct survey **out,
    int *id_line);

/* Shared by survey_parse.c and survey_question.c. */

/* A named option list ('lists'), for 'options_from'. */
struct list {
	const char	*name;
	struct option	*opts;
	size_t		 n;
};

/* Parse state for one file. */
struct ps {
	struct ld		*ld;
	const struct ui_strings	*ui;
	struct survey		*s;
	struct list		*lists;
	size_t			 nlists;
	yaml_node_t		**pcond;	/* show_if per page, resolved at the end */
	yaml_node_t		**qcond;	/* show_if per question */
};

/* The items of a list or pairs of a mapping (0 for anything else); zeroed
 * arena memory for n + 1 items (reporting "out of memory"); a text field:
 * plain text in the default language or a mapping by language code, with
 * every listed language (absent: t stays empty). */
size_t ps_count(const yaml_node_t *n);
void *ps_alloc(struct ps *ps, size_t n, size_t size);
int ps_text(struct ps *ps, yaml_node_t *n, const char *what, struct i18n *t);
/* survey_question.c: 'lists', and question qi of the survey from its mapping. */
int ps_lists(struct ps *ps, yaml_node_t *n);
int ps_question(struct ps *ps, yaml_node_t *map, size_t qi);

/* survey_parse.c: a help item's mapping (name, detail, tel, url) into h. */
int ps_help_item(struct ps *ps, yaml_node_t *n, struct help_item *h);

/* survey_disclose.c: disclosure.yaml as a phrase set (*out, the caller frees);
 * a survey's `safeguarding:` block (absent: the defaults); the survey's
 * phrase set, the shipped one (may be NULL) plus its own. */
struct disclose;
int disclose_parse(struct ld *ld, struct disclose **out);
int ps_safeguarding(struct ps *ps, yaml_node_t *n);
int survey_disclose_build(struct survey *s, const struct disclose *shipped, char *err,
    size_t errlen);

/* survey_ui.c */
int ui_parse(struct ld *ld, struct ui_strings **out);
int ui_builtin(struct arena *mem, struct ui_strings **out);
/* The document in ld (a language folder's ui.yaml) as language code. */
int ui_add_lang(struct ld *ld, struct ui_strings *ui, const char *code);

/* survey.c: runs fn on the document in the file ld->path (hash: 33 bytes for
 * the file's hash, or NULL). */
int ld_load_file(struct ld *ld, char *hash, int (*fn)(struct ld *, void *), void *arg);

/* survey_lang.c: the language folders under dir/lang; lang_ui before the
 * surveys load (their 'languages' may name these), lang_texts after. */
int lang_ui(struct ld *ld, struct survey_set *set, const char *dir);
int lang_texts(struct ld *ld, struct survey_set *set, const char *dir);
/* The default language's code (the first block). */
#endif
