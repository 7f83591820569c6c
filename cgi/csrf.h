/* csrf: every POST carries a token bound to a random per-browser cookie by a
 * keyed hash under the server secret, so a page on another site can neither
 * read nor forge it, and a planted cookie is useless without its token. */
#ifndef CSRF_H
#define CSRF_H
#include "arena.h"

#include "cookies.h"

/* A fresh random cookie value (32 hex characters), in the arena. */
char *csrf_new_cookie(struct arena *a);
/* 1 when cookie is a well-formed cookie value. */
int csrf_cookie_ok(const char *cookie);
/* The token for cookie (32 hex characters), in the arena. */
char *csrf_token(struct arena *a, const unsigned char secret[32], const char *cookie);
/* 1 when token matches cookie (constant time). */
int csrf_check(const unsigned char secret[32], const char *cookie, const char *token);
#endif
