/* voices: the web application's command line.
 *   voices [-c CONFIG] serve      run the FastCGI server (foreground)
 *   voices [-c CONFIG] init       the server secret, the schema (migrate), register surveys
 *   voices [-c CONFIG] migrate    create or migrate the schema as its owner (database_owner),
 *                                 grant the app's and analysts' roles (docs/storage.md)
 *   voices [-c CONFIG] check      validate surveys and templates
 *   voices [-c CONFIG] user ...   staff accounts: add, list, disable (staff_cli.c)
 *   voices [-c CONFIG] backup DEST  online, consistent copy of the database
 *   voices [-c CONFIG] audit verify [--head ID:HEX] [DATABASE]  check the audit chain
 *   voices [-c CONFIG] purge [--dry-run]  delete what is past its time (purge.h)
 *   voices keygen PUBLIC SECRET   make the analysis team's key pair */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <sodium.h>
#include "audit.h"
#include "purge.h"
#include "seal.h"
#include "server.h"
#include "staff.h"
#include "store.h"
#include "survey.h"

static int
usage(void)
{
	fprintf(stderr,
	    "usage: voices [-c CONFIG] serve | init | migrate | check\n"
	    "       voices [-c CONFIG] user add NAME --role ROLE [--password-stdin] | list"
	    " | disable NAME\n"
	    "       voices [-c CONFIG] backup DEST\n"
	    "       voices [-c CONFIG] audit verify [--head ID:HEX] [DATABASE]\n"
	    "       voices [-c CONFIG] purge [--dry-run]\n"
	    "       voices keygen PUBLIC_KEY_FILE SECRET_KEY_FILE\n");
	return 2;
}

static int
cmd_keygen(int argc, char **argv)
{
	unsigned char pk[SEAL_KEY_BYTES], sk[SEAL_KEY_BYTES];
	int rc = 1;

	if (argc != 3)
		return usage();
	if (access(argv[1], F_OK) == 0 || access(argv[2], F_OK) == 0) {
		fprintf(stderr, "voices: %s or %s exists; not overwriting a key\n", argv[1], argv[2]);
		return 1;
	}
	if (seal_keygen(pk, sk) == 0 && seal_key_write(argv[1], pk, 0) == 0 &&
	    seal_key_write(argv[2], sk, 1) == 0) {
		printf("Public key (put this on the server): %s\n"
		    "Secret key: %s\n"
		    "Keep the secret key OFF the server: copy it to the analysis team's machine\n"
		    "and delete it here. Anyone holding it can read every free-text answer.\n",
		    argv[1], argv[2]);
		rc = 0;
	}
	sodium_memzero(sk, sizeof(sk));
	return rc;
}

/* Creates the server secret (CSRF tokens, keyed hashes) once. */
static int
ensure_secret(const char *path)
{
	unsigned char s[32];
	int rc = 0;

	if (access(path, F_OK) == 0)
		return 0;
	randombytes_buf(s, sizeof(s));
	if (seal_key_write(path, s, 1) != 0) {
		fprintf(stderr, "voices: cannot write %s\n", path);
		rc = -1;
	}
	sodium_memzero(s, sizeof(s));
	return rc;
}

/* Creates or migrates the schema as its owner: on PostgreSQL the role of
 * database_owner, after which the app's role (database's user=) and the
 * analysts' (database_analyst_role) get their grants; on SQLite, the file. */
static int
migrate(const struct config *cfg)
{
	const char *owner = cfg->database_owner != NULL ? cfg->database_owner : cfg->database;
	struct store *st = NULL;
	enum store_err e;
	char why[512] = "";

	if (store_is_file(cfg->database) &&
	    (cfg->database_owner != NULL || cfg->database_analyst_role != NULL)) {
		fprintf(stderr, "voices: database_owner and database_analyst_role are for a "
		    "PostgreSQL database; %s is a SQLite file\n", cfg->database);
		return -1;
	}
	if (!store_is_file(cfg->database) && cfg->database_owner == NULL) {
		fprintf(stderr, "voices: on PostgreSQL the schema's owner migrates it, not the "
		    "app's role: set database_owner (docs/storage.md, Roles)\n");
		return -1;
	}
	if ((e = store_open(owner, STORE_CREATE, &st)) == STORE_OK)
		e = store_grant(st, cfg->database_owner != NULL ? cfg->database : NULL,
		    cfg->database_analyst_role, why, sizeof(why));
	if (e == STORE_OK)
		printf("Schema at version %d.\n", store_schema_version(st));
	store_close(st);
	if (e != STORE_OK)
		fprintf(stderr, "voices: %s: %s\n", cfg->database_owner != NULL ?
		    "database_owner" : cfg->database, why[0] ? why : store_strerror(e));
	return e == STORE_OK ? 0 : -1;
}

/* The server secret, the schema (migrate: on PostgreSQL only when the
 * configuration names database_owner; otherwise the owner runs `voices
 * migrate` with a configuration of its own, and this checks the schema is
 * current), then the surveys, registered by the app's role. */
static int
cmd_init(const struct config *cfg)
{
	struct loaded l;
	struct store *st = NULL;
	enum store_err e;

	if (ensure_secret(cfg->secret_file) != 0)
		return 1;
	if ((store_is_file(cfg->database) || cfg->database_owner != NULL) && migrate(cfg) != 0)
		return 1;
	if (loaded_read(cfg, &l, LOADED_CREATE) != 0)
		return 1;
	if ((e = store_open(cfg->database, STORE_APP, &st)) == STORE_OK)
		printf("Database %s ready (schema %d), %zu surveys loaded.\n", cfg->database,
		    store_schema_version(st), l.surveys->n);
	store_close(st);
	loaded_free(&l);
	return e == STORE_OK ? 0 : 1;
}

/* Every language whose review is "draft", with the surveys it translates:
 * a translation nobody fluent has checked must not reach respondents by
 * accident, so the check names each one. */
static void
check_languages(const struct survey_set *set, const struct config *cfg)
{
	const struct ui_strings *ui = set->ui;
	size_t i, j, k, drafts = 0;

	for (i = 1; i < ui_nlangs(ui); i++)
		drafts += (size_t)ui_lang_draft(ui, i);
	for (j = 0; j < set->n; j++)
		for (k = 1; k < set->v[j]->nlangs; k++)
			drafts += (size_t)(set->v[j]->langs[k].draft &&
			    !ui_lang_draft(ui, (size_t)ui_lang_index(ui, set->v[j]->langs[k].code)));
	if (drafts == 0)
		return;
	printf("Draft translations, not yet reviewed by a fluent speaker (%s):\n",
	    cfg->draft_languages ? "offered to respondents, as draft_languages is true" :
	    "not offered to respondents until reviewed, or draft_languages: true");
	for (i = 1; i < ui_nlangs(ui); i++) {
		const char *code = ui_lang_code(ui, i);
		printf("  %-6s %s: buttons and messages %s (%s)\n", code, ui_lang_name(ui, i),
		    ui_lang_draft(ui, i) ? "draft" : "reviewed", ui_lang_file(ui, i));
		for (j = 0; j < set->n; j++) {
			int l = survey_lang_index(set->v[j], code);
			const struct lang *lg = l > 0 ? &set->v[j]->langs[l] : NULL;
			if (lg == NULL || (!lg->draft && lg->untranslated == 0))
				continue;
			printf("         %s: %s", set->v[j]->id, lg->draft ? "draft" : "reviewed");
			if (lg->untranslated > 0)
				printf(", %zu texts shown in %s", lg->untranslated,
				    set->v[j]->langs[0].name);
			printf("\n");
		}
	}
}

static int
cmd_check(const struct config *cfg)
{
	struct loaded l;

	if (loaded_read(cfg, &l, LOADED_FILES_ONLY) != 0)
		return 1;
	printf("%zu surveys and the templates are valid.\n", l.surveys->n);
	check_languages(l.surveys, cfg);
	loaded_free(&l);
	return 0;
}

/* A consistent copy of the live database, taken while the server runs: the
 * backup API copies one snapshot, so every response committed (and thus
 * acknowledged) before it started is in it.  store_backup fsyncs the copy
 * and checks its integrity; a copy that fails any step is removed.  Never
 * overwrites: an existing DEST is refused.  Any schema version is copied as
 * it is (a cron job may run between an upgrade and the server's restart). */
static int
cmd_backup(const struct config *cfg, int argc, char **argv)
{
	struct store *st = NULL;
	enum store_err e;
	int64_t n = -1;

	if (argc != 2)
		return usage();
	if (access(argv[1], F_OK) == 0) {
		fprintf(stderr, "voices: %s exists; not overwriting it\n", argv[1]);
		return 1;
	}
	if ((e = store_open(cfg->database, STORE_COPY, &st)) == STORE_OK)
		e = store_backup(st, argv[1], &n);
	store_close(st);
	if (e != STORE_OK) {
		fprintf(stderr, "voices: backup of %s to %s failed: %s\n", cfg->database, argv[1],
		    store_strerror(e));
		unlink(argv[1]);
		return 1;
	}
	printf("Backup of %s written to %s: %lld responses, integrity ok.\n", cfg->database,
	    argv[1], (long long)n);
	(void)audit_print_head(argv[1]);	/* a broken chain is said on stderr; the copy is good */
	return 0;
}

/* The retention purge, by hand.  It may run while the server does: each
 * survey's deletes are one transaction, judged by the day of each response,
 * so a response committed meanwhile is either kept or past its time like any
 * other.  Its VACUUM holds the write lock while it copies the database, so
 * submissions wait meanwhile (past the busy timeout they get the try-again
 * page, never a false confirmation); the server's own daily run avoids that
 * by running inside the writer, between commits. */
static int
cmd_purge(const struct config *cfg, int argc, char **argv)
{
	struct purge_totals t;
	struct store *st = NULL;
	enum store_err e;
	int dry = argc == 2 && strcmp(argv[1], "--dry-run") == 0, rc = 1;

	if (argc > 2 || (argc == 2 && !dry))
		return usage();
	if ((e = store_open(cfg->database, STORE_APP, &st)) != STORE_OK) {
		fprintf(stderr, "voices: %s: %s\n", cfg->database, store_strerror(e));
		return 1;
	}
	store_set_busy_timeout(st, cfg->busy_timeout_ms);
	if (dry)
		printf("Dry run: nothing is deleted.\n");
	if (purge_run(cfg, st, dry, "cli", stdout, "", &t) == 0)
		rc = 0;
	store_close(st);
	return rc;
}

/* One `voices serve` per database: an exclusive flock on DATABASE.lock, held
 * for the life of the server (its processes inherit it).  On PostgreSQL,
 * where several nodes serve one database, one per node: WRITER_SOCKET.lock.  A second one says
 * so and exits before it touches anything, the sockets of the first
 * included.  -1 when the lock is held or cannot be taken. */
static int
serve_lock(const struct config *cfg)
{
	const char *base = store_is_file(cfg->database) ? cfg->database : cfg->writer_socket;
	char path[4096];
	int fd, n = snprintf(path, sizeof(path), "%s.lock", base);

	if (n < 0 || (size_t)n >= sizeof(path) ||
	    (fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		fprintf(stderr, "voices: cannot open the lock file %s.lock: %s\n", base,
		    strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		fprintf(stderr, "voices: %s\n", errno == EWOULDBLOCK ?
		    "another `voices serve` is running on this database (its lock file is held); "
		    "not starting" : strerror(errno));
		fprintf(stderr, "voices: lock file: %s\n", path);
		close(fd);
		return -1;
	}
	return fd;
}

int
main(int argc, char **argv)
{
	const char *path = "var/voices.yaml";
	struct config cfg;
	char err[512];
	int rc;

	if (sodium_init() < 0)
		return 1;
	if (argc >= 3 && strcmp(argv[1], "-c") == 0) {
		path = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "keygen") == 0)
		return cmd_keygen(argc - 1, argv + 1);
	if (config_load(path, &cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "voices: %s\n", err);
		return 1;
	}
	if (strcmp(argv[1], "serve") == 0)
		rc = serve_lock(&cfg) < 0 ? 1 : server_run(&cfg);
	else if (strcmp(argv[1], "init") == 0)
		rc = cmd_init(&cfg);
	else if (strcmp(argv[1], "migrate") == 0)
		rc = argc == 2 ? (migrate(&cfg) == 0 ? 0 : 1) : usage();
	else if (strcmp(argv[1], "check") == 0)
		rc = cmd_check(&cfg);
	else if (strcmp(argv[1], "user") == 0)
		rc = staff_cli(&cfg, argc - 1, argv + 1);
	else if (strcmp(argv[1], "audit") == 0)
		rc = audit_cli(&cfg, argc - 1, argv + 1);
	else if (strcmp(argv[1], "backup") == 0)
		rc = cmd_backup(&cfg, argc - 1, argv + 1);
	else if (strcmp(argv[1], "purge") == 0)
		rc = cmd_purge(&cfg, argc - 1, argv + 1);
	else
		rc = usage();
	config_free(&cfg);
	return rc;
}
