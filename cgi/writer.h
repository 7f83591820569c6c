/* writer: the single process that writes responses to the database.  Web
 * workers hand it submissions over a unix SOCK_SEQPACKET socket and wait for
 * the reply; it commits every submission that arrived while the previous
 * commit was running in ONE transaction (group commit: one fsync for many)
 * and only then replies to each.  A reply of STORE_OK or STORE_DUPLICATE
 * means the response is on disk.  WAL checkpoints run beside the commits, in
 * a thread of the writer process (checkpointer.h). */
#ifndef WRITER_H
#define WRITER_H
#include "app.h"
#include "store.h"

/* Binds the writer's socket (before fork).  -1 on error, with errno. */
int writer_listen(const char *path);
/* The writer process's loop; returns on SIGTERM once the batch in hand is
 * committed and answered.  0 on a clean stop. */
int writer_run(const struct config *cfg, int listen_fd);
/* From a web worker: stores s through the writer and waits for the commit:
 * the result store_responses_add gave it (STORE_DEVICE_USED: its device had
 * answered the survey before; nothing stored).  Reconnects when the writer
 * was restarted.  STORE_IO when the writer could
 * not be reached or did not answer: then the submission may or may not be
 * stored, which is safe because its nonce makes a retry a duplicate. */
enum store_err writer_submit(struct app *app, const struct submission *s);
/* From a web worker: stores one poll vote through the writer (in the same
 * group commit) and waits.  STORE_OK, STORE_NOTFOUND (the question is not
 * taking votes now), STORE_INVALID, or STORE_IO as for writer_submit; a
 * retry is safe because a vote replaces the same voter's earlier one. */
enum store_err writer_vote(struct app *app, const struct store_poll_vote *v);
#endif
