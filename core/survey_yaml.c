/* survey_yaml: the YAML helpers both loader formats share (contracts in
 * survey_int.h), the survey loader's wording over core/yaml_node.h's checks.
 * Each refuses what it does not expect with a message that names the key
 * and says what was expected, so a policy officer can fix the file from the
 * message alone. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "survey_int.h"

int
ld_fail(struct ld *ld, const yaml_node_t *at, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	yn_verr(ld->err, ld->errlen, ld->path, at != NULL ? yn_line(at) : -1, fmt, ap);
	va_end(ap);
	return -1;
}

yaml_node_t *
ld_node(struct ld *ld, int id)
{
	return yaml_document_get_node(&ld->doc, id);
}

int
ld_empty(const yaml_node_t *n)
{
	return n == NULL || (n->type == YAML_SCALAR_NODE && n->data.scalar.length == 0 &&
	    n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE);
}

/* Marks a mapping or list as entered; a second entry means an alias. */
static int
ld_enter(struct ld *ld, yaml_node_t *n)
{
	size_t	 i = (size_t)(n - ld->doc.nodes.start);

	if (i >= ld->nnodes)
		return ld_fail(ld, n, "internal error: node outside the document");
	if (ld->seen[i])
		return ld_fail(ld, n, "anchors and aliases (& and *) are not supported here; "
		    "write the value out in full");
	ld->seen[i] = 1;
	return 0;
}

static const char *
kind_word(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return "a set of keys";
	case YAML_SEQUENCE_NODE:
		return "a list";
	default:
		return "a single value";
	}
}

int
ld_map(struct ld *ld, yaml_node_t *n, const char *what)
{
	if (n->type != YAML_MAPPING_NODE)
		return ld_fail(ld, n, "%s should be a set of 'key: value' lines, not %s",
		    what, kind_word(n));
	return ld_enter(ld, n);
}

/* The optimal string alignment distance between a and b (a swap of two
 * letters counts one), or 3 when it is more than 2. */
static int
key_distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j;
	int	 d[3][33], c, v;

	if (la > 32 || lb > 32 || (la > lb ? la - lb : lb - la) > 2)
		return 3;
	for (j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= la; i++) {
		d[i % 3][0] = (int)i;
		for (j = 1; j <= lb; j++) {
			c = a[i - 1] != b[j - 1];
			v = d[(i - 1) % 3][j - 1] + c;
			if (d[(i - 1) % 3][j] + 1 < v)
				v = d[(i - 1) % 3][j] + 1;
			if (d[i % 3][j - 1] + 1 < v)
				v = d[i % 3][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[(i - 2) % 3][j - 2] + 1 < v)
				v = d[(i - 2) % 3][j - 2] + 1;
			d[i % 3][j] = v;
		}
	}
	return d[la % 3][lb] > 2 ? 3 : d[la % 3][lb];
}

/* The one of names[0..n) nearest to k (at most 2 letters off, and fewer
 * than half of k's), or NULL. */
static const char *
near_key(const char *k, const char *const *names, size_t n)
{
	const char	*best = NULL;
	int		 bd = 3, d;
	size_t		 i;

	for (i = 0; i < n; i++)
		if ((d = key_distance(k, names[i])) < bd && (size_t)d * 2 < strlen(k)) {
			bd = d;
			best = names[i];
		}
	return best;
}

const char *
ld_comma_hint(struct ld *ld, const yaml_node_t *map, const yaml_node_t *key)
{
	yaml_node_pair_t	*p;
	yaml_node_t		*v;

	if (map->type != YAML_MAPPING_NODE ||
	    map->data.mapping.style != YAML_FLOW_MAPPING_STYLE)
		return "";
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		if (ld_node(ld, p->key) != key)
			continue;
		v = ld_node(ld, p->value);
		if (v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0 &&
		    v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
			return ": if it is the end of the text before it, put that text in "
			    "quotes (inside { } a comma ends a text that has none)";
	}
	return "";
}

int
ld_fields(struct ld *ld, yaml_node_t *map, const char *what,
    const char *const *names, size_t nnames, yaml_node_t **vals)
{
	yaml_node_t	*k;
	const char	*near;
	enum yn_err	 e;

	e = yn_fields(&ld->doc, map, names, nnames, vals, &k);
	if (ld_map(ld, map, what) == -1)
		return -1;
	switch (e) {
	case YN_OK:
		return 0;
	case YN_KEY_UNKNOWN:
		if ((near = near_key(yn_scalar(k), names, nnames)) != NULL)
			return ld_fail(ld, k, "unknown key '%s' in %s: did you mean '%s'?",
			    yn_scalar(k), what, near);
		return ld_fail(ld, k, "unknown key '%s' in %s%s", yn_scalar(k), what,
		    ld_comma_hint(ld, map, k));
	case YN_KEY_TWICE:
		return ld_fail(ld, k, "'%s' is given twice in %s", yn_scalar(k), what);
	default:
		return ld_fail(ld, k, "a key in %s should be a plain word", what);
	}
}

int
ld_seq(struct ld *ld, yaml_node_t *n, const char *what, yaml_node_item_t **items,
    size_t *nitems)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return ld_fail(ld, n, "'%s' should be a list (lines starting with '-'), not %s",
		    what, kind_word(n));
	if (n->data.sequence.items.top == n->data.sequence.items.start)
		return ld_fail(ld, n, "'%s' is an empty list", what);
	*items = n->data.sequence.items.start;
	*nitems = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	return ld_enter(ld, n);
}

int
ld_str(struct ld *ld, yaml_node_t *n, const char *what, const char **out)
{
	const char	*v;

	switch (yn_text(n, &v)) {
	case YN_OK:
		break;
	case YN_EMPTY:
		return ld_fail(ld, n, "'%s' is empty", what);
	case YN_NUL:
		return ld_fail(ld, n, "'%s' contains a NUL character", what);
	default:
		return ld_fail(ld, n, "'%s' should be a single value, not %s", what, kind_word(n));
	}
	if ((*out = arena_strndup(ld->mem, v, n->data.scalar.length)) == NULL)
		return ld_fail(ld, n, "out of memory");
	return 0;
}

/* An option code: id characters, any first character ("1", "-2", "dk"). */
int
ld_code(struct ld *ld, yaml_node_t *n, const char *what, const char **out)
{
	if (ld_str(ld, n, what, out) == -1)
		return -1;
	if (!yn_is_code(*out, SURVEY_ID_MAX))
		return ld_fail(ld, n, "%s '%s' may only use small letters a-z, digits, - and _ "
		    "(at most %d)", what, *out, SURVEY_ID_MAX);
	return 0;
}

int
ld_id(struct ld *ld, yaml_node_t *n, const char *what, const char **out)
{
	if (ld_code(ld, n, what, out) == -1)
		return -1;
	if (!yn_is_id(*out, SURVEY_ID_MAX))
		return ld_fail(ld, n, "%s '%s' must start with a small letter a-z", what, *out);
	return 0;
}

int
ld_long(struct ld *ld, yaml_node_t *n, const char *what, long lo, long hi, long *out)
{
	const char	*v;
	char		*end;
	long		 x;

	if (n->type != YAML_SCALAR_NODE)
		return ld_fail(ld, n, "'%s' should be a whole number, not %s", what, kind_word(n));
	v = (const char *)n->data.scalar.value;
	errno = 0;
	x = strtol(v, &end, 10);
	if (*v == '\0' || *v == ' ' || *v == '+' || *end != '\0' || errno == ERANGE)
		return ld_fail(ld, n, "'%s' should be a whole number, not '%s'", what, v);
	if (x < lo || x > hi)
		return ld_fail(ld, n, "'%s' must be between %ld and %ld, not %ld", what, lo, hi, x);
	*out = x;
	return 0;
}

int
ld_int(struct ld *ld, yaml_node_t *n, const char *what, int lo, int hi, int *out)
{
	long	 x;

	if (ld_long(ld, n, what, lo, hi, &x) == -1)
		return -1;
	*out = (int)x;
	return 0;
}

int
ld_bool(struct ld *ld, yaml_node_t *n, const char *what, int *out)
{
	const char	*v;

	if (n->type == YAML_SCALAR_NODE) {
		v = (const char *)n->data.scalar.value;
		if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0) {
			*out = v[0] == 't';
			return 0;
		}
	}
	return ld_fail(ld, n, "'%s' should be true or false", what);
}

int
ld_is_lang_code(const char *s)
{
	size_t	 i;
	int	 c;

	for (i = 0; (c = (unsigned char)s[i]) != '\0'; i++) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			continue;
		if (i == 0 || !((c >= '0' && c <= '9') || c == '-'))
			return 0;
	}
	return i >= 2 && i <= 15;
}
