#ifndef STORECTL_STORE_AUTH_H
#define STORECTL_STORE_AUTH_H

#include <stddef.h>

#include "common/sha256.h"
#include "store-svc/store.h"

/*
 * Who may do what: bearer tokens and the three roles (docs/api.md, "Owners
 * and roles"). Pure domain code: the HTTP side hands it the Authorization
 * header, the database keeps the token hashes.
 *
 *   owner     reads and edits only the stores whose owner is theirs;
 *             another owner's store answers 404, as if it did not exist
 *   operator  reads and edits every store, reads /metrics
 *   service   reads every store and /metrics; never writes
 *
 * Tokens are kept only as SHA-256 digests and compared in constant time.
 * With no token configured at all the service runs OPEN: every request is
 * allowed as an operator (the transition rule of issue 3).
 */

enum store_role {
	STORE_ROLE_NONE = 0,
	STORE_ROLE_OWNER,
	STORE_ROLE_OPERATOR,
	STORE_ROLE_SERVICE,
};

#define STORE_TOKEN_MIN 16
#define STORE_TOKEN_MAX 256
#define STORE_TOKENS_MAX 10000

/* One configured token: its digest, never the token itself. */
struct store_token {
	unsigned char hash[SHA256_SIZE];
	enum store_role role;
	char owner[STORE_OWNER_MAX + 1]; /* the owner role only; else "" */
};

/* The caller of one request. */
struct store_caller {
	enum store_role role;
	char owner[STORE_OWNER_MAX + 1];
	int open; /* no tokens configured: allowed as an operator */
};

/* The token table: immutable once built, shared by the server threads. */
struct store_auth;

/* "owner", "operator", "service" (or "none"). */
const char *store_role_name(enum store_role role);

/* The role of a name, or STORE_ROLE_NONE. */
enum store_role store_role_from_name(const char *name);

/*
 * Parses a tokens file:
 *   {"tokens":[{"token":"...","role":"owner","owner":"owner-1"},
 *              {"token":"...","role":"operator"}, ...]}
 * into *out (malloc'd digests; *n of them). Every token must be 16-256
 * characters of A-Z a-z 0-9 - . _ ~ + / (then any '='), listed once;
 * owner is required for the owner role and refused for the others. A file
 * readable by group or others draws a warning in *warn (else ""). Returns
 * 0, or -1 with a reason in err that names the entry, never the token.
 */
int store_auth_parse_file(const char *path, struct store_token **out,
			  size_t *n, char *warn, size_t warnlen, char *err,
			  size_t errlen);

/* The same for the text of such a file (path is only used in messages). */
int store_auth_parse_text(const char *text, size_t len, const char *path,
			  struct store_token **out, size_t *n, char *err,
			  size_t errlen);

/*
 * A table of tokens[0..n); takes ownership of tokens (malloc'd, may be
 * NULL when n is 0). n == 0 makes an OPEN table. NULL when out of memory.
 */
struct store_auth *store_auth_new(struct store_token *tokens, size_t n);
void store_auth_free(struct store_auth *a);

/* 1 when no token is configured: every request is allowed. */
int store_auth_is_open(const struct store_auth *a);

/* How many tokens of each role, for the start-up log. */
void store_auth_counts(const struct store_auth *a, size_t *owners,
		       size_t *operators, size_t *services);

enum store_auth_result {
	STORE_AUTH_OK = 0,
	STORE_AUTH_MISSING,   /* no Authorization header */
	STORE_AUTH_MALFORMED, /* not "Bearer TOKEN" */
	STORE_AUTH_UNKNOWN,   /* no such token */
};

/*
 * Resolves an Authorization header value (may be NULL) into *c. Every
 * configured digest is compared, whatever matched, in constant time per
 * digest. An OPEN table accepts anything, header or not.
 */
enum store_auth_result store_auth_check(const struct store_auth *a,
					const char *authorization,
					struct store_caller *c);

/* 1 when c may read stores of owner (owners see only their own). */
int store_auth_sees(const struct store_caller *c, const char *owner);

/* 1 when c may write at all (owners and operators). */
int store_auth_may_write(const struct store_caller *c);

/* 1 when c may read /metrics (operators and services). */
int store_auth_may_observe(const struct store_caller *c);

#endif
