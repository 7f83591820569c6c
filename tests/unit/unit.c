/* What every unit test shares (unit.h). */
#include <errno.h>
#include <stdarg.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sodium.h>
#include <unistd.h>

#include "unit.h"

/* The directories unit_tmp made, removed at exit. */
static char	at_exit_dirs[64][256];
static size_t	n_at_exit;

static int
remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(path);
}

/* Removes dir and what is below it; 0 or -1. */
static int
remove_tree(const char *dir)
{
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void
rmdir_at_exit(void)
{
	for (size_t i = 0; i < n_at_exit; i++)
		(void)remove_tree(at_exit_dirs[i]);
}

/* unit_tcase with its tests in ap. */
static TCase *
tcase_of(Suite *s, const char *name, va_list ap)
{
	TCase		*tc = tcase_create(name);
	const TTest	*t;

	while ((t = va_arg(ap, const TTest *)) != NULL)
		tcase_add_test(tc, t);
	suite_add_tcase(s, tc);
	return tc;
}

TCase *
unit_tcase(Suite *s, const char *name, ...)
{
	TCase	*tc;
	va_list	 ap;

	va_start(ap, name);
	tc = tcase_of(s, name, ap);
	va_end(ap);
	return tc;
}

int
unit_run_tests(const char *suite, const char *tcase, int timeout, enum fork_status fork, ...)
{
	Suite	*s = suite_create(suite);
	TCase	*tc;
	va_list	 ap;

	va_start(ap, fork);
	tc = tcase_of(s, tcase, ap);
	va_end(ap);
	if (timeout > 0)
		tcase_set_timeout(tc, timeout);
	return unit_run(s, fork);
}

/* Asserts that text holds (has 1) or lacks (has 0) each string in ap. */
static void
text_has(const char *text, int has, va_list ap)
{
	const char	*s;

	ck_assert_ptr_nonnull(text);
	while ((s = va_arg(ap, const char *)) != NULL)
		ck_assert_msg((strstr(text, s) != NULL) == has, "\"%s\" %s in the text", s,
		    has ? "not" : "found");
}

void
unit_has(const char *text, ...)
{
	va_list	 ap;

	va_start(ap, text);
	text_has(text, 1, ap);
	va_end(ap);
}

void
unit_lacks(const char *text, ...)
{
	va_list	 ap;

	va_start(ap, text);
	text_has(text, 0, ap);
	va_end(ap);
}

int
unit_run(Suite *s, enum fork_status fork)
{
	SRunner	*sr = srunner_create(s);
	int	 failed;

	if (fork != CK_FORK_GETENV)
		srunner_set_fork_status(sr, fork);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

void
unit_tmpdir(char *dir, size_t size)
{
	ck_assert_int_lt(snprintf(dir, size, "/tmp/%s.XXXXXX", program_invocation_short_name),
	    (int)size);
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

const char *
unit_tmp(void)
{
	static pid_t	 owner;
	char		*dir;

	if (owner != getpid()) {	/* a forked test: its parent's directories are not its own */
		owner = getpid();
		if (n_at_exit == 0)
			ck_assert_int_eq(atexit(rmdir_at_exit), 0);
		n_at_exit = 0;
	}
	ck_assert_uint_lt(n_at_exit, sizeof at_exit_dirs / sizeof at_exit_dirs[0]);
	dir = at_exit_dirs[n_at_exit++];
	unit_tmpdir(dir, sizeof at_exit_dirs[0]);
	return dir;
}

const char *
unit_scratch(void)
{
	static const char	*dir;
	static pid_t		 owner;

	if (dir == NULL || owner != getpid()) {
		dir = unit_tmp();
		owner = getpid();
	}
	return dir;
}

void
unit_db_dir(char *dir, size_t size, char *path, size_t psize)
{
	ck_assert_int_ge(sodium_init(), 0);
	unit_tmpdir(dir, size);
	ck_assert_int_lt(snprintf(path, psize, "%s/v.db", dir), (int)psize);
}

char	unit_dir[64], unit_db[96];

void
unit_db_setup(void)
{
	unit_db_dir(unit_dir, sizeof unit_dir, unit_db, sizeof unit_db);
}

void
unit_db_teardown(void)
{
	unit_rmdir(unit_dir);
}

void
unit_rmdir(const char *dir)
{
	ck_assert_msg(remove_tree(dir) == 0, "%s: not removed", dir);
}

char *
unit_read(FILE *fp, size_t *len)
{
	size_t	 cap = 1 << 16, n = 0, got;
	char	*p = malloc(cap);

	ck_assert_ptr_nonnull(p);
	while ((got = fread(p + n, 1, cap - n - 1, fp)) > 0) {
		n += got;
		if (cap - n < 2)
			ck_assert_ptr_nonnull(p = realloc(p, cap *= 2));
	}
	ck_assert_int_eq(ferror(fp), 0);
	p[n] = '\0';
	if (len != NULL)
		*len = n;
	return p;
}

char *
unit_slurp(const char *path, size_t *len)
{
	FILE	*fp = fopen(path, "rb");
	char	*p;

	if (fp == NULL)
		return NULL;
	p = unit_read(fp, len);
	fclose(fp);
	return p;
}

char *
unit_file(const char *path)
{
	char	*p;

	ck_assert_msg((p = unit_slurp(path, NULL)) != NULL, "%s missing", path);
	return p;
}

char *
unit_slurp_in(const char *dir, const char *name)
{
	char	 path[512];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return unit_file(path);
}

const char *
unit_write(const char *dir, const char *name, const char *text)
{
	static char	 paths[4][512];
	static int	 k;
	char		*path = paths[k++ % 4];
	FILE		*fp;

	snprintf(path, sizeof paths[0], "%s/%s", dir, name);
	ck_assert_msg((fp = fopen(path, "wb")) != NULL, "%s: cannot write", path);
	ck_assert_int_ge(fputs(text, fp), 0);
	ck_assert_int_eq(fclose(fp), 0);
	return path;
}

void
unit_copy_ui(const char *dir)
{
	char	*ui;

	ui = unit_file(UNIT_UI);
	unit_write(dir, "ui.yaml", ui);
	free(ui);
}
