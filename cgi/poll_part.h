/* poll_part: what the participant's side of a poll shares: the handlers
 * (poll_part.c), the page (poll_part_view.c) and the answer parsed into a
 * vote (poll_part_form.c). */
#ifndef POLL_PART_H
#define POLL_PART_H
#include "poll.h"

/* poll_part_view.c: renders the page for the session's current state:
 * waiting to start, the question (with err next to it, if given), "answer
 * received", voting closed, the statements to vote on, or the end. */
void poll_part_render(struct ctx *c, const struct psess *ps, const char *tok, const char *err,
    int status);
/* poll_part_form.c: parses the POSTed answer to question q into v->value,
 * v->item and v->text.  0; or -1 with *err the message to show beside the
 * question (NULL: the form was malformed, a 400). */
int poll_part_parse(struct ctx *c, const struct psess *ps, int q, struct store_poll_vote *v,
    const char **err);
/* poll_part.c: 1 when this phone wrote statement id of session (its
 * cookie says so). */
int poll_part_own(struct ctx *c, int64_t session, int64_t id);
/* poll_part_view.c: free text trimmed, limited to max code points and
 * scrubbed of personal identifiers (arena); NULL for invalid text. */
const char *poll_part_clean_text(struct ctx *c, const char *text, int max);
#endif
