/* writer: group commit.  Invariant: a client gets a reply only after
 * store_responses_add returned for the batch holding its submission; each
 * client has at most one submission in flight (workers wait for the reply). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include "checkpointer.h"
#include "lifecycle.h"
#include "purge.h"
#include "tally.h"
#include "wire.h"
#include "writer.h"

#define MAX_CLIENTS	1024
#define MAX_MSG		WIRE_MAX_BYTES

static volatile sig_atomic_t stopping, reloading;

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static void
on_hup(int sig)
{
	(void)sig;
	reloading = 1;
}

int
writer_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa->sun_path, path);
	return 0;
}

int
writer_listen(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	if (writer_addr(&sa, path) < 0)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(path, 0600) < 0 ||
	    listen(fd, MAX_CLIENTS) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

struct batch {
	struct arena		*a;
	struct submission	*subs[MAX_CLIENTS];
	int			 fds[MAX_CLIENTS];
	enum store_err		 res[MAX_CLIENTS];
	size_t			 n;
	size_t			 open;		/* subs[0..open) passed the last check */
	char			 takes[MAX_CLIENTS];	/* last_check: the survey takes forms */
	/* poll votes: committed in their own transaction after the submissions */
	struct store_poll_vote	*votes[MAX_CLIENTS];
	int			 vfds[MAX_CLIENTS];
	enum store_err		 vres[MAX_CLIENTS];
	size_t			 nv;
};

static int
reply(int fd, enum store_err e)
{
	unsigned char r[WIRE_REPLY_BYTES];

	wire_encode_reply(e, r);
	return send(fd, r, sizeof(r), MSG_NOSIGNAL) == sizeof(r) ? 0 : -1;
}

static int
take_vote(struct batch *b, int fd, const unsigned char *msg, size_t n)
{
	struct store_poll_vote *v = arena_calloc(b->a, 1, sizeof(*v));

	if (v == NULL || wire_decode_vote(msg, n, b->a, v) != 0)
		return reply(fd, STORE_INVALID);
	b->votes[b->nv] = v;
	b->vfds[b->nv++] = fd;
	return 0;
}

/* Reads one message from client fd into the batch; -1 when the client is gone. */
static int
take_message(struct batch *b, int fd, unsigned char *msg)
{
	struct submission *s;
	ssize_t n = recv(fd, msg, MAX_MSG, MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0)
		return -1;
	if (wire_kind_of(msg, (size_t)n) == WIRE_VOTE)
		return take_vote(b, fd, msg, (size_t)n);
	if ((s = arena_calloc(b->a, 1, sizeof(*s))) == NULL ||
	    wire_decode_submission(msg, (size_t)n, b->a, s) != 0)
		return reply(fd, STORE_INVALID);
	b->subs[b->n] = s;
	b->fds[b->n++] = fd;
	return 0;
}

/* The writer process's state.  full: there is no reserve file (store_space.c),
 * so new writes are refused and only forms already stored are confirmed. */
struct writer {
	const struct config	*cfg;
	const char		*db;
	struct store		*st;
	struct checkpointer	*ck;
	int			 full;
	enum store_space	 said;		/* the disk's state last logged */
	time_t			 looked;	/* when the disk was last looked at */
	time_t			 purged;	/* when the retention purge last ran */
	time_t			 purge_looked;	/* when it was last asked whether one is due */
	/* the survey files, to add new responses to kept counts (tally_keeper):
	 * the parent's set as it was when this process started, or own, read
	 * again after a reload */
	const struct survey_set	*surveys;
	struct survey_set	*own;
	struct store_counter	 counter;
};

/* Logs a change of the disk's state; the path and sizes only. */
static void
say_space(struct writer *w, enum store_space sp, uint64_t free_bytes)
{
	static const char *const what[] = {
		[STORE_SPACE_OK] = "disk space available again",
		[STORE_SPACE_LOW] = "disk nearly full",
		[STORE_SPACE_FULL] = "disk full: new responses get the try-again page until there is room",
		[STORE_SPACE_UNKNOWN] = "cannot tell how full the disk is",
	};

	if (sp == w->said || (sp == STORE_SPACE_OK && w->said == STORE_SPACE_UNKNOWN))
		return;
	fprintf(stderr, "voices writer: %s: %.1f MiB free beside %s\n", what[sp],
	    (double)free_bytes / (1024 * 1024), w->db);
	w->said = sp;
}

/* Makes the reserve again when it is missing and there is room, ending the
 * refusal of writes; logs what changed.  At most once a second unless now. */
static void
look_at_disk(struct writer *w, int now)
{
	uint64_t free_bytes;
	enum store_space sp;

	if (!now && time(NULL) == w->looked)
		return;
	w->looked = time(NULL);
	sp = store_space(w->db, &free_bytes);
	if (sp == STORE_SPACE_FULL && store_reserve_make(w->db) == STORE_OK)
		sp = store_space(w->db, &free_bytes);
	w->full = sp == STORE_SPACE_FULL;
	say_space(w, sp, free_bytes);
}

/* A commit met a full disk.  The reserve's room lets a checkpoint copy the
 * WAL into the database file and truncate it, so nothing is left that needs
 * room to be drained later; writes are refused until look_at_disk finds
 * room for the reserve again. */
static void
make_room(struct writer *w)
{
	store_reserve_release(w->db);
	w->full = 1;
	checkpointer_enter(w->ck);
	if (store_checkpoint(w->st, STORE_CKPT_TRUNCATE, NULL, NULL) != STORE_OK)
		fprintf(stderr, "voices writer: disk full and the WAL could not be drained\n");
	checkpointer_leave(w->ck);
}

/* 1 when the survey takes forms: the last check before the commit, through
 * the same decision the pages use (lc_decide), of the close an admin stored
 * (the file's dates were the worker's to check: the writer has no survey
 * files).  A state that cannot be read says yes: the commit meets the same
 * trouble and says so. */
static int
takes_forms(struct writer *w, const char *survey)
{
	struct store_survey_state ss;
	struct lc_view v;

	if (store_survey_state_get(w->st, survey, &ss) != STORE_OK)
		return 1;
	lc_decide(NULL, &ss.ov, lc_now(), &v);
	return lc_takes_forms(v.state);
}

/* b->takes[i]: whether the survey of submission i takes forms, read once
 * per survey of the batch (a batch is mostly one survey's). */
static void
look_up_surveys(struct writer *w, struct batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		const char *sv = b->subs[i]->survey;
		size_t j = 0;
		while (sv != NULL && j < i && (b->subs[j]->survey == NULL ||
		    strcmp(b->subs[j]->survey, sv) != 0))
			j++;
		b->takes[i] = sv != NULL && j < i ? b->takes[j] : takes_forms(w, sv);
	}
}

/* 1 when submission i may not be committed: its survey takes no more forms
 * and it was not stored before (such a form is left in, to be confirmed). */
static int
closed(struct writer *w, struct batch *b, size_t i)
{
	int seen = 0;

	if (b->takes[i])
		return 0;
	return !(store_nonce_seen(w->st, b->subs[i]->nonce, &seen) == STORE_OK && seen);
}

/* Moves the submissions of closed surveys to the end of the batch with
 * STORE_CLOSED; b->open says how many are left in front to commit. */
static void
last_check(struct writer *w, struct batch *b)
{
	look_up_surveys(w, b);
	b->open = b->n;
	for (size_t i = b->n; i-- > 0;) {
		struct submission *s = b->subs[i];
		int fd = b->fds[i];
		if (!closed(w, b, i))
			continue;
		b->open--;
		b->subs[i] = b->subs[b->open];
		b->fds[i] = b->fds[b->open];
		b->res[i] = b->res[b->open];
		b->takes[i] = b->takes[b->open];
		b->subs[b->open] = s;
		b->fds[b->open] = fd;
		b->res[b->open] = STORE_CLOSED;
	}
}

static enum store_err
add_batch(struct writer *w, struct batch *b)
{
	enum store_err e = STORE_FULL;

	if (b->n == 0)
		return STORE_OK;
	checkpointer_enter(w->ck);
	last_check(w, b);
	if (!w->full)
		e = b->open == 0 ? STORE_OK : store_responses_add(w->st, b->subs, b->open, b->res);
	checkpointer_leave(w->ck);
	return e;
}

/* A batch that could not be committed: each form stored before (its reply
 * lost with a writer that died) is confirmed; the others get e.  Once the
 * database cannot be asked, the rest are not asked either (each would wait
 * for a connection in vain): they get e, never a confirmation. */
static void
resolve(struct writer *w, struct batch *b, enum store_err e)
{
	int asking = 1;

	for (size_t i = 0; i < b->open; i++) {
		int seen = 0;
		if (asking && store_nonce_seen(w->st, b->subs[i]->nonce, &seen) != STORE_OK)
			asking = 0;
		b->res[i] = asking && seen ? STORE_DUPLICATE : e;
	}
}

static void
commit_votes(struct writer *w, struct batch *b)
{
	enum store_err e = STORE_FULL;

	checkpointer_enter(w->ck);
	if (!w->full)
		e = store_poll_votes_add(w->st, (const struct store_poll_vote *const *)b->votes,
		    b->nv, b->vres);
	checkpointer_leave(w->ck);
	if (e == STORE_FULL && !w->full)
		make_room(w);
	for (size_t i = 0; i < b->nv; i++)
		(void)reply(b->vfds[i], e == STORE_OK ? b->vres[i] : e);
	if (e != STORE_OK && e != STORE_FULL)
		fprintf(stderr, "voices writer: %zu poll votes not stored: %s\n", b->nv,
		    store_strerror(e));
	b->nv = 0;
}

/* Commits under the checkpointer's gate (see checkpointer.h); replies after.
 * A full disk: room is made and the batch tried once more.  A lost database
 * connection (PostgreSQL) was connected again inside store_responses_add,
 * which settled the batch by its nonces; it is logged, counts only. */
static void
commit_batch(struct writer *w, struct batch *b)
{
	unsigned lost = store_losses(w->st);
	enum store_err e = add_batch(w, b);

	if (store_losses(w->st) != lost)
		fprintf(stderr, "voices writer: database connection lost %u time(s) and connected"
		    " again; batch of %zu %s\n", store_losses(w->st) - lost, b->n,
		    e == STORE_OK ? "stored or settled by the forms' nonces" :
		    "not settled: the try-again page for those not found stored");

	if (e == STORE_FULL && !w->full) {
		make_room(w);
		look_at_disk(w, 1);
		if ((e = add_batch(w, b)) == STORE_FULL && !w->full)
			make_room(w);
	}
	if (e != STORE_OK)
		resolve(w, b, e);
	if (e != STORE_OK && e != STORE_FULL)	/* a full disk is logged once, by say_space */
		fprintf(stderr, "voices writer: batch of %zu not stored: %s\n", b->n,
		    store_strerror(e));
	for (size_t i = 0; i < b->n; i++)
		(void)reply(b->fds[i], b->res[i]);	/* a dead client just misses it */
	b->n = 0;
	if (b->nv > 0)
		commit_votes(w, b);
	arena_reset(b->a);
}

/* The retention purge (purge.h), run here between two commits: the
 * writer's own connection deletes, truncates the WAL and VACUUMs while no
 * batch is in flight, so submissions arriving meanwhile wait in their
 * sockets and are committed, then confirmed, after it.  Not while the disk
 * is full (deletes need room in the WAL), nor once stopping. */
static void
daily_purge(struct writer *w)
{
	struct purge_totals t;
	time_t now = time(NULL);

	if (stopping || w->full || now == w->purge_looked)
		return;
	w->purge_looked = now;		/* asked at most once a second */
	if (!purge_due(w->cfg, now, w->purged))
		return;
	w->purged = now;
	checkpointer_enter(w->ck);
	if (purge_run(w->cfg, w->st, 0, "system", stderr, "voices writer: purge: ", &t) != 0)
		fprintf(stderr, "voices writer: purge: not finished; tried again next time\n");
	checkpointer_leave(w->ck);
}

static void
drop_client(struct pollfd *p, size_t *np, size_t i)
{
	close(p[i].fd);
	p[i] = p[--*np];
}

/* After a reload (SIGHUP, passed on by the parent), the survey files are
 * read again, between two commits, so that the counts the pages keep, made
 * from the new files, can still be added to.  If they cannot be read, the
 * previous ones stay: counts of another file are just not added to. */
static void
reload_surveys(struct writer *w)
{
	struct survey_set *fresh;
	char err[512];

	reloading = 0;
	if (survey_set_load(w->cfg->surveys, &fresh, err, sizeof(err)) != 0) {
		fprintf(stderr, "voices writer: surveys not read again: %s\n", err);
		return;
	}
	w->surveys = fresh;
	survey_set_free(w->own);
	w->own = fresh;
}

/* Serves until SIGTERM and then on, until no worker is connected and none is
 * waiting to be: a worker that handed over a submission gets its reply even
 * when the whole process group was told to stop. */
static int
serve(struct writer *w, int listen_fd, struct batch *b, unsigned char *msg)
{
	static struct pollfd p[MAX_CLIENTS + 1];
	size_t np = 1;

	p[0] = (struct pollfd){ .fd = listen_fd, .events = POLLIN };
	for (;;) {
		int idle = stopping && np == 1;
		if (poll(p, np, idle ? 0 : 1000) < 0) {
			if (errno != EINTR)
				return -1;
			continue;
		}
		if (idle && (p[0].revents & POLLIN) == 0)
			break;
		if ((p[0].revents & POLLIN) && np <= MAX_CLIENTS) {
			int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
			if (fd >= 0)
				p[np++] = (struct pollfd){ .fd = fd, .events = POLLIN };
		}
		for (size_t i = np; i-- > 1;) {
			if (p[i].revents == 0)
				continue;
			if ((p[i].revents & POLLIN) == 0 || take_message(b, p[i].fd, msg) < 0)
				drop_client(p, &np, i);
		}
		if (b->n > 0 || b->nv > 0)
			commit_batch(w, b);
		look_at_disk(w, 0);
		daily_purge(w);
		if (reloading)
			reload_surveys(w);
	}
	return 0;
}

/* Nonces are stored as keyed hashes under a key derived from the server secret. */
static int
set_nonce_key(struct store *st, const char *secret_file)
{
	unsigned char secret[32], key[STORE_NONCE_KEY_BYTES];

	if (seal_key_read(secret_file, secret) != 0) {
		fprintf(stderr, "voices writer: cannot read %s\n", secret_file);
		return -1;
	}
	crypto_generichash(key, sizeof(key), (const unsigned char *)"voices nonce key", 16,
	    secret, sizeof(secret));
	store_set_nonce_key(st, key);
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(key, sizeof(key));
	return 0;
}

int
writer_run(const struct config *cfg, const struct survey_set *surveys, int listen_fd)
{
	unsigned char pk[SEAL_KEY_BYTES];
	struct writer w = { .cfg = cfg, .db = cfg->database, .said = STORE_SPACE_UNKNOWN,
	    .purged = cfg->purge_interval > 0 ? time(NULL) : 0, .surveys = surveys };
	struct batch *b = NULL;
	unsigned char *msg = NULL;
	struct sigaction sa;
	enum store_err e;
	int rc = -1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_hup;
	sa.sa_flags = SA_RESTART;	/* no call is cut short by a reload; poll still wakes */
	sigaction(SIGHUP, &sa, NULL);
	if (seal_key_read(cfg->public_key, pk) != 0) {
		fprintf(stderr, "voices writer: cannot read public key %s\n", cfg->public_key);
		goto out;
	}
	if ((e = store_open(cfg->database, 0, &w.st)) != STORE_OK) {
		fprintf(stderr, "voices writer: %s: %s\n", cfg->database, store_strerror(e));
		goto out;
	}
	store_set_recipient(w.st, pk);
	if (set_nonce_key(w.st, cfg->secret_file) != 0)
		goto out;
	store_set_busy_timeout(w.st, cfg->busy_timeout_ms);
	tally_keeper(&w.counter, &w.surveys);
	store_set_counter(w.st, &w.counter);
	if ((b = calloc(1, sizeof(*b))) == NULL || (b->a = arena_new(256 * 1024)) == NULL ||
	    (msg = malloc(MAX_MSG)) == NULL)
		goto out;
	w.ck = checkpointer_start(cfg->database, w.st);	/* NULL: st checkpoints itself */
	look_at_disk(&w, 1);
	rc = serve(&w, listen_fd, b, msg);
out:
	checkpointer_stop(w.ck);
	if (b)
		arena_free(b->a);
	free(b);
	free(msg);
	store_close(w.st);
	survey_set_free(w.own);
	return rc;
}
