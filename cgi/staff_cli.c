/* staff_cli: managing staff accounts from the server's shell.
 *   voices -c CONFIG user add NAME --role admin|analyst|facilitator [--password-stdin]
 *   voices -c CONFIG user list
 *   voices -c CONFIG user disable NAME
 * Whoever can run this can read the database anyway, so it asks for no
 * password; its changes are audited as done by "cli". */
#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include "staff.h"
#include "store.h"

static int
usage(void)
{
	fprintf(stderr,
	    "usage: voices [-c CONFIG] user add NAME --role admin|analyst|facilitator"
	    " [--password-stdin]\n"
	    "       voices [-c CONFIG] user list\n"
	    "       voices [-c CONFIG] user disable NAME\n");
	return 2;
}

/* One line from stdin without its line ending; -1 if none or too long. */
static int
read_password(char *pw, size_t cap)
{
	size_t n;

	if (fgets(pw, (int)cap, stdin) == NULL)
		return -1;
	n = strlen(pw);
	if (n > 0 && pw[n - 1] == '\n')
		pw[--n] = '\0';
	else if (!feof(stdin))
		return -1;
	if (n > 0 && pw[n - 1] == '\r')
		pw[--n] = '\0';
	return 0;
}

static int
cmd_add(struct app *app, int argc, char **argv)
{
	enum staff_role role = ROLE__MAX;
	const char *name = NULL;
	char pw[4 * STAFF_PASSWORD_MAX + 3];
	int from_stdin = 0, rc = 1;
	enum staff_err e;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
			role = staff_role_from_name(argv[++i]);
		else if (strcmp(argv[i], "--password-stdin") == 0)
			from_stdin = 1;
		else if (argv[i][0] != '-' && name == NULL)
			name = argv[i];
		else
			return usage();
	}
	if (name == NULL || role == ROLE__MAX)
		return usage();
	if (from_stdin && read_password(pw, sizeof pw) != 0) {
		fprintf(stderr, "voices: no password on standard input, or longer than %d characters\n",
		    STAFF_PASSWORD_MAX);
		goto out;
	}
	if (!from_stdin)
		staff_password_generate(pw);
	if ((e = staff_add(app, "cli", name, role, pw)) != STAFF_OK) {
		fprintf(stderr, "voices: %s: %s\n", name, staff_strerror(e));
		goto out;
	}
	printf("Added %s (%s).\n", name, staff_role_names[role]);
	if (!from_stdin)
		printf("One-time password: %s\nGive it to its owner in person or by phone;"
		    " it is not shown again.\n", pw);
	rc = 0;
out:
	sodium_memzero(pw, sizeof pw);
	return rc;
}

static int
print_row(void *ctx, const struct store_staff *s)
{
	(void)ctx;
	printf("%-24s %-12s %-10s %s\n", s->name, s->role, s->created_day[0] ? s->created_day
	    : "-", s->disabled ? "disabled" : "active");
	return 0;
}

static int
cmd_list(struct app *app)
{
	enum store_err er;

	printf("%-24s %-12s %-10s %s\n", "NAME", "ROLE", "CREATED", "STATUS");
	if ((er = store_staff_list(app->store, print_row, NULL)) != STORE_OK) {
		fprintf(stderr, "voices: %s\n", store_strerror(er));
		return 1;
	}
	return 0;
}

static int
cmd_disable(struct app *app, const char *name)
{
	enum staff_err e;

	if ((e = staff_disable(app, "cli", name)) != STAFF_OK) {
		fprintf(stderr, "voices: %s: %s\n", name, staff_strerror(e));
		return 1;
	}
	printf("Disabled %s; its sessions have ended.\n", name);
	return 0;
}

int
staff_cli(const struct config *cfg, int argc, char **argv)
{
	struct app app = { .cfg = cfg, .writer_fd = -1 };
	int rc;

	if (argc < 2)
		return usage();
	if (staff_store(&app) == NULL) {
		fprintf(stderr, "voices: cannot open %s (run `voices init` first)\n",
		    cfg->database);
		return 1;
	}
	if (strcmp(argv[1], "add") == 0)
		rc = cmd_add(&app, argc - 1, argv + 1);
	else if (strcmp(argv[1], "list") == 0 && argc == 2)
		rc = cmd_list(&app);
	else if (strcmp(argv[1], "disable") == 0 && argc == 3)
		rc = cmd_disable(&app, argv[2]);
	else
		rc = usage();
	store_close(app.store);
	return rc;
}
