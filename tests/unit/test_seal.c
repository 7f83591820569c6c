/* Tests for seal: round trips, tampering, wrong keys, key files, and an
 * opener reading several periods (its cache keyed by period id). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include "seal.h"
#include "unit.h"

static unsigned char	 pk[SEAL_KEY_BYTES], sk[SEAL_KEY_BYTES];
static char		 dir[64];

static void
setup(void)
{
	ck_assert_int_ge(sodium_init(), 0);
	ck_assert_int_eq(seal_keygen(pk, sk), 0);
	unit_tmpdir(dir, sizeof dir);
}

static void
teardown(void)
{
	unit_rmdir(dir);
}

START_TEST(test_roundtrip)
{
	const char	*msg = "more benches near the pond";
	size_t		 n = strlen(msg);
	unsigned char	 blob[128], out[128];
	struct sealer	*s = sealer_new(pk);
	struct opener	*o = opener_new(sk);

	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(sealer_count(s), 0);
	sealer_seal(s, msg, n, blob);
	ck_assert_uint_eq(sealer_count(s), 1);
	ck_assert_ptr_null(memmem(blob, n + SEAL_OVERHEAD, "benches", 7));
	ck_assert_int_eq(opener_open(o, 1, sealer_public(s), blob, n + SEAL_OVERHEAD, out), 0);
	ck_assert_mem_eq(out, msg, n);
	/* the same text twice seals differently (fresh nonce) */
	sealer_seal(s, msg, n, out);
	ck_assert_int_ne(memcmp(out, blob, n + SEAL_OVERHEAD), 0);
	/* the empty text */
	sealer_seal(s, "", 0, blob);
	ck_assert_int_eq(opener_open(o, 1, sealer_public(s), blob, SEAL_OVERHEAD, out), 0);
	sealer_free(s);
	opener_free(o);
	sealer_free(NULL);
	opener_free(NULL);
}
END_TEST

START_TEST(test_tamper)
{
	const char	*msg = "0123456789";
	unsigned char	 blob[64], out[64];
	struct sealer	*s = sealer_new(pk);
	struct opener	*o = opener_new(sk);
	size_t		 n = 10 + SEAL_OVERHEAD;

	sealer_seal(s, msg, 10, blob);
	for (size_t i = 0; i < n; i++) {
		blob[i] ^= 0x01;
		ck_assert_int_eq(opener_open(o, 1, sealer_public(s), blob, n, out), -1);
		blob[i] ^= 0x01;
	}
	ck_assert_int_eq(opener_open(o, 1, sealer_public(s), blob, n - 1, out), -1);
	ck_assert_int_eq(opener_open(o, 1, sealer_public(s), blob, SEAL_OVERHEAD - 1, out), -1);
	ck_assert_int_eq(opener_open(o, 1, sealer_public(s), blob, n, out), 0);
	sealer_free(s);
	opener_free(o);
}
END_TEST

START_TEST(test_wrong_key)
{
	unsigned char	 pk2[SEAL_KEY_BYTES], sk2[SEAL_KEY_BYTES], blob[64], out[64];
	unsigned char	 zero[SEAL_KEY_BYTES] = { 0 };
	struct sealer	*s = sealer_new(pk), *s2;
	struct opener	*o2;

	ck_assert_int_eq(seal_keygen(pk2, sk2), 0);
	o2 = opener_new(sk2);
	sealer_seal(s, "hello", 5, blob);
	ck_assert_int_eq(opener_open(o2, 1, sealer_public(s), blob, 5 + SEAL_OVERHEAD, out), -1);
	/* another period's public key under a cached id: recomputed, still refused */
	s2 = sealer_new(pk);
	ck_assert_int_eq(opener_open(o2, 1, sealer_public(s2), blob, 5 + SEAL_OVERHEAD, out), -1);
	/* a weak (all-zero) public key is refused, for sealing and opening */
	ck_assert_ptr_null(sealer_new(zero));
	ck_assert_int_eq(opener_open(o2, 9, zero, blob, 5 + SEAL_OVERHEAD, out), -1);
	ck_assert_int_eq(opener_open(o2, 9, zero, blob, 5 + SEAL_OVERHEAD, out), -1);
	sealer_free(s);
	sealer_free(s2);
	opener_free(o2);
}
END_TEST

/* Many periods, opened in an order unlike their ids; one opener keeps a
 * shared key per id and must not mix them up. */
START_TEST(test_periods)
{
	enum { P = 40 };
	struct sealer	*s[P];
	unsigned char	 blob[P][16 + SEAL_OVERHEAD], out[16];
	struct opener	*o = opener_new(sk);
	char		 msg[24];

	for (int i = 0; i < P; i++) {
		s[i] = sealer_new(pk);
		snprintf(msg, sizeof msg, "period %07d", i);
		sealer_seal(s[i], msg, 15, blob[i]);
	}
	for (int round = 0; round < 2; round++)
		for (int k = 0; k < P; k++) {
			int i = (k * 17 + 5) % P;
			int64_t id = (int64_t)((i * 7919) % 1000) - 500;
			snprintf(msg, sizeof msg, "period %07d", i);
			ck_assert_int_eq(opener_open(o, id, sealer_public(s[i]), blob[i],
			    15 + SEAL_OVERHEAD, out), 0);
			ck_assert_mem_eq(out, msg, 15);
			if (i > 0)	/* a blob under another period's key */
				ck_assert_int_eq(opener_open(o, id, sealer_public(s[i]),
				    blob[i - 1], 15 + SEAL_OVERHEAD, out), -1);
		}
	for (int i = 0; i < P; i++)
		sealer_free(s[i]);
	opener_free(o);
}
END_TEST

START_TEST(test_key_files)
{
	char		 p[128], q[128];
	unsigned char	 k[SEAL_KEY_BYTES];
	struct stat	 sb;
	FILE		*f;

	snprintf(p, sizeof p, "%s/analysis.key", dir);
	ck_assert_int_eq(seal_key_write(p, sk, 1), 0);
	ck_assert_int_eq(stat(p, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(sb.st_size, 65);
	ck_assert_int_eq(seal_key_read(p, k), 0);
	ck_assert_mem_eq(k, sk, sizeof k);
	/* an existing file with loose permissions is tightened */
	ck_assert_int_eq(chmod(p, 0644), 0);
	ck_assert_int_eq(seal_key_write(p, sk, 1), 0);
	ck_assert_int_eq(stat(p, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	/* comments, blank lines, CRLF */
	snprintf(q, sizeof q, "%s/pub.key", dir);
	ck_assert_ptr_nonnull(f = fopen(q, "w"));
	fputs("# analysis team, 2024\n\n", f);
	for (size_t i = 0; i < SEAL_KEY_BYTES; i++)
		fprintf(f, "%02X", pk[i]);
	fputs("\r\n", f);
	fclose(f);
	ck_assert_int_eq(seal_key_read(q, k), 0);
	ck_assert_mem_eq(k, pk, sizeof k);
	/* malformed: short, non-hex, empty, missing */
	ck_assert_ptr_nonnull(f = fopen(q, "w"));
	fputs("abcd\n", f);
	fclose(f);
	ck_assert_int_eq(seal_key_read(q, k), -1);
	ck_assert_ptr_nonnull(f = fopen(q, "w"));
	for (int i = 0; i < 64; i++)
		fputc('g', f);
	fclose(f);
	ck_assert_int_eq(seal_key_read(q, k), -1);
	ck_assert_ptr_nonnull(f = fopen(q, "w"));
	fputs("# only a comment\n", f);
	fclose(f);
	ck_assert_int_eq(seal_key_read(q, k), -1);
	snprintf(q, sizeof q, "%s/missing.key", dir);
	ck_assert_int_eq(seal_key_read(q, k), -1);
	/* a public key file is readable by others */
	umask(022);
	ck_assert_int_eq(seal_key_write(q, pk, 0), 0);
	ck_assert_int_eq(stat(q, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0644);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("seal");
	TCase	*tc = tcase_create("seal");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_tamper);
	tcase_add_test(tc, test_wrong_key);
	tcase_add_test(tc, test_periods);
	tcase_add_test(tc, test_key_files);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK_GETENV);
}
