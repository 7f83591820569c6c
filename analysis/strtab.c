/* strtab: open addressing with linear probing, FNV-1a hashing, load <= 1/2.
 * Keys live in fixed-size pools (a long key gets a pool of its own), so a
 * stored key pointer never moves when the slot array grows. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "strtab.h"
#include "util.h"

#define POOL_BYTES	65536

struct slot {
	const char	*key;	/* NULL = empty */
	uint32_t	 n;
	uint32_t	 hash;
	int		 val;
};

struct pool {
	struct pool	*next;
	size_t		 used, cap;
	char		 mem[];
};

struct strtab {
	struct slot	*slots;
	size_t		 nslots;	/* a power of two */
	size_t		 count;
	struct pool	*pools;
};

struct strtab *
strtab_new(void)
{
	struct strtab *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->nslots = 1024;
	if ((t->slots = calloc(t->nslots, sizeof(*t->slots))) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
strtab_free(struct strtab *t)
{
	struct pool *p, *next;

	if (t == NULL)
		return;
	for (p = t->pools; p != NULL; p = next) {
		next = p->next;
		free(p);
	}
	free(t->slots);
	free(t);
}

static struct slot *
find(const struct strtab *t, const char *key, size_t n, uint32_t h)
{
	size_t mask = t->nslots - 1, i = h & mask;

	for (;; i = (i + 1) & mask) {
		struct slot *s = &t->slots[i];
		if (s->key == NULL)
			return s;
		if (s->hash == h && s->n == n && memcmp(s->key, key, n) == 0)
			return s;
	}
}

int
strtab_get(const struct strtab *t, const char *key, size_t n, int *val)
{
	const struct slot *s = find(t, key, n, fnv1a32(FNV32_BASIS, key, n));

	if (s->key == NULL)
		return 0;
	*val = s->val;
	return 1;
}

static int
table_grow(struct strtab *t)
{
	size_t nn = t->nslots * 2;
	struct slot *old = t->slots, *ns = calloc(nn, sizeof(*ns));

	if (ns == NULL)
		return -1;
	t->slots = ns;
	t->nslots = nn;
	for (size_t i = 0; i < nn / 2; i++)
		if (old[i].key != NULL)
			*find(t, old[i].key, old[i].n, old[i].hash) = old[i];
	free(old);
	return 0;
}

static const char *
copy_key(struct strtab *t, const char *key, size_t n)
{
	struct pool *p = t->pools;
	char *dst;

	if (p == NULL || p->cap - p->used < n + 1) {
		size_t cap = n + 1 > POOL_BYTES ? n + 1 : POOL_BYTES;
		if ((p = malloc(sizeof(*p) + cap)) == NULL)
			return NULL;
		p->used = 0;
		p->cap = cap;
		p->next = t->pools;
		t->pools = p;
	}
	dst = p->mem + p->used;
	memcpy(dst, key, n);
	dst[n] = '\0';
	p->used += n + 1;
	return dst;
}

int
strtab_put(struct strtab *t, const char *key, size_t n, int val)
{
	uint32_t h = fnv1a32(FNV32_BASIS, key, n);
	struct slot *s = find(t, key, n, h);

	if (s->key != NULL) {
		s->val = val;
		return 0;
	}
	if (n > UINT32_MAX)
		return -1;
	if ((t->count + 1) * 2 > t->nslots) {
		if (table_grow(t) != 0)
			return -1;
		s = find(t, key, n, h);
	}
	if ((s->key = copy_key(t, key, n)) == NULL)
		return -1;
	s->n = (uint32_t)n;
	s->hash = h;
	s->val = val;
	t->count++;
	return 0;
}

size_t
strtab_count(const struct strtab *t)
{
	return t->count;
}
