#ifndef COOKIES_H
#define COOKIES_H

/* Every cookie the app sets, in one place so that no two share a name: a
 * browser sends each one to every path it covers, and two with the same
 * name reach the app as one.  None holds personal data. */
#define CSRF_COOKIE		"vc"	/* the form token's random half, 32 hex */
#define DEVICE_COOKIE		"vd"	/* one response per device, where a survey asks */
#define DRAFT_COOKIE		"vr"	/* the key to this survey's draft, Path=/s/ID */
#define POLL_COOKIE		"vp"	/* the participant's random token, 32 hex */
#define POLL_LANG_COOKIE	"vl"	/* the participant's language code */
#define POLL_OWN_COOKIE		"vw"	/* "SESSION-ID.ID...": statements this phone wrote */
#define STAFF_COOKIE		"vs"	/* 64 hex digits: 32 random bytes */
/* Given at a successful sign-in: this browser has signed in with that name
 * (a nonce and its MAC with the name, 64 hex digits, Path=/staff/login). */
#define STAFF_KNOWN_COOKIE	"vk"

#endif
