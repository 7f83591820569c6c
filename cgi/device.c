/* device: the cookie, its keyed hash, and the "already received" page.
 * The cookie has the form of the CSRF cookie (16 random bytes in hex) but
 * is its own value: Path is the survey's address, so a browser holds one per
 * survey that asks, and SameSite is Lax, so that a person who follows a link
 * from the council's site or an e-mail is recognised on the start page
 * (with Strict the browser would withhold it there, and the page would give
 * the browser a new one in its place). */
#include <string.h>
#include <sodium.h>
#include "csrf.h"
#include "device.h"
#include "store.h"
#include "view.h"

/* The browser's cookie, or a new one set on the response (*fresh = 1). */
static const char *
cookie(struct ctx *c, int *fresh)
{
	const char *v = kv_get(&c->req->cookies, DEVICE_COOKIE);
	const char *path;

	*fresh = 0;
	if (csrf_cookie_ok(v))
		return v;
	if ((v = csrf_new_cookie(c->a)) == NULL ||
	    (path = arena_printf(c->a, "/s/%s", c->survey->id)) == NULL)
		return NULL;
	resp_cookie_lax(c->resp, c->a, DEVICE_COOKIE, v, path, DEVICE_MAX_AGE, c->req->https);
	*fresh = 1;
	return v;
}

/* BLAKE2b of survey id, NUL, cookie, keyed with a key derived from the
 * server secret for device hashes alone. */
static void
keyed_hash(struct ctx *c, const char *value, unsigned char out[STORE_DEVICE_BYTES])
{
	static const char	 purpose[] = "voices survey device";
	unsigned char		 key[32];
	crypto_generichash_state st;

	crypto_generichash(key, sizeof(key), (const unsigned char *)purpose, sizeof(purpose) - 1,
	    c->app->secret, sizeof(c->app->secret));
	crypto_generichash_init(&st, key, sizeof(key), STORE_DEVICE_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)c->survey->id,
	    strlen(c->survey->id) + 1);
	crypto_generichash_update(&st, (const unsigned char *)value, strlen(value));
	crypto_generichash_final(&st, out, STORE_DEVICE_BYTES);
	sodium_memzero(key, sizeof(key));
	sodium_memzero(&st, sizeof(st));
}

/* The hash into out; *fresh as cookie().  -1 when out of memory. */
static int
hash_of(struct ctx *c, unsigned char out[STORE_DEVICE_BYTES], int *fresh)
{
	const char *v = cookie(c, fresh);

	if (v == NULL)
		return -1;
	keyed_hash(c, v, out);
	return 0;
}

const unsigned char *
device_hash(struct ctx *c)
{
	unsigned char	*h;
	int		 fresh;

	if (!c->survey->one_per_device ||
	    (h = arena_alloc(c->a, STORE_DEVICE_BYTES)) == NULL || hash_of(c, h, &fresh) != 0)
		return NULL;
	return h;
}

int
device_answered(struct ctx *c)
{
	unsigned char	 h[STORE_DEVICE_BYTES];
	struct store	*st;
	int		 fresh, seen = 0;

	if (!c->survey->one_per_device || hash_of(c, h, &fresh) != 0 || fresh)
		return 0;	/* nothing can have been stored under a new cookie */
	if ((st = app_store(c->app)) == NULL ||
	    store_device_seen(st, c->survey->id, h, &seen) != STORE_OK)
		return 0;
	return seen;
}

void
device_page(struct ctx *c, int status)
{
	view_render(c, status, "answered", view_page(c, view_text(c, "device_used_title", 0, 0, 0)));
}
