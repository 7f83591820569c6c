/* outcome: the outcome areas of the Community Safety Strategy.  A survey's
 * free-text question may name the area it asks about ('outcome:'); the
 * analysis codebook (analysis/codebook.yaml, frame 'outcomes') codes answers
 * to the same areas, and its unit test holds the two lists equal. */
#ifndef OUTCOME_H
#define OUTCOME_H

#include <stddef.h>

/* The area ids, in the strategy's order. */
extern const char *const outcome_areas[];
extern const size_t outcome_nareas;

/* 1 if id is one of outcome_areas, else 0. */
int outcome_known(const char *id);

/* "a, b, ... or z": the ids for a message, into buf of size len (truncated). */
void outcome_list(char *buf, size_t len);

#endif
