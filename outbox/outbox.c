#include "outbox/outbox.h"

#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

struct outbox_writer {
	sqlite3_stmt *insert;
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS outbox ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" topic TEXT NOT NULL,"
	" key TEXT NOT NULL,"
	" value TEXT NOT NULL,"
	" created_at REAL NOT NULL,"
	" sent_at REAL);"
	"CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (id)"
	" WHERE sent_at IS NULL;";

int outbox_schema(struct sqlite3 *db, char *err, size_t errlen)
{
	char *msg = NULL;

	if (sqlite3_exec(db, schema, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "outbox: %s",
			 msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

struct outbox_writer *outbox_writer_new(struct sqlite3 *db, char *err,
					size_t errlen)
{
	struct outbox_writer *w = calloc(1, sizeof(*w));

	if (w == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (sqlite3_prepare_v3(db,
			       "INSERT INTO outbox (topic, key, value, created_at)"
			       " VALUES (?1, ?2, ?3, ?4)",
			       -1, SQLITE_PREPARE_PERSISTENT, &w->insert,
			       NULL) != SQLITE_OK) {
		snprintf(err, errlen, "outbox: %s", sqlite3_errmsg(db));
		free(w);
		return NULL;
	}
	return w;
}

int outbox_writer_add(struct outbox_writer *w, const char *topic,
		      const char *key, const char *value, double now_ms)
{
	int rc;

	sqlite3_bind_text(w->insert, 1, topic, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->insert, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->insert, 3, value, -1, SQLITE_STATIC);
	sqlite3_bind_double(w->insert, 4, now_ms);
	rc = sqlite3_step(w->insert);
	sqlite3_reset(w->insert);
	sqlite3_clear_bindings(w->insert);
	return rc == SQLITE_DONE ? 0 : -1;
}

void outbox_writer_free(struct outbox_writer *w)
{
	if (w == NULL)
		return;
	sqlite3_finalize(w->insert);
	free(w);
}

int outbox_pending(struct sqlite3 *db, int64_t *pending, double *oldest_ms)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	/* Prepared each time: called for /health and /metrics only. */
	if (sqlite3_prepare_v2(db,
			       "SELECT count(*), coalesce(min(created_at), 0)"
			       " FROM outbox WHERE sent_at IS NULL",
			       -1, &stmt, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*pending = sqlite3_column_int64(stmt, 0);
		*oldest_ms = sqlite3_column_double(stmt, 1);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW ? 0 : -1;
}
