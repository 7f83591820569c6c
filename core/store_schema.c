/* store_schema: the schema, as the numbered migrations that build it, and
 * the schema version a database is at.  Invariant: nothing but these
 * migrations ever changes the schema. */
#include "store_int.h"

/* Migration n (1-based) is migrations[n - 1]: its SQL, then its C step if
 * it has one, then the SQL after it, all in one transaction, recorded in
 * schema_version.  Never edit one that has shipped: add the next.  Tables
 * keyed by a random id keep rows in id order (WITHOUT ROWID, or an INTEGER
 * PRIMARY KEY that is the id) so their order on disk says nothing about
 * arrival order. */

int
store_has_column(struct db *db, const char *table, const char *col)
{
	struct db_stmt *q;
	int found = 0;

	if (db_prepare(db, DB_SQL2("SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2",
	    "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
	    " AND table_name = ?1 AND column_name = ?2"), 0, &q) != DB_OK)
		return 0;
	db_bind_text(q, 1, table, -1);
	db_bind_text(q, 2, col, -1);
	found = db_step(q) == DB_ROW;
	db_finalize(q);
	return found;
}

/* Migration step (safeguarding): the flag column, once. */
enum store_err
store_add_flagged(struct db *db)
{
	if (store_has_column(db, "response", "flagged"))
		return STORE_OK;
	return store_exec_sql(db, "ALTER TABLE response ADD COLUMN flagged INTEGER NOT NULL"
	    " DEFAULT 0 CHECK (flagged IN (0, 1));");
}

/* Migration step (tally_gen): the drops column of tally_count, once. */
enum store_err
store_add_drops(struct db *db)
{
	if (store_has_column(db, "tally_count", "drops"))
		return STORE_OK;
	return store_exec_sql(db, DB_SQL2(
	    "ALTER TABLE tally_count ADD COLUMN drops INTEGER NOT NULL DEFAULT 0;",
	    "ALTER TABLE tally_count ADD COLUMN drops BIGINT NOT NULL DEFAULT 0;"));
}

static const struct migration migrations[] = {
	{ /* 1 */
	"CREATE TABLE survey ("
	" id TEXT NOT NULL, version INTEGER NOT NULL, def_hash TEXT NOT NULL,"
	" title TEXT NOT NULL, first_seen_day TEXT NOT NULL,"
	" PRIMARY KEY (id, version, def_hash)) WITHOUT ROWID;"
	"CREATE TABLE seal_key ("
	" id INTEGER PRIMARY KEY,"
	" public_key BLOB NOT NULL CHECK (length(public_key) = 32),"
	" recipient BLOB NOT NULL CHECK (length(recipient) = 32));"
	"CREATE TABLE response ("
	" id INTEGER PRIMARY KEY CHECK (id > 0),"
	" survey TEXT NOT NULL, version INTEGER NOT NULL, def_hash TEXT NOT NULL,"
	" channel TEXT NOT NULL, lang TEXT NOT NULL,"
	" day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),"
	" FOREIGN KEY (survey, version, def_hash) REFERENCES survey (id, version, def_hash)"
	") WITHOUT ROWID;"
	"CREATE TABLE answer ("
	" response INTEGER NOT NULL REFERENCES response (id),"
	" question TEXT NOT NULL, pos INTEGER NOT NULL CHECK (pos >= 0),"
	" value TEXT, sealed BLOB CHECK (sealed IS NULL OR length(sealed) >= 40),"
	" seal_key INTEGER REFERENCES seal_key (id),"
	" PRIMARY KEY (response, question, pos),"
	" CHECK ((value IS NULL) <> (sealed IS NULL)),"
	" CHECK ((sealed IS NULL) = (seal_key IS NULL))) WITHOUT ROWID;"
	"CREATE TABLE used_nonce ("
	" hash BLOB PRIMARY KEY CHECK (length(hash) = 32),"
	" day TEXT NOT NULL) WITHOUT ROWID;", NULL, NULL },
	{ /* 2: staff accounts, their sessions, the audit log, login throttling.
	 * Audit detail never holds respondent data. */
	"CREATE TABLE staff ("
	" id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL,"
	" role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'facilitator')),"
	" pwhash TEXT NOT NULL, created_day TEXT, disabled INTEGER DEFAULT 0);"
	"CREATE TABLE staff_session ("
	" token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),"
	" staff INTEGER NOT NULL REFERENCES staff (id),"
	" created INTEGER NOT NULL, last_seen INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX staff_session_staff ON staff_session (staff);"
	"CREATE TABLE audit ("
	" id INTEGER PRIMARY KEY, at TEXT NOT NULL, staff TEXT NOT NULL,"
	" action TEXT NOT NULL, detail TEXT);"
	"CREATE TABLE login_throttle ("
	" key BLOB PRIMARY KEY, failures INTEGER, until INTEGER) WITHOUT ROWID;", NULL, NULL },
	{ /* 3: workshop polls.  A participant is only a keyed hash of a random
	 * cookie, scoped to one session (voter); presence uses a different
	 * keyed hash, so the one table with times cannot be joined to votes.
	 * No address, agent or time of day; the session keeps its day. */
	"CREATE TABLE poll_session ("
	" id INTEGER PRIMARY KEY, code TEXT NOT NULL CHECK (length(code) = 6),"
	" poll_set TEXT NOT NULL, version INTEGER NOT NULL, def_hash TEXT NOT NULL,"
	" staff INTEGER NOT NULL, open INTEGER NOT NULL DEFAULT 1,"
	" current INTEGER NOT NULL DEFAULT -1, show INTEGER NOT NULL DEFAULT 0,"
	" nq INTEGER NOT NULL CHECK (nq BETWEEN 1 AND 100),"
	" rev INTEGER NOT NULL DEFAULT 0, saved INTEGER NOT NULL DEFAULT 0,"
	" quick_type TEXT, quick_text TEXT, quick_options TEXT,"
	" day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'));"
	"CREATE UNIQUE INDEX poll_session_code ON poll_session (code) WHERE open = 1;"
	"CREATE TABLE poll_question ("
	" session INTEGER NOT NULL REFERENCES poll_session (id), q INTEGER NOT NULL,"
	" locked INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (session, q)) WITHOUT ROWID;"
	"CREATE TABLE poll_vote ("
	" session INTEGER NOT NULL REFERENCES poll_session (id), q INTEGER NOT NULL,"
	" item INTEGER NOT NULL DEFAULT 0,"
	" voter BLOB NOT NULL CHECK (length(voter) = 32), value TEXT NOT NULL,"
	" text INTEGER NOT NULL DEFAULT 0, approved INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY (session, q, item, voter)) WITHOUT ROWID;"
	"CREATE TABLE poll_statement ("
	" id INTEGER PRIMARY KEY, session INTEGER NOT NULL REFERENCES poll_session (id),"
	" q INTEGER NOT NULL, text TEXT NOT NULL, state INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX poll_statement_q ON poll_statement (session, q);"
	"CREATE TABLE poll_presence ("
	" session INTEGER NOT NULL, who BLOB NOT NULL CHECK (length(who) = 32),"
	" seen INTEGER NOT NULL, PRIMARY KEY (session, who)) WITHOUT ROWID;", NULL, NULL },
	{ /* 4: a response's answers in its own row (the form in store_int.h):
	   * one insert per response instead of one per answer.  response is
	   * rebuilt as a table whose INTEGER PRIMARY KEY is the random id: a
	   * row of ~1-2 KB then stays on its leaf page (a WITHOUT ROWID row
	   * that size would spill to an overflow page).  The old rows move in
	   * store_move_answers; `answer` becomes a view with the old columns,
	   * one row per answer, for tools that read it with plain SQL: a
	   * text's sealed is its response's texts column (every text of that
	   * response, sealed together), its seal_key that column's key.  JSON
	   * functions are not "innocuous" in SQLite 3.40, so neither a CHECK
	   * on answers nor the view can run where the schema is untrusted: the
	   * store (trusted_schema OFF) never reads the view, the sqlite3 shell
	   * (ON by default) can. */
	"CREATE TABLE response_one ("
	" id INTEGER PRIMARY KEY CHECK (id > 0),"
	" survey TEXT NOT NULL, version INTEGER NOT NULL, def_hash TEXT NOT NULL,"
	" channel TEXT NOT NULL, lang TEXT NOT NULL,"
	" day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),"
	" answers TEXT NOT NULL DEFAULT '[]',"
	" texts BLOB CHECK (texts IS NULL OR length(texts) > 40),"
	" texts_key INTEGER REFERENCES seal_key (id),"
	STORE_M4_RESPONSE_COPY,
	store_move_answers,
	STORE_M4_SWAP
	"CREATE VIEW answer (response, question, pos, value, sealed, seal_key) AS"
	" SELECT r.id, a.value ->> 0, a.value ->> 1, a.value ->> 2,"
	" CASE WHEN a.value ->> 2 IS NULL THEN r.texts END,"
	" CASE WHEN a.value ->> 2 IS NULL THEN r.texts_key END"
	" FROM response r, json_each(r.answers) a;" },
	{ /* 5: one response per device, for the surveys that ask for it.  A row
	   * is a survey id and a keyed hash of a random cookie (store.h): no
	   * day, no time, no response id, and WITHOUT ROWID with the hash in
	   * the key, so rows sit in hash order and neither a row nor its place
	   * tells when it came or which response came with it. */
	"CREATE TABLE device ("
	" survey TEXT NOT NULL, hash BLOB NOT NULL CHECK (length(hash) = 32),"
	" PRIMARY KEY (survey, hash)) WITHOUT ROWID;", NULL, NULL },
	{ /* 6: the language a participant read a poll question in, so that
	   * their workshop response records it; NULL in rows from before. */
	"ALTER TABLE poll_vote ADD COLUMN lang TEXT"
	" CHECK (lang IS NULL OR length(lang) BETWEEN 1 AND 15);", NULL, NULL },
	{ /* 7: free text a poll session kept in plain is wiped once its answers
	   * are saved (store_poll_saved does it from now on; this does it for
	   * the sessions saved before), and presence keeps the minute a phone
	   * was seen (Unix time / 60), not the second.  The word-cloud words
	   * enough people gave are not known here (the poll set is not), so
	   * all of them go. */
	"PRAGMA secure_delete = ON;"
	"UPDATE poll_vote SET value = '' WHERE text = 1 AND value <> ''"
	" AND session IN (SELECT id FROM poll_session WHERE saved = 1);"
	"UPDATE poll_statement SET text = '' WHERE state <> 1 AND text <> ''"
	" AND session IN (SELECT id FROM poll_session WHERE saved = 1);"
	"UPDATE poll_presence SET seen = seen / 60;", NULL, NULL },
	{ /* 8 (drafts): unfinished answers a respondent saved (store_draft.c).
	   * A row is a keyed hash of a random id the respondent holds, the last
	   * day it may be read (days since 1970, UTC: no finer time), and a box
	   * sealed under a key the server never holds.  draft_code rows hold a
	   * draft's id and key sealed under a key stretched from a resume code.
	   * draft_fail counts wrong resume codes per survey and day.  (IF NOT
	   * EXISTS: a test that runs the migrations before it again.) */
	"CREATE TABLE IF NOT EXISTS draft ("
	" id BLOB PRIMARY KEY CHECK (length(id) = 16),"
	" expires INTEGER NOT NULL, box BLOB NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS draft_expires ON draft (expires);"
	"CREATE TABLE IF NOT EXISTS draft_code ("
	" id BLOB PRIMARY KEY CHECK (length(id) = 16),"
	" expires INTEGER NOT NULL, box BLOB NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS draft_code_expires ON draft_code (expires);"
	"CREATE TABLE IF NOT EXISTS draft_fail ("
	" survey TEXT NOT NULL, day INTEGER NOT NULL, n INTEGER NOT NULL,"
	" PRIMARY KEY (survey, day)) WITHOUT ROWID;", NULL, NULL },
	{ /* (lifecycle): an admin's close or reopen of a survey, the latest
	   * one per survey (store_life.c).  Staff-side facts only: who, when,
	   * why; its audit row is written in the same transaction. */
	"CREATE TABLE IF NOT EXISTS survey_state ("
	" survey TEXT PRIMARY KEY,"
	" action TEXT NOT NULL CHECK (action IN ('close', 'reopen')),"
	" at INTEGER NOT NULL, grace INTEGER NOT NULL CHECK (grace >= 0),"
	" staff TEXT NOT NULL, reason TEXT NOT NULL) WITHOUT ROWID;", NULL, NULL },
	{ /* safeguarding: 1 when the disclosure check fired on a response's
	   * free text, so the safeguarding lead reads it first.  The bit alone:
	   * no phrase, no question, no category. */
	"", store_add_flagged, NULL },
	{ /* audit chain: each audit row carries the hash of the row before it
	   * and its own (store_audit.c); the rows from before are chained in
	   * id order (the step adds the columns, once: a test runs the
	   * migrations after 7 again).  Triggers make the table append-only (whoever drops them
	   * can still rewrite it: `voices audit verify` finds that), and the
	   * UNIQUE prev means two rows can never chain onto the same one. */
	"", store_audit_chain_old,
	"CREATE UNIQUE INDEX IF NOT EXISTS audit_prev ON audit (prev);"
	"CREATE TRIGGER IF NOT EXISTS audit_append_only_update BEFORE UPDATE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
	"CREATE TRIGGER IF NOT EXISTS audit_append_only_delete BEFORE DELETE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
	"CREATE TRIGGER IF NOT EXISTS audit_chained BEFORE INSERT ON audit"
	" WHEN NEW.prev IS NULL OR length(NEW.prev) <> 32"
	" OR NEW.hash IS NULL OR length(NEW.hash) <> 32"
	" BEGIN SELECT RAISE(ABORT, 'audit rows are chained'); END;" },
	{ /* staff password resets: a one-time code an admin gave, kept only as
	   * its keyed hash, with the Unix second it stops working; one per
	   * account at most (store_staff_acct.c). */
	"CREATE TABLE IF NOT EXISTS staff_reset ("
	" token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),"
	" staff INTEGER NOT NULL UNIQUE REFERENCES staff (id),"
	" expires INTEGER NOT NULL) WITHOUT ROWID;", NULL, NULL },
	{ /* results: a survey's public results page (store_results.c).  results
	   * holds the themes an admin uploaded, as the accepted JSON (counts
	   * already checked for disclosure, quotes scrubbed), and whether the
	   * page is published; results_did the "We did" entries staff write.
	   * Nothing here is a respondent's: only published figures and staff
	   * text, with days, not times. */
	"CREATE TABLE IF NOT EXISTS results ("
	" survey TEXT PRIMARY KEY, themes TEXT NOT NULL DEFAULT '',"
	" uploaded TEXT NOT NULL DEFAULT '', published INTEGER NOT NULL DEFAULT 0)"
	" WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS results_did ("
	" id INTEGER PRIMARY KEY, survey TEXT NOT NULL, title TEXT NOT NULL,"
	" body TEXT NOT NULL, status INTEGER NOT NULL CHECK (status BETWEEN 0 AND 2),"
	" day TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS results_did_survey ON results_did (survey, day);",
	NULL, NULL },
	{ /* tally_count: a survey's counts of its closed answers, for the
	   * dashboard and the results page (store_count.c, cgi/dash.c).  gen
	   * goes up, and the counts are dropped, in the transaction of every
	   * insert, delete or change of one of the survey's responses, by
	   * triggers, so that no path that writes responses (submissions,
	   * purges, moves, flags, anything later) can leave counts behind that
	   * are not those of the rows.  Nothing to fill in: counts are made
	   * when first asked for.  A migration that rebuilds the response
	   * table must make these triggers again. */
	"CREATE TABLE IF NOT EXISTS tally_count ("
	" survey TEXT PRIMARY KEY, gen INTEGER NOT NULL CHECK (gen >= 0), tally BLOB)"
	" WITHOUT ROWID;"
	"CREATE TRIGGER IF NOT EXISTS tally_count_insert AFTER INSERT ON response BEGIN"
	" INSERT INTO tally_count (survey, gen) VALUES (NEW.survey, 1)"
	" ON CONFLICT (survey) DO UPDATE SET gen = gen + 1, tally = NULL; END;"
	"CREATE TRIGGER IF NOT EXISTS tally_count_delete AFTER DELETE ON response BEGIN"
	" INSERT INTO tally_count (survey, gen) VALUES (OLD.survey, 1)"
	" ON CONFLICT (survey) DO UPDATE SET gen = gen + 1, tally = NULL; END;"
	"CREATE TRIGGER IF NOT EXISTS tally_count_update AFTER UPDATE ON response BEGIN"
	" INSERT INTO tally_count (survey, gen) VALUES (OLD.survey, 1)"
	" ON CONFLICT (survey) DO UPDATE SET gen = gen + 1, tally = NULL;"
	" INSERT INTO tally_count (survey, gen) VALUES (NEW.survey, 1)"
	" ON CONFLICT (survey) DO UPDATE SET gen = gen + 1, tally = NULL; END;", NULL, NULL },
	{ /* tally_gen: a survey's gen is now the sum of its rows here, one per
	   * shard, so that two writers adding responses at once (app nodes on
	   * one PostgreSQL database, each its own shard) do not both wait on
	   * one row until their commits.  An insert only raises its shard's
	   * gen; tally_count keeps the counts with the gen they were counted
	   * at (they are the survey's counts while that is still the sum) and
	   * drops, which a delete or change of a response raises as it drops
	   * the counts, so that nothing counted before it can be stored after
	   * it.  SQLite has one writer: its shard is always 0.  A migration
	   * that rebuilds the response table must make these triggers again. */
	"CREATE TABLE IF NOT EXISTS tally_gen ("
	" survey TEXT NOT NULL, shard INTEGER NOT NULL, gen INTEGER NOT NULL CHECK (gen >= 0),"
	" PRIMARY KEY (survey, shard)) WITHOUT ROWID;"
	"INSERT INTO tally_gen (survey, shard, gen) SELECT survey, 0, gen FROM tally_count"
	" WHERE gen > 0 ON CONFLICT DO NOTHING;", store_add_drops,
	"DROP TRIGGER IF EXISTS tally_count_insert;"
	"DROP TRIGGER IF EXISTS tally_count_delete;"
	"DROP TRIGGER IF EXISTS tally_count_update;"
	"CREATE TRIGGER IF NOT EXISTS tally_gen_insert AFTER INSERT ON response BEGIN"
	" INSERT INTO tally_gen (survey, shard, gen) VALUES (NEW.survey, 0, 1)"
	" ON CONFLICT (survey, shard) DO UPDATE SET gen = gen + 1; END;"
	"CREATE TRIGGER IF NOT EXISTS tally_gen_delete AFTER DELETE ON response BEGIN"
	" INSERT INTO tally_gen (survey, shard, gen) VALUES (OLD.survey, 0, 1)"
	" ON CONFLICT (survey, shard) DO UPDATE SET gen = gen + 1;"
	" UPDATE tally_count SET tally = NULL, drops = drops + 1 WHERE survey = OLD.survey; END;"
	"CREATE TRIGGER IF NOT EXISTS tally_gen_update AFTER UPDATE ON response BEGIN"
	" INSERT INTO tally_gen (survey, shard, gen) VALUES (OLD.survey, 0, 1)"
	" ON CONFLICT (survey, shard) DO UPDATE SET gen = gen + 1;"
	" INSERT INTO tally_gen (survey, shard, gen) VALUES (NEW.survey, 0, 1)"
	" ON CONFLICT (survey, shard) DO UPDATE SET gen = gen + 1;"
	" UPDATE tally_count SET tally = NULL, drops = drops + 1"
	" WHERE survey IN (OLD.survey, NEW.survey); END;" },
	{ /* PostgreSQL's insert trigger now runs once per statement (store_
	   * schema_pg.c); SQLite's per row costs no more than the row. */
	"", NULL, NULL },
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))
_Static_assert(NMIGRATIONS == STORE_PG_MIGRATIONS,
    "every migration has its PostgreSQL form in store_schema_pg.c");

/* Migration v (1-based) in the dialect of db's engine. */
static const struct migration *
migration(struct db *db, int v)
{
	return db_engine(db) == DB_PG ? &store_pg_migrations[v - 1] : &migrations[v - 1];
}

static enum store_err
read_version(struct db *db, int *version)
{
	struct db_stmt	*s = NULL;
	int		 rc;

	*version = 0;
	rc = db_prepare(db, "SELECT coalesce(max(version), 0) FROM schema_version", 0, &s);
	if (rc == DB_OK && (rc = db_step(s)) == DB_ROW)
		*version = db_column_int(s, 0);
	db_finalize(s);
	return store_err_of(rc);
}

/* Applies migration v (1-based) unless another process got there first. */
static enum store_err
migrate_one(struct db *db, int v)
{
	const struct migration *m = migration(db, v);
	struct db_stmt	*s = NULL;
	enum store_err	 er;
	int		 cur;

	if ((er = store_exec_sql(db, DB_SQL2("BEGIN IMMEDIATE",
	    "BEGIN; LOCK TABLE schema_version IN EXCLUSIVE MODE"))) != STORE_OK)
		return er;
	if ((er = read_version(db, &cur)) != STORE_OK || cur >= v)
		goto out;
	if ((er = store_exec_sql(db, m->sql)) != STORE_OK ||
	    (m->step != NULL && (er = m->step(db)) != STORE_OK) ||
	    (m->after != NULL && (er = store_exec_sql(db, m->after)) != STORE_OK))
		goto out;
	er = store_err_of(db_prepare(db, "INSERT INTO schema_version (version) VALUES (?1)", 0, &s));
	if (er == STORE_OK && (er = store_err_of(db_bind_int(s, 1, v))) == STORE_OK)
		er = store_err_of(db_step(s));
out:
	db_finalize(s);
	if (er == STORE_OK)
		er = store_exec_sql(db, "COMMIT");
	if (er != STORE_OK && !db_autocommit(db))
		(void)store_exec_sql(db, "ROLLBACK");
	return er;
}

enum store_err
store_migrate(struct store *st)
{
	enum store_err	 er;

	/* A database at this version gets no DDL at all, not even IF NOT EXISTS
	 * (PostgreSQL checks the privilege to create before it looks): a role
	 * that may only read and write rows opens it as well as its owner. */
	if (read_version(st->db, &st->version) == STORE_OK && st->version == NMIGRATIONS)
		return STORE_OK;
	er = store_exec_sql(st->db, "CREATE TABLE IF NOT EXISTS schema_version"
	    " (version INTEGER PRIMARY KEY)");
	if (er != STORE_OK || (er = read_version(st->db, &st->version)) != STORE_OK)
		return er;
	if (st->version > NMIGRATIONS)	/* written by a newer build: do not touch */
		return STORE_SCHEMA;
	for (int v = st->version + 1; v <= NMIGRATIONS; v++)
		if ((er = migrate_one(st->db, v)) != STORE_OK)
			return er;
	return read_version(st->db, &st->version);
}

/* A read-only open never migrates, so it takes only this version's schema:
 * anything else (no schema_version table at all included) says so, rather
 * than failing later on a statement that names a missing table. */
enum store_err
store_schema_check(struct store *st)
{
	enum store_err er = read_version(st->db, &st->version);

	if (er == STORE_IO && db_errcode(st->db) == DB_ERROR)
		return STORE_SCHEMA;
	if (er == STORE_OK && st->version != NMIGRATIONS)
		return STORE_SCHEMA;
	return er;
}

