/* db_pg_conn: the PostgreSQL engine's connection, and connecting again when
 * it is lost (a failover, the server restarted, the backend terminated).
 *
 * A lost connection is noticed in two places: before a statement is sent
 * outside a transaction (the socket is read without waiting: a server that
 * closed the connection meanwhile says so there), and when a statement
 * fails with the connection gone (SQLSTATE class 08, 57P01 and friends).
 * Either way the next use connects again with the same connection string
 * (a multi-host one with target_session_attrs=read-write finds the new
 * primary; the host lost is left out for LOST_HOST_MS, then tried last:
 * note_host), trying with a short backoff for PG_RECONNECT_MS from when the
 * loss was noticed; past that, each use tries once.  Statements are
 * prepared again lazily (db_pg_int.h: gen).
 *
 * What is never done: running a statement of a transaction on a new
 * connection (the transaction died with the old one: poisoned), or sending
 * again a statement that may have written (its outcome is DB_UNKNOWN, for
 * the caller to resolve).  A read, SET or BEGIN lost outside a transaction
 * is sent once more. */
#include <ctype.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "db_pg_int.h"

#define BACKOFF_FIRST_MS	50
#define BACKOFF_MAX_MS		500
#define LOST_HOST_MS		6000	/* the host lost is left out this long */

void
pg_set_err(struct pg *p, int err, const char *msg)
{
	p->err = err;
	snprintf(p->msg, sizeof p->msg, "%s", msg != NULL ? msg : "");
	p->msg[strcspn(p->msg, "\n")] = '\0';
}

/* 1 when sql starts with the keyword w (any case), a whole word. */
static int
starts(const char *sql, const char *w)
{
	size_t n = strlen(w);

	return strncasecmp(sql, w, n) == 0 && !isalnum((unsigned char)sql[n]) && sql[n] != '_';
}

enum pg_kind
pg_kind_of(const char *sql)
{
	const char *s = sql;

	while (isspace((unsigned char)*s))
		s++;
	if (starts(s, "SELECT") || starts(s, "SET") || starts(s, "SHOW") || starts(s, "RESET"))
		return PG_READ;
	if (starts(s, "BEGIN") || starts(s, "START"))
		return PG_BEGIN;
	if (starts(s, "COMMIT") || starts(s, "END"))
		return PG_COMMIT;
	if (starts(s, "ROLLBACK") || starts(s, "ABORT")) {
		s += starts(s, "ABORT") ? 5 : 8;
		while (isspace((unsigned char)*s))
			s++;
		return starts(s, "TO") ? PG_OTHER : PG_ROLLBACK;
	}
	return PG_OTHER;
}

static void
quiet(void *arg, const char *msg)
{
	(void)arg, (void)msg;	/* notices ("already exists, skipping") are not errors */
}

static int
session(struct pg *p)
{
	PGresult	*r = PQexec(p->c, (p->flags & DB_RDONLY) ?
	    "SET default_transaction_read_only = on; SET client_min_messages = warning" :
	    "SET client_min_messages = warning");
	int		 ok = PQresultStatus(r) == PGRES_COMMAND_OK;

	if (!ok)
		pg_set_err(p, DB_CANTOPEN, PQresultErrorMessage(r));
	PQclear(r);
	return ok ? DB_OK : DB_CANTOPEN;
}

/* Before a connection that was up is closed: its host goes last in the
 * list the next connection tries, so that after a failover the others
 * (where the new primary is) are asked first, rather than waiting out
 * connect_timeout on a primary cut off.  Only a host list that libpq would
 * try in order is turned; a lone host is left alone. */
static void
note_host(struct pg *p)
{
	if (p->c == NULL || !p->up)
		return;
	p->up = 0;
	(void)pg_hosts_after(p->conninfo, PQhost(p->c), PQport(p->c), &p->after);
}

/* s without its last comma-separated item, into b (n bytes); s itself when
 * it has one item or is "". */
static const char *
drop_last(const char *s, char *b, size_t n)
{
	const char *comma = strrchr(s, ',');

	if (comma == NULL || (size_t)(comma - s) >= n)
		return s;
	memcpy(b, s, (size_t)(comma - s));
	b[comma - s] = '\0';
	return b;
}

/* Connects with the hosts turned by note_host, and with `others` set, to
 * the other hosts only: while a failover is under way the host just lost
 * would cost each try its connect_timeout (a primary cut off answers
 * nothing).  Timeouts the connection string may override: a connection
 * attempt gives up on a silent host after a few seconds, and a dead peer
 * is noticed by TCP keepalives while a reply is awaited (unix sockets
 * ignore them).  The host lists come after the string and so replace its
 * own. */
static int
connect_to(struct pg *p, int others)
{
	const char *kw[] = { "connect_timeout", "keepalives_idle",
	    "keepalives_interval", "keepalives_count", "dbname", NULL, NULL, NULL, NULL };
	const char *val[] = { "4", "10", "3", "3", p->conninfo, NULL, NULL, NULL, NULL };
	char b[3][PG_HOSTS_LEN];
	int n = 5;

	note_host(p);
	if (p->after.host[0])
		kw[n] = "host", val[n++] = others ? drop_last(p->after.host, b[0], sizeof b[0]) :
		    p->after.host;
	if (p->after.addr[0])
		kw[n] = "hostaddr", val[n++] = others ? drop_last(p->after.addr, b[1], sizeof b[1]) :
		    p->after.addr;
	if (p->after.port[0])
		kw[n] = "port", val[n++] = others ? drop_last(p->after.port, b[2], sizeof b[2]) :
		    p->after.port;
	PQfinish(p->c);
	p->up = 0;
	if ((p->c = PQconnectdbParams(kw, val, 1)) == NULL) {
		pg_set_err(p, DB_NOMEM, "out of memory");
		return DB_NOMEM;
	}
	if (PQstatus(p->c) != CONNECTION_OK) {
		pg_set_err(p, DB_CANTOPEN, PQerrorMessage(p->c));
		return DB_CANTOPEN;
	}
	PQsetNoticeProcessor(p->c, quiet, NULL);
	if (session(p) != DB_OK)
		return DB_CANTOPEN;
	p->up = 1;
	p->gen++;
	p->down = 0;
	p->stale = 0;
	p->err = DB_OK;
	return DB_OK;
}

int
pg_connect(struct pg *p)
{
	return connect_to(p, 0);
}

int
pg_in_tx(struct pg *p)
{
	PGTransactionStatusType t;

	if (p->c == NULL || PQstatus(p->c) != CONNECTION_OK)
		return 0;
	t = PQtransactionStatus(p->c);
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

/* 1 when the idle connection is still there: what the server sent since
 * (a termination notice, then the end of the stream) is read without
 * waiting. */
static int
alive(struct pg *p)
{
	struct pollfd	 fd;
	PGnotify	*n;

	for (int i = 0; i < 4 && p->c != NULL && PQstatus(p->c) == CONNECTION_OK; i++) {
		fd = (struct pollfd){ .fd = PQsocket(p->c), .events = POLLIN };
		if (fd.fd < 0 || poll(&fd, 1, 0) <= 0)
			break;
		if (!PQconsumeInput(p->c))
			break;
		while ((n = PQnotifies(p->c)) != NULL)
			PQfreemem(n);
	}
	return p->c != NULL && PQstatus(p->c) == CONNECTION_OK;
}

static long
ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000L + (now.tv_nsec - t->tv_nsec) / 1000000L;
}

static void
noticed_lost(struct pg *p)
{
	if (p->down)
		return;
	p->down = 1;
	p->losses++;
	clock_gettime(CLOCK_MONOTONIC, &p->down_since);
}

/* Connects again, with backoff, until PG_RECONNECT_MS (p->limit_ms) after
 * the loss was noticed; one try once past it.  DB_IOERR when it failed. */
static int
reconnect(struct pg *p)
{
	struct timespec pause;
	long delay = BACKOFF_FIRST_MS;

	noticed_lost(p);
	note_host(p);
	for (;;) {
		if (connect_to(p, ms_since(&p->down_since) < LOST_HOST_MS &&
		    (p->after.host[0] || p->after.addr[0])) == DB_OK)
			return DB_OK;
		if (ms_since(&p->down_since) + delay > p->limit_ms)
			break;
		pause = (struct timespec){ delay / 1000, (delay % 1000) * 1000000L };
		nanosleep(&pause, NULL);
		delay = delay * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : delay * 2;
	}
	p->err = DB_IOERR;	/* nothing was sent: the outcome is known */
	return DB_IOERR;
}

int
pg_gate(struct pg *p, enum pg_kind k, int *skip)
{
	*skip = 1;
	if (p->poisoned && k != PG_BEGIN) {
		if (k == PG_ROLLBACK || k == PG_COMMIT)
			p->poisoned = 0;
		if (k == PG_ROLLBACK)
			return p->err = DB_OK;
		pg_set_err(p, DB_UNKNOWN, "the connection was lost inside this transaction");
		return DB_UNKNOWN;
	}
	p->poisoned = 0;
	if (pg_in_tx(p) || (!p->stale && alive(p))) {
		*skip = 0;
		return DB_OK;
	}
	if (k == PG_ROLLBACK)	/* no transaction outlives its connection */
		return p->err = DB_OK;
	if (reconnect(p) != DB_OK)
		return DB_IOERR;
	*skip = 0;
	return DB_OK;
}

int
pg_after(struct pg *p, int rc, enum pg_kind k, int tx, int tries)
{
	if (rc != DB_UNKNOWN)
		return 0;
	noticed_lost(p);
	note_host(p);
	PQfinish(p->c);		/* whatever libpq still thinks of it */
	p->c = NULL;
	if (tx && k != PG_COMMIT && k != PG_ROLLBACK)
		p->poisoned = 1;
	return !tx && (k == PG_READ || k == PG_BEGIN) && tries == 0;
}

/* 1 when conninfo parses and carries no password of its own: the secret
 * belongs in a password file, not in the configuration or a command line. */
int
pg_conninfo_ok(const char *conninfo)
{
	PQconninfoOption	*opts = PQconninfoParse(conninfo, NULL);
	int			 ok = opts != NULL;

	for (PQconninfoOption *o = opts; ok && o->keyword != NULL; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL && o->val[0] != '\0')
			ok = 0;
	PQconninfoFree(opts);
	return ok;
}

void
db_pg_limit(struct db *db, int ms)
{
	PG(db)->limit_ms = ms;
}

unsigned
db_pg_losses(struct db *db)
{
	return PG(db)->losses;
}
