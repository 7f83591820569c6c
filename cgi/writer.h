/* writer: the single process that writes responses to the database.  Web
 * workers hand it submissions over a unix SOCK_SEQPACKET socket and wait for
 * the reply; it commits every submission that arrived while the previous
 * commit was running in ONE transaction (group commit: one fsync for many)
 * and only then replies to each.  A reply of STORE_OK or STORE_DUPLICATE
 * means the response is on disk.  WAL checkpoints run beside the commits, in
 * a thread of the writer process (checkpointer.h). */
#ifndef WRITER_H
#define WRITER_H
#include <sys/un.h>
#include "app.h"
#include "store.h"

/* Binds the writer's socket (before fork).  -1 on error, with errno. */
int writer_listen(const char *path);
/* Fills sa with the unix address path; -1 (ENAMETOOLONG) when too long. */
int writer_addr(struct sockaddr_un *sa, const char *path);
/* The writer process's loop.  surveys (NULL: none) are the survey files,
 * with which new responses are added to the counts the dashboard keeps
 * (store_set_counter); after SIGHUP the writer reads them again itself.
 * After SIGTERM it goes on serving until no
 * worker is connected or waiting, so every submission handed over is
 * committed and answered.  0 on a clean stop.  On a full disk it refuses new
 * writes (STORE_FULL) but still confirms forms already stored, and takes
 * writes again by itself once there is room (store_space in store.h). */
int writer_run(const struct config *cfg, const struct survey_set *surveys, int listen_fd);
/* From a web worker (writer_client.c): stores s through the writer and waits
 * for the commit: the result store_responses_add gave it (STORE_DEVICE_USED:
 * its device had answered the survey before; nothing stored; STORE_FULL: the
 * disk is full, nothing stored).  A writer that dies meanwhile is noticed at
 * once and s sent again to its successor, which confirms it if it was stored.
 * Signals do not interrupt the wait.  STORE_IO only when no writer answered
 * for 20 s, or five writers in a row died holding s: then s may or may not be
 * stored, which is safe because its nonce makes a retry a duplicate. */
enum store_err writer_submit(struct app *app, const struct submission *s);
/* From a web worker: stores one poll vote through the writer (in the same
 * group commit) and waits, as writer_submit.  STORE_OK, STORE_NOTFOUND (the
 * question is not taking votes now), STORE_INVALID, STORE_FULL, or STORE_IO
 * as for writer_submit; sending again is safe because a vote replaces the
 * same voter's earlier one. */
enum store_err writer_vote(struct app *app, const struct store_poll_vote *v);
#endif
