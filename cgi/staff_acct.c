/* staff_acct: what staff do with accounts once they exist: change their own
 * password, see and end their sessions; an admin resets a password with a
 * one-time code, disables, re-enables, changes a role, signs someone out.
 * Invariants: a password or a reset code is never stored, logged or audited
 * (a code is stored as its hash keyed by the server secret); a password
 * check is throttled like a sign-in; every change is audited in the same
 * transaction as the change itself. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "staff.h"
#include "store.h"

/* Wrong current passwords on the change form: as a sign-in, 5 in 15 minutes
 * lock the form for that account for 15 minutes. */
static const struct store_throttle_rule rule = { 5, 15 * 60, 15 * 60 };
static const struct store_session_limits limits = { STAFF_IDLE, STAFF_MAX_AGE, 60 };

/* Letters and digits that read aloud and type back without doubt. */
static const char code_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

static enum staff_err
err_of(enum store_err e)
{
	switch (e) {
	case STORE_OK:		return STAFF_OK;
	case STORE_NOTFOUND:	return STAFF_NOTFOUND;
	case STORE_INVALID:	return STAFF_LAST_ADMIN;
	case STORE_NOMEM:	return STAFF_NOMEM;
	default:		return STAFF_UNAVAILABLE;
	}
}

/* BLAKE2b keyed by the server secret over purpose (with its NUL) and s. */
static void
keyed(const struct app *app, const char *purpose, const char *s, unsigned char out[32])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, app->secret, sizeof app->secret, 32);
	crypto_generichash_update(&st, (const unsigned char *)purpose, strlen(purpose) + 1);
	crypto_generichash_update(&st, (const unsigned char *)s, strlen(s));
	crypto_generichash_final(&st, out, 32);
}

/* The new password twice, checked and hashed into out. */
static enum staff_err
new_hash(const char *pw, const char *again, char out[128])
{
	if (pw == NULL || again == NULL || strcmp(pw, again) != 0)
		return STAFF_PASSWORDS_DIFFER;
	return staff_password_hash(pw, out);
}

/* A hash of a random password nobody is told: a reset account's password. */
static enum staff_err
nobody_hash(char out[128])
{
	char pw[STAFF_GENERATED_LEN + 1];
	enum staff_err e;

	staff_password_generate(pw);
	e = staff_password_hash(pw, out);
	sodium_memzero(pw, sizeof pw);
	return e;
}

/* Checks the current password under the change-form throttle. */
static enum staff_err
current_ok(struct ctx *c, struct store *st, const char *current)
{
	struct store_staff s;
	unsigned char key[32];
	int64_t now = (int64_t)time(NULL), until;
	const char *detail = arena_printf(c->a, "name=%s", c->staff->name);
	struct store_audit au = { now, c->staff->name, "password_change_failed", detail };
	int locked = 0, ok;

	keyed(c->app, "password-change", c->staff->name, key);
	if (store_staff_throttle_check(st, key, 32, now, &rule, &locked, &until) != STORE_OK)
		return STAFF_UNAVAILABLE;
	if (locked)
		return STAFF_LOCKED;
	if (store_staff_find(st, c->staff->name, &s) != STORE_OK)
		return STAFF_UNAVAILABLE;
	ok = current != NULL && staff_password_ok(current) != STAFF_PASSWORD_LONG &&
	    staff_password_verify(s.pwhash, current);
	sodium_memzero(s.pwhash, sizeof s.pwhash);
	if (ok)
		return store_staff_throttle_clear(st, key, 32) == STORE_OK ? STAFF_OK
		    : STAFF_UNAVAILABLE;
	if (store_staff_throttle_fail(st, key, 32, now, &rule, &locked) != STORE_OK ||
	    store_staff_audit(st, &au) != STORE_OK)
		return STAFF_UNAVAILABLE;
	return locked ? STAFF_LOCKED : STAFF_BAD_LOGIN;
}

enum staff_err
staff_password_change(struct ctx *c, const char *current, const char *pw, const char *again,
    int64_t *ended)
{
	struct store *st = staff_store(c->app);
	unsigned char here[32];
	char hash[128];
	struct store_audit au = { (int64_t)time(NULL), c->staff->name, "password_changed",
	    arena_printf(c->a, "name=%s", c->staff->name) };
	enum staff_err e;

	*ended = 0;
	if (st == NULL || staff_session_hash(c, here) != 0)
		return STAFF_UNAVAILABLE;
	if ((e = current_ok(c, st, current)) != STAFF_OK || (e = new_hash(pw, again, hash)) != STAFF_OK)
		return e;
	e = err_of(store_staff_set_password(st, c->staff->id, hash, here, &au, ended));
	sodium_memzero(hash, sizeof hash);
	return e;
}

/* code without spaces and dashes, upper-cased, into out; -1 if it is not
 * STAFF_RESET_LEN characters of the alphabet. */
static int
code_norm(const char *code, char out[STAFF_RESET_LEN + 1])
{
	size_t n = 0;

	for (const char *p = code ? code : ""; *p; p++) {
		char ch = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
		if (ch == ' ' || ch == '-' || ch == '\t')
			continue;
		if (n == STAFF_RESET_LEN || ch == '\0' || strchr(code_alphabet, ch) == NULL)
			return -1;
		out[n++] = ch;
	}
	out[n] = '\0';
	return n == STAFF_RESET_LEN ? 0 : -1;
}

enum staff_err
staff_reset_issue(struct app *app, const char *by, const char *name, char code[STAFF_RESET_BUF])
{
	struct store *st = staff_store(app);
	struct store_staff s;
	char plain[STAFF_RESET_LEN + 1], hash[128], detail[128];
	unsigned char key[32];
	int64_t now = (int64_t)time(NULL);
	struct store_audit au = { now, by, "password_reset", detail };
	enum store_err er;
	enum staff_err e;

	if (st == NULL)
		return STAFF_UNAVAILABLE;
	if (!staff_name_ok(name) || (er = store_staff_find(st, name, &s)) == STORE_NOTFOUND ||
	    (er == STORE_OK && s.disabled))
		return STAFF_NOTFOUND;
	sodium_memzero(s.pwhash, sizeof s.pwhash);
	if (er != STORE_OK)
		return err_of(er);
	if ((e = nobody_hash(hash)) != STAFF_OK)
		return e;
	for (int i = 0; i < STAFF_RESET_LEN; i++)
		plain[i] = code_alphabet[randombytes_uniform(sizeof code_alphabet - 1)];
	plain[STAFF_RESET_LEN] = '\0';
	keyed(app, "reset-code", plain, key);
	snprintf(detail, sizeof detail, "name=%s", name);
	if ((e = err_of(store_staff_reset_add(st, s.id, key, now + STAFF_RESET_TTL, hash, &au)))
	    == STAFF_OK)
		snprintf(code, STAFF_RESET_BUF, "%.4s-%.4s-%.4s-%.4s", plain, plain + 4, plain + 8,
		    plain + 12);
	sodium_memzero(plain, sizeof plain);
	return e;
}

enum staff_err
staff_reset_redeem(struct ctx *c, const char *code, const char *pw, const char *again,
    const char **name)
{
	struct store *st = staff_store(c->app);
	struct store_staff s;
	char plain[STAFF_RESET_LEN + 1], hash[128];
	unsigned char key[32];
	int64_t now = (int64_t)time(NULL);
	struct store_audit au = { now, "-", "password_reset_failed", NULL };
	enum store_err er;
	enum staff_err e;

	*name = NULL;
	if (st == NULL)
		return STAFF_UNAVAILABLE;
	if (pw == NULL || again == NULL || strcmp(pw, again) != 0)
		return STAFF_PASSWORDS_DIFFER;
	if ((e = staff_password_ok(pw)) != STAFF_OK)
		return e;
	if (code_norm(code, plain) != 0)
		er = STORE_NOTFOUND;
	else {
		keyed(c->app, "reset-code", plain, key);
		sodium_memzero(plain, sizeof plain);
		er = store_staff_reset_find(st, key, now, &s);
	}
	if (er == STORE_OK) {	/* only a real code costs a password hash */
		if ((e = staff_password_hash(pw, hash)) != STAFF_OK)
			return e;
		au.staff = s.name;
		au.action = "password_reset_used";
		au.detail = arena_printf(c->a, "name=%s", s.name);
		er = store_staff_reset_use(st, key, now, s.id, hash, &au);
		sodium_memzero(hash, sizeof hash);
	}
	if (er == STORE_NOTFOUND)
		return store_staff_audit(st, &au) == STORE_OK ? STAFF_BAD_CODE : STAFF_UNAVAILABLE;
	if (er == STORE_OK && (*name = arena_strdup(c->a, s.name)) == NULL)
		return STAFF_NOMEM;
	return err_of(er);
}

enum staff_err
staff_set_disabled(struct app *app, const char *by, const char *name, int disabled)
{
	struct store *st = staff_store(app);
	char detail[128];
	struct store_audit au = { (int64_t)time(NULL), by,
	    disabled ? "user_disabled" : "user_enabled", detail };

	if (!staff_name_ok(name))
		return STAFF_NOTFOUND;
	if (st == NULL)
		return STAFF_UNAVAILABLE;
	snprintf(detail, sizeof detail, "name=%s", name);
	return err_of(store_staff_set_disabled(st, name, disabled, &au));
}

enum staff_err
staff_set_role(struct app *app, const char *by, const char *name, enum staff_role role)
{
	struct store *st = staff_store(app);
	char detail[128];
	struct store_audit au = { (int64_t)time(NULL), by, "user_role", detail };

	if (!staff_name_ok(name))
		return STAFF_NOTFOUND;
	if ((unsigned)role >= ROLE__MAX)
		return STAFF_BAD_NAME;
	if (st == NULL)
		return STAFF_UNAVAILABLE;
	snprintf(detail, sizeof detail, "name=%s role=%s", name, staff_role_names[role]);
	return err_of(store_staff_set_role(st, name, staff_role_names[role], &au));
}

enum staff_err
staff_sign_out_everywhere(struct app *app, const char *by, const char *name, int64_t *ended)
{
	struct store *st = staff_store(app);
	struct store_staff s;
	char detail[128];
	struct store_audit au = { (int64_t)time(NULL), by, "signed_out_everywhere", detail };
	enum store_err er;

	*ended = 0;
	if (!staff_name_ok(name))
		return STAFF_NOTFOUND;
	if (st == NULL)
		return STAFF_UNAVAILABLE;
	er = store_staff_find(st, name, &s);
	sodium_memzero(s.pwhash, sizeof s.pwhash);
	if (er != STORE_OK)
		return er == STORE_NOTFOUND ? STAFF_NOTFOUND : STAFF_UNAVAILABLE;
	snprintf(detail, sizeof detail, "name=%s", name);
	return err_of(store_staff_sessions_end(st, s.id, &au, ended));
}

enum staff_err
staff_session_count(struct app *app, int64_t id, int64_t *n)
{
	struct store *st = staff_store(app);

	*n = 0;
	if (st == NULL)
		return STAFF_UNAVAILABLE;
	return err_of(store_staff_session_count(st, id, (int64_t)time(NULL), &limits, n));
}

struct each {
	void		(*fn)(void *ctx, int64_t created, int64_t last_seen, int here);
	void		 *ctx;
	unsigned char	  here[32];
	int		  have;
};

static int
each_row(void *ctx, const struct store_session *s)
{
	struct each *e = ctx;

	e->fn(e->ctx, s->created, s->last_seen,
	    e->have && sodium_memcmp(e->here, s->token_hash, 32) == 0);
	return 0;
}

enum staff_err
staff_session_each(struct ctx *c,
    void (*fn)(void *ctx, int64_t created, int64_t last_seen, int here), void *ctx)
{
	struct store *st = staff_store(c->app);
	struct each e = { fn, ctx, { 0 }, 0 };

	if (st == NULL)
		return STAFF_UNAVAILABLE;
	e.have = staff_session_hash(c, e.here) == 0;
	return err_of(store_staff_sessions(st, c->staff->id, (int64_t)time(NULL), &limits,
	    each_row, &e));
}
