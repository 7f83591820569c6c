/* db_pg_int: what db_pg.c (statements) and db_pg_conn.c (the connection:
 * connecting, noticing it lost, connecting again) share.
 *
 * Invariants: a statement whose gen differs from its connection's gen was
 * prepared on an earlier connection and is prepared again before it runs.
 * While poisoned, the caller is inside a transaction whose connection was
 * lost: every statement fails with DB_UNKNOWN until the caller ends the
 * transaction (ROLLBACK, COMMIT) or begins another; nothing of it is ever
 * run on a new connection as if the transaction were still open. */
#ifndef DB_PG_INT_H
#define DB_PG_INT_H
#include <time.h>
#include <libpq-fe.h>
#include "db.h"

#define PG_RECONNECT_MS	20000	/* connecting again is tried for this long */

/* What a statement does, as far as losing its connection goes. */
enum pg_kind {
	PG_OTHER,	/* may write: its outcome is unknown when the connection is lost */
	PG_READ,	/* SELECT, SET, SHOW: safe to run again */
	PG_BEGIN,
	PG_COMMIT,	/* COMMIT, END */
	PG_ROLLBACK	/* ROLLBACK or ABORT, not ROLLBACK TO a savepoint */
};

/* A multi-host connection string's host, hostaddr and port lists turned so
 * that the host whose connection was lost comes last ("" for a list it does
 * not have, or for one left as it is). */
#define PG_HOSTS_LEN	1024
struct pg_hosts {
	char	 host[PG_HOSTS_LEN];
	char	 addr[PG_HOSTS_LEN];
	char	 port[PG_HOSTS_LEN];
};

/* conninfo's lists turned to start after the entry of was_host (a host or
 * address) and was_port, as PQhost and PQport give them: 0, or -1 when
 * there is nothing to turn (one host, no such entry, lists that do not
 * match up); out is then all "". */
int pg_hosts_after(const char *conninfo, const char *was_host, const char *was_port,
    struct pg_hosts *out);

struct pg {
	struct db	 db;
	PGconn		*c;
	char		*conninfo;	/* owned: to connect again */
	int		 flags;		/* db_open's */
	int64_t		 changes;
	int		 err;
	char		 msg[256];
	unsigned	 next;		/* names statements s1, s2, ... */
	unsigned	 gen;		/* connections made */
	unsigned	 losses;	/* connections lost */
	int		 poisoned;	/* see above */
	int		 stale;		/* the server took no writes: connect again */
	int		 down;		/* lost, not connected again yet */
	struct timespec	 down_since;
	int		 limit_ms;
	int		 up;		/* c was connected: its host is the one to try last */
	struct pg_hosts	 after;		/* the hosts, the lost one last; "": as written */
};

struct pg_stmt {
	struct db_stmt	 q;
	char		 name[16];
	char		*text;		/* owned: the SQL with $N, to prepare again */
	Oid		*types;		/* owned: its parameters' types, 0 for the server's guess */
	enum pg_kind	 kind;
	unsigned	 gen;		/* the connection it was prepared on */
	int		 nparams;
	char		**val;		/* owned copies; NULL = SQL NULL */
	int		*len, *fmt;
	PGresult	*res;
	int		 row, nrows;
	unsigned char	**blob;		/* decoded bytea of the current row, per column */
	size_t		*blen;
	int		 ncols;
};

#define PG(d)	((struct pg *)(d))
#define S(q)	((struct pg_stmt *)(q))

void pg_set_err(struct pg *p, int err, const char *msg);
/* 1 when conninfo parses and holds no password (db_pg_open's check). */
int pg_conninfo_ok(const char *conninfo);
/* The kind of an SQL text, from its first word. */
enum pg_kind pg_kind_of(const char *sql);
/* Connects (again) to p->conninfo and sets the session up; DB_OK or
 * DB_CANTOPEN with p->msg saying why. */
int pg_connect(struct pg *p);
/* Before a statement of kind k is sent.  DB_OK and *skip 0: send it.
 * Otherwise *skip is 1 and the return is the statement's outcome, not sent:
 * a lost transaction's statement, or no connection to be had within the
 * bound (DB_IOERR: nothing was run). */
int pg_gate(struct pg *p, enum pg_kind k, int *skip);
/* After a statement of kind k, sent with the transaction state tx (1 inside
 * one), returned rc.  1 when it should be sent again: its connection was
 * lost, it is safe to repeat, and this was its first try. */
int pg_after(struct pg *p, int rc, enum pg_kind k, int tx, int tries);
/* 1 inside a transaction on a live connection. */
int pg_in_tx(struct pg *p);
#endif
