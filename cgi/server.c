/* server: process supervision.  Signals reach the parent only through
 * sigtimedwait() (they are blocked), so no handler races with the loop.
 * Each process is restarted on its own schedule: at once, unless it failed
 * (an error exit or a crash) within QUICK_MS of its start, and then after a
 * delay that doubles with each such failure in a row (BACKOFF_MIN_MS up to
 * BACKOFF_MAX_MS), so a process that cannot start does not spin while the
 * others are replaced as fast as they die.  The writer is started before any worker due at the same time. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
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
#include "util.h"
#include "worker.h"
#include "writer.h"

#define QUICK_MS	100
#define BACKOFF_MIN_MS	10
#define BACKOFF_MAX_MS	1000
#define NUDGE_MS	1000	/* a stop or reload not yet obeyed is sent again */

struct proc {
	pid_t	 pid;		/* 0: not running */
	int	 quick;		/* deaths within QUICK_MS of the start, in a row */
	int	 gen;		/* the reload it was started after */
	long	 started;	/* ms */
	long	 due;		/* ms; when pid is 0: when to start it */
};

struct procs {
	struct proc	 writer;
	struct proc	*workers;
	int		 n;
	int		 gen;		/* reloads so far */
	int		 listen_fd, writer_fd;
};

/* Records every loaded survey version, so responses to it can be stored. */
static int
register_surveys(const struct config *cfg, const struct survey_set *set, int create)
{
	struct store *st = NULL;
	enum store_err e;

	e = store_open(cfg->database, STORE_APP | (create ? STORE_CREATE : 0), &st);
	if (e == STORE_OK)
		for (size_t i = 0; i < set->n && e == STORE_OK; i++)
			e = store_survey_register(st, set->v[i]);
	store_close(st);
	if (e != STORE_OK)
		fprintf(stderr, "voices: %s: %s\n", cfg->database, store_strerror(e));
	return e == STORE_OK ? 0 : -1;
}

int
loaded_read(const struct config *cfg, struct loaded *out, enum loaded_db db)
{
	char err[4096];

	memset(out, 0, sizeof(*out));
	if (survey_set_load(cfg->surveys, &out->surveys, err, sizeof(err)) != 0 ||
	    tmpl_set_load(cfg->templates, &out->tmpl, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		loaded_free(out);
		return -1;
	}
	if (db != LOADED_FILES_ONLY &&
	    register_surveys(cfg, out->surveys, db == LOADED_CREATE) != 0) {
		loaded_free(out);
		return -1;
	}
	return 0;
}

void
loaded_free(struct loaded *l)
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

/* In a new child: named for ps and top ("voices-writer", "voices-worker"),
 * and told to stop (SIGTERM) if the parent dies. */
static void
child_setup(pid_t parent, const char *name)
{
	prctl(PR_SET_NAME, name);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		raise(SIGTERM);
	sigprocmask(SIG_UNBLOCK, handled_signals(), NULL);
}

static pid_t
spawn_worker(const struct config *cfg, const struct loaded *l, const struct procs *p)
{
	struct app app = { .cfg = cfg, .surveys = l->surveys, .tmpl = l->tmpl, .writer_fd = -1 };
	pid_t parent = getpid(), pid = fork();

	if (pid != 0)
		return pid;
	child_setup(parent, "voices-worker");
	close(p->writer_fd);
	if (seal_key_read(cfg->secret_file, app.secret) != 0) {
		fprintf(stderr, "voices: cannot read %s (run `voices init`)\n", cfg->secret_file);
		_exit(1);
	}
	_exit(worker_run(&app, p->listen_fd) == 0 ? 0 : 1);
}

static pid_t
spawn_writer(const struct config *cfg, const struct loaded *l, const struct procs *p)
{
	pid_t parent = getpid(), pid = fork();

	if (pid != 0)
		return pid;
	child_setup(parent, "voices-writer");
	close(p->listen_fd);
	_exit(writer_run(cfg, l->surveys, p->writer_fd) == 0 ? 0 : 1);
}

/* A death that says the program itself failed: an error exit or a crash.  A
 * process killed from outside (SIGKILL: the OOM killer, an administrator;
 * SIGTERM) is started again at once, however soon it died. */
static int
failed(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status) != 0;
	return WTERMSIG(status) != SIGKILL && WTERMSIG(status) != SIGTERM &&
	    WTERMSIG(status) != SIGINT;
}

/* Marks a process dead and sets when it is to be started again. */
static void
died(struct proc *pr, int status, long now)
{
	int failed_start = failed(status) && now - pr->started < QUICK_MS;

	long delay = 0;

	pr->quick = failed_start ? pr->quick + 1 : 0;
	if (pr->quick > 0)
		delay = (long)BACKOFF_MIN_MS << (pr->quick < 8 ? pr->quick - 1 : 7);
	pr->pid = 0;
	pr->due = now + (delay < BACKOFF_MAX_MS ? delay : BACKOFF_MAX_MS);
}

static void
reap(struct procs *p)
{
	long now = mono_ms();
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == p->writer.pid)
			died(&p->writer, status, now);
		for (int i = 0; i < p->n; i++)
			if (p->workers[i].pid == pid)
				died(&p->workers[i], status, now);
	}
}

static void
start(struct proc *pr, pid_t pid, int gen)
{
	pr->pid = pid > 0 ? pid : 0;
	pr->started = mono_ms();
	pr->gen = gen;
	if (pid < 0)
		pr->due = pr->started + BACKOFF_MAX_MS;	/* fork failed */
}

/* Starts every process that is due, the writer first; workers only when
 * with_workers (not while draining). */
static void
start_due(const struct config *cfg, const struct loaded *l, struct procs *p, int with_workers)
{
	long now = mono_ms();

	if (p->writer.pid == 0 && p->writer.due <= now)
		start(&p->writer, spawn_writer(cfg, l, p), p->gen);
	for (int i = 0; with_workers && i < p->n; i++)
		if (p->workers[i].pid == 0 && p->workers[i].due <= now)
			start(&p->workers[i], spawn_worker(cfg, l, p), p->gen);
}

/* Milliseconds until the next process is due (at most NUDGE_MS). */
static long
next_due(const struct procs *p, int with_workers)
{
	long now = mono_ms(), next = now + NUDGE_MS;

	if (p->writer.pid == 0 && p->writer.due < next)
		next = p->writer.due;
	for (int i = 0; with_workers && i < p->n; i++)
		if (p->workers[i].pid == 0 && p->workers[i].due < next)
			next = p->workers[i].due;
	return next > now ? next - now : 0;
}

/* Waits up to ms for a signal; 0 when none came. */
static int
wait_signal(long ms)
{
	struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000L };
	int sig = sigtimedwait(handled_signals(), NULL, &t);

	return sig > 0 ? sig : 0;
}

static int
workers_alive(const struct procs *p)
{
	for (int i = 0; i < p->n; i++)
		if (p->workers[i].pid > 0)
			return 1;
	return 0;
}

/* SIGTERM to every worker started before reload number gen. */
static void
stop_workers(const struct procs *p, int gen)
{
	for (int i = 0; i < p->n; i++)
		if (p->workers[i].pid > 0 && p->workers[i].gen < gen)
			kill(p->workers[i].pid, SIGTERM);
}

/* Workers first, each finishing the request in hand, while the writer (kept
 * running, restarted if it dies) answers them; then the writer, which
 * commits and answers what it holds.  Workers that missed the stop get it
 * again every NUDGE_MS. */
static void
drain(const struct config *cfg, const struct loaded *l, struct procs *p)
{
	p->gen++;
	stop_workers(p, p->gen);
	while (workers_alive(p)) {
		int sig = wait_signal(next_due(p, 0));
		if (sig == SIGCHLD)
			reap(p);
		else if (sig == 0)
			stop_workers(p, p->gen);
		start_due(cfg, l, p, 0);
	}
	if (p->writer.pid > 0)
		kill(p->writer.pid, SIGTERM);
	while (p->writer.pid > 0)
		if (wait_signal(NUDGE_MS) == SIGCHLD)
			reap(p);
}

static void
reload(const struct config *cfg, struct loaded *l, struct procs *p)
{
	struct loaded fresh;

	if (loaded_read(cfg, &fresh, LOADED_REGISTER) != 0) {
		fprintf(stderr, "voices: reload refused; still serving the previous surveys\n");
		return;
	}
	loaded_free(l);
	*l = fresh;
	p->gen++;
	stop_workers(p, p->gen);	/* each is replaced, with the new set, as it exits */
	if (p->writer.pid > 0)
		kill(p->writer.pid, SIGHUP);	/* it reads the survey files again */
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

/* Workers of an earlier reload still running missed its SIGTERM (it came
 * just before their accept()): they are sent it again every NUDGE_MS. */
static void
supervise(const struct config *cfg, struct loaded *l, struct procs *p)
{
	for (;;) {
		int sig = wait_signal(next_due(p, 1));
		if (sig == SIGCHLD)
			reap(p);
		else if (sig == SIGHUP)
			reload(cfg, l, p);
		else if (sig == SIGTERM || sig == SIGINT)
			break;
		else if (sig == 0)
			stop_workers(p, p->gen);
		start_due(cfg, l, p, 1);
	}
	drain(cfg, l, p);
}

int
server_run(const struct config *cfg)
{
	struct procs p = { .n = cfg->workers, .listen_fd = -1, .writer_fd = -1 };
	struct loaded l;
	int rc = 1;

	if (loaded_read(cfg, &l, LOADED_REGISTER) != 0)
		return 1;
	sigprocmask(SIG_BLOCK, handled_signals(), NULL);
	if (FCGX_Init() != 0 || open_sockets(cfg, &p) != 0 || drop_privileges(cfg->user) != 0)
		goto out;
	if ((p.workers = calloc((size_t)p.n, sizeof(*p.workers))) == NULL)
		goto out;
	start_due(cfg, &l, &p, 1);
	fprintf(stderr, "voices: serving on %s with %d workers\n", cfg->listen, p.n);
	supervise(cfg, &l, &p);
	rc = 0;
out:
	if (strchr(cfg->listen, '/') != NULL)
		unlink(cfg->listen);
	unlink(cfg->writer_socket);
	free(p.workers);
	loaded_free(&l);
	return rc;
}
