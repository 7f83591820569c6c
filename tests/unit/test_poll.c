/* Tests for workshop polls: join codes (alphabet, length, uniqueness among
 * open sessions), the session state machine, and votes in the store (a
 * retried vote counts once, a changed vote replaces the old one, a vote on a
 * locked or left question is refused, statements need approval); saving a
 * session wipes its plain free text but the words enough people gave and
 * the approved statements; presence keeps the minute only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include "poll_model.h"
#include "store.h"
#include "wire.h"
#include "unit.h"
#include "store_target.h"

static char		 dir[64], path[128];
static struct arena	*arena;

static void
setup(void)
{
	unit_db_dir(dir, sizeof dir, path, sizeof path);
	arena = arena_new(4096);
}

static void
teardown(void)
{
	arena_free(arena);
	unit_rmdir(dir);
}

START_TEST(code_alphabet_and_length)
{
	char code[POLL_CODE_LEN + 1];
	int seen[256] = { 0 };

	for (int i = 0; i < 5000; i++) {
		poll_code_new(code);
		ck_assert_uint_eq(strlen(code), POLL_CODE_LEN);
		for (int k = 0; k < POLL_CODE_LEN; k++) {
			ck_assert_ptr_nonnull(strchr(POLL_CODE_ALPHABET, code[k]));
			seen[(unsigned char)code[k]]++;
		}
	}
	for (const char *p = POLL_CODE_ALPHABET; *p; p++)
		ck_assert_int_gt(seen[(unsigned char)*p], 0);	/* every letter comes up */
	for (const char *p = "01ILOilo"; *p; p++)
		ck_assert_int_eq(seen[(unsigned char)*p], 0);	/* no look-alikes */
}
END_TEST

START_TEST(code_normalise)
{
	char out[POLL_CODE_LEN + 1];

	ck_assert_int_eq(poll_code_normalise("k7m 2qx", out), 0);
	ck_assert_str_eq(out, "K7M2QX");
	ck_assert_int_eq(poll_code_normalise("K7M-2QX", out), 0);
	ck_assert_int_eq(poll_code_normalise("K7M2Q", out), -1);	/* too short */
	ck_assert_int_eq(poll_code_normalise("K7M2QXX", out), -1);	/* too long */
	ck_assert_int_eq(poll_code_normalise("K7M2Q0", out), -1);	/* 0 is not in it */
	ck_assert_int_eq(poll_code_normalise("K7M2Q\xc3\xa9", out), -1);
	ck_assert_int_eq(poll_code_normalise(NULL, out), -1);
}
END_TEST

START_TEST(state_machine)
{
	struct poll_state s = { .open = 1, .current = -1, .nq = 3 };

	ck_assert_int_eq(poll_apply(&s, PA_PREV), -1);
	ck_assert_int_eq(poll_apply(&s, PA_LOCK), -1);	/* nothing open yet */
	ck_assert_int_eq(poll_apply(&s, PA_SHOW), -1);
	ck_assert_int_eq(poll_accepts(&s, 0), 0);
	ck_assert_int_eq(poll_apply(&s, PA_NEXT), 0);
	ck_assert_int_eq(s.current, 0);
	ck_assert_int_eq(poll_accepts(&s, 0), 1);
	ck_assert_int_eq(poll_accepts(&s, 1), 0);	/* only the current question */
	ck_assert_int_eq(poll_apply(&s, PA_SHOW), 0);
	ck_assert_int_eq(poll_apply(&s, PA_LOCK), 0);
	ck_assert_int_eq(poll_accepts(&s, 0), 0);
	ck_assert_int_eq(poll_apply(&s, PA_NEXT), 0);
	ck_assert_int_eq(s.show, 0);			/* moving on hides the results */
	ck_assert_int_eq(poll_accepts(&s, 1), 1);
	ck_assert_int_eq(poll_apply(&s, PA_PREV), 0);
	ck_assert_int_eq(poll_accepts(&s, 0), 0);	/* still locked when we come back */
	ck_assert_int_eq(poll_apply(&s, PA_UNLOCK), 0);
	ck_assert_int_eq(poll_accepts(&s, 0), 1);
	ck_assert_int_eq(poll_apply(&s, PA_NEXT), 0);
	ck_assert_int_eq(poll_apply(&s, PA_NEXT), 0);
	ck_assert_int_eq(poll_apply(&s, PA_NEXT), -1);	/* past the last */
	ck_assert_int_eq(s.current, 2);
	ck_assert_int_eq(poll_apply(&s, PA_END), 0);
	ck_assert_int_eq(poll_accepts(&s, 2), 0);
	for (int a = 0; a < PA__MAX; a++)
		ck_assert_int_eq(poll_apply(&s, (enum poll_action)a), -1);	/* ended is final */
	ck_assert_int_eq(poll_action_from_name("lock"), PA_LOCK);
	ck_assert_int_eq(poll_action_from_name("Lock"), PA__MAX);
	ck_assert_int_eq(poll_action_from_name(NULL), PA__MAX);
}
END_TEST

static struct store *
open_store(void)
{
	struct store *st;

	ck_assert_int_eq(store_open(store_target(path), STORE_CREATE, &st), STORE_OK);
	ck_assert_int_ge(store_schema_version(st), 3);
	return st;
}

static struct store_poll
session(struct store *st, int nq)
{
	struct store_poll p;

	memset(&p, 0, sizeof p);
	strcpy(p.poll_set, "poll-test");
	strcpy(p.def_hash, "0123456789abcdef0123456789abcdef");
	p.version = 1;
	p.staff = 1;
	p.state.nq = nq;
	ck_assert_int_eq(store_poll_create(st, &p), STORE_OK);
	return p;
}

START_TEST(codes_unique_among_open_sessions)
{
	struct store *st = open_store();
	char seen[200][POLL_CODE_LEN + 1];
	struct store_poll p, got;

	for (int i = 0; i < 200; i++) {
		p = session(st, 2);
		strcpy(seen[i], p.code);
		for (int k = 0; k < i; k++)
			ck_assert_str_ne(seen[k], p.code);
		ck_assert_int_eq(store_poll_find(st, p.code, arena, &got), STORE_OK);
		ck_assert_int_eq(got.id, p.id);
	}
	store_close(st);
}
END_TEST

static int
count_rows(void *ctx, const struct store_poll_row *r)
{
	(void)r;
	(*(int *)ctx)++;
	return 0;
}

static enum store_err
vote(struct store *st, int64_t session, int q, unsigned char who, const char *value,
    int64_t item)
{
	struct store_poll_vote v = { .session = session, .q = q, .item = item, .value = value };
	const struct store_poll_vote *vp = &v;
	enum store_err res;

	memset(v.voter, who, sizeof v.voter);
	ck_assert_int_eq(store_poll_votes_add(st, &vp, 1, &res), STORE_OK);
	return res;
}

START_TEST(votes_idempotent_and_guarded)
{
	struct store *st = open_store();
	struct store_poll p = session(st, 2), again;
	unsigned char who[STORE_VOTER_BYTES];
	const char *mine;
	int64_t n, sid;
	int rows = 0;

	ck_assert_int_eq(vote(st, p.id, 0, 1, "a", 0), STORE_NOTFOUND);	/* not started */
	ck_assert_int_eq(poll_apply(&p.state, PA_NEXT), 0);
	ck_assert_int_eq(store_poll_update(st, &p), STORE_OK);
	ck_assert_int_eq(vote(st, p.id, 0, 1, "a", 0), STORE_OK);
	ck_assert_int_eq(vote(st, p.id, 0, 1, "a", 0), STORE_OK);	/* a retry */
	ck_assert_int_eq(vote(st, p.id, 0, 2, "b", 0), STORE_OK);
	ck_assert_int_eq(vote(st, p.id, 0, 2, "c", 0), STORE_OK);	/* changed mind */
	ck_assert_int_eq(vote(st, p.id, 1, 3, "a", 0), STORE_NOTFOUND);	/* not current */
	ck_assert_int_eq(store_poll_answers(st, p.id, 0, &n), STORE_OK);
	ck_assert_int_eq(n, 2);
	memset(who, 2, sizeof who);
	ck_assert_int_eq(store_poll_my_vote(st, p.id, 0, 0, who, arena, &mine), STORE_OK);
	ck_assert_str_eq(mine, "c");
	ck_assert_int_eq(store_poll_each_vote(st, p.id, -1, -1, count_rows, &rows), STORE_OK);
	ck_assert_int_eq(rows, 2);

	/* A stale writer (an old rev) is refused; locking stops votes. */
	again = p;
	ck_assert_int_eq(poll_apply(&p.state, PA_LOCK), 0);
	ck_assert_int_eq(store_poll_update(st, &p), STORE_OK);
	ck_assert_int_eq(poll_apply(&again.state, PA_SHOW), 0);
	ck_assert_int_eq(store_poll_update(st, &again), STORE_BUSY);
	ck_assert_int_eq(vote(st, p.id, 0, 4, "a", 0), STORE_NOTFOUND);

	/* Statements: a vote counts only on an approved one. */
	ck_assert_int_eq(poll_apply(&p.state, PA_NEXT), 0);
	ck_assert_int_eq(store_poll_update(st, &p), STORE_OK);
	ck_assert_int_eq(store_poll_statement_add(st, p.id, 1, "More lights in the park", &sid),
	    STORE_OK);
	ck_assert_int_eq(vote(st, p.id, 1, 1, "agree", sid), STORE_NOTFOUND);
	ck_assert_int_eq(store_poll_statement_set(st, p.id, sid, SPS_APPROVED), STORE_OK);
	ck_assert_int_eq(vote(st, p.id, 1, 1, "agree", sid), STORE_OK);
	ck_assert_int_eq(vote(st, p.id, 1, 1, "agree", sid), STORE_OK);
	ck_assert_int_eq(store_poll_answers(st, p.id, 1, &n), STORE_OK);
	ck_assert_int_eq(n, 1);

	/* Ended: nothing more, and the saved mark needs an ended session. */
	ck_assert_int_eq(store_poll_saved(st, &p, NULL), STORE_NOTFOUND);
	ck_assert_int_eq(poll_apply(&p.state, PA_END), 0);
	ck_assert_int_eq(store_poll_update(st, &p), STORE_OK);
	ck_assert_int_eq(vote(st, p.id, 1, 2, "agree", sid), STORE_NOTFOUND);
	ck_assert_int_eq(store_poll_saved(st, &p, NULL), STORE_OK);
	store_close(st);
}
END_TEST

/* The language of the last row each_vote gives (NULL when it has none). */
static int
last_lang(void *ctx, const struct store_poll_row *r)
{
	*(const char **)ctx = r->lang ? arena_strdup(arena, r->lang) : NULL;
	return 0;
}

static enum store_err
vote_in(struct store *st, int64_t session, const char *value, const char *lang)
{
	struct store_poll_vote v = { .session = session, .value = value, .lang = lang };
	const struct store_poll_vote *vp = &v;
	enum store_err res;

	memset(v.voter, 7, sizeof v.voter);
	ck_assert_int_eq(store_poll_votes_add(st, &vp, 1, &res), STORE_OK);
	return res;
}

START_TEST(vote_language_kept_and_replaced)
{
	struct store *st = open_store();
	struct store_poll p = session(st, 1);
	const char *lang = "unset";

	ck_assert_int_eq(poll_apply(&p.state, PA_NEXT), 0);
	ck_assert_int_eq(store_poll_update(st, &p), STORE_OK);
	ck_assert_int_eq(vote_in(st, p.id, "a", "ar"), STORE_OK);
	ck_assert_int_eq(store_poll_each_vote(st, p.id, 0, -1, last_lang, &lang), STORE_OK);
	ck_assert_str_eq(lang, "ar");
	ck_assert_int_eq(vote_in(st, p.id, "a", "tr"), STORE_OK);	/* read again in Turkish */
	ck_assert_int_eq(store_poll_each_vote(st, p.id, 0, -1, last_lang, &lang), STORE_OK);
	ck_assert_str_eq(lang, "tr");
	ck_assert_int_eq(vote_in(st, p.id, "b", NULL), STORE_OK);	/* not known */
	ck_assert_int_eq(store_poll_each_vote(st, p.id, 0, -1, last_lang, &lang), STORE_OK);
	ck_assert_ptr_null(lang);
	ck_assert_int_eq(vote_in(st, p.id, "b", ""), STORE_INVALID);
	ck_assert_int_eq(vote_in(st, p.id, "b", "abcdefghijklmnop"), STORE_INVALID);
	store_close(st);
}
END_TEST

/* The one presence value stored for `who`, read back with SQL. */
static int64_t
seen_value(const unsigned char who[STORE_VOTER_BYTES])
{
	char cmd[256], hex[STORE_VOTER_BYTES * 2 + 1], out[64] = "";
	FILE *f;

	sodium_bin2hex(hex, sizeof hex, who, STORE_VOTER_BYTES);
	snprintf(cmd, sizeof cmd, "sqlite3 '%s' \"SELECT seen FROM poll_presence WHERE who = x'%s'\"",
	    path, hex);
	ck_assert_ptr_nonnull(f = popen(cmd, "r"));
	ck_assert_ptr_nonnull(fgets(out, sizeof out, f));
	pclose(f);
	return strtoll(out, NULL, 10);
}

START_TEST(presence_counts_recent)
{
	struct store *st = open_store();
	struct store_poll p = session(st, 1);
	unsigned char who[STORE_VOTER_BYTES];
	int64_t n;

	/* seen at 6000, 6040, 6080 (minute 100, 100, 101), 6125, 6190 (102, 103) */
	static const int64_t at[] = { 6000, 6040, 6080, 6125, 6190 };
	for (int i = 0; i < 5; i++) {
		memset(who, i, sizeof who);
		ck_assert_int_eq(store_poll_seen(st, p.id, who, at[i]), STORE_OK);
	}
	ck_assert_int_eq(store_poll_connected(st, p.id, 6190, &n), STORE_OK);
	ck_assert_int_eq(n, 2);	/* minutes 103 and 102 */
	ck_assert_int_eq(store_poll_connected(st, p.id, 6100, &n), STORE_OK);
	ck_assert_int_eq(n, 5);	/* minute 101 and 100, and the later ones */
	memset(who, 1, sizeof who);
	ck_assert_int_eq(seen_value(who), 100);	/* the minute, not the second */
	ck_assert_int_eq(store_poll_seen(st, p.id, who, 6059), STORE_OK);
	ck_assert_int_eq(seen_value(who), 100);
	ck_assert_int_eq(store_poll_seen(st, p.id, who, 6061), STORE_OK);
	ck_assert_int_eq(seen_value(who), 101);
	store_close(st);
}
END_TEST

/* Collects each vote's value, in order, joined by '|'. */
static int
join_values(void *ctx, const struct store_poll_row *r)
{
	char *out = ctx;

	strcat(out, r->value);
	strcat(out, "|");
	return 0;
}

static int
join_statements(void *ctx, const struct store_poll_statement *s)
{
	strcat(ctx, s->text);
	strcat(ctx, "|");
	return 0;
}

static void
text_vote(struct store *st, int64_t session, int q, unsigned char who, const char *value)
{
	struct store_poll_vote v = { .session = session, .q = q, .value = value, .text = 1 };
	const struct store_poll_vote *vp = &v;
	enum store_err res;

	memset(v.voter, who, sizeof v.voter);
	ck_assert_int_eq(store_poll_votes_add(st, &vp, 1, &res), STORE_OK);
	ck_assert_int_eq(res, STORE_OK);
}

/* The database file (after a checkpoint that empties the -wal) holds no
 * copy of s. */
static int
file_has(const char *s)
{
	char cmd[512];

	snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null &&"
	    " grep -qaF '%s' '%s' '%s-wal' 2>/dev/null", path, s, path, path);
	return system(cmd) == 0;
}

START_TEST(saving_wipes_plain_text)
{
	struct store *st = open_store();
	struct store_poll p = session(st, 3);
	char got[512] = "";
	int64_t sid, sid2;
	int keep[3] = { 0, 3, 0 };

	ck_assert_int_eq(poll_apply(&p.state, PA_NEXT), 0);	/* 0: open text */
	ck_assert_int_eq(store_poll_update(st, &p), STORE_OK);
	text_vote(st, p.id, 0, 1, "Canary Zebra Lantern lives at number 4");
	text_vote(st, p.id, 0, 2, "Streetlights");
	ck_assert_int_eq(poll_apply(&p.state, PA_NEXT), 0);	/* 1: word cloud, 3 keep a word */
	ck_assert_int_eq(store_poll_update(st, &p), STORE_OK);
	for (unsigned char w = 1; w <= 3; w++)
		text_vote(st, p.id, 1, w, w == 2 ? "YOUTH clubs" : "youth clubs");
	text_vote(st, p.id, 1, 4, "Quokka");
	ck_assert_int_eq(poll_apply(&p.state, PA_NEXT), 0);	/* 2: statements */
	ck_assert_int_eq(store_poll_update(st, &p), STORE_OK);
	ck_assert_int_eq(store_poll_statement_add(st, p.id, 2, "Open the park later", &sid),
	    STORE_OK);
	ck_assert_int_eq(store_poll_statement_add(st, p.id, 2, "Marmoset Wombat at 9 Elm Road",
	    &sid2), STORE_OK);
	ck_assert_int_eq(store_poll_statement_set(st, p.id, sid, SPS_APPROVED), STORE_OK);
	ck_assert(file_has("Canary Zebra Lantern"));	/* in plain while the session runs */
	ck_assert(file_has("Marmoset Wombat"));

	ck_assert_int_eq(poll_apply(&p.state, PA_END), 0);
	ck_assert_int_eq(store_poll_update(st, &p), STORE_OK);
	ck_assert_int_eq(store_poll_saved(st, &p, keep), STORE_OK);
	ck_assert_int_eq(store_poll_each_vote(st, p.id, 0, -1, join_values, got), STORE_OK);
	ck_assert_str_eq(got, "||");			/* answered, text gone */
	got[0] = '\0';
	ck_assert_int_eq(store_poll_each_vote(st, p.id, 1, -1, join_values, got), STORE_OK);
	ck_assert_str_eq(got, "youth clubs|YOUTH clubs|youth clubs||");
	got[0] = '\0';
	ck_assert_int_eq(store_poll_each_statement(st, p.id, 2, join_statements, got), STORE_OK);
	ck_assert_str_eq(got, "Open the park later|");
	store_close(st);
	ck_assert(!file_has("Canary Zebra Lantern"));
	ck_assert(!file_has("Streetlights"));
	ck_assert(!file_has("Quokka"));
	ck_assert(!file_has("Marmoset Wombat"));
	ck_assert(file_has("youth clubs"));
}
END_TEST

/* A backup taken while a session runs holds none of its free text in plain;
 * the live database keeps it for the moderator. */
START_TEST(backup_leaves_running_text_out)
{
	struct store *st = open_store();
	struct store_poll p = session(st, 1);
	char dest[160], cmd[512];
	int64_t n;

	ck_assert_int_eq(poll_apply(&p.state, PA_NEXT), 0);
	ck_assert_int_eq(store_poll_update(st, &p), STORE_OK);
	text_vote(st, p.id, 0, 1, "Narwhal Quince of 3 Birch Close");
	ck_assert_int_eq(store_poll_statement_add(st, p.id, 0, "Gecko Umbrella is to blame", NULL),
	    STORE_OK);
	snprintf(dest, sizeof dest, "%s/backup.db", dir);
	ck_assert_int_eq(store_backup(st, dest, &n), STORE_OK);
	ck_assert(file_has("Narwhal Quince"));
	store_close(st);
	snprintf(cmd, sizeof cmd, "grep -qaF -e 'Narwhal Quince' -e 'Gecko Umbrella' '%s'", dest);
	ck_assert_int_ne(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "test \"$(sqlite3 '%s' \"SELECT count(*) FROM poll_vote\")\" = 1",
	    dest);
	ck_assert_int_eq(system(cmd), 0);	/* the vote itself is kept */
}
END_TEST

/* A database whose sessions were saved before saving wiped anything: the
 * migration wipes them when it is opened (and keeps a running session's). */
START_TEST(migration_wipes_saved_sessions)
{
	struct store *st = open_store();
	struct store_poll done = session(st, 1), running = session(st, 1);
	char cmd[1024];

	store_close(st);
	snprintf(cmd, sizeof cmd, "sqlite3 '%s' \"DELETE FROM schema_version WHERE version >= 7;"
	    " UPDATE poll_session SET open = 0, saved = 1 WHERE id = %lld;"
	    " INSERT INTO poll_vote (session, q, voter, value, text) VALUES"
	    " (%lld, 0, zeroblob(32), 'Ocelot Harbour lives at 12', 1),"
	    " (%lld, 0, zeroblob(32), 'Pelican Meadow', 1);"
	    " INSERT INTO poll_statement (session, q, text, state) VALUES"
	    " (%lld, 0, 'Tapir Orchard', 2), (%lld, 0, 'Keep the library open', 1);"
	    " INSERT INTO poll_presence VALUES (%lld, zeroblob(32), 6000)\"",
	    path, (long long)done.id, (long long)done.id, (long long)running.id,
	    (long long)done.id, (long long)done.id, (long long)running.id);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert(file_has("Ocelot Harbour"));
	st = open_store();
	store_close(st);
	ck_assert(!file_has("Ocelot Harbour"));
	ck_assert(!file_has("Tapir Orchard"));
	ck_assert(file_has("Keep the library open"));
	ck_assert(file_has("Pelican Meadow"));	/* still running: its moderator needs it */
	memset(cmd, 0, sizeof cmd);
	ck_assert_int_eq(seen_value((const unsigned char *)cmd), 100);
}
END_TEST

START_TEST(wire_vote_round_trip_and_hostile)
{
	struct store_poll_vote v = { .session = 77, .q = 3, .item = 9, .value = "east,west",
	    .text = 1, .lang = "ar" }, back;
	struct buf b = BUF_INIT;

	memset(v.voter, 0xab, sizeof v.voter);
	ck_assert_int_eq(wire_encode_vote(&v, &b), 0);
	ck_assert_int_eq(wire_kind_of(b.p, b.len), WIRE_VOTE);
	ck_assert_int_eq(wire_decode_vote(b.p, b.len, arena, &back), 0);
	ck_assert_int_eq(back.session, 77);
	ck_assert_int_eq(back.q, 3);
	ck_assert_int_eq(back.item, 9);
	ck_assert_int_eq(back.text, 1);
	ck_assert_str_eq(back.value, "east,west");
	ck_assert_int_eq(memcmp(back.voter, v.voter, sizeof v.voter), 0);
	ck_assert_str_eq(back.lang, "ar");
	for (size_t n = 0; n < b.len; n++)	/* every truncation is refused */
		ck_assert_int_eq(wire_decode_vote(b.p, n, arena, &back), -1);
	b.p[b.len - 1] = 2;			/* a text flag that is not 0 or 1 */
	ck_assert_int_eq(wire_decode_vote(b.p, b.len, arena, &back), -1);
	buf_reset(&b);
	v.lang = NULL;				/* not known: none comes back */
	ck_assert_int_eq(wire_encode_vote(&v, &b), 0);
	ck_assert_int_eq(wire_decode_vote(b.p, b.len, arena, &back), 0);
	ck_assert_ptr_null(back.lang);
	v.lang = "abcdefghijklmnop";		/* longer than any language code */
	ck_assert_int_eq(wire_encode_vote(&v, &b), -1);
	ck_assert_int_eq(wire_kind_of("VS3", 3), WIRE_SUBMISSION);
	ck_assert_int_eq(wire_kind_of("VX1", 3), WIRE_UNKNOWN);
	v.q = -1;
	ck_assert_int_eq(wire_encode_vote(&v, &b), -1);
	buf_free(&b);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("poll");
	TCase *tc = tcase_create("model");
	TCase *ts = tcase_create("store");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, code_alphabet_and_length);
	tcase_add_test(tc, code_normalise);
	tcase_add_test(tc, state_machine);
	tcase_add_test(tc, wire_vote_round_trip_and_hostile);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(ts, setup, teardown);
	tcase_set_timeout(ts, 30);
	tcase_add_test(ts, codes_unique_among_open_sessions);
	tcase_add_test(ts, votes_idempotent_and_guarded);
	tcase_add_test(ts, vote_language_kept_and_replaced);
	suite_add_tcase(s, ts);
	if (!store_target_pg()) {	/* these read the SQLite file with sqlite3 */
		TCase *tf = tcase_create("sqlite file");

		tcase_add_checked_fixture(tf, setup, teardown);
		tcase_set_timeout(tf, 30);
		tcase_add_test(tf, presence_counts_recent);
		tcase_add_test(tf, saving_wipes_plain_text);
		tcase_add_test(tf, migration_wipes_saved_sessions);
		tcase_add_test(tf, backup_leaves_running_text_out);
		suite_add_tcase(s, tf);
	}
	return s;
}

int
main(void)
{
	return unit_run(suite(), CK_FORK_GETENV);
}
