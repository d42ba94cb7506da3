#ifndef STORECTL_DS_SQLITE_H
#define STORECTL_DS_SQLITE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

/*
 * The SQLite set-up every downstream service's adapter shares: a
 * connection in WAL mode with a busy timeout, schema scripts, persistent
 * prepared statements and transactions. Adapters only; domain code never
 * includes this.
 */

/*
 * Opens (creating when needed) path with journal_mode WAL, synchronous
 * NORMAL, foreign keys on and a 5 s busy timeout. Returns 0 with *out set,
 * or -1 with "path: reason" in err (*out is then NULL).
 */
int ds_sqlite_open(const char *path, sqlite3 **out, char *err, size_t errlen);

/* Runs a script of statements; 0, or -1 with SQLite's reason in err. */
int ds_sqlite_exec(sqlite3 *db, const char *sql, char *err, size_t errlen);

/* Prepares one statement to keep (SQLITE_PREPARE_PERSISTENT); 0 or -1. */
int ds_sqlite_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **stmt,
		      char *err, size_t errlen);

/* PRAGMA user_version: the schema version a service's migrations keep. */
int ds_sqlite_user_version(sqlite3 *db, int *version);

/*
 * BEGIN IMMEDIATE (the write lock at once, so that a transaction never
 * fails half-way on a busy database), COMMIT and ROLLBACK. 0 or -1
 * (logged by the caller with sqlite3_errmsg).
 */
int ds_sqlite_begin(sqlite3 *db);
int ds_sqlite_commit(sqlite3 *db);
void ds_sqlite_rollback(sqlite3 *db);

/*
 * Steps a write statement to its end, then resets it and clears its
 * bindings. Returns 0, or -1 (the statement is reset all the same).
 */
int ds_sqlite_step_done(sqlite3_stmt *stmt);

/* Binds text (copied) or NULL when text is NULL. */
void ds_sqlite_bind_text(sqlite3_stmt *stmt, int col, const char *text);

/*
 * One page of a copy for GET /replica/stores: steps stmt (bound by the
 * caller, first column the id, ordered by it, at most limit rows) and
 * renders {"stores":[{column: value, ...}], "next": last id | null}: each
 * row an object keyed by the column names, integers and texts as such, a
 * column named "deleted" as a boolean. Resets stmt. NULL on failure.
 */
json_t *ds_sqlite_page(sqlite3_stmt *stmt, int limit);

#endif
