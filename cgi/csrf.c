/* csrf: tokens are BLAKE2b(key = server secret, "csrf:" || cookie), truncated
 * to 16 bytes and hex-encoded. */
#include <string.h>
#include <sodium.h>
#include "csrf.h"
#include "util.h"

char *
csrf_new_cookie(struct arena *a)
{
	unsigned char r[16];
	char *out = arena_alloc(a, 33);

	if (out == NULL)
		return NULL;
	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(out, 33, r, sizeof(r));
	return out;
}

int
csrf_cookie_ok(const char *cookie)
{
	return hex_token_ok(cookie, 32);
}

static void
token_bin(unsigned char out[16], const unsigned char secret[32], const char *cookie)
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, secret, 32, 16);
	crypto_generichash_update(&st, (const unsigned char *)"csrf:", 5);
	crypto_generichash_update(&st, (const unsigned char *)cookie, strlen(cookie));
	crypto_generichash_final(&st, out, 16);
}

char *
csrf_token(struct arena *a, const unsigned char secret[32], const char *cookie)
{
	unsigned char t[16];
	char *out = arena_alloc(a, 33);

	if (out == NULL)
		return NULL;
	token_bin(t, secret, cookie);
	sodium_bin2hex(out, 33, t, sizeof(t));
	return out;
}

int
csrf_check(const unsigned char secret[32], const char *cookie, const char *token)
{
	unsigned char want[16], got[16];
	size_t len;

	if (!csrf_cookie_ok(cookie) || token == NULL || strlen(token) != 32)
		return 0;
	if (sodium_hex2bin(got, sizeof(got), token, 32, NULL, &len, NULL) != 0 || len != 16)
		return 0;
	token_bin(want, secret, cookie);
	return sodium_memcmp(want, got, 16) == 0;
}
