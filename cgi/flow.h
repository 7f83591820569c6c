/* flow: one POST of the survey form, parsed into typed answers, and the
 * pages it renders.  Lives for one request, in its arena. */
#ifndef FLOW_H
#define FLOW_H
#include "app.h"
#include "draft.h"
#include "store.h"

#define FLOW_NONCE_HEX	32	/* a form's nonce: 16 random bytes in hex */
#define PAGE_START	(-1L)

struct flow {
	struct ctx		*c;
	const struct survey	*s;
	int			 lang;		/* index into s->langs */
	struct answer_set	 as;		/* every answer the form carries */
	struct survey_vis	 vis;		/* settled for as (flow_settle) */
	const char		*nonce;		/* FLOW_NONCE_HEX hex digits */
	const char		*channel;
	long			 page;		/* on screen: -1 start, npages = check */
	int			 ret;		/* come back to the check page after this one */
	const char		*seen;		/* with ret: '1' per page open on the check
						 * page, '0' per closed one; else NULL */
	const char		*nav;		/* the button pressed */
	int			 flagged;	/* the safeguarding check fired on the
						 * response sent (flow_submission) */
	enum answer_err		*errs;		/* per question, for the page re-rendered */

	/* The draft kept on the server (flow_draft.c), when there is one. */
	int			 draft;		/* pages carry no answers: they are in the draft */
	int			 prg;		/* the browser keeps cookies: every POST
						 * answers with a 303 to a page's address */
	int			 have_keys;	/* keys: from the cookie, or new */
	struct draft_keys	 keys;
	const char		*code;		/* the resume code, DRAFT_CODE_LEN, or NULL */
	long			 at;		/* the page to come back to */
	long			 expires;	/* the draft's last day (draft_today) */
};

/* Parses the whole POST into f.  -1 when it is malformed (a 400). */
int flow_parse(struct ctx *c, struct flow *f) __attribute__((warn_unused_result));
/* Adds one form field (or draft field) to the answer set as; -1 on OOM, 1
 * for a field the form never has (a grid row the grid does not have). */
int flow_take_field(struct flow *f, struct answer_set *as, const struct kv *kv)
    __attribute__((warn_unused_result));
/* The next page shown after `from` (step 1) or before it (step -1):
 * npages (the check page) or PAGE_START at the ends. */
long flow_next_visible(const struct flow *f, long from, int step);
/* Checks the visible questions of page p into f->errs; 1 when all are fine. */
int flow_check_page(struct flow *f, long p);
/* Shows page p with status: renders it, or with f->prg saves the draft and
 * answers 303 to the page's own address (with 422: the page with its errors). */
void flow_go(struct flow *f, long p, int status);
/* The address of page p (PAGE_START, a page, npages = check); err: with its errors. */
const char *flow_url(struct flow *f, long p, int err);
/* flow_done.c: answers 303 to the confirmation of f's stored response
 * (a signed link, DONE_TTL, that also says whether f->flagged: then the
 * confirmation says who to contact now); -1 out of memory. */
int flow_confirm(struct flow *f) __attribute__((warn_unused_result));
/* 1 when the request carries the CSRF cookie (the browser keeps cookies). */
int flow_cookies_on(struct ctx *c);
/* The token a survey form carries for browsers without cookies: a keyed
 * hash of the form's nonce (32 hex, in the arena). */
const char *flow_form_token(struct ctx *c, const char *nonce);
/* 1 for a POST to a survey from a browser that sent no CSRF cookie, with a
 * form token matching its nonce: the router's check for such browsers.  Such
 * a form can only add an anonymous draft or response, as anyone can. */
int flow_form_token_ok(struct ctx *c);
/* 1 when the response of the form with this nonce (_n) is stored: the form
 * of a draft that is gone because it was sent (a double tap, a second tab). */
int flow_nonce_stored(struct ctx *c, const char *nonce);

/* flow_draft.c.  Reads this browser's draft (cookie) into f: keys, nonce,
 * channel, language, code, the page to come back to, and its answers added
 * to f->as (those on page `except`, shown there, left out: the form's are
 * newer).  1 when read, 0 when there is none (or it expired), -1 on error. */
int flow_draft_load(struct flow *f, long except) __attribute__((warn_unused_result));
/* Seals f (answers and state) into its draft row, with new keys when f has
 * none, and gives the browser the cookie (unless cookies are off).  -1 on error. */
int flow_draft_save(struct flow *f) __attribute__((warn_unused_result));
/* The same with f->keys already set (a resume code opened them). */
int flow_draft_open(struct flow *f, long except) __attribute__((warn_unused_result));
/* Reads the draft for a GET of one of its pages into f, settled, with room
 * for errors.  0 when there is one; otherwise the response is made (to the
 * start page, which says the answers were not found) and f is freed. */
int flow_draft_for_get(struct ctx *c, struct flow *f) __attribute__((warn_unused_result));
/* Tells the browser to drop the draft cookie. */
void flow_draft_forget(struct flow *f);
/* Deletes f's draft and code rows, and the cookie. */
void flow_draft_erase(struct flow *f);
/* Fills f from the plain text of a draft; -1 when malformed. */
int flow_draft_apply(struct flow *f, const char *plain, size_t n, long except)
    __attribute__((warn_unused_result));
/* Sets the draft cookie to f->keys. */
void flow_draft_cookie(struct flow *f);
/* Starts f for a GET of a survey page: empty, language from ?l=. */
void flow_init(struct flow *f, struct ctx *c);

/* flow_grid.c.  The name of the form field that carries answer an (ranking:
 * "qid.code"; a grid's row: "grid.row"; else the question's id), in a. */
const char *flow_field_name(struct arena *a, const struct survey *s, const struct answer *an);
/* Takes the field "grid.row" of grid qs[g] (row NULL: the name had no dot):
 * 0 taken or ignored (blank), 1 when row is not one of g's rows, -1 on OOM. */
int flow_take_grid(const struct survey *s, struct answer_set *as, size_t g, const char *row,
    const char *value) __attribute__((warn_unused_result));
/* Grid qs[g] on a question page: its rows (a fieldset of radios each) into
 * qd, and each row's error, naming the row, into page's error summary. */
void flow_put_grid(struct flow *f, struct tdict *page, struct tdict *qd, size_t g);
/* The grid's answers as the check page shows them: "Row: answer" per row. */
const char *flow_grid_answer(struct flow *f, size_t g);

/* flow_resume.c: "Save and come back later" (the button _nav=save). */
void flow_save(struct flow *f);
/* "Remove my answers from this device": the cookie goes, the draft stays
 * for its code. */
void flow_forget(struct flow *f);

/* Settles f->vis for f->as, once per request and again whenever f->as
 * changes; -1 when out of memory.  f->vis is then freed with survey_vis_free. */
int flow_settle(struct flow *f) __attribute__((warn_unused_result));
/* Renders page p (-1 = start page, npages = check page) with the whole draft
 * in hidden fields and p's questions as inputs. */
void flow_render_page(struct flow *f, long p, int status);
/* The check-your-answers page (also the "try again" page, with status 503). */
void flow_render_check(struct flow *f, int status);
/* The form's state fields (and, without a draft, the answers as hidden
 * fields) of page p into d. */
void flow_view_state(struct flow *f, struct tdict *d, long p);
/* Question q as an item of d's "questions" list (templates/question.html),
 * under no heading of its own, with its answer from f->as and, when f->errs
 * says so, its error, also added to d's "errors" list.  The item, or NULL. */
struct tdict *flow_view_question(struct flow *f, struct tdict *d, size_t q);
/* Builds the submission for the writer from the answers (scrubbing free
 * text), with this browser's device hash when the survey takes one response
 * per device (device.h), and the safeguarding flag: set when a free-text
 * answer on a safeguarded page (survey_safeguarded) matches the survey's
 * phrases, read on the text as typed, before scrubbing and sealing. */
int flow_submission(struct flow *f, struct submission *sub) __attribute__((warn_unused_result));
#endif
