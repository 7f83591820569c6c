/* audit: the staff audit trail in the web app and on the command line.
 * The log itself is the store's (store_audit.c): an append-only hash chain
 * of staff actions that change data or take it out, never an answer nor
 * anything about a respondent. */
#ifndef AUDIT_H
#define AUDIT_H
#include "app.h"
#include "config.h"
#include "store.h"

/* Writes one audit row for the signed-in member (c->staff) with detail
 * printf-formatted (fmt NULL: none); "system" when no one is signed in
 * (the workers' housekeeping).  -1 when it could not be written; the
 * caller decides whether the action may go on without it.  A HEAD request
 * (served as its GET, without the body) takes nothing out: no row, 0. */
int audit_log(struct ctx *c, const char *action, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* `voices audit verify [--head ID:HEX] [DATABASE]`: 0 intact, 1 broken
 * (the first broken entry named on stderr), 2 usage or unreadable. */
int audit_cli(const struct config *cfg, int argc, char **argv);

/* Prints "Audit chain: N entries, head ID:HEX" for the database at path
 * (a backup just written), or why it cannot; 0 when the chain is intact. */
int audit_print_head(const char *path);

/* The admin page, GET /staff/audit. */
void h_audit_page(struct ctx *c);
#endif
