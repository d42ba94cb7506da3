#include "search-svc/search_db.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "api/fields.h"
#include "common/log.h"

struct search_db {
	sqlite3 *writer;       /* the consumer's thread only */
	sqlite3_stmt *held;
	sqlite3_stmt *upsert;
	sqlite3_stmt *remove;

	pthread_mutex_t lock;  /* serialises the HTTP threads on reader */
	sqlite3 *reader;
	sqlite3_stmt *count;
};

/*
 * The FTS5 index reads its text from stores (external content); the
 * triggers keep it in step inside the same transaction as each write.
 */
static const char schema[] =
	"CREATE TABLE IF NOT EXISTS stores ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL DEFAULT '',"
	" category TEXT NOT NULL DEFAULT '',"
	" version INTEGER NOT NULL,"
	" deleted INTEGER NOT NULL DEFAULT 0);"
	"CREATE VIRTUAL TABLE IF NOT EXISTS stores_fts USING fts5("
	" name, category, content='stores', content_rowid='id',"
	" tokenize='trigram');"
	"CREATE TRIGGER IF NOT EXISTS stores_ai AFTER INSERT ON stores BEGIN"
	" INSERT INTO stores_fts(rowid, name, category)"
	"  VALUES (new.id, new.name, new.category);"
	"END;"
	"CREATE TRIGGER IF NOT EXISTS stores_ad AFTER DELETE ON stores BEGIN"
	" INSERT INTO stores_fts(stores_fts, rowid, name, category)"
	"  VALUES ('delete', old.id, old.name, old.category);"
	"END;"
	"CREATE TRIGGER IF NOT EXISTS stores_au AFTER UPDATE ON stores BEGIN"
	" INSERT INTO stores_fts(stores_fts, rowid, name, category)"
	"  VALUES ('delete', old.id, old.name, old.category);"
	" INSERT INTO stores_fts(rowid, name, category)"
	"  VALUES (new.id, new.name, new.category);"
	"END;";

/* Newer versions only: a replayed or reordered write changes nothing. */
static const char sql_upsert[] =
	"INSERT INTO stores (id, name, category, version, deleted)"
	" VALUES (?1, ?2, ?3, ?4, 0)"
	" ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
	" category = excluded.category, version = excluded.version, deleted = 0"
	" WHERE excluded.version > stores.version";

static const char sql_remove[] =
	"INSERT INTO stores (id, name, category, version, deleted)"
	" VALUES (?1, '', '', ?2, 1)"
	" ON CONFLICT (id) DO UPDATE SET name = '', category = '',"
	" version = excluded.version, deleted = 1"
	" WHERE excluded.version >= stores.version";

static int open_conn(const char *path, sqlite3 **out, char *err, size_t errlen)
{
	int rc = sqlite3_open_v2(path, out,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					 SQLITE_OPEN_NOMUTEX,
				 NULL);

	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
			 *out ? sqlite3_errmsg(*out) : sqlite3_errstr(rc));
		return -1;
	}
	sqlite3_busy_timeout(*out, 5000);
	return 0;
}

static int exec(sqlite3 *conn, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;

	if (sqlite3_exec(conn, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(conn));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int prepare(sqlite3 *conn, const char *sql, sqlite3_stmt **stmt,
		   char *err, size_t errlen)
{
	if (sqlite3_prepare_v3(conn, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt,
			       NULL) != SQLITE_OK) {
		snprintf(err, errlen, "preparing a statement: %s",
			 sqlite3_errmsg(conn));
		return -1;
	}
	return 0;
}

struct search_db *search_db_open(const char *path, char *err, size_t errlen)
{
	struct search_db *db = calloc(1, sizeof(*db));

	if (db == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&db->lock, NULL);
	if (open_conn(path, &db->writer, err, errlen) ||
	    exec(db->writer,
		 "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
		 err, errlen) ||
	    exec(db->writer, schema, err, errlen) ||
	    prepare(db->writer, "SELECT version FROM stores WHERE id = ?1",
		    &db->held, err, errlen) ||
	    prepare(db->writer, sql_upsert, &db->upsert, err, errlen) ||
	    prepare(db->writer, sql_remove, &db->remove, err, errlen) ||
	    open_conn(path, &db->reader, err, errlen) ||
	    prepare(db->reader, "SELECT count(*) FROM stores WHERE deleted = 0",
		    &db->count, err, errlen)) {
		search_db_close(db);
		return NULL;
	}
	return db;
}

void search_db_close(struct search_db *db)
{
	if (db == NULL)
		return;
	sqlite3_finalize(db->held);
	sqlite3_finalize(db->upsert);
	sqlite3_finalize(db->remove);
	sqlite3_finalize(db->count);
	sqlite3_close(db->reader);
	sqlite3_close(db->writer);
	pthread_mutex_destroy(&db->lock);
	free(db);
}

static int port_held_version(void *ctx, int64_t store_id, int64_t *version)
{
	struct search_db *db = ctx;
	int rc;

	sqlite3_bind_int64(db->held, 1, store_id);
	rc = sqlite3_step(db->held);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int64(db->held, 0);
	else if (rc == SQLITE_DONE)
		*version = 0;
	else
		log_error("search db: reading store %" PRId64 ": %s", store_id,
			  sqlite3_errmsg(db->writer));
	sqlite3_reset(db->held);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Runs a prepared write to completion and resets it; 0 or -1 (logged). */
static int step_write(struct search_db *db, sqlite3_stmt *stmt,
		      const char *what, int64_t store_id)
{
	int rc = sqlite3_step(stmt);

	if (rc != SQLITE_DONE)
		log_error("search db: %s store %" PRId64 ": %s", what, store_id,
			  sqlite3_errmsg(db->writer));
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* A string member, "" when absent or null. */
static const char *text_of(const json_t *store, const char *key)
{
	const char *v = json_string_value(json_object_get(store, key));

	return v ? v : "";
}

static int port_upsert(void *ctx, const json_t *store)
{
	struct search_db *db = ctx;
	json_t *jid = json_object_get(store, "id");
	json_t *jv = json_object_get(store, "version");
	int64_t id;

	if (!json_is_integer(jid) || json_integer_value(jid) <= 0 ||
	    !json_is_integer(jv) || json_integer_value(jv) <= 0) {
		log_error("search db: a store without a valid id and version");
		return -1;
	}
	id = (int64_t)json_integer_value(jid);
	sqlite3_bind_int64(db->upsert, 1, id);
	sqlite3_bind_text(db->upsert, 2, text_of(store, "name"), -1,
			  SQLITE_TRANSIENT);
	sqlite3_bind_text(db->upsert, 3, text_of(store, "category"), -1,
			  SQLITE_TRANSIENT);
	sqlite3_bind_int64(db->upsert, 4, (int64_t)json_integer_value(jv));
	return step_write(db, db->upsert, "writing", id);
}

static int port_remove(void *ctx, int64_t store_id, int64_t version)
{
	struct search_db *db = ctx;

	sqlite3_bind_int64(db->remove, 1, store_id);
	sqlite3_bind_int64(db->remove, 2, version);
	return step_write(db, db->remove, "removing", store_id);
}

void search_db_port(struct search_db *db, struct replica_port *port)
{
	memset(port, 0, sizeof(*port));
	port->ctx = db;
	port->held_version = port_held_version;
	port->upsert = port_upsert;
	port->remove = port_remove;
	port->fields = STORE_F_NAME | STORE_F_CATEGORY;
}

/*
 * The statement for q's shape; values are bound, never spliced in:
 * ?1 the MATCH expression, ?2 the limit, ?3.. the LIKE patterns.
 */
static char *search_sql(const struct search_query *q)
{
	size_t cap = 512 + q->nlike * 96;
	char *sql = malloc(cap);
	size_t n;

	if (sql == NULL)
		return NULL;
	if (q->match != NULL)
		n = (size_t)snprintf(sql, cap,
				     "SELECT s.id FROM stores_fts"
				     " JOIN stores s ON s.id = stores_fts.rowid"
				     " WHERE stores_fts MATCH ?1 AND s.deleted = 0");
	else
		n = (size_t)snprintf(sql, cap,
				     "SELECT s.id FROM stores s WHERE s.deleted = 0");
	for (size_t k = 0; k < q->nlike; k++)
		n += (size_t)snprintf(sql + n, cap - n,
				      " AND (s.name LIKE ?%zu ESCAPE '\\'"
				      " OR s.category LIKE ?%zu ESCAPE '\\')",
				      k + 3, k + 3);
	if (q->match != NULL)
		snprintf(sql + n, cap - n,
			 " ORDER BY bm25(stores_fts), s.id LIMIT ?2");
	else
		snprintf(sql + n, cap - n,
			 " ORDER BY (s.name LIKE ?3 ESCAPE '\\') DESC,"
			 " length(s.name), s.id LIMIT ?2");
	return sql;
}

int search_db_search(struct search_db *db, const struct search_query *q,
		     int64_t *ids, size_t max, size_t *n)
{
	char *sql = search_sql(q);
	sqlite3_stmt *stmt = NULL;
	int rc = SQLITE_ERROR;

	*n = 0;
	if (sql == NULL)
		return -1;
	pthread_mutex_lock(&db->lock);
	if (sqlite3_prepare_v2(db->reader, sql, -1, &stmt, NULL) == SQLITE_OK) {
		if (q->match != NULL)
			sqlite3_bind_text(stmt, 1, q->match, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 2, (int64_t)max);
		for (size_t k = 0; k < q->nlike; k++)
			sqlite3_bind_text(stmt, (int)k + 3, q->like[k], -1,
					  SQLITE_STATIC);
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && *n < max)
			ids[(*n)++] = sqlite3_column_int64(stmt, 0);
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		log_error("search db: searching: %s", sqlite3_errmsg(db->reader));
	sqlite3_finalize(stmt);
	pthread_mutex_unlock(&db->lock);
	free(sql);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

int search_db_count(struct search_db *db, int64_t *count, char *err,
		    size_t errlen)
{
	int rc;

	pthread_mutex_lock(&db->lock);
	rc = sqlite3_step(db->count);
	if (rc == SQLITE_ROW)
		*count = sqlite3_column_int64(db->count, 0);
	else
		snprintf(err, errlen, "%s", sqlite3_errmsg(db->reader));
	sqlite3_reset(db->count);
	pthread_mutex_unlock(&db->lock);
	return rc == SQLITE_ROW ? 0 : -1;
}
