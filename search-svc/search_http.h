#ifndef STORECTL_SEARCH_HTTP_H
#define STORECTL_SEARCH_HTTP_H

#include "common/httpd.h"

/*
 * search-svc's HTTP API; every handler expects the struct search_db as the
 * server's ctx.
 *   GET /search?q=TEXT&limit=N  -> {"ids":[3,1]}, best first
 *   GET /health                 -> {"status":"ok","database":"ok","held":N}
 */
extern const struct http_route search_http_routes[];

/*
 * Parses the limit argument: NULL gives the default 20; otherwise a decimal
 * integer from 1 to 100. Returns 0 and sets *limit, or -1.
 */
int search_http_parse_limit(const char *text, int *limit);

#endif
