/* draft: keys, lookup ids, sealing and resume codes of unfinished answers.
 * Invariants: the server secret only ever keys hashes here (never a box); a
 * box's key is the respondent's, or stretched from their code. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "draft.h"
#include "util.h"

#define AEAD_NPUB	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define AEAD_ABYTES	crypto_aead_xchacha20poly1305_ietf_ABYTES
/* Argon2id at 32 MiB and 2 passes: about 0.1 s a code on one core, paid on
 * saving a code and on each resume that finds its row (a wrong code is
 * refused by the keyed lookup before any stretching). */
#define CODE_OPS	2
#define CODE_MEM	(32u * 1024 * 1024)

_Static_assert(DRAFT_LOOKUP_BYTES == crypto_pwhash_SALTBYTES, "the lookup id salts the code");

static const char code_alpha[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void
draft_keys_new(struct draft_keys *k)
{
	randombytes_buf(k->id, sizeof(k->id));
	randombytes_buf(k->key, sizeof(k->key));
}

void
draft_keys_format(const struct draft_keys *k, char out[DRAFT_COOKIE_LEN + 1])
{
	sodium_bin2hex(out, 2 * DRAFT_ID_BYTES + 1, k->id, sizeof(k->id));
	sodium_bin2hex(out + 2 * DRAFT_ID_BYTES, 2 * DRAFT_KEY_BYTES + 1, k->key, sizeof(k->key));
}

int
draft_keys_parse(const char *s, struct draft_keys *k)
{
	size_t n;

	if (!hex_token_ok(s, DRAFT_COOKIE_LEN))
		return -1;
	if (sodium_hex2bin(k->id, sizeof(k->id), s, 2 * DRAFT_ID_BYTES, NULL, &n, NULL) != 0 ||
	    n != sizeof(k->id))
		return -1;
	if (sodium_hex2bin(k->key, sizeof(k->key), s + 2 * DRAFT_ID_BYTES, 2 * DRAFT_KEY_BYTES,
	    NULL, &n, NULL) != 0 || n != sizeof(k->key))
		return -1;
	return 0;
}

/* BLAKE2b keyed with a key derived from the secret for `purpose` alone. */
static void
keyed(const unsigned char secret[32], const char *purpose, const char *survey,
    const void *v, size_t n, unsigned char out[DRAFT_LOOKUP_BYTES])
{
	unsigned char		 key[32];
	crypto_generichash_state st;

	crypto_generichash(key, sizeof(key), (const unsigned char *)purpose, strlen(purpose),
	    secret, 32);
	crypto_generichash_init(&st, key, sizeof(key), DRAFT_LOOKUP_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)survey, strlen(survey) + 1);
	crypto_generichash_update(&st, v, n);
	crypto_generichash_final(&st, out, DRAFT_LOOKUP_BYTES);
	sodium_memzero(key, sizeof(key));
	sodium_memzero(&st, sizeof(st));
}

void
draft_lookup(const unsigned char secret[32], const char *survey,
    const unsigned char id[DRAFT_ID_BYTES], unsigned char out[DRAFT_LOOKUP_BYTES])
{
	keyed(secret, "voices survey draft", survey, id, DRAFT_ID_BYTES, out);
}

void
draft_code_lookup(const unsigned char secret[32], const char *survey,
    const char code[DRAFT_CODE_LEN + 1], unsigned char out[DRAFT_LOOKUP_BYTES])
{
	keyed(secret, "voices survey resume code", survey, code, DRAFT_CODE_LEN, out);
}

void
draft_seal(const unsigned char key[DRAFT_KEY_BYTES], const unsigned char ad[DRAFT_LOOKUP_BYTES],
    const void *plain, size_t n, struct buf *out)
{
	unsigned char npub[AEAD_NPUB], *c = malloc(n + AEAD_ABYTES);
	unsigned long long clen;

	if (c == NULL) {
		buf_add(out, NULL, SIZE_MAX);	/* fails the buffer */
		return;
	}
	randombytes_buf(npub, sizeof(npub));
	crypto_aead_xchacha20poly1305_ietf_encrypt(c, &clen, plain, n, ad, DRAFT_LOOKUP_BYTES,
	    NULL, npub, key);
	buf_add(out, npub, sizeof(npub));
	buf_add(out, c, (size_t)clen);
	free(c);
}

int
draft_open(const unsigned char key[DRAFT_KEY_BYTES], const unsigned char ad[DRAFT_LOOKUP_BYTES],
    const void *box, size_t n, struct buf *out)
{
	const unsigned char *b = box;
	unsigned char *m;
	unsigned long long mlen;
	int rc = -1;

	if (n < AEAD_NPUB + AEAD_ABYTES || (m = malloc(n)) == NULL)
		return -1;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(m, &mlen, NULL, b + AEAD_NPUB,
	    n - AEAD_NPUB, ad, DRAFT_LOOKUP_BYTES, b, key) == 0) {
		buf_add(out, m, (size_t)mlen);
		rc = buf_failed(out) ? -1 : 0;
	}
	sodium_memzero(m, n);
	free(m);
	return rc;
}

void
draft_code_new(char out[DRAFT_CODE_LEN + 1])
{
	unsigned char r[DRAFT_CODE_LEN];

	randombytes_buf(r, sizeof(r));
	for (size_t i = 0; i < DRAFT_CODE_LEN; i++)
		out[i] = code_alpha[r[i] & 31];
	out[DRAFT_CODE_LEN] = '\0';
	sodium_memzero(r, sizeof(r));
}

/* The code character c stands for, or 0. */
static char
code_char(char c)
{
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c == 'O')
		return '0';
	if (c == 'I' || c == 'L')
		return '1';
	return c != '\0' && strchr(code_alpha, c) ? c : 0;
}

int
draft_code_parse(const char *s, char out[DRAFT_CODE_LEN + 1])
{
	size_t n = 0;

	for (; s != NULL && *s; s++) {
		char c;
		if (*s == ' ' || *s == '-' || *s == '\t')
			continue;
		if (n == DRAFT_CODE_LEN || (c = code_char(*s)) == 0)
			return -1;
		out[n++] = c;
	}
	out[n] = '\0';
	return n == DRAFT_CODE_LEN ? 0 : -1;
}

void
draft_code_format(const char code[DRAFT_CODE_LEN + 1], char out[DRAFT_CODE_SHOWN + 1])
{
	size_t o = 0;

	for (size_t i = 0; i < DRAFT_CODE_LEN; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = code[i];
	}
	out[o] = '\0';
}

int
draft_code_key(const char code[DRAFT_CODE_LEN + 1], const unsigned char lookup[DRAFT_LOOKUP_BYTES],
    unsigned char key[DRAFT_KEY_BYTES])
{
	return crypto_pwhash(key, DRAFT_KEY_BYTES, code, DRAFT_CODE_LEN, lookup, CODE_OPS,
	    CODE_MEM, crypto_pwhash_ALG_ARGON2ID13) == 0 ? 0 : -1;
}

long
draft_today(void)
{
	return (long)(time(NULL) / 86400);
}
