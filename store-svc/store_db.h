#ifndef STORECTL_STORE_DB_H
#define STORECTL_STORE_DB_H

#include <stddef.h>
#include <stdint.h>

#include "api/event.h"
#include "store-svc/store.h"
#include "common/auth.h"

/*
 * The SQLite adapter of store-svc: stores, their outbox and the token
 * digests in one file (WAL mode). Every change to a store writes its outbox
 * row in the same transaction, so no change exists without its event
 * (DESIGN.md, "No change without its event").
 *
 * One handle is one connection with every statement prepared once when it
 * opens (no SQL is built from request data); a mutex serialises its users,
 * so one handle may be shared by the HTTP threads. The relay opens a handle
 * of its own.
 *
 * Stores read from the database hold their own menu reference: release
 * them with store_model_clear.
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
 * Opens (creating when needed, upgrading a database of an older schema)
 * the database at path. durable selects synchronous=FULL, so a commit
 * survives a power cut, not only a crash; the relay's handle can do
 * without. Returns NULL with a reason in err.
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
 * Decides an edit of cur (a live store). next starts as a copy of cur with
 * a menu reference of its own (store_model_clear it before overwriting
 * it). For WRITE fn leaves the new store in *next (id, version and
 * timestamps are set by the adapter) and *fields with the STORE_F_* bits
 * that change. Runs inside the transaction with the handle's lock held:
 * keep it short and never call back into the adapter.
 */
typedef enum store_edit (*store_edit_fn)(void *ctx, const struct store *cur,
					 struct store *next, uint32_t *fields);

/*
 * Reads store id and applies fn's decision in one BEGIN IMMEDIATE
 * transaction, so concurrent edits see each other's versions. Returns
 * STORE_DB_OK with *result the store after the edit (for KEEP the current
 * one) and *wrote 1 when a change was committed; NOT_FOUND without calling
 * fn; GONE (with *result the tombstone) without calling fn; REFUSED with
 * *result the current store; or ERROR. *result holds a menu reference for
 * OK, GONE and REFUSED.
 */
int store_db_edit(struct store_db *db, int64_t id, store_edit_fn fn,
		  void *ctx, struct store *result, int *wrote);

/* The filters of a list; NULL members match anything. */
struct store_filter {
	const char *owner;
	const char *area;
	const char *category;
	const char *status;
	const char *text; /* a substring of name, description or an item name
			     (ASCII letters compared without case) */
};

/*
 * Live stores ordered by id: those with id > after_id that pass every
 * filter, at most limit. Calls fn for each (fn must not call back into the
 * adapter, and must copy what it keeps: s is released after the call).
 * Returns STORE_DB_OK or ERROR.
 */
int store_db_list(struct store_db *db, const struct store_filter *f,
		  int64_t after_id, int limit,
		  void (*fn)(void *ctx, const struct store *s), void *ctx);

/*
 * Every store among ids[0..n), tombstones included (deleted = 1), ordered
 * by id; ids never seen are simply not reported. fn as for store_db_list.
 * Returns OK or ERROR.
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

/*
 * Announces stores again without changing them (storectl resync): an
 * outbox row per store among ids[0..n), or per store of the database when
 * ids is NULL, marked resync (api/event.h) and for target when not NULL:
 * "updated" at its version for a live store, "deleted" at its delete
 * version for a tombstone, with every field named. Ids no store ever had
 * go into missing[] (room for n) and *nmissing. Commits every 500 stores,
 * so a failure keeps the batches before it. Returns the rows written, or
 * STORE_DB_ERROR.
 */
int64_t store_db_resync(struct store_db *db, const int64_t *ids, size_t n,
			const char *target, int64_t *missing, size_t *nmissing);

/*
 * Replaces every stored token digest with tokens[0..n), in one
 * transaction. OK or ERROR.
 */
int store_db_tokens_replace(struct store_db *db,
			    const struct auth_token *tokens, size_t n);

/*
 * The stored token digests into *out (malloc'd, NULL when there are none)
 * and *n. OK or ERROR.
 */
int store_db_tokens_load(struct store_db *db, struct auth_token **out,
			 size_t *n);

#endif
