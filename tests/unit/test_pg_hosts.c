/* Tests for the host list the PostgreSQL engine tries after losing a
 * connection (core/db_pg_conninfo.c, pg_hosts_after): the lost host goes
 * last, the host, hostaddr and port lists turn together, a single port
 * applies to all, and what cannot be turned is left as written. */
#include "db_pg_int.h"
#include "unit.h"

/* A connection string, the host and port lost, and the lists expected
 * (host, hostaddr, port; "" where left as written). */
struct turn {
	const char	*conninfo, *lost_host, *lost_port;
	const char	*host, *addr, *port;
};

static void
check_turns(const struct turn *t, size_t n)
{
	struct pg_hosts h;
	size_t i;

	for (i = 0; i < n; i++) {
		ck_assert_msg(pg_hosts_after(t[i].conninfo, t[i].lost_host, t[i].lost_port,
		    &h) == 0, "%s without %s", t[i].conninfo, t[i].lost_host);
		ck_assert_str_eq(h.host, t[i].host);
		ck_assert_str_eq(h.addr, t[i].addr);
		ck_assert_str_eq(h.port, t[i].port);
	}
}

START_TEST(test_turns_after_the_lost_host)
{
	static const char c[] = "host=a,b,c port=1,2,3 dbname=voices";
	static const struct turn t[] = {
		{ c, "a", "1", "b,c,a", "", "2,3,1" },
		{ c, "b", "2", "c,a,b", "", "3,1,2" },
		{ c, "c", "3", "a,b,c", "", "1,2,3" },
		{ "host=127.0.0.1,127.0.0.1,127.0.0.1 port=7521,7522,7523", "127.0.0.1", "7522",
		    "127.0.0.1,127.0.0.1,127.0.0.1", "", "7523,7521,7522" },
		{ "host=a,b port=5432", "b", "5432", "a,b", "", "" },	/* one port: as written */
		{ "host=a,b hostaddr=10.0.0.1,10.0.0.2", "a", "5432", "b,a",
		    "10.0.0.2,10.0.0.1", "" },
		{ "hostaddr=10.0.0.1,10.0.0.2", "10.0.0.1", "5432", "", "10.0.0.2,10.0.0.1", "" },
	};

	check_turns(t, sizeof(t) / sizeof(t[0]));
}
END_TEST

START_TEST(test_left_as_written)
{
	static const char *const bad[][3] = {
		{ "host=a dbname=x", "a", "5432" },
		{ "host=a,b port=1,2", "c", "1" },
		{ "host=a,b port=1,2", "a", "2" },
		{ "host=a,b port=1,2,3", "a", "1" },
		{ "host=a,b hostaddr=10.0.0.9", "a", "1" },
		{ "dbname=x", "a", "1" },
		{ "host=a,b", NULL, "1" },
		{ "not a conninfo", "a", "1" },
	};
	struct pg_hosts h;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(pg_hosts_after(bad[i][0], bad[i][1], bad[i][2], &h) == -1,
		    "%s is left as written", bad[i][0]);
	ck_assert_str_eq(h.host, "");
	ck_assert_str_eq(h.port, "");
}
END_TEST

int
main(void)
{
	return unit_run_tests("pg_hosts", "pg_hosts", 0, CK_FORK_GETENV,
	    test_turns_after_the_lost_host, test_left_as_written, NULL);
}
