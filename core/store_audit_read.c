/* store_audit_read: listing the audit log for the admin page, with filters
 * bound as values (an empty filter binds NULL and matches everything). */
#include <string.h>
#include "store_int.h"

#define WHERE	" WHERE (action = ?1 OR ?1 IS NULL) AND (staff = ?2 OR ?2 IS NULL)" \
		" AND (substr(at, 1, 10) >= ?3 OR ?3 IS NULL)" \
		" AND (substr(at, 1, 10) <= ?4 OR ?4 IS NULL)"

static const char list_sql[] =
    "SELECT id, at, staff, action, detail FROM audit" WHERE " ORDER BY id DESC LIMIT ?5 OFFSET ?6";
static const char count_sql[] = "SELECT count(*) FROM audit" WHERE;
static const char *const distinct_sql[2] = {
	"SELECT DISTINCT action FROM audit ORDER BY action",
	"SELECT DISTINCT staff FROM audit ORDER BY staff",
};

static int
bind_opt(struct db_stmt *q, int i, const char *s)
{
	if (s == NULL || s[0] == '\0')
		return db_bind_null(q, i);
	return db_bind_text(q, i, s, -1);
}

static int
bind_filter(struct db_stmt *q, const struct store_audit_filter *f)
{
	int rc;

	if ((rc = bind_opt(q, 1, f->action)) != DB_OK ||
	    (rc = bind_opt(q, 2, f->staff)) != DB_OK ||
	    (rc = bind_opt(q, 3, f->from)) != DB_OK)
		return rc;
	return bind_opt(q, 4, f->to);
}

static enum store_err
count(struct db *db, const struct store_audit_filter *f, int64_t *total)
{
	struct db_stmt	*q = NULL;
	int		 rc;

	*total = 0;
	if ((rc = db_prepare(db, count_sql, 0, &q)) == DB_OK &&
	    (rc = bind_filter(q, f)) == DB_OK && (rc = db_step(q)) == DB_ROW) {
		*total = db_column_int64(q, 0);
		rc = DB_DONE;
	}
	db_finalize(q);
	return rc == DB_DONE ? STORE_OK : store_err_of(rc);
}

enum store_err
store_audit_list(struct store *st, const struct store_audit_filter *f, int64_t offset,
    int limit, int (*fn)(void *ctx, const struct store_audit_row *r), void *ctx, int64_t *total)
{
	struct db_stmt		*q = NULL;
	struct store_audit_row	 r;
	enum store_err		 er;
	int			 rc;

	if ((er = count(st->db, f, total)) != STORE_OK)
		return er;
	if ((rc = db_prepare(st->db, list_sql, 0, &q)) == DB_OK &&
	    (rc = bind_filter(q, f)) == DB_OK &&
	    (rc = db_bind_int(q, 5, limit)) == DB_OK &&
	    (rc = db_bind_int64(q, 6, offset)) == DB_OK) {
		while ((rc = db_step(q)) == DB_ROW) {
			r.id = db_column_int64(q, 0);
			r.at = (const char *)db_column_text(q, 1);
			r.staff = (const char *)db_column_text(q, 2);
			r.action = (const char *)db_column_text(q, 3);
			r.detail = (const char *)db_column_text(q, 4);
			if (fn(ctx, &r) != 0) {
				rc = DB_DONE;
				break;
			}
		}
	}
	db_finalize(q);
	return rc == DB_DONE ? STORE_OK : store_err_of(rc);
}

enum store_err
store_audit_distinct(struct store *st, int which, int (*fn)(void *ctx, const char *s), void *ctx)
{
	struct db_stmt	*q = NULL;
	int		 rc;

	if (which < 0 || which > 1)
		return STORE_INVALID;
	if ((rc = db_prepare(st->db, distinct_sql[which], 0, &q)) == DB_OK)
		rc = store_each_text(q, fn, ctx);
	db_finalize(q);
	return rc == DB_DONE ? STORE_OK : store_err_of(rc);
}
