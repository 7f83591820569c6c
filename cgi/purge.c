/* purge: one retention purge over every survey (purge.h).  Invariant: a
 * response is deleted only when its day is before the first day its
 * survey's rule keeps; no rule is ever guessed (survey files that fail to
 * load stop the purge) and a survey without a file falls back to the
 * configuration's keep_days, never to "delete". */
#include <stdlib.h>
#include <string.h>
#include "purge.h"
#include "retain.h"
#include "survey.h"
#include "util.h"

#define VACUUM_FACTOR	2	/* free space wanted: the copy VACUUM builds, and its -wal */

struct ids {
	char		**v;
	size_t		 n, cap;
	int		 failed;
};

static int
add_id(void *ctx, const char *survey)
{
	struct ids *ids = ctx;

	if (grow(&ids->v, &ids->cap, ids->n, sizeof *ids->v, 16) != 0)
		return ids->failed = 1;
	if ((ids->v[ids->n] = strdup(survey)) == NULL)
		return ids->failed = 1;
	ids->n++;
	return 0;
}

static void
ids_free(struct ids *ids)
{
	for (size_t i = 0; i < ids->n; i++)
		free(ids->v[i]);
	free(ids->v);
}

/* Today's local date as a day number: the calendar a response's day is in. */
static long
today(void)
{
	char		 d[11];
	long		 n = 0;

	if (day_local(time(NULL), d) != 0 || retain_day(d, &n) != 0)
		return 0;	/* no date: a cutoff before every day, nothing goes */
	return n;
}

static void
add_counts(struct store_purge_counts *sum, const struct store_purge_counts *n)
{
	sum->responses += n->responses;
	sum->devices += n->devices;
	sum->poll_sessions += n->poll_sessions;
	sum->poll_votes += n->poll_votes;
	sum->poll_statements += n->poll_statements;
}

static int
any(const struct store_purge_counts *n)
{
	return n->responses + n->devices + n->poll_sessions + n->poll_votes +
	    n->poll_statements > 0;
}

static void
format_counts(char *b, size_t len, const struct store_purge_counts *n)
{
	snprintf(b, len, "%lld responses, %lld device rows, %lld poll sessions"
	    " (%lld votes, %lld statements)", (long long)n->responses, (long long)n->devices,
	    (long long)n->poll_sessions, (long long)n->poll_votes,
	    (long long)n->poll_statements);
}

static void
audit(struct store *st, const char *who, const char *detail)
{
	struct store_audit au = { .now = time(NULL), .staff = who, .action = "purge",
	    .detail = detail };

	if (store_staff_audit(st, &au) != STORE_OK)
		fprintf(stderr, "voices: purge: the audit row was not written\n");
}

/* The rule that applies to survey id (NULL s: its file is gone, or "" for
 * quick questions) as words for the report. */
static void
rule_words(const struct survey *s, const struct config *cfg, char *b, size_t len)
{
	char d[11];

	if (s != NULL && s->keep.until > 0) {
		retain_date(s->keep.until, d);
		snprintf(b, len, "keep_until %s", d);
	} else if (s != NULL && s->keep.days > 0)
		snprintf(b, len, "keep_days %d", s->keep.days);
	else
		snprintf(b, len, "keep_days %d (the default%s)", cfg->keep_days,
		    s == NULL ? "; no survey file" : "");
}

static int
purge_one(const struct config *cfg, struct store *st, const struct survey_set *set,
    const char *id, int dry_run, const char *who, FILE *out, const char *prefix,
    struct purge_totals *t)
{
	const struct survey *s = id[0] ? survey_find(set, id) : NULL;
	struct store_purge_counts n;
	char from[11], rule[64], counts[160], detail[320];
	enum store_err e;

	retain_date(retain_cutoff(s ? &s->keep : NULL, cfg->keep_days, today()), from);
	rule_words(s, cfg, rule, sizeof rule);
	if ((e = store_purge_survey(st, id, from, dry_run, &n)) != STORE_OK) {
		fprintf(out, "%s%s: %s\n", prefix, id[0] ? id : "(quick questions)",
		    store_strerror(e));
		return -1;
	}
	format_counts(counts, sizeof counts, &n);
	fprintf(out, "%s%s (%s): %s%s\n", prefix, id[0] ? id : "(quick questions)", rule,
	    counts, dry_run ? " would be deleted" : " deleted");
	if (!dry_run && any(&n)) {
		snprintf(detail, sizeof detail, "survey %s: %s", id[0] ? id : "(quick questions)",
		    counts);
		audit(st, who, detail);
	}
	add_counts(&t->n, &n);
	return 0;
}

/* PostgreSQL: VACUUM when something was deleted (wanted).  The server's
 * WAL, files and replicas are its own: the deleted rows' bytes go from them
 * as the server reuses its pages and recycles its WAL segments, not at once. */
static void
compact_pg(struct store *st, int wanted, struct purge_totals *t, char *said, size_t len)
{
	enum store_err e;

	if (!wanted) {
		snprintf(said, len, "nothing deleted, so no VACUUM");
		return;
	}
	e = store_purge_compact(st, 1);
	t->vacuumed = e == STORE_OK;
	if (e != STORE_OK)
		snprintf(said, len, "VACUUM not finished: %s", store_strerror(e));
	else
		snprintf(said, len, "database vacuumed (PostgreSQL's WAL and pages are the"
		    " server's: it reuses them in its own time)");
}

/* Truncates the WAL and, when something was deleted and the disk has room
 * for it, VACUUMs. */
static void
compact(const struct config *cfg, struct store *st, FILE *out, const char *prefix,
    struct purge_totals *t, char *said, size_t len)
{
	uint64_t size = store_purge_size(cfg->database), free_bytes = 0;
	enum store_space sp = store_space(cfg->database, &free_bytes);
	int wanted = any(&t->n) || t->drafts > 0;
	int room = sp != STORE_SPACE_UNKNOWN && free_bytes >= VACUUM_FACTOR * size;
	enum store_err e;

	if (store_purge_on_server(st)) {
		compact_pg(st, wanted, t, said, len);
		fprintf(out, "%s%s\n", prefix, said);
		return;
	}
	e = store_purge_compact(st, wanted && room);
	t->vacuumed = wanted && room && e == STORE_OK;
	if (!wanted)
		snprintf(said, len, "nothing deleted, so no VACUUM; WAL truncate: %s",
		    store_strerror(e));
	else if (!room)
		snprintf(said, len, "VACUUM skipped: it needs about %.1f MiB free, there is"
		    " %.1f MiB; the deleted rows are zeroed in place",
		    (double)(VACUUM_FACTOR * size) / (1024 * 1024), (double)free_bytes / (1024 * 1024));
	else if (e != STORE_OK)
		snprintf(said, len, "VACUUM or WAL truncate not finished: %s; the deleted rows"
		    " are zeroed in place", store_strerror(e));
	else
		snprintf(said, len, "WAL truncated and database vacuumed");
	fprintf(out, "%s%s\n", prefix, said);
}

static int
summary(const struct config *cfg, struct store *st, int dry_run, const char *who, FILE *out,
    const char *prefix, struct purge_totals *t)
{
	char counts[160], said[200] = "", detail[512];
	enum store_err e;

	if ((e = store_purge_drafts(st, (long)(time(NULL) / 86400), dry_run, &t->drafts)) !=
	    STORE_OK) {
		fprintf(out, "%sdrafts: %s\n", prefix, store_strerror(e));
		return -1;
	}
	fprintf(out, "%sexpired drafts: %lld%s\n", prefix, (long long)t->drafts,
	    dry_run ? " would be deleted" : " deleted");
	if (dry_run)
		return 0;
	compact(cfg, st, out, prefix, t, said, sizeof said);
	format_counts(counts, sizeof counts, &t->n);
	snprintf(detail, sizeof detail, "all surveys: %s, %lld expired drafts; %s", counts,
	    (long long)t->drafts, said);
	audit(st, who, detail);
	return 0;
}

static int
purge_all(const struct config *cfg, struct store *st, const struct survey_set *set,
    int dry_run, const char *who, FILE *out, const char *prefix, struct purge_totals *t)
{
	struct ids ids = { 0 };
	enum store_err e;
	int rc = -1;

	if ((e = store_purge_each_survey(st, add_id, &ids)) != STORE_OK || ids.failed) {
		fprintf(out, "%s%s\n", prefix, ids.failed ? "out of memory" : store_strerror(e));
		goto out;
	}
	for (size_t i = 0; i < ids.n; i++)
		if (purge_one(cfg, st, set, ids.v[i], dry_run, who, out, prefix, t) != 0)
			goto out;
	rc = summary(cfg, st, dry_run, who, out, prefix, t);
out:
	ids_free(&ids);
	return rc;
}

int
purge_run(const struct config *cfg, struct store *st, int dry_run, const char *who,
    FILE *out, const char *prefix, struct purge_totals *t)
{
	struct survey_set *set = NULL;
	char err[512];
	enum store_err e;
	int rc, got = 1;

	memset(t, 0, sizeof *t);
	if (survey_set_load(cfg->surveys, &set, err, sizeof err) != 0) {
		fprintf(out, "%s%s\n%snothing purged: the survey files say how long to keep"
		    " their responses, and one of them does not load\n", prefix, err, prefix);
		return -1;
	}
	if (!dry_run && (e = store_purge_lock(st, &got)) != STORE_OK) {
		fprintf(out, "%s%s\n", prefix, store_strerror(e));
		survey_set_free(set);
		return -1;
	}
	if (!got) {
		t->skipped = 1;
		fprintf(out, "%sanother node is purging this database now: nothing done"
		    " here\n", prefix);
		survey_set_free(set);
		return 0;
	}
	rc = purge_all(cfg, st, set, dry_run, who, out, prefix, t);
	if (!dry_run)
		store_purge_unlock(st);
	survey_set_free(set);
	return rc;
}

int
purge_due(const struct config *cfg, time_t now, time_t last)
{
	struct tm a, b;

	if (cfg->purge_interval > 0)
		return now - last >= cfg->purge_interval;
	if (cfg->purge_hour < 0 || localtime_r(&now, &a) == NULL || a.tm_hour != cfg->purge_hour)
		return 0;
	if (last == 0 || localtime_r(&last, &b) == NULL)
		return 1;
	return a.tm_year != b.tm_year || a.tm_yday != b.tm_yday;
}
