#ifndef STORECTL_EVENT_H
#define STORECTL_EVENT_H

#include <stddef.h>
#include <stdint.h>

/*
 * The zero-payload change notice on store.events (DESIGN.md):
 * {"event_id":"...","store_id":42,"type":"updated","version":7,
 *  "fields":["name","menu"],"at":"2026-11-24T10:00:00.123Z"}
 * The Kafka key is the store id as decimal text.
 *
 * A resync (storectl resync, store-svc's POST /ops/resync) publishes the
 * same notice for a store that did not change, with two more members:
 * "resync":true asks every consumer to fetch the store and apply it even
 * when it holds that version already (its copy may be damaged), and
 * "target":"search" (optional) names the one service meant; the others
 * skip it without a fetch. Both are absent from ordinary events, and a
 * consumer that does not know them treats a resync as a duplicate.
 */

#define STORE_EVENT_TARGET_MAX 32

enum store_event_type {
	STORE_EVENT_CREATED = 1,
	STORE_EVENT_UPDATED,
	STORE_EVENT_DELETED,
};

struct store_event {
	char event_id[48];
	int64_t store_id;
	enum store_event_type type;
	int64_t version;
	uint32_t fields; /* STORE_F_* bits (api/fields.h) */
	double at_ms;    /* wall-clock ms of the commit */
	int resync;      /* apply even when the version is not newer */
	/* The only service meant ("search"), or "" for every one: 1 to 31 of
	 * a-z 0-9 _ -, checked when decoding. */
	char target[STORE_EVENT_TARGET_MAX];
};

/* 1 when ev is meant for service: it has no target, or service's name. */
int store_event_is_for(const struct store_event *ev, const char *service);

/* "created", "updated", "deleted"; "?" for anything else. */
const char *store_event_type_name(enum store_event_type type);

/* Returns the event as compact JSON (malloc'd; the caller frees), or NULL. */
char *store_event_encode(const struct store_event *ev);

/*
 * Parses buf[0..len) into ev. Returns 0, or -1 with a reason naming the
 * offending member in err (e.g. "version: must be a positive integer").
 * Unknown members are ignored; unknown field names become STORE_F_OTHER.
 */
int store_event_decode(const char *buf, size_t len, struct store_event *ev,
		       char *err, size_t errlen);

#endif
