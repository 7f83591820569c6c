/* audit_cli: `voices audit verify` and the chain head `voices backup`
 * prints.  Both open the database as a copy (read-only, any schema, never
 * migrated): checking a log must not write to it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "audit.h"

static int
usage(void)
{
	fprintf(stderr, "usage: voices [-c CONFIG] audit verify [--head ID:HEX] [DATABASE]\n");
	return 2;
}

/* "ID:HEX" or "HEX" (64 hex digits) into v's wanted head; -1 if malformed. */
static int
parse_head(const char *s, struct store_audit_verify *v)
{
	const char *hex = strchr(s, ':');
	size_t len;
	char *end;

	v->want_id = 0;
	if (hex != NULL) {
		v->want_id = strtoll(s, &end, 10);
		if (end != hex || v->want_id < 1)
			return -1;
		hex++;
	} else
		hex = s;
	if (strlen(hex) != 2 * STORE_AUDIT_HASH_BYTES ||
	    sodium_hex2bin(v->want, sizeof v->want, hex, strlen(hex), NULL, &len, NULL) != 0 ||
	    len != sizeof v->want)
		return -1;
	v->have_want = 1;
	return 0;
}

/* Opens path as a copy and walks the chain into v. */
static enum store_err
verify_path(const char *path, struct store_audit_verify *v)
{
	struct store *st = NULL;
	enum store_err e;

	if ((e = store_open(path, STORE_COPY, &st)) == STORE_OK)
		e = store_audit_verify(st, v);
	store_close(st);
	return e;
}

static void
head_text(const struct store_audit_verify *v, char out[24 + 2 * STORE_AUDIT_HASH_BYTES])
{
	char hex[2 * STORE_AUDIT_HASH_BYTES + 1];

	sodium_bin2hex(hex, sizeof hex, v->head, sizeof v->head);
	snprintf(out, 24 + 2 * STORE_AUDIT_HASH_BYTES, "%lld:%s", (long long)v->last_id, hex);
}

static int
report(const char *path, enum store_err e, const struct store_audit_verify *v)
{
	char head[24 + 2 * STORE_AUDIT_HASH_BYTES];

	if (e != STORE_OK) {
		fprintf(stderr, "voices: cannot read the audit log of %s: %s\n", path,
		    e == STORE_SCHEMA ? "no audit chain in this schema (run `voices init`)"
		    : store_strerror(e));
		return 2;
	}
	if (v->why != STORE_AUDIT_INTACT) {
		fprintf(stderr, "voices: audit chain of %s broken at entry %lld: %s\n", path,
		    (long long)v->bad_id, store_audit_break_name(v->why));
		return 1;
	}
	head_text(v, head);
	printf("Audit chain verified: %lld entries, head %s\n", (long long)v->entries, head);
	return 0;
}

int
audit_cli(const struct config *cfg, int argc, char **argv)
{
	struct store_audit_verify v;
	const char *path = cfg->database;
	int i = 2;

	memset(&v, 0, sizeof v);
	if (argc < 2 || strcmp(argv[1], "verify") != 0)
		return usage();
	if (i + 1 < argc && strcmp(argv[i], "--head") == 0) {
		if (parse_head(argv[i + 1], &v) != 0) {
			fprintf(stderr, "voices: --head takes ID:HEX as `voices backup` printed it\n");
			return 2;
		}
		i += 2;
	}
	if (i < argc)
		path = argv[i++];
	if (i != argc || path[0] == '-')
		return usage();
	return report(path, verify_path(path, &v), &v);
}

int
audit_print_head(const char *path)
{
	struct store_audit_verify v;
	char head[24 + 2 * STORE_AUDIT_HASH_BYTES];
	enum store_err e;

	memset(&v, 0, sizeof v);
	if ((e = verify_path(path, &v)) == STORE_SCHEMA) {
		printf("Audit chain: none in this schema version.\n");
		return 0;
	}
	if (e != STORE_OK || v.why != STORE_AUDIT_INTACT)
		return report(path, e, &v);
	head_text(&v, head);
	printf("Audit chain: %lld entries, head %s\n"
	    "Keep this line apart from the backup: `voices audit verify --head %s`\n"
	    "checks a restored database against it.\n", (long long)v.entries, head, head);
	return 0;
}
