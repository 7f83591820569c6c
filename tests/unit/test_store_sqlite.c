/* Tests for the store on its SQLite engine, about the file itself: sealing
 * at rest in the file and its WAL, backup, busy locks, a full disk, WAL
 * checkpoints, page splits, the migration of rows from the old schema, the
 * device table's layout, the disk reserve. */
#include <sys/stat.h>
#include <sqlite3.h>
#include "store_fixture.h"

/* The reserve: made once, its absence reads as full, released on demand. */
START_TEST(test_reserve)
{
	char		 rpath[160];
	struct stat	 sb;
	uint64_t	 free_bytes = 0;

	snprintf(rpath, sizeof rpath, "%s.reserve", path);
	ck_assert_int_eq(store_space(path, &free_bytes), STORE_SPACE_FULL);
	ck_assert_int_eq(store_reserve_make(path), STORE_OK);
	ck_assert_int_eq(stat(rpath, &sb), 0);
	ck_assert_int_ge(sb.st_size, STORE_RESERVE_BYTES);
	ck_assert_int_eq(store_reserve_make(path), STORE_OK);	/* already there */
	ck_assert_int_ne(store_space(path, &free_bytes), STORE_SPACE_FULL);
	ck_assert_uint_gt(free_bytes, 0);
	store_reserve_release(path);
	ck_assert_int_ne(stat(rpath, &sb), 0);
	ck_assert_int_eq(store_space(path, &free_bytes), STORE_SPACE_FULL);
}
END_TEST

/* Reads a whole file; *n = 0 when it does not exist. */
static unsigned char *
slurp(const char *p, size_t *n)
{
	FILE		*f = fopen(p, "rb");
	unsigned char	*b = NULL;
	long		 len;

	*n = 0;
	if (f == NULL)
		return NULL;
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	b = malloc((size_t)len + 1);
	*n = fread(b, 1, (size_t)len, f);
	fclose(f);
	return b;
}

static int
file_has(const char *p, const char *needle)
{
	size_t		 n;
	unsigned char	*b = slurp(p, &n);
	int		 found = b != NULL && memmem(b, n, needle, strlen(needle)) != NULL;

	free(b);
	return found;
}

START_TEST(test_sealed_at_rest)
{
	struct store		*st = open_rw();
	struct submission	 a = sub_make(1, basic, NBASIC);
	char			 wal[160];

	add_one(st, &a);
	snprintf(wal, sizeof wal, "%s-wal", path);
	ck_assert(file_has(wal, "swings"));	/* the check can see plain values */
	ck_assert(!file_has(wal, "Elm Road"));
	ck_assert(!file_has(path, "Elm Road"));
	store_close(st);
	ck_assert(file_has(path, "swings"));
	ck_assert(!file_has(path, "Elm Road"));
	ck_assert(!file_has(wal, "Elm Road"));
}
END_TEST

START_TEST(test_backup)
{
	struct store		*st = open_rw(), *bk;
	struct submission	 a = sub_make(1, basic, NBASIC), b = sub_make(2, basic, 2);
	struct submission	*v[] = { &a, &b };
	enum store_err		 r[2];
	char			 dest[160];

	int64_t			 n = -1;

	ck_assert_int_eq(store_responses_add(st, v, 2, r), STORE_OK);
	snprintf(dest, sizeof dest, "%s/backup.db", dir);
	ck_assert_int_eq(store_backup(st, dest, &n), STORE_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(store_integrity(st), STORE_OK);
	store_close(st);
	ck_assert_int_eq(store_open(dest, STORE_RDONLY, &bk), STORE_OK);
	ck_assert_int_eq(count(bk, NULL), 2);
	ck_assert_int_eq(store_integrity(bk), STORE_OK);
	store_close(bk);
}
END_TEST

/* Adds the one submission v[0] while another connection holds the write
 * lock: it fails with STORE_BUSY. */
static void
add_while_locked(struct store *st, struct submission **v)
{
	enum store_err	 r[1];
	sqlite3		*other;

	ck_assert_int_eq(sqlite3_open(path, &other), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	store_set_busy_timeout(st, 50);
	ck_assert_int_eq(store_responses_add(st, v, 1, r), STORE_BUSY);
	ck_assert_int_eq(r[0], STORE_BUSY);
	ck_assert_int_eq(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
}

static void
raw_exec(struct store *st, const char *sql)
{
	ck_assert_int_eq(db_exec(st->db, sql), DB_OK);
}

/* The disk fills mid-transaction, after a new period's key row went in: the
 * batch fails whole and the key row is inserted again next time. */
START_TEST(test_full_forgets_key)
{
	static char		 big[200000];
	struct store		*st = open_rw();
	struct store_answer	 t[] = { { "t", big, sizeof big - 1, 0, 1 } };
	struct submission	 a = sub_make(1, t, 1), b = sub_make(2, basic, NBASIC);
	struct submission	*v[] = { &a, &b };
	enum store_err		 r[2];
	struct opener		*op = opener_new(sk);

	memset(big, 'x', sizeof big - 1);
	raw_exec(st, "PRAGMA max_page_count = 12");
	ck_assert_int_eq(store_responses_add(st, v, 2, r), STORE_FULL);
	ck_assert_int_eq(r[0], STORE_FULL);
	ck_assert_int_eq(r[1], STORE_FULL);
	ck_assert_ptr_nonnull(st->sealer);
	ck_assert_int_eq(st->key_id, 0);
	raw_exec(st, "PRAGMA max_page_count = 1000000");
	ck_assert_int_eq(store_responses_add(st, &v[1], 1, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_OK);
	ck_assert_int_eq(count(st, NULL), 1);
	ck_assert_int_eq(store_each_response(st, NULL, op, noop_fn, NULL), STORE_OK);
	opener_free(op);
	store_close(st);
}
END_TEST

/* A database written before migration 4 (one row per answer, one seal per
 * text): opening it moves the answers into their responses, and they read
 * back the same, the old seals opened with the same key.  Of migration 3's
 * poll tables it has the ones later migrations change. */
START_TEST(test_migrate_rows)
{
	static const char *old =
	    "CREATE TABLE schema_version (version INTEGER PRIMARY KEY);"
	    "INSERT INTO schema_version VALUES (1), (2), (3);"
	    "CREATE TABLE survey (id TEXT NOT NULL, version INTEGER NOT NULL,"
	    " def_hash TEXT NOT NULL, title TEXT NOT NULL, first_seen_day TEXT NOT NULL,"
	    " PRIMARY KEY (id, version, def_hash)) WITHOUT ROWID;"
	    "CREATE TABLE seal_key (id INTEGER PRIMARY KEY, public_key BLOB NOT NULL,"
	    " recipient BLOB NOT NULL);"
	    "CREATE TABLE response (id INTEGER PRIMARY KEY CHECK (id > 0), survey TEXT NOT NULL,"
	    " version INTEGER NOT NULL, def_hash TEXT NOT NULL, channel TEXT NOT NULL,"
	    " lang TEXT NOT NULL, day TEXT NOT NULL) WITHOUT ROWID;"
	    "CREATE TABLE answer (response INTEGER NOT NULL REFERENCES response (id),"
	    " question TEXT NOT NULL, pos INTEGER NOT NULL, value TEXT, sealed BLOB,"
	    " seal_key INTEGER REFERENCES seal_key (id),"
	    " PRIMARY KEY (response, question, pos)) WITHOUT ROWID;"
	    "CREATE TABLE used_nonce (hash BLOB PRIMARY KEY, day TEXT NOT NULL) WITHOUT ROWID;"
	    "CREATE TABLE poll_vote (session INTEGER NOT NULL, q INTEGER NOT NULL,"
	    " item INTEGER NOT NULL DEFAULT 0, voter BLOB NOT NULL, value TEXT NOT NULL,"
	    " text INTEGER NOT NULL DEFAULT 0, approved INTEGER NOT NULL DEFAULT 0,"
	    " PRIMARY KEY (session, q, item, voter)) WITHOUT ROWID;"
	    "CREATE TABLE poll_session (id INTEGER PRIMARY KEY, saved INTEGER NOT NULL DEFAULT 0);"
	    "CREATE TABLE poll_statement (id INTEGER PRIMARY KEY, session INTEGER NOT NULL,"
	    " q INTEGER NOT NULL, text TEXT NOT NULL, state INTEGER NOT NULL DEFAULT 0);"
	    "CREATE TABLE poll_presence (session INTEGER NOT NULL, who BLOB NOT NULL,"
	    " seen INTEGER NOT NULL, PRIMARY KEY (session, who)) WITHOUT ROWID;"
	    "CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, staff TEXT NOT NULL,"
	    " action TEXT NOT NULL, detail TEXT);"
	    "INSERT INTO audit VALUES (1, '2024-05-01T09:00:00Z', 'ann', 'login', NULL),"
	    " (2, '2024-05-01T09:01:00Z', 'ann', 'user_created', 'name=bo');"
	    "INSERT INTO survey VALUES ('park', 1, '" HASH "', 'Park', '2024-05-01');"
	    "INSERT INTO response VALUES (7, 'park', 1, '" HASH "', 'online', 'en', '2024-05-01'),"
	    " (9, 'park', 1, '" HASH "', 'paper', 'cy', '2024-05-02');"
	    "INSERT INTO answer VALUES (7, 'q1', 0, 'yes', NULL, NULL),"
	    " (7, 'q2', 1, 'swings', NULL, NULL), (7, 'q2', 2, 'slide', NULL, NULL);";
	struct sealer		*se = sealer_new(pk);
	const char		*texts[] = { SECRET, "" };
	unsigned char		 blob[2][sizeof SECRET + SEAL_OVERHEAD];
	sqlite3			*db;
	sqlite3_stmt		*q;
	struct store		*st;
	struct opener		*op = opener_new(sk);
	struct collect		*col = calloc(1, sizeof *col);
	struct store_audit_verify v;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, old, NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "INSERT INTO seal_key VALUES (5, ?1, ?1)", -1,
	    &q, NULL), SQLITE_OK);
	sqlite3_bind_blob(q, 1, sealer_public(se), SEAL_KEY_BYTES, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(q), SQLITE_DONE);
	sqlite3_finalize(q);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "INSERT INTO answer VALUES (7, ?1, 0, NULL, ?2, 5)",
	    -1, &q, NULL), SQLITE_OK);
	for (int i = 0; i < 2; i++) {
		sealer_seal(se, texts[i], strlen(texts[i]), blob[i]);
		sqlite3_bind_text(q, 1, i == 0 ? "q3" : "q0", -1, SQLITE_STATIC);
		sqlite3_bind_blob(q, 2, blob[i], (int)(strlen(texts[i]) + SEAL_OVERHEAD),
		    SQLITE_STATIC);
		ck_assert_int_eq(sqlite3_step(q), SQLITE_DONE);
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	sealer_free(se);

	ck_assert_int_eq(store_open(store_target(path), 0, &st), STORE_OK);
	ck_assert_int_ge(store_schema_version(st), 4);
	ck_assert_int_eq(count(st, NULL), 2);
	ck_assert_int_eq(store_each_response(st, NULL, op, collect_fn, col), STORE_OK);
	ck_assert_uint_eq(col->n, 2);
	ck_assert_str_eq(col->lines[0], "park|1|online|en|2024-05-01|q0:0::1|q1:0:yes:0"
	    "|q2:1:swings:0|q2:2:slide:0|q3:0:" SECRET ":1");
	ck_assert_str_eq(col->lines[1], "park|1|paper|cy|2024-05-02");
	ck_assert_int_eq(store_integrity(st), STORE_OK);
	memset(&v, 0, sizeof v);
	ck_assert_int_eq(store_audit_verify(st, &v), STORE_OK);	/* old rows chained */
	ck_assert_int_eq(v.why, STORE_AUDIT_INTACT);
	ck_assert_int_eq(v.entries, 2);
	store_close(st);
	opener_free(op);
	free(col);
}
END_TEST

static int
int_of(void *ctx, int nc, char **vals, char **names)
{
	(void)nc, (void)names;
	*(int *)ctx = atoi(vals[0]);
	return 0;
}

static off_t
wal_bytes(void)
{
	char		 wal[160];
	struct stat	 sb;

	snprintf(wal, sizeof wal, "%s-wal", path);
	return stat(wal, &sb) == 0 ? sb.st_size : -1;
}

/* Stores n submissions with nonce bytes from first on, one transaction each. */
static void
add_n(struct store *st, int first, int n)
{
	for (int i = first; i < first + n; i++) {
		struct submission	 a = sub_make((unsigned char)i, basic, NBASIC);

		add_one(st, &a);
	}
}

/* With autocheckpoint off the writer's commits stay in the WAL; a second
 * connection copies them (PASSIVE) and then empties the file (TRUNCATE). */
START_TEST(test_checkpoint)
{
	struct store	*st = open_rw(), *ck;
	int		 pages = -2, log = -2, done = -2;

	ck_assert_int_eq(store_set_autocheckpoint(st, 0), STORE_OK);
	ck_assert_int_eq(sqlite3_exec(db_sqlite(st->db), "PRAGMA wal_autocheckpoint", int_of, &pages,
	    NULL), SQLITE_OK);
	ck_assert_int_eq(pages, 0);
	ck_assert_int_eq(store_open(store_target(path), 0, &ck), STORE_OK);
	ck_assert_int_eq(store_checkpoint(ck, STORE_CKPT_PASSIVE, &log, &done), STORE_OK);
	add_n(st, 1, 20);
	ck_assert_int_eq(store_checkpoint(ck, STORE_CKPT_PASSIVE, &log, &done), STORE_OK);
	ck_assert_int_gt(log, 0);
	ck_assert_int_eq(done, log);
	ck_assert_int_gt(wal_bytes(), 0);
	ck_assert_int_eq(store_checkpoint(ck, STORE_CKPT_TRUNCATE, &log, &done), STORE_OK);
	ck_assert_int_eq(log, 0);
	ck_assert_int_eq(wal_bytes(), 0);
	ck_assert_int_eq(store_checkpoint(ck, STORE_CKPT_RESTART, NULL, NULL), STORE_OK);
	ck_assert_int_eq(store_checkpoint(ck, (enum store_ckpt)7, &log, &done), STORE_INVALID);
	ck_assert_int_eq(log, -1);
	add_n(st, 21, 5);
	store_close(ck);
	store_close(st);
	ck_assert_int_eq(store_open(store_target(path), STORE_RDONLY, &st), STORE_OK);
	ck_assert_int_eq(count(st, NULL), 25);
	store_close(st);
}
END_TEST

/* A long read (the analysis tool) pins its snapshot: PASSIVE copies only up
 * to it and returns at once, TRUNCATE with no busy timeout gives up at once,
 * the reader still sees its snapshot, and nothing committed is lost. */
START_TEST(test_checkpoint_reader)
{
	struct store	*st = open_rw(), *ck, *rd;
	int		 log, done;
	int64_t		 n;

	ck_assert_int_eq(store_set_autocheckpoint(st, 0), STORE_OK);
	ck_assert_int_eq(store_open(store_target(path), 0, &ck), STORE_OK);
	store_set_busy_timeout(ck, 0);
	add_n(st, 1, 5);
	ck_assert_int_eq(store_open(store_target(path), STORE_RDONLY, &rd), STORE_OK);
	raw_exec(rd, "BEGIN");
	ck_assert_int_eq(count(rd, NULL), 5);
	add_n(st, 6, 5);
	ck_assert_int_eq(store_checkpoint(ck, STORE_CKPT_PASSIVE, &log, &done), STORE_OK);
	ck_assert_int_lt(done, log);
	ck_assert_int_eq(store_checkpoint(ck, STORE_CKPT_TRUNCATE, &log, &done), STORE_BUSY);
	ck_assert_int_gt(wal_bytes(), 0);
	ck_assert_int_eq(count(rd, NULL), 5);
	raw_exec(rd, "COMMIT");
	ck_assert_int_eq(store_response_count(rd, NULL, &n), STORE_OK);
	ck_assert_int_eq(n, 10);
	ck_assert_int_eq(store_checkpoint(ck, STORE_CKPT_TRUNCATE, &log, &done), STORE_OK);
	ck_assert_int_eq(wal_bytes(), 0);
	store_close(rd);
	store_close(ck);
	store_close(st);
	ck_assert_int_eq(store_open(store_target(path), STORE_RDONLY, &st), STORE_OK);
	ck_assert_int_eq(count(st, NULL), 10);
	ck_assert_int_eq(store_integrity(st), STORE_OK);
	store_close(st);
}
END_TEST

/* Random ids split leaves all over the tree (SQLite renumbers split pages
 * through a spare page number past the end of the file, which the page cache
 * of store_pcache.c keeps track of), and a batch that fills the disk rolls
 * back pages past the old end: after rounds of both, every stored response
 * is there once, readable, and the file is sound. */
START_TEST(test_splits_and_rollbacks)
{
	static char		 wide[1500];
	struct store		*st = open_rw();
	struct store_answer	 a[] = { { "q1", wide, sizeof wide - 1, 0, 0 } };
	struct submission	 subs[40], *v[40];
	enum store_err		 r[40];
	struct opener		*op = opener_new(sk);
	int			 pages, stored = 0;
	char			 sql[64];

	memset(wide, 'w', sizeof wide - 1);
	for (int round = 0; round < 12; round++) {
		for (int i = 0; i < 40; i++) {
			subs[i] = sub_make(0, a, 1);
			randombytes_buf(subs[i].nonce, sizeof subs[i].nonce);
			v[i] = &subs[i];
		}
		ck_assert_int_eq(store_responses_add(st, v, 20, r), STORE_OK);
		stored += 20;
		ck_assert_int_eq(sqlite3_exec(db_sqlite(st->db), "PRAGMA page_count", int_of, &pages, NULL),
		    SQLITE_OK);
		snprintf(sql, sizeof sql, "PRAGMA max_page_count = %d", pages + 4);
		raw_exec(st, sql);
		ck_assert_int_eq(store_responses_add(st, &v[20], 20, r), STORE_FULL);
		raw_exec(st, "PRAGMA max_page_count = 1000000");
	}
	ck_assert_int_eq(count(st, NULL), stored);
	ck_assert_int_eq(store_each_response(st, NULL, op, noop_fn, NULL), STORE_OK);
	ck_assert_int_eq(store_integrity(st), STORE_OK);
	opener_free(op);
	store_close(st);
	ck_assert_int_eq(store_open(store_target(path), STORE_RDONLY, &st), STORE_OK);
	ck_assert_int_eq(count(st, NULL), stored);
	ck_assert_int_eq(store_integrity(st), STORE_OK);
	store_close(st);
}
END_TEST

/* A batch that fails leaves no device row behind: the device may answer. */
START_TEST(test_device_failed_batch)
{
	struct store		*st = open_rw();
	struct submission	 a = sub_device(1, 1);
	struct submission	*v[] = { &a };
	enum store_err		 r[1];

	add_while_locked(st, v);
	ck_assert_int_eq(seen(st, "park", 1), 0);
	ck_assert_int_eq(store_responses_add(st, v, 1, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_OK);
	ck_assert_int_eq(seen(st, "park", 1), 1);
	store_close(st);
}
END_TEST

/* The device table holds the survey and the hash, nothing else, and is
 * kept in key order (no rowid that would follow arrival). */
START_TEST(test_device_columns)
{
	struct store	*st = open_rw();
	sqlite3_stmt	*q;
	const char	*want[] = { "survey", "hash" };
	int		 n = 0;

	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(st->db), "SELECT name, pk FROM pragma_table_info('device')"
	    " ORDER BY cid", -1, &q, NULL), SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		ck_assert_int_lt(n, 2);
		ck_assert_str_eq((const char *)sqlite3_column_text(q, 0), want[n]);
		ck_assert_int_gt(sqlite3_column_int(q, 1), 0);
		n++;
	}
	sqlite3_finalize(q);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(sql_int(st, "SELECT count(*) FROM sqlite_schema WHERE name = 'device'"
	    " AND sql LIKE '%WITHOUT ROWID%'"), 1);
	store_close(st);
}
END_TEST

/* A read-only open (the analysis tool) takes only this version's schema and
 * says so otherwise (a database from another version, a file of something
 * else); the app's own open refuses a newer schema the same way. */
START_TEST(test_schema_versions)
{
	struct store	*st = open_rw();
	int		 v = store_schema_version(st);
	char		 sql[96], other[160];
	FILE		*f;

	snprintf(sql, sizeof sql, "INSERT INTO schema_version VALUES (%d)", v + 1);
	raw_exec(st, sql);
	store_close(st);
	ck_assert_int_eq(store_open(store_target(path), STORE_RDONLY, &st), STORE_SCHEMA);
	ck_assert_ptr_null(st);
	ck_assert_int_eq(store_open(store_target(path), 0, &st), STORE_SCHEMA);
	ck_assert_ptr_null(st);
	ck_assert_ptr_nonnull(strstr(store_strerror(STORE_SCHEMA), "voices init"));

	snprintf(other, sizeof other, "%s/other.db", dir);
	ck_assert_ptr_nonnull(f = fopen(other, "w"));
	fclose(f);
	ck_assert_int_eq(store_open(other, STORE_RDONLY, &st), STORE_SCHEMA);
	ck_assert_ptr_null(st);
}
END_TEST

/* A backup copies a database of any schema version as it is: between an
 * upgrade and the server's restart the file is still the older one. */
START_TEST(test_backup_other_version)
{
	struct store	*st = open_rw(), *src;
	char		 sql[96], dest[160];
	int64_t		 n = -1;

	add_n(st, 1, 3);
	snprintf(sql, sizeof sql, "INSERT INTO schema_version VALUES (%d)",
	    store_schema_version(st) + 1);
	raw_exec(st, sql);
	store_close(st);
	ck_assert_int_eq(store_open(store_target(path), STORE_RDONLY, &src), STORE_SCHEMA);
	ck_assert_int_eq(store_open(store_target(path), STORE_COPY, &src), STORE_OK);
	snprintf(dest, sizeof dest, "%s/backup.db", dir);
	ck_assert_int_eq(store_backup(src, dest, &n), STORE_OK);
	ck_assert_int_eq(n, 3);
	store_close(src);
	ck_assert_int_eq(store_open(dest, STORE_RDONLY, &src), STORE_SCHEMA);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("store_sqlite");

	store_fixture(unit_tcase(s, "sqlite", test_schema_versions, test_sealed_at_rest,
	    test_migrate_rows, test_backup, test_backup_other_version, test_full_forgets_key,
	    test_checkpoint, test_checkpoint_reader, test_splits_and_rollbacks,
	    test_device_failed_batch, test_device_columns, test_reserve, NULL));
	return unit_run(s, CK_FORK_GETENV);
}
