#ifndef STORECTL_HTTPD_H
#define STORECTL_HTTPD_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/*
 * A small HTTP/1.1 server on libmicrohttpd: a static route table, request
 * bodies, URLs and headers bounded (413, 414, 431: problem+json like every
 * other refusal), JSON and problem+json (RFC 7807) replies,
 * and per-route request counters and latency histograms for /metrics.
 * Handlers run on a pool of server threads, concurrently: whatever they share
 * (a database handle) needs its own lock.
 *
 * HEAD is answered by the GET route of the path, without the body.
 */

#define HTTP_PARAMS_MAX 4

struct http_req {
	const char *method;
	const char *path;
	const char *body;     /* NUL-terminated, NULL when there is none */
	size_t body_len;
	/* Values of the route's {placeholders}, in order. */
	const char *params[HTTP_PARAMS_MAX];
	void *ctx;            /* the ctx given to httpd_start */
	struct http_conn *conn; /* private to httpd.c */
};

typedef void (*http_handler_fn)(struct http_req *req);

/* "/stores/{id}" matches "/stores/42" with params[0] = "42". */
struct http_route {
	const char *method;
	const char *pattern;
	http_handler_fn handler;
};

struct httpd_limits {
	size_t max_body;       /* bytes; larger bodies get 413 (default 64 KiB) */
	size_t max_header;     /* bytes of headers; more get 431 (16 KiB) */
	unsigned timeout_s;    /* idle timeout, and the time a request has to
				* arrive whole: line, headers, body (10 s) */
	unsigned threads;      /* server threads (4) */
	size_t max_url;        /* bytes of path and query; more get 414 (16 KiB) */
};

struct httpd;

/*
 * Starts serving routes (terminated by a zero entry; must outlive the
 * server) on listen ("HOST:PORT", port 0 picks a free one). limits may be
 * NULL for the defaults. Returns NULL with a reason in err.
 */
struct httpd *httpd_start(const char *listen, const struct http_route *routes,
			  const struct httpd_limits *limits, void *ctx,
			  char *err, size_t errlen);

/* The port actually bound. */
unsigned httpd_port(const struct httpd *httpd);

/* Stops serving, waits for handlers to return and frees the server. */
void httpd_stop(struct httpd *httpd);

/*
 * The server's request metrics in the Prometheus text format (0.0.4):
 *
 *   http_requests_total{method,route,status}      counter
 *   http_request_duration_seconds{method,route}   histogram (le buckets from
 *                                                 0.5 ms to 10 s, _sum, _count)
 *
 * route is the route's pattern ("/stores/{id}"), or "unmatched" (method
 * "any") for paths no route knows. A request counts once its answer has
 * been sent; its duration runs from its headers to the end of the answer.
 * Series appear with a route's first request.
 * Returns a malloc'd string the caller frees, or NULL when out of memory.
 */
char *httpd_metrics_text(const struct httpd *httpd);

/* The server a request arrived on (for a /metrics handler). */
struct httpd *http_req_server(struct http_req *req);

/* Content-Type of the Prometheus text format. */
#define HTTP_METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* A query-string argument, or NULL when absent. */
const char *http_query(struct http_req *req, const char *key);

/* A request header (case-insensitive name), or NULL when absent. */
const char *http_header(struct http_req *req, const char *name);

/* Adds a header to the reply; call before one of the http_reply_* below. */
void http_add_header(struct http_req *req, const char *name, const char *value);

/* Replies with body serialized as application/json; steals body. */
void http_reply_json(struct http_req *req, unsigned status, json_t *body);

/* Replies with a text body of the given content type (copied). */
void http_reply_text(struct http_req *req, unsigned status,
		     const char *content_type, const char *text);

/*
 * Replies application/problem+json: {"type","title","status","detail"}.
 * extra (stolen, may be NULL) adds members such as "field" and "rule".
 */
void http_reply_problem(struct http_req *req, unsigned status,
			const char *title, const char *detail, json_t *extra);

/*
 * Parses the body as a JSON object. On failure replies 400 (or 415 when the
 * content type is not JSON) and returns NULL; the caller just returns.
 */
json_t *http_body_json(struct http_req *req);

/* Parses a positive decimal id ("42"); returns 0 and sets *id, or -1. */
int http_parse_id(const char *text, int64_t *id);

#endif
