/* pg_proxy: a PostgreSQL connection that can lose the server's reply to a
 * COMMIT, the commit done: what a failover or a cut network does to a
 * client between the server's commit and its answer.  A forked process
 * listens on a unix socket of its own and passes bytes both ways to the
 * test server's socket; once armed (pg_proxy_arm), the next server message
 * "CommandComplete COMMIT" is not passed on: both sides of that connection
 * are closed instead.  Later connections pass through untouched.
 *
 * The test server's password file names its socket directory as the host;
 * the proxy's directory gets a copy of it naming its own. */
#ifndef PG_PROXY_H
#define PG_PROXY_H
#include <check.h>
#include <sys/poll.h>	/* cgi/poll.h shadows <poll.h> here */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>
#include <libpq-fe.h>

struct pg_proxy {
	char	 dir[64];	/* its socket (.s.PGSQL.5432), pgpass and arm file */
	char	 target[1024];	/* the connection string through it */
	char	 server[200];	/* the server's socket */
	pid_t	 pid;
};

/* The value of keyword in conninfo, into out (empty when unset). */
static inline void
pg_proxy_opt(const char *conninfo, const char *keyword, char *out, size_t size)
{
	PQconninfoOption *o = PQconninfoParse(conninfo, NULL);

	out[0] = '\0';
	for (PQconninfoOption *k = o; k != NULL && k->keyword != NULL; k++)
		if (strcmp(k->keyword, keyword) == 0 && k->val != NULL)
			snprintf(out, size, "%s", k->val);
	PQconninfoFree(o);
}

/* The password file for the proxy's host: each line of the server's with
 * its host field (the server's socket directory) made the proxy's. */
static inline void
pg_proxy_pgpass(struct pg_proxy *x, const char *passfile)
{
	char	 line[512], out[160];
	FILE	*in = fopen(passfile, "r"), *w;
	int	 fd;

	snprintf(out, sizeof out, "%s/pgpass", x->dir);
	ck_assert_ptr_nonnull(in);
	ck_assert_int_ge(fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600), 0);
	ck_assert_ptr_nonnull(w = fdopen(fd, "w"));
	while (fgets(line, sizeof line, in) != NULL) {
		char *rest = strchr(line, ':');
		if (rest != NULL)
			fprintf(w, "%s%s", x->dir, rest);
	}
	fclose(in);
	fclose(w);
}

static inline int
pg_proxy_dial(const char *sock)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (strlen(sock) >= sizeof sa.sun_path)
		return -1;
	memcpy(sa.sun_path, sock, strlen(sock) + 1);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* 1 when buf holds the server's CommandComplete for a COMMIT. */
static inline int
pg_proxy_is_commit(const char *buf, size_t n)
{
	static const char tag[] = "C\0\0\0\013COMMIT";

	for (size_t i = 0; i + sizeof tag <= n; i++)
		if (memcmp(buf + i, tag, sizeof tag) == 0)
			return 1;
	return 0;
}

/* One connection: bytes both ways until either side ends it. */
static inline void
pg_proxy_pipe(struct pg_proxy *x, int c)
{
	struct pollfd	 p[2];
	char		 buf[65536], arm[160];
	int		 s = pg_proxy_dial(x->server);
	ssize_t		 n;

	snprintf(arm, sizeof arm, "%s/arm", x->dir);
	p[0] = (struct pollfd){ .fd = c, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = s, .events = POLLIN };
	while (s >= 0 && poll(p, 2, -1) > 0) {
		for (int i = 0; i < 2; i++) {
			if (p[i].revents == 0)
				continue;
			if ((n = read(p[i].fd, buf, sizeof buf)) <= 0)
				_exit(0);
			if (i == 1 && access(arm, F_OK) == 0 && pg_proxy_is_commit(buf, (size_t)n)) {
				unlink(arm);
				_exit(0);	/* the reply goes nowhere */
			}
			if (write(p[1 - i].fd, buf, (size_t)n) != n)
				_exit(0);
		}
	}
	_exit(0);
}

static inline void
pg_proxy_serve(struct pg_proxy *x, int l)
{
	for (;;) {
		int c = accept(l, NULL, NULL);
		if (c < 0)
			continue;
		if (fork() == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close(l);
			pg_proxy_pipe(x, c);
		}
		close(c);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
}

/* Listens (again) on the proxy's socket, in a process of its own. */
static inline void
pg_proxy_listen(struct pg_proxy *x)
{
	struct sockaddr_un	 sa = { .sun_family = AF_UNIX };
	int			 l;

	snprintf(sa.sun_path, sizeof sa.sun_path, "%s/.s.PGSQL.5432", x->dir);
	unlink(sa.sun_path);
	ck_assert_int_ge(l = socket(AF_UNIX, SOCK_STREAM, 0), 0);
	ck_assert_int_eq(bind(l, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(l, 16), 0);
	ck_assert_int_ge(x->pid = fork(), 0);
	if (x->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		pg_proxy_serve(x, l);
	}
	close(l);
}

/* Ends the proxy and every connection through it: the server out of
 * reach. */
static inline void
pg_proxy_down(struct pg_proxy *x)
{
	kill(x->pid, SIGKILL);
	waitpid(x->pid, NULL, 0);
	x->pid = -1;
}

/* Starts a proxy to the server conninfo names (a unix socket); x->target
 * is conninfo through it. */
static inline void
pg_proxy_start(struct pg_proxy *x, const char *conninfo)
{
	char host[160], port[16], passfile[256];

	pg_proxy_opt(conninfo, "host", host, sizeof host);
	pg_proxy_opt(conninfo, "port", port, sizeof port);
	pg_proxy_opt(conninfo, "passfile", passfile, sizeof passfile);
	ck_assert_int_eq(host[0], '/');
	snprintf(x->server, sizeof x->server, "%s/.s.PGSQL.%s", host, port[0] ? port : "5432");
	strcpy(x->dir, "/tmp/voices-proxy-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(x->dir));
	pg_proxy_pgpass(x, passfile);
	pg_proxy_listen(x);
	snprintf(x->target, sizeof x->target, "%s host=%s port=5432 passfile=%s/pgpass",
	    conninfo, x->dir, x->dir);
}

/* The next COMMIT's reply is lost. */
static inline void
pg_proxy_arm(struct pg_proxy *x)
{
	char arm[160];
	FILE *f;

	snprintf(arm, sizeof arm, "%s/arm", x->dir);
	ck_assert_ptr_nonnull(f = fopen(arm, "w"));
	fclose(f);
}

/* 1 while armed: no COMMIT's reply was lost yet. */
static inline int
pg_proxy_armed(struct pg_proxy *x)
{
	char arm[160];

	snprintf(arm, sizeof arm, "%s/arm", x->dir);
	return access(arm, F_OK) == 0;
}

static inline void
pg_proxy_stop(struct pg_proxy *x)
{
	char cmd[128];

	if (x->pid > 0)
		pg_proxy_down(x);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", x->dir);
	ck_assert_int_eq(system(cmd), 0);
}
#endif
