#ifndef STORECTL_STORE_DB_PRIV_H
#define STORECTL_STORE_DB_PRIV_H

/*
 * Internals shared by the files of the SQLite adapter (store_db.c: the
 * connection and the stores; store_db_outbox.c: the outbox). Nothing else
 * includes this.
 */

#include <pthread.h>
#include <stdint.h>

#include <sqlite3.h>

#include "store-svc/store_db.h"

enum stmt_id {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_GET,
	ST_INSERT,
	ST_UPDATE,
	ST_TOMBSTONE,
	ST_OUTBOX_ADD,
	ST_LIST_ALL,
	ST_LIST_OWNER,
	ST_TOKENS_CLEAR,
	ST_TOKENS_ADD,
	ST_TOKENS_ALL,
	ST_GET_MANY,
	ST_PENDING,
	ST_MARK_SENT,
	ST_PRUNE,
	ST_STATS,
	ST_COUNT
};

/* SQL of each statement, prepared once when the handle opens. */
extern const char *const store_db_sql[ST_COUNT];

/*
 * Read-only connections for single-store reads (store_db_get): an HTTP
 * thread takes the reader of its slot, so reads neither queue behind the
 * writer's lock nor take turns on one connection (WAL lets them run beside
 * a write). Opened on first use; the relay's handle never opens one.
 */
#define STORE_DB_READERS 4

struct store_db_reader {
	pthread_mutex_t lock;
	sqlite3 *db;
	sqlite3_stmt *get;
	int failed; /* could not open: the slot reads through the writer */
};

struct store_db {
	sqlite3 *db;
	pthread_mutex_t lock;
	sqlite3_stmt *st[ST_COUNT];
	char *path; /* for the readers; NULL: in memory, no readers */
	struct store_db_reader reader[STORE_DB_READERS];
	/* Busy handler state; only touched with lock held. */
	int no_wait;
	double busy_since_ms;
};

/*
 * Runs sql (one or more statements, no parameters: only the adapter's own
 * constants). With want, the first statement's answer must be that text
 * (e.g. "wal" for a journal mode). 0, or -1 with the reason in err.
 */
int store_db_exec(sqlite3 *db, const char *sql, const char *want, char *err,
		  size_t errlen);

/*
 * Creates the schema, upgrades an older one, refuses a newer one. 0, or -1
 * with the reason in err.
 */
int store_db_schema_ready(sqlite3 *db, const char *path, char *err,
			  size_t errlen);

/* Logs the connection's last error with what failed. */
void store_db_fail(struct store_db *db, const char *what);

/* Resets a statement and clears its bindings for the next use. */
void store_db_reset(sqlite3_stmt *st);

/* Runs a statement that returns no rows; 0, or -1 after logging. */
int store_db_run(struct store_db *db, enum stmt_id id);

/* Commits; on failure rolls back and returns -1. */
int store_db_commit(struct store_db *db);

/* Rolls back the open transaction, if any. */
void store_db_rollback(struct store_db *db);

/* Copies a text column (NULL as "") into dst, truncating to len. */
void store_db_copy_col(sqlite3_stmt *st, int col, char *dst, size_t len);

/*
 * Adds the outbox row of a change inside the caller's transaction: a new
 * random event id, the change's type and version, the names of fields, and
 * at (the commit time, ISO-8601). 0 or -1.
 */
int store_db_outbox_add(struct store_db *db, int64_t store_id,
			enum store_event_type type, int64_t version,
			uint32_t fields, const char *at);

#endif
