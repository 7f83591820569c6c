/* pipe: hands responses from the thread reading the database to a thread
 * that tallies them, so reading (SQLite, opening sealed text) and coding use
 * both cores.  Responses are copied into batches; at most PIPE_BATCHES
 * batches are in flight, so memory stays bounded.  Order is preserved. */
#ifndef PIPE_H
#define PIPE_H
#include "store.h"

struct pipe;

/* Starts the consumer thread, which calls fn(ctx, r) for every response
 * pushed (fn returns nonzero to fail the pipe).  NULL on failure. */
struct pipe *pipe_new(int (*fn)(void *ctx, const struct store_response *r), void *ctx);
/* Copies r into the current batch (from the producer thread only).
 * Nonzero when the consumer has failed or memory ran out: stop reading. */
int pipe_push(struct pipe *p, const struct store_response *r);
/* Flushes, waits for the consumer, wipes and frees.  0, or -1 if anything
 * failed.  Accepts NULL. */
int pipe_finish(struct pipe *p);
#endif
