/* store_pcache: SQLite's own page cache, less one walk per commit.
 *
 * Responses are keyed by random ids, so inserts land all over the b-tree and
 * a leaf split often has to renumber its new pages into ascending order.
 * SQLite does that by moving one page to a spare number for a moment: the
 * page after the lock-byte page, 262145 with 4 KiB pages, far past the end
 * of the file.  The default cache remembers the highest number it ever held,
 * and at every COMMIT, asked to drop the pages past the end of the file,
 * walks its whole hash table because that number is past the end; with the
 * writer's 64 MiB cache that walk was 15-20% of the writer's CPU.
 *
 * This wrapper hands every call to the default cache and keeps, per cache,
 * an upper bound on the page numbers it can hold: the highest number created,
 * plus a short list of numbers pages were moved to beyond it (removed when a
 * page moves away again).  A truncation that can drop nothing is skipped; any
 * other goes through.  The bound only ever errs high (a page the default
 * cache recycles on its own stays counted), so a truncation that has work to
 * do is never skipped. */
#include <pthread.h>
#include <stdlib.h>
#include <sqlite3.h>
#include "store_int.h"

#define MOVED_MAX	4

struct wcache {
	sqlite3_pcache	*base;
	unsigned	 top;			/* no created page numbered above */
	unsigned	 moved[MOVED_MAX];	/* moved-to numbers above top */
	int		 nmoved;
};

static sqlite3_pcache_methods2 base;

static int
w_init(void *arg)
{
	(void)arg;
	return base.xInit ? base.xInit(base.pArg) : SQLITE_OK;
}

static void
w_shutdown(void *arg)
{
	(void)arg;
	if (base.xShutdown)
		base.xShutdown(base.pArg);
}

static sqlite3_pcache *
w_create(int size, int extra, int purgeable)
{
	struct wcache *w;

	if ((w = calloc(1, sizeof *w)) == NULL)
		return NULL;
	if ((w->base = base.xCreate(size, extra, purgeable)) == NULL) {
		free(w);
		return NULL;
	}
	return (sqlite3_pcache *)w;
}

static void
w_cachesize(sqlite3_pcache *p, int n)
{
	base.xCachesize(((struct wcache *)p)->base, n);
}

static int
w_pagecount(sqlite3_pcache *p)
{
	return base.xPagecount(((struct wcache *)p)->base);
}

static sqlite3_pcache_page *
w_fetch(sqlite3_pcache *p, unsigned key, int create)
{
	struct wcache *w = (struct wcache *)p;

	if (create && key > w->top)
		w->top = key;
	return base.xFetch(w->base, key, create);
}

static void
w_unpin(sqlite3_pcache *p, sqlite3_pcache_page *pg, int discard)
{
	base.xUnpin(((struct wcache *)p)->base, pg, discard);
}

static void
w_rekey(sqlite3_pcache *p, sqlite3_pcache_page *pg, unsigned from, unsigned to)
{
	struct wcache *w = (struct wcache *)p;

	for (int i = 0; i < w->nmoved; i++)
		if (w->moved[i] == from) {
			w->moved[i] = w->moved[--w->nmoved];
			break;
		}
	if (to > w->top) {
		if (w->nmoved < MOVED_MAX)
			w->moved[w->nmoved++] = to;
		else
			w->top = to;
	}
	base.xRekey(w->base, pg, from, to);
}

static void
w_truncate(sqlite3_pcache *p, unsigned limit)
{
	struct wcache *w = (struct wcache *)p;
	int need = w->top >= limit;

	for (int i = 0; i < w->nmoved; i++)
		need |= w->moved[i] >= limit;
	if (!need)
		return;
	base.xTruncate(w->base, limit);
	if (limit > 0 && w->top >= limit)
		w->top = limit - 1;
	for (int i = 0; i < w->nmoved;)
		if (w->moved[i] >= limit)
			w->moved[i] = w->moved[--w->nmoved];
		else
			i++;
}

static void
w_destroy(sqlite3_pcache *p)
{
	struct wcache *w = (struct wcache *)p;

	base.xDestroy(w->base);
	free(w);
}

static void
w_shrink(sqlite3_pcache *p)
{
	if (base.xShrink)
		base.xShrink(((struct wcache *)p)->base);
}

static const sqlite3_pcache_methods2 wrapper = {
	.xInit = w_init, .xShutdown = w_shutdown, .xCreate = w_create,
	.xCachesize = w_cachesize, .xPagecount = w_pagecount, .xFetch = w_fetch,
	.xUnpin = w_unpin, .xRekey = w_rekey, .xTruncate = w_truncate,
	.xDestroy = w_destroy, .xShrink = w_shrink,
};

static void
install(void)
{
	sqlite3_pcache_methods2 m = wrapper;

	if (sqlite3_config(SQLITE_CONFIG_GETPCACHE2, &base) != SQLITE_OK ||
	    base.xCreate == NULL)
		return;
	m.iVersion = base.iVersion;
	(void)sqlite3_config(SQLITE_CONFIG_PCACHE2, &m);
}

/* Before the process's first connection; once SQLite is initialised the
 * configuration is refused and the default cache simply stays. */
void
store_pcache_install(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	(void)pthread_once(&once, install);
}
