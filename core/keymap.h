/* keymap: a multimap from 32-bit keys (hashes) to 32-bit values, with open
 * addressing.  Built, then only read: lookups are safe from many threads.
 * A key's values come in no particular order; a pair added twice is kept
 * once. */
#ifndef KEYMAP_H
#define KEYMAP_H
#include <stddef.h>
#include <stdint.h>

struct keymap_pair {
	uint32_t	 key;
	uint32_t	 val;	/* KEYMAP_EMPTY: the slot is free */
};

struct keymap {
	struct keymap_pair	*v;
	size_t			 n, cap;	/* cap: 0 or a power of two */
};

#define KEYMAP_EMPTY	UINT32_MAX

/* Adds (key, val); val < KEYMAP_EMPTY.  0, or -1 on OOM (m unchanged). */
int keymap_add(struct keymap *m, uint32_t key, uint32_t val)
    __attribute__((warn_unused_result));
/* Calls fn(ctx, val) for each value of key. */
void keymap_each(const struct keymap *m, uint32_t key, void (*fn)(void *, uint32_t), void *ctx);
void keymap_free(struct keymap *m);
#endif
