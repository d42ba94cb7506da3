#ifndef STORECTL_CLIENT_H
#define STORECTL_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/*
 * A blocking client for the store API (store-svc), on libcurl and jansson.
 * One client per thread; calls block for at most the client's timeout, so
 * the console runs them on a worker thread, never on its UI thread.
 *
 * The store JSON, its validation rules and every endpoint are in
 * docs/api.md. ETag is the version in quotes ("7"); every write sends
 * If-Match the same way (store-svc answers 428 without it, 412 when stale).
 */

struct api_client;

struct api_result {
	long status;      /* HTTP status; 0 when no answer came (see error) */
	json_t *body;     /* parsed JSON body or NULL; owned by the result */
	int64_t etag_version; /* version from the ETag header, 0 when absent */
	char error[256];  /* transport error, or the problem's detail */
};

/*
 * base_url like "http://127.0.0.1:8080"; token may be NULL (no
 * Authorization header). timeout_ms bounds every call. Returns NULL when out
 * of memory.
 */
struct api_client *api_client_new(const char *base_url, const char *token,
				  long timeout_ms);
void api_client_free(struct api_client *c);

/*
 * Makes the call in progress on c, and every later one, fail soon with
 * "cancelled" (within about a second: libcurl asks its progress callback
 * at least that often). Safe to call from any thread while c lives; for
 * quitting a program whose worker thread may be waiting on the network.
 */
void api_client_cancel(struct api_client *c);

/* Releases what a result holds and zeroes it (safe to call twice). */
void api_result_clear(struct api_result *res);

/*
 * One request: method, path (with query), optional JSON body, optional
 * If-Match version (0 = none). Returns 0 when an HTTP answer came, whatever
 * its status, or -1 when none did (res->error says why). For a 4xx/5xx
 * problem+json answer res->error holds its "detail" (or "title").
 */
int api_request(struct api_client *c, const char *method, const char *path,
		const json_t *body, int64_t if_match, struct api_result *res);

/* GET /stores/{id} */
int api_store_get(struct api_client *c, int64_t id, struct api_result *res);

/*
 * GET /stores?ids=1,2,3 -> {"stores":[...], "deleted":[{"id":5,"version":8}],
 * "missing":[7]}.
 */
int api_stores_get_many(struct api_client *c, const int64_t *ids, size_t n,
			struct api_result *res);

/* GET /stores (query may be NULL or "owner=owner-1&limit=50") */
int api_stores_list(struct api_client *c, const char *query,
		    struct api_result *res);

/* POST /stores */
int api_store_create(struct api_client *c, const json_t *store,
		     struct api_result *res);

/* PATCH /stores/{id} (JSON merge patch) with If-Match: "version". */
int api_store_patch(struct api_client *c, int64_t id, const json_t *patch,
		    int64_t if_version, struct api_result *res);

/* DELETE /stores/{id} with If-Match: "version". */
int api_store_delete(struct api_client *c, int64_t id, int64_t if_version,
		     struct api_result *res);

#endif
