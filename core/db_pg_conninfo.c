/* db_pg_conninfo: what the store asks of a PostgreSQL connection string before
 * it connects: whose role it names, and whether the password file it reads
 * is the service user's alone.  libpq parses the string (URI or keyword=value
 * pairs), so a value means here what it means to libpq: the last of a
 * repeated keyword wins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <libpq-fe.h>
#include "db.h"

/* The value of keyword in conninfo into out (n bytes): 1 when it is there
 * and fits, else 0 (out then ""). */
static int
conninfo_value(const char *conninfo, const char *keyword, char *out, size_t n)
{
	PQconninfoOption	*opts = PQconninfoParse(conninfo, NULL);
	int			 found = 0;

	out[0] = '\0';
	for (PQconninfoOption *o = opts; o != NULL && o->keyword != NULL; o++)
		if (strcmp(o->keyword, keyword) == 0 && o->val != NULL && o->val[0] != '\0' &&
		    strlen(o->val) < n) {
			memcpy(out, o->val, strlen(o->val) + 1);
			found = 1;
		}
	PQconninfoFree(opts);
	return found;
}

int
db_pg_conninfo_user(const char *conninfo, char *out, size_t n)
{
	return conninfo_value(conninfo, "user", out, n);
}

/* libpq ignores a password file others may read (with a warning on stderr)
 * and the connection then fails for want of a password; this says why
 * before that happens.  A file that is not there is libpq's to report. */
int
db_pg_passfile_private(const char *conninfo, char *path, size_t n)
{
	const char	*env = getenv("PGPASSFILE");
	struct stat	 sb;

	if (!conninfo_value(conninfo, "passfile", path, n)) {
		if (env == NULL || env[0] == '\0' || strlen(env) >= n)
			return 1;
		memcpy(path, env, strlen(env) + 1);
	}
	if (stat(path, &sb) != 0)
		return 1;
	return (sb.st_mode & (S_IRWXG | S_IRWXO)) == 0;
}
