#ifndef STORECTL_STORE_DB_H
#define STORECTL_STORE_DB_H

#include <stddef.h>
#include <stdint.h>

#include "api/event.h"
#include "store-svc/store.h"

/*
 * The SQLite adapter of store-svc: stores and their outbox in one file (WAL
 * mode). Every change to a store writes its outbox row in the same
 * transaction, so no change exists without its event (DESIGN.md, "No change
 * without its event").
 *
 * One handle is one connection with its statements prepared once; a mutex
 * serialises its users, so one handle may be shared by the HTTP threads.
 * The relay opens a handle of its own.
 */

struct store_db;

/* Results; negative is a database failure (already logged). */
enum store_db_rc {
	STORE_DB_OK = 0,
	STORE_DB_NOT_FOUND = 1, /* no store ever had this id */
	STORE_DB_GONE = 2,      /* tombstoned; result has id and version */
	STORE_DB_REFUSED = 3,   /* the edit function refused; result = current */
	STORE_DB_BUSY = 4,      /* another connection holds the write lock */
	STORE_DB_ERROR = -1,
};

/*
 * Opens (creating when needed) the database at path. durable selects
 * synchronous=FULL, so a commit survives a power cut, not only a crash; the
 * relay's handle can do without. Returns NULL with a reason in err.
 */
struct store_db *store_db_open(const char *path, int durable, char *err,
			       size_t errlen);

/* Closes the connection and finalises its statements; NULL is a no-op. */
void store_db_close(struct store_db *db);

/*
 * Inserts s as a new store with version 1 and both timestamps set to the
 * commit time, plus its "created" outbox row. On STORE_DB_OK s holds the id,
 * version and timestamps assigned.
 */
int store_db_create(struct store_db *db, struct store *s);

/* Reads store id into *out: STORE_DB_OK, NOT_FOUND, GONE or ERROR. */
int store_db_get(struct store_db *db, int64_t id, struct store *out);

/* What an edit function decides about the current store. */
enum store_edit {
	STORE_EDIT_KEEP,    /* nothing changes, no event */
	STORE_EDIT_WRITE,   /* store *next, version + 1, "updated" event */
	STORE_EDIT_DELETE,  /* tombstone, version + 1, "deleted" event */
	STORE_EDIT_REFUSE,  /* nothing changes; the reason is the caller's */
};

/*
 * Decides an edit of cur (a live store). For WRITE it fills *next (id,
 * version and timestamps are set by the adapter) and *fields with the
 * STORE_F_* bits that change. Runs inside the transaction with the handle's
 * lock held: keep it short and never call back into the adapter.
 */
typedef enum store_edit (*store_edit_fn)(void *ctx, const struct store *cur,
					 struct store *next, uint32_t *fields);

/*
 * Reads store id and applies fn's decision in one BEGIN IMMEDIATE
 * transaction, so concurrent edits see each other's versions. Returns
 * STORE_DB_OK with *result the store after the edit (for KEEP the current
 * one) and *wrote 1 when a change was committed; NOT_FOUND or GONE without
 * calling fn; REFUSED with *result the current store; or ERROR.
 */
int store_db_edit(struct store_db *db, int64_t id, store_edit_fn fn,
		  void *ctx, struct store *result, int *wrote);

/*
 * Live stores ordered by id: those with id > after_id, of owner when owner
 * is not NULL, at most limit. Calls fn for each (fn must not call back into
 * the adapter). Returns STORE_DB_OK or ERROR.
 */
int store_db_list(struct store_db *db, const char *owner, int64_t after_id,
		  int limit, void (*fn)(void *ctx, const struct store *s),
		  void *ctx);

/*
 * Every store among ids[0..n), tombstones included (deleted = 1), ordered
 * by id; ids never seen are simply not reported. Returns OK or ERROR.
 */
int store_db_get_many(struct store_db *db, const int64_t *ids, size_t n,
		      void (*fn)(void *ctx, const struct store *s), void *ctx);

/* One unsent outbox row, ready to publish. */
struct store_outbox_row {
	int64_t id;
	struct store_event ev;
};

/*
 * Up to max unsent outbox rows with id > after_id, oldest first, into rows.
 * Returns how many, or STORE_DB_ERROR.
 */
int store_db_outbox_pending(struct store_db *db, int64_t after_id,
			    struct store_outbox_row *rows, int max);

/*
 * Marks rows ids[0..n) sent at now_ms, in one transaction. With wait 0 it
 * returns STORE_DB_BUSY at once instead of waiting for the write lock, so
 * the relay can keep publishing during a burst of writes. OK, BUSY or ERROR.
 */
int store_db_outbox_mark_sent(struct store_db *db, const int64_t *ids,
			      size_t n, double now_ms, int wait);

/* Deletes rows sent before before_ms. Returns rows deleted or ERROR. */
int store_db_outbox_prune(struct store_db *db, double before_ms);

/*
 * Unsent rows: their count and the commit time of the oldest (0 when none).
 * OK or ERROR; also serves as the health check of the database.
 */
int store_db_outbox_stats(struct store_db *db, int64_t *pending,
			  double *oldest_ms);

#endif
