/* What the analysis tool's tests share (an_unit.h). */
#include <sys/stat.h>

#include "an_unit.h"

void
an_cmd(int (*cmd)(int, char **), char **argv)
{
	int	argc = 0;

	while (argv[argc] != NULL)
		argc++;
	ck_assert_int_eq(cmd(argc, argv), 0);
}

void
an_surveys(char *dir, size_t size, const char *tmp, const char *file, const char *yaml)
{
	ck_assert_int_lt(snprintf(dir, size, "%s/surveys", tmp), (int)size);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	unit_write(dir, file, yaml);
	unit_copy_ui(dir);
}

void
an_fixture_db(char *db, size_t size, const char *tmp)
{
	ck_assert_int_lt(snprintf(db, size, "%s/fixture.db", tmp), (int)size);
	AN_GENERATE(db, AN_FIX "/surveys", "--n", "300", "--seed", "42", "--waves", "2");
}
