/* store_int: what the store*.c files share and nothing outside them sees.
 * Every statement is prepared once at open into st->stmt[], indexed by
 * enum stmt; the SQL text of each lives in store.c's table. */
#ifndef STORE_INT_H
#define STORE_INT_H
#include <sqlite3.h>
#include <time.h>
#include "store.h"

enum stmt {
	ST_BEGIN,		/* BEGIN IMMEDIATE */
	ST_COMMIT,
	ST_ROLLBACK,
	ST_SAVEPOINT,
	ST_RELEASE,
	ST_ROLLBACK_TO,
	ST_NONCE_ADD,
	ST_RESPONSE_ADD,
	ST_ANSWER_ADD,
	ST_SEAL_KEY_ADD,
	ST_SEAL_KEYS,
	ST_SURVEY_ADD,
	ST_COUNT_ALL,
	ST_COUNT_SURVEY,
	ST_EACH,
	ST_INTEGRITY,
	ST__MAX
};

/* A period public key, cached for reading. */
struct store_key {
	int64_t		 id;
	unsigned char	 pk[SEAL_KEY_BYTES];
};

struct store {
	sqlite3		*db;
	sqlite3_stmt	*stmt[ST__MAX];
	int		 flags;
	int		 version;		/* schema version after migrations */

	/* writing: the current sealing period */
	unsigned char	 recipient[SEAL_KEY_BYTES];
	int		 have_recipient;
	unsigned char	 nonce_key[STORE_NONCE_KEY_BYTES];		/* keys the hash of form nonces */
	struct sealer	*sealer;
	int64_t		 key_id;		/* its seal_key row; 0 = not inserted yet */
	struct timespec	 sealer_born;		/* CLOCK_MONOTONIC */
	unsigned char	*sealbuf;		/* reused for each sealed text */
	size_t		 sealcap;

	/* reading: period public keys sorted by id */
	struct store_key *keys;
	size_t		 nkeys, capkeys;

	/* staff accounts: store_staff.c's statements, prepared on first use */
	sqlite3_stmt	**staff_stmt;

	/* workshop polls: store_poll.c's statements, prepared on first use */
	sqlite3_stmt	**poll_stmt;
};

/* The store error for an SQLite result code. */
enum store_err store_err_of(int rc);
/* Steps a statement that returns no rows, resets it, maps the result. */
enum store_err store_exec(struct store *st, enum stmt which);
/* Today's local date as "YYYY-MM-DD". */
void store_today(char day[11]);
/* Frees the read-side caches (store_read.c). */
void store_read_free(struct store *st);
/* Finalizes the staff statements (store_staff.c). */
void store_staff_free(struct store *st);
/* Finalizes the poll statements (store_poll.c). */
void store_poll_free(struct store *st);
#endif
