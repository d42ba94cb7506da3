#ifndef STORECTL_SEARCH_HTTP_H
#define STORECTL_SEARCH_HTTP_H

#include "common/httpd.h"

/*
 * search-svc's HTTP API; the handlers run under consumer/ds_service.h, with
 * the struct search_db as the service's state.
 *   GET /search?q=&area=&category=&limit=N -> {"ids":[3,1]}, best first
 *   GET /replica/stores?after=ID&limit=N   -> the copy, by id (for audits)
 *   GET /health                            -> status, database, held, consumer
 *   GET /metrics                           -> Prometheus text
 */
extern const struct http_route search_http_routes[];

/*
 * Parses the limit argument: NULL gives the default 20; otherwise a decimal
 * integer from 1 to 100. Returns 0 and sets *limit, or -1.
 */
int search_http_parse_limit(const char *text, int *limit);

#endif
