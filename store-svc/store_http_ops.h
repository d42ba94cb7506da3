#ifndef STORECTL_STORE_HTTP_OPS_H
#define STORECTL_STORE_HTTP_OPS_H

#include "common/httpd.h"

/*
 * Operations endpoints of store-svc, for the operator role only (401
 * without a token, 403 for owners and services); docs/api.md,
 * "Operations", has the details:
 *
 *   GET    /ops/faults   the injected faults and how often they struck
 *   POST   /ops/faults   {"latency_ms":200,"error_rate":0.3,
 *                         "until":"2026-11-24T10:00:00Z" | "for_s":30,
 *                         "scope":"service"|"all"}
 *   DELETE /ops/faults   clears them
 *   POST   /ops/resync   {"stores":[1,2]|"all","target":"search"}:
 *                        an outbox row per store (store_db_resync)
 *
 * Faults make the store reads the consumers use slow or failing, to show
 * fault isolation live: GET /stores (lists and ?ids=) and GET
 * /stores/{id}, by callers of the service role (scope "service", the
 * default) or by everyone (scope "all"). Each such read first waits
 * latency_ms, then fails with 503 with probability error_rate. Writes,
 * /health, /metrics and /ops are never touched.
 */

struct store_ops;

/* A fault state with nothing injected; NULL when out of memory. */
struct store_ops *store_ops_new(void);

/*
 * Makes injected latencies end at once, so that stopping the server never
 * waits for them. Call before httpd_stop.
 */
void store_ops_stop(struct store_ops *ops);

/* NULL is a no-op. */
void store_ops_free(struct store_ops *ops);

/* GET /stores and GET /stores/{id}: the faults, then the real handler. */
void store_http_ops_list(struct http_req *req);
void store_http_ops_get(struct http_req *req);

void store_http_ops_faults_get(struct http_req *req);
void store_http_ops_faults_set(struct http_req *req);
void store_http_ops_faults_clear(struct http_req *req);
void store_http_ops_resync(struct http_req *req);

#endif
