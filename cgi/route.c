/* route: the routing table and the single place its preconditions are
 * checked.  Patterns are literal segments and '*', which captures one
 * segment made of [A-Za-z0-9_-] (upper case for poll join codes; survey ids
 * are lower case, so an upper-case one is simply not found). */
#include <stdlib.h>
#include <string.h>
#include "audit.h"
#include "csrf.h"
#include "flow.h"
#include "handlers.h"
#include "life.h"
#include "poll.h"
#include "route.h"
#include "staff.h"

/* Who may see a poll session's raw state (the unsuppressed counts, the
 * moderation queue, the projector, the buttons): the facilitator who started
 * it, and admins.  Its exports are disclosure-controlled, so analysts may
 * fetch them too, once the session has ended (ROUTE_POLL_ENDED). */
enum route_flags {
	ROUTE_SURVEY	 = 1 << 0,	/* '*' names a survey (kind: survey) whose state
					 * lets this route run (life_gate) */
	ROUTE_POLL	 = 1 << 1,	/* '*' is a poll session id, loaded into c->poll;
					 * only its facilitator and admins pass */
	ROUTE_POLL_ENDED = 1 << 2,	/* with ROUTE_POLL: analysts too, once it ended */
	ROUTE_STAFF_SURVEY = 1 << 3,	/* '*' names a survey (kind: survey), for a staff
					 * page, looked up once the role and (for a POST)
					 * the CSRF cookie's token passed */
	ROUTE_START	 = 1 << 4,	/* with ROUTE_SURVEY: the start page (life.h) */
	ROUTE_ANYTIME	 = 1 << 5,	/* with ROUTE_SURVEY: readable once closed too */
	ROUTE_POLL_CODE	 = 1 << 6,	/* '*' is a poll join code: the participant's
					 * session, loaded into c->poll (anyone passes) */
};

struct route {
	enum method	 method;
	const char	*pattern;
	unsigned	 flags;
	unsigned	 roles;		/* ROLE_BIT()s allowed; 0 = no login needed */
	handler_fn	 fn;
};

#define STAFF_ANY	(ROLE_BIT(ROLE_FACILITATOR) | ROLE_BIT(ROLE_ANALYST) | ROLE_BIT(ROLE_ADMIN))
#define POLL_RUN	ROLE_BIT(ROLE_FACILITATOR)	/* (and admins, as everywhere) */
#define POLL_OWN	ROUTE_POLL			/* a session its facilitator runs */
#define POLL_READ	(ROUTE_POLL | ROUTE_POLL_ENDED)	/* ... and analysts read once ended */
#define LINKS_MAKE	ROLE_BIT(ROLE_FACILITATOR)	/* survey links and posters (and admins) */
#define FINDINGS	ROLE_BIT(ROLE_ANALYST)		/* (and admins): suppressed figures */

static const struct route routes[] = {
	{ M_GET,  "/healthz",		0,		0,	h_health },
	{ M_GET,  "/",			0,		0,	h_home },
	{ M_GET,  "/s/*",		ROUTE_SURVEY | ROUTE_START, 0, h_survey_start },
	{ M_POST, "/s/*",		ROUTE_SURVEY,	0,	h_survey_post },
	{ M_GET,  "/s/*/done",		ROUTE_SURVEY | ROUTE_ANYTIME, 0, h_survey_done },
	{ M_GET,  "/s/*/privacy",	ROUTE_SURVEY | ROUTE_ANYTIME, 0, h_survey_privacy },
	{ M_GET,  "/s/*/p",		ROUTE_SURVEY,	0,	h_survey_step },
	{ M_GET,  "/s/*/check",		ROUTE_SURVEY,	0,	h_survey_check },
	{ M_GET,  "/s/*/saved",		ROUTE_SURVEY,	0,	h_survey_saved },
	{ M_GET,  "/s/*/resume",	ROUTE_SURVEY,	0,	h_survey_resume },
	{ M_POST, "/s/*/resume",	ROUTE_SURVEY,	0,	h_survey_resume_post },
	{ M_GET,  "/staff/login",	0,		0,	h_staff_login },
	{ M_POST, "/staff/login",	0,		0,	h_staff_login_post },
	{ M_POST, "/staff/logout",	0,		STAFF_ANY, h_staff_logout },
	{ M_GET,  "/staff",		0,		STAFF_ANY, h_staff_home },
	{ M_GET,  "/staff/users",	0,		ROLE_BIT(ROLE_ADMIN), h_staff_users },
	{ M_POST, "/staff/users",	0,		ROLE_BIT(ROLE_ADMIN), h_staff_users_post },
	{ M_GET,  "/staff/surveys/*",	ROUTE_STAFF_SURVEY, STAFF_ANY, h_life_survey },
	{ M_POST, "/staff/surveys/*",	ROUTE_STAFF_SURVEY, ROLE_BIT(ROLE_ADMIN), h_life_survey_post },
	{ M_GET,  "/staff/account",	0,		STAFF_ANY, h_staff_account },
	{ M_POST, "/staff/account",	0,		STAFF_ANY, h_staff_account_post },
	{ M_GET,  "/staff/user",	0,		ROLE_BIT(ROLE_ADMIN), h_staff_user },
	{ M_POST, "/staff/user",	0,		ROLE_BIT(ROLE_ADMIN), h_staff_user_post },
	{ M_GET,  "/staff/reset",	0,		0,	h_staff_reset },
	{ M_POST, "/staff/reset",	0,		0,	h_staff_reset_post },
	{ M_GET,  "/j",			0,		0,	h_poll_join },
	{ M_GET,  "/j/*",		ROUTE_POLL_CODE, 0,	h_poll_page },
	{ M_POST, "/j/*",		ROUTE_POLL_CODE, 0,	h_poll_post },
	{ M_GET,  "/j/*/state",		ROUTE_POLL_CODE, 0,	h_poll_state },
	{ M_GET,  "/staff/polls",	0,		STAFF_ANY, h_poll_list },
	{ M_POST, "/staff/polls",	0,		POLL_RUN, h_poll_start },
	{ M_GET,  "/staff/polls/*",	POLL_OWN,	POLL_RUN, h_poll_console },
	{ M_POST, "/staff/polls/*",	POLL_OWN,	POLL_RUN, h_poll_action },
	{ M_GET,  "/staff/polls/*/present", POLL_OWN,	POLL_RUN, h_poll_present },
	{ M_GET,  "/staff/polls/*/live", POLL_OWN,	POLL_RUN, h_poll_live },
	{ M_GET,  "/staff/polls/*/export.json", POLL_READ, STAFF_ANY, h_poll_export_json },
	{ M_GET,  "/staff/polls/*/export.csv", POLL_READ, STAFF_ANY, h_poll_export_csv },
	{ M_GET,  "/staff/surveys/*/links", ROUTE_STAFF_SURVEY, LINKS_MAKE, h_links },
	{ M_GET,  "/staff/surveys/*/poster", ROUTE_STAFF_SURVEY, LINKS_MAKE, h_links_poster },
	{ M_GET,  "/staff/surveys/*/qr.svg", ROUTE_STAFF_SURVEY, LINKS_MAKE, h_links_qr },
	{ M_GET,  "/staff/surveys/*/enter", ROUTE_STAFF_SURVEY, STAFF_ANY, h_entry },
	{ M_POST, "/staff/surveys/*/enter", ROUTE_STAFF_SURVEY, STAFF_ANY, h_entry_post },
	{ M_GET,  "/staff/surveys/*/dashboard", ROUTE_STAFF_SURVEY, FINDINGS, h_dash_page },
	{ M_GET,  "/staff/surveys/*/downloads", ROUTE_STAFF_SURVEY, FINDINGS, h_dl_page },
	{ M_GET,  "/staff/surveys/*/findings.xlsx", ROUTE_STAFF_SURVEY, FINDINGS, h_dl_xlsx },
	{ M_GET,  "/staff/surveys/*/findings.csv", ROUTE_STAFF_SURVEY, FINDINGS, h_dl_csv },
	{ M_GET,  "/staff/surveys/*/dictionary.csv", ROUTE_STAFF_SURVEY, FINDINGS, h_dl_dict },
	{ M_GET,  "/staff/surveys/*/findings.html", ROUTE_STAFF_SURVEY, FINDINGS, h_dl_html },
	{ M_GET,  "/staff/audit",	0,		ROLE_BIT(ROLE_ADMIN), h_audit_page },
	{ M_GET,  "/r/*",		0,		0,	h_results_page },
	{ M_GET,  "/staff/surveys/*/results", ROUTE_STAFF_SURVEY, ROLE_BIT(ROLE_ADMIN), h_results_admin },
	{ M_POST, "/staff/surveys/*/results", ROUTE_STAFF_SURVEY, ROLE_BIT(ROLE_ADMIN), h_results_admin_post },
	{ M_GET,  "/staff/surveys/*/results/preview", ROUTE_STAFF_SURVEY, ROLE_BIT(ROLE_ADMIN), h_results_preview },
};

static int
segment_ok(const char *s, size_t n)
{
	if (n == 0 || n > SURVEY_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", s[i]))
			return 0;
	return 1;
}

/* 1 when path matches pattern; the '*' segment is copied into *cap. */
static int
match(struct arena *a, const char *pattern, const char *path, const char **cap)
{
	while (*pattern && *path) {
		if (*pattern == '*') {
			size_t n = strcspn(path, "/");
			if (!segment_ok(path, n) || (*cap = arena_strndup(a, path, n)) == NULL)
				return 0;
			path += n;
			pattern++;
		} else if (*pattern++ != *path++)
			return 0;
	}
	return *pattern == '\0' && *path == '\0';
}

/* 1 when the signed-in member may open the session in c->poll by route r. */
static int
poll_allowed(const struct ctx *c, const struct route *r)
{
	const struct staff *m = c->staff;

	switch (m->role) {
	case ROLE_ADMIN:
		return 1;
	case ROLE_FACILITATOR:
		return m->id == c->poll->p.staff;
	case ROLE_ANALYST:
		return (r->flags & ROUTE_POLL_ENDED) && !c->poll->p.state.open;
	default:
		return 0;
	}
}

/* Loads the session the path names into c->poll: by id, or by join code
 * for ROUTE_POLL_CODE.  0, or -1 after the error page. */
static int
poll_of_path(struct ctx *c, const struct route *r)
{
	char code[POLL_CODE_LEN + 1], *end;
	long long id;

	if (r->flags & ROUTE_POLL_CODE) {
		if (poll_code_normalise(c->param, code) == 0)
			return poll_load_code(c, code, c->poll);
	} else if ((id = strtoll(c->param, &end, 10)) > 0 && *end == '\0')
		return poll_load(c, id, c->poll);
	page_error(c, 404, "poll_not_found");
	return -1;
}

/* Loads the session once per request and checks the member may see it
 * (ROUTE_POLL); -1 after the error page. */
static int
poll_precheck(struct ctx *c, const struct route *r)
{
	if ((c->poll = arena_calloc(c->a, 1, sizeof(*c->poll))) == NULL) {
		page_error(c, 503, "try_again");
		return -1;
	}
	if (poll_of_path(c, r) != 0)
		return -1;
	if ((r->flags & ROUTE_POLL) && !poll_allowed(c, r)) {
		page_error(c, 403, "poll_forbidden");
		return -1;
	}
	return 0;
}

/* What a survey route is for, in the lifecycle's terms. */
static enum life_use
life_use_of(const struct route *r)
{
	if (r->flags & ROUTE_ANYTIME)
		return LIFE_ANYTIME;
	if (r->method == M_POST)
		return LIFE_POST;
	return (r->flags & ROUTE_START) ? LIFE_START : LIFE_FORM;
}

/* The survey the path names into c->survey; -1 after the 404. */
static int
survey_of_path(struct ctx *c)
{
	c->survey = survey_find(c->app->surveys, c->param);
	if (c->survey == NULL || c->survey->kind != SK_SURVEY) {
		page_error(c, 404, "not_found");
		return -1;
	}
	return 0;
}

/* The preconditions of a row; 0 when they hold, else the response is made. */
static int
precheck(struct ctx *c, const struct route *r)
{
	if ((r->flags & ROUTE_SURVEY) &&
	    (survey_of_path(c) != 0 || life_gate(c, life_use_of(r)) != 0))
		return -1;
	if (r->roles != 0) {
		c->staff = staff_current(c);
		if (c->staff == NULL) {
			resp_redirect(c->resp, c->a, 303, "/staff/login");
			return -1;
		}
		if ((r->roles & ROLE_BIT(c->staff->role)) == 0 && c->staff->role != ROLE_ADMIN) {
			page_error(c, 403, "forbidden");
			return -1;
		}
	}
	/* A survey form from a browser that keeps no cookies carries a token bound
	 * to its nonce instead (flow.h); it can only add an anonymous draft or
	 * response, which anyone can. */
	if (r->method == M_POST &&
	    !csrf_check(c->app->secret, c->csrf_cookie, kv_get(&c->req->form, "_csrf")) &&
	    !((r->flags & ROUTE_SURVEY) && flow_form_token_ok(c))) {
		page_error(c, 403, "cookies_needed");
		return -1;
	}
	if ((r->flags & ROUTE_STAFF_SURVEY) && survey_of_path(c) != 0)
		return -1;	/* staff pages open a survey in any state */
	if ((r->flags & (ROUTE_POLL | ROUTE_POLL_CODE)) && poll_precheck(c, r) != 0)
		return -1;
	return 0;
}

void
route_dispatch(struct ctx *c)
{
	enum method m = c->req->method == M_HEAD ? M_GET : c->req->method;
	unsigned allowed = 0;	/* bits (1 << method) of the rows matching the path */

	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const struct route *r = &routes[i];
		const char *cap = NULL;

		if (!match(c->a, r->pattern, c->req->path, &cap))
			continue;
		allowed |= 1u << r->method;
		if (r->method != m)
			continue;
		c->param = cap;
		if (precheck(c, r) == 0)
			r->fn(c);
		return;
	}
	if (allowed != 0) {
		resp_header(c->resp, (allowed & (1u << M_POST)) == 0 ? "Allow: GET, HEAD" :
		    (allowed & (1u << M_GET)) == 0 ? "Allow: POST" : "Allow: GET, HEAD, POST");
		page_error(c, 405, "bad_request");
	} else
		page_error(c, 404, "not_found");
}
