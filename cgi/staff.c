/* staff: accounts, passwords, sign-in with throttling, and sessions.
 * Invariants: a password is only ever hashed with crypto_pwhash_str and
 * never stored, logged or audited; a session token lives only in the
 * browser's cookie, the database holds its BLAKE2b hash; a throttled login
 * never calls the (deliberately slow) password hash, so a worker spends at
 * most one hash per request, and never more hashes run at once than there
 * are workers. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "esc.h"
#include "staff.h"
#include "store.h"
#include "util.h"
#include "view.h"

_Static_assert(STORE_PWHASH_MAX == crypto_pwhash_STRBYTES, "hash column size");
_Static_assert(STORE_TOKEN_HASH_BYTES == crypto_generichash_BYTES, "token hash size");

#define TOKEN_BYTES	32
#define NONCE_BYTES	16		/* of a known-browser cookie */
#define MAC_BYTES	16

/* 5 failures within 15 minutes lock a key for 15 minutes.  The key is the
 * typed name's, except for a browser that has signed in as that name before
 * and holds the known-browser cookie for it: that browser has a key of its
 * own.  So whoever fails 5 times with a colleague's name locks that name for
 * browsers that never signed in with it, not for the colleague's own.  No
 * lock covers all names together, which anyone could trip to lock everyone
 * out: guessing across many names is slowed per address by nginx, and the
 * number of workers bounds how many password hashes run at once. */
static const struct store_throttle_rule rule = { 5, 15 * 60, 15 * 60 };

static const struct store_session_limits limits = { STAFF_IDLE, STAFF_MAX_AGE, 60 };

const char *const staff_role_names[ROLE__MAX] = {
	[ROLE_FACILITATOR] = "facilitator",
	[ROLE_ANALYST] = "analyst",
	[ROLE_ADMIN] = "admin",
};

static const char *const err_str[STAFF__MAX] = {
	/* STAFF_OK */			"ok",
	/* STAFF_BAD_LOGIN */		"wrong name or password",
	/* STAFF_LOCKED */		"too many failed sign-ins: try again later",
	/* STAFF_BAD_NAME */		"a name is 1 to 64 of a-z 0-9 . _ -",
	/* STAFF_NAME_TAKEN */		"that name is taken",
	/* STAFF_PASSWORD_SHORT */	"a password has at least 12 characters",
	/* STAFF_PASSWORD_LONG */	"a password has at most 128 characters",
	/* STAFF_NOTFOUND */		"no such account",
	/* STAFF_UNAVAILABLE */		"the database is unavailable",
	/* STAFF_NOMEM */		"out of memory",
	/* STAFF_LAST_ADMIN */		"that is the last active admin account",
	/* STAFF_PASSWORDS_DIFFER */	"the two new passwords differ",
	/* STAFF_BAD_CODE */		"the reset code is wrong, used or expired",
};

const char *
staff_strerror(enum staff_err e)
{
	return (unsigned)e < STAFF__MAX ? err_str[e] : "unknown staff error";
}

static enum staff_err
err_of(enum store_err e)
{
	switch (e) {
	case STORE_OK:		return STAFF_OK;
	case STORE_DUPLICATE:	return STAFF_NAME_TAKEN;
	case STORE_NOTFOUND:	return STAFF_NOTFOUND;
	case STORE_NOMEM:	return STAFF_NOMEM;
	default:		return STAFF_UNAVAILABLE;
	}
}

struct store *
staff_store(struct app *app)
{
	return app_store(app);
}

enum staff_role
staff_role_from_name(const char *name)
{
	for (int r = 0; r < ROLE__MAX; r++)
		if (name != NULL && strcmp(name, staff_role_names[r]) == 0)
			return (enum staff_role)r;
	return ROLE__MAX;
}

int
staff_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	return n >= 1 && n <= STORE_STAFF_NAME_MAX &&
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

enum staff_err
staff_password_ok(const char *pw)
{
	size_t n = pw ? strlen(pw) : 0, cps;

	if (n > 4 * STAFF_PASSWORD_MAX || !utf8_valid(pw ? pw : "", n))
		return STAFF_PASSWORD_LONG;
	cps = utf8_len(pw ? pw : "", n);
	if (cps < STAFF_PASSWORD_MIN)
		return STAFF_PASSWORD_SHORT;
	return cps > STAFF_PASSWORD_MAX ? STAFF_PASSWORD_LONG : STAFF_OK;
}

enum staff_err
staff_password_hash(const char *pw, char out[128])
{
	enum staff_err e;

	if ((e = staff_password_ok(pw)) != STAFF_OK)
		return e;
	if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return STAFF_NOMEM;
	return STAFF_OK;
}

int
staff_password_verify(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

void
staff_password_generate(char out[STAFF_GENERATED_LEN + 1])
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

	for (int i = 0; i < STAFF_GENERATED_LEN; i++)
		out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	out[STAFF_GENERATED_LEN] = '\0';
}

/* BLAKE2b keyed by the server secret over purpose (with its NUL), then a
 * (alen bytes), then the string b; outlen bytes into out. */
static void
keyed(const struct app *app, const char *purpose, const unsigned char *a, size_t alen,
    const char *b, unsigned char *out, size_t outlen)
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, app->secret, sizeof app->secret, outlen);
	crypto_generichash_update(&st, (const unsigned char *)purpose, strlen(purpose) + 1);
	crypto_generichash_update(&st, a, alen);
	crypto_generichash_update(&st, (const unsigned char *)b, strlen(b));
	crypto_generichash_final(&st, out, outlen);
}

/* The throttle key of a name as typed: keyed by the server secret, so the
 * table does not reveal which names were tried. */
static void
name_key(const struct app *app, const char *name, unsigned char key[32])
{
	keyed(app, "login-name", (const unsigned char *)"", 0, name, key, 32);
}

/* 0, and the throttle key of this browser, when it sends a known-browser
 * cookie that was given for name; -1 otherwise (key untouched). */
static int
known_key(const struct ctx *c, const char *name, unsigned char key[32])
{
	const char *hex = kv_get(&c->req->cookies, STAFF_KNOWN_COOKIE);
	unsigned char bin[NONCE_BYTES + MAC_BYTES], mac[MAC_BYTES];
	size_t n;

	if (!hex_token_ok(hex, 2 * sizeof bin) ||
	    sodium_hex2bin(bin, sizeof bin, hex, 2 * sizeof bin, NULL, &n, NULL) != 0 ||
	    n != sizeof bin)
		return -1;
	keyed(c->app, "login-known", bin, NONCE_BYTES, name, mac, sizeof mac);
	if (sodium_memcmp(mac, bin + NONCE_BYTES, MAC_BYTES) != 0)
		return -1;
	keyed(c->app, "login-known-key", bin, NONCE_BYTES, "", key, 32);
	return 0;
}

/* Gives the browser a known-browser cookie for name: a random nonce and its
 * MAC with the name.  The server keeps nothing: the cookie proves itself. */
static void
known_give(struct ctx *c, const char *name)
{
	unsigned char bin[NONCE_BYTES + MAC_BYTES];
	char *hex = arena_alloc(c->a, 2 * sizeof bin + 1);

	if (hex == NULL)
		return;		/* the next sign-in gives one */
	randombytes_buf(bin, NONCE_BYTES);
	keyed(c->app, "login-known", bin, NONCE_BYTES, name, bin + NONCE_BYTES, MAC_BYTES);
	sodium_bin2hex(hex, 2 * sizeof bin + 1, bin, sizeof bin);
	resp_cookie_lax(c->resp, c->a, STAFF_KNOWN_COOKIE, hex, "/staff/login", STAFF_KNOWN_AGE,
	    c->req->https || c->app->cfg->https);
}

/* A hash made once per process with the same cost as a real one, verified
 * against when the name is unknown so that costs the same as a wrong password. */
static const char *
dummy_hash(void)
{
	static char h[crypto_pwhash_STRBYTES];
	char pw[STAFF_GENERATED_LEN + 1];

	if (h[0] == '\0') {
		staff_password_generate(pw);
		if (staff_password_hash(pw, h) != STAFF_OK)
			h[0] = '\0';
		sodium_memzero(pw, sizeof pw);
	}
	return h;
}

static int
https(const struct ctx *c)
{
	return c->req->https || c->app->cfg->https;
}

/* The hash of a session token given as 64 hex digits; -1 if malformed. */
static int
token_hash(const char *hex, unsigned char hash[STORE_TOKEN_HASH_BYTES])
{
	unsigned char tok[TOKEN_BYTES];
	size_t n;

	if (!hex_token_ok(hex, 2 * TOKEN_BYTES) ||
	    sodium_hex2bin(tok, sizeof tok, hex, 2 * TOKEN_BYTES, NULL, &n, NULL) != 0 ||
	    n != TOKEN_BYTES)
		return -1;
	crypto_generichash(hash, STORE_TOKEN_HASH_BYTES, tok, sizeof tok, NULL, 0);
	sodium_memzero(tok, sizeof tok);
	return 0;
}

int
staff_session_hash(const struct ctx *c, unsigned char hash[32])
{
	return token_hash(kv_get(&c->req->cookies, STAFF_COOKIE), hash);
}

/* Starts a session for s and sets its cookie. */
static enum staff_err
session_start(struct ctx *c, struct store *st, const struct store_staff *s, int64_t now)
{
	struct store_audit au = { now, s->name, "login", NULL };
	unsigned char tok[TOKEN_BYTES], hash[STORE_TOKEN_HASH_BYTES];
	char *hex = arena_alloc(c->a, 2 * TOKEN_BYTES + 1);
	enum store_err er;

	if (hex == NULL)
		return STAFF_NOMEM;
	if (store_staff_session_purge(st, now, &limits, NULL) != STORE_OK)
		return STAFF_UNAVAILABLE;
	randombytes_buf(tok, sizeof tok);
	sodium_bin2hex(hex, 2 * TOKEN_BYTES + 1, tok, sizeof tok);
	crypto_generichash(hash, sizeof hash, tok, sizeof tok, NULL, 0);
	sodium_memzero(tok, sizeof tok);
	if ((er = store_staff_session_add(st, hash, s->id, &au)) != STORE_OK)
		return err_of(er);
	resp_cookie(c->resp, c->a, STAFF_COOKIE, hex, STAFF_MAX_AGE, https(c));
	return STAFF_OK;
}

/* Counts a failed attempt against key (the name's, or a known browser's),
 * forgets the counts whose time is up, and audits the attempt under the
 * account's name, or "-" for an unknown name: what was typed may be a
 * password entered in the wrong box. */
static enum staff_err
login_failed(struct store *st, const unsigned char key[32], int known,
    const struct store_staff *s, int64_t now)
{
	struct store_audit au = { now, s->id ? s->name : "-", "login_failed", NULL };
	int locked = 0;

	if (store_staff_throttle_purge(st, now) != STORE_OK ||
	    store_staff_throttle_fail(st, key, 32, now, &rule, &locked) != STORE_OK)
		return STAFF_UNAVAILABLE;
	if (locked)
		au.detail = known ? "known browser locked" : "name locked";
	if (store_staff_audit(st, &au) != STORE_OK)
		return STAFF_UNAVAILABLE;
	return locked ? STAFF_LOCKED : STAFF_BAD_LOGIN;
}

enum staff_err
staff_login(struct ctx *c, const char *name, const char *pw)
{
	struct store *st = staff_store(c->app);
	struct store_staff s;
	unsigned char key[32];
	int64_t now = (int64_t)time(NULL), until;
	enum store_err er;
	enum staff_err e;
	const char *dummy;
	int ok, known, locked;

	memset(&s, 0, sizeof s);
	if (st == NULL || (dummy = dummy_hash())[0] == '\0')
		return STAFF_UNAVAILABLE;
	if (!(known = known_key(c, name, key) == 0))
		name_key(c->app, name, key);
	if (store_staff_throttle_check(st, key, 32, now, &rule, &locked, &until) != STORE_OK)
		return STAFF_UNAVAILABLE;
	if (locked)
		return STAFF_LOCKED;
	if ((er = store_staff_find(st, name, &s)) != STORE_OK && er != STORE_NOTFOUND)
		return err_of(er);
	if (staff_password_ok(pw) == STAFF_PASSWORD_LONG)
		ok = 0;		/* never hash what no account can have */
	else
		ok = staff_password_verify(s.id ? s.pwhash : dummy, pw) && s.id && !s.disabled;
	sodium_memzero(s.pwhash, sizeof s.pwhash);
	if (!ok)
		return login_failed(st, key, known, &s, now);
	if (store_staff_throttle_clear(st, key, 32) != STORE_OK)
		return STAFF_UNAVAILABLE;
	if ((e = session_start(c, st, &s, now)) == STAFF_OK && !known)
		known_give(c, s.name);
	return e;
}

const struct staff *
staff_current(struct ctx *c)
{
	unsigned char hash[STORE_TOKEN_HASH_BYTES];
	struct store *st;
	struct store_staff s;
	struct staff *out;

	if (c->staff != NULL)
		return c->staff;
	if (token_hash(kv_get(&c->req->cookies, STAFF_COOKIE), hash) != 0 ||
	    (st = staff_store(c->app)) == NULL ||
	    store_staff_session_get(st, hash, (int64_t)time(NULL), &limits, &s) != STORE_OK ||
	    staff_role_from_name(s.role) == ROLE__MAX ||
	    (out = arena_alloc(c->a, sizeof *out)) == NULL ||
	    (out->name = arena_strdup(c->a, s.name)) == NULL)
		return NULL;
	out->id = s.id;
	out->role = staff_role_from_name(s.role);
	return c->staff = out;
}

enum staff_err
staff_logout(struct ctx *c)
{
	unsigned char hash[STORE_TOKEN_HASH_BYTES];
	struct store_audit au = { (int64_t)time(NULL), c->staff ? c->staff->name : "-",
	    "logout", NULL };
	struct store *st = staff_store(c->app);
	enum store_err er = STORE_NOTFOUND;

	if (st == NULL)
		return STAFF_UNAVAILABLE;
	if (token_hash(kv_get(&c->req->cookies, STAFF_COOKIE), hash) == 0)
		er = store_staff_session_del(st, hash, &au);
	if (er != STORE_OK && er != STORE_NOTFOUND)	/* gone already is fine */
		return err_of(er);
	resp_cookie(c->resp, c->a, STAFF_COOKIE, "", 0, https(c));
	return STAFF_OK;
}

enum staff_err
staff_add(struct app *app, const char *by, const char *name, enum staff_role role,
    const char *pw)
{
	struct store *st = staff_store(app);
	char hash[crypto_pwhash_STRBYTES], detail[128];
	struct store_audit au = { (int64_t)time(NULL), by, "user_created", detail };
	enum staff_err e;

	if (!staff_name_ok(name) || (unsigned)role >= ROLE__MAX)
		return STAFF_BAD_NAME;
	if (st == NULL)
		return STAFF_UNAVAILABLE;
	if ((e = staff_password_hash(pw, hash)) != STAFF_OK)
		return e;
	snprintf(detail, sizeof detail, "name=%s role=%s", name, staff_role_names[role]);
	e = err_of(store_staff_add(st, name, staff_role_names[role], hash, &au, NULL));
	sodium_memzero(hash, sizeof hash);
	return e;
}

enum staff_err
staff_disable(struct app *app, const char *by, const char *name)
{
	return staff_set_disabled(app, by, name, 1);
}

void
staff_view_field(struct ctx *c, struct tdict *d, const struct staff_field *f, int has_error)
{
	struct tdict *o = tdict_child(d, "field");

	tdict_str(o, "name", f->name);
	tdict_str(o, "label", view_text(c, f->label, 0, 0, 0));
	tdict_str(o, "hint", view_text(c, f->hint, 0, 0, 0));
	tdict_str(o, "autocomplete", f->autocomplete);
	tdict_str(o, "autocapitalize", f->autocapitalize);
	tdict_bool(o, "has_error", has_error);
}

struct tdict *
staff_view_page(struct ctx *c, const char *title)
{
	struct tdict *d = view_page(c, title), *s;

	if (d != NULL && c->staff != NULL) {
		s = tdict_child(d, "staff");
		tdict_str(s, "name", c->staff->name);
		tdict_str(s, "role", view_text(c, arena_printf(c->a, "staff_role_%s",
		    staff_role_names[c->staff->role]), 0, 0, 0));
		tdict_bool(s, "admin", c->staff->role == ROLE_ADMIN);
		/* what the routing table lets this role open, for the pages' links */
		tdict_bool(s, "findings", c->staff->role != ROLE_FACILITATOR);
		tdict_bool(s, "links", c->staff->role != ROLE_ANALYST);
	}
	return d;
}
