/* cmd_report: `report --db DB --key SECRETKEYFILE [--survey ID] --out DIR`
 * and the options run_parse knows.  Tallies, builds the suppressed report,
 * refuses to export if any table fails the disclosure check, then writes
 * each requested format, and with CSV the data dictionary (dictionary.csv). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "cmd.h"
#include "dictionary.h"
#include "export.h"
#include "population.h"
#include "report.h"
#include "run.h"

static const struct {
	const char	*name;
	int		(*fn)(const struct report *, const char *, const struct export_opts *,
			    char *, size_t);
} formats[] = {
	{ "csv", export_csv },
	{ "json", export_json },
	{ "xlsx", export_xlsx },
	{ "html", export_html },
};

static int
wanted(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; (p = strstr(p, name)) != NULL; p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

static int
export_all(const struct run *ru, const struct report *rep)
{
	struct export_opts o = { ru->bom, ru->generated };
	char err[512];

	if (mkdir(ru->out, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "voices-analyse: cannot create %s\n", ru->out);
		return -1;
	}
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (!wanted(ru->formats, formats[i].name))
			continue;
		if (formats[i].fn(rep, ru->out, &o, err, sizeof(err)) != 0) {
			fprintf(stderr, "voices-analyse: %s\n", err);
			return -1;
		}
	}
	if (wanted(ru->formats, "csv") && dictionary_write(rep->s, ru->out, ru->bom, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "voices-analyse: %s\n", err);
		return -1;
	}
	return 0;
}

/* Sets the borough's shares of ru->population beside the profile; warns
 * about lines that match no answer of the survey (a typo in a code would
 * otherwise just leave a row without its comparison). */
static int
add_population(const struct run *ru, struct report *rep)
{
	struct population *p = NULL;
	char err[512];
	int rc = -1;

	if (population_load(ru->population, &p, err, sizeof(err)) != 0) {
		fprintf(stderr, "voices-analyse: %s\n", err);
		return -1;
	}
	if (report_add_population(rep, p) != 0) {
		fprintf(stderr, "voices-analyse: out of memory\n");
		goto out;
	}
	for (size_t i = 0; i < p->n; i++)
		if (!p->rows[i].used)
			fprintf(stderr, "voices-analyse: %s: %s,%s matches no answer in the "
			    "profile; ignored\n", ru->population, p->rows[i].question, p->rows[i].code);
	rc = 0;
out:
	population_free(p);
	return rc;
}

int
cmd_report(int argc, char **argv)
{
	struct run ru;
	struct tally *t = NULL;
	struct report *rep = NULL;
	int rc = 1;

	if (run_parse(&ru, argc, argv) != 0 || ru.out == NULL) {
		fprintf(stderr, "usage: voices-analyse report --db DB --key SECRETKEYFILE --out DIR\n"
		    "  [--survey ID] [--surveys DIR] [--codebook FILE] [--config FILE]\n"
		    "  [--suppress K] [--quotes N] [--formats csv,json,xlsx,html] [--bom]\n"
		    "  [--date TEXT] [--population FILE.csv] [--quiet]\n");
		return 2;
	}
	if (run_tally(&ru, TALLY_BY_NONE, -1, &t) != 0)
		goto out;
	if ((rep = report_build(t, ru.suppress, (size_t)ru.quotes)) == NULL) {
		fprintf(stderr, "voices-analyse: out of memory\n");
		goto out;
	}
	if (ru.population != NULL && add_population(&ru, rep) != 0)
		goto out;
	if (!report_safe(rep)) {
		fprintf(stderr, "voices-analyse: a table failed the disclosure check; nothing written\n");
		goto out;
	}
	if (export_all(&ru, rep) != 0)
		goto out;
	rc = 0;
out:
	report_free(rep);
	tally_free(t);
	run_free(&ru);
	return rc;
}
