#ifndef STORECTL_DISPLAY_HTTP_H
#define STORECTL_DISPLAY_HTTP_H

#include <stdatomic.h>

#include "common/httpd.h"
#include "consumer/consumer.h"
#include "display-svc/display_db.h"
#include "display-svc/display_stats.h"

/*
 * display-svc's HTTP API; every handler expects a struct display_svc as
 * the server's ctx (shared by the server threads, read-only but for the
 * database and the counters, which lock for themselves).
 *
 *   GET /shops/{id}   the store's document, as stored (one key lookup);
 *                     404 never held, 410 deleted
 *   GET /shops?area=&q=&category=&user=&limit=
 *                     {"shops":[document + "advertised","favorite"],
 *                      "degraded":["ads"],
 *                      "timings":{"ads":{"ms":1.2,"status":"ok"},...}}
 *   GET /replica/stores?after=&limit=
 *                     {"stores":[document + "deleted", or a tombstone],
 *                      "next":ID|null} (display_db_replica)
 *   GET /health       {"status":"ok","database":"ok","documents":N,...}
 *   GET /metrics      Prometheus text
 */
struct display_svc {
	struct display_db *db;
	struct display_stats *stats;
	/* Base URLs of ads, search and favorites (no trailing slash), NULL
	 * when not configured. */
	const char *dep_url[DISPLAY_DEP_COUNT];
	long fanout_timeout_ms;
	/* Whether review.events is consumed (a reviews-svc URL was given). */
	int reviews_enabled;
	/* The store.events consumer, once created (for /health and
	 * /metrics); NULL before. */
	_Atomic(struct consumer *) consumer;
};

extern const struct http_route display_http_routes[];

/*
 * Replies with body (stolen) as application/json, numbers with at most ten
 * significant digits (1.2, not 1.2000000000000002).
 */
void display_http_reply(struct http_req *req, unsigned status, json_t *body);

/* GET /shops: the list query (display-svc/display_http_list.c). */
void display_http_list(struct http_req *req);

/* GET /replica/stores: the documents, paged (display_http_replica.c). */
void display_http_replica(struct http_req *req);

#endif
