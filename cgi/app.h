/* app: what a worker holds for its whole life (read-only after start-up) and
 * the per-request context the router hands to handlers. */
#ifndef APP_H
#define APP_H
#include <stdint.h>
#include "config.h"
#include "http.h"
#include "survey.h"
#include "tmpl.h"

struct app {
	const struct config	*cfg;
	const struct survey_set	*surveys;
	const struct tmpl_set	*tmpl;
	unsigned char		 secret[32];	/* server secret: CSRF tokens, keyed hashes */
	int			 writer_fd;	/* connection to the writer process, -1 = not yet */
	struct store		*store;		/* this worker's read connection, may be NULL */
	/* view_ui_init: each ui.yaml language's strings as a frozen dict, [ui_nt]
	 * in ui_lang_code order, all in ui_arena (owned here, freed by
	 * view_ui_free).  They point into `surveys`, which outlives them.  NULL
	 * when not built: pages then copy the strings per request. */
	struct arena		*ui_arena;
	const struct tdict	**ui_t;
	size_t			 ui_nt;
};

struct psess;

/* A handler's world.  The router fills everything its table row promised
 * before the handler runs: `survey` for ROUTE_SURVEY routes, `staff` (with an
 * allowed role) for staff routes, `poll` (a session the member may see) for
 * ROUTE_POLL routes, a checked CSRF token for POST routes. */
struct ctx {
	struct app		*app;
	struct req		*req;
	struct resp		*resp;
	struct arena		*a;
	const struct survey	*survey;
	const char		*param;		/* the path segment the route captured */
	const char		*csrf_cookie;	/* this browser's CSRF cookie (set if new) */
	const char		*csrf_token;	/* the token forms must carry */
	const char		*lang;		/* language code chosen for this page */
	const char		*lang_link;	/* the language chooser links here with
						 * ?l=CODE; NULL: it is buttons in the
						 * page's form (survey pages) */
	const struct staff	*staff;		/* signed-in staff, for staff routes */
	struct psess		*poll;		/* the poll session, for ROUTE_POLL(_CODE) routes */
	int			 preview;	/* a draft survey seen by signed-in staff:
						 * nothing it sends is stored (life.h) */
};

typedef void (*handler_fn)(struct ctx *c);

/* This worker's own database connection (reads, and the staff writes that
 * do not go through the writer), opened on first use and kept in app->store
 * for the life of the process; NULL when it cannot be opened (the next call
 * tries again). */
struct store *app_store(struct app *app);

/* Fills c->resp with a full error page (status 4xx/5xx) whose message is the
 * ui.yaml string `key` in the request's language. */
void page_error(struct ctx *c, int status, const char *key);
#endif
