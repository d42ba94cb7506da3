#ifndef STORECTL_ADS_HTTP_H
#define STORECTL_ADS_HTTP_H

#include "common/httpd.h"

/*
 * ads-svc's HTTP API (man/ads-svc.8); handlers run under
 * consumer/ds_service.h with the struct ads_db as the state.
 *   POST /campaigns                      -> 201 campaign
 *   GET  /campaigns[?store_id=&limit=]   -> {"campaigns":[...]}, newest first
 *   POST /campaigns/{id}/end             -> 200 campaign
 *   GET  /ads?area=&category=&limit=N    -> {"ids":[...]}, highest bid first
 *   GET  /replica/stores, /health, /metrics
 */
extern const struct http_route ads_http_routes[];

#endif
