/* cmd_opendata: `opendata --db DB [--survey ID] --out FILE.csv [--k K]
 * [--qi LIST] [--keep LIST] [--max-drop PCT] [--with-text --key
 * SECRETKEYFILE]`.  Writes anonymised microdata for publication
 * (opendata.h).  Without --with-text the store is walked with no key at
 * all, so no free text is ever opened: it cannot reach the file by
 * mistake. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include "cmd.h"
#include "config.h"
#include "opendata.h"
#include "seal.h"
#include "store.h"
#include "survey.h"

struct odargs {
	const char	*db, *survey, *surveys, *out, *key, *config;
	struct opendata_opts o;
};

static int
parse(struct odargs *a, int argc, char **argv)
{
	memset(a, 0, sizeof(*a));
	a->survey = "residents-2026";
	a->surveys = "surveys";
	a->o.k = OPENDATA_K_MIN;
	a->o.max_drop = 5.0;
	for (int i = 0; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(k, "--with-text") == 0) { a->o.with_text = 1; continue; }
		if (v == NULL)
			return -1;
		i++;
		if (strcmp(k, "--db") == 0) a->db = v;
		else if (strcmp(k, "--survey") == 0) a->survey = v;
		else if (strcmp(k, "--surveys") == 0) a->surveys = v;
		else if (strcmp(k, "--out") == 0) a->out = v;
		else if (strcmp(k, "--key") == 0) a->key = v;
		else if (strcmp(k, "--config") == 0) a->config = v;
		else if (strcmp(k, "--qi") == 0) a->o.qi = v;
		else if (strcmp(k, "--keep") == 0) a->o.keep = v;
		else if (strcmp(k, "--k") == 0) a->o.k = atoi(v);
		else if (strcmp(k, "--max-drop") == 0) a->o.max_drop = atof(v);
		else return -1;
	}
	/* The key opens free text: it is accepted only together with --with-text. */
	return a->db == NULL || a->out == NULL || (a->o.with_text != (a->key != NULL)) ? -1 : 0;
}

/* The report takes its threshold from the config file: k is never below it,
 * so that a difference between the file and the report's tables never
 * speaks about fewer people than the report itself would show. */
static int
raise_k(struct odargs *a)
{
	struct config	 cfg;
	char		 err[512];

	if (config_load(a->config, &cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "voices-analyse: %s\n", err);
		return -1;
	}
	if (a->o.k < cfg.suppress_below)
		a->o.k = cfg.suppress_below;
	config_free(&cfg);
	return 0;
}

static int
on_response(void *ctx, const struct store_response *r)
{
	return opendata_add(ctx, r) != 0;
}

/* Reads every response of the survey into d; opens texts only with a key. */
static int
read_all(const struct odargs *a, struct opendata *d)
{
	unsigned char sk[SEAL_KEY_BYTES];
	struct opener *op = NULL;
	struct store *st = NULL;
	enum store_err er;
	int rc = -1;

	if (a->key != NULL) {
		if (seal_key_read(a->key, sk) != 0) {
			fprintf(stderr, "voices-analyse: %s: cannot read the secret key\n", a->key);
			return -1;
		}
		op = opener_new(sk);
		sodium_memzero(sk, sizeof(sk));
		if (op == NULL)
			goto out;
	}
	if ((er = store_open(a->db, STORE_RDONLY, &st)) != STORE_OK) {
		fprintf(stderr, "voices-analyse: %s: %s\n", a->db, store_strerror(er));
		goto out;
	}
	if ((er = store_each_response(st, a->survey, op, on_response, d)) != STORE_OK) {
		fprintf(stderr, "voices-analyse: reading %s: %s\n", a->db, store_strerror(er));
		goto out;
	}
	rc = 0;
out:
	store_close(st);
	opener_free(op);
	return rc;
}

/* Writes through a temporary file, fsynced, then renamed: no half file. */
static int
write_file(const char *path, struct opendata *d)
{
	char tmp[4200];
	FILE *fp;
	int ok;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fp = fopen(tmp, "wb")) == NULL) {
		fprintf(stderr, "voices-analyse: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	ok = opendata_write(d, fp) == 0;
	ok = fflush(fp) == 0 && ok && fsync(fileno(fp)) == 0;
	if (fclose(fp) != 0 || !ok || rename(tmp, path) != 0) {
		fprintf(stderr, "voices-analyse: %s: cannot write\n", path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void
report(const struct opendata *d, const struct opendata_stats *st, int k)
{
	long w;

	fprintf(stderr, "opendata: %ld responses, %ld rows written, every combination of "
	    "%s occurring at least %d times\n", st->responses, st->rows, opendata_qi_names(d), k);
	fprintf(stderr, "opendata: %ld of %ld quasi-identifier cells withheld (%.1f%%)",
	    st->withheld_cells, st->qi_cells,
	    st->qi_cells ? 100.0 * (double)st->withheld_cells / (double)st->qi_cells : 0.0);
	for (size_t i = 0; i < opendata_nqi(d); i++) {
		const char *name = opendata_qi(d, i, &w);
		int kept = opendata_qi_kept(d, i);
		if (w > 0 || kept)	/* a kept one, to show what keeping it did */
			fprintf(stderr, "%s %s%s: %ld", i ? "," : ";", name, kept ? " (kept)" : "",
			    w);
	}
	fprintf(stderr, "\nopendata: %ld rows dropped (still in a group smaller than %d)\n",
	    st->dropped, k);
	fprintf(stderr, "opendata: safe to publish beside the report's tables: set against any "
	    "of them, the file hides each quasi-identifier value, and the total, from none, all "
	    "or at least %d responses (%ld repaired for this)\n", k, st->values_fixed);
}

int
cmd_opendata(int argc, char **argv)
{
	struct odargs a;
	struct survey_set *set = NULL;
	const struct survey *s;
	struct opendata *d = NULL;
	struct opendata_stats st;
	char err[512];
	int rc = 1;

	if (parse(&a, argc, argv) != 0) {
		fprintf(stderr, "usage: voices-analyse opendata --db DB --out FILE.csv [--survey ID]\n"
		    "  [--surveys DIR] [--config FILE] [--k K] [--qi " OPENDATA_DEFAULT_QI "]\n"
		    "  [--keep QI,...] [--max-drop PCT] [--with-text --key SECRETKEYFILE]\n");
		return 2;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "voices-analyse: cannot start libsodium\n");
		return 1;
	}
	if (a.config != NULL && raise_k(&a) != 0)
		return 1;
	if (survey_set_load(a.surveys, &set, err, sizeof(err)) != 0) {
		fprintf(stderr, "voices-analyse: %s\n", err);
		goto out;
	}
	if ((s = survey_find(set, a.survey)) == NULL) {
		fprintf(stderr, "voices-analyse: no survey '%s' in %s\n", a.survey, a.surveys);
		goto out;
	}
	if ((d = opendata_new(s, &a.o, err, sizeof(err))) == NULL) {
		fprintf(stderr, "voices-analyse: %s\n", err);
		goto out;
	}
	if (read_all(&a, d) != 0 || opendata_anonymise(d, &st) != 0)
		goto out;
	if (st.exposed > 0) {	/* checked again, as the report checks its tables */
		fprintf(stderr, "voices-analyse: opendata: not safe beside the report's tables: "
		    "%ld values would be hidden from 1 to %d responses; nothing written\n",
		    st.exposed, a.o.k - 1);
		goto out;
	}
	if (write_file(a.out, d) != 0)
		goto out;
	report(d, &st, a.o.k);
	if (a.o.with_text)
		fprintf(stderr, "opendata: free text included: it was scrubbed of e-mail addresses, "
		    "phone numbers, postcodes and links, not of names or descriptions; read "
		    "every answer before publishing\n");
	rc = 0;
out:
	opendata_free(d);
	survey_set_free(set);
	return rc;
}
