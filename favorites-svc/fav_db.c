#include "favorites-svc/fav_db.h"

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
	" name TEXT NOT NULL DEFAULT '',"
	" status TEXT NOT NULL DEFAULT '',"
	" version INTEGER NOT NULL,"
	" deleted INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE IF NOT EXISTS favorites ("
	" user TEXT NOT NULL,"
	" store_id INTEGER NOT NULL,"
	" added_at REAL NOT NULL,"
	" PRIMARY KEY (user, store_id)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS favorites_store ON favorites (store_id);"
	"PRAGMA user_version = 1;";

/* Newer versions only: a replayed or reordered write changes nothing. */
static const char sql_upsert[] =
	"INSERT INTO stores (id, name, status, version, deleted)"
	" VALUES (?1, ?2, ?3, ?4, 0)"
	" ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
	" status = excluded.status, version = excluded.version, deleted = 0"
	" WHERE excluded.version > stores.version";

static const char sql_tombstone[] =
	"INSERT INTO stores (id, name, status, version, deleted)"
	" VALUES (?1, '', '', ?2, 1)"
	" ON CONFLICT (id) DO UPDATE SET name = '', status = '',"
	" version = excluded.version, deleted = 1"
	" WHERE excluded.version >= stores.version";

static const char sql_unfavorite_store[] =
	"DELETE FROM favorites WHERE store_id = ?1";

/* The statements of the copy, prepared on each connection. */
struct copy_stmts {
	sqlite3 *conn;
	sqlite3_stmt *held;     /* version, deleted */
	sqlite3_stmt *upsert;
	sqlite3_stmt *tombstone;
	sqlite3_stmt *unfavorite;
};

struct fav_db {
	struct copy_stmts w;   /* the consumer's thread */
	sqlite3_stmt *forget;  /* on w.conn */

	pthread_mutex_t lock;  /* the HTTP threads, one at a time */
	struct copy_stmts r;
	sqlite3_stmt *live;
	sqlite3_stmt *add;
	sqlite3_stmt *remove;
	sqlite3_stmt *list;
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
				 errlen) ||
	       ds_sqlite_prepare(c->conn, sql_unfavorite_store, &c->unfavorite,
				 err, errlen);
}

static void copy_finalize(struct copy_stmts *c)
{
	sqlite3_finalize(c->held);
	sqlite3_finalize(c->upsert);
	sqlite3_finalize(c->tombstone);
	sqlite3_finalize(c->unfavorite);
	sqlite3_close(c->conn);
}

struct fav_db *fav_db_open(const char *path, char *err, size_t errlen)
{
	struct fav_db *db = calloc(1, sizeof(*db));

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
			      "INSERT INTO favorites (user, store_id, added_at)"
			      " VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
			      &db->add, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn,
			      "DELETE FROM favorites WHERE user = ?1 AND store_id = ?2",
			      &db->remove, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn,
			      "SELECT s.id, s.name, s.status FROM favorites f"
			      " JOIN stores s ON s.id = f.store_id"
			      " WHERE f.user = ?1 AND s.deleted = 0"
			      " ORDER BY f.added_at DESC, s.id LIMIT ?2",
			      &db->list, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn,
			      "SELECT (SELECT count(*) FROM stores WHERE deleted = 0),"
			      " (SELECT count(*) FROM favorites),"
			      " (SELECT count(DISTINCT user) FROM favorites)",
			      &db->counts, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn,
			      "SELECT id, version, deleted, name, status FROM stores"
			      " WHERE id > ?1 ORDER BY id LIMIT ?2",
			      &db->replica, err, errlen)) {
		fav_db_close(db);
		return NULL;
	}
	return db;
}

void fav_db_close(struct fav_db *db)
{
	if (db == NULL)
		return;
	sqlite3_finalize(db->forget);
	sqlite3_finalize(db->live);
	sqlite3_finalize(db->add);
	sqlite3_finalize(db->remove);
	sqlite3_finalize(db->list);
	sqlite3_finalize(db->counts);
	sqlite3_finalize(db->replica);
	copy_finalize(&db->r);
	copy_finalize(&db->w);
	pthread_mutex_destroy(&db->lock);
	free(db);
}

/* The copy's version and tombstone flag of id; 0 and 0 when none. */
static int copy_held(struct copy_stmts *c, int64_t id, int64_t *version,
		     int *deleted)
{
	int rc;

	sqlite3_bind_int64(c->held, 1, id);
	rc = sqlite3_step(c->held);
	*version = rc == SQLITE_ROW ? sqlite3_column_int64(c->held, 0) : 0;
	*deleted = rc == SQLITE_ROW ? sqlite3_column_int(c->held, 1) : 0;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		log_error("favorites db: reading store %" PRId64 ": %s", id,
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
		log_error("favorites db: a store without a valid id and version");
		return -1;
	}
	sqlite3_bind_int64(c->upsert, 1, json_integer_value(jid));
	ds_sqlite_bind_text(c->upsert, 2, text_of(store, "name"));
	ds_sqlite_bind_text(c->upsert, 3, text_of(store, "status"));
	sqlite3_bind_int64(c->upsert, 4, json_integer_value(jv));
	if (ds_sqlite_step_done(c->upsert) == 0)
		return 0;
	log_error("favorites db: writing store %" JSON_INTEGER_FORMAT ": %s",
		  json_integer_value(jid), sqlite3_errmsg(c->conn));
	return -1;
}

/* Tombstone and every list's entry, in one transaction. */
static int copy_tombstone(struct copy_stmts *c, int64_t id, int64_t version)
{
	if (ds_sqlite_begin(c->conn))
		goto fail;
	sqlite3_bind_int64(c->tombstone, 1, id);
	sqlite3_bind_int64(c->tombstone, 2, version);
	sqlite3_bind_int64(c->unfavorite, 1, id);
	if (ds_sqlite_step_done(c->tombstone) ||
	    ds_sqlite_step_done(c->unfavorite) || ds_sqlite_commit(c->conn))
		goto fail;
	return 0;
fail:
	log_error("favorites db: removing store %" PRId64 ": %s", id,
		  sqlite3_errmsg(c->conn));
	ds_sqlite_rollback(c->conn);
	return -1;
}

static int port_held(void *ctx, int64_t id, int64_t *version)
{
	struct fav_db *db = ctx;
	int deleted;

	return copy_held(&db->w, id, version, &deleted);
}

static int port_upsert(void *ctx, const json_t *store)
{
	return copy_upsert(&((struct fav_db *)ctx)->w, store);
}

static int port_remove(void *ctx, int64_t id, int64_t version)
{
	return copy_tombstone(&((struct fav_db *)ctx)->w, id, version);
}

/* Only the copy's row: what this service owns about the store stays. */
static int port_forget(void *ctx, int64_t id)
{
	struct fav_db *db = ctx;

	sqlite3_bind_int64(db->forget, 1, id);
	if (ds_sqlite_step_done(db->forget) == 0)
		return 0;
	log_error("favorites db: forgetting store %" PRId64 ": %s", id,
		  sqlite3_errmsg(db->w.conn));
	return -1;
}

void fav_db_port(struct fav_db *db, struct replica_port *port)
{
	memset(port, 0, sizeof(*port));
	port->ctx = db;
	port->held_version = port_held;
	port->upsert = port_upsert;
	port->remove = port_remove;
	port->forget = port_forget;
	port->fields = STORE_F_NAME | STORE_F_STATUS;
}

static int copy_state(void *ctx, int64_t id, enum ds_store_state *state)
{
	struct fav_db *db = ctx;
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
	struct fav_db *db = ctx;
	int rc;

	pthread_mutex_lock(&db->lock);
	rc = copy_upsert(&db->r, store);
	pthread_mutex_unlock(&db->lock);
	return rc;
}

static int copy_tomb(void *ctx, int64_t id, int64_t version)
{
	struct fav_db *db = ctx;
	int rc;

	pthread_mutex_lock(&db->lock);
	rc = copy_tombstone(&db->r, id, version);
	pthread_mutex_unlock(&db->lock);
	return rc;
}

void fav_db_copy(struct fav_db *db, struct ds_copy_ops *ops)
{
	ops->ctx = db;
	ops->state = copy_state;
	ops->put = copy_put;
	ops->tombstone = copy_tomb;
}

enum fav_add fav_db_add(struct fav_db *db, const char *user, int64_t store_id,
			double now_ms)
{
	enum fav_add result = FAV_DB_ERROR;
	sqlite3 *conn = db->r.conn;
	int rc;

	pthread_mutex_lock(&db->lock);
	/* The check and the insert in one transaction: a delete handled
	 * meanwhile cannot leave a deleted store in a list. */
	if (ds_sqlite_begin(conn))
		goto out;
	sqlite3_bind_int64(db->live, 1, store_id);
	rc = sqlite3_step(db->live);
	sqlite3_reset(db->live);
	if (rc == SQLITE_DONE) {
		result = FAV_NO_STORE;
		ds_sqlite_rollback(conn);
		goto out;
	}
	if (rc != SQLITE_ROW)
		goto out;
	ds_sqlite_bind_text(db->add, 1, user);
	sqlite3_bind_int64(db->add, 2, store_id);
	sqlite3_bind_double(db->add, 3, now_ms);
	if (ds_sqlite_step_done(db->add) || ds_sqlite_commit(conn))
		goto out;
	result = FAV_ADDED;
out:
	if (result == FAV_DB_ERROR) {
		log_error("favorites db: adding to %s's list: %s", user,
			  sqlite3_errmsg(conn));
		ds_sqlite_rollback(conn);
	}
	pthread_mutex_unlock(&db->lock);
	return result;
}

int fav_db_remove(struct fav_db *db, const char *user, int64_t store_id)
{
	int rc;

	pthread_mutex_lock(&db->lock);
	ds_sqlite_bind_text(db->remove, 1, user);
	sqlite3_bind_int64(db->remove, 2, store_id);
	rc = ds_sqlite_step_done(db->remove);
	if (rc)
		log_error("favorites db: removing from %s's list: %s", user,
			  sqlite3_errmsg(db->r.conn));
	pthread_mutex_unlock(&db->lock);
	return rc;
}

json_t *fav_db_list(struct fav_db *db, const char *user, int limit)
{
	json_t *ids = json_array(), *stores = json_array();
	int rc;

	pthread_mutex_lock(&db->lock);
	ds_sqlite_bind_text(db->list, 1, user);
	sqlite3_bind_int(db->list, 2, limit);
	while ((rc = sqlite3_step(db->list)) == SQLITE_ROW) {
		json_int_t id = sqlite3_column_int64(db->list, 0);

		json_array_append_new(ids, json_integer(id));
		json_array_append_new(
			stores,
			json_pack("{s:I, s:s, s:s}", "id", id, "name",
				  (const char *)sqlite3_column_text(db->list, 1),
				  "status",
				  (const char *)sqlite3_column_text(db->list, 2)));
	}
	if (rc != SQLITE_DONE)
		log_error("favorites db: reading %s's list: %s", user,
			  sqlite3_errmsg(db->r.conn));
	sqlite3_reset(db->list);
	sqlite3_clear_bindings(db->list);
	pthread_mutex_unlock(&db->lock);
	if (rc != SQLITE_DONE) {
		json_decref(ids);
		json_decref(stores);
		return NULL;
	}
	return json_pack("{s:s, s:o, s:o}", "user", user, "ids", ids, "stores",
			 stores);
}

int fav_db_counts(struct fav_db *db, int64_t *stores, int64_t *favorites,
		  int64_t *users)
{
	int rc;

	pthread_mutex_lock(&db->lock);
	rc = sqlite3_step(db->counts);
	if (rc == SQLITE_ROW) {
		*stores = sqlite3_column_int64(db->counts, 0);
		*favorites = sqlite3_column_int64(db->counts, 1);
		*users = sqlite3_column_int64(db->counts, 2);
	}
	sqlite3_reset(db->counts);
	pthread_mutex_unlock(&db->lock);
	return rc == SQLITE_ROW ? 0 : -1;
}

json_t *fav_db_replica(struct fav_db *db, int64_t after, int limit)
{
	json_t *page;

	pthread_mutex_lock(&db->lock);
	sqlite3_bind_int64(db->replica, 1, after);
	sqlite3_bind_int(db->replica, 2, limit);
	page = ds_sqlite_page(db->replica, limit);
	pthread_mutex_unlock(&db->lock);
	return page;
}
