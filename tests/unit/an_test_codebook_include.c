/* Tests for a codebook written in several files: include: loads the themes
 * of other files after its own, lists: gives phrase lists a theme in any file
 * names as its with: or without:, errors name the file and line, --explain
 * names the file a phrase is written in, and the hash a model names covers
 * every file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "an_unit.h"
#include "codebook.h"

static const char main_yaml[] =
    "version: 1\n"
    "frames:\n"
    "  - id: outcomes\n"
    "    title: Areas\n"
    "    codes: [{id: violence, title: V}, {id: trust, title: T}]\n"
    "lists:\n"
    "  running: [board, funding]\n"
    "  people: [residents, us]\n"
    "include: [parts/violence.yaml, parts/trust.yaml]\n"
    "themes:\n"
    "  - {id: fights, frame: outcomes, code: violence, phrases: [fight]}\n";

static const char violence_yaml[] =
    "# violence\n"
    "themes:\n"
    "  - id: knife\n"
    "    frame: outcomes\n"
    "    code: violence\n"
    "    phrases: [knife, stabbing]\n"
    "    without: running\n";

static const char trust_yaml[] =
    "themes:\n"
    "  - {id: police, frame: outcomes, code: trust, phrases: [police], with: people}\n";

static char dir[64];

/* The three files, in dir and dir/parts. */
static int
write_files(void)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/parts", dir);
	if (mkdir(p, 0700) != 0)
		return -1;
	unit_write(dir, "cb.yaml", main_yaml);
	unit_write(p, "violence.yaml", violence_yaml);
	unit_write(p, "trust.yaml", trust_yaml);
	return 0;
}

static void
setup(void)
{
	unit_tmpdir(dir, sizeof(dir));
	ck_assert_int_eq(write_files(), 0);
}

static void
teardown(void)
{
	unit_rmdir(dir);
}

static struct codebook *
load_ok(void)
{
	struct codebook *cb = NULL;
	char path[128], err[512];

	snprintf(path, sizeof(path), "%s/cb.yaml", dir);
	ck_assert_msg(codebook_load(path, &cb, err, sizeof(err)) == 0, "%s", err);
	return cb;
}

static const char *
load_err(void)
{
	static char err[512];
	struct codebook *cb = NULL;
	char path[128];

	snprintf(path, sizeof(path), "%s/cb.yaml", dir);
	ck_assert_int_eq(codebook_load(path, &cb, err, sizeof(err)), -1);
	return err;
}

START_TEST(themes_of_every_file_in_order)
{
	static const struct an_case cases[] = {
		{ "a stabbing and a fight", "violence", "fights,knife" },
		/* the named lists act as the theme's own with: and without: */
		{ "knife crime funding", "other", "" },
		{ "the police never listen to residents", "trust", "police" },
		{ "police", "trust", "police" },	/* the whole answer */
		{ "the police station moved", "other", "" },
	};
	struct codebook *cb = load_ok();

	ck_assert_int_eq(codebook_theme_index(cb, "fights"), 0);
	ck_assert_int_eq(codebook_theme_index(cb, "knife"), 1);
	ck_assert_int_eq(codebook_theme_index(cb, "police"), 2);
	AN_EXPECT_ALL(cb, cases);
	codebook_free(cb);
}
END_TEST

START_TEST(explain_names_the_file)
{
	struct codebook *cb = load_ok();
	struct codebook_hits h;
	const char *t = "a stabbing and a fight";
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	ck_assert_int_eq(codebook_code(cb, t, strlen(t), &h, fp), 0);
	fclose(fp);
	ck_assert_msg(strstr(out, "knife \"stabbing\" (parts/violence.yaml line 6)") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "fights \"fight\" (codebook line 11)") != NULL, "%s", out);
	free(out);
	codebook_free(cb);
}
END_TEST

START_TEST(hash_covers_included_files)
{
	struct codebook *cb = load_ok();
	char before[33], p[128];

	snprintf(before, sizeof(before), "%s", codebook_hash(cb));
	codebook_free(cb);
	snprintf(p, sizeof(p), "%s/parts", dir);
	unit_write(p, "trust.yaml", "themes:\n  - {id: police, frame: outcomes, code: trust, "
	    "phrases: [police, feds], with: people}\n");
	cb = load_ok();
	ck_assert_str_ne(codebook_hash(cb), before);
	codebook_free(cb);
}
END_TEST

START_TEST(errors_name_the_file)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/parts", dir);
	unit_write(p, "violence.yaml", "themes:\n  - {id: knife, frame: outcomes, code: violence,\n"
	    "     phrases: [knife], without: runing}\n");
	ck_assert_msg(strstr(load_err(), "parts/violence.yaml:3: no list 'runing' under lists:")
	    != NULL, "%s", load_err());
	unit_write(p, "violence.yaml", "themes:\n  - {id: fights, frame: outcomes, code: violence, "
	    "phrases: [x]}\n");
	ck_assert_msg(strstr(load_err(), "parts/violence.yaml:2: theme 'fights' is defined twice")
	    != NULL, "%s", load_err());
	unit_write(p, "violence.yaml", "themes: []\nframes: []\n");
	ck_assert_msg(strstr(load_err(), "parts/violence.yaml:2: unknown key 'frames'") != NULL,
	    "%s", load_err());
	snprintf(p, sizeof(p), "%s/parts/violence.yaml", dir);
	ck_assert_int_eq(remove(p), 0);
	ck_assert_msg(strstr(load_err(), "cb.yaml:9: include: ") != NULL &&
	    strstr(load_err(), "parts/violence.yaml: cannot open") != NULL, "%s", load_err());
}
END_TEST

/* The shipped codebook is split the same way: its themes come from its
 * included files, and one of them names a list. */
START_TEST(shipped_codebook_includes)
{
	static const struct an_case shipped_cases[] = {
		{ "To agree an approach to a knife crime action plan", "violence", "knife-crime" },
		{ "MPS Dashboards: Knife Crime", "other", "" },
	};
	struct codebook *cb = NULL;
	char err[512];

	ck_assert_msg(codebook_load_rules("analysis/codebook.yaml", &cb, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_int_ge(codebook_theme_index(cb, "knife-crime"), 0);
	ck_assert_int_ge(codebook_theme_index(cb, "reoffending"), 0);
	AN_EXPECT_ALL(cb, shipped_cases);
	codebook_free(cb);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("codebook_include");
	TCase *tc = tcase_create("include");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, themes_of_every_file_in_order);
	tcase_add_test(tc, explain_names_the_file);
	tcase_add_test(tc, hash_covers_included_files);
	tcase_add_test(tc, errors_name_the_file);
	tcase_add_test(tc, shipped_codebook_includes);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK);
}
