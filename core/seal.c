/* seal: per-period shared-key sealing of free text (see seal.h).
 * Invariants: an ephemeral secret key never outlives sealer_new(); every
 * shared key lives in sodium_malloc'd or explicitly wiped memory and is wiped
 * before it is freed.  Blob layout: nonce (24) || MAC (16) || ciphertext. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include "seal.h"

#define KEYFILE_MAX	4096	/* a key file is one line plus a few comments */

struct sealer {
	unsigned char	 k[crypto_box_BEFORENMBYTES];	/* shared key for the period */
	unsigned char	 pk[crypto_box_PUBLICKEYBYTES];	/* ephemeral public key */
	uint64_t	 count;
};

struct opened_key {
	int64_t		 id;
	unsigned char	 pk[crypto_box_PUBLICKEYBYTES];
	unsigned char	 k[crypto_box_BEFORENMBYTES];
	int		 valid;	/* 0: the public key was refused (weak) */
};

/* The shared keys are kept sorted by id, so a lookup is a binary search. */
struct opener {
	unsigned char	 sk[crypto_box_SECRETKEYBYTES];
	struct opened_key *keys;
	size_t		 n, cap;
};

int
seal_keygen(unsigned char pk[SEAL_KEY_BYTES], unsigned char sk[SEAL_KEY_BYTES])
{
	return crypto_box_keypair(pk, sk) == 0 ? 0 : -1;
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A secret key file is created (or truncated and re-moded) 0600 before any
 * byte is written, so the key is never readable by others, even briefly. */
int
seal_key_write(const char *path, const unsigned char key[SEAL_KEY_BYTES], int secret)
{
	char	 line[2 * SEAL_KEY_BYTES + 2];
	mode_t	 mode = secret ? 0600 : 0644;
	int	 fd, rc = -1;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	if (secret && fchmod(fd, 0600) != 0)
		goto out;
	sodium_bin2hex(line, sizeof line - 1, key, SEAL_KEY_BYTES);
	line[2 * SEAL_KEY_BYTES] = '\n';
	line[2 * SEAL_KEY_BYTES + 1] = '\0';
	if (write_all(fd, line, 2 * SEAL_KEY_BYTES + 1) != 0 || fsync(fd) != 0)
		goto out;
	rc = 0;
out:
	sodium_memzero(line, sizeof line);
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

/* Finds the first line that is neither blank nor a comment and decodes it:
 * exactly 64 hex digits, trailing spaces, tabs and CR ignored. */
static int
parse_key(const char *p, size_t n, unsigned char key[SEAL_KEY_BYTES])
{
	size_t	 i = 0, end, len;
	size_t	 bin_len;

	while (i < n) {
		const char *nl = memchr(p + i, '\n', n - i);
		end = nl ? (size_t)(nl - p) : n;
		len = end - i;
		while (len > 0 && strchr(" \t\r", p[i + len - 1]) != NULL)
			len--;
		if (len == 0 || p[i] == '#') {
			i = end + 1;
			continue;
		}
		if (len != 2 * SEAL_KEY_BYTES)
			return -1;
		if (sodium_hex2bin(key, SEAL_KEY_BYTES, p + i, len, NULL, &bin_len, NULL) != 0 ||
		    bin_len != SEAL_KEY_BYTES)
			return -1;
		return 0;
	}
	return -1;
}

int
seal_key_read(const char *path, unsigned char key[SEAL_KEY_BYTES])
{
	char	 data[KEYFILE_MAX];
	size_t	 n = 0;
	ssize_t	 r;
	int	 fd, rc = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (n < sizeof data) {
		r = read(fd, data + n, sizeof data - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto out;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n == sizeof data)	/* too big to be a key file */
		goto out;
	rc = parse_key(data, n, key);
out:
	sodium_memzero(data, sizeof data);
	close(fd);
	return rc;
}

struct sealer *
sealer_new(const unsigned char recipient_pk[SEAL_KEY_BYTES])
{
	struct sealer	*s;
	unsigned char	 sk[crypto_box_SECRETKEYBYTES];

	if ((s = sodium_malloc(sizeof *s)) == NULL)
		return NULL;
	s->count = 0;
	if (crypto_box_keypair(s->pk, sk) != 0 ||
	    crypto_box_beforenm(s->k, recipient_pk, sk) != 0) {
		sodium_memzero(sk, sizeof sk);
		sodium_free(s);
		return NULL;
	}
	sodium_memzero(sk, sizeof sk);
	return s;
}

const unsigned char *
sealer_public(const struct sealer *s)
{
	return s->pk;
}

void
sealer_seal(struct sealer *s, const void *msg, size_t n, unsigned char *out)
{
	randombytes_buf(out, crypto_box_NONCEBYTES);
	crypto_box_easy_afternm(out + crypto_box_NONCEBYTES, msg, n, out, s->k);
	s->count++;
}

uint64_t
sealer_count(const struct sealer *s)
{
	return s->count;
}

void
sealer_free(struct sealer *s)
{
	if (s != NULL)
		sodium_free(s);	/* sodium_free wipes before releasing */
}

struct opener *
opener_new(const unsigned char sk[SEAL_KEY_BYTES])
{
	struct opener *o;

	if ((o = sodium_malloc(sizeof *o)) == NULL)
		return NULL;
	memcpy(o->sk, sk, sizeof o->sk);
	o->keys = NULL;
	o->n = o->cap = 0;
	return o;
}

/* Index of the first key with id >= id. */
static size_t
key_search(const struct opener *o, int64_t id)
{
	size_t lo = 0, hi = o->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (o->keys[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Grows the key array without realloc, so no unwiped copy of a shared key is
 * left behind in freed memory. */
static int
keys_grow(struct opener *o)
{
	size_t		 cap = o->cap ? o->cap * 2 : 16;
	struct opened_key *nk;

	if (cap > SIZE_MAX / sizeof *nk)
		return -1;
	if ((nk = malloc(cap * sizeof *nk)) == NULL)
		return -1;
	if (o->n > 0)
		memcpy(nk, o->keys, o->n * sizeof *nk);
	if (o->keys != NULL) {
		sodium_memzero(o->keys, o->cap * sizeof *o->keys);
		free(o->keys);
	}
	o->keys = nk;
	o->cap = cap;
	return 0;
}

/* The shared key for (key_id, eph_pk), derived on first use.  A cached entry
 * whose public key differs (another database, another period) is replaced. */
static const unsigned char *
shared_key(struct opener *o, int64_t key_id, const unsigned char eph_pk[SEAL_KEY_BYTES])
{
	size_t			 i = key_search(o, key_id);
	struct opened_key	*e;

	if (i < o->n && o->keys[i].id == key_id) {
		e = &o->keys[i];
		if (sodium_memcmp(e->pk, eph_pk, sizeof e->pk) == 0)
			return e->valid ? e->k : NULL;
	} else {
		if (o->n == o->cap && keys_grow(o) != 0)
			return NULL;
		memmove(&o->keys[i + 1], &o->keys[i], (o->n - i) * sizeof *o->keys);
		o->n++;
		e = &o->keys[i];
		e->id = key_id;
	}
	memcpy(e->pk, eph_pk, sizeof e->pk);
	/* a weak public key keeps its slot, but can never open anything */
	e->valid = crypto_box_beforenm(e->k, eph_pk, o->sk) == 0;
	return e->valid ? e->k : NULL;
}

int
opener_open(struct opener *o, int64_t key_id, const unsigned char eph_pk[SEAL_KEY_BYTES],
    const unsigned char *blob, size_t n, unsigned char *out)
{
	const unsigned char *k;

	if (n < SEAL_OVERHEAD)
		return -1;
	if ((k = shared_key(o, key_id, eph_pk)) == NULL)
		return -1;
	return crypto_box_open_easy_afternm(out, blob + crypto_box_NONCEBYTES,
	    n - crypto_box_NONCEBYTES, blob, k) == 0 ? 0 : -1;
}

void
opener_free(struct opener *o)
{
	if (o == NULL)
		return;
	if (o->keys != NULL) {
		sodium_memzero(o->keys, o->cap * sizeof *o->keys);
		free(o->keys);
	}
	sodium_free(o);
}
