/* gen: synthetic respondents for tests and the benchmark.  A seeded
 * generator (splitmix64) makes the same N responses from the same seed. */
#ifndef GEN_H
#define GEN_H
#include <stddef.h>
#include <stdint.h>
#include "buf.h"

struct gen_rng {
	uint64_t	 s;
};

void gen_seed(struct gen_rng *g, uint64_t seed);
uint64_t gen_next(struct gen_rng *g);
/* Uniform in [0, n). */
size_t gen_below(struct gen_rng *g, size_t n);
/* Index drawn with the given weights (need not sum to anything). */
size_t gen_weighted(struct gen_rng *g, const double *w, size_t n);
/* 1 with probability p. */
int gen_chance(struct gen_rng *g, double p);

/* A resident's free-text answer about outcome area `area` (a codebook area
 * id, or NULL for a general answer), written into out.  Varied templates,
 * some with typos or slang, some about "other" topics. */
void gen_text(struct gen_rng *g, const char *area, struct buf *out);
#endif
