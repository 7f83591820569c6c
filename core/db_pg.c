/* db_pg: the PostgreSQL engine of db.h (libpq). */
#include "db.h"

int
db_pg_open(const char *conninfo, int flags, struct db **out)
{
	(void)conninfo, (void)flags;
	*out = NULL;
	return DB_CANTOPEN;
}
