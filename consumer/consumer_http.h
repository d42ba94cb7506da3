#ifndef STORECTL_CONSUMER_HTTP_H
#define STORECTL_CONSUMER_HTTP_H

#include <stddef.h>

#include <jansson.h>

#include "common/httpd.h"
#include "consumer/consumer.h"

/*
 * /health and /metrics for every downstream service, from one place: the
 * service says what only it knows (its database, its own counters), the
 * runtime adds the consumer's state.
 */

/*
 * Replies to GET /metrics (Prometheus text 0.0.4): the server's request
 * metrics (httpd_metrics_text), the stats of consumers cs[0..n) (NULL
 * entries are skipped: a consumer not created yet), then extra (the
 * service's own families, complete with HELP and TYPE lines; may be NULL).
 */
void consumer_http_metrics(struct http_req *req, struct consumer *const *cs,
			   size_t n, const char *extra);

/*
 * Replies to GET /health with extra's members (stolen; may be NULL), then
 * "consumer" (consumer_stats_json, or null while c is NULL), then
 * "status":
 *   "error"     ok is 0 (the service's own check failed): status 503
 *   "degraded"  the consumer is missing or not running, or its breaker is
 *               not closed: status 200, the copy still answers
 *   "ok"        otherwise: status 200
 * A "status" member in extra is replaced.
 */
void consumer_http_health(struct http_req *req, struct consumer *c, int ok,
			  json_t *extra);

#endif
