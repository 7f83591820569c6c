/* Tests for the host list the PostgreSQL engine tries after losing a
 * connection (core/db_pg_conninfo.c, pg_hosts_after): the lost host goes
 * last, the host, hostaddr and port lists turn together, a single port
 * applies to all, and what cannot be turned is left as written. */
#include "db_pg_int.h"
#include "unit.h"

START_TEST(test_turns_after_the_lost_host)
{
	struct pg_hosts h;
	const char *c = "host=a,b,c port=1,2,3 dbname=voices";

	ck_assert_int_eq(pg_hosts_after(c, "a", "1", &h), 0);
	ck_assert_str_eq(h.host, "b,c,a");
	ck_assert_str_eq(h.port, "2,3,1");
	ck_assert_str_eq(h.addr, "");
	ck_assert_int_eq(pg_hosts_after(c, "b", "2", &h), 0);
	ck_assert_str_eq(h.host, "c,a,b");
	ck_assert_str_eq(h.port, "3,1,2");
	ck_assert_int_eq(pg_hosts_after(c, "c", "3", &h), 0);
	ck_assert_str_eq(h.host, "a,b,c");
}
END_TEST

START_TEST(test_same_host_other_ports)
{
	struct pg_hosts h;
	const char *c = "host=127.0.0.1,127.0.0.1,127.0.0.1 port=7521,7522,7523";

	ck_assert_int_eq(pg_hosts_after(c, "127.0.0.1", "7522", &h), 0);
	ck_assert_str_eq(h.host, "127.0.0.1,127.0.0.1,127.0.0.1");
	ck_assert_str_eq(h.port, "7523,7521,7522");
}
END_TEST

START_TEST(test_one_port_and_addresses)
{
	struct pg_hosts h;

	ck_assert_int_eq(pg_hosts_after("host=a,b port=5432", "b", "5432", &h), 0);
	ck_assert_str_eq(h.host, "a,b");
	ck_assert_str_eq(h.port, "");	/* one port: as written */
	ck_assert_int_eq(pg_hosts_after("host=a,b hostaddr=10.0.0.1,10.0.0.2", "a", "5432", &h), 0);
	ck_assert_str_eq(h.host, "b,a");
	ck_assert_str_eq(h.addr, "10.0.0.2,10.0.0.1");
	ck_assert_int_eq(pg_hosts_after("hostaddr=10.0.0.1,10.0.0.2", "10.0.0.1", "5432", &h), 0);
	ck_assert_str_eq(h.host, "");
	ck_assert_str_eq(h.addr, "10.0.0.2,10.0.0.1");
}
END_TEST

START_TEST(test_left_as_written)
{
	struct pg_hosts h;

	ck_assert_int_eq(pg_hosts_after("host=a dbname=x", "a", "5432", &h), -1);
	ck_assert_int_eq(pg_hosts_after("host=a,b port=1,2", "c", "1", &h), -1);
	ck_assert_int_eq(pg_hosts_after("host=a,b port=1,2", "a", "2", &h), -1);
	ck_assert_int_eq(pg_hosts_after("host=a,b port=1,2,3", "a", "1", &h), -1);
	ck_assert_int_eq(pg_hosts_after("host=a,b hostaddr=10.0.0.9", "a", "1", &h), -1);
	ck_assert_int_eq(pg_hosts_after("dbname=x", "a", "1", &h), -1);
	ck_assert_int_eq(pg_hosts_after("host=a,b", NULL, "1", &h), -1);
	ck_assert_int_eq(pg_hosts_after("not a conninfo", "a", "1", &h), -1);
	ck_assert_str_eq(h.host, "");
	ck_assert_str_eq(h.port, "");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("pg_hosts");
	TCase	*tc = tcase_create("pg_hosts");

	tcase_add_test(tc, test_turns_after_the_lost_host);
	tcase_add_test(tc, test_same_host_other_ports);
	tcase_add_test(tc, test_one_port_and_addresses);
	tcase_add_test(tc, test_left_as_written);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK_GETENV);
}
