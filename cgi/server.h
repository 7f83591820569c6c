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
/* What loaded_read does with the database besides reading the files. */
enum loaded_db {
	LOADED_FILES_ONLY,	/* nothing: a check of the files */
	LOADED_REGISTER,	/* records the loaded survey versions in it */
	LOADED_CREATE,		/* the same, making the database if missing */
};
/* Reads the surveys and templates into out and does db.  0; -1 after
 * printing "file:line: problem" to stderr. */
int loaded_read(const struct config *cfg, struct loaded *out, enum loaded_db db)
    __attribute__((warn_unused_result));
void loaded_free(struct loaded *l);
int server_run(const struct config *cfg);
#endif
