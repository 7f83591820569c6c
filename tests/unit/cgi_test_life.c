/* Tests for the lifecycle's storage (core/store_life.c) and the writer's last
 * check (cgi/writer.c): a close or reopen is stored with its audit row in
 * one transaction and read back; the versions with responses are listed;
 * and a real writer process refuses a submission to a survey an admin
 * closed once its grace is over (STORE_CLOSED, nothing stored), takes one
 * within the grace, and still confirms a form it stored before.  On both
 * engines: the database is store_target's. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sodium.h>
#include "app.h"
#include "lifecycle.h"
#include "store_int.h"
#include "store_target.h"
#include "writer.h"
#include "unit.h"

static char		 dir[64], path[128], db[1024];
static struct config	 cfg;
static struct app	 app;
static struct survey	 sv;
static pid_t		 writer = -1;

static char *
in_dir(const char *name)
{
	char *p = malloc(strlen(dir) + strlen(name) + 2);

	ck_assert_ptr_nonnull(p);
	sprintf(p, "%s/%s", dir, name);
	return p;
}

static void
setup(void)
{
	unsigned char pk[SEAL_KEY_BYTES], sk[SEAL_KEY_BYTES];
	struct store *st;

	unit_db_dir(dir, sizeof dir, path, sizeof path);
	snprintf(db, sizeof db, "%s", store_target(path));
	sv.id = "life";
	sv.version = 2;
	sv.title.s[0] = "Life";
	strcpy(sv.hash, "00112233445566778899aabbccddeeff");
	ck_assert_int_eq(store_open(db, STORE_CREATE, &st), STORE_OK);
	ck_assert_int_eq(store_survey_register(st, &sv), STORE_OK);
	store_close(st);
	config_defaults(&cfg);
	free(cfg.database);
	free(cfg.writer_socket);
	free(cfg.public_key);
	free(cfg.secret_file);
	ck_assert_ptr_nonnull(cfg.database = strdup(db));
	cfg.writer_socket = in_dir("w.sock");
	cfg.public_key = in_dir("pk");
	cfg.secret_file = in_dir("secret");
	ck_assert_int_eq(seal_keygen(pk, sk), 0);
	ck_assert_int_eq(seal_key_write(cfg.public_key, pk, 0), 0);
	ck_assert_int_eq(seal_key_write(cfg.secret_file, sk, 1), 0);
	memset(&app, 0, sizeof app);
	app.cfg = &cfg;
	app.writer_fd = -1;
}

static void
teardown(void)
{
	if (app.writer_fd >= 0)	/* the writer serves its clients to the end */
		close(app.writer_fd);
	app.writer_fd = -1;
	if (writer > 0) {
		kill(writer, SIGTERM);
		waitpid(writer, NULL, 0);
		writer = -1;
	}
	config_free(&cfg);
	unit_rmdir(dir);
}

static void
start_writer(void)
{
	int fd = writer_listen(cfg.writer_socket);

	ck_assert_int_ge(fd, 0);
	writer = fork();
	ck_assert_int_ge(writer, 0);
	if (writer == 0)
		_exit(writer_run(&cfg, NULL, fd) == 0 ? 0 : 1);
	close(fd);
}

static enum store_err
send_one(unsigned char n)
{
	struct store_answer an = { "q", "a", 1, 0, 0 };
	struct submission sub = { .survey = "life", .version = 2, .def_hash = sv.hash,
	    .channel = "online", .lang = "en", .nonce = { n }, .answers = &an, .nanswers = 1 };

	return writer_submit(&app, &sub);
}

static void
close_at(int64_t at, int64_t grace)
{
	struct lc_override ov = { LC_ACT_CLOSE, at, grace };
	struct store_audit au = { at, "ada", "survey_closed", "survey life: test" };
	struct store *st;

	ck_assert_int_eq(store_open(db, 0, &st), STORE_OK);
	ck_assert_int_eq(store_survey_state_set(st, "life", &ov, "test", &au), STORE_OK);
	store_close(st);
}

static int64_t
responses(void)
{
	struct store *st;
	int64_t n = -1;

	ck_assert_int_eq(store_open(db, STORE_RDONLY, &st), STORE_OK);
	ck_assert_int_eq(store_response_count(st, "life", &n), STORE_OK);
	store_close(st);
	return n;
}

static void
wave(void *ctx, int version)
{
	int *last = ctx;

	*last = *last * 10 + version;
}

START_TEST(state_and_audit_together)
{
	struct lc_override ov = { LC_ACT_CLOSE, 1000, 600 }, none = { LC_ACT_NONE, 0, 0 };
	struct store_audit au = { 1000, "ada", "survey_closed", "survey life: why" };
	struct store_survey_state ss;
	char reason[STORE_REASON_MAX + 2];
	struct store *st;
	struct db_stmt *q;
	int64_t n = 0;
	int waves = 0;

	ck_assert_int_eq(store_open(db, 0, &st), STORE_OK);
	ck_assert_int_eq(store_survey_state_get(st, "life", &ss), STORE_OK);
	ck_assert_int_eq(ss.ov.action, LC_ACT_NONE);
	ck_assert_int_eq(store_survey_state_set(st, "life", &none, "x", &au), STORE_INVALID);
	memset(reason, 'r', sizeof reason - 1);
	reason[sizeof reason - 1] = '\0';
	ck_assert_int_eq(store_survey_state_set(st, "life", &ov, reason, &au), STORE_INVALID);
	ck_assert_int_eq(store_survey_state_set(st, "life", &ov, "why", &au), STORE_OK);
	ck_assert_int_eq(store_survey_state_get(st, "life", &ss), STORE_OK);
	ck_assert_int_eq(ss.ov.action, LC_ACT_CLOSE);
	ck_assert_int_eq(ss.ov.at, 1000);
	ck_assert_int_eq(ss.ov.grace, 600);
	ck_assert_str_eq(ss.staff, "ada");
	ck_assert_str_eq(ss.reason, "why");
	ov.action = LC_ACT_REOPEN;
	ov.at = 2000;
	ck_assert_int_eq(store_survey_state_set(st, "life", &ov, "again", &au), STORE_OK);
	ck_assert_int_eq(store_survey_state_get(st, "life", &ss), STORE_OK);
	ck_assert_int_eq(ss.ov.action, LC_ACT_REOPEN);
	ck_assert_str_eq(ss.reason, "again");
	ck_assert_int_eq(store_survey_versions(st, "life", wave, &waves), STORE_OK);
	ck_assert_int_eq(waves, 0);
	store_close(st);
	/* two changes, two audit rows, read with the engine's SQL */
	ck_assert_int_eq(store_open(db, STORE_RDONLY, &st), STORE_OK);
	ck_assert_int_eq(store_response_count(st, "life", &n), STORE_OK);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(db_prepare(st->db, "SELECT count(*) FROM audit"
	    " WHERE action = 'survey_closed' AND staff = 'ada'", 0, &q), DB_OK);
	ck_assert_int_eq(db_one_int64(q, &n), DB_ROW);
	db_finalize(q);
	ck_assert_int_eq(n, 2);
	store_close(st);
}
END_TEST

START_TEST(writer_refuses_after_the_grace)
{
	struct store *st;
	int waves = 0;

	start_writer();
	ck_assert_int_eq(send_one(1), STORE_OK);
	close_at(lc_now() - 60, 3600);			/* closed a minute ago: in the grace */
	ck_assert_int_eq(send_one(2), STORE_OK);
	close_at(lc_now() - 7200, 3600);		/* the grace is over */
	ck_assert_int_eq(send_one(3), STORE_CLOSED);
	ck_assert_int_eq(send_one(1), STORE_DUPLICATE);	/* stored before: confirmed */
	ck_assert_int_eq(responses(), 2);
	ck_assert_int_eq(store_open(db, STORE_RDONLY, &st), STORE_OK);
	ck_assert_int_eq(store_survey_versions(st, "life", wave, &waves), STORE_OK);
	ck_assert_int_eq(waves, 2);
	store_close(st);
}
END_TEST

static Suite *
life_suite(void)
{
	Suite	*s = suite_create("life");
	TCase	*tc = tcase_create("store and writer");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, state_and_audit_together);
	tcase_add_test(tc, writer_refuses_after_the_grace);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(life_suite(), CK_FORK_GETENV);
}
