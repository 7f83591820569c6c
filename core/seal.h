/* seal: free text is sealed to the analysis team's public key, so the server
 * (and a stolen copy of its database) holds only ciphertext.
 *
 * Sealing every answer with crypto_box_seal would cost a key pair and an
 * X25519 per answer (~90 us).  Instead a sealer makes one ephemeral key pair
 * per period, keeps only the shared key k = X25519(eph_sk, recipient_pk) (the
 * ephemeral secret is wiped at once) and seals each text with
 * crypto_box_easy_afternm under a random nonce.  The ephemeral public key is
 * stored beside the blobs; the analysis tool does one X25519 per period.
 * Rotating often bounds what a memory snapshot of a running server reveals. */
#ifndef SEAL_H
#define SEAL_H
#include <stddef.h>
#include <stdint.h>

#define SEAL_KEY_BYTES	32
#define SEAL_OVERHEAD	40	/* nonce (24) + MAC (16) */

/* A new recipient key pair (the analysis team's). */
int seal_keygen(unsigned char pk[SEAL_KEY_BYTES], unsigned char sk[SEAL_KEY_BYTES]);
/* Key files hold 64 hex characters and a newline (comment lines start with #).
 * Writing the secret key creates the file with mode 0600. */
int seal_key_write(const char *path, const unsigned char key[SEAL_KEY_BYTES], int secret)
    __attribute__((warn_unused_result));
int seal_key_read(const char *path, unsigned char key[SEAL_KEY_BYTES])
    __attribute__((warn_unused_result));

struct sealer;
/* A sealer for one period, for recipient_pk.  NULL on failure. */
struct sealer *sealer_new(const unsigned char recipient_pk[SEAL_KEY_BYTES]);
/* The period's ephemeral public key, to be stored with the blobs. */
const unsigned char *sealer_public(const struct sealer *s);
/* out must hold n + SEAL_OVERHEAD bytes. */
void sealer_seal(struct sealer *s, const void *msg, size_t n, unsigned char *out);
/* How many texts this sealer has sealed (the store rotates on a count and an age). */
uint64_t sealer_count(const struct sealer *s);
/* Wipes the shared key.  Accepts NULL. */
void sealer_free(struct sealer *s);

struct opener;
/* An opener for the analysis tool, holding the recipient secret key. */
struct opener *opener_new(const unsigned char sk[SEAL_KEY_BYTES]);
/* Opens blob (n bytes) sealed under the period whose public key is eph_pk;
 * key_id names that period so its shared key is derived once.  out must hold
 * n - SEAL_OVERHEAD bytes.  -1 if the blob is forged, damaged or for another key. */
int opener_open(struct opener *o, int64_t key_id, const unsigned char eph_pk[SEAL_KEY_BYTES],
    const unsigned char *blob, size_t n, unsigned char *out) __attribute__((warn_unused_result));
void opener_free(struct opener *o);
#endif
