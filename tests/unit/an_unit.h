/* What the analysis tool's tests share: its fixture, and running its
 * commands on a synthetic database.  Link with unit.o and an_unit.o. */
#ifndef AN_UNIT_H
#define AN_UNIT_H

#include <stddef.h>

#include "cmd.h"
#include "codebook.h"
#include "unit.h"

/* The fixture: surveys, codebooks and the analysis key pair. */
#define AN_FIX	"tests/fixtures/analysis"

/* Runs cmd with the arguments in argv (NULL ends them) and asserts it
 * succeeds. */
void	 an_cmd(int (*cmd)(int, char **), char **argv);

/* `generate` into the database db from the surveys in dir with the
 * fixture's public key, and the options after them. */
#define AN_GENERATE(db, dir, ...) an_cmd(cmd_generate, (char *[]){ "--db", (char *)(db), \
	"--pub", AN_FIX "/analysis.pub", "--surveys", (char *)(dir), __VA_ARGS__, NULL })

/* `report`, quietly, of the database db with the surveys in dir and the
 * fixture's secret key, and the options after them. */
#define AN_REPORT(db, dir, ...) an_cmd(cmd_report, (char *[]){ "--db", (char *)(db), \
	"--key", AN_FIX "/analysis.secret", "--surveys", (char *)(dir), "--quiet", \
	__VA_ARGS__, NULL })

/* The fixture database: 300 responses in two waves, seed 42, to the
 * fixture's surveys, made as tmp/fixture.db; its path goes into db. */
void	 an_fixture_db(char *db, size_t size, const char *tmp);

/* Makes tmp/surveys holding file (the survey's text yaml) and the tests'
 * ui.yaml; its path goes into dir. */
void	 an_surveys(char *dir, size_t size, const char *tmp, const char *file, const char *yaml);

/* The codebook at path, which must load. */
struct codebook *an_codebook(const char *path);

struct tally;
/* The CSV export (tables.csv) of t's report at threshold 10, as one string
 * to free. */
char	*an_tally_csv(const struct tally *t);

/* t and u report alike: their CSV exports (an_tally_csv) are the same and
 * have the ward question's table. */
void	 an_tally_same(const struct tally *t, const struct tally *u);

/* The areas and themes cb codes text to, as `code` prints them: into areas
 * (128 bytes) and themes (256 bytes). */
void	 an_code(struct codebook *cb, const char *text, char *areas, char *themes);

/* An answer and what it codes to, as an_code writes them; themes NULL when
 * only the areas matter. */
struct an_case {
	const char	*text, *areas, *themes;
};

/* cb codes each of the n cases' text to its areas and themes. */
void	 an_expect(struct codebook *cb, const struct an_case *c, size_t n);

/* The same for a table of cases. */
#define AN_EXPECT_ALL(cb, cases) an_expect((cb), (cases), sizeof(cases) / sizeof((cases)[0]))

#endif
