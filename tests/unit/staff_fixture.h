/* staff_fixture: what the staff account tests share (test_store_staff.c,
 * test_store_staff_acct.c, test_store_audit.c): a store of its own per test
 * on either engine (store_target), accounts added as the command line adds
 * them, and integers read back with SQL on the store's own connection. */
#ifndef STAFF_FIXTURE_H
#define STAFF_FIXTURE_H
#include <check.h>
#include <stdint.h>
#include "store_int.h"
#include "store_target.h"
#include "unit.h"

#define T0	1767225600	/* 2026-01-01T00:00:00Z */
#define PWHASH	"$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"

/* The test's store: opened by staff_setup, closed by staff_teardown. */
static struct store	*st;

/* A checked fixture: a fresh directory (unit_db_setup) and a store created
 * in it, or a PostgreSQL database of its own. */
static inline void
staff_setup(void)
{
	unit_db_setup();
	ck_assert_int_eq(store_open(store_target(unit_db), STORE_CREATE, &st), STORE_OK);
}

static inline void
staff_teardown(void)
{
	store_close(st);
	unit_db_teardown();
}

/* Adds the account name with role and the password hash PWHASH, audited as
 * the command line's user_created at T0; its id. */
static inline int64_t
staff_add(const char *name, const char *role)
{
	struct store_audit a = { T0, "cli", "user_created", name };
	int64_t id = 0;

	ck_assert_int_eq(store_staff_add(st, name, role, PWHASH, &a, &id), STORE_OK);
	ck_assert_int_gt(id, 0);
	return id;
}

/* The integer in the first column of the first row q returns; -1 for no row. */
static inline int64_t
sql_int(const char *q)
{
	struct db_stmt *s;
	int64_t v = -1;

	ck_assert_int_eq(db_prepare(st->db, q, 0, &s), DB_OK);
	if (db_step(s) == DB_ROW)
		v = db_column_int64(s, 0);
	db_finalize(s);
	return v;
}
#endif
