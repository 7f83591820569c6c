/* keymap: open addressing with linear probing (contract in keymap.h). */
#include <stdlib.h>
#include "keymap.h"

/* The slot where a probe for key starts. */
static size_t
home(uint32_t key, size_t cap)
{
	return (size_t)(key * 2654435769u) & (cap - 1);
}

/* Puts the pair in v (cap slots, room left), unless it is there. */
static void
put(struct keymap_pair *v, size_t cap, size_t *n, uint32_t key, uint32_t val)
{
	size_t i = home(key, cap);

	for (; v[i].val != KEYMAP_EMPTY; i = (i + 1) & (cap - 1))
		if (v[i].key == key && v[i].val == val)
			return;
	v[i] = (struct keymap_pair){ key, val };
	(*n)++;
}

/* Doubles m's slots (16 at first); -1 on OOM. */
static int
rehash(struct keymap *m)
{
	size_t cap = m->cap ? 2 * m->cap : 16, n = 0;
	struct keymap_pair *v = malloc(cap * sizeof *v);

	if (v == NULL)
		return -1;
	for (size_t i = 0; i < cap; i++)
		v[i].val = KEYMAP_EMPTY;
	for (size_t i = 0; i < m->cap; i++)
		if (m->v[i].val != KEYMAP_EMPTY)
			put(v, cap, &n, m->v[i].key, m->v[i].val);
	free(m->v);
	m->v = v;
	m->cap = cap;
	m->n = n;
	return 0;
}

int
keymap_add(struct keymap *m, uint32_t key, uint32_t val)
{
	if (val == KEYMAP_EMPTY)
		return -1;
	if (2 * (m->n + 1) > m->cap && rehash(m) != 0)	/* at most half full */
		return -1;
	put(m->v, m->cap, &m->n, key, val);
	return 0;
}

void
keymap_each(const struct keymap *m, uint32_t key, void (*fn)(void *, uint32_t), void *ctx)
{
	if (m->cap == 0)
		return;
	for (size_t i = home(key, m->cap); m->v[i].val != KEYMAP_EMPTY; i = (i + 1) & (m->cap - 1))
		if (m->v[i].key == key)
			fn(ctx, m->v[i].val);
}

void
keymap_free(struct keymap *m)
{
	free(m->v);
	m->v = NULL;
	m->n = m->cap = 0;
}
