/* hello: the reference for the page benchmark.  A minimal libfcgi program
 * that answers every request with the same bytes, held in memory, as the
 * app's survey page (a captured CGI response: headers, blank line, body).
 *
 *   hello SOCKET RESPONSE_FILE PROCESSES [linger]
 *
 * PROCESSES single-threaded processes share the listening socket, as the
 * app's workers do, so the two are compared at the same parallelism.  The
 * first process only waits: on SIGTERM it stops the others and reaps them.
 * The accept loop is the fastest one found here: read the request's input to
 * its end, write, FCGX_Detach, FCGX_Finish_r.  Detached, libfcgi closes the
 * connection at once instead of half-closing and waiting for nginx to close
 * it; reading the input to its end first means the socket is closed with
 * nothing unread in it, so the close is a FIN, never a reset that could cut
 * the response.  "linger" keeps libfcgi's default close, for comparison. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcgiapp.h>

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (p = malloc((size_t)n)) != NULL && fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	} else if (p != NULL)
		*len = (size_t)n;
	fclose(f);
	return p;
}

/* Forks procs servers; returns 0 in each of them, 1 in the parent once they
 * are gone (after SIGTERM or SIGINT). */
static int
supervise(int procs)
{
	pid_t pids[256];
	sigset_t set;
	int n = 0, sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	while (n < procs && n < 256) {
		if ((pids[n] = fork()) == 0) {
			sigprocmask(SIG_UNBLOCK, &set, NULL);
			return 0;
		}
		n += pids[n] > 0;
	}
	sigwait(&set, &sig);
	for (int i = 0; i < n; i++)
		kill(pids[i], SIGTERM);
	for (int i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
	return 1;
}

int
main(int argc, char **argv)
{
	FCGX_Request fr;
	char drain[4096], *resp;
	size_t len = 0;
	int fd, linger, procs;

	if (argc < 4 || argc > 5 || (procs = atoi(argv[3])) < 1) {
		fprintf(stderr, "usage: hello SOCKET RESPONSE_FILE PROCESSES [linger]\n");
		return 2;
	}
	linger = argc == 5 && strcmp(argv[4], "linger") == 0;
	signal(SIGPIPE, SIG_IGN);
	if ((resp = slurp(argv[2], &len)) == NULL || FCGX_Init() != 0 ||
	    (fd = FCGX_OpenSocket(argv[1], 1024)) < 0 || FCGX_InitRequest(&fr, fd, 0) != 0) {
		fprintf(stderr, "hello: cannot start\n");
		return 1;
	}
	if (supervise(procs) != 0)
		return 0;
	while (FCGX_Accept_r(&fr) >= 0) {
		while (FCGX_GetStr(drain, sizeof(drain), fr.in) > 0)
			;
		FCGX_PutStr(resp, (int)len, fr.out);
		if (!linger)
			FCGX_Detach(&fr);
		FCGX_Finish_r(&fr);
	}
	free(resp);
	return 0;
}
