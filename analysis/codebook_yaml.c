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

/* Checks that every key of mapping n is one of keys (NULL-terminated). */
int
cb_check_keys(struct cb_ld *l, yaml_node_t *n, const char *const *keys)
{
	yaml_node_pair_t *p;

	if (n == NULL || n->type != YAML_MAPPING_NODE)
		return cb_fail(l, n, "expected a mapping");
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const char *k = yn_scalar(yaml_document_get_node(l->doc, p->key));
		size_t i;
		for (i = 0; k != NULL && keys[i] != NULL; i++)
			if (strcmp(k, keys[i]) == 0)
				break;
		if (k == NULL || keys[i] == NULL)
			return cb_fail(l, yaml_document_get_node(l->doc, p->key), "unknown key '%s'", k ? k : "?");
	}
	return 0;
}

const char *
cb_get_str(struct cb_ld *l, yaml_node_t *map, const char *key, int required)
{
	yaml_node_t *v = yn_get(l->doc, map, key);
	const char *s = yn_scalar(v);

	if (s == NULL || *s == '\0') {
		if (required || v != NULL)
			cb_fail(l, v ? v : map, "'%s' must be %s text", key, v ? "non-empty" : "given as");
		return NULL;
	}
	return s;
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
