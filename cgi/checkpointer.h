/* checkpointer: WAL checkpoints off the writer's commit path.  A thread in the
 * writer process, with a connection of its own, copies committed WAL frames
 * into the database file while the writer's connection, which never
 * checkpoints, goes on committing.  Checkpoints never touch durability: a
 * submission is acknowledged once its COMMIT fsynced the WAL. */
#ifndef CHECKPOINTER_H
#define CHECKPOINTER_H
#include "store.h"

struct checkpointer;
/* Opens a second connection to the database at path, starts the thread, and
 * then turns automatic checkpoints off on writer (the writer's own store).
 * NULL on failure, and writer keeps checkpointing its own commits. */
struct checkpointer *checkpointer_start(const char *path, struct store *writer);
/* The writer holds the gate across each commit: the thread takes it for the
 * short RESTART or TRUNCATE that needs the writer between transactions.
 * Both accept NULL. */
void checkpointer_enter(struct checkpointer *c);
void checkpointer_leave(struct checkpointer *c);
/* Stops the thread after a last TRUNCATE attempt, closes its connection and
 * frees c (NULL: nothing).  Call once the writer commits no more. */
void checkpointer_stop(struct checkpointer *c);
#endif
