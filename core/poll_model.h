/* poll_model: the model of a live workshop poll session that both the web app and
 * the storage layer share: join codes and the facilitator's state machine.
 * Pure functions, no I/O, so every rule here is unit-tested on its own. */
#ifndef POLL_MODEL_H
#define POLL_MODEL_H
#include <stddef.h>

#define POLL_CODE_LEN	6
/* No 0/O, 1/I/L: a code read off a projector or said aloud is typed right. */
#define POLL_CODE_ALPHABET	"23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#define POLL_MAX_QUESTIONS	100	/* a poll set or session holds at most this many */

/* A fresh random code (libsodium; sodium_init() must have run). */
void poll_code_new(char out[POLL_CODE_LEN + 1]);
/* What a person typed ("abc 234", "ABC-234") as a canonical code in out:
 * upper case, spaces and dashes dropped.  -1 when it is not a code. */
int poll_code_normalise(const char *in, char out[POLL_CODE_LEN + 1]);

/* What a facilitator can do to a session.  Names as in the console's forms. */
enum poll_action { PA_NEXT, PA_PREV, PA_LOCK, PA_UNLOCK, PA_SHOW, PA_HIDE, PA_END, PA__MAX };
extern const char *const poll_action_names[PA__MAX];
/* PA__MAX when name is not an action. */
enum poll_action poll_action_from_name(const char *name);

/* The state the room follows.  current is -1 before the first question is
 * opened; locked[q] says voting on question q is closed (kept per question,
 * so going back to a locked question keeps it locked); show says the
 * results of the current question are on the projector. */
struct poll_state {
	int		 open;		/* 0 once ended: nothing changes any more */
	int		 current;
	int		 show;
	int		 nq;		/* questions in the session, 1..POLL_MAX_QUESTIONS */
	unsigned char	 locked[POLL_MAX_QUESTIONS];
};

/* Applies a to s.  0 when done; -1 (s unchanged) when a is not allowed now:
 * anything on an ended session, next past the last question, previous
 * before the first, lock/unlock/show/hide before the first question.
 * Moving to another question hides the results. */
int poll_apply(struct poll_state *s, enum poll_action a) __attribute__((warn_unused_result));
/* 1 when a vote on question q may be taken now. */
int poll_accepts(const struct poll_state *s, int q);
#endif
