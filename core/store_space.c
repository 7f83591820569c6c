/* store_space: room on the database's filesystem.  A full disk must never
 * leave the database unable to drain its WAL: a checkpoint copies the WAL's
 * new pages into the database file, which needs room, and only then can the
 * -wal file be truncated.  So a reserve file of STORE_RESERVE_BYTES is kept
 * beside the database; the writer deletes it to let that checkpoint run when
 * a commit meets a full disk, and accepts new writes again only once it
 * could make the reserve anew (with STORE_SPACE_MIN to spare).  Invariant,
 * shared by the writer and every worker: no reserve file = writes refused.
 * The room a drain needs is only the pages the WAL holds beyond the end of
 * the database file; the writer's thread copies frames every 50 ms, so that
 * is what arrived since (a few hundred KiB at full speed): 2 MiB is ample,
 * unless a long reader held checkpoints back while the disk filled. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "db.h"
#include "store.h"

#define WARN_SHARE	10			/* nearly full below 1/10 of the filesystem ... */
#define WARN_CAP	(1024ULL * 1024 * 1024)	/* ... or below 1 GiB, whichever is less */

int
store_is_file(const char *db)
{
	return db_engine_of(db) == DB_SQLITE;
}

static int
reserve_path(const char *db, char *out, size_t n)
{
	int k = snprintf(out, n, "%s.reserve", db);

	return k > 0 && (size_t)k < n ? 0 : -1;
}

static int
reserve_present(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && (uint64_t)sb.st_size >= STORE_RESERVE_BYTES;
}

/* The directory holding db (its filesystem is the one that matters). */
static int
fs_of(const char *db, struct statvfs *vs)
{
	char dir[4096];
	const char *slash = strrchr(db, '/');
	size_t n = slash == NULL ? 0 : (size_t)(slash - db);

	if (n >= sizeof(dir))
		return -1;
	if (slash == NULL)
		strcpy(dir, ".");
	else if (n == 0)
		strcpy(dir, "/");
	else
		memcpy(dir, db, n), dir[n] = '\0';
	return statvfs(dir, vs);
}

enum store_space
store_space(const char *db, uint64_t *free_bytes)
{
	char path[4096];
	struct statvfs vs;
	uint64_t avail, size, warn;

	*free_bytes = 0;
	if (!store_is_file(db)) {	/* the server's disk: it refuses writes itself */
		*free_bytes = UINT64_MAX;
		return STORE_SPACE_OK;
	}
	if (reserve_path(db, path, sizeof(path)) != 0 || fs_of(db, &vs) != 0)
		return STORE_SPACE_UNKNOWN;
	avail = (uint64_t)vs.f_bavail * vs.f_frsize;
	size = (uint64_t)vs.f_blocks * vs.f_frsize;
	*free_bytes = avail;
	if (!reserve_present(path))
		return STORE_SPACE_FULL;
	warn = size / WARN_SHARE < WARN_CAP ? size / WARN_SHARE : WARN_CAP;
	return avail < warn ? STORE_SPACE_LOW : STORE_SPACE_OK;
}

enum store_err
store_reserve_make(const char *db)
{
	char path[4096];
	struct statvfs vs;
	int fd, rc;

	if (!store_is_file(db))
		return STORE_OK;
	if (reserve_path(db, path, sizeof(path)) != 0)
		return STORE_INVALID;
	if (reserve_present(path))
		return STORE_OK;
	if (fs_of(db, &vs) != 0)
		return STORE_IO;
	if ((uint64_t)vs.f_bavail * vs.f_frsize < STORE_RESERVE_BYTES + STORE_SPACE_MIN)
		return STORE_FULL;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return errno == ENOSPC ? STORE_FULL : STORE_IO;
	rc = posix_fallocate(fd, 0, STORE_RESERVE_BYTES);
	if (close(fd) != 0 && rc == 0)
		rc = errno;
	if (rc != 0) {
		unlink(path);		/* a part of a reserve would be mistaken for one */
		return rc == ENOSPC ? STORE_FULL : STORE_IO;
	}
	return STORE_OK;
}

void
store_reserve_release(const char *db)
{
	char path[4096];

	if (store_is_file(db) && reserve_path(db, path, sizeof(path)) == 0)
		unlink(path);
}
