/* server: the supervising parent.  It loads and validates everything once,
 * binds the sockets, forks the writer and the workers, restarts any that
 * die, reloads surveys and templates on SIGHUP (a broken file keeps the old
 * ones running) and on SIGTERM drains: workers finish the request in hand,
 * then the writer commits what it holds, then the parent exits. */
#ifndef SERVER_H
#define SERVER_H
#include "config.h"

/* Everything a process needs that is loaded from disk, validated at start-up. */
struct loaded {
	struct survey_set	*surveys;
	struct tmpl_set		*tmpl;
};
/* Loads surveys and templates and, unless create < 0, records the loaded
 * survey versions in the database (create > 0: making the file if missing).
 * On error prints "file:line: problem" to stderr. */
int server_load(const struct config *cfg, struct loaded *out, int create)
    __attribute__((warn_unused_result));
void server_unload(struct loaded *l);
int server_run(const struct config *cfg);
#endif
