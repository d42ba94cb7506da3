#ifndef STORECTL_REACTION_H
#define STORECTL_REACTION_H

#include <stddef.h>
#include <stdint.h>

/*
 * One record on store.reactions per downstream service per handled store:
 * {"service":"search","store_id":42,"event_version":7,"applied_version":7,
 *  "action":"applied","coalesced":3,"took_ms":0.8,"lag_ms":2.1,
 *  "error":null,"at":"..."}
 */

enum reaction_action {
	REACTION_APPLIED = 1,
	REACTION_DELETED,
	REACTION_SKIPPED_STALE,
	REACTION_SKIPPED_FIELDS,
	REACTION_FAILED,
};

struct store_reaction {
	char service[32];
	int64_t store_id;
	int64_t event_version;   /* newest version among the coalesced events */
	int64_t applied_version; /* version now held; 0 encodes as null */
	enum reaction_action action;
	int coalesced;           /* events collapsed into this reaction, >= 1 */
	double took_ms;          /* from poll to applied */
	double lag_ms;           /* from the event's commit to applied */
	char error[256];         /* "" encodes as null */
	double at_ms;
	/* The topic whose event this answers; "" means store.events and is
	 * left out. display-svc's reactions to review.events say so, because
	 * their event_version is a review-summary version, not a store's. */
	char source[32];
};

/* "applied", "deleted", "skipped_stale", "skipped_fields", "failed". */
const char *reaction_action_name(enum reaction_action action);

/* Returns compact JSON (malloc'd; the caller frees), or NULL. */
char *store_reaction_encode(const struct store_reaction *r);

/* Parses buf into r; 0, or -1 with a reason naming the member in err. */
int store_reaction_decode(const char *buf, size_t len, struct store_reaction *r,
			  char *err, size_t errlen);

#endif
