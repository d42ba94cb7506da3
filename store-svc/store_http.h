#ifndef STORECTL_STORE_HTTP_H
#define STORECTL_STORE_HTTP_H

#include <stdint.h>

#include "common/httpd.h"
#include "store-svc/store.h"
#include "common/auth.h"
#include "store-svc/store_validate.h"

/*
 * The REST API of store-svc (docs/api.md has every endpoint, man page
 * store-svc(8) the summary):
 *
 *   POST   /stores                      create             201 + Location
 *   GET    /stores                      list, filtered     cursor paging
 *   GET    /stores?ids=1,2              batch read         stores, deleted, missing
 *   GET    /stores/{id}                 read               200 + ETag, 404, 410
 *   PUT    /stores/{id}                 replace            If-Match required
 *   PATCH  /stores/{id}                 RFC 7396 merge     If-Match required
 *   DELETE /stores/{id}                 tombstone          If-Match required
 *   GET    /stores/{id}/menu            the menu           + ETag
 *   POST   /stores/{id}/menu            add an item        If-Match required
 *   GET    /stores/{id}/menu/{item}     one item           + ETag
 *   PUT    /stores/{id}/menu/{item}     replace an item    If-Match required
 *   PATCH  /stores/{id}/menu/{item}     merge into an item If-Match required
 *   DELETE /stores/{id}/menu/{item}     remove an item     If-Match required
 *   GET    /health                      ready, database, broker, outbox
 *   GET    /metrics                     Prometheus text
 *   GET|POST|DELETE /ops/faults, POST /ops/resync   operator only
 *                                       (store_http_ops.h)
 *
 * Every request but /health names its caller with a bearer token
 * (common/auth.h); another owner's store answers 404. Every write needs
 * If-Match with the store's version (428 without, 412 when stale), is
 * checked, committed with its outbox row, then the relay is kicked.
 *
 * Handlers run on the server's threads; everything they share sits behind
 * the database handle's lock or is immutable (the token table).
 */

struct store_db;
struct store_relay;
struct store_ops;

/* The handlers' shared context (the ctx given to httpd_start). */
struct store_svc {
	struct store_db *db;
	struct store_relay *relay;
	struct auth *auth;
	struct store_ops *ops;  /* injected faults (store_http_ops.h) */
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
void store_http_menu_get(struct http_req *req);
void store_http_menu_add(struct http_req *req);
void store_http_item_get(struct http_req *req);
void store_http_item_replace(struct http_req *req);
void store_http_item_patch(struct http_req *req);
void store_http_item_delete(struct http_req *req);
void store_http_health(struct http_req *req);
void store_http_metrics(struct http_req *req);

/*
 * Resolves the caller of req from its Authorization header into *c.
 * Returns 0, or -1 after replying 401 (no token, or not a known one).
 */
int store_http_caller(struct http_req *req, struct auth_caller *c);

/*
 * The caller of a write: as store_http_caller, then 403 for a role that
 * may not write. 0 or -1 (replied).
 */
int store_http_writer(struct http_req *req, struct auth_caller *c);

/* Replies 403 with detail, naming field when not NULL. */
void store_http_reply_forbidden(struct http_req *req, const char *detail,
				const char *field);

/* The If-Match header of a write, parsed. */
struct store_if_match {
	int present;
	int any;          /* "*" */
	size_t n;
	int64_t versions[8];
};

/*
 * Parses the request's If-Match ("7", "*", or a list "6", "7"). Returns 0,
 * or -1 after replying 428 when it is missing or 400 when malformed.
 */
int store_http_precondition(struct http_req *req, struct store_if_match *im);

/* 1 when a store at version passes im. */
int store_http_if_match_ok(const struct store_if_match *im, int64_t version);

/* Replies 412 for a stale If-Match, with the current version and ETag. */
void store_http_reply_stale(struct http_req *req, const struct store *cur);

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

/*
 * Replies 404 for an id no store ever had, and for another owner's store
 * (the answers are the same, so an owner learns nothing of others).
 */
void store_http_reply_not_found(struct http_req *req, int64_t id);

/*
 * The answer for a store the database did not return as live: 404 when
 * it never existed or c may not see it, else 410 (rc is STORE_DB_*).
 */
void store_http_reply_missing(struct http_req *req,
			      const struct auth_caller *c, int rc,
			      int64_t id, const struct store *s);

/* Replies 500 after a database failure (logged by the adapter). */
void store_http_reply_db_error(struct http_req *req);

/*
 * Parses params[index] of the route as a positive id named what ("id",
 * "item"). Returns 0, or -1 after replying 400.
 */
int store_http_path_id(struct http_req *req, int64_t *id);
int store_http_path_param(struct http_req *req, int index, const char *what,
			  int64_t *id);

#endif
