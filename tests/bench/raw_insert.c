/* raw_insert: the reference for the submission benchmark.  Inserts copies of
 * one stored response (its nonce row, response row and answer rows, sealed
 * blobs included) straight into SQLite, one transaction per response, with the
 * app's settings: WAL, synchronous=FULL, foreign keys, a 64 MiB cache.  No
 * HTTP, no parsing, no sealing: only what any one-commit-per-response design
 * pays at least.
 *
 *   raw_insert DATABASE SECONDS
 *
 * DATABASE must hold at least one response (the one copied).  Prints
 *   RAW commits=N seconds=S rps=R p50_ms=A p99_ms=B */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>
#include <sodium.h>

#define MAX_ANSWERS	256
#define MAX_SAMPLES	(1 << 22)

struct row {
	char		*question;
	int		 pos;
	char		*value;		/* NULL when sealed */
	void		*sealed;
	int		 sealed_len;
	int64_t		 seal_key;
};

static sqlite3 *db;

static sqlite3_stmt *
prep(const char *sql)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "raw_insert: %s: %s\n", sql, sqlite3_errmsg(db));
		exit(1);
	}
	return s;
}

static void
run(sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "raw_insert: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	sqlite3_reset(s);
}

static char *
dup_col(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);

	return t ? strdup(t) : NULL;
}

/* The answer rows of one stored response, and its survey columns. */
static size_t
load_template(struct row *rows, char *cols[5], int *version)
{
	sqlite3_stmt *r = prep("SELECT id, survey, version, def_hash, channel, lang, day"
	    " FROM response LIMIT 1");
	sqlite3_stmt *a = prep("SELECT question, pos, value, sealed, seal_key FROM answer"
	    " WHERE response = ?1");
	size_t n = 0;

	if (sqlite3_step(r) != SQLITE_ROW) {
		fprintf(stderr, "raw_insert: the database holds no response to copy\n");
		exit(1);
	}
	for (int i = 0; i < 5; i++)
		cols[i] = dup_col(r, i == 0 ? 1 : i + 2);
	*version = sqlite3_column_int(r, 2);
	sqlite3_bind_int64(a, 1, sqlite3_column_int64(r, 0));
	while (sqlite3_step(a) == SQLITE_ROW && n < MAX_ANSWERS) {
		struct row *w = &rows[n++];
		w->question = dup_col(a, 0);
		w->pos = sqlite3_column_int(a, 1);
		w->value = dup_col(a, 2);
		w->sealed_len = sqlite3_column_bytes(a, 3);
		w->sealed = w->sealed_len ? malloc((size_t)w->sealed_len) : NULL;
		if (w->sealed)
			memcpy(w->sealed, sqlite3_column_blob(a, 3), (size_t)w->sealed_len);
		w->seal_key = sqlite3_column_int64(a, 4);
	}
	sqlite3_finalize(r);
	sqlite3_finalize(a);
	return n;
}

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int
cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

int
main(int argc, char **argv)
{
	static struct row rows[MAX_ANSWERS];
	char *cols[5];
	int version;
	double *lat, start, end;
	size_t n, k = 0;

	if (argc != 3 || sodium_init() < 0) {
		fprintf(stderr, "usage: raw_insert DATABASE SECONDS\n");
		return 2;
	}
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
	    " PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536", NULL, NULL, NULL)
	    != SQLITE_OK || (lat = malloc(MAX_SAMPLES * sizeof(*lat))) == NULL) {
		fprintf(stderr, "raw_insert: cannot open %s\n", argv[1]);
		return 1;
	}
	sqlite3_busy_timeout(db, 5000);
	n = load_template(rows, cols, &version);
	sqlite3_stmt *begin = prep("BEGIN IMMEDIATE"), *commit = prep("COMMIT");
	sqlite3_stmt *nonce = prep("INSERT INTO used_nonce (hash, day) VALUES (?1, ?2)");
	sqlite3_stmt *resp = prep("INSERT INTO response (id, survey, version, def_hash, channel,"
	    " lang, day) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	sqlite3_stmt *ans = prep("INSERT INTO answer (response, question, pos, value, sealed,"
	    " seal_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	start = now_ms();
	end = start + atof(argv[2]) * 1e3;
	while (now_ms() < end && k < MAX_SAMPLES) {
		double t0 = now_ms();
		unsigned char h[32];
		int64_t id;

		randombytes_buf(h, sizeof(h));
		randombytes_buf(&id, sizeof(id));
		id = (id & INT64_MAX) | 1;
		run(begin);
		sqlite3_bind_blob(nonce, 1, h, sizeof(h), SQLITE_TRANSIENT);
		sqlite3_bind_text(nonce, 2, cols[4], -1, SQLITE_STATIC);
		run(nonce);
		sqlite3_bind_int64(resp, 1, id);
		sqlite3_bind_text(resp, 2, cols[0], -1, SQLITE_STATIC);
		sqlite3_bind_int(resp, 3, version);
		for (int i = 1; i < 5; i++)
			sqlite3_bind_text(resp, i + 3, cols[i], -1, SQLITE_STATIC);
		run(resp);
		for (size_t i = 0; i < n; i++) {
			sqlite3_bind_int64(ans, 1, id);
			sqlite3_bind_text(ans, 2, rows[i].question, -1, SQLITE_STATIC);
			sqlite3_bind_int(ans, 3, rows[i].pos);
			if (rows[i].value) {
				sqlite3_bind_text(ans, 4, rows[i].value, -1, SQLITE_STATIC);
				sqlite3_bind_null(ans, 5);
				sqlite3_bind_null(ans, 6);
			} else {
				sqlite3_bind_null(ans, 4);
				sqlite3_bind_blob(ans, 5, rows[i].sealed, rows[i].sealed_len,
				    SQLITE_STATIC);
				sqlite3_bind_int64(ans, 6, rows[i].seal_key);
			}
			run(ans);
		}
		run(commit);
		lat[k++] = now_ms() - t0;
	}
	double secs = (now_ms() - start) / 1e3;
	qsort(lat, k, sizeof(*lat), cmp_double);
	printf("RAW commits=%zu seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f answers=%zu\n", k, secs,
	    (double)k / secs, k ? lat[k / 2] : 0.0, k ? lat[k * 99 / 100] : 0.0, n);
	sqlite3_close(db);
	return 0;
}
