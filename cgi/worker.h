/* worker: one FastCGI worker process: accepts requests on the listen socket
 * until told to stop, finishing the request in hand first. */
#ifndef WORKER_H
#define WORKER_H
#include "app.h"

/* Runs the accept loop; returns when SIGTERM arrived (after the request in
 * hand is finished).  listen_fd comes from FCGX_OpenSocket in the parent. */
int worker_run(struct app *app, int listen_fd);
#endif
