/* config: the one configuration file an administrator edits (YAML, flat
 * "key: value").  Unknown keys are errors, so a typo is caught at start-up.
 * Relative paths are taken relative to the current directory. */
#ifndef CONFIG_H
#define CONFIG_H
#include <stddef.h>

struct config {
	char	*listen;	/* FastCGI: unix socket path, or host:port */
	char	*writer_socket;	/* where workers reach the writer (default: database + "-writer.sock") */
	char	*database;	/* SQLite path, or PostgreSQL connection string (the app's role) */
	char	*database_owner;	/* PostgreSQL: the schema owner's connection string,
					 * for `voices init` (migrations, grants); NULL:
					 * database (one role, refused by serve) */
	char	*database_analyst_role;	/* PostgreSQL: the analysts' read-only role,
					 * granted to by init; NULL: none */
	char	*surveys;
	char	*templates;
	char	*public_key;	/* the analysis team's public key: free text is sealed to it */
	char	*secret_file;	/* server secret for CSRF tokens and keyed hashes */
	char	*base_url;	/* how people reach us, for links and QR codes */
	char	*user;		/* drop to this user when started as root; NULL = stay */
	int	 workers;	/* FastCGI worker processes */
	int	 https;		/* cookies get Secure */
	int	 suppress_below;	/* small-number suppression for anything exported */
	long	 max_body;	/* bytes; the app's own limit, below nginx's */
	int	 busy_timeout_ms;
	int	 draft_days;	/* a saved draft lasts this many days after its last change */
	int	 resume_failures;	/* wrong resume codes a survey takes per day, then 429 */
	int	 keep_days;	/* responses of a survey whose file says nothing (retain.h) */
	int	 purge_hour;	/* the daily purge runs in this local hour; -1: never */
	int	 purge_interval;	/* seconds between purges instead (tests); 0: daily */
	int	 draft_languages;	/* offer translations marked review: draft (default 0:
					 * a translation nobody fluent has checked could mislead) */
};

/* Fills cfg with defaults, then with what path says.  -1 with "path:line:
 * problem" in err on any error, cfg then holding nothing to free.  A missing
 * file is an error. */
int config_load(const char *path, struct config *cfg, char *err, size_t errlen)
    __attribute__((warn_unused_result));
void config_defaults(struct config *cfg);
void config_free(struct config *cfg);
#endif
