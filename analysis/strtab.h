/* strtab: a string-keyed hash table of ints, for the stem cache and the
 * codebook's vocabularies.  Keys are copied into pools the table owns; the
 * table never shrinks.  Lookups never allocate. */
#ifndef STRTAB_H
#define STRTAB_H
#include <stddef.h>

struct strtab;

/* NULL on OOM. */
struct strtab *strtab_new(void);
/* Accepts NULL. */
void strtab_free(struct strtab *t);
/* 1 and *val when key[0..n) is present, else 0. */
int strtab_get(const struct strtab *t, const char *key, size_t n, int *val);
/* Inserts or replaces.  0, or -1 on OOM (the table is unchanged). */
int strtab_put(struct strtab *t, const char *key, size_t n, int val)
    __attribute__((warn_unused_result));
size_t strtab_count(const struct strtab *t);
#endif
