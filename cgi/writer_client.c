/* writer_client: a web worker's side of the writer (writer.h).  A worker
 * hands over one message at a time and waits for its reply.  When the writer
 * goes (killed, restarted) the worker sees its connection end at once and
 * sends the same message to the next writer: a submission carries its form
 * nonce, so the next writer confirms it if the dead one had stored it, and
 * stores it otherwise; a vote replaces the same voter's earlier one.  The
 * worker gives up when no writer answers within RESOLVE_MS, or when
 * MAX_HANDOVERS writers in a row died holding the message (were the message
 * what kills them, it must not take every writer down for 20 s). */
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "util.h"
#include "wire.h"
#include "writer.h"

#define RESOLVE_MS	20000	/* under nginx's fastcgi_read_timeout (30 s) */
#define RECONNECT_MS	10	/* between attempts while no writer listens */
#define MAX_HANDOVERS	5

static void
pause_ms(long ms)
{
	struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000L };

	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

static void
writer_disconnect(struct app *app)
{
	if (app->writer_fd >= 0)
		close(app->writer_fd);
	app->writer_fd = -1;
}

static int
writer_connect(struct app *app)
{
	struct sockaddr_un sa;
	int fd, rc;

	if (writer_addr(&sa, app->cfg->writer_socket) < 0 ||
	    (fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	while ((rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa))) < 0 && errno == EINTR)
		;
	if (rc < 0) {
		close(fd);
		return -1;
	}
	return app->writer_fd = fd;
}

static int
send_once(int fd, const struct buf *msg)
{
	ssize_t n;

	while ((n = send(fd, msg->p, msg->len, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	return n == (ssize_t)msg->len ? 0 : -1;
}

enum wait { W_REPLY, W_GONE, W_TIMEOUT };

/* Waits for the reply until deadline.  W_GONE: the connection ended (the
 * writer died), so the message is to be sent again. */
static enum wait
wait_reply(int fd, long deadline, enum store_err *e)
{
	unsigned char r[WIRE_REPLY_BYTES];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	for (;;) {
		long left = deadline - mono_ms();
		int k;
		if (left <= 0)
			return W_TIMEOUT;
		if ((k = poll(&p, 1, (int)left)) < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return W_GONE;
		if (k == 0)
			continue;
		n = recv(fd, r, sizeof(r), MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n != sizeof(r) || wire_decode_reply(r, sizeof(r), e) != 0)
			return W_GONE;
		return W_REPLY;
	}
}

/* Sends msg and waits for its reply, to whichever writer is there. */
static enum store_err
round_trip(struct app *app, const struct buf *msg)
{
	long deadline = mono_ms() + RESOLVE_MS;
	enum store_err e = STORE_IO;
	int handovers = 0;

	while (mono_ms() < deadline && handovers < MAX_HANDOVERS) {
		if ((app->writer_fd >= 0 || writer_connect(app) >= 0) &&
		    send_once(app->writer_fd, msg) == 0) {
			switch (wait_reply(app->writer_fd, deadline, &e)) {
			case W_REPLY:
				return e;
			case W_TIMEOUT:
				writer_disconnect(app);
				return STORE_IO;
			case W_GONE:
				handovers++;
				break;
			}
		}
		writer_disconnect(app);
		pause_ms(RECONNECT_MS);
	}
	return STORE_IO;
}

enum store_err
writer_vote(struct app *app, const struct store_poll_vote *v)
{
	struct buf msg = BUF_INIT;
	enum store_err e = STORE_INVALID;

	if (wire_encode_vote(v, &msg) == 0 && !buf_failed(&msg) && msg.len <= WIRE_MAX_BYTES)
		e = round_trip(app, &msg);
	buf_free(&msg);
	return e;
}

enum store_err
writer_submit(struct app *app, const struct submission *s)
{
	struct buf msg = BUF_INIT;
	enum store_err e = STORE_INVALID;

	if (wire_encode_submission(s, &msg) == 0 && !buf_failed(&msg) &&
	    msg.len <= WIRE_MAX_BYTES)
		e = round_trip(app, &msg);
	buf_free(&msg);
	return e;
}
