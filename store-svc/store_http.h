#ifndef STORECTL_STORE_HTTP_H
#define STORECTL_STORE_HTTP_H

#include <stdint.h>

#include "common/httpd.h"
#include "store-svc/store.h"
#include "store-svc/store_validate.h"

/*
 * The REST API of store-svc (see man/store-svc.8 and api/client.h):
 *
 *   POST   /stores          create             201 + Location + ETag
 *   GET    /stores          list live stores   ?owner= &limit= &after=
 *   GET    /stores?ids=1,2  batch read         stores, deleted, missing
 *   GET    /stores/{id}     read               200 + ETag, 404, 410
 *   PUT    /stores/{id}     replace            If-Match honoured
 *   PATCH  /stores/{id}     RFC 7396 merge     If-Match honoured
 *   DELETE /stores/{id}     tombstone          204 + ETag
 *   GET    /health          database, broker, outbox backlog
 *
 * Handlers run on the server's threads; everything they share sits behind
 * the database handle's lock. Every write is checked, then committed with
 * its outbox row, then the relay is kicked.
 *
 * Where issue 3 slots in: the caller (bearer token -> role and owner)
 * becomes a member of struct store_svc's per-request view, resolved once
 * before the route's handler runs and checked against the store's owner
 * inside the edit function (decide() in store_http_write.c), which already
 * sees the current store under the transaction; requiring If-Match (428)
 * is one test in store_http_precondition, which every write calls.
 */

struct store_db;
struct store_relay;

/* The handlers' shared context (the ctx given to httpd_start). */
struct store_svc {
	struct store_db *db;
	struct store_relay *relay;
};

/* The route table for httpd_start, terminated by a zero entry. */
extern const struct http_route store_http_routes[];

/* Endpoint handlers, one file per group. */
void store_http_create(struct http_req *req);
void store_http_replace(struct http_req *req);
void store_http_patch(struct http_req *req);
void store_http_delete(struct http_req *req);
void store_http_get(struct http_req *req);
void store_http_list(struct http_req *req);
void store_http_health(struct http_req *req);

/* The If-Match header of a write, parsed. */
struct store_if_match {
	int present;
	int any;          /* "*" */
	size_t n;
	int64_t versions[8];
};

/*
 * Parses the request's If-Match ("7", "*", or a list "6", "7"). Returns 0,
 * or -1 after replying 400 when the header is malformed.
 */
int store_http_precondition(struct http_req *req, struct store_if_match *im);

/* 1 when a store at version passes im (always when no header was sent). */
int store_http_if_match_ok(const struct store_if_match *im, int64_t version);

/* Replies status with the store as body and its ETag. */
void store_http_reply_store(struct http_req *req, unsigned status,
			    const struct store *s);

/* Adds ETag: "version". */
void store_http_etag(struct http_req *req, int64_t version);

/* Replies 422 listing every violation. */
void store_http_reply_invalid(struct http_req *req,
			      const struct store_errors *errs);

/* Replies 410 for a deleted store, with its id and delete version. */
void store_http_reply_gone(struct http_req *req, const struct store *s);

/* Replies 404 for an id no store ever had. */
void store_http_reply_not_found(struct http_req *req, int64_t id);

/* Replies 500 after a database failure (logged by the adapter). */
void store_http_reply_db_error(struct http_req *req);

/*
 * Parses the {id} of the route. Returns 0, or -1 after replying 400.
 */
int store_http_path_id(struct http_req *req, int64_t *id);

#endif
