#ifndef STORECTL_REVIEW_EVENT_H
#define STORECTL_REVIEW_EVENT_H

#include <stddef.h>
#include <stdint.h>

/*
 * The zero-payload notice reviews-svc publishes on review.events (key: the
 * store id as decimal text), shared by its producer and its consumers:
 *   {"event_id":"..","review_id":9,"store_id":42,"type":"created",
 *    "version":5,"at":"2026-11-24T10:00:00.123Z"}
 * version is the store's review-summary version, +1 per review created or
 * deleted for that store: a consumer holding a summary of that version or
 * newer has nothing to fetch.
 */

enum review_event_type {
	REVIEW_EVENT_CREATED = 1,
	REVIEW_EVENT_DELETED,
};

struct review_event {
	char event_id[48];
	int64_t review_id;
	int64_t store_id;
	enum review_event_type type;
	int64_t version;
	double at_ms;
};

/* "created", "deleted"; "?" otherwise. */
const char *review_event_type_name(enum review_event_type type);

/* A random 128-bit id as 32 hex digits into buf (>= 33 bytes). 0 or -1. */
int review_event_new_id(char *buf, size_t len);

/* Compact JSON (malloc'd; the caller frees), or NULL. */
char *review_event_encode(const struct review_event *ev);

/*
 * Parses buf[0..len) into ev. 0, or -1 with a reason naming the member in
 * err. Unknown members are ignored.
 */
int review_event_decode(const char *buf, size_t len, struct review_event *ev,
			char *err, size_t errlen);

#endif
