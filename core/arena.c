/* arena: per-request bump allocator.
 * Invariants: small allocations are carved from a->head; normal blocks form a
 * singly linked list from head whose tail is the first block ever made
 * (a->first), which survives arena_reset(), so a steady-state request never
 * calls malloc.  Large allocations live on their own list, a->large.  Every
 * pointer handed out is aligned to max_align_t, and every size is checked for
 * overflow before it is rounded or added. */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ALIGN	alignof(max_align_t)
/* Header size rounded up so a block's data starts aligned. */
#define HDR	((sizeof(struct block) + ALIGN - 1) & ~(ALIGN - 1))

struct block {
	struct block	*next;
	size_t		 cap;	/* usable bytes after the header */
	size_t		 used;
};

struct arena {
	struct block	*head;	/* current block for small allocations */
	struct block	*first;	/* kept across resets */
	struct block	*large;	/* one block per large allocation */
	size_t		 blocksz;
	size_t		 handed;	/* bytes handed out since the last reset */
};

static unsigned char *
block_data(struct block *b)
{
	return (unsigned char *)b + HDR;
}

/* A block with room for at least cap bytes; NULL on OOM or overflow. */
static struct block *
block_new(size_t cap)
{
	struct block	*b;

	if (cap > SIZE_MAX - HDR)
		return NULL;
	if ((b = malloc(HDR + cap)) == NULL)
		return NULL;
	b->next = NULL;
	b->cap = cap;
	b->used = 0;
	return b;
}

struct arena *
arena_new(size_t block)
{
	struct arena	*a;

	if (block > SIZE_MAX / 2)
		return NULL;
	if (block < 256)
		block = 256;
	block = (block + ALIGN - 1) & ~(ALIGN - 1);
	if ((a = malloc(sizeof(*a))) == NULL)
		return NULL;
	if ((a->first = block_new(block)) == NULL) {
		free(a);
		return NULL;
	}
	a->head = a->first;
	a->large = NULL;
	a->blocksz = block;
	a->handed = 0;
	return a;
}

/* Frees every block in the chain starting at b, stopping before `keep`. */
static void
chain_free(struct block *b, const struct block *keep)
{
	struct block	*next;

	for (; b != NULL && b != keep; b = next) {
		next = b->next;
		free(b);
	}
}

void
arena_free(struct arena *a)
{
	if (a == NULL)
		return;
	chain_free(a->head, NULL);
	chain_free(a->large, NULL);
	free(a);
}

void
arena_reset(struct arena *a)
{
	if (a == NULL)
		return;
	chain_free(a->head, a->first);
	chain_free(a->large, NULL);
	a->large = NULL;
	a->head = a->first;
	a->first->used = 0;
	a->handed = 0;
}

/*
 * Large requests (half a block or more) get a block of their own, so the head
 * keeps serving small allocations instead of being abandoned half empty.
 */
void *
arena_alloc(struct arena *a, size_t n)
{
	struct block	*b;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ALIGN)
		return NULL;
	n = (n + ALIGN - 1) & ~(ALIGN - 1);
	b = a->head;
	if (b->cap - b->used < n) {
		if (n >= a->blocksz / 2) {
			if ((b = block_new(n)) == NULL)
				return NULL;
			b->next = a->large;
			a->large = b;
		} else {
			if ((b = block_new(a->blocksz)) == NULL)
				return NULL;
			b->next = a->head;
			a->head = b;
		}
	}
	b->used += n;
	a->handed += n;
	return block_data(b) + b->used - n;
}

void *
arena_calloc(struct arena *a, size_t count, size_t size)
{
	void	*p;

	if (size != 0 && count > SIZE_MAX / size)
		return NULL;
	if ((p = arena_alloc(a, count * size)) != NULL)
		memset(p, 0, count * size);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char	*p;

	if (n == SIZE_MAX || (p = arena_alloc(a, n + 1)) == NULL)
		return NULL;
	if (n > 0)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	int	 len;
	char	*p;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || (p = arena_alloc(a, (size_t)len + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t
arena_used(const struct arena *a)
{
	return a->handed;
}
