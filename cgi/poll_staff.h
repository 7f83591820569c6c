/* poll_staff: what the facilitator's pages share (poll_staff.c: list,
 * start, console; poll_console.c: the console's actions; poll_present.c:
 * presenter, live JSON, exports).  Their routes (ROUTE_POLL) load the
 * session into c->poll and let through only its facilitator and admins
 * (analysts: an ended session's exports), so none of these re-checks. */
#ifndef POLL_STAFF_H
#define POLL_STAFF_H
#include "poll.h"

/* Title, code, join address, QR code and the state flags, into d. */
void poll_staff_head(struct ctx *c, const struct psess *ps, struct tdict *d);
/* What changes as the room votes: counts, the current question and its
 * results (results_room: in-room counts, nothing suppressed) and, for the
 * console, the moderation lists.  Template: poll_live / poll_stage. */
void poll_staff_live(struct ctx *c, const struct psess *ps, struct tdict *d, int console);
/* Copies JSON values into template data (strings into the arena): objects
 * become child dicts, arrays lists (an array of strings: items {text}). */
void poll_json_tdict(struct ctx *c, struct tdict *d, json_t *o);
#endif
