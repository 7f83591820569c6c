/* codebook_include: a codebook written in several files.  codebook.yaml's
 * `include:` names files, relative to it, that hold more `themes:`, loaded
 * after its own in the order listed; its `lists:` names phrase lists that a
 * theme in any of the files may give as its `with:` or `without:` ("without:
 * running"), so themes in different files share one list.  A model names the
 * hash of every file read, in that order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "codebook_int.h"

#define CB_MAX_INCLUDES	64

int
cb_parse_file(const char *path, yaml_document_t *doc, crypto_generichash_state *hs,
    char *err, size_t errlen)
{
	yaml_parser_t parser;
	unsigned char buf[4096];
	size_t n;
	FILE *fp;
	int rc = 0;

	if ((fp = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: cannot open", path);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		crypto_generichash_update(hs, buf, n);
	rewind(fp);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, fp);
	if (!yaml_parser_load(&parser, doc)) {
		snprintf(err, errlen, "%s:%lu: %s", path,
		    (unsigned long)parser.problem_mark.line + 1,
		    parser.problem ? parser.problem : "YAML syntax error");
		rc = -1;
	} else if (yaml_document_get_root_node(doc) == NULL) {
		snprintf(err, errlen, "%s: the file is empty", path);
		yaml_document_delete(doc);
		rc = -1;
	}
	yaml_parser_delete(&parser);
	fclose(fp);
	return rc;
}

yaml_node_t *
cb_named_list(struct cb_ld *l, yaml_node_t *name)
{
	yaml_node_t *lists = yn_get(l->main, yaml_document_get_root_node(l->main), "lists");
	yaml_node_t *seq = lists ? yn_get(l->main, lists, yn_scalar(name)) : NULL;

	if (seq == NULL || seq->type != YAML_SEQUENCE_NODE) {
		cb_fail(l, name, "no list '%s' under lists: in %s", yn_scalar(name), l->main_path);
		return NULL;
	}
	return seq;
}

/* An included file's path: name relative to the codebook's folder. */
static void
include_path(const struct cb_ld *l, const char *name, char *path, size_t size)
{
	const char *slash = strrchr(l->main_path, '/');

	if (name[0] == '/' || slash == NULL)
		snprintf(path, size, "%s", name);
	else
		snprintf(path, size, "%.*s/%s", (int)(slash - l->main_path), l->main_path, name);
}

/* Reads the included files into docs; *nthemes grows by their themes. */
static int
read_includes(struct cb_ld *l, yaml_node_t *inc, yaml_document_t *docs, char (*paths)[4096],
    size_t *nread, size_t *nthemes)
{
	static const char *const keys[] = { "themes", NULL };
	char err[512];

	for (size_t i = 0; i < yn_seq_len(inc); i++) {
		yaml_node_t *item = yn_seq_at(l->doc, inc, i), *root;
		const char *name = yn_scalar(item);
		struct cb_ld sub = *l;
		if (name == NULL || *name == '\0')
			return cb_fail(l, item, "include: a file name");
		include_path(l, name, paths[i], sizeof(paths[i]));
		if (cb_parse_file(paths[i], &docs[i], l->hs, err, sizeof(err)) != 0)
			return cb_fail(l, item, "include: %s", err);
		(*nread)++;
		root = yaml_document_get_root_node(&docs[i]);
		sub.doc = &docs[i];
		sub.path = paths[i];
		if (cb_check_keys(&sub, root, keys) != 0)
			return -1;
		*nthemes += yn_seq_len(yn_get(&docs[i], root, "themes"));
	}
	return 0;
}

int
cb_load_all_themes(struct cb_ld *l, yaml_node_t *root)
{
	yaml_node_t *inc = yn_get(l->doc, root, "include"), *own = yn_get(l->doc, root, "themes");
	yaml_document_t docs[CB_MAX_INCLUDES];
	char (*paths)[4096];
	size_t n = yn_seq_len(inc), nread = 0, nthemes = yn_seq_len(own);
	int rc = -1;

	if (inc != NULL && (inc->type != YAML_SEQUENCE_NODE || n > CB_MAX_INCLUDES))
		return cb_fail(l, inc, "include: a list of at most %d files", CB_MAX_INCLUDES);
	if ((paths = calloc(n ? n : 1, sizeof(*paths))) == NULL)
		return cb_fail(l, inc, "out of memory");
	if (read_includes(l, inc, docs, paths, &nread, &nthemes) != 0)
		goto out;
	if (nthemes == 0) {
		cb_fail(l, own ? own : root, "'themes' must be a non-empty list");
		goto out;
	}
	if ((l->cb->themes = cb_alloc(l->cb, nthemes * sizeof(*l->cb->themes))) == NULL) {
		cb_fail(l, root, "out of memory");
		goto out;
	}
	if (cb_load_themes(l, own) != 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct cb_ld sub = *l;
		sub.doc = &docs[i];
		sub.path = paths[i];
		sub.file = cb_strdup(l->cb, yn_scalar(yn_seq_at(l->doc, inc, i)));
		if (sub.file == NULL) {
			cb_fail(l, inc, "out of memory");
			goto out;
		}
		if (cb_load_themes(&sub, yn_get(&docs[i], yaml_document_get_root_node(&docs[i]),
		    "themes")) != 0)
			goto out;
	}
	rc = 0;
out:
	for (size_t i = 0; i < nread; i++)
		yaml_document_delete(&docs[i]);
	free(paths);
	return rc;
}
