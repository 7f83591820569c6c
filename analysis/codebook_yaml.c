/* codebook_yaml: the libyaml document helpers the codebook loader uses, the
 * codebook's wording over core/yaml_node.h's checks.  Every error goes
 * through cb_fail as "file:line: problem". */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "codebook_int.h"
#include "util.h"

int
cb_fail(struct cb_ld *l, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	yn_verr(l->err, l->errlen, l->path, yn_line(n), fmt, ap);
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
	yaml_node_t *bad;
	size_t nkeys = 0;

	while (keys[nkeys] != NULL)
		nkeys++;
	switch (yn_fields(l->doc, n, keys, nkeys, NULL, &bad)) {
	case YN_OK:
		return 0;
	case YN_NOT_MAP:
		return cb_fail(l, n, "expected a mapping");
	default:
		return cb_fail(l, bad, "unknown key '%s'", yn_scalar(bad) ? yn_scalar(bad) : "?");
	}
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
	return s != NULL && yn_is_id(s, 0);
}
