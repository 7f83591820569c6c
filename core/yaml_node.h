/* yaml_node: reading a loaded libyaml document, shared by the survey loader
 * (core/survey_yaml.c, ld_*), the codebook (analysis/codebook_yaml.c, cb_*)
 * and whoever else reads YAML: walking the nodes, the "file:line: problem"
 * message, a mapping's keys checked against a list, a scalar's text and the
 * id rule.  Each loader keeps its own wording: these say what is wrong
 * (enum yn_err), the loader says it. */
#ifndef YAML_NODE_H
#define YAML_NODE_H

#include <stdarg.h>
#include <stddef.h>
#include <yaml.h>

/* What yn_fields and yn_text found wrong. */
enum yn_err {
	YN_OK,
	YN_NOT_MAP,		/* not a mapping (or NULL) */
	YN_KEY_NOT_WORD,	/* a key that is not a scalar */
	YN_KEY_UNKNOWN,		/* a key not in the list */
	YN_KEY_TWICE,		/* a key given twice */
	YN_NOT_SCALAR,		/* a mapping or list (or NULL) where text belongs */
	YN_EMPTY,		/* a scalar of no bytes */
	YN_NUL			/* a scalar with a NUL byte inside */
};

/* n's 1-based line, 0 for NULL. */
int yn_line(const yaml_node_t *n);

/* n's text when it is a scalar, else (or for NULL) NULL. */
const char *yn_scalar(const yaml_node_t *n);

/* The value under key in mapping map of doc; NULL when map is not a mapping
 * or has no such key. */
yaml_node_t *yn_get(yaml_document_t *doc, const yaml_node_t *map, const char *key);

/* How many items sequence n has: 0 when n is NULL or not a sequence. */
size_t yn_seq_len(const yaml_node_t *n);

/* Item i (< yn_seq_len(n)) of sequence n of doc. */
yaml_node_t *yn_seq_at(yaml_document_t *doc, const yaml_node_t *n, size_t i);

/* Writes "path:LINE: " and fmt's message into err (errlen bytes, cut to
 * fit); "path: " when line < 0.  Nothing when errlen is 0.  Always -1, so
 * that a loader can `return` it. */
int yn_verr(char *err, size_t errlen, const char *path, int line,
    const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

/* Checks the keys of mapping map of doc against names[0..n).  With vals
 * (n entries), vals[i] is set to the value of names[i] or NULL, and a key
 * given twice is an error; without, only the names are checked.  YN_OK, or
 * what is wrong, with the offending key node (NULL for YN_NOT_MAP) in *bad. */
enum yn_err yn_fields(yaml_document_t *doc, const yaml_node_t *map,
    const char *const *names, size_t n, yaml_node_t **vals, yaml_node_t **bad);

/* n's text in *out and YN_OK when n is a non-empty scalar without NUL
 * bytes.  Else what is wrong; for YN_NUL *out is set too (the text up to
 * the first NUL). */
enum yn_err yn_text(const yaml_node_t *n, const char **out);

/* 1 when s is a code: 1 to max bytes (any length when max is 0) of a-z,
 * 0-9, _ and -.  An id is a code starting with a letter a-z. */
int yn_is_code(const char *s, size_t max);
int yn_is_id(const char *s, size_t max);

#endif
