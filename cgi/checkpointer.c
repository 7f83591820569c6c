/* checkpointer: every TICK_MS a PASSIVE checkpoint, which waits for no one:
 * it copies what the oldest reader no longer needs, and the writer keeps
 * committing meanwhile.  PASSIVE alone leaves two things undone:
 *  - the WAL starts over only when a write transaction begins with every
 *    frame copied, which never happens while the writer commits back to back
 *    and a checkpoint runs beside it.  So past restart_at frames the thread
 *    catches up, then takes the gate (the writer is between transactions)
 *    for a RESTART that copies the little left;
 *  - the -wal file keeps its largest size: after IDLE_TICKS without a new
 *    frame, a TRUNCATE under the gate.
 * Both run with a busy timeout of 0, so a reader still in the WAL (the
 * analysis tool's long read) makes them give up at once instead of stalling
 * the writer; the WAL then grows until that reader is gone.
 *
 * The thread also deletes expired drafts (store_draft_sweep) when it starts
 * and then every SWEEP_TICKS, so a draft past its day is erased even when no
 * one writes a draft for weeks; a sweep that finds the database busy is
 * tried again at the next tick. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "checkpointer.h"

#define TICK_MS		50	/* a PASSIVE checkpoint this often */
#define CAP_PAGES	8192	/* WAL frames (32 MiB of 4 KiB pages) before a RESTART */
#define IDLE_TICKS	20	/* WAL unchanged this long (1 s): TRUNCATE, then every 1 s */
#define CATCH_UP_PASSES	4	/* PASSIVE passes before a RESTART ... */
#define CATCH_UP_DONE	64	/* ... unless one copies no more frames than this */
#define SWEEP_TICKS	(3600 * 1000 / TICK_MS)	/* expired drafts deleted hourly */

struct checkpointer {
	struct store	*st;		/* this thread's own connection */
	pthread_t	 thread;
	pthread_mutex_t	 gate;		/* held by the writer across each commit */
	atomic_int	 stop;
	/* the thread's alone */
	int		 last_log;	/* WAL frames at the previous tick */
	int		 idle;		/* ticks since the WAL last changed */
	int		 restart_at;	/* WAL frames that call for a RESTART */
	int		 sweep_in;	/* ticks to the next sweep of expired drafts */
};

void
checkpointer_enter(struct checkpointer *c)
{
	if (c != NULL)
		pthread_mutex_lock(&c->gate);
}

void
checkpointer_leave(struct checkpointer *c)
{
	if (c != NULL)
		pthread_mutex_unlock(&c->gate);
}

/* A RESTART or TRUNCATE with the writer held between transactions. */
static enum store_err
gated(struct checkpointer *c, enum store_ckpt mode)
{
	enum store_err e;

	checkpointer_enter(c);
	e = store_checkpoint(c->st, mode, NULL, NULL);
	checkpointer_leave(c);
	return e;
}

/* Copies what the writer committed during the last pass, and again, so that
 * the RESTART holds the writer for little.  A failed RESTART (a reader or
 * another process in the way) is tried again only CAP_PAGES later. */
static void
restart(struct checkpointer *c, int log, int done)
{
	for (int i = 0; i < CATCH_UP_PASSES; i++) {
		int before = done;
		if (store_checkpoint(c->st, STORE_CKPT_PASSIVE, &log, &done) != STORE_OK ||
		    done - before <= CATCH_UP_DONE)
			break;
	}
	if (gated(c, STORE_CKPT_RESTART) == STORE_OK)
		c->restart_at = CAP_PAGES;
	else
		c->restart_at = log + CAP_PAGES;
}

static void
tick(struct checkpointer *c)
{
	int log, done;

	if (--c->sweep_in <= 0) {	/* between the writer's commits */
		checkpointer_enter(c);
		c->sweep_in = store_draft_sweep(c->st, (long)(time(NULL) / 86400)) == STORE_OK
		    ? SWEEP_TICKS : 1;
		checkpointer_leave(c);
	}

	if (store_checkpoint(c->st, STORE_CKPT_PASSIVE, &log, &done) != STORE_OK)
		return;		/* another process is checkpointing */
	c->idle = log == c->last_log ? c->idle + 1 : 0;
	c->last_log = log;
	if (log >= c->restart_at)
		restart(c, log, done);
	else if (log > 0 && c->idle > 0 && c->idle % IDLE_TICKS == 0)
		(void)gated(c, STORE_CKPT_TRUNCATE);
}

static void *
run(void *arg)
{
	struct checkpointer *c = arg;
	const struct timespec pause = { .tv_nsec = TICK_MS * 1000000L };

	while (!atomic_load(&c->stop)) {
		nanosleep(&pause, NULL);
		tick(c);
	}
	/* Tidiness, not safety: frames left in the WAL are as durable. */
	(void)gated(c, STORE_CKPT_TRUNCATE);
	return NULL;
}

/* Starts the thread with every signal blocked, so SIGTERM reaches the
 * writer's poll() and not this thread. */
static int
spawn(struct checkpointer *c)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&c->thread, NULL, run, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

struct checkpointer *
checkpointer_start(const char *path, struct store *writer)
{
	struct checkpointer *c = calloc(1, sizeof *c);
	enum store_err e = STORE_NOMEM;

	if (c == NULL || (e = store_open(path, 0, &c->st)) != STORE_OK) {
		fprintf(stderr, "voices writer: no checkpoint thread: %s\n", store_strerror(e));
		free(c);
		return NULL;
	}
	store_set_busy_timeout(c->st, 0);	/* see the top of the file */
	c->restart_at = CAP_PAGES;
	atomic_init(&c->stop, 0);
	if (pthread_mutex_init(&c->gate, NULL) != 0 || spawn(c) != 0) {
		fprintf(stderr, "voices writer: no checkpoint thread\n");
		store_close(c->st);
		free(c);
		return NULL;
	}
	(void)store_set_autocheckpoint(writer, 0);	/* cannot fail on an open store */
	return c;
}

void
checkpointer_stop(struct checkpointer *c)
{
	if (c == NULL)
		return;
	atomic_store(&c->stop, 1);
	pthread_join(c->thread, NULL);
	pthread_mutex_destroy(&c->gate);
	store_close(c->st);
	free(c);
}
