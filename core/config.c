/* config: loads the administrator's YAML file into struct config.
 * Invariant: after config_load succeeds every char* field is either NULL
 * (only `user` and the optional database roles) or a malloc'd string owned
 * by the struct. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "config.h"
#include "retain.h"
#include "sdc.h"
#include "store.h"

enum ctype { CT_STR, CT_INT, CT_BOOL };

struct ckey {
	const char	*name;
	enum ctype	 type;
	size_t		 off;
	long		 min, max;
};

#define S(f) CT_STR, offsetof(struct config, f), 0, 0
#define I(f, lo, hi) CT_INT, offsetof(struct config, f), lo, hi
static const struct ckey keys[] = {
	{ "listen", S(listen) },
	{ "writer_socket", S(writer_socket) },
	{ "database", S(database) },
	{ "database_owner", S(database_owner) },
	{ "database_analyst_role", S(database_analyst_role) },
	{ "surveys", S(surveys) },
	{ "templates", S(templates) },
	{ "public_key", S(public_key) },
	{ "secret_file", S(secret_file) },
	{ "base_url", S(base_url) },
	{ "user", S(user) },
	{ "workers", I(workers, 1, 256) },
	{ "https", CT_BOOL, offsetof(struct config, https), 0, 1 },
	{ "suppress_below", I(suppress_below, 1, 1000) },
	{ "max_body", I(max_body, 1024, 16 * 1024 * 1024) },
	{ "busy_timeout_ms", I(busy_timeout_ms, 1, 600000) },
	{ "draft_days", I(draft_days, 1, 90) },
	{ "resume_failures", I(resume_failures, 1, 1000000) },
	{ "keep_days", I(keep_days, 1, RETAIN_DAYS_MAX) },
	{ "purge_hour", I(purge_hour, -1, 23) },
	{ "purge_interval", I(purge_interval, 0, 86400) },
	{ "draft_languages", CT_BOOL, offsetof(struct config, draft_languages), 0, 1 },
};
#undef S
#undef I

static void
set_str(char **f, const char *v)
{
	free(*f);
	*f = v ? strdup(v) : NULL;
}

void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	set_str(&c->listen, "var/run/voices.sock");
	set_str(&c->database, "var/voices.db");
	set_str(&c->surveys, "surveys");
	set_str(&c->templates, "templates");
	set_str(&c->public_key, "var/keys/analysis.pub");
	set_str(&c->secret_file, "var/keys/server.secret");
	set_str(&c->base_url, "http://127.0.0.1:8080");
	/* Workers are single-threaded and wait on the writer during a submission,
	 * so their number bounds a group commit's batch: on 2 cores 16 took 30%
	 * more submissions than 8 at half the p99, pages no slower (make bench). */
	c->workers = 16;
	c->suppress_below = SDC_K_DEFAULT;
	c->max_body = 128 * 1024;
	c->busy_timeout_ms = 5000;
	c->draft_days = 7;
	c->resume_failures = 2000;
	c->keep_days = RETAIN_DAYS_DEFAULT;
	c->purge_hour = 3;
}

void
config_free(struct config *c)
{
	free(c->listen);
	free(c->writer_socket);
	free(c->database);
	free(c->database_owner);
	free(c->database_analyst_role);
	free(c->surveys);
	free(c->templates);
	free(c->public_key);
	free(c->secret_file);
	free(c->base_url);
	free(c->user);
	memset(c, 0, sizeof(*c));
}

static int
set_value(struct config *c, const struct ckey *k, const char *v, char *err, size_t errlen)
{
	char *end;
	long n;

	if (k->type == CT_STR) {
		set_str((char **)((char *)c + k->off), *v ? v : NULL);
		return 0;
	}
	if (k->type == CT_BOOL) {
		if (strcmp(v, "true") && strcmp(v, "false")) {
			snprintf(err, errlen, "%s must be true or false", k->name);
			return -1;
		}
		*(int *)((char *)c + k->off) = strcmp(v, "true") == 0;
		return 0;
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < k->min || n > k->max) {
		snprintf(err, errlen, "%s must be a whole number from %ld to %ld",
		    k->name, k->min, k->max);
		return -1;
	}
	if (k->off == offsetof(struct config, max_body))
		c->max_body = n;
	else
		*(int *)((char *)c + k->off) = (int)n;
	return 0;
}

static const struct ckey *
find_key(const char *name)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

/* Walks the top-level mapping of doc; every value must be a scalar. */
static int
apply_doc(struct config *c, yaml_document_t *doc, const char *path, char *err, size_t errlen)
{
	yaml_node_t *root = yaml_document_get_root_node(doc);
	char why[200];

	if (root == NULL)
		return 0;
	if (root->type != YAML_MAPPING_NODE) {
		snprintf(err, errlen, "%s:%zu: expected \"key: value\" lines", path,
		    root->start_mark.line + 1);
		return -1;
	}
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	    p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		yaml_node_t *v = yaml_document_get_node(doc, p->value);
		const struct ckey *ck;
		size_t line = k->start_mark.line + 1;

		if (k->type != YAML_SCALAR_NODE || v->type != YAML_SCALAR_NODE) {
			snprintf(err, errlen, "%s:%zu: expected \"key: value\"", path, line);
			return -1;
		}
		if ((ck = find_key((const char *)k->data.scalar.value)) == NULL) {
			snprintf(err, errlen, "%s:%zu: unknown setting '%s'", path, line,
			    (const char *)k->data.scalar.value);
			return -1;
		}
		if (set_value(c, ck, (const char *)v->data.scalar.value, why, sizeof(why))) {
			snprintf(err, errlen, "%s:%zu: %s", path, line, why);
			return -1;
		}
	}
	return 0;
}

int
config_load(const char *path, struct config *c, char *err, size_t errlen)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	FILE *f;
	int rc = -1;

	config_defaults(c);
	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		config_free(c);
		return -1;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, errlen, "%s:%zu: %s", path, parser.problem_mark.line + 1,
		    parser.problem ? parser.problem : "not valid YAML");
		goto out;
	}
	rc = apply_doc(c, &doc, path, err, errlen);
	yaml_document_delete(&doc);
	if (rc == 0 && c->writer_socket == NULL) {
		/* Beside the database: it works whether listen is a path or a port;
		 * with PostgreSQL, under var/run. */
		const char *base = store_is_file(c->database) ? c->database : "var/run/voices";
		size_t n = strlen(base) + sizeof("-writer.sock");
		if ((c->writer_socket = malloc(n)) == NULL)
			rc = -1;
		else
			snprintf(c->writer_socket, n, "%s-writer.sock", base);
	}
out:
	yaml_parser_delete(&parser);
	fclose(f);
	if (rc != 0)
		config_free(c);
	return rc;
}
