/* Fuzz target for cgi/form.c: form_parse and form_parse_cookies must accept
 * or refuse any bytes without crashing, and what they accept must keep the
 * promises of form.h.  The first byte picks tight or default limits so the
 * boundaries are reached often. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "esc.h"
#include "form.h"

static void
check_text(const char *s, size_t n, int value)
{
	size_t	 i;

	if (s[n] != '\0' || (n > 0 && !utf8_valid(s, n)))
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 &&
		    (!value || (s[i] != '\t' && s[i] != '\n')))
			abort();
}

static void
check_list(const struct kvlist *l, const struct form_limits *lim)
{
	size_t	 i, nlen;

	if (l->n > lim->max_fields)
		abort();
	for (i = 0; i < l->n; i++) {
		nlen = strlen(l->v[i].name);
		if (nlen > lim->max_name || l->v[i].vlen > lim->max_value)
			abort();
		check_text(l->v[i].name, nlen, 0);
		check_text(l->v[i].value, l->v[i].vlen, 1);
		if (kv_get(l, l->v[i].name) == NULL || kv_count(l, l->v[i].name) == 0)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena	*a;
	struct form_limits	 tight = { 8, 6, 12 };
	const struct form_limits *lim = &form_default_limits;
	struct kvlist		 l;
	const char		*s = (const char *)data;

	if (a == NULL && (a = arena_new(4096)) == NULL)
		abort();
	arena_reset(a);
	if (size > 0 && (data[0] & 1)) {
		lim = &tight;
		s++;
		size--;
	}
	if (form_parse(s, size, lim, a, &l) == FORM_OK)
		check_list(&l, lim);
	else if (l.v != NULL || l.n != 0)
		abort();
	if (form_parse_cookies(s, size, a, &l) == FORM_OK)
		check_list(&l, &form_default_limits);
	return 0;
}
