/* store_audit: the audit log as an append-only hash chain.
 * Invariants: entry n's hash is BLAKE2b-256 over the previous entry's hash
 * (32 zero bytes for the first) and the canonical encoding of its fields
 * (audit_hash below); ids run 1, 2, 3 ... without a gap; an entry is written
 * inside a BEGIN IMMEDIATE transaction that read the last entry, so two
 * writers cannot both chain onto the same entry (and the UNIQUE index on
 * prev would refuse the second if they did).  Triggers refuse UPDATE and
 * DELETE on the table; whoever drops them can still rewrite it, which
 * store_audit_verify finds, and a rewrite of the whole chain or a cut of its
 * end is found against a head kept elsewhere (store.h).  Statements are
 * prepared per call, not at open: entries come a few per staff action, and
 * verifying must work on a STORE_COPY store, which prepares nothing. */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "store_int.h"

static const char *const break_names[STORE_AUDIT_BREAK__MAX] = {
	[STORE_AUDIT_INTACT] =		"intact",
	[STORE_AUDIT_GAP] =		"gap in ids: the entries before it are missing",
	[STORE_AUDIT_PREV] =		"prev does not match the hash of the entry before it",
	[STORE_AUDIT_HASH] =		"hash does not match the entry's content",
	[STORE_AUDIT_HEAD_MISSING] =	"the recorded head's entry is missing: the chain was cut",
	[STORE_AUDIT_HEAD_DIFFERS] =	"the entry's hash differs from the recorded head",
};

const char *
store_audit_break_name(enum store_audit_break b)
{
	return b < STORE_AUDIT_BREAK__MAX ? break_names[b] : "?";
}

static void
put_u64(crypto_generichash_state *h, uint64_t v)
{
	unsigned char b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	crypto_generichash_update(h, b, sizeof b);
}

/* A field: its length (8 bytes little-endian; all ones for NULL), its bytes. */
static void
put_field(crypto_generichash_state *h, const char *s, size_t n)
{
	put_u64(h, s == NULL ? UINT64_MAX : (uint64_t)n);
	if (s != NULL)
		crypto_generichash_update(h, (const unsigned char *)s, n);
}

void
store_audit_hash(const unsigned char prev[STORE_AUDIT_HASH_BYTES], int64_t id, const char *at,
    const char *staff, const char *action, const char *detail,
    unsigned char out[STORE_AUDIT_HASH_BYTES])
{
	static const char tag[] = "voices audit v1";
	crypto_generichash_state h;

	crypto_generichash_init(&h, NULL, 0, STORE_AUDIT_HASH_BYTES);
	put_field(&h, tag, sizeof tag - 1);
	crypto_generichash_update(&h, prev, STORE_AUDIT_HASH_BYTES);
	put_u64(&h, (uint64_t)id);
	put_field(&h, at, at ? strlen(at) : 0);
	put_field(&h, staff, staff ? strlen(staff) : 0);
	put_field(&h, action, action ? strlen(action) : 0);
	put_field(&h, detail, detail ? strlen(detail) : 0);
	crypto_generichash_final(&h, out, STORE_AUDIT_HASH_BYTES);
}

/* Copies a blob column of exactly STORE_AUDIT_HASH_BYTES; 0 when it is not one. */
static int
col_hash(struct db_stmt *q, int i, unsigned char out[STORE_AUDIT_HASH_BYTES])
{
	const void *b = db_column_blob(q, i);

	if (b == NULL || db_column_bytes(q, i) != STORE_AUDIT_HASH_BYTES) {
		memset(out, 0xff, STORE_AUDIT_HASH_BYTES);
		return 0;
	}
	memcpy(out, b, STORE_AUDIT_HASH_BYTES);
	return 1;
}

static const char *
col_str(struct db_stmt *q, int i)
{
	return (const char *)db_column_text(q, i);
}

enum store_err
store_audit_last(struct db *db, int64_t *id, unsigned char head[STORE_AUDIT_HASH_BYTES])
{
	struct db_stmt	*q = NULL;
	int		 rc;

	*id = 0;
	memset(head, 0, STORE_AUDIT_HASH_BYTES);
	rc = db_prepare(db, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", 0, &q);
	if (rc == DB_OK && (rc = db_step(q)) == DB_ROW) {
		*id = db_column_int64(q, 0);
		rc = col_hash(q, 1, head) ? DB_DONE : DB_CORRUPT;
	}
	db_finalize(q);
	return rc == DB_DONE ? STORE_OK : store_err_of(rc);
}

/* Checks the current row against what the chain expects; sets v->bad_id and
 * v->why at the first break.  v->head and v->last_id advance on each row. */
static void
check_row(struct db_stmt *q, struct store_audit_verify *v)
{
	unsigned char prev[STORE_AUDIT_HASH_BYTES], hash[STORE_AUDIT_HASH_BYTES], want[STORE_AUDIT_HASH_BYTES];
	int64_t id = db_column_int64(q, 0);
	int ok_prev = col_hash(q, 5, prev), ok_hash = col_hash(q, 6, hash);

	store_audit_hash(prev, id, col_str(q, 1), col_str(q, 2), col_str(q, 3), col_str(q, 4), want);
	if (id != v->last_id + 1)
		v->why = STORE_AUDIT_GAP;
	else if (!ok_prev || sodium_memcmp(prev, v->head, sizeof prev) != 0)
		v->why = STORE_AUDIT_PREV;
	else if (!ok_hash || sodium_memcmp(hash, want, sizeof hash) != 0)
		v->why = STORE_AUDIT_HASH;
	if (v->why != STORE_AUDIT_INTACT)
		v->bad_id = id;
	v->entries++;
	v->last_id = id;
	memcpy(v->head, hash, sizeof hash);
	if (!v->have_want || v->why != STORE_AUDIT_INTACT)
		return;
	if (sodium_memcmp(hash, v->want, sizeof hash) == 0 && (v->want_id == 0 || v->want_id == id))
		v->want_found = 1;
	else if (v->want_id == id) {
		v->why = STORE_AUDIT_HEAD_DIFFERS;
		v->bad_id = id;
	}
}

static enum store_err
verify_db(struct db *db, struct store_audit_verify *v)
{
	struct db_stmt	*q = NULL;
	int		 rc;

	v->entries = v->last_id = v->bad_id = 0;
	v->want_found = 0;
	v->why = STORE_AUDIT_INTACT;
	memset(v->head, 0, sizeof v->head);
	rc = db_prepare(db, "SELECT id, at, staff, action, detail, prev, hash"
	    " FROM audit ORDER BY id", 0, &q);
	if (rc != DB_OK) {
		db_finalize(q);
		return rc == DB_ERROR ? STORE_SCHEMA : store_err_of(rc);
	}
	while (v->why == STORE_AUDIT_INTACT && (rc = db_step(q)) == DB_ROW)
		check_row(q, v);
	db_finalize(q);
	if (rc != DB_ROW && rc != DB_DONE)
		return store_err_of(rc);
	if (v->why == STORE_AUDIT_INTACT && v->have_want && !v->want_found) {
		v->why = STORE_AUDIT_HEAD_MISSING;
		v->bad_id = v->want_id > v->last_id || v->want_id == 0 ? v->last_id + 1 : v->want_id;
	}
	return STORE_OK;
}

enum store_err
store_audit_verify(struct store *st, struct store_audit_verify *v)
{
	return verify_db(st->db, v);
}

enum store_err
store_audit_append(struct db *db, const char *at, const char *staff, const char *action,
    const char *detail)
{
	struct db_stmt	*q = NULL;
	unsigned char	 prev[STORE_AUDIT_HASH_BYTES], hash[STORE_AUDIT_HASH_BYTES];
	int64_t		 id;
	enum store_err	 er;
	int		 rc;

	/* PostgreSQL: the chain's next link is read and written by one
	 * transaction at a time, as SQLite's write lock already ensures. */
	if ((er = store_exec_sql(db, DB_SQL2("",
	    "LOCK TABLE audit IN SHARE ROW EXCLUSIVE MODE"))) != STORE_OK ||
	    (er = store_audit_last(db, &id, prev)) != STORE_OK)
		return er;
	store_audit_hash(prev, ++id, at, staff, action, detail, hash);
	rc = db_prepare(db, "INSERT INTO audit (id, at, staff, action, detail, prev, hash)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", 0, &q);
	if (rc == DB_OK &&
	    ((rc = db_bind_int64(q, 1, id)) != DB_OK ||
	    (rc = db_bind_text(q, 2, at, -1)) != DB_OK ||
	    (rc = db_bind_text(q, 3, staff, -1)) != DB_OK ||
	    (rc = db_bind_text(q, 4, action, -1)) != DB_OK ||
	    (detail != NULL && (rc = db_bind_text(q, 5, detail, -1)) != DB_OK) ||
	    (rc = db_bind_blob(q, 6, prev, sizeof prev)) != DB_OK ||
	    (rc = db_bind_blob(q, 7, hash, sizeof hash)) != DB_OK))
		goto out;
	if (rc == DB_OK)
		rc = db_step(q);
out:
	db_finalize(q);
	return rc == DB_DONE ? STORE_OK : store_err_of(rc);
}

/* 1 when the audit table has the chain's columns already. */
static int
chained(struct db *db)
{
	return store_has_column(db, "audit", "hash");
}

/* Migration step: adds the columns and chains the rows written before the
 * chain existed, in id order, as if each had been appended with
 * store_audit_append.  Nothing to do when the columns are there. */
enum store_err
store_audit_chain_old(struct db *db)
{
	struct db_stmt	*q = NULL, *u = NULL;
	unsigned char	 prev[STORE_AUDIT_HASH_BYTES] = { 0 }, hash[STORE_AUDIT_HASH_BYTES];
	enum store_err	 er;
	int		 rc;

	if (chained(db))
		return STORE_OK;
	if ((er = store_exec_sql(db, DB_SQL2("ALTER TABLE audit ADD COLUMN prev BLOB;"
	    "ALTER TABLE audit ADD COLUMN hash BLOB;", "ALTER TABLE audit ADD COLUMN prev BYTEA;"
	    "ALTER TABLE audit ADD COLUMN hash BYTEA;"))) != STORE_OK)
		return er;
	rc = db_prepare(db, "SELECT id, at, staff, action, detail FROM audit ORDER BY id", 0, &q);
	if (rc == DB_OK)
		rc = db_prepare(db, "UPDATE audit SET prev = ?2, hash = ?3 WHERE id = ?1", 0, &u);
	while (rc == DB_OK && (rc = db_step(q)) == DB_ROW) {
		store_audit_hash(prev, db_column_int64(q, 0), col_str(q, 1), col_str(q, 2),
		    col_str(q, 3), col_str(q, 4), hash);
		db_bind_int64(u, 1, db_column_int64(q, 0));
		db_bind_blob(u, 2, prev, sizeof prev);
		db_bind_blob(u, 3, hash, sizeof hash);
		if ((rc = db_step(u)) == DB_DONE)
			rc = DB_OK;
		db_reset(u);
		memcpy(prev, hash, sizeof prev);
	}
	db_finalize(q);
	db_finalize(u);
	return rc == DB_DONE ? STORE_OK : store_err_of(rc);
}
