/* cmd_code: the `code` and `evaluate` subcommands, which need nothing but
 * the codebook. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "codebook.h"
#include "evaluate.h"

static struct codebook *
open_codebook(const char *path)
{
	struct codebook *cb = NULL;
	char err[512];

	if (codebook_load(path, &cb, err, sizeof(err)) != 0) {
		fprintf(stderr, "voices-analyse: %s\n", err);
		return NULL;
	}
	return cb;
}

static void
print_themes(const struct codebook *cb, const struct codebook_hits *h)
{
	for (size_t i = 0; i < h->nthemes; i++)
		printf("%s%s", i ? "," : "", codebook_theme(cb, h->themes[i])->id);
}

static int
code_stream(struct codebook *cb, FILE *in, int explain)
{
	char *line = NULL, areas[512];
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	while ((n = getline(&line, &cap, in)) >= 0) {
		struct codebook_hits h;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (codebook_code(cb, line, (size_t)n, &h, explain ? stdout : NULL) != 0) {
			fprintf(stderr, "voices-analyse: out of memory\n");
			rc = 1;
			break;
		}
		printf("%s%s\t", explain ? "= " : "", codebook_areas_str(cb, h.areas, areas, sizeof(areas)));
		print_themes(cb, &h);
		putchar('\n');
	}
	free(line);
	if (fflush(stdout) != 0 || ferror(stdout))
		rc = 1;
	return rc;
}

int
cmd_code(int argc, char **argv)
{
	const char *path = CMD_DEFAULT_CODEBOOK;
	struct codebook *cb;
	int explain = 0, rc;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--codebook") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strcmp(argv[i], "--explain") == 0)
			explain = 1;
		else {
			fprintf(stderr, "usage: voices-analyse code [--codebook FILE] [--explain] < answers\n");
			return 2;
		}
	}
	if ((cb = open_codebook(path)) == NULL)
		return 1;
	rc = code_stream(cb, stdin, explain);
	codebook_free(cb);
	return rc;
}

#define MAX_FILES	16

int
cmd_evaluate(int argc, char **argv)
{
	const char *path = CMD_DEFAULT_CODEBOOK;
	struct codebook *cb = NULL;
	struct eval_set set = { 0 };
	char err[512], *files[MAX_FILES], *learn[MAX_FILES], *agree = NULL;
	int errors = 0, nfiles = 0, nlearn = 0, bad = 0, rc = 1;
	long cv = 0;

	for (int i = 0; i < argc && !bad; i++) {
		if (strcmp(argv[i], "--codebook") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strcmp(argv[i], "--errors") == 0)
			errors = 1;
		else if ((strcmp(argv[i], "--cv") == 0 || strcmp(argv[i], "--folds") == 0) &&
		    i + 1 < argc)
			bad = (cv = atol(argv[++i])) < 2;
		else if (strcmp(argv[i], "--agree") == 0 && i + 1 < argc)
			agree = argv[++i];
		else if (strcmp(argv[i], "--learn") == 0 && i + 1 < argc && nlearn < MAX_FILES)
			learn[nlearn++] = argv[++i];
		else if (argv[i][0] != '-' && nfiles < MAX_FILES)
			files[nfiles++] = argv[i];
		else
			bad = 1;
	}
	if (bad || nfiles == 0 || (cv && nlearn)) {
		fprintf(stderr, "usage: voices-analyse evaluate [--codebook FILE] [--errors] CODED.csv...\n"
		    "       voices-analyse evaluate [--codebook FILE] [--errors] --cv K CODED.csv...\n"
		    "       voices-analyse evaluate [--codebook FILE] --learn ROUND1.csv [--learn ROUND2.csv]... TEST.csv...\n"
		    "       voices-analyse evaluate --agree CODER2.csv CODER1.csv...\n");
		return 2;
	}
	if (cv)
		return eval_cv(path, cv, errors, files, nfiles);
	if (nlearn)
		return eval_rounds(path, learn, nlearn, files, nfiles);
	if ((cb = open_codebook(path)) == NULL)
		return 1;
	if (eval_read_all(cb, files, nfiles, &set) != 0)
		goto out;
	if (agree != NULL) {
		if (eval_agree(cb, agree, &set, stdout, err, sizeof(err)) != 0) {
			fprintf(stderr, "voices-analyse: %s\n", err);
			goto out;
		}
		rc = 0;
		goto out;
	}
	if (eval_code(cb, &set, errors ? stdout : NULL) != 0) {
		fprintf(stderr, "voices-analyse: out of memory\n");
		goto out;
	}
	if (errors)
		putchar('\n');
	printf("coding: %s\n\n", codebook_version_str(cb));
	eval_print(cb, &set, stdout);
	rc = 0;
out:
	return eval_end(cb, &set, rc);
}
