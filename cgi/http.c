/* http: response assembly.  Every response carries the same security headers:
 * a CSP that allows no inline script or style and nothing from other origins,
 * no framing, no sniffing, no referrer. */
#include <stdio.h>
#include <string.h>
#include "http.h"

static const char security_headers[] =
    "Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "X-Frame-Options: DENY\r\n"
    "Referrer-Policy: no-referrer\r\n"
    "Cross-Origin-Opener-Policy: same-origin\r\n"
    "Cross-Origin-Resource-Policy: same-origin\r\n"
    "Permissions-Policy: camera=(), microphone=(), geolocation=(), interest-cohort=()\r\n";

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

void
resp_header(struct resp *r, const char *line)
{
	if (line != NULL && r->nheaders < RESP_MAX_HEADERS)
		r->headers[r->nheaders++] = line;
}

static void
set_cookie(struct resp *r, struct arena *a, const char *name, const char *value,
    const char *path, const char *same_site, int max_age, int https)
{
	if (strpbrk(path, ";\r\n") != NULL)
		return;
	resp_header(r, arena_printf(a, "Set-Cookie: %s=%s; Path=%s; Max-Age=%d; HttpOnly; "
	    "SameSite=%s%s", name, value, path, max_age, same_site, https ? "; Secure" : ""));
}

void
resp_cookie(struct resp *r, struct arena *a, const char *name, const char *value,
    int max_age, int https)
{
	set_cookie(r, a, name, value, "/", "Strict", max_age, https);
}

void
resp_cookie_lax(struct resp *r, struct arena *a, const char *name, const char *value,
    const char *path, int max_age, int https)
{
	set_cookie(r, a, name, value, path, "Lax", max_age, https);
}

void
resp_redirect(struct resp *r, struct arena *a, int status, const char *location)
{
	r->status = status;
	buf_reset(&r->body);
	if (strpbrk(location, "\r\n") == NULL)
		resp_header(r, arena_printf(a, "Location: %s", location));
}

/* v in decimal, as printf's %lld would write it; the headers are built on
 * every request and printf is the costlier part of doing so. */
static void
add_num(struct buf *out, long long v)
{
	/* -(v + 1) + 1 is |v| even for LLONG_MIN, with no overflow on the way. */
	unsigned long long u = v < 0 ? (unsigned long long)-(v + 1) + 1 : (unsigned long long)v;
	char num[24], *s = num + sizeof(num);

	do {
		*--s = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--s = '-';
	buf_add(out, s, (size_t)(num + sizeof(num) - s));
}

void
resp_serialize(const struct resp *r, enum method m, struct buf *out)
{
	int status = r->status ? r->status : 200;

	buf_adds(out, "Status: ");
	add_num(out, status);
	buf_addc(out, ' ');
	buf_adds(out, reason(status));
	buf_adds(out, "\r\nContent-Type: ");
	buf_adds(out, r->content_type ? r->content_type : "text/html; charset=utf-8");
	buf_adds(out, "\r\nContent-Length: ");
	add_num(out, (long long)r->body.len);
	buf_adds(out, "\r\n");
	buf_adds(out, r->cache ? "Cache-Control: public, max-age=300\r\n"
	    : "Cache-Control: no-store\r\n");
	buf_adds(out, security_headers);
	for (size_t i = 0; i < r->nheaders; i++) {
		buf_adds(out, r->headers[i]);
		buf_add(out, "\r\n", 2);
	}
	buf_add(out, "\r\n", 2);
	if (m != M_HEAD)
		buf_add(out, r->body.p, r->body.len);
}
