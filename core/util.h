/* util: small functions every layer needs: growing an array, checking a hex
 * token, trimming blanks, checking and making a day's date, the monotonic
 * clock. */
#ifndef UTIL_H
#define UTIL_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "arena.h"

/* Makes room for element n of the array *vp (a pointer to the array's
 * pointer) of *cap elements of size bytes: when n == *cap, *cap doubles
 * (from `first`) and the array is reallocated.  0; -1 on OOM or overflow,
 * the array left as it was. */
int grow(void *vp, size_t *cap, size_t n, size_t size, size_t first)
    __attribute__((warn_unused_result));
/* The same for an array in arena a (the old copy stays in the arena). */
int arena_grow(struct arena *a, void *vp, size_t *cap, size_t n, size_t size, size_t first)
    __attribute__((warn_unused_result));

/* 1 when s is exactly n lower-case hex digits (a token or key we made). */
int hex_token_ok(const char *s, size_t n);

/* Narrows s[0..*n) to what lies between its leading and trailing spaces
 * and tabs (moves *s, shortens *n). */
void trim_blank(const char **s, size_t *n);

/* 1 when s is a real day written "YYYY-MM-DD" (year 1 on, 29 February in
 * leap years only). */
int day_valid(const char *s);

/* t's date in local time, "YYYY-MM-DD", into out.  0, or -1. */
int day_local(time_t t, char out[11]);

/* FNV-1a over n bytes of p, continuing from h (FNV32_BASIS or FNV64_BASIS to
 * start): a fast, fixed hash for tables and stable keys, never for secrets. */
#define FNV32_BASIS	2166136261u
#define FNV32_PRIME	16777619u
#define FNV64_BASIS	1469598103934665603ull
uint32_t fnv1a32(uint32_t h, const void *p, size_t n);
uint64_t fnv1a64(uint64_t h, const void *p, size_t n);

/* Milliseconds on the monotonic clock: for timeouts and ages, never dates. */
long mono_ms(void);
#endif
