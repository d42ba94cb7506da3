#ifndef STORECTL_TUI_STREAM_MODEL_H
#define STORECTL_TUI_STREAM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "api/event.h"
#include "api/reaction.h"

/*
 * What the live pane shows: the newest store events in a bounded table
 * (when it is full, the oldest row falls out), each with one cell per
 * downstream service holding that service's reaction, and the records as
 * they came off Kafka (raw JSON, partition, offset) for the detail view.
 * The model never draws and knows nothing of Kafka; tui/tail.c feeds it
 * decoded records.
 *
 * Rows stay in their slot for as long as they live, and a hash on (store,
 * version) finds them, so joining a reaction costs the same with 20 rows
 * or 20,000: what keeps keys responsive while thousands of records a
 * second arrive.
 *
 * Joining: a reaction (service S, store X, event_version V, coalesced N)
 * belongs to the row (X, V); the up to N-1 rows of X just below V that S
 * has not answered yet were collapsed into the same fetch and are marked
 * coalesced. A reaction whose row has not arrived yet (the two topics are
 * read independently) waits, found by the same kind of hash, and joins
 * when the event comes, or is dropped after STREAM_PENDING_MS (or when
 * STREAM_PENDING_MAX newer ones wait).
 */

#define STREAM_SERVICES_MAX 8
#define STREAM_PENDING_MAX 8192 /* early reactions: 1,000 events x 5 at start */
#define STREAM_PENDING_MS 15000.0
#define STREAM_RAW_MAX 2048 /* bytes of a record kept for the detail */

enum stream_cell_state {
	STREAM_CELL_NONE = 0, /* no reaction yet */
	STREAM_CELL_APPLIED,
	STREAM_CELL_DELETED,
	STREAM_CELL_STALE,
	STREAM_CELL_FIELDS,   /* skipped: none of its columns changed */
	STREAM_CELL_FAILED,
	STREAM_CELL_COALESCED, /* answered by the reaction to a newer event */
};

/* Where a record came from; raw may be NULL. */
struct stream_origin {
	int32_t partition;
	int64_t offset;
	const char *raw;
	size_t rawlen;
};

struct stream_cell {
	enum stream_cell_state state;
	int coalesced;           /* the reaction's count (APPLIED etc.) */
	int64_t applied_version; /* what the service now holds, 0 unknown */
	int64_t by_version;      /* COALESCED: the version that answered */
	double took_ms;
	double lag_ms;
	double at_ms;            /* the reaction's time (wall clock) */
	int32_t partition;       /* of the reaction record; -1 unknown */
	int64_t offset;
	char error[128];
	char *raw;               /* the reaction record; owned by the model */
};

struct stream_row {
	uint64_t seq; /* unique, increasing in arrival order */
	int64_t store_id;
	int64_t version;
	enum store_event_type type;
	uint32_t fields;
	double at_ms;       /* the event's commit time (wall clock) */
	double received_ms; /* when the console read it (wall clock) */
	int32_t partition;
	int64_t offset;
	char event_id[48];
	char *raw;          /* the event record; owned by the model */
	struct stream_cell cell[STREAM_SERVICES_MAX];
	int32_t hnext;      /* private: hash chain */
};

struct stream_model;

/* Called for every cell a reaction fills, pending ones included. */
typedef void (*stream_join_fn)(void *ctx, const struct stream_row *row,
			       int service);

/* capacity rows (>= 1). NULL when out of memory. */
struct stream_model *stream_model_new(size_t capacity);
void stream_model_free(struct stream_model *m);

void stream_model_set_listener(struct stream_model *m, stream_join_fn fn,
			       void *ctx);

/*
 * Adds an event, keeping rows ordered by commit time (rows of one store by
 * version), then joins any pending reactions for it. origin may be NULL;
 * its raw text is copied (cut at STREAM_RAW_MAX). Returns the row, or NULL
 * when a row for (store, version) is already there (a redelivery). The
 * pointer is valid until the next call that changes the model.
 */
const struct stream_row *stream_model_add_event(
	struct stream_model *m, const struct store_event *ev,
	const struct stream_origin *origin, double now_ms);

/*
 * Joins a reaction (origin as above). Returns 1 when it filled a row, 0
 * when it waits for its event, -1 when dropped (no room for another
 * service).
 */
int stream_model_add_reaction(struct stream_model *m,
			      const struct store_reaction *r,
			      const struct stream_origin *origin,
			      double now_ms);

/* Drops pending reactions older than STREAM_PENDING_MS; returns how many. */
size_t stream_model_expire(struct stream_model *m, double now_ms);

size_t stream_model_count(const struct stream_model *m);
size_t stream_model_pending(const struct stream_model *m);

/* Row i in display order, 0 = oldest. NULL when i >= count. */
const struct stream_row *stream_model_row(const struct stream_model *m,
					  size_t i);

/* The row (store_id, version), or NULL. */
const struct stream_row *stream_model_find(const struct stream_model *m,
					   int64_t store_id, int64_t version);

/* Index of the row with this seq, or -1 when it has fallen out. */
long stream_model_find_seq(const struct stream_model *m, uint64_t seq);

/* Column of a service ("search"), or -1 when none has reported yet. */
int stream_model_service(const struct stream_model *m, const char *name);

/* Name of service column i, or NULL. */
const char *stream_model_service_name(const struct stream_model *m, int i);

/* Services that have reported so far. */
int stream_model_nservices(const struct stream_model *m);

/* Rows added since the model was made (a change counter for views). */
uint64_t stream_model_serial(const struct stream_model *m);

/* "applied", "stale", ... for a cell state; "" for NONE. */
const char *stream_cell_name(enum stream_cell_state state);

#endif
