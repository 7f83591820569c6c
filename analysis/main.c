/* voices-analyse: the policy team's command-line tool.  main only picks the
 * subcommand; each lives in its own cmd_*.c. */
#include <stdio.h>
#include <string.h>
#include "cmd.h"

static const struct {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*what;
} cmds[] = {
	{ "code",	cmd_code,	"code answers on stdin to outcome areas and themes" },
	{ "evaluate",	cmd_evaluate,	"agreement of the coding with a human-coded CSV" },
	{ "train",	cmd_train,	"learn the coding model from human-coded answers" },
	{ "report",	cmd_report,	"tallies, themes and exports from a database" },
	{ "crosstab",	cmd_crosstab,	"one question broken down by channel, ward, age band or another question" },
	{ "generate",	cmd_generate,	"fill a database with synthetic responses" },
	{ "sheet",	cmd_sheet,	"a coding sheet of every free-text answer, for checking by hand" },
	{ "corrections", cmd_corrections, "import a checked coding sheet into a corrections file" },
	{ "opendata",	cmd_opendata,	"anonymised one-row-per-response CSV for publication" },
};

static int
usage(void)
{
	fprintf(stderr, "usage: voices-analyse COMMAND [options]\n\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(stderr, "  %-10s %s\n", cmds[i].name, cmds[i].what);
	return 2;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 2, argv + 2);
	return usage();
}
