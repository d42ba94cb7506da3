#ifndef STORECTL_ADS_HTTP_H
#define STORECTL_ADS_HTTP_H

#include "common/auth.h"
#include "common/httpd.h"

/*
 * ads-svc's HTTP API (man/ads-svc.8); handlers run under
 * consumer/ds_service.h with a struct ads_svc as the state.
 *   POST /campaigns                      -> 201 campaign      (operator)
 *   GET  /campaigns[?store_id=&limit=]   -> {"campaigns":[...]}, newest first
 *   POST /campaigns/{id}/end             -> 200 campaign      (operator)
 *   GET  /ads?area=&category=&limit=N    -> {"ids":[...]}, highest bid first
 *   GET  /replica/stores, /health, /metrics
 * The writes need an operator's bearer token (ads-svc knows no store's
 * owner, so an owner cannot be told from another); reads are open.
 */

struct ads_db;

struct ads_svc {
	struct ads_db *db;
	struct auth *auth;  /* immutable once serving */
};

extern const struct http_route ads_http_routes[];

#endif
