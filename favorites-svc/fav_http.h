#ifndef STORECTL_FAV_HTTP_H
#define STORECTL_FAV_HTTP_H

#include "common/auth.h"
#include "common/httpd.h"

/*
 * favorites-svc's HTTP API (docs in man/favorites-svc.8); handlers run
 * under consumer/ds_service.h with a struct fav_svc as the state.
 *   PUT    /users/{user}/favorites/{store_id}  -> 204; unknown or deleted store 404
 *   DELETE /users/{user}/favorites/{store_id}  -> 204
 *   GET    /users/{user}/favorites[?limit=N]   -> {"user","ids","stores"}
 *   GET    /replica/stores, /health, /metrics
 * The writes need an owner's or an operator's bearer token (a front end
 * acting for the user); the service role only reads; reads are open.
 */

struct fav_db;

struct fav_svc {
	struct fav_db *db;
	struct auth *auth;  /* immutable once serving */
};

extern const struct http_route fav_http_routes[];

#endif
