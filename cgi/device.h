/* device: one response per device, for a survey that asks for it
 * (one_per_device: true).  The browser keeps a random value in a cookie
 * under the survey's own address; the database keeps only a BLAKE2b hash of
 * the survey id and that value, keyed with a key derived from the server
 * secret for this use alone.  So the hash cannot be joined with any other
 * keyed hash (CSRF, poll voter or presence, form nonce), the same browser
 * cannot be followed from one survey to another, and a copy of the database
 * cannot confirm that a given cookie answered.  A survey that does not ask
 * gets no cookie and no read.
 *
 * A deterrent against repeats, not a guarantee: another browser, or the same
 * one with its cookies cleared, counts as another device. */
#ifndef DEVICE_H
#define DEVICE_H
#include "app.h"

#include "cookies.h"

#define DEVICE_MAX_AGE	(365 * 24 * 60 * 60)	/* outlasts a consultation */

/* This browser's device hash for c->survey (STORE_DEVICE_BYTES in the
 * arena), giving the browser a fresh cookie first if it has none.  NULL for
 * a survey that does not ask for one response per device, or out of memory. */
const unsigned char *device_hash(struct ctx *c);
/* 1 when a response from this browser to c->survey is stored, as far as this
 * worker's connection can tell; 0 when not, when it cannot tell (the writer
 * decides at the final submit) and for a survey that does not ask. */
int device_answered(struct ctx *c);
/* The page saying that answers from this device were already received. */
void device_page(struct ctx *c, int status);
#endif
