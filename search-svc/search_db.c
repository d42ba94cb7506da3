#include "search-svc/search_db.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/fields.h"
#include "common/log.h"
#include "consumer/ds_sqlite.h"

/* PRAGMA user_version of the schema below. */
#define SCHEMA_VERSION 2

struct search_db {
	sqlite3 *writer;       /* the consumer's thread only */
	sqlite3_stmt *held;
	sqlite3_stmt *upsert;
	sqlite3_stmt *remove;
	sqlite3_stmt *forget;

	pthread_mutex_t lock;  /* serialises the HTTP threads on reader */
	sqlite3 *reader;
	sqlite3_stmt *count;
	sqlite3_stmt *replica;
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
	" deleted INTEGER NOT NULL DEFAULT 0,"
	" area TEXT NOT NULL DEFAULT '',"
	" menu TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX IF NOT EXISTS stores_area ON stores (area, category)"
	" WHERE deleted = 0;"
	"CREATE VIRTUAL TABLE IF NOT EXISTS stores_fts USING fts5("
	" name, category, menu, content='stores', content_rowid='id',"
	" tokenize='trigram');"
	"CREATE TRIGGER IF NOT EXISTS stores_ai AFTER INSERT ON stores BEGIN"
	" INSERT INTO stores_fts(rowid, name, category, menu)"
	"  VALUES (new.id, new.name, new.category, new.menu);"
	"END;"
	"CREATE TRIGGER IF NOT EXISTS stores_ad AFTER DELETE ON stores BEGIN"
	" INSERT INTO stores_fts(stores_fts, rowid, name, category, menu)"
	"  VALUES ('delete', old.id, old.name, old.category, old.menu);"
	"END;"
	"CREATE TRIGGER IF NOT EXISTS stores_au AFTER UPDATE ON stores BEGIN"
	" INSERT INTO stores_fts(stores_fts, rowid, name, category, menu)"
	"  VALUES ('delete', old.id, old.name, old.category, old.menu);"
	" INSERT INTO stores_fts(rowid, name, category, menu)"
	"  VALUES (new.id, new.name, new.category, new.menu);"
	"END;";

/*
 * From the first schema (name and category only): the index is rebuilt
 * with the menu column, and live rows are marked as holding nothing
 * (version 0) so that each store's next event fetches it whole.
 */
static const char upgrade_from_1[] =
	"DROP TRIGGER IF EXISTS stores_ai;"
	"DROP TRIGGER IF EXISTS stores_ad;"
	"DROP TRIGGER IF EXISTS stores_au;"
	"DROP TABLE IF EXISTS stores_fts;"
	"ALTER TABLE stores ADD COLUMN area TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE stores ADD COLUMN menu TEXT NOT NULL DEFAULT '';"
	"UPDATE stores SET version = 0 WHERE deleted = 0;";

/* Newer versions only: a replayed or reordered write changes nothing. */
static const char sql_upsert[] =
	"INSERT INTO stores (id, name, category, area, menu, version, deleted)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)"
	" ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
	" category = excluded.category, area = excluded.area,"
	" menu = excluded.menu, version = excluded.version, deleted = 0"
	" WHERE excluded.version > stores.version";

static const char sql_remove[] =
	"INSERT INTO stores (id, name, category, area, menu, version, deleted)"
	" VALUES (?1, '', '', '', '', ?2, 1)"
	" ON CONFLICT (id) DO UPDATE SET name = '', category = '', area = '',"
	" menu = '', version = excluded.version, deleted = 1"
	" WHERE excluded.version >= stores.version";

/* The row goes, and with it (the delete trigger) its FTS entry. */
static const char sql_forget[] = "UPDATE stores SET version = 0 WHERE id = ?1";

static const char sql_replica[] =
	"SELECT id, version, deleted, name, category, area, menu FROM stores"
	" WHERE id > ?1 ORDER BY id LIMIT ?2";

/* Creates or upgrades the schema in one transaction. */
static int migrate(sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *stmt = NULL;
	int version = 0, old = 0;

	if (ds_sqlite_user_version(db, &version)) {
		snprintf(err, errlen, "reading the schema version: %s",
			 sqlite3_errmsg(db));
		return -1;
	}
	if (version == SCHEMA_VERSION)
		return 0;
	if (version > SCHEMA_VERSION) {
		snprintf(err, errlen,
			 "schema version %d is newer than this search-svc knows (%d)",
			 version, SCHEMA_VERSION);
		return -1;
	}
	if (ds_sqlite_begin(db)) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		return -1;
	}
	/* The first schema had no user_version: a stores table without an
	 * area column. */
	if (sqlite3_prepare_v2(db,
			       "SELECT (SELECT count(*) FROM sqlite_master"
			       " WHERE type = 'table' AND name = 'stores') > 0"
			       " AND (SELECT count(*) FROM pragma_table_info('stores')"
			       " WHERE name = 'area') = 0",
			       -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		old = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	if ((old && ds_sqlite_exec(db, upgrade_from_1, err, errlen)) ||
	    ds_sqlite_exec(db, schema, err, errlen) ||
	    (old && ds_sqlite_exec(db,
				   "INSERT INTO stores_fts(stores_fts)"
				   " VALUES ('rebuild');",
				   err, errlen)) ||
	    ds_sqlite_exec(db, "PRAGMA user_version = 2;", err, errlen) ||
	    ds_sqlite_commit(db)) {
		if (err[0] == '\0')
			snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		ds_sqlite_rollback(db);
		return -1;
	}
	if (old)
		log_warn("search db: upgraded to schema %d; stores already held are "
			 "fetched again on their next event (storectl resync does it "
			 "for all)",
			 SCHEMA_VERSION);
	return 0;
}

struct search_db *search_db_open(const char *path, char *err, size_t errlen)
{
	struct search_db *db = calloc(1, sizeof(*db));

	if (db == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	err[0] = '\0';
	pthread_mutex_init(&db->lock, NULL);
	if (ds_sqlite_open(path, &db->writer, err, errlen) ||
	    migrate(db->writer, err, errlen) ||
	    ds_sqlite_prepare(db->writer,
			      "SELECT version FROM stores WHERE id = ?1",
			      &db->held, err, errlen) ||
	    ds_sqlite_prepare(db->writer, sql_upsert, &db->upsert, err,
			      errlen) ||
	    ds_sqlite_prepare(db->writer, sql_remove, &db->remove, err,
			      errlen) ||
	    ds_sqlite_prepare(db->writer, sql_forget, &db->forget, err,
			      errlen) ||
	    ds_sqlite_open(path, &db->reader, err, errlen) ||
	    ds_sqlite_prepare(db->reader,
			      "SELECT count(*) FROM stores WHERE deleted = 0",
			      &db->count, err, errlen) ||
	    ds_sqlite_prepare(db->reader, sql_replica, &db->replica, err,
			      errlen)) {
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
	sqlite3_finalize(db->forget);
	sqlite3_finalize(db->count);
	sqlite3_finalize(db->replica);
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
	if (ds_sqlite_step_done(stmt) == 0)
		return 0;
	log_error("search db: %s store %" PRId64 ": %s", what, store_id,
		  sqlite3_errmsg(db->writer));
	return -1;
}

/* A string member, "" when absent or null. */
static const char *text_of(const json_t *store, const char *key)
{
	const char *v = json_string_value(json_object_get(store, key));

	return v ? v : "";
}

/*
 * The menu's item names, one per line (a name has no line break), into a
 * malloc'd string; "" for no menu. NULL when out of memory.
 */
static char *menu_names(const json_t *store)
{
	const json_t *menu = json_object_get(store, "menu");
	const json_t *item;
	size_t i, len = 0, n = 0;
	char *out;

	json_array_foreach(menu, i, item) {
		const char *name = json_string_value(json_object_get(item, "name"));

		if (name != NULL)
			len += strlen(name) + 1;
	}
	out = malloc(len + 1);
	if (out == NULL)
		return NULL;
	json_array_foreach(menu, i, item) {
		const char *name = json_string_value(json_object_get(item, "name"));
		size_t l;

		if (name == NULL)
			continue;
		l = strlen(name);
		if (n > 0)
			out[n++] = '\n';
		memcpy(out + n, name, l);
		n += l;
	}
	out[n] = '\0';
	return out;
}

static int port_upsert(void *ctx, const json_t *store)
{
	struct search_db *db = ctx;
	json_t *jid = json_object_get(store, "id");
	json_t *jv = json_object_get(store, "version");
	char *menu;
	int64_t id;
	int rc;

	if (!json_is_integer(jid) || json_integer_value(jid) <= 0 ||
	    !json_is_integer(jv) || json_integer_value(jv) <= 0) {
		log_error("search db: a store without a valid id and version");
		return -1;
	}
	id = (int64_t)json_integer_value(jid);
	menu = menu_names(store);
	if (menu == NULL) {
		log_error("search db: out of memory reading store %" PRId64
			  "'s menu", id);
		return -1;
	}
	sqlite3_bind_int64(db->upsert, 1, id);
	ds_sqlite_bind_text(db->upsert, 2, text_of(store, "name"));
	ds_sqlite_bind_text(db->upsert, 3, text_of(store, "category"));
	ds_sqlite_bind_text(db->upsert, 4, text_of(store, "area"));
	ds_sqlite_bind_text(db->upsert, 5, menu);
	sqlite3_bind_int64(db->upsert, 6, (int64_t)json_integer_value(jv));
	rc = step_write(db, db->upsert, "writing", id);
	free(menu);
	return rc;
}

static int port_remove(void *ctx, int64_t store_id, int64_t version)
{
	struct search_db *db = ctx;

	sqlite3_bind_int64(db->remove, 1, store_id);
	sqlite3_bind_int64(db->remove, 2, version);
	return step_write(db, db->remove, "removing", store_id);
}

static int port_forget(void *ctx, int64_t store_id)
{
	struct search_db *db = ctx;

	sqlite3_bind_int64(db->forget, 1, store_id);
	return step_write(db, db->forget, "forgetting", store_id);
}

void search_db_port(struct search_db *db, struct replica_port *port)
{
	memset(port, 0, sizeof(*port));
	port->ctx = db;
	port->held_version = port_held_version;
	port->upsert = port_upsert;
	port->remove = port_remove;
	port->forget = port_forget;
	port->fields = STORE_F_NAME | STORE_F_CATEGORY | STORE_F_AREA |
		       STORE_F_MENU;
}

/*
 * The statement for f's shape; values are bound, never spliced in:
 * ?1 the MATCH expression, ?2 the limit, ?3 area, ?4 category, ?5.. the
 * LIKE patterns.
 */
static char *search_sql(const struct search_filter *f)
{
	const struct search_query *q = f->q;
	size_t nlike = q ? q->nlike : 0;
	size_t cap = 768 + nlike * 128;
	char *sql = malloc(cap);
	size_t n;

	if (sql == NULL)
		return NULL;
	if (q != NULL && q->match != NULL)
		n = (size_t)snprintf(sql, cap,
				     "SELECT s.id FROM stores_fts"
				     " JOIN stores s ON s.id = stores_fts.rowid"
				     " WHERE stores_fts MATCH ?1 AND s.deleted = 0");
	else
		n = (size_t)snprintf(sql, cap,
				     "SELECT s.id FROM stores s WHERE s.deleted = 0");
	if (f->area != NULL)
		n += (size_t)snprintf(sql + n, cap - n, " AND s.area = ?3");
	if (f->category != NULL)
		n += (size_t)snprintf(sql + n, cap - n, " AND s.category = ?4");
	for (size_t k = 0; k < nlike; k++)
		n += (size_t)snprintf(sql + n, cap - n,
				      " AND (s.name LIKE ?%zu ESCAPE '\\'"
				      " OR s.category LIKE ?%zu ESCAPE '\\'"
				      " OR s.menu LIKE ?%zu ESCAPE '\\')",
				      k + 5, k + 5, k + 5);
	if (q != NULL && q->match != NULL)
		snprintf(sql + n, cap - n,
			 " ORDER BY bm25(stores_fts, 10.0, 1.0, 3.0), s.id"
			 " LIMIT ?2");
	else if (nlike > 0)
		snprintf(sql + n, cap - n,
			 " ORDER BY (s.name LIKE ?5 ESCAPE '\\') DESC,"
			 " (s.category LIKE ?5 ESCAPE '\\') DESC,"
			 " length(s.name), s.id LIMIT ?2");
	else
		snprintf(sql + n, cap - n, " ORDER BY s.name, s.id LIMIT ?2");
	return sql;
}

int search_db_search(struct search_db *db, const struct search_filter *f,
		     int64_t *ids, size_t max, size_t *n)
{
	const struct search_query *q = f->q;
	char *sql = search_sql(f);
	sqlite3_stmt *stmt = NULL;
	int rc = SQLITE_ERROR;

	*n = 0;
	if (sql == NULL)
		return -1;
	pthread_mutex_lock(&db->lock);
	if (sqlite3_prepare_v2(db->reader, sql, -1, &stmt, NULL) == SQLITE_OK) {
		if (q != NULL && q->match != NULL)
			sqlite3_bind_text(stmt, 1, q->match, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 2, (int64_t)max);
		if (f->area != NULL)
			sqlite3_bind_text(stmt, 3, f->area, -1, SQLITE_STATIC);
		if (f->category != NULL)
			sqlite3_bind_text(stmt, 4, f->category, -1,
					  SQLITE_STATIC);
		for (size_t k = 0; q != NULL && k < q->nlike; k++)
			sqlite3_bind_text(stmt, (int)k + 5, q->like[k], -1,
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

/* The menu column back as an array of names. */
static json_t *menu_array(const char *text)
{
	json_t *list = json_array();

	while (list != NULL && text != NULL && *text != '\0') {
		const char *end = strchr(text, '\n');
		size_t len = end ? (size_t)(end - text) : strlen(text);

		json_array_append_new(list, json_stringn(text, len));
		text = end ? end + 1 : NULL;
	}
	return list;
}

static const char *column_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *t = sqlite3_column_text(stmt, col);

	return t ? (const char *)t : "";
}

json_t *search_db_replica(struct search_db *db, int64_t after, int limit)
{
	json_t *list = json_array(), *out;
	int64_t last = 0;
	int rc, rows = 0;

	if (list == NULL)
		return NULL;
	pthread_mutex_lock(&db->lock);
	sqlite3_bind_int64(db->replica, 1, after);
	sqlite3_bind_int(db->replica, 2, limit);
	while ((rc = sqlite3_step(db->replica)) == SQLITE_ROW) {
		sqlite3_stmt *s = db->replica;

		last = sqlite3_column_int64(s, 0);
		rows++;
		json_array_append_new(
			list,
			json_pack("{s:I, s:I, s:b, s:s, s:s, s:s, s:o}", "id",
				  (json_int_t)last, "version",
				  (json_int_t)sqlite3_column_int64(s, 1),
				  "deleted", sqlite3_column_int(s, 2),
				  "name", column_text(s, 3), "category",
				  column_text(s, 4), "area", column_text(s, 5),
				  "menu", menu_array(column_text(s, 6))));
	}
	if (rc != SQLITE_DONE)
		log_error("search db: listing the copy: %s",
			  sqlite3_errmsg(db->reader));
	sqlite3_reset(db->replica);
	pthread_mutex_unlock(&db->lock);
	if (rc != SQLITE_DONE) {
		json_decref(list);
		return NULL;
	}
	out = json_pack("{s:o, s:o}", "stores", list, "next",
			rows == limit ? json_integer((json_int_t)last)
				      : json_null());
	return out;
}
