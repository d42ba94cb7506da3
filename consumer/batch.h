#ifndef STORECTL_CONSUMER_BATCH_H
#define STORECTL_CONSUMER_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "api/event.h"
#include "api/reaction.h"

/*
 * One poll batch of store events, collapsed per store (DESIGN.md, "Consumers
 * are at-least-once and idempotent"). Pure domain: no Kafka, no database, no
 * HTTP. The runtime adds every decoded event, asks for a decision per store,
 * fetches the stores that need it and records each store's outcome here.
 */

enum batch_decision {
	BATCH_FETCH = 1,         /* the replica needs the current state */
	BATCH_SKIP_STALE,        /* nothing newer than what the replica holds */
	BATCH_SKIP_FIELDS,       /* no event touched a column the replica keeps */
};

#define BATCH_ERROR_MAX 256

/* Every event of one store in the batch, collapsed. */
struct batch_entry {
	int64_t store_id;
	int64_t version;       /* newest version among the events */
	uint32_t fields;       /* union of the events' STORE_F_* bits */
	int lifecycle;         /* a created or deleted event is among them */
	int unspecified;       /* an updated event named no fields at all */
	int deleted;           /* the newest event is a delete */
	int resync;            /* a resync asked for it (storectl resync) */
	int coalesced;         /* events collapsed into this entry, >= 1 */
	double first_at_ms;    /* earliest commit time, for lag; 0 = unknown */

	int64_t held_version;  /* what the replica held when decided */
	enum batch_decision decision;

	/* The outcome, filled by the runtime; action 0 means not yet known. */
	enum reaction_action action;
	int64_t applied_version;
	double done_ms;        /* monotonic ms when the outcome was reached */
	char error[BATCH_ERROR_MAX];
};

struct batch {
	struct batch_entry *entries; /* in order of each store's first event */
	size_t n;
	size_t cap;
	size_t *index;         /* open-addressing slots: entry number + 1 */
	size_t index_cap;      /* a power of two, > 2 * cap */
};

/* Version lookup the decision needs: the replica port's held_version. */
typedef int (*batch_held_fn)(void *ctx, int64_t store_id, int64_t *version);

void batch_init(struct batch *b);

/* Forgets every entry, keeping the memory for the next batch. */
void batch_reset(struct batch *b);

void batch_free(struct batch *b);

/*
 * Adds one decoded event, collapsing it into its store's entry: newest
 * version (and whether that one is a delete), union of fields, earliest
 * event time, count. Events may arrive twice or out of order. Returns 0, or
 * -1 when out of memory (the batch is unchanged).
 */
int batch_add(struct batch *b, const struct store_event *ev);

/* The entry of store_id, or NULL. */
struct batch_entry *batch_find(struct batch *b, int64_t store_id);

/*
 * The decision for one entry, given the version the replica holds (0 for
 * none) and the STORE_F_* bits the replica keeps:
 *  - BATCH_SKIP_STALE when the newest version is not newer than held (for
 *    a resync: older than held, so a replica at the same version rebuilds;
 *    consumer/apply.h says how);
 *  - BATCH_SKIP_FIELDS when no event's fields meet port_fields, none was a
 *    create or delete, every event named its fields, and the replica holds
 *    the store already (a replica that has nothing always fetches, so a gap
 *    in the log heals), and no resync asked for it; STORE_F_OTHER counts
 *    as meeting anything;
 *  - BATCH_FETCH otherwise.
 */
enum batch_decision batch_decide_entry(const struct batch_entry *e,
				       int64_t held, uint32_t port_fields);

/*
 * Decides every entry, looking each held version up with held(ctx, ...).
 * Skipped entries get their outcome (action, applied_version = held,
 * done_ms = now_ms). Returns the number of entries to fetch, or -1 when a
 * lookup failed (entries decided so far keep their decision).
 */
int batch_decide(struct batch *b, batch_held_fn held, void *ctx,
		 uint32_t port_fields, double now_ms);

/* Records an outcome for e; error may be NULL. */
void batch_entry_finish(struct batch_entry *e, enum reaction_action action,
			int64_t applied_version, const char *error,
			double now_ms);

#endif
