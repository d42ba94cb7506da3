#ifndef STORECTL_DS_LOOKUP_H
#define STORECTL_DS_LOOKUP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/*
 * Does a store exist? Asked of the store API when a service's own copy
 * does not know (a store created a moment ago whose event has not been
 * handled yet). GET /stores/{id}: 200 found, 410 deleted, 404 missing;
 * anything else, or no answer, is unavailable.
 */

enum ds_store_state {
	DS_STORE_FOUND = 1,
	DS_STORE_DELETED,     /* 410: tombstoned */
	DS_STORE_MISSING,     /* 404: never existed (or not visible) */
	DS_STORE_UNAVAILABLE, /* no usable answer; err says why */
};

/* The timeout of one lookup, so a request never waits long on it. */
#define DS_LOOKUP_TIMEOUT_MS 2000

/*
 * Asks base_url (token may be NULL) about store id. On DS_STORE_FOUND,
 * *store (when store is not NULL) gets a new reference to the store's
 * JSON, which the caller releases. On DS_STORE_DELETED *deleted_version
 * (when not NULL) gets the version of the delete when the answer says it,
 * else 0. On DS_STORE_UNAVAILABLE err holds the reason.
 */
enum ds_store_state ds_store_lookup(const char *base_url, const char *token,
				    int64_t id, json_t **store,
				    int64_t *deleted_version, char *err,
				    size_t errlen);

/*
 * A service's own copy as ds_store_known needs it. state reports what the
 * copy holds of id (DS_STORE_FOUND for a live store, DS_STORE_DELETED for
 * a tombstone, DS_STORE_MISSING for nothing); put writes a store the API
 * returned (version-guarded, like the replica port's upsert); tombstone
 * remembers a delete. Each returns 0, or -1 on a database failure.
 */
struct ds_copy_ops {
	void *ctx;
	int (*state)(void *ctx, int64_t id, enum ds_store_state *state);
	int (*put)(void *ctx, const json_t *store);
	int (*tombstone)(void *ctx, int64_t id, int64_t version);
};

/*
 * What is known of store id: the copy's word when it holds the store (live
 * or deleted), else the store API's, which is then written to the copy
 * (the API's 404 and 410 are what make a copy forget a store it never saw
 * deleted). DS_STORE_UNAVAILABLE with err when neither can say.
 */
enum ds_store_state ds_store_known(const struct ds_copy_ops *copy,
				   const char *base_url, const char *token,
				   int64_t id, char *err, size_t errlen);

#endif
