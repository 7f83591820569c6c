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

static inline int
store_target_pg(void)
{
	const char *pg = getenv("VOICES_TEST_PG");

	return pg != NULL && pg[0] != '\0';
}

static inline const char *
store_target(const char *path)
{
	static char	 target[1024];
	const char	*pg = getenv("VOICES_TEST_PG");
	struct db	*db = NULL;
	char		 sql[64];
	uint64_t	 h = 1469598103934665603ULL;

	if (!store_target_pg())
		return path;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	snprintf(sql, sizeof sql, "CREATE DATABASE t_%016llx", (unsigned long long)h);
	if (db_open(pg, 0, &db) == DB_OK)
		(void)db_exec(db, sql);		/* "already exists" the second time */
	db_close(db);
	snprintf(target, sizeof target, "%s dbname=t_%016llx", pg, (unsigned long long)h);
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
	struct db	*db = NULL;
	char		 sql[64], owner[1024], why[256];
	uint64_t	 h = 1469598103934665603ULL;
	int		 ok;

	if (!store_target_pg()) {
		ok = store_open(path, STORE_CREATE, &st) == STORE_OK;
		store_close(st);
		return ok ? path : NULL;
	}
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	snprintf(owner, sizeof owner, "%s user=voices_owner", pg);
	snprintf(sql, sizeof sql, "CREATE DATABASE a_%016llx", (unsigned long long)h);
	if (db_open(owner, 0, &db) == DB_OK)
		(void)db_exec(db, sql);		/* "already exists" the second time */
	db_close(db);
	snprintf(owner, sizeof owner, "%s user=voices_owner dbname=a_%016llx", pg,
	    (unsigned long long)h);
	snprintf(target, sizeof target, "%s user=voices_app dbname=a_%016llx", pg,
	    (unsigned long long)h);
	if (store_open(owner, STORE_CREATE, &st) != STORE_OK)
		return NULL;
	ok = store_grant(st, target, "voices_analyst", why, sizeof why) == STORE_OK;
	store_close(st);
	return ok ? target : NULL;
}
#endif
