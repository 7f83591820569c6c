/* yaml_node: reading a loaded libyaml document, shared by the survey loader
 * (core/survey_yaml.c, ld_*), the codebook (analysis/codebook_yaml.c, cb_*)
 * and whoever else reads YAML.  Each loader keeps its own error messages;
 * these only walk the nodes. */
#ifndef YAML_NODE_H
#define YAML_NODE_H

#include <stddef.h>
#include <yaml.h>

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

#endif
