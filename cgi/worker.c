/* worker: the FastCGI accept loop and the edge where a request becomes typed
 * values.  One request at a time per process; everything it allocates lives
 * in one arena reset at each accept.  Nothing about the client (address,
 * agent, referrer) is read, let alone logged. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcgiapp.h>
#include <sodium.h>
#include "csrf.h"
#include "esc.h"
#include "poll.h"
#include "route.h"
#include "store.h"
#include "view.h"
#include "worker.h"

static volatile sig_atomic_t stopping;

/* Only a flag: FCGX_ShutdownPending() would make libfcgi fail every read
 * after it, cutting the request in hand. */
static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static const struct form_limits query_limits = { 32, 40, 256 };

struct store *
app_store(struct app *app)
{
	if (app->store == NULL && store_open(app->cfg->database, STORE_APP, &app->store) == STORE_OK &&
	    app->cfg->busy_timeout_ms > 0)
		store_set_busy_timeout(app->store, app->cfg->busy_timeout_ms);
	return app->store;
}

static enum method
method_of(const char *m)
{
	if (m == NULL)
		return M_OTHER;
	if (strcmp(m, "GET") == 0)
		return M_GET;
	if (strcmp(m, "HEAD") == 0)
		return M_HEAD;
	if (strcmp(m, "POST") == 0)
		return M_POST;
	return M_OTHER;
}

/* A results page's upload (results_admin.c) is a whole report.json pasted
 * into one field, about 160 KB urlencoded for the residents' survey: that
 * one path may carry RESULTS_MAX_BODY in one field (nginx's limit for it
 * matches), every other keeps max_body and the default field limits. */
#define RESULTS_MAX_BODY	(1024L * 1024)
static const struct form_limits results_limits = { 16, 80, RESULTS_MAX_BODY };

static int
results_upload(const char *path)
{
	size_t n = strlen(path);

	return strncmp(path, "/staff/surveys/", 15) == 0 && n > 23 &&
	    strcmp(path + n - 8, "/results") == 0 && strchr(path + 15, '/') == path + n - 8;
}

#define FORM_TYPE	"application/x-www-form-urlencoded"

/* 1 when the Content-Type is the form type, alone or with parameters (any
 * case); not another type that merely starts with its name. */
static int
form_type(const char *ct)
{
	size_t n = sizeof(FORM_TYPE) - 1;

	/* strchr finds the terminating NUL too: the type alone */
	return ct != NULL && strncasecmp(ct, FORM_TYPE, n) == 0 && strchr("; \t", ct[n]) != NULL;
}

/* Reads and parses an urlencoded body of exactly CONTENT_LENGTH bytes. */
static enum req_err
read_body(FCGX_Request *fr, struct req *r, long max_body)
{
	int big = results_upload(r->path);
	const char *ct = FCGX_GetParam("CONTENT_TYPE", fr->envp);
	const char *cl = FCGX_GetParam("CONTENT_LENGTH", fr->envp);
	char *end, *body;
	long n;

	if (!form_type(ct))
		return REQ_UNSUPPORTED;
	n = cl ? strtol(cl, &end, 10) : -1;
	if (cl == NULL || *cl == '\0' || *end != '\0' || n < 0)
		return REQ_BAD;
	if (n > (big && max_body < RESULTS_MAX_BODY ? RESULTS_MAX_BODY : max_body))
		return REQ_TOO_LARGE;
	if ((body = arena_alloc(r->a, (size_t)n + 1)) == NULL)
		return REQ_NOMEM;
	if (FCGX_GetStr(body, (int)n, fr->in) != (int)n)
		return REQ_BAD;
	body[n] = '\0';
	switch (form_parse(body, (size_t)n, big ? &results_limits : &form_default_limits, r->a,
	    &r->form)) {
	case FORM_OK:
		return REQ_OK;
	case FORM_NOMEM:
		return REQ_NOMEM;
	case FORM_TOO_MANY:
	case FORM_TOO_LONG:
		return REQ_TOO_LARGE;
	default:
		return REQ_BAD;
	}
}

static enum req_err
parse_request(FCGX_Request *fr, struct req *r, long max_body)
{
	const char *uri = FCGX_GetParam("DOCUMENT_URI", fr->envp);
	const char *qs = FCGX_GetParam("QUERY_STRING", fr->envp);
	const char *ck = FCGX_GetParam("HTTP_COOKIE", fr->envp);
	const char *https = FCGX_GetParam("HTTPS", fr->envp);
	enum form_err e;

	/* Another method is not refused here: the router answers 405 with the
	 * methods the path takes, or 404. */
	r->method = method_of(FCGX_GetParam("REQUEST_METHOD", fr->envp));
	if (uri == NULL || uri[0] != '/' || strlen(uri) > 512 || !utf8_valid(uri, strlen(uri)))
		return REQ_BAD;
	if ((r->path = arena_strdup(r->a, uri)) == NULL)
		return REQ_NOMEM;
	r->https = https != NULL && strcmp(https, "on") == 0;
	if (qs && form_parse(qs, strlen(qs), &query_limits, r->a, &r->query) != FORM_OK)
		return REQ_BAD;
	if (ck && (e = form_parse_cookies(ck, strlen(ck), r->a, &r->cookies)) != FORM_OK)
		return e == FORM_NOMEM ? REQ_NOMEM : REQ_BAD;
	return r->method == M_POST ? read_body(fr, r, max_body) : REQ_OK;
}

static void
fail_request(struct ctx *c, enum req_err e)
{
	static const int status[REQ__MAX] = {
		[REQ_OK] = 200, [REQ_BAD] = 400, [REQ_TOO_LARGE] = 413,
		[REQ_UNSUPPORTED] = 415, [REQ_NOMEM] = 503,
	};
	page_error(c, status[e], e == REQ_NOMEM ? "try_again" : "bad_request");
}

/* Gives the browser a CSRF cookie if it has none, and computes the token. */
static void
csrf_setup(struct ctx *c)
{
	const char *ck = kv_get(&c->req->cookies, CSRF_COOKIE);

	if (!csrf_cookie_ok(ck)) {
		ck = csrf_new_cookie(c->a);
		if (ck != NULL && c->req->method != M_POST)
			resp_cookie(c->resp, c->a, CSRF_COOKIE, ck, 60 * 60 * 24 * 30, c->req->https);
	}
	c->csrf_cookie = ck;
	c->csrf_token = ck ? csrf_token(c->a, c->app->secret, ck) : NULL;
}

/* A body buffer larger than this after a request (an export) is given back
 * rather than kept for the next one. */
#define BODY_KEEP	(256 * 1024)

/* body is the worker's response body buffer, lent to the request and taken
 * back after, so a page is rendered into memory already grown by the pages
 * before it instead of a fresh buffer that doubles its way up. */
static void
serve_one(struct app *app, FCGX_Request *fr, struct arena *a, struct buf *out,
    struct buf *body)
{
	struct req req = { .a = a };
	struct resp resp = { .status = 200, .body = *body };
	struct ctx c = { .app = app, .req = &req, .resp = &resp, .a = a };
	enum req_err e;

	e = parse_request(fr, &req, app->cfg->max_body);
	/* TLS may end before nginx (a load balancer), which then cannot say so. */
	req.https = req.https || app->cfg->https;
	if (e != REQ_OK)
		fail_request(&c, e);
	else {
		csrf_setup(&c);
		route_dispatch(&c);
	}
	if (req.https)
		resp_header(&resp, "Strict-Transport-Security: max-age=31536000");
	buf_reset(out);
	resp_serialize(&resp, req.method, out);
	if (!buf_failed(out))
		FCGX_PutStr(out->p, (int)out->len, fr->out);
	*body = resp.body;
	if (body->cap > BODY_KEEP)
		buf_free(body);
	buf_reset(body);
}

/* Ends a request.  Detached, libfcgi closes the connection at once instead of
 * half-closing it and waiting up to 2 s for nginx to close first, which
 * halves a worker's request rate.  That close is safe only with nothing
 * unread on the socket (else it is a reset, which can cut the response), so
 * the input is read to its end first; input longer than any body we accept
 * (possible only past nginx's own limit) gets libfcgi's lingering close. */
static void
finish(FCGX_Request *fr, long max_body)
{
	char sink[4096];
	long left = max_body + (long)sizeof(sink);
	int n;

	while (left > 0 && (n = FCGX_GetStr(sink, sizeof(sink), fr->in)) > 0)
		left -= n;
	if (left > 0)
		FCGX_Detach(fr);
	FCGX_Finish_r(fr);
}

/* The signals that stop a worker arrive only while it waits for a request
 * (they interrupt accept(): no SA_RESTART); while it serves one they wait,
 * so no read, write or wait for the writer is cut short.  A stop that lands
 * between the check and accept() is missed: the parent repeats it. */
static const sigset_t *
stop_signals(void)
{
	static sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	return &set;
}

#define CHORES_EVERY	(60 * 60)	/* seconds between a worker's chores */

/* Between requests, about once an hour per worker (the first time after its
 * first request): ends workshop sessions left running since before yesterday,
 * so that their plain free text does not outlive the workshop. */
static void
housekeeping(struct app *app, struct arena *a, time_t *next)
{
	struct ctx c = { .app = app, .a = a };
	time_t now = time(NULL);

	if (now < *next)
		return;
	*next = now + CHORES_EVERY + (time_t)randombytes_uniform(300);
	arena_reset(a);
	poll_end_stale(&c);
}

int
worker_run(struct app *app, int listen_fd)
{
	struct sigaction sa;
	FCGX_Request fr;
	struct arena *a;
	struct buf out = BUF_INIT, body = BUF_INIT;
	time_t next_chores = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGHUP, SIG_IGN);	/* a reload is the parent's */
	if ((a = arena_new(64 * 1024)) == NULL || FCGX_InitRequest(&fr, listen_fd,
	    FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		arena_free(a);
		return -1;
	}
	view_ui_init(app);	/* on failure pages copy the strings instead */
	(void)app_store(app);	/* connected now, not in a respondent's time (NULL: tried on use) */
	while (!stopping && FCGX_Accept_r(&fr) >= 0) {
		sigprocmask(SIG_BLOCK, stop_signals(), NULL);
		arena_reset(a);
		serve_one(app, &fr, a, &out, &body);
		finish(&fr, app->cfg->max_body);
		housekeeping(app, a, &next_chores);
		sigprocmask(SIG_UNBLOCK, stop_signals(), NULL);
	}
	FCGX_Free(&fr, 0);
	buf_free(&out);
	buf_free(&body);
	arena_free(a);
	view_ui_free(app);
	return 0;
}
