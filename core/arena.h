/* arena: per-request bump allocator.  Everything a request allocates lives here
 * and dies together at arena_reset(); nothing allocated from an arena is freed
 * on its own.  Out of memory is reported as NULL, never by exiting. */
#ifndef ARENA_H
#define ARENA_H
#include <stddef.h>
#include <stdarg.h>

struct arena;

/* A new arena whose blocks are at least `block` bytes.  NULL on OOM. */
struct arena *arena_new(size_t block);
/* Frees the arena and everything in it.  Accepts NULL. */
void arena_free(struct arena *a);
/* Forgets every allocation but keeps the first block for reuse. */
void arena_reset(struct arena *a);
/* Aligned to max_align_t.  NULL on OOM or size overflow. */
void *arena_alloc(struct arena *a, size_t n);
void *arena_calloc(struct arena *a, size_t count, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Bytes handed out since the last reset (for tests and the benchmark). */
size_t arena_used(const struct arena *a);
#endif
