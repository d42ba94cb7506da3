#ifndef STORECTL_AUTH_H
#define STORECTL_AUTH_H

#include <stddef.h>

#include "common/sha256.h"

/*
 * Bearer tokens and the three roles, shared by every service that takes
 * writes (docs/api.md, "Owners and roles"). Pure domain code: the HTTP side
 * (common/auth_http.h) hands it the Authorization header; store-svc keeps
 * the digests in its database, the other services read a tokens file.
 *
 *   owner     acts for one owner: in store-svc reads and edits only that
 *             owner's stores
 *   operator  may do everything
 *   service   reads (and reads /metrics); never writes
 *
 * What each role may do on each endpoint is the service's rule (its man
 * page); the checks below are the shared pieces of those rules.
 *
 * Tokens are kept only as SHA-256 digests and compared in constant time.
 * With no token configured at all the service runs OPEN: every request is
 * allowed as an operator (the transition rule of issue 3).
 */

enum auth_role {
	AUTH_ROLE_NONE = 0,
	AUTH_ROLE_OWNER,
	AUTH_ROLE_OPERATOR,
	AUTH_ROLE_SERVICE,
};

#define AUTH_TOKEN_MIN 16
#define AUTH_TOKEN_MAX 256
#define AUTH_TOKENS_MAX 10000
#define AUTH_OWNER_MAX 64 /* bytes of [a-z0-9_-], as a store's owner */

/* One configured token: its digest, never the token itself. */
struct auth_token {
	unsigned char hash[SHA256_SIZE];
	enum auth_role role;
	char owner[AUTH_OWNER_MAX + 1]; /* the owner role only; else "" */
};

/* The caller of one request. */
struct auth_caller {
	enum auth_role role;
	char owner[AUTH_OWNER_MAX + 1];
	int open; /* no tokens configured: allowed as an operator */
};

/* The token table: immutable once built, shared by the server threads. */
struct auth;

/* "owner", "operator", "service" (or "none"). */
const char *auth_role_name(enum auth_role role);

/* The role of a name, or AUTH_ROLE_NONE. */
enum auth_role auth_role_from_name(const char *name);

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
int auth_parse_file(const char *path, struct auth_token **out,
			  size_t *n, char *warn, size_t warnlen, char *err,
			  size_t errlen);

/* The same for the text of such a file (path is only used in messages). */
int auth_parse_text(const char *text, size_t len, const char *path,
			  struct auth_token **out, size_t *n, char *err,
			  size_t errlen);

/*
 * A table of tokens[0..n); takes ownership of tokens (malloc'd, may be
 * NULL when n is 0). n == 0 makes an OPEN table. NULL when out of memory.
 */
struct auth *auth_new(struct auth_token *tokens, size_t n);
void auth_free(struct auth *a);

/* 1 when no token is configured: every request is allowed. */
int auth_is_open(const struct auth *a);

/* How many tokens of each role, for the start-up log. */
void auth_counts(const struct auth *a, size_t *owners,
		       size_t *operators, size_t *services);

enum auth_result {
	AUTH_OK = 0,
	AUTH_MISSING,   /* no Authorization header */
	AUTH_MALFORMED, /* not "Bearer TOKEN" */
	AUTH_UNKNOWN,   /* no such token */
};

/*
 * Resolves an Authorization header value (may be NULL) into *c. Every
 * configured digest is compared, whatever matched, in constant time per
 * digest. An OPEN table accepts anything, header or not.
 */
enum auth_result auth_check(const struct auth *a,
					const char *authorization,
					struct auth_caller *c);

/* 1 when c may act on things of owner (an owner only on their own). */
int auth_sees(const struct auth_caller *c, const char *owner);

/* 1 when c may write at all (owners and operators). */
int auth_may_write(const struct auth_caller *c);

/* 1 when c may read /metrics (operators and services). */
int auth_may_observe(const struct auth_caller *c);

/*
 * Checks an owner name: 1-64 of a-z 0-9 _ -. 0, or -1 with the reason in
 * detail.
 */
int auth_valid_owner(const char *owner, char *detail, size_t len);

#endif
