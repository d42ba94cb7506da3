#include "ads-svc/ads_db.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/fields.h"
#include "common/log.h"
#include "consumer/ds_sqlite.h"

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS stores ("
	" id INTEGER PRIMARY KEY,"
	" area TEXT NOT NULL DEFAULT '',"
	" category TEXT NOT NULL DEFAULT '',"
	" status TEXT NOT NULL DEFAULT '',"
	" version INTEGER NOT NULL,"
	" deleted INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE IF NOT EXISTS campaigns ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" store_id INTEGER NOT NULL,"
	" area TEXT NOT NULL,"
	" bid INTEGER NOT NULL,"
	" starts_at REAL NOT NULL,"
	" ends_at REAL NOT NULL,"
	" ended_at REAL,"
	" created_at REAL NOT NULL);"
	"CREATE INDEX IF NOT EXISTS campaigns_running ON campaigns (area, ends_at)"
	" WHERE ended_at IS NULL;"
	"CREATE INDEX IF NOT EXISTS campaigns_store ON campaigns (store_id);"
	"PRAGMA user_version = 1;";

static const char sql_upsert[] =
	"INSERT INTO stores (id, area, category, status, version, deleted)"
	" VALUES (?1, ?2, ?3, ?4, ?5, 0)"
	" ON CONFLICT (id) DO UPDATE SET area = excluded.area,"
	" category = excluded.category, status = excluded.status,"
	" version = excluded.version, deleted = 0"
	" WHERE excluded.version > stores.version";

static const char sql_tombstone[] =
	"INSERT INTO stores (id, area, category, status, version, deleted)"
	" VALUES (?1, '', '', '', ?2, 1)"
	" ON CONFLICT (id) DO UPDATE SET area = '', category = '', status = '',"
	" version = excluded.version, deleted = 1"
	" WHERE excluded.version >= stores.version";

#define CAMPAIGN_COLUMNS \
	"id, store_id, area, bid, starts_at, ends_at, coalesce(ended_at, 0), created_at"

/* ?1 now, ?2 limit, ?3 area (NULL: any), ?4 category (NULL: any). */
static const char sql_ads[] =
	"SELECT c.store_id FROM campaigns c JOIN stores s ON s.id = c.store_id"
	" WHERE s.deleted = 0 AND s.status = 'open' AND c.ended_at IS NULL"
	" AND c.starts_at <= ?1 AND c.ends_at > ?1"
	" AND (?3 IS NULL OR c.area = ?3) AND (?4 IS NULL OR s.category = ?4)"
	" GROUP BY c.store_id"
	" ORDER BY max(c.bid) DESC, min(c.created_at), c.store_id LIMIT ?2";

struct copy_stmts {
	sqlite3 *conn;
	sqlite3_stmt *held;
	sqlite3_stmt *upsert;
	sqlite3_stmt *tombstone;
};

struct ads_db {
	struct copy_stmts w;   /* the consumer's thread */
	sqlite3_stmt *forget;  /* on w.conn */

	pthread_mutex_t lock;  /* the HTTP threads, one at a time */
	struct copy_stmts r;
	sqlite3_stmt *live;
	sqlite3_stmt *insert;
	sqlite3_stmt *end;
	sqlite3_stmt *get;
	sqlite3_stmt *list_all;
	sqlite3_stmt *list_store;
	sqlite3_stmt *ads;
	sqlite3_stmt *counts;
	sqlite3_stmt *replica;
};

static int copy_prepare(struct copy_stmts *c, char *err, size_t errlen)
{
	return ds_sqlite_prepare(c->conn,
				 "SELECT version, deleted FROM stores WHERE id = ?1",
				 &c->held, err, errlen) ||
	       ds_sqlite_prepare(c->conn, sql_upsert, &c->upsert, err, errlen) ||
	       ds_sqlite_prepare(c->conn, sql_tombstone, &c->tombstone, err,
				 errlen);
}

static void copy_finalize(struct copy_stmts *c)
{
	sqlite3_finalize(c->held);
	sqlite3_finalize(c->upsert);
	sqlite3_finalize(c->tombstone);
	sqlite3_close(c->conn);
}

struct ads_db *ads_db_open(const char *path, char *err, size_t errlen)
{
	struct ads_db *db = calloc(1, sizeof(*db));

	if (db == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&db->lock, NULL);
	if (ds_sqlite_open(path, &db->w.conn, err, errlen) ||
	    ds_sqlite_exec(db->w.conn, schema, err, errlen) ||
	    copy_prepare(&db->w, err, errlen) ||
	    ds_sqlite_prepare(db->w.conn, "UPDATE stores SET version = 0 WHERE id = ?1",
			      &db->forget, err, errlen) ||
	    ds_sqlite_open(path, &db->r.conn, err, errlen) ||
	    copy_prepare(&db->r, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn,
			      "SELECT 1 FROM stores WHERE id = ?1 AND deleted = 0",
			      &db->live, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn,
			      "INSERT INTO campaigns (store_id, area, bid, starts_at,"
			      " ends_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			      &db->insert, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn,
			      "UPDATE campaigns SET ended_at = ?2"
			      " WHERE id = ?1 AND ended_at IS NULL",
			      &db->end, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn,
			      "SELECT " CAMPAIGN_COLUMNS " FROM campaigns WHERE id = ?1",
			      &db->get, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn,
			      "SELECT " CAMPAIGN_COLUMNS " FROM campaigns"
			      " ORDER BY id DESC LIMIT ?1",
			      &db->list_all, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn,
			      "SELECT " CAMPAIGN_COLUMNS " FROM campaigns"
			      " WHERE store_id = ?2 ORDER BY id DESC LIMIT ?1",
			      &db->list_store, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn, sql_ads, &db->ads, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn,
			      "SELECT (SELECT count(*) FROM stores WHERE deleted = 0),"
			      " (SELECT count(*) FROM campaigns WHERE ended_at IS NULL"
			      "  AND starts_at <= ?1 AND ends_at > ?1)",
			      &db->counts, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn,
			      "SELECT id, version, deleted, area, category, status"
			      " FROM stores WHERE id > ?1 ORDER BY id LIMIT ?2",
			      &db->replica, err, errlen)) {
		ads_db_close(db);
		return NULL;
	}
	return db;
}

void ads_db_close(struct ads_db *db)
{
	if (db == NULL)
		return;
	sqlite3_finalize(db->forget);
	sqlite3_finalize(db->live);
	sqlite3_finalize(db->insert);
	sqlite3_finalize(db->end);
	sqlite3_finalize(db->get);
	sqlite3_finalize(db->list_all);
	sqlite3_finalize(db->list_store);
	sqlite3_finalize(db->ads);
	sqlite3_finalize(db->counts);
	sqlite3_finalize(db->replica);
	copy_finalize(&db->r);
	copy_finalize(&db->w);
	pthread_mutex_destroy(&db->lock);
	free(db);
}

static int copy_held(struct copy_stmts *c, int64_t id, int64_t *version,
		     int *deleted)
{
	int rc;

	sqlite3_bind_int64(c->held, 1, id);
	rc = sqlite3_step(c->held);
	*version = rc == SQLITE_ROW ? sqlite3_column_int64(c->held, 0) : 0;
	*deleted = rc == SQLITE_ROW ? sqlite3_column_int(c->held, 1) : 0;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		log_error("ads db: reading store %" PRId64 ": %s", id,
			  sqlite3_errmsg(c->conn));
	sqlite3_reset(c->held);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static const char *text_of(const json_t *store, const char *key)
{
	const char *v = json_string_value(json_object_get(store, key));

	return v ? v : "";
}

static int copy_upsert(struct copy_stmts *c, const json_t *store)
{
	json_t *jid = json_object_get(store, "id");
	json_t *jv = json_object_get(store, "version");

	if (!json_is_integer(jid) || json_integer_value(jid) <= 0 ||
	    !json_is_integer(jv) || json_integer_value(jv) <= 0) {
		log_error("ads db: a store without a valid id and version");
		return -1;
	}
	sqlite3_bind_int64(c->upsert, 1, json_integer_value(jid));
	ds_sqlite_bind_text(c->upsert, 2, text_of(store, "area"));
	ds_sqlite_bind_text(c->upsert, 3, text_of(store, "category"));
	ds_sqlite_bind_text(c->upsert, 4, text_of(store, "status"));
	sqlite3_bind_int64(c->upsert, 5, json_integer_value(jv));
	if (ds_sqlite_step_done(c->upsert) == 0)
		return 0;
	log_error("ads db: writing store %" JSON_INTEGER_FORMAT ": %s",
		  json_integer_value(jid), sqlite3_errmsg(c->conn));
	return -1;
}

static int copy_tombstone(struct copy_stmts *c, int64_t id, int64_t version)
{
	sqlite3_bind_int64(c->tombstone, 1, id);
	sqlite3_bind_int64(c->tombstone, 2, version);
	if (ds_sqlite_step_done(c->tombstone) == 0)
		return 0;
	log_error("ads db: removing store %" PRId64 ": %s", id,
		  sqlite3_errmsg(c->conn));
	return -1;
}

static int port_held(void *ctx, int64_t id, int64_t *version)
{
	int deleted;

	return copy_held(&((struct ads_db *)ctx)->w, id, version, &deleted);
}

static int port_upsert(void *ctx, const json_t *store)
{
	return copy_upsert(&((struct ads_db *)ctx)->w, store);
}

static int port_remove(void *ctx, int64_t id, int64_t version)
{
	return copy_tombstone(&((struct ads_db *)ctx)->w, id, version);
}

/* Only the copy's row: what this service owns about the store stays. */
static int port_forget(void *ctx, int64_t id)
{
	struct ads_db *db = ctx;

	sqlite3_bind_int64(db->forget, 1, id);
	if (ds_sqlite_step_done(db->forget) == 0)
		return 0;
	log_error("ads db: forgetting store %" PRId64 ": %s", id,
		  sqlite3_errmsg(db->w.conn));
	return -1;
}

void ads_db_port(struct ads_db *db, struct replica_port *port)
{
	memset(port, 0, sizeof(*port));
	port->ctx = db;
	port->held_version = port_held;
	port->upsert = port_upsert;
	port->remove = port_remove;
	port->forget = port_forget;
	port->fields = STORE_F_AREA | STORE_F_CATEGORY | STORE_F_STATUS;
}

static int copy_state(void *ctx, int64_t id, enum ds_store_state *state)
{
	struct ads_db *db = ctx;
	int64_t version;
	int deleted, rc;

	pthread_mutex_lock(&db->lock);
	rc = copy_held(&db->r, id, &version, &deleted);
	pthread_mutex_unlock(&db->lock);
	*state = deleted ? DS_STORE_DELETED
		 : version > 0 ? DS_STORE_FOUND : DS_STORE_MISSING;
	return rc;
}

static int copy_put(void *ctx, const json_t *store)
{
	struct ads_db *db = ctx;
	int rc;

	pthread_mutex_lock(&db->lock);
	rc = copy_upsert(&db->r, store);
	pthread_mutex_unlock(&db->lock);
	return rc;
}

static int copy_tomb(void *ctx, int64_t id, int64_t version)
{
	struct ads_db *db = ctx;
	int rc;

	pthread_mutex_lock(&db->lock);
	rc = copy_tombstone(&db->r, id, version);
	pthread_mutex_unlock(&db->lock);
	return rc;
}

void ads_db_copy(struct ads_db *db, struct ds_copy_ops *ops)
{
	ops->ctx = db;
	ops->state = copy_state;
	ops->put = copy_put;
	ops->tombstone = copy_tomb;
}

enum ads_db_result ads_db_create(struct ads_db *db, struct ads_campaign *c)
{
	enum ads_db_result result = ADS_DB_ERROR;
	sqlite3 *conn = db->r.conn;
	int rc;

	pthread_mutex_lock(&db->lock);
	if (ds_sqlite_begin(conn))
		goto out;
	sqlite3_bind_int64(db->live, 1, c->store_id);
	rc = sqlite3_step(db->live);
	sqlite3_reset(db->live);
	if (rc == SQLITE_DONE) {
		ds_sqlite_rollback(conn);
		result = ADS_DB_NO_STORE;
		goto out;
	}
	if (rc != SQLITE_ROW)
		goto out;
	sqlite3_bind_int64(db->insert, 1, c->store_id);
	ds_sqlite_bind_text(db->insert, 2, c->area);
	sqlite3_bind_int64(db->insert, 3, c->bid);
	sqlite3_bind_double(db->insert, 4, c->starts_at_ms);
	sqlite3_bind_double(db->insert, 5, c->ends_at_ms);
	sqlite3_bind_double(db->insert, 6, c->created_at_ms);
	if (ds_sqlite_step_done(db->insert))
		goto out;
	c->id = sqlite3_last_insert_rowid(conn);
	if (ds_sqlite_commit(conn))
		goto out;
	result = ADS_DB_OK;
out:
	if (result == ADS_DB_ERROR) {
		log_error("ads db: creating a campaign: %s", sqlite3_errmsg(conn));
		ds_sqlite_rollback(conn);
	}
	pthread_mutex_unlock(&db->lock);
	return result;
}

static void campaign_of(sqlite3_stmt *s, struct ads_campaign *c)
{
	const unsigned char *area = sqlite3_column_text(s, 2);

	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(s, 0);
	c->store_id = sqlite3_column_int64(s, 1);
	snprintf(c->area, sizeof(c->area), "%s", area ? (const char *)area : "");
	c->bid = sqlite3_column_int64(s, 3);
	c->starts_at_ms = sqlite3_column_double(s, 4);
	c->ends_at_ms = sqlite3_column_double(s, 5);
	c->ended_at_ms = sqlite3_column_double(s, 6);
	c->created_at_ms = sqlite3_column_double(s, 7);
}

enum ads_db_result ads_db_end(struct ads_db *db, int64_t id, double now_ms,
			      struct ads_campaign *c)
{
	enum ads_db_result result = ADS_DB_ERROR;
	int rc;

	pthread_mutex_lock(&db->lock);
	sqlite3_bind_int64(db->end, 1, id);
	sqlite3_bind_double(db->end, 2, now_ms);
	if (ds_sqlite_step_done(db->end))
		goto out;
	sqlite3_bind_int64(db->get, 1, id);
	rc = sqlite3_step(db->get);
	if (rc == SQLITE_ROW) {
		campaign_of(db->get, c);
		result = ADS_DB_OK;
	} else if (rc == SQLITE_DONE) {
		result = ADS_DB_NOT_FOUND;
	}
	sqlite3_reset(db->get);
out:
	if (result == ADS_DB_ERROR)
		log_error("ads db: ending campaign %" PRId64 ": %s", id,
			  sqlite3_errmsg(db->r.conn));
	pthread_mutex_unlock(&db->lock);
	return result;
}

json_t *ads_db_list(struct ads_db *db, int64_t store_id, int limit,
		    double now_ms)
{
	sqlite3_stmt *s = store_id > 0 ? db->list_store : db->list_all;
	json_t *list = json_array();
	int rc;

	pthread_mutex_lock(&db->lock);
	sqlite3_bind_int(s, 1, limit);
	if (store_id > 0)
		sqlite3_bind_int64(s, 2, store_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct ads_campaign c;

		campaign_of(s, &c);
		json_array_append_new(list, ads_campaign_json(&c, now_ms));
	}
	if (rc != SQLITE_DONE)
		log_error("ads db: listing campaigns: %s",
			  sqlite3_errmsg(db->r.conn));
	sqlite3_reset(s);
	pthread_mutex_unlock(&db->lock);
	if (rc != SQLITE_DONE) {
		json_decref(list);
		return NULL;
	}
	return json_pack("{s:o}", "campaigns", list);
}

int ads_db_ads(struct ads_db *db, const char *area, const char *category,
	       double now_ms, int64_t *ids, size_t max, size_t *n)
{
	int rc;

	*n = 0;
	pthread_mutex_lock(&db->lock);
	sqlite3_bind_double(db->ads, 1, now_ms);
	sqlite3_bind_int64(db->ads, 2, (int64_t)max);
	ds_sqlite_bind_text(db->ads, 3, area);
	ds_sqlite_bind_text(db->ads, 4, category);
	while ((rc = sqlite3_step(db->ads)) == SQLITE_ROW && *n < max)
		ids[(*n)++] = sqlite3_column_int64(db->ads, 0);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		log_error("ads db: listing ads: %s", sqlite3_errmsg(db->r.conn));
	sqlite3_reset(db->ads);
	sqlite3_clear_bindings(db->ads);
	pthread_mutex_unlock(&db->lock);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

int ads_db_counts(struct ads_db *db, double now_ms, int64_t *stores,
		  int64_t *active)
{
	int rc;

	pthread_mutex_lock(&db->lock);
	sqlite3_bind_double(db->counts, 1, now_ms);
	rc = sqlite3_step(db->counts);
	if (rc == SQLITE_ROW) {
		*stores = sqlite3_column_int64(db->counts, 0);
		*active = sqlite3_column_int64(db->counts, 1);
	}
	sqlite3_reset(db->counts);
	pthread_mutex_unlock(&db->lock);
	return rc == SQLITE_ROW ? 0 : -1;
}

json_t *ads_db_replica(struct ads_db *db, int64_t after, int limit)
{
	json_t *page;

	pthread_mutex_lock(&db->lock);
	sqlite3_bind_int64(db->replica, 1, after);
	sqlite3_bind_int(db->replica, 2, limit);
	page = ds_sqlite_page(db->replica, limit);
	pthread_mutex_unlock(&db->lock);
	return page;
}
