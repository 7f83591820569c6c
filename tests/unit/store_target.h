/* store_target: where a storage test keeps its database, so that the same
 * test runs on both engines.  Without VOICES_TEST_PG, the SQLite path it is
 * given.  With VOICES_TEST_PG (a connection string for a role that may
 * create databases: scripts/pg-test.sh prints one), a PostgreSQL database
 * of its own per path, named from a hash of the path and created at first
 * use; the connection string for it.  The string is static: one at a time. */
#ifndef STORE_TARGET_H
#define STORE_TARGET_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "store.h"
#include "util.h"

static inline int
store_target_pg(void)
{
	const char *pg = getenv("VOICES_TEST_PG");

	return pg != NULL && pg[0] != '\0';
}

/* Creates (once) the PostgreSQL database that stands for path, as the role
 * of the connection string as, named prefix and a hash of path into name (n
 * bytes).  A second call finds it there. */
static inline void
store_target_make(const char *as, const char *prefix, const char *path, char *name, size_t n)
{
	struct db	*db = NULL;
	char		 sql[96];

	snprintf(name, n, "%s_%016llx", prefix, (unsigned long long)fnv1a64(1469598103934665603ULL,
	    path, strlen(path)));
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	if (db_open(as, 0, &db) == DB_OK)
		(void)db_exec(db, sql);		/* "already exists" the second time */
	db_close(db);
}

static inline const char *
store_target(const char *path)
{
	static char	 target[1024];
	const char	*pg = getenv("VOICES_TEST_PG");
	char		 name[48];

	if (!store_target_pg())
		return path;
	store_target_make(pg, "t", path, name, sizeof name);
	snprintf(target, sizeof target, "%s dbname=%s", pg, name);
	return target;
}

/* The same for a test of the app's own code, which refuses on PostgreSQL a
 * role that owns the schema: the database is made and migrated as
 * scripts/pg-test.sh's voices_owner, voices_app is granted the app's rows,
 * and the connection string returned is voices_app's.  On SQLite the file is
 * created.  NULL when that fails. */
static inline const char *
store_target_app(const char *path)
{
	static char	 target[1024];
	const char	*pg = getenv("VOICES_TEST_PG");
	struct store	*st = NULL;
	char		 owner[1024], name[48], why[256];
	int		 ok;

	if (!store_target_pg()) {
		ok = store_open(path, STORE_CREATE, &st) == STORE_OK;
		store_close(st);
		return ok ? path : NULL;
	}
	snprintf(owner, sizeof owner, "%s user=voices_owner", pg);
	store_target_make(owner, "a", path, name, sizeof name);
	snprintf(owner, sizeof owner, "%s user=voices_owner dbname=%s", pg, name);
	snprintf(target, sizeof target, "%s user=voices_app dbname=%s", pg, name);
	if (store_open(owner, STORE_CREATE, &st) != STORE_OK)
		return NULL;
	ok = store_grant(st, target, "voices_analyst", why, sizeof why) == STORE_OK;
	store_close(st);
	return ok ? target : NULL;
}
#endif
