/* raw_insert: the reference for the submission benchmark.  Inserts copies of
 * one stored response (its nonce row and its response row, the answers and
 * the sealed texts inside it, as the app stores them) straight into SQLite,
 * one transaction per response, with the app's settings: WAL,
 * synchronous=FULL, foreign keys, a 64 MiB cache.  No HTTP, no parsing, no
 * sealing: only what any one-commit-per-response design pays at least.
 *
 *   raw_insert DATABASE SECONDS
 *
 * DATABASE must hold at least one response (the one copied).  Prints
 *   RAW commits=N seconds=S rps=R p50_ms=A p99_ms=B answers=K */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>
#include <sodium.h>

#define MAX_SAMPLES	(1 << 22)

/* The copied response: text columns, its answers and sealed texts. */
struct tmpl {
	char		*cols[5];	/* survey, def_hash, channel, lang, day */
	int		 version;
	char		*answers;
	void		*texts;
	int		 texts_len;
	int64_t		 texts_key;
	int		 nanswers;
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

static void
load_template(struct tmpl *t)
{
	sqlite3_stmt *r = prep("SELECT survey, def_hash, channel, lang, day, version, answers,"
	    " texts, texts_key, json_array_length(answers) FROM response LIMIT 1");

	if (sqlite3_step(r) != SQLITE_ROW) {
		fprintf(stderr, "raw_insert: the database holds no response to copy\n");
		exit(1);
	}
	for (int i = 0; i < 5; i++)
		t->cols[i] = dup_col(r, i);
	t->version = sqlite3_column_int(r, 5);
	t->answers = dup_col(r, 6);
	t->texts_len = sqlite3_column_bytes(r, 7);
	t->texts = t->texts_len ? malloc((size_t)t->texts_len) : NULL;
	if (t->texts)
		memcpy(t->texts, sqlite3_column_blob(r, 7), (size_t)t->texts_len);
	t->texts_key = sqlite3_column_int64(r, 8);
	t->nanswers = sqlite3_column_int(r, 9);
	sqlite3_finalize(r);
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

static void
insert_one(sqlite3_stmt *nonce, sqlite3_stmt *resp, const struct tmpl *t)
{
	unsigned char h[32];
	int64_t id;

	randombytes_buf(h, sizeof(h));
	randombytes_buf(&id, sizeof(id));
	id = (id & INT64_MAX) | 1;
	sqlite3_bind_blob(nonce, 1, h, sizeof(h), SQLITE_TRANSIENT);
	sqlite3_bind_text(nonce, 2, t->cols[4], -1, SQLITE_STATIC);
	run(nonce);
	sqlite3_bind_int64(resp, 1, id);
	sqlite3_bind_int(resp, 3, t->version);
	for (int i = 0; i < 5; i++)
		sqlite3_bind_text(resp, i < 1 ? 2 : i + 3, t->cols[i], -1, SQLITE_STATIC);
	sqlite3_bind_text(resp, 8, t->answers, -1, SQLITE_STATIC);
	if (t->texts) {
		sqlite3_bind_blob(resp, 9, t->texts, t->texts_len, SQLITE_STATIC);
		sqlite3_bind_int64(resp, 10, t->texts_key);
	} else {
		sqlite3_bind_null(resp, 9);
		sqlite3_bind_null(resp, 10);
	}
	run(resp);
}

int
main(int argc, char **argv)
{
	struct tmpl t;
	double *lat, start, end;
	size_t k = 0;

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
	load_template(&t);
	sqlite3_stmt *begin = prep("BEGIN IMMEDIATE"), *commit = prep("COMMIT");
	sqlite3_stmt *nonce = prep("INSERT INTO used_nonce (hash, day) VALUES (?1, ?2)");
	sqlite3_stmt *resp = prep("INSERT INTO response (id, survey, version, def_hash, channel,"
	    " lang, day, answers, texts, texts_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	start = now_ms();
	end = start + atof(argv[2]) * 1e3;
	while (now_ms() < end && k < MAX_SAMPLES) {
		double t0 = now_ms();

		run(begin);
		insert_one(nonce, resp, &t);
		run(commit);
		lat[k++] = now_ms() - t0;
	}
	double secs = (now_ms() - start) / 1e3;
	qsort(lat, k, sizeof(*lat), cmp_double);
	printf("RAW commits=%zu seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f answers=%d\n", k, secs,
	    (double)k / secs, k ? lat[k / 2] : 0.0, k ? lat[k * 99 / 100] : 0.0, t.nanswers);
	sqlite3_close(db);
	return 0;
}
