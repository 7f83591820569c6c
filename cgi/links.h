/* links: the address of a survey for each channel, shared by the links and
 * poster pages and by paper and stall entry. */
#ifndef LINKS_H
#define LINKS_H
#include "app.h"

/* The UI string key naming channel ch ("Stall", "Paper forms"). */
const char *links_channel_key(enum channel ch);
/* The survey's full address for channel ch: base_url/s/ID, with ?c=NAME
 * for every channel but online (the default).  In the arena; NULL on OOM. */
const char *links_url(struct ctx *c, const struct survey *s, enum channel ch);
/* The same without "https://" or "http://", for people to type. */
const char *links_short(const char *url);
#endif
