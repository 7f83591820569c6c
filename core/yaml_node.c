/* yaml_node: reading a loaded libyaml document. */
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
