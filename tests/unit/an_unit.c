/* What the analysis tool's tests share (an_unit.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "an_unit.h"
#include "export.h"
#include "report.h"

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

struct codebook *
an_codebook(const char *path)
{
	struct codebook	*cb = NULL;
	char		 err[256];

	ck_assert_msg(codebook_load(path, &cb, err, sizeof(err)) == 0, "%s", err);
	return cb;
}

void
an_code(struct codebook *cb, const char *text, char *areas, char *themes)
{
	struct codebook_hits	h;
	size_t			len = 0;

	ck_assert_int_eq(codebook_code(cb, text, strlen(text), &h, NULL), 0);
	codebook_areas_str(cb, h.areas, areas, 128);
	themes[0] = '\0';
	for (size_t i = 0; i < h.nthemes; i++)
		len += (size_t)snprintf(themes + len, 256 - len, "%s%s", i ? "," : "",
		    codebook_theme(cb, h.themes[i])->id);
}

void
an_tally_same(const struct tally *t, const struct tally *u)
{
	char	*want = an_tally_csv(t), *got = an_tally_csv(u);

	ck_assert_ptr_nonnull(strstr(want, "\"ward\""));
	ck_assert_str_eq(got, want);
	free(want);
	free(got);
}

void
an_expect(struct codebook *cb, const struct an_case *c, size_t n)
{
	char	 a[128], t[256];

	for (size_t i = 0; i < n; i++) {
		an_code(cb, c[i].text, a, t);
		ck_assert_msg(strcmp(a, c[i].areas) == 0, "\"%s\": areas %s, want %s",
		    c[i].text, a, c[i].areas);
		ck_assert_msg(c[i].themes == NULL || strcmp(t, c[i].themes) == 0,
		    "\"%s\": themes %s, want %s", c[i].text, t, c[i].themes);
	}
}

char *
an_tally_csv(const struct tally *t)
{
	char dir[64], err[256], *text;
	struct export_opts o = { 0, NULL };
	struct report *r;

	unit_tmpdir(dir, sizeof(dir));
	ck_assert_ptr_nonnull(r = report_build(t, 10, 0));
	ck_assert_int_eq(export_csv(r, dir, &o, err, sizeof(err)), 0);
	report_free(r);
	text = unit_slurp_in(dir, "tables.csv");
	unit_rmdir(dir);
	return text;
}
