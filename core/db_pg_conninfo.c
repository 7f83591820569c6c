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
#include "db_pg_int.h"

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

#define HOSTS_MAX	16

/* list split at its commas into v (at most HOSTS_MAX items, each pointing
 * into buf, a copy): the number of items, or -1 when it does not fit. */
static int
split(const char *list, char *buf, size_t n, char **v)
{
	int k = 0;

	if (strlen(list) >= n)
		return -1;
	memcpy(buf, list, strlen(list) + 1);
	for (char *s = buf, *e; k < HOSTS_MAX; s = e + 1) {
		v[k++] = s;
		if ((e = strchr(s, ',')) == NULL)
			return k;
		*e = '\0';
	}
	return -1;
}

/* The n items of v from the one after `at` round to it, joined by commas
 * into out (which holds at least the original list). */
static void
join_after(char **v, int n, int at, char *out)
{
	out[0] = '\0';
	for (int i = 1; i <= n; i++) {
		if (i > 1)
			strcat(out, ",");
		strcat(out, v[(at + i) % n]);
	}
}

static int
hosts_turn(const char *host, const char *addr, const char *port, const char *was_host,
    const char *was_port, struct pg_hosts *out)
{
	char hb[PG_HOSTS_LEN], ab[PG_HOSTS_LEN], pb[PG_HOSTS_LEN];
	char *h[HOSTS_MAX], *a[HOSTS_MAX], *p[HOSTS_MAX];
	int nh, na = 0, np = 0, at;

	if ((nh = split(host[0] ? host : addr, hb, sizeof hb, h)) < 2 ||
	    (addr[0] && host[0] && (na = split(addr, ab, sizeof ab, a)) != nh) ||
	    (port[0] && (np = split(port, pb, sizeof pb, p)) != nh && np != 1))
		return -1;
	for (at = 0; at < nh; at++)
		if ((strcmp(h[at], was_host) == 0 || (na > 0 && strcmp(a[at], was_host) == 0)) &&
		    (np <= 1 || strcmp(p[at], was_port) == 0))
			break;
	if (at == nh)
		return -1;
	join_after(h, nh, at, host[0] ? out->host : out->addr);
	if (na > 0)
		join_after(a, na, at, out->addr);
	if (np > 1)
		join_after(p, np, at, out->port);
	return 0;
}

int
pg_hosts_after(const char *conninfo, const char *was_host, const char *was_port,
    struct pg_hosts *out)
{
	char host[PG_HOSTS_LEN], addr[PG_HOSTS_LEN], port[PG_HOSTS_LEN];

	memset(out, 0, sizeof *out);
	if (was_host == NULL || was_port == NULL)
		return -1;
	if (!conninfo_value(conninfo, "host", host, sizeof host) &&
	    !conninfo_value(conninfo, "hostaddr", addr, sizeof addr))
		return -1;
	conninfo_value(conninfo, "hostaddr", addr, sizeof addr);
	conninfo_value(conninfo, "port", port, sizeof port);
	if (hosts_turn(host, addr, port, was_host, was_port, out) != 0) {
		memset(out, 0, sizeof *out);
		return -1;
	}
	return 0;
}
