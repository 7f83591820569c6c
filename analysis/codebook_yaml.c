/* codebook_yaml: the libyaml document helpers the codebook loader uses.
 * Every error goes through cb_fail as "file:line: problem". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "codebook_int.h"
#include "util.h"

int
cb_fail(struct cb_ld *l, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	int k;

	k = snprintf(l->err, l->errlen, "%s:%lu: ", l->path,
	    n ? (unsigned long)n->start_mark.line + 1 : 0UL);
	if (k < 0 || (size_t)k >= l->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(l->err + k, l->errlen - (size_t)k, fmt, ap);
	va_end(ap);
	return -1;
}

void *
cb_alloc(struct codebook *cb, size_t n)
{
	void *p;

	if (grow(&cb->allocs, &cb->capallocs, cb->nallocs, sizeof(*cb->allocs), 256) != 0)
		return NULL;
	if ((p = calloc(1, n ? n : 1)) == NULL)
		return NULL;
	cb->allocs[cb->nallocs++] = p;
	return p;
}

char *
cb_strdup(struct codebook *cb, const char *s)
{
	size_t n = strlen(s);
	char *d = cb_alloc(cb, n + 1);

	if (d != NULL)
		memcpy(d, s, n + 1);
	return d;
}

const char *
cb_scalar(struct cb_ld *l, yaml_node_t *n)
{
	(void)l;
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

yaml_node_t *
cb_node(struct cb_ld *l, int idx)
{
	return yaml_document_get_node(l->doc, idx);
}

/* Checks that every key of mapping n is one of keys (NULL-terminated). */
int
cb_check_keys(struct cb_ld *l, yaml_node_t *n, const char *const *keys)
{
	yaml_node_pair_t *p;

	if (n == NULL || n->type != YAML_MAPPING_NODE)
		return cb_fail(l, n, "expected a mapping");
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const char *k = cb_scalar(l, cb_node(l, p->key));
		size_t i;
		for (i = 0; k != NULL && keys[i] != NULL; i++)
			if (strcmp(k, keys[i]) == 0)
				break;
		if (k == NULL || keys[i] == NULL)
			return cb_fail(l, cb_node(l, p->key), "unknown key '%s'", k ? k : "?");
	}
	return 0;
}

yaml_node_t *
cb_get(struct cb_ld *l, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const char *k = cb_scalar(l, cb_node(l, p->key));
		if (k != NULL && strcmp(k, key) == 0)
			return cb_node(l, p->value);
	}
	return NULL;
}

const char *
cb_get_str(struct cb_ld *l, yaml_node_t *map, const char *key, int required)
{
	yaml_node_t *v = cb_get(l, map, key);
	const char *s = cb_scalar(l, v);

	if (s == NULL || *s == '\0') {
		if (required || v != NULL)
			cb_fail(l, v ? v : map, "'%s' must be %s text", key, v ? "non-empty" : "given as");
		return NULL;
	}
	return s;
}

size_t
cb_seq_len(yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SEQUENCE_NODE)
		return 0;
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

yaml_node_t *
cb_seq_at(struct cb_ld *l, yaml_node_t *n, size_t i)
{
	return cb_node(l, n->data.sequence.items.start[i]);
}

int
cb_valid_id(const char *s)
{
	if (s == NULL || !(*s >= 'a' && *s <= 'z'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return 0;
	return 1;
}
