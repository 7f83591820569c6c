/* What every unit test shares: the runner for main(), temporary directories,
 * and reading and writing files.  The tests run from the repository root;
 * helpers that can fail fail the test (Check's ck_assert) unless they say
 * otherwise. */
#ifndef UNIT_H
#define UNIT_H

#include <check.h>
#include <stddef.h>
#include <stdio.h>

/* The words around the questions for tests: English, Turkish and Arabic. */
#define UNIT_UI	"tests/fixtures/ui.yaml"

/* Runs every test of s (fork: CK_FORK to fork whatever the environment says,
 * CK_FORK_GETENV to follow CK_FORK), frees the runner and returns main's exit
 * status: EXIT_SUCCESS when no test failed. */
int	 unit_run(Suite *s, enum fork_status fork);

/* Adds to s a test case called name with the tests after it (NULL ends
 * them) and returns it, for fixtures and loop tests to be added. */
TCase	*unit_tcase(Suite *s, const char *name, ...);

/* Runs the tests after fork (NULL ends them) as the one test case tcase of
 * a suite called suite, each for timeout seconds at most (0: Check's
 * default), as unit_run does; main's exit status. */
int	 unit_run_tests(const char *suite, const char *tcase, int timeout, enum fork_status fork,
	    ...);

/* Asserts that text holds each of the strings after it (NULL ends them). */
void	 unit_has(const char *text, ...);

/* Asserts that text holds none of the strings after it (NULL ends them). */
void	 unit_lacks(const char *text, ...);

/* Makes a fresh directory /tmp/PROGRAM.XXXXXX (PROGRAM: the test's name)
 * into dir (size bytes). */
void	 unit_tmpdir(char *dir, size_t size);

/* A fresh directory as unit_tmpdir makes, which goes when the process
 * exits: for a test that forks, at the end of the test.  The path is static;
 * a process makes 64 at most. */
const char *unit_tmp(void);

/* This process's own directory for scratch files: made (unit_tmp) on first
 * use, so for a test that forks one per test, and gone at exit. */
const char *unit_scratch(void);

/* Starts libsodium and makes a fresh directory (unit_tmpdir) for a test's
 * database, whose path dir/v.db goes into path (psize bytes). */
void	 unit_db_dir(char *dir, size_t size, char *path, size_t psize);

/* A checked fixture for tests with a database of their own: unit_db_setup
 * makes unit_dir and names unit_db in it (unit_db_dir); unit_db_teardown
 * removes unit_dir. */
extern char	 unit_dir[64], unit_db[96];
void	 unit_db_setup(void);
void	 unit_db_teardown(void);

/* Removes dir and everything below it. */
void	 unit_rmdir(const char *dir);

/* All of fp up to its end, NUL-terminated (the caller frees); its length in
 * *len unless len is NULL. */
char	*unit_read(FILE *fp, size_t *len);

/* The file at path as unit_read gives it, or NULL if it cannot be opened. */
char	*unit_slurp(const char *path, size_t *len);

/* The file at path, which must exist (the caller frees). */
char	*unit_file(const char *path);

/* The file dir/name, which must exist (the caller frees). */
char	*unit_slurp_in(const char *dir, const char *name);

/* Writes text to dir/name and returns its path (static: the last four
 * paths stay valid). */
const char *unit_write(const char *dir, const char *name, const char *text);

/* Copies the tests' ui.yaml (UNIT_UI) into dir. */
void	 unit_copy_ui(const char *dir);

#endif
