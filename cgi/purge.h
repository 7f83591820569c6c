/* purge: the retention purge, as `voices purge` runs it and as the writer
 * runs it once a day.  For every survey id in the database it works out the
 * first day kept (retain.h: the survey file's keep_until or keep_days, else
 * the configuration's keep_days, also for a survey whose file is gone and
 * for quick-question poll sessions), deletes what came before
 * (store_purge.h), deletes expired drafts, records the counts in the audit
 * log, then truncates the WAL and VACUUMs if the disk has room (on
 * PostgreSQL: VACUUMs; the server's WAL is its own).  On PostgreSQL one node
 * purges at a time (store_purge_lock): a run that finds another one going
 * does nothing.  It reports
 * counts only: never a response, a day or a device. */
#ifndef PURGE_H
#define PURGE_H
#include <stdio.h>
#include <time.h>
#include "config.h"
#include "store_purge.h"

struct purge_totals {
	struct store_purge_counts n;		/* summed over every survey */
	int64_t		 drafts;
	int		 vacuumed;		/* 1: VACUUM ran; 0: skipped or failed */
	int		 skipped;		/* 1: another node's purge was running */
};

/* One purge on st (a read-write store the caller owns; not in a
 * transaction).  dry_run: counts only, nothing written, no audit row.  who:
 * the audit log's actor ("cli", "system").  Writes a line per survey and a
 * summary to out, each starting with prefix.  0 on success; -1 when the
 * survey files cannot be loaded (nothing is deleted: a survey's retention
 * cannot be known) or the store fails (what was committed stays); 0 with
 * t->skipped set when another node's purge runs (nothing done). */
int purge_run(const struct config *cfg, struct store *st, int dry_run, const char *who,
    FILE *out, const char *prefix, struct purge_totals *t) __attribute__((warn_unused_result));

/* 1 when the writer's purge is due at now, given when the last one ran
 * (*last, 0: never; the caller sets it when it runs one).  purge_interval
 * > 0: every that many seconds after the last (the first that long after
 * start, from *last = start).  Else once a day, in the local hour
 * purge_hour (-1: never). */
int purge_due(const struct config *cfg, time_t now, time_t last);
#endif
