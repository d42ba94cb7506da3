#ifndef STORECTL_STACKTOKENS_H
#define STORECTL_STACKTOKENS_H

#include <stddef.h>

/*
 * The bearer tokens of an embedded stack: tokens.json in its state
 * directory, mode 0600, in the format of store-svc's --tokens
 * (store-svc(8)):
 *
 *   {"tokens":[{"token":"...","role":"operator"},
 *              {"token":"...","role":"service"},
 *              {"token":"...","role":"owner","owner":"owner-1"}, ...]}
 *
 * made once, on the first 'storectl up', with random tokens: one operator,
 * one service, and one owner for each demo owner owner-1..owner-8. The file
 * is the only place a token is written; nothing here prints one.
 */

#define STACKTOKENS_FILE "tokens.json"
/* 64 hex digits: 256 random bits. */
#define STACKTOKENS_LEN 64

/*
 * Creates path with fresh tokens when it does not exist (atomically, mode
 * 0600). An existing file is kept as it is, but one that group or others
 * may read is refused. Returns 0 when created, 1 when it was there, -1
 * with the reason in err.
 */
int stacktokens_ensure(const char *path, char *err, size_t errlen);

/*
 * The token of role ("operator", "service", "owner") in the tokens file at
 * path, for the owner role the one of owner (e.g. "owner-3"), into buf.
 * Returns 0, 1 when the file has no such token, or -1 with the reason in
 * err (unreadable, not a tokens file, readable by others). The reason never
 * holds a token.
 */
int stacktokens_read(const char *path, const char *role, const char *owner,
		     char *buf, size_t len, char *err, size_t errlen);

/*
 * The token a storectl command acts with on the stack of state directory
 * abs: owner's when owner is not NULL (1 when the stack has none for that
 * owner), else the operator's. Returns as stacktokens_read.
 */
int stacktokens_for(const char *abs, const char *owner, char *buf, size_t len,
		    char *err, size_t errlen);

/* Wipes a token buffer (so it does not linger in memory). */
void stacktokens_wipe(char *buf, size_t len);

#endif
