#include "consumer/ds_sqlite.h"

#include <stdio.h>
#include <string.h>

int ds_sqlite_open(const char *path, sqlite3 **out, char *err, size_t errlen)
{
	int rc = sqlite3_open_v2(path, out,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					 SQLITE_OPEN_NOMUTEX,
				 NULL);

	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
			 *out ? sqlite3_errmsg(*out) : sqlite3_errstr(rc));
		sqlite3_close(*out);
		*out = NULL;
		return -1;
	}
	sqlite3_busy_timeout(*out, 5000);
	if (ds_sqlite_exec(*out,
			   "PRAGMA journal_mode = WAL;"
			   " PRAGMA synchronous = NORMAL;"
			   " PRAGMA foreign_keys = ON;",
			   err, errlen)) {
		sqlite3_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int ds_sqlite_exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int ds_sqlite_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **stmt,
		      char *err, size_t errlen)
{
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt,
			       NULL) != SQLITE_OK) {
		snprintf(err, errlen, "preparing a statement: %s",
			 sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

int ds_sqlite_user_version(sqlite3 *db, int *version)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL) !=
	    SQLITE_OK)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW ? 0 : -1;
}

int ds_sqlite_begin(sqlite3 *db)
{
	return sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) ==
			       SQLITE_OK
		       ? 0
		       : -1;
}

int ds_sqlite_commit(sqlite3 *db)
{
	return sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0
									 : -1;
}

void ds_sqlite_rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

int ds_sqlite_step_done(sqlite3_stmt *stmt)
{
	int rc = sqlite3_step(stmt);

	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

void ds_sqlite_bind_text(sqlite3_stmt *stmt, int col, const char *text)
{
	if (text == NULL)
		sqlite3_bind_null(stmt, col);
	else
		sqlite3_bind_text(stmt, col, text, -1, SQLITE_TRANSIENT);
}

json_t *ds_sqlite_page(sqlite3_stmt *stmt, int limit)
{
	json_t *list = json_array();
	sqlite3_int64 last = 0;
	int rc = SQLITE_DONE, rows = 0;

	while (list != NULL && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		json_t *row = json_object();

		for (int col = 0; row != NULL && col < sqlite3_column_count(stmt);
		     col++) {
			const char *name = sqlite3_column_name(stmt, col);
			json_t *v;

			switch (sqlite3_column_type(stmt, col)) {
			case SQLITE_INTEGER:
				v = strcmp(name, "deleted") == 0
					    ? json_boolean(sqlite3_column_int(stmt, col))
					    : json_integer(sqlite3_column_int64(stmt, col));
				break;
			case SQLITE_FLOAT:
				v = json_real(sqlite3_column_double(stmt, col));
				break;
			case SQLITE_TEXT:
				v = json_stringn((const char *)sqlite3_column_text(stmt, col),
						 (size_t)sqlite3_column_bytes(stmt, col));
				break;
			default:
				v = json_null();
				break;
			}
			json_object_set_new(row, name, v);
		}
		last = sqlite3_column_int64(stmt, 0);
		rows++;
		json_array_append_new(list, row);
	}
	sqlite3_reset(stmt);
	if (list == NULL || rc != SQLITE_DONE) {
		json_decref(list);
		return NULL;
	}
	return json_pack("{s:o, s:o}", "stores", list, "next",
			 rows == limit ? json_integer(last) : json_null());
}
