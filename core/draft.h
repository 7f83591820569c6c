/* draft: the keys and the sealing of a respondent's unfinished answers.
 *
 * A draft is known by a random id and sealed under a random key, both held by
 * the respondent alone (in a cookie).  The database row is found by a keyed
 * hash of the id (key derived from the server secret), so the row names no
 * cookie, and its box opens only with the key the server never stores.  A
 * resume code (12 characters of Crockford's base32: no I, L, O or U) is a
 * second way in: its row is found by another keyed hash, and holds the id and
 * key sealed under a key stretched from the code with crypto_pwhash (Argon2id),
 * so a stolen database cannot be searched for codes cheaply.
 *
 * Nothing here touches SQL or HTTP; the caller stores what it returns. */
#ifndef DRAFT_H
#define DRAFT_H
#include <stddef.h>
#include "buf.h"

#define DRAFT_ID_BYTES		16	/* the random id, in the cookie */
#define DRAFT_KEY_BYTES		32	/* the sealing key, in the cookie */
#define DRAFT_LOOKUP_BYTES	16	/* a row's id: a keyed hash */
#define DRAFT_COOKIE_LEN	(2 * (DRAFT_ID_BYTES + DRAFT_KEY_BYTES))	/* hex */
#define DRAFT_CODE_LEN		12	/* characters, 60 bits */
#define DRAFT_CODE_SHOWN	(DRAFT_CODE_LEN + 2)	/* "ABCD-EFGH-JKMN" */

struct draft_keys {
	unsigned char	id[DRAFT_ID_BYTES];
	unsigned char	key[DRAFT_KEY_BYTES];
};

/* Fresh random keys. */
void draft_keys_new(struct draft_keys *k);
/* The cookie form of k: DRAFT_COOKIE_LEN lowercase hex digits and a NUL. */
void draft_keys_format(const struct draft_keys *k, char out[DRAFT_COOKIE_LEN + 1]);
/* 0 and k filled when s is a cookie of that form, else -1. */
int draft_keys_parse(const char *s, struct draft_keys *k);

/* The lookup id of a draft: BLAKE2b keyed with a key derived from the server
 * secret for drafts alone, over the survey id, a NUL and the draft's id. */
void draft_lookup(const unsigned char secret[32], const char *survey,
    const unsigned char id[DRAFT_ID_BYTES], unsigned char out[DRAFT_LOOKUP_BYTES]);
/* Seals plain under key with the lookup id as associated data (a box moved
 * to another row does not open) into out: nonce then ciphertext. */
void draft_seal(const unsigned char key[DRAFT_KEY_BYTES],
    const unsigned char ad[DRAFT_LOOKUP_BYTES], const void *plain, size_t n, struct buf *out);
/* Opens a box made by draft_seal into out (NUL-terminated); -1 when it does
 * not open (wrong key, other row, damaged) or out of memory. */
int draft_open(const unsigned char key[DRAFT_KEY_BYTES],
    const unsigned char ad[DRAFT_LOOKUP_BYTES], const void *box, size_t n, struct buf *out)
    __attribute__((warn_unused_result));

/* A new random code, DRAFT_CODE_LEN characters and a NUL. */
void draft_code_new(char out[DRAFT_CODE_LEN + 1]);
/* The code typed in s (spaces and dashes ignored, any case, O read as 0,
 * I and L as 1) into out; -1 when it is not DRAFT_CODE_LEN code characters. */
int draft_code_parse(const char *s, char out[DRAFT_CODE_LEN + 1]);
/* "ABCD-EFGH-JKMN": the code in groups of four, as shown and written down. */
void draft_code_format(const char code[DRAFT_CODE_LEN + 1], char out[DRAFT_CODE_SHOWN + 1]);
/* The lookup id of a code's row (keyed like draft_lookup, for codes alone). */
void draft_code_lookup(const unsigned char secret[32], const char *survey,
    const char code[DRAFT_CODE_LEN + 1], unsigned char out[DRAFT_LOOKUP_BYTES]);
/* The key a code's row is sealed under: crypto_pwhash (Argon2id, moderate
 * limits) of the code, salted with the row's lookup id.  -1 out of memory. */
int draft_code_key(const char code[DRAFT_CODE_LEN + 1],
    const unsigned char lookup[DRAFT_LOOKUP_BYTES], unsigned char key[DRAFT_KEY_BYTES])
    __attribute__((warn_unused_result));

/* Today as days since 1970-01-01 (UTC): a draft keeps no finer time. */
long draft_today(void);
#endif
