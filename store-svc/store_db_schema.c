/* The schema of store-svc's database: created on first use, upgraded in
 * place from older versions, refused when newer. */
#include "store-svc/store_db_priv.h"

#include <stdio.h>
#include <string.h>

#include "common/log.h"

/* Version 1 (issue 2) had the columns up to deleted; version 2 adds the
 * rest of the store, the menu and the token digests; version 3 the
 * outbox's resync members (api/event.h). */
#define SCHEMA_VERSION 3

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS stores ("
	" id INTEGER PRIMARY KEY,"
	" owner TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" category TEXT NOT NULL,"
	" phone TEXT,"
	" status TEXT NOT NULL,"
	" version INTEGER NOT NULL,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL,"
	" deleted INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX IF NOT EXISTS stores_owner ON stores(owner, id)"
	" WHERE deleted = 0;"
	"CREATE TABLE IF NOT EXISTS outbox ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" event_id TEXT NOT NULL,"
	" store_id INTEGER NOT NULL,"
	" type TEXT NOT NULL,"
	" version INTEGER NOT NULL,"
	" fields TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" sent_at TEXT);"
	/* The relay reads unsent rows in id order; pruning reads sent ones by
	 * age. Partial indexes keep each small. */
	"CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox(id)"
	" WHERE sent_at IS NULL;"
	"CREATE INDEX IF NOT EXISTS outbox_sent ON outbox(sent_at)"
	" WHERE sent_at IS NOT NULL;"
	"CREATE TABLE IF NOT EXISTS tokens ("
	" hash TEXT PRIMARY KEY,"   /* SHA-256 of the token, hex */
	" role TEXT NOT NULL,"
	" owner TEXT);";

/* Added by version 2; ALTER TABLE adds them to a version 1 database. */
static const char *const columns_v2[] = {
	"address_road TEXT",
	"address_detail TEXT",
	"address_postal TEXT",
	"area TEXT",
	"hours TEXT",            /* the API's hours object, or NULL */
	"status_reason TEXT",
	"min_order INTEGER NOT NULL DEFAULT 0",
	"delivery_fee INTEGER NOT NULL DEFAULT 0",
	"description TEXT",
	"menu TEXT",             /* the canonical menu array, or NULL */
	"menu_seq INTEGER NOT NULL DEFAULT 0",
	NULL,
};

/* Added to the outbox by version 3: a resync row and its target service. */
static const char *const outbox_v3[] = {
	"resync INTEGER NOT NULL DEFAULT 0",
	"target TEXT",
	NULL,
};

/* Adds each of columns that table lacks; 0, or -1 with err. */
static int add_columns(sqlite3 *db, const char *table,
		       const char *const *columns, char *err, size_t errlen);

int store_db_exec(sqlite3 *db, const char *sql, const char *want, char *err,
		  size_t errlen)
{
	sqlite3_stmt *st = NULL;
	const char *tail = sql;
	int rc = SQLITE_OK;

	/* Statement by statement, so a PRAGMA's answer can be checked. */
	while (rc == SQLITE_OK && tail != NULL && *tail != '\0') {
		rc = sqlite3_prepare_v2(db, tail, -1, &st, &tail);
		if (rc != SQLITE_OK || st == NULL)
			break;
		do
			rc = sqlite3_step(st);
		while (rc == SQLITE_ROW && want == NULL);
		if (rc == SQLITE_ROW) {
			const char *got = (const char *)sqlite3_column_text(st, 0);

			if (got == NULL || strcmp(got, want) != 0) {
				snprintf(err, errlen, "%s answered %s, not %s",
					 sql, got ? got : "nothing", want);
				sqlite3_finalize(st);
				return -1;
			}
			rc = SQLITE_DONE;
		}
		sqlite3_finalize(st);
		st = NULL;
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* The integer a one-row, one-column query answers, or -1. */
static int64_t query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int add_columns(sqlite3 *db, const char *table,
		       const char *const *columns, char *err, size_t errlen)
{
	char sql[160];

	/* table and columns are this file's constants, never input. */
	for (size_t i = 0; columns[i] != NULL; i++) {
		char name[32];

		sscanf(columns[i], "%31s", name);
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM pragma_table_info('%s')"
			 " WHERE name = '%s'", table, name);
		if (query_int(db, sql) > 0)
			continue;
		snprintf(sql, sizeof(sql), "ALTER TABLE %s ADD COLUMN %s",
			 table, columns[i]);
		if (store_db_exec(db, sql, NULL, err, errlen))
			return -1;
	}
	return 0;
}

/*
 * Creates the tables, or brings a database of an older schema up to date
 * by adding the new columns, in one transaction (the two connections of one process may
 * both get here; the second finds the work done).
 */
static int migrate(sqlite3 *db, char *err, size_t errlen)
{
	char sql[160];

	if (store_db_exec(db, "BEGIN IMMEDIATE", NULL, err, errlen))
		return -1;
	if (store_db_exec(db, schema, NULL, err, errlen) ||
	    add_columns(db, "stores", columns_v2, err, errlen) ||
	    add_columns(db, "outbox", outbox_v3, err, errlen))
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", SCHEMA_VERSION);
	if (store_db_exec(db, sql, NULL, err, errlen) ||
	    store_db_exec(db, "COMMIT", NULL, err, errlen))
		goto fail;
	return 0;
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int store_db_schema_ready(sqlite3 *db, const char *path, char *err,
			  size_t errlen)
{
	int64_t version = query_int(db, "PRAGMA user_version");
	char why[256];

	if (version > SCHEMA_VERSION) {
		snprintf(err, errlen,
			 "database %s has schema %lld, newer than this store-svc knows (%d)",
			 path, (long long)version, SCHEMA_VERSION);
		return -1;
	}
	if (version == SCHEMA_VERSION)
		return 0;
	if (migrate(db, why, sizeof(why))) {
		snprintf(err, errlen, "database %s: upgrading the schema: %s",
			 path, why);
		return -1;
	}
	if (version > 0)
		log_info("database %s upgraded from schema %d to %d", path,
			 (int)version, SCHEMA_VERSION);
	return 0;
}
