/* cmd_sheet: `sheet`, which writes the coding sheet for people to check,
 * and `corrections import`, which keeps what they corrected in the
 * analysts' corrections file.  The database is only ever read. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmd.h"
#include "corrections.h"
#include "run.h"
#include "sheet.h"

static void
print_counts(const struct sheet *sh, const struct survey *s, int corr)
{
	struct sheet_counts all = sheet_counts(sh, s->nqs);

	if (all.flagged > 0)
		fprintf(stderr, "sheet: %ld answers of responses the safeguarding check flagged "
		    "(listed first, for the safeguarding lead)\n", all.flagged);
	fprintf(stderr, "sheet: %ld free-text answers; %ld matched no theme (listed %s)\n",
	    all.answers, all.uncoded, all.flagged > 0 ? "next" : "first");
	for (size_t q = 0; q < s->nqs; q++) {
		struct sheet_counts c = sheet_counts(sh, q);
		if (c.uncoded > 0)
			fprintf(stderr, "  %s: %ld of %ld\n", s->qs[q].id, c.uncoded, c.answers);
	}
	if (corr)
		fprintf(stderr, "sheet: %ld answers corrected by hand; %ld corrections no longer "
		    "match their answer's text and were ignored\n", all.corrected, all.stale);
}

static int
write_sheet(const struct run *ru, const struct sheet *sh)
{
	char err[512];

	if (mkdir(ru->out, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "voices-analyse: cannot create %s\n", ru->out);
		return -1;
	}
	if (sheet_write_csv(sh, ru->out, ru->bom, err, sizeof(err)) != 0 ||
	    sheet_write_xlsx(sh, ru->out, err, sizeof(err)) != 0) {
		fprintf(stderr, "voices-analyse: %s\n", err);
		return -1;
	}
	return 0;
}

int
cmd_sheet(int argc, char **argv)
{
	struct run ru;
	struct sheet *sh = NULL;
	int rc = 1;

	if (run_parse(&ru, argc, argv) != 0 || ru.out == NULL) {
		fprintf(stderr, "usage: voices-analyse sheet --db DB --key SECRETKEYFILE --out DIR\n"
		    "  [--survey ID] [--surveys DIR] [--codebook FILE] [--corrections FILE]\n"
		    "  [--bom] [--quiet]\n");
		return 2;
	}
	if (run_load(&ru) != 0)
		goto out;
	if ((sh = sheet_new(ru.s, ru.cb, ru.corr)) == NULL) {
		fprintf(stderr, "voices-analyse: out of memory\n");
		goto out;
	}
	if (run_each(&ru, sheet_add, sh) != 0)
		goto out;
	sheet_sort(sh);
	if (write_sheet(&ru, sh) != 0)
		goto out;
	if (!ru.quiet)
		print_counts(sh, ru.s, ru.corr != NULL);
	rc = 0;
out:
	sheet_free(sh);
	run_free(&ru);
	return rc;
}

/* The corrections already kept in path, or none when it does not exist
 * yet.  NULL after printing the problem. */
static struct corrections *
open_store(const char *path, const struct codebook *cb)
{
	struct corrections *c = NULL;
	char err[512];

	if (access(path, F_OK) != 0 && errno == ENOENT) {
		if ((c = corrections_new()) == NULL)
			fprintf(stderr, "voices-analyse: out of memory\n");
		return c;
	}
	if (corrections_load(path, cb, &c, err, sizeof(err)) != 0) {
		fprintf(stderr, "voices-analyse: %s\n", err);
		return NULL;
	}
	return c;
}

static int
import(const char *sheet, const char *store, const char *cbpath)
{
	struct codebook *cb = NULL;
	struct corrections *c = NULL;
	char err[512];
	size_t added;
	int rc = 1;

	if (codebook_load(cbpath, &cb, err, sizeof(err)) != 0) {
		fprintf(stderr, "voices-analyse: %s\n", err);
		return 1;
	}
	if ((c = open_store(store, cb)) == NULL)
		goto out;
	if (corrections_import(c, sheet, cb, &added, err, sizeof(err)) != 0 ||
	    corrections_save(c, cb, store, err, sizeof(err)) != 0) {
		fprintf(stderr, "voices-analyse: %s\n", err);
		goto out;
	}
	fprintf(stderr, "corrections: %zu corrected answers taken from %s; %s holds %zu\n", added,
	    sheet, store, c->n);
	rc = 0;
out:
	corrections_free(c);
	codebook_free(cb);
	return rc;
}

int
cmd_corrections(int argc, char **argv)
{
	const char *sheet = NULL, *store = NULL, *cb = CMD_DEFAULT_CODEBOOK;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--store") == 0 && i + 1 < argc)
			store = argv[++i];
		else if (strcmp(argv[i], "--codebook") == 0 && i + 1 < argc)
			cb = argv[++i];
		else if (sheet == NULL && argv[i][0] != '-')
			sheet = argv[i];
		else
			store = NULL, i = argc;
	}
	if (argc < 1 || strcmp(argv[0], "import") != 0 || sheet == NULL || store == NULL) {
		fprintf(stderr, "usage: voices-analyse corrections import SHEET.csv "
		    "--store CORRECTIONS.csv [--codebook FILE]\n");
		return 2;
	}
	return import(sheet, store, cb);
}
