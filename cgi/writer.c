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
#include <unistd.h>
#include <sodium.h>
#include "checkpointer.h"
#include "wire.h"
#include "writer.h"

#define MAX_CLIENTS	1024
#define MAX_MSG		WIRE_MAX_BYTES

static volatile sig_atomic_t stopping;

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static int
unix_addr(struct sockaddr_un *sa, const char *path)
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

	if (unix_addr(&sa, path) < 0)
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

static void
commit_votes(struct store *st, struct checkpointer *ck, struct batch *b)
{
	enum store_err e;

	checkpointer_enter(ck);
	e = store_poll_votes_add(st, (const struct store_poll_vote *const *)b->votes, b->nv,
	    b->vres);
	checkpointer_leave(ck);

	for (size_t i = 0; i < b->nv; i++)
		(void)reply(b->vfds[i], b->vres[i]);
	if (e != STORE_OK)
		fprintf(stderr, "voices writer: %zu poll votes not stored: %s\n", b->nv,
		    store_strerror(e));
	b->nv = 0;
}

/* Commits under the checkpointer's gate (see checkpointer.h); replies after. */
static void
commit_batch(struct store *st, struct checkpointer *ck, struct batch *b)
{
	enum store_err e;

	checkpointer_enter(ck);
	e = b->n > 0 ? store_responses_add(st, b->subs, b->n, b->res) : STORE_OK;
	checkpointer_leave(ck);

	for (size_t i = 0; i < b->n; i++) {
		unsigned char r[WIRE_REPLY_BYTES];
		wire_encode_reply(e == STORE_OK ? b->res[i] : e, r);
		(void)send(b->fds[i], r, sizeof(r), MSG_NOSIGNAL);	/* a dead client just misses it */
	}
	if (e != STORE_OK)
		fprintf(stderr, "voices writer: batch of %zu not stored: %s\n", b->n,
		    store_strerror(e));
	b->n = 0;
	if (b->nv > 0)
		commit_votes(st, ck, b);
	arena_reset(b->a);
}

static void
drop_client(struct pollfd *p, size_t *np, size_t i)
{
	close(p[i].fd);
	p[i] = p[--*np];
}

static int
serve(struct store *st, struct checkpointer *ck, int listen_fd, struct batch *b,
    unsigned char *msg)
{
	static struct pollfd p[MAX_CLIENTS + 1];
	size_t np = 1;

	p[0] = (struct pollfd){ .fd = listen_fd, .events = POLLIN };
	while (!stopping) {
		if (poll(p, np, 1000) < 0 && errno != EINTR)
			return -1;
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
			commit_batch(st, ck, b);
	}
	for (size_t i = 1; i < np; i++)
		close(p[i].fd);
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
writer_run(const struct config *cfg, int listen_fd)
{
	unsigned char pk[SEAL_KEY_BYTES];
	struct store *st = NULL;
	struct checkpointer *ck = NULL;
	struct batch *b = NULL;
	unsigned char *msg = NULL;
	struct sigaction sa;
	enum store_err e;
	int rc = -1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (seal_key_read(cfg->public_key, pk) != 0) {
		fprintf(stderr, "voices writer: cannot read public key %s\n", cfg->public_key);
		goto out;
	}
	if ((e = store_open(cfg->database, 0, &st)) != STORE_OK) {
		fprintf(stderr, "voices writer: %s: %s\n", cfg->database, store_strerror(e));
		goto out;
	}
	store_set_recipient(st, pk);
	if (set_nonce_key(st, cfg->secret_file) != 0)
		goto out;
	store_set_busy_timeout(st, cfg->busy_timeout_ms);
	if ((b = calloc(1, sizeof(*b))) == NULL || (b->a = arena_new(256 * 1024)) == NULL ||
	    (msg = malloc(MAX_MSG)) == NULL)
		goto out;
	ck = checkpointer_start(cfg->database, st);	/* NULL: st checkpoints itself */
	rc = serve(st, ck, listen_fd, b, msg);
out:
	checkpointer_stop(ck);
	if (b)
		arena_free(b->a);
	free(b);
	free(msg);
	store_close(st);
	return rc;
}

static int
writer_connect(struct app *app)
{
	struct sockaddr_un sa;
	struct timeval tv = { .tv_sec = 30 };
	int fd;

	if (unix_addr(&sa, app->cfg->writer_socket) < 0 ||
	    (fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return app->writer_fd = fd;
}

static void
writer_disconnect(struct app *app)
{
	if (app->writer_fd >= 0)
		close(app->writer_fd);
	app->writer_fd = -1;
}

/* Sends msg, reconnecting once: a failed send delivered nothing, so resending is safe. */
static int
send_message(struct app *app, const struct buf *msg)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		if (app->writer_fd < 0 && writer_connect(app) < 0)
			continue;
		if (send(app->writer_fd, msg->p, msg->len, MSG_NOSIGNAL) == (ssize_t)msg->len)
			return 0;
		writer_disconnect(app);
	}
	return -1;
}

/* Sends an encoded message and waits for its reply. */
static enum store_err
round_trip(struct app *app, const struct buf *msg)
{
	unsigned char r[WIRE_REPLY_BYTES];
	enum store_err e = STORE_IO;

	if (send_message(app, msg) < 0)
		return STORE_IO;
	if (recv(app->writer_fd, r, sizeof(r), 0) != sizeof(r) ||
	    wire_decode_reply(r, sizeof(r), &e) != 0) {
		writer_disconnect(app);
		e = STORE_IO;
	}
	return e;
}

enum store_err
writer_vote(struct app *app, const struct store_poll_vote *v)
{
	struct buf msg = BUF_INIT;
	enum store_err e = STORE_INVALID;

	if (wire_encode_vote(v, &msg) == 0 && !buf_failed(&msg) && msg.len <= MAX_MSG)
		e = round_trip(app, &msg);
	buf_free(&msg);
	return e;
}

enum store_err
writer_submit(struct app *app, const struct submission *s)
{
	struct buf msg = BUF_INIT;
	unsigned char r[WIRE_REPLY_BYTES];
	enum store_err e = STORE_IO;

	if (wire_encode_submission(s, &msg) != 0 || buf_failed(&msg) || msg.len > MAX_MSG) {
		e = STORE_INVALID;
		goto out;
	}
	if (send_message(app, &msg) < 0)
		goto out;
	if (recv(app->writer_fd, r, sizeof(r), 0) != sizeof(r) ||
	    wire_decode_reply(r, sizeof(r), &e) != 0) {
		writer_disconnect(app);
		e = STORE_IO;
	}
out:
	buf_free(&msg);
	return e;
}
