#ifndef STORECTL_FAV_HTTP_H
#define STORECTL_FAV_HTTP_H

#include "common/httpd.h"

/*
 * favorites-svc's HTTP API (docs in man/favorites-svc.8); handlers run
 * under consumer/ds_service.h with the struct fav_db as the state.
 *   PUT    /users/{user}/favorites/{store_id}  -> 204; unknown or deleted store 404
 *   DELETE /users/{user}/favorites/{store_id}  -> 204
 *   GET    /users/{user}/favorites[?limit=N]   -> {"user","ids","stores"}
 *   GET    /replica/stores, /health, /metrics
 */
extern const struct http_route fav_http_routes[];

#endif
