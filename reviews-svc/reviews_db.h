#ifndef STORECTL_REVIEWS_DB_H
#define STORECTL_REVIEWS_DB_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "consumer/consumer.h"
#include "consumer/ds_lookup.h"
#include "reviews-svc/review.h"

/*
 * reviews-svc's SQLite adapter (WAL):
 *   stores(id, name, version, deleted)            the copy: does it exist
 *   reviews(id, store_id, user, rating, text, created_at)  owned here
 *   summaries(store_id, count, sum, version)      kept with every change
 *   outbox(...)                                   review.events to publish
 * A review, its summary and its review.events row are written in one
 * transaction (outbox/outbox.h publishes the row).
 *
 * Two connections: the writer belongs to the consumer's thread (the
 * replica port); the other serves the HTTP threads, one at a time.
 */

struct reviews_db;

struct reviews_db *reviews_db_open(const char *path, char *err, size_t errlen);
void reviews_db_close(struct reviews_db *db);

/*
 * The writer's port: fields = name (and the life cycle); forget sets the
 * copy's version to 0 (reviews and summaries untouched).
 */
void reviews_db_port(struct reviews_db *db, struct replica_port *port);

/* The copy for ds_store_known, on the HTTP connection. */
void reviews_db_copy(struct reviews_db *db, struct ds_copy_ops *ops);

enum reviews_db_result {
	REVIEWS_DB_OK = 0,
	REVIEWS_DB_NO_STORE,   /* create: the copy holds no live store */
	REVIEWS_DB_NOT_FOUND,  /* delete: no such review */
	REVIEWS_DB_ERROR = -1,
};

/*
 * Stores r (its store_id and created_at_ms set; id 0) when the copy holds
 * the store live, bumps the store's summary and adds the review.events row,
 * in one transaction. Sets r->id and *summary (may be NULL).
 */
enum reviews_db_result reviews_db_create(struct reviews_db *db,
					 struct review *r,
					 struct review_summary *summary);

/*
 * Deletes review id, lowers its store's summary and adds the review.events
 * row, in one transaction; *summary (may be NULL) gets the new summary.
 */
enum reviews_db_result reviews_db_delete(struct reviews_db *db, int64_t id,
					 double now_ms,
					 struct review_summary *summary);

/* A store's reviews, newest first, at most limit: {"store_id","reviews"}. */
json_t *reviews_db_list(struct reviews_db *db, int64_t store_id, int limit);

/* A store's summary (all zero but store_id when it has none). 0 or -1. */
int reviews_db_summary(struct reviews_db *db, int64_t store_id,
		       struct review_summary *s);

/* Counts for /health and /metrics. 0 or -1. */
int reviews_db_counts(struct reviews_db *db, int64_t *stores,
		      int64_t *reviews, int64_t *pending,
		      double *oldest_ms);

/* A page of the copy for GET /replica/stores. */
json_t *reviews_db_replica(struct reviews_db *db, int64_t after, int limit);

#endif
