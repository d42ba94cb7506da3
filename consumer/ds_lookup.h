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

#endif
