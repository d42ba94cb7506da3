#ifndef STORECTL_DISPLAY_DOC_H
#define STORECTL_DISPLAY_DOC_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/*
 * The precomputed store document display-svc serves (the read model of
 * DESIGN.md): what a store page shows, in one JSON object,
 *
 *   {"id","name","category","status","status_reason","area","address",
 *    "hours","phone","min_order","delivery_fee","description","menu",
 *    "version","updated_at","reviews":{"count","average","version"}}
 *
 * built from the store API's JSON and reviews-svc's summary. Members the
 * store does not have (an older store-svc, an optional field left empty)
 * are simply absent; members outside the list (the owner, anything added
 * later) are never copied, so nothing private reaches customers by
 * accident. Pure: no database, no HTTP.
 */

/*
 * The document of store (the store API's object) with reviews (a summary
 * from display_doc_summary, or NULL for the empty one at version 0).
 * Returns a new reference, or NULL when store has no positive integer "id"
 * and "version" or memory ran out.
 */
json_t *display_doc_build(const json_t *store, const json_t *reviews);

/*
 * The summary kept in documents, {"count":3,"average":4.33,"version":5},
 * from reviews-svc's answer to GET /stores/{id}/reviews/summary. The answer
 * must carry a non-negative integer count, a positive integer version, an
 * average that is a number from 0 to 5 (or null, or absent, when count is
 * 0) and, when present, a store_id equal to store_id. average is null
 * whenever count is 0. Returns a new reference, or NULL with the reason in
 * err.
 */
json_t *display_doc_summary(const json_t *answer, int64_t store_id, char *err,
			    size_t errlen);

/* The summary of a store without reviews: count 0 at version. */
json_t *display_doc_summary_empty(int64_t version);

/*
 * The document text doc (as stored) with its "reviews" replaced by
 * summary (borrowed). Returns a malloc'd compact JSON text, or NULL when
 * doc is not a JSON object or memory ran out.
 */
char *display_doc_with_reviews(const char *doc, const json_t *summary);

/* Compact JSON text of doc as stored and served (malloc'd), or NULL. */
char *display_doc_dump(const json_t *doc);

#endif
