/* staff: council staff accounts and their signed-in sessions.  Respondents
 * never have accounts; staff pages are the only ones behind a login.
 * Roles: a facilitator runs workshop polls, an analyst reads and exports
 * results, an admin manages accounts (and may do everything). */
#ifndef STAFF_H
#define STAFF_H
#include <stdint.h>
#include "app.h"

enum staff_role { ROLE_FACILITATOR, ROLE_ANALYST, ROLE_ADMIN, ROLE__MAX };
extern const char *const staff_role_names[ROLE__MAX];	/* "facilitator", ... */

#define ROLE_BIT(r)	(1u << (r))

struct staff {
	int64_t		 id;
	const char	*name;
	enum staff_role	 role;
};

/* The signed-in staff member for this request (from the session cookie,
 * checked against the database, idle and absolute time-outs applied), or
 * NULL.  Allocated in the request arena. */
const struct staff *staff_current(struct ctx *c);

#include "cookies.h"

#define STAFF_KNOWN_AGE		(180 * 24 * 60 * 60)
#define STAFF_IDLE		(30 * 60)	/* seconds without a request */
#define STAFF_MAX_AGE		(12 * 60 * 60)	/* seconds since sign-in */
#define STAFF_PASSWORD_MIN	12		/* code points */
#define STAFF_PASSWORD_MAX	128
#define STAFF_GENERATED_LEN	20		/* characters of a generated password */

enum staff_err {
	STAFF_OK,
	STAFF_BAD_LOGIN,	/* wrong name or password, or a disabled account */
	STAFF_LOCKED,		/* too many failures: try later (no password was hashed) */
	STAFF_BAD_NAME,
	STAFF_NAME_TAKEN,
	STAFF_PASSWORD_SHORT,
	STAFF_PASSWORD_LONG,	/* or not valid UTF-8 */
	STAFF_NOTFOUND,
	STAFF_UNAVAILABLE,	/* the database could not be opened or written */
	STAFF_NOMEM,
	STAFF_LAST_ADMIN,	/* would leave no active admin: nothing changed */
	STAFF_PASSWORDS_DIFFER,	/* the new password and its repeat differ */
	STAFF_BAD_CODE,		/* no such reset code, used, or expired */
	STAFF__MAX
};
const char *staff_strerror(enum staff_err e);

/* This worker's database connection, opened on first use and kept in
 * c->app->store for the life of the process; NULL when it cannot be opened.
 * Staff writes go straight to it (BEGIN IMMEDIATE, busy timeout), not
 * through the writer process. */
struct store *staff_store(struct app *app);

/* ROLE__MAX for a name that is not a role. */
enum staff_role staff_role_from_name(const char *name);
/* 1 for an account name: 1 to 64 of a-z 0-9 . _ - (lower case, so two
 * accounts never differ only by case). */
int staff_name_ok(const char *name);
/* The length rule only: STAFF_PASSWORD_MIN to _MAX code points of valid
 * UTF-8.  No composition rules. */
enum staff_err staff_password_ok(const char *pw);
/* crypto_pwhash_str (Argon2id, at least the interactive limits) of a
 * password that passes staff_password_ok, into out.  About 0.1 s. */
enum staff_err staff_password_hash(const char *pw, char out[128])
    __attribute__((warn_unused_result));
/* 1 when pw matches hash (the same cost whether it does or not). */
int staff_password_verify(const char *hash, const char *pw);
/* A random password of STAFF_GENERATED_LEN characters from an alphabet
 * without look-alikes (no 0/O, 1/l/I), NUL-terminated. */
void staff_password_generate(char out[STAFF_GENERATED_LEN + 1]);

/* Checks name and password with throttling (per name, or per browser for
 * one that holds the known-browser cookie for that name), and on success
 * starts a session and sets its cookie on c->resp, with a known-browser
 * cookie if the browser had none for the name.  A locked attempt hashes
 * nothing.  An unknown name costs the same as a wrong password.  Every
 * attempt that is not locked out is audited. */
enum staff_err staff_login(struct ctx *c, const char *name, const char *pw);
/* Ends the signed-in session in the database (audited) and clears the
 * cookie; STAFF_UNAVAILABLE (cookie kept) when the database refused. */
enum staff_err staff_logout(struct ctx *c) __attribute__((warn_unused_result));
/* Adds an account (audited as done by `by`). */
enum staff_err staff_add(struct app *app, const char *by, const char *name,
    enum staff_role role, const char *pw) __attribute__((warn_unused_result));
/* Disables an account and ends its sessions (audited as done by `by`):
 * staff_set_disabled(app, by, name, 1). */
enum staff_err staff_disable(struct app *app, const char *by, const char *name)
    __attribute__((warn_unused_result));

/* 0 and the hash of the session token this browser sent (how the database
 * knows the session); -1 without a well-formed session cookie. */
int staff_session_hash(const struct ctx *c, unsigned char hash[32]);

/* Managing accounts (staff_acct.c).  Every change is audited with who did
 * it (`by`, or the signed-in member), the action and the account's name,
 * never a password or a code. */
#define STAFF_RESET_LEN		16		/* characters of a reset code (80 bits) */
#define STAFF_RESET_BUF		(STAFF_RESET_LEN + 4)	/* shown as XXXX-XXXX-XXXX-XXXX */
#define STAFF_RESET_TTL		(24 * 60 * 60)	/* seconds a reset code works */

/* The signed-in member's own password: current must match (throttled like a
 * sign-in, under a key of its own), pw and again must be equal and pass
 * staff_password_ok.  Every other session of the member ends; *ended says
 * how many. */
enum staff_err staff_password_change(struct ctx *c, const char *current, const char *pw,
    const char *again, int64_t *ended) __attribute__((warn_unused_result));
/* An admin's reset of the active account called name: its password stops
 * working, its sessions end, and code gets a new one-time code (valid
 * STAFF_RESET_TTL, stored only as a keyed hash) to give to its owner. */
enum staff_err staff_reset_issue(struct app *app, const char *by, const char *name,
    char code[STAFF_RESET_BUF]) __attribute__((warn_unused_result));
/* Sets a new password with a reset code (any case, spaces and dashes
 * ignored); the code is then used up.  *name (arena) is the account's. */
enum staff_err staff_reset_redeem(struct ctx *c, const char *code, const char *pw,
    const char *again, const char **name) __attribute__((warn_unused_result));
/* Disables (ending its sessions and reset codes) or re-enables an account;
 * STAFF_LAST_ADMIN when it is the last active admin. */
enum staff_err staff_set_disabled(struct app *app, const char *by, const char *name,
    int disabled) __attribute__((warn_unused_result));
/* Changes an account's role (from its next request on); STAFF_LAST_ADMIN
 * when that would demote the last active admin. */
enum staff_err staff_set_role(struct app *app, const char *by, const char *name,
    enum staff_role role) __attribute__((warn_unused_result));
/* Ends every session of the account called name; *ended says how many. */
enum staff_err staff_sign_out_everywhere(struct app *app, const char *by, const char *name,
    int64_t *ended) __attribute__((warn_unused_result));
/* How many sessions of account id are active now. */
enum staff_err staff_session_count(struct app *app, int64_t id, int64_t *n)
    __attribute__((warn_unused_result));
/* Calls fn for each active session of the signed-in member, newest first,
 * with its start and last request (Unix seconds) and whether it is this
 * browser's. */
enum staff_err staff_session_each(struct ctx *c,
    void (*fn)(void *ctx, int64_t created, int64_t last_seen, int here), void *ctx)
    __attribute__((warn_unused_result));

/* The root dict of a staff page: view_page() plus staff.name, staff.role
 * and staff.admin for the signed-in member (templates: {{>staff_nav}}). */
struct tdict *staff_view_page(struct ctx *c, const char *title);

/* A staff form's one-line text field (templates/staff_field.html): its
 * form name, the UI keys of its label and hint, and what the browser may
 * fill in or capitalise. */
struct staff_field {
	const char	*name, *label, *hint, *autocomplete, *autocapitalize;
};
/* Sets d's "field" to f, marked as in error when has_error. */
void staff_view_field(struct ctx *c, struct tdict *d, const struct staff_field *f,
    int has_error);

/* voices -c CONFIG user add|list|disable ...: argv[0] is "user". */
int staff_cli(const struct config *cfg, int argc, char **argv);
#endif
