#ifndef STORECTL_DISPLAY_DB_H
#define STORECTL_DISPLAY_DB_H

#include <stddef.h>
#include <stdint.h>

#include "consumer/consumer.h"
#include "display-svc/review_batch.h"

/*
 * display-svc's view database (SQLite, WAL): one row per store,
 *
 *   docs(id, version, deleted, doc, review_version, reviews)
 *
 * where doc is the finished document text (display-svc/doc.h) served as
 * is, so a store page is one key lookup; reviews and review_version are
 * the review summary kept apart as well, so that a store write can put it
 * into the new document and a summary that arrives before its store waits
 * in a row without a document (version 0). A deleted store keeps a
 * tombstone (deleted = 1, no document) so older events are recognised as
 * stale.
 *
 * Two connections: one writer shared by the store.events consumer and the
 * review.events consumer (behind a mutex, since each write reads the row it
 * replaces), and one reader behind its own mutex for the HTTP threads; WAL
 * lets reads and writes run at the same time.
 */

struct display_db;

/* Opens (creating when needed) the database at path; NULL with err. */
struct display_db *display_db_open(const char *path, char *err, size_t errlen);

/* Closes both connections; NULL is a no-op. */
void display_db_close(struct display_db *db);

/*
 * Fills port with the store.events replica functions (held_version,
 * upsert, remove, forget). forget keeps the row and its review summary
 * and sets its version to 0, so the next store write lands whatever
 * version was held. fields: everything but the owner, which no customer
 * sees.
 */
void display_db_port(struct display_db *db, struct replica_port *port);

/* Fills port with the review.events functions (held, apply). */
void display_db_review_port(struct display_db *db,
			    struct display_review_port *port);

enum display_db_found {
	DISPLAY_DB_FOUND = 0,
	DISPLAY_DB_MISSING,    /* never held (or only its reviews so far) */
	DISPLAY_DB_GONE,       /* deleted */
	DISPLAY_DB_ERROR = -1, /* logged */
};

/*
 * The document of store id: on DISPLAY_DB_FOUND *doc is its malloc'd text
 * (the caller frees), otherwise NULL.
 */
enum display_db_found display_db_doc(struct display_db *db, int64_t id,
				     char **doc);

/*
 * The documents of ids[0..n), one lookup each under one lock: docs[i]
 * becomes the malloc'd text of ids[i], or NULL when the store is not held
 * or deleted. Returns 0, or -1 on a database failure (docs then all NULL).
 */
int display_db_docs(struct display_db *db, const int64_t *ids, size_t n,
		    char **docs);

/*
 * The documents with an id above after, by id, at most limit, for GET
 * /replica/stores: {"stores":[row...],"next":ID|null} (next: the after of
 * the following page), where a row is the document as served with
 * "deleted":false, or {"id","version","deleted":true} for a tombstone;
 * "id" and "version" are the row's. Rows that only wait with a review
 * summary are not listed. NULL on a database failure (logged).
 */
json_t *display_db_replica(struct display_db *db, int64_t after, int limit);

/* Documents held (live stores) into *count; 0, or -1 with err. */
int display_db_count(struct display_db *db, int64_t *count, char *err,
		     size_t errlen);

#endif
