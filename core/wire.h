/* wire: the binary form in which a web worker hands a submission to the
 * single writer process over a unix SOCK_SEQPACKET socket (one message per
 * submission, one reply per message), and the reply.
 *
 * Submission message, integers little-endian:
 *   "VS3"  u32 version  nonce[16]  u8 has_device  (device[32] if has_device)
 *   u8 flagged (the safeguarding check fired)
 *   str survey  str def_hash  str channel  str lang
 *   str day (absent: u32 0xFFFFFFFF)  u32 nanswers
 *   nanswers x { str question  str value  i32 pos  u8 text }
 * where str is u32 length then the bytes (no NUL), and a u8 flag is 0 or 1.
 *
 * Poll vote message (one per vote, same reply):
 *   "VP2"  u64 session  u32 question  u64 item  voter[32]  str value
 *   str lang (empty: not known)  u8 text
  Strings may not contain
 * NUL bytes.  Reply message: "VR1" u8 enum store_err.
 *
 * The decoder treats its input as hostile: every length is checked against
 * what is left, a message over WIRE_MAX_BYTES or with more than
 * WIRE_MAX_ANSWERS answers is refused, and trailing bytes are an error. */
#ifndef WIRE_H
#define WIRE_H
#include <stddef.h>
#include "arena.h"
#include "buf.h"
#include "store.h"

#define WIRE_MAX_BYTES		(256 * 1024)
#define WIRE_MAX_ANSWERS	2000
#define WIRE_REPLY_BYTES	4

/* Appends the message for sub to out.  -1 when sub is over the limits (or
 * has a NULL string other than day) or out failed to grow. */
int wire_encode_submission(const struct submission *sub, struct buf *out)
    __attribute__((warn_unused_result));
/* Decodes p[0..n) into sub; every string and the answers are allocated from
 * a and live as long as it.  0, or -1 for anything malformed or over the
 * limits (sub is then unspecified). */
int wire_decode_submission(const void *p, size_t n, struct arena *a, struct submission *sub)
    __attribute__((warn_unused_result));

enum wire_kind { WIRE_UNKNOWN, WIRE_SUBMISSION, WIRE_VOTE };
/* Which message p[0..n) claims to be (by its magic; decode to be sure). */
enum wire_kind wire_kind_of(const void *p, size_t n);

/* Appends the message for a poll vote; -1 over the limits or on OOM. */
int wire_encode_vote(const struct store_poll_vote *v, struct buf *out)
    __attribute__((warn_unused_result));
/* Decodes a vote; value and lang are allocated from a (lang NULL when the
 * message has none).  0, or -1 for anything malformed. */
int wire_decode_vote(const void *p, size_t n, struct arena *a, struct store_poll_vote *v)
    __attribute__((warn_unused_result));

/* The reply: the submission's result (STORE_OK, STORE_DUPLICATE, ...). */
void wire_encode_reply(enum store_err e, unsigned char out[WIRE_REPLY_BYTES]);
int wire_decode_reply(const void *p, size_t n, enum store_err *e)
    __attribute__((warn_unused_result));
#endif
