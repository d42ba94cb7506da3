#ifndef STORECTL_REVIEWS_HTTP_H
#define STORECTL_REVIEWS_HTTP_H

#include <stdatomic.h>

#include "common/auth.h"
#include "common/httpd.h"

/*
 * reviews-svc's HTTP API (man/reviews-svc.8); handlers run under
 * consumer/ds_service.h with a struct reviews_svc as the state.
 *   POST   /stores/{id}/reviews          -> 201 review; unknown store 404,
 *                                           deleted store 410 (owner, operator)
 *   GET    /stores/{id}/reviews[?limit=] -> {"store_id","reviews"}
 *   GET    /stores/{id}/reviews/summary  -> {"store_id","count","average","version"}
 *   DELETE /reviews/{id}                 -> 204 (operator: moderation)
 *   GET    /replica/stores, /health, /metrics
 * Writing a review needs an owner's or an operator's bearer token (a front
 * end acting for the user), removing one an operator's; reads are open.
 */

struct reviews_db;
struct outbox_relay;

struct reviews_svc {
	struct reviews_db *db;
	struct auth *auth;  /* immutable once serving */
	/* Set once the relay runs (after HTTP starts); kicked after each
	 * commit so the event goes out at once. */
	_Atomic(struct outbox_relay *) relay;
};

extern const struct http_route reviews_http_routes[];

#endif
