#ifndef STORECTL_AUTH_HTTP_H
#define STORECTL_AUTH_HTTP_H

#include "common/auth.h"
#include "common/httpd.h"

/*
 * The HTTP side of bearer tokens (common/auth.h), the same in every
 * service: 401 with WWW-Authenticate for a missing, malformed or unknown
 * token, 403 for a role that may not do what it asks; both
 * application/problem+json naming the Authorization header. Neither answer
 * nor any log line holds the token.
 */

/*
 * Resolves the caller of req against a into *c (realm: the service's name,
 * for WWW-Authenticate). Returns 0, or -1 after answering 401.
 */
int auth_http_caller(struct http_req *req, const struct auth *a,
		     const char *realm, struct auth_caller *c);

/* Answers 403 with detail; field (may be NULL) is named in the problem. */
void auth_http_forbidden(struct http_req *req, const char *detail,
			 const char *field);

/*
 * The caller of a write: as auth_http_caller, then 403 unless the role
 * may write at all (owners and operators). Returns 0, or -1 after
 * answering.
 */
int auth_http_writer(struct http_req *req, const struct auth *a,
		     const char *realm, struct auth_caller *c);

/*
 * The caller of an operator-only write: as auth_http_caller, then 403
 * with detail unless it is an operator. Returns 0, or -1 after answering.
 */
int auth_http_operator(struct http_req *req, const struct auth *a,
		       const char *realm, const char *detail,
		       struct auth_caller *c);

#endif
