/* yaml_node: reading a loaded libyaml document (contracts in yaml_node.h). */
#include <stdio.h>
#include <string.h>

#include "yaml_node.h"

int
yn_line(const yaml_node_t *n)
{
	return n == NULL ? 0 : (int)n->start_mark.line + 1;
}

const char *
yn_scalar(const yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

yaml_node_t *
yn_get(yaml_document_t *doc, const yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const char *k = yn_scalar(yaml_document_get_node(doc, p->key));
		if (k != NULL && strcmp(k, key) == 0)
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

size_t
yn_seq_len(const yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SEQUENCE_NODE)
		return 0;
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

yaml_node_t *
yn_seq_at(yaml_document_t *doc, const yaml_node_t *n, size_t i)
{
	return yaml_document_get_node(doc, n->data.sequence.items.start[i]);
}

int
yn_verr(char *err, size_t errlen, const char *path, int line, const char *fmt, va_list ap)
{
	int	 n;

	if (errlen == 0)
		return -1;
	if (line >= 0)
		n = snprintf(err, errlen, "%s:%d: ", path, line);
	else
		n = snprintf(err, errlen, "%s: ", path);
	if (n < 0 || (size_t)n >= errlen)
		return -1;
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	return -1;
}

enum yn_err
yn_fields(yaml_document_t *doc, const yaml_node_t *map, const char *const *names,
    size_t n, yaml_node_t **vals, yaml_node_t **bad)
{
	yaml_node_pair_t	*p;
	const char		*k;
	size_t			 i;

	*bad = NULL;
	for (i = 0; vals != NULL && i < n; i++)
		vals[i] = NULL;
	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return YN_NOT_MAP;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		*bad = yaml_document_get_node(doc, p->key);
		if ((k = yn_scalar(*bad)) == NULL)
			return YN_KEY_NOT_WORD;
		for (i = 0; i < n; i++)
			if (strcmp(k, names[i]) == 0)
				break;
		if (i == n)
			return YN_KEY_UNKNOWN;
		if (vals == NULL)
			continue;
		if (vals[i] != NULL)
			return YN_KEY_TWICE;
		vals[i] = yaml_document_get_node(doc, p->value);
	}
	*bad = NULL;
	return YN_OK;
}

enum yn_err
yn_text(const yaml_node_t *n, const char **out)
{
	if ((*out = yn_scalar(n)) == NULL)
		return YN_NOT_SCALAR;
	if (n->data.scalar.length == 0)
		return YN_EMPTY;
	if (strlen(*out) != n->data.scalar.length)
		return YN_NUL;
	return YN_OK;
}

int
yn_is_code(const char *s, size_t max)
{
	size_t	 i;
	int	 c;

	for (i = 0; (c = (unsigned char)s[i]) != '\0'; i++)
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return 0;
	return i > 0 && (max == 0 || i <= max);
}

int
yn_is_id(const char *s, size_t max)
{
	return s[0] >= 'a' && s[0] <= 'z' && yn_is_code(s, max);
}
