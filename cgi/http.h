/* http: one request as the handlers see it, and the response they build.
 * A request is parsed once, at the edge, from the FastCGI environment and
 * body; everything in it lives in the request arena.  Handlers never see a
 * raw environment string (libfcgi's die at the next accept). */
#ifndef HTTP_H
#define HTTP_H
#include <stddef.h>
#include "arena.h"
#include "buf.h"
#include "form.h"

enum method { M_GET, M_HEAD, M_POST, M_OTHER, M__MAX };

struct req {
	struct arena	*a;
	enum method	 method;
	const char	*path;		/* without the query string; valid UTF-8 */
	struct kvlist	 query;
	struct kvlist	 form;		/* POST urlencoded body */
	struct kvlist	 cookies;
	int		 https;		/* over https, as nginx says or the config (https:
					 * true) has it: Secure cookies, HSTS */
};

enum { RESP_MAX_HEADERS = 8 };

struct resp {
	int		 status;
	const char	*content_type;	/* default text/html; charset=utf-8 */
	const char	*headers[RESP_MAX_HEADERS];	/* extra "Name: value" lines */
	size_t		 nheaders;
	int		 cache;		/* 0: no-store (every page holds form state) */
	struct buf	 body;
};

/* Where a request failed before any handler ran. */
enum req_err {
	REQ_OK,
	REQ_BAD,		/* 400: malformed */
	REQ_TOO_LARGE,		/* 413 */
	REQ_UNSUPPORTED,	/* 415: a POST body that is not urlencoded */
	REQ_NOMEM,
	REQ__MAX
};

/* Adds a header line (string must outlive the response, e.g. arena). */
void resp_header(struct resp *r, const char *line);
/* Set-Cookie for the whole site (Path=/) with HttpOnly, SameSite=Strict and
 * Secure when https. */
void resp_cookie(struct resp *r, struct arena *a, const char *name, const char *value,
    int max_age, int https);
/* The same for the pages under path only (a path we built: no ';', CR or
 * LF), with SameSite=Lax: also sent when a link on another site leads to one
 * of them, never with another site's POST. */
void resp_cookie_lax(struct resp *r, struct arena *a, const char *name, const char *value,
    const char *path, int max_age, int https);
/* location must be a path we built (no CR or LF; refused otherwise). */
void resp_redirect(struct resp *r, struct arena *a, int status, const char *location);
/* Writes status, security headers, extra headers and body in HTTP-over-CGI form. */
void resp_serialize(const struct resp *r, enum method m, struct buf *out);
#endif
