/* tdict: template data, built per request in an arena.
 * A dict is a small array of entries searched linearly: with the 10 to 40
 * names a page uses, comparing lengths first and then bytes beats hashing and
 * needs no per-dict table.  The one big dict, a language's UI strings, is
 * built once per worker and frozen (tdict_freeze): its entries are then in
 * name order and searched by bisection, still with no table beside them.
 * Every dict of a tree shares the root's failure flag, so after building a
 * page one tdict_failed(root) says whether any setter ran out of memory.
 * Setters accept a NULL dict (from an earlier failed tdict_child or
 * tdict_add) and do nothing, so callers need not check each step. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl_int.h"
#include "util.h"

/* strcmp order between e's name and s[0..len), which holds no NUL. */
static int
name_cmp(const struct tentry *e, const char *s, size_t len)
{
	size_t	 n = e->nlen < len ? e->nlen : len;
	int	 c = memcmp(e->name, s, n);

	if (c != 0)
		return c;
	return (e->nlen > len) - (e->nlen < len);
}

static const struct tentry *
find_sorted(const struct tdict *d, const char *s, size_t len)
{
	uint32_t	lo = 0, hi = d->n, mid;
	int		c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = name_cmp(&d->e[mid], s, len)) == 0)
			return &d->e[mid];
		if (c > 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct tentry *
tdict_find(const struct tdict *d, const char *s, size_t len)
{
	uint32_t	i;

	if (d->frozen)
		return find_sorted(d, s, len);
	/* Many names share a length; the first byte rules most of them out
	 * without a call to memcmp.  s[0] is always readable: a template's
	 * name segments are never empty and setters pass C strings. */
	for (i = 0; i < d->n; i++)
		if (d->e[i].nlen == len && d->e[i].name[0] == s[0] &&
		    memcmp(d->e[i].name, s, len) == 0)
			return &d->e[i];
	return NULL;
}

static struct tdict *
dict_new(struct arena *a, int *failed)
{
	struct tdict	*d;

	if ((d = arena_calloc(a, 1, sizeof(*d))) == NULL) {
		if (failed != NULL)
			*failed = 1;
		return NULL;
	}
	d->a = a;
	d->failed = failed != NULL ? failed : &d->own_failed;
	return d;
}

struct tdict *
tdict_new(struct arena *a)
{
	return dict_new(a, NULL);
}

/* A new entry for name at the end, created empty (kind TV_STR, value "").
 * Growth copies into a twice larger arena array; the old one is abandoned,
 * which costs at most as much again as the final array. */
static struct tentry *
append(struct tdict *d, const char *name, size_t len)
{
	struct tentry	*e;

	if (d->frozen)
		goto fail;
	if (d->n == d->cap && (d->cap >= UINT32_MAX / 2 ||
	    arena_grow(d->a, &d->e, &d->cap, d->n, sizeof(*d->e), 8) != 0))
		goto fail;
	e = &d->e[d->n++];
	e->name = name;
	e->nlen = len;
	e->kind = TV_STR;
	e->v.s = "";
	return e;
fail:
	*d->failed = 1;
	return NULL;
}

/* The entry for name, appended empty if missing. */
static struct tentry *
slot(struct tdict *d, const char *name)
{
	struct tentry	*e;
	size_t		 len;

	if (d == NULL)
		return NULL;
	if (name == NULL || d->frozen) {
		*d->failed = 1;
		return NULL;
	}
	len = strlen(name);
	if ((e = (struct tentry *)tdict_find(d, name, len)) != NULL)
		return e;
	return append(d, name, len);
}

/* A NULL value is stored as the empty string. */
void
tdict_str(struct tdict *d, const char *name, const char *value)
{
	struct tentry	*e;

	if ((e = slot(d, name)) != NULL) {
		e->kind = TV_STR;
		e->v.s = value != NULL ? value : "";
	}
}

/* Appending without a search keeps filling a dict with a whole table (the
 * 170 UI strings on every page) linear instead of quadratic. */
void
tdict_str_unique(struct tdict *d, const char *name, const char *value)
{
	struct tentry	*e;

	if (d == NULL)
		return;
	if (name == NULL) {
		*d->failed = 1;
		return;
	}
	if ((e = append(d, name, strlen(name))) != NULL)
		e->v.s = value != NULL ? value : "";
}

void
tdict_int(struct tdict *d, const char *name, long value)
{
	struct tentry	*e;

	if ((e = slot(d, name)) != NULL) {
		e->kind = TV_INT;
		e->v.i = value;
	}
}

void
tdict_bool(struct tdict *d, const char *name, int value)
{
	struct tentry	*e;

	if ((e = slot(d, name)) != NULL) {
		e->kind = TV_BOOL;
		e->v.b = value != 0;
	}
}

/* Whatever else was under name is replaced by a new dict. */
struct tdict *
tdict_child(struct tdict *d, const char *name)
{
	struct tentry	*e;
	struct tdict	*c;

	if ((e = slot(d, name)) == NULL)
		return NULL;
	if (e->kind == TV_DICT && e->v.d->frozen) {
		*d->failed = 1;		/* linked: not ours to write */
		return NULL;
	}
	if (e->kind == TV_DICT)
		return e->v.d;
	if ((c = dict_new(d->a, d->failed)) == NULL)
		return NULL;
	e->kind = TV_DICT;
	e->v.d = c;
	return c;
}

/* Whatever else than a list was under name is replaced by a new list. */
struct tdict *
tdict_add(struct tdict *d, const char *name)
{
	struct tentry	*e;
	struct tdict	*item;

	if ((e = slot(d, name)) == NULL)
		return NULL;
	if ((item = dict_new(d->a, d->failed)) == NULL)
		return NULL;
	if (e->kind != TV_LIST) {
		e->kind = TV_LIST;
		e->v.l.head = e->v.l.tail = NULL;
	}
	if (e->v.l.tail != NULL)
		e->v.l.tail->next = item;
	else
		e->v.l.head = item;
	e->v.l.tail = item;
	return item;
}

void
tdict_list(struct tdict *d, const char *name)
{
	struct tentry	*e;
	size_t		 n;

	if (d == NULL)
		return;
	n = d->n;
	if ((e = slot(d, name)) != NULL && d->n != n) {
		e->kind = TV_LIST;
		e->v.l.head = e->v.l.tail = NULL;
	}
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct tentry	*y = b;

	return name_cmp(a, y->name, y->nlen);
}

/* Sorts only when the entries are not in order already (ui_each gives them
 * sorted); equal neighbours after that mean a repeated name. */
void
tdict_freeze(struct tdict *d)
{
	uint32_t	i;

	if (d == NULL || d->frozen)
		return;
	for (i = 1; i < d->n; i++)
		if (entry_cmp(&d->e[i - 1], &d->e[i]) >= 0)
			break;
	if (i < d->n)
		qsort(d->e, d->n, sizeof(*d->e), entry_cmp);
	for (i = 1; i < d->n; i++)
		if (entry_cmp(&d->e[i - 1], &d->e[i]) == 0)
			*d->failed = 1;
	d->frozen = 1;
}

/* The cast drops const only to fit the entry's union: nothing writes
 * through it, since the renderer only reads, tdict_child refuses a frozen
 * dict and every setter refuses to change one. */
void
tdict_link(struct tdict *d, const char *name, const struct tdict *shared)
{
	struct tentry	*e;

	if (d == NULL)
		return;
	if (shared == NULL || !shared->frozen || *shared->failed) {
		*d->failed = 1;
		return;
	}
	if ((e = slot(d, name)) != NULL) {
		e->kind = TV_DICT;
		e->v.d = (struct tdict *)shared;
	}
}

int
tdict_failed(const struct tdict *d)
{
	return d == NULL || *d->failed;
}
