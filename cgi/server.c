/* server: process supervision.  Signals reach the parent only through
 * sigwaitinfo() (they are blocked), so no handler races with the loop. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcgiapp.h>
#include <sodium.h>
#include "seal.h"
#include "server.h"
#include "store.h"
#include "survey.h"
#include "tmpl.h"
#include "worker.h"
#include "writer.h"

struct procs {
	pid_t	 writer;
	pid_t	*workers;
	int	 n;
	int	 listen_fd, writer_fd;
	time_t	 last_crash;
};

/* Records every loaded survey version, so responses to it can be stored. */
static int
register_surveys(const struct config *cfg, const struct survey_set *set, int create)
{
	struct store *st = NULL;
	enum store_err e;

	if ((e = store_open(cfg->database, create ? STORE_CREATE : 0, &st)) == STORE_OK)
		for (size_t i = 0; i < set->n && e == STORE_OK; i++)
			e = store_survey_register(st, set->v[i]);
	store_close(st);
	if (e != STORE_OK)
		fprintf(stderr, "voices: %s: %s\n", cfg->database, store_strerror(e));
	return e == STORE_OK ? 0 : -1;
}

int
server_load(const struct config *cfg, struct loaded *out, int create)
{
	char err[512];

	memset(out, 0, sizeof(*out));
	if (survey_set_load(cfg->surveys, &out->surveys, err, sizeof(err)) != 0 ||
	    tmpl_set_load(cfg->templates, &out->tmpl, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		server_unload(out);
		return -1;
	}
	if (create >= 0 && register_surveys(cfg, out->surveys, create) != 0) {
		server_unload(out);
		return -1;
	}
	return 0;
}

void
server_unload(struct loaded *l)
{
	survey_set_free(l->surveys);
	tmpl_set_free(l->tmpl);
	memset(l, 0, sizeof(*l));
}

static const sigset_t *
handled_signals(void)
{
	static sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	return &set;
}

static pid_t
spawn_worker(const struct config *cfg, const struct loaded *l, const struct procs *p)
{
	struct app app = { .cfg = cfg, .surveys = l->surveys, .tmpl = l->tmpl, .writer_fd = -1 };
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	sigprocmask(SIG_UNBLOCK, handled_signals(), NULL);
	close(p->writer_fd);
	if (seal_key_read(cfg->secret_file, app.secret) != 0) {
		fprintf(stderr, "voices: cannot read %s (run `voices init`)\n", cfg->secret_file);
		_exit(1);
	}
	_exit(worker_run(&app, p->listen_fd) == 0 ? 0 : 1);
}

static pid_t
spawn_writer(const struct config *cfg, const struct procs *p)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	sigprocmask(SIG_UNBLOCK, handled_signals(), NULL);
	close(p->listen_fd);
	_exit(writer_run(cfg, p->writer_fd) == 0 ? 0 : 1);
}

/* Restarts whatever died; a crash loop is slowed to one restart a second. */
static void
reap(const struct config *cfg, const struct loaded *l, struct procs *p, int draining)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		int crashed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
		if (crashed && !draining) {
			if (time(NULL) == p->last_crash)
				sleep(1);
			p->last_crash = time(NULL);
		}
		if (pid == p->writer) {
			p->writer = draining ? 0 : spawn_writer(cfg, p);
			continue;
		}
		for (int i = 0; i < p->n; i++)
			if (p->workers[i] == pid)
				p->workers[i] = draining ? 0 : spawn_worker(cfg, l, p);
	}
}

static int
workers_alive(const struct procs *p)
{
	for (int i = 0; i < p->n; i++)
		if (p->workers[i] > 0)
			return 1;
	return 0;
}

static void
signal_workers(const struct procs *p, int sig)
{
	for (int i = 0; i < p->n; i++)
		if (p->workers[i] > 0)
			kill(p->workers[i], sig);
}

/* Workers first, so every submission they hold reaches the writer; then it. */
static void
drain(const struct config *cfg, const struct loaded *l, struct procs *p)
{
	signal_workers(p, SIGTERM);
	while (workers_alive(p)) {
		int sig = sigwaitinfo(handled_signals(), NULL);
		if (sig == SIGCHLD)
			reap(cfg, l, p, 1);
	}
	if (p->writer > 0)
		kill(p->writer, SIGTERM);
	while (p->writer > 0)
		if (sigwaitinfo(handled_signals(), NULL) == SIGCHLD)
			reap(cfg, l, p, 1);
}

static void
reload(const struct config *cfg, struct loaded *l, struct procs *p)
{
	struct loaded fresh;

	if (server_load(cfg, &fresh, 0) != 0) {
		fprintf(stderr, "voices: reload refused; still serving the previous surveys\n");
		return;
	}
	server_unload(l);
	*l = fresh;
	signal_workers(p, SIGTERM);	/* each is replaced, with the new set, as it exits */
	fprintf(stderr, "voices: surveys and templates reloaded\n");
}

static int
drop_privileges(const char *user)
{
	struct passwd *pw;

	if (user == NULL || getuid() != 0)
		return 0;
	if ((pw = getpwnam(user)) == NULL || setgroups(0, NULL) != 0 ||
	    setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0 || setuid(0) == 0) {
		fprintf(stderr, "voices: cannot become user %s\n", user);
		return -1;
	}
	return 0;
}

static int
open_sockets(const struct config *cfg, struct procs *p)
{
	if ((p->listen_fd = FCGX_OpenSocket(cfg->listen, 1024)) < 0) {
		fprintf(stderr, "voices: cannot listen on %s\n", cfg->listen);
		return -1;
	}
	if (strchr(cfg->listen, '/') != NULL)
		chmod(cfg->listen, 0666);	/* nginx runs as another user */
	if ((p->writer_fd = writer_listen(cfg->writer_socket)) < 0) {
		fprintf(stderr, "voices: cannot bind %s: %s\n", cfg->writer_socket,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static void
supervise(const struct config *cfg, struct loaded *l, struct procs *p)
{
	for (;;) {
		int sig = sigwaitinfo(handled_signals(), NULL);
		if (sig == SIGCHLD)
			reap(cfg, l, p, 0);
		else if (sig == SIGHUP)
			reload(cfg, l, p);
		else if (sig == SIGTERM || sig == SIGINT)
			break;
	}
	drain(cfg, l, p);
}

int
server_run(const struct config *cfg)
{
	struct procs p = { .n = cfg->workers, .listen_fd = -1, .writer_fd = -1 };
	struct loaded l;
	int rc = 1;

	if (server_load(cfg, &l, 0) != 0)
		return 1;
	sigprocmask(SIG_BLOCK, handled_signals(), NULL);
	if (FCGX_Init() != 0 || open_sockets(cfg, &p) != 0 || drop_privileges(cfg->user) != 0)
		goto out;
	if ((p.workers = calloc((size_t)p.n, sizeof(pid_t))) == NULL)
		goto out;
	p.writer = spawn_writer(cfg, &p);
	for (int i = 0; i < p.n; i++)
		p.workers[i] = spawn_worker(cfg, &l, &p);
	fprintf(stderr, "voices: serving on %s with %d workers\n", cfg->listen, p.n);
	supervise(cfg, &l, &p);
	rc = 0;
out:
	if (strchr(cfg->listen, '/') != NULL)
		unlink(cfg->listen);
	unlink(cfg->writer_socket);
	free(p.workers);
	server_unload(&l);
	return rc;
}
