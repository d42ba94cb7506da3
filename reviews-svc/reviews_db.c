#include "reviews-svc/reviews_db.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/fields.h"
#include "common/kafka.h"
#include "common/log.h"
#include "consumer/ds_sqlite.h"
#include "consumer/review_event.h"
#include "outbox/outbox.h"

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS stores ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL DEFAULT '',"
	" version INTEGER NOT NULL,"
	" deleted INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE IF NOT EXISTS reviews ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" store_id INTEGER NOT NULL,"
	" user TEXT NOT NULL,"
	" rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),"
	" text TEXT NOT NULL,"
	" created_at REAL NOT NULL);"
	"CREATE INDEX IF NOT EXISTS reviews_store ON reviews (store_id, id);"
	"CREATE TABLE IF NOT EXISTS summaries ("
	" store_id INTEGER PRIMARY KEY,"
	" count INTEGER NOT NULL,"
	" sum INTEGER NOT NULL,"
	" version INTEGER NOT NULL);"
	"PRAGMA user_version = 1;";

static const char sql_upsert[] =
	"INSERT INTO stores (id, name, version, deleted) VALUES (?1, ?2, ?3, 0)"
	" ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
	" version = excluded.version, deleted = 0"
	" WHERE excluded.version > stores.version";

static const char sql_tombstone[] =
	"INSERT INTO stores (id, name, version, deleted) VALUES (?1, '', ?2, 1)"
	" ON CONFLICT (id) DO UPDATE SET name = '', version = excluded.version,"
	" deleted = 1 WHERE excluded.version >= stores.version";

/* ?1 store, ?2 +1 or -1 review, ?3 its rating (negated on delete). */
static const char sql_bump[] =
	"INSERT INTO summaries (store_id, count, sum, version)"
	" VALUES (?1, max(?2, 0), max(?3, 0), 1)"
	" ON CONFLICT (store_id) DO UPDATE SET count = count + ?2,"
	" sum = sum + ?3, version = version + 1"
	" RETURNING count, sum, version";

struct copy_stmts {
	sqlite3 *conn;
	sqlite3_stmt *held;
	sqlite3_stmt *upsert;
	sqlite3_stmt *tombstone;
};

struct reviews_db {
	struct copy_stmts w;   /* the consumer's thread */
	sqlite3_stmt *forget;  /* on w.conn */

	pthread_mutex_t lock;  /* the HTTP threads, one at a time */
	struct copy_stmts r;
	sqlite3_stmt *live;
	sqlite3_stmt *insert;
	sqlite3_stmt *get;
	sqlite3_stmt *remove;
	sqlite3_stmt *bump;
	sqlite3_stmt *list;
	sqlite3_stmt *summary;
	sqlite3_stmt *counts;
	sqlite3_stmt *replica;
	struct outbox_writer *outbox;
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

struct reviews_db *reviews_db_open(const char *path, char *err, size_t errlen)
{
	struct reviews_db *db = calloc(1, sizeof(*db));

	if (db == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&db->lock, NULL);
	if (ds_sqlite_open(path, &db->w.conn, err, errlen) ||
	    ds_sqlite_exec(db->w.conn, schema, err, errlen) ||
	    outbox_schema(db->w.conn, err, errlen) ||
	    copy_prepare(&db->w, err, errlen) ||
	    ds_sqlite_prepare(db->w.conn, "UPDATE stores SET version = 0 WHERE id = ?1",
			      &db->forget, err, errlen) ||
	    ds_sqlite_open(path, &db->r.conn, err, errlen) ||
	    copy_prepare(&db->r, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn,
			      "SELECT 1 FROM stores WHERE id = ?1 AND deleted = 0",
			      &db->live, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn,
			      "INSERT INTO reviews (store_id, user, rating, text,"
			      " created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
			      &db->insert, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn,
			      "SELECT store_id, rating FROM reviews WHERE id = ?1",
			      &db->get, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn, "DELETE FROM reviews WHERE id = ?1",
			      &db->remove, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn, sql_bump, &db->bump, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn,
			      "SELECT id, store_id, user, rating, text, created_at"
			      " FROM reviews WHERE store_id = ?1"
			      " ORDER BY id DESC LIMIT ?2",
			      &db->list, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn,
			      "SELECT count, sum, version FROM summaries"
			      " WHERE store_id = ?1",
			      &db->summary, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn,
			      "SELECT (SELECT count(*) FROM stores WHERE deleted = 0),"
			      " (SELECT count(*) FROM reviews)",
			      &db->counts, err, errlen) ||
	    ds_sqlite_prepare(db->r.conn,
			      "SELECT id, version, deleted, name FROM stores"
			      " WHERE id > ?1 ORDER BY id LIMIT ?2",
			      &db->replica, err, errlen) ||
	    (db->outbox = outbox_writer_new(db->r.conn, err, errlen)) == NULL) {
		reviews_db_close(db);
		return NULL;
	}
	return db;
}

void reviews_db_close(struct reviews_db *db)
{
	if (db == NULL)
		return;
	outbox_writer_free(db->outbox);
	sqlite3_finalize(db->forget);
	sqlite3_finalize(db->live);
	sqlite3_finalize(db->insert);
	sqlite3_finalize(db->get);
	sqlite3_finalize(db->remove);
	sqlite3_finalize(db->bump);
	sqlite3_finalize(db->list);
	sqlite3_finalize(db->summary);
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
		log_error("reviews db: reading store %" PRId64 ": %s", id,
			  sqlite3_errmsg(c->conn));
	sqlite3_reset(c->held);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int copy_upsert(struct copy_stmts *c, const json_t *store)
{
	json_t *jid = json_object_get(store, "id");
	json_t *jv = json_object_get(store, "version");
	const char *name = json_string_value(json_object_get(store, "name"));

	if (!json_is_integer(jid) || json_integer_value(jid) <= 0 ||
	    !json_is_integer(jv) || json_integer_value(jv) <= 0) {
		log_error("reviews db: a store without a valid id and version");
		return -1;
	}
	sqlite3_bind_int64(c->upsert, 1, json_integer_value(jid));
	ds_sqlite_bind_text(c->upsert, 2, name ? name : "");
	sqlite3_bind_int64(c->upsert, 3, json_integer_value(jv));
	if (ds_sqlite_step_done(c->upsert) == 0)
		return 0;
	log_error("reviews db: writing store %" JSON_INTEGER_FORMAT ": %s",
		  json_integer_value(jid), sqlite3_errmsg(c->conn));
	return -1;
}

static int copy_tombstone(struct copy_stmts *c, int64_t id, int64_t version)
{
	sqlite3_bind_int64(c->tombstone, 1, id);
	sqlite3_bind_int64(c->tombstone, 2, version);
	if (ds_sqlite_step_done(c->tombstone) == 0)
		return 0;
	log_error("reviews db: removing store %" PRId64 ": %s", id,
		  sqlite3_errmsg(c->conn));
	return -1;
}

static int port_held(void *ctx, int64_t id, int64_t *version)
{
	int deleted;

	return copy_held(&((struct reviews_db *)ctx)->w, id, version, &deleted);
}

static int port_upsert(void *ctx, const json_t *store)
{
	return copy_upsert(&((struct reviews_db *)ctx)->w, store);
}

static int port_remove(void *ctx, int64_t id, int64_t version)
{
	return copy_tombstone(&((struct reviews_db *)ctx)->w, id, version);
}

/* Only the copy's row: what this service owns about the store stays. */
static int port_forget(void *ctx, int64_t id)
{
	struct reviews_db *db = ctx;

	sqlite3_bind_int64(db->forget, 1, id);
	if (ds_sqlite_step_done(db->forget) == 0)
		return 0;
	log_error("reviews db: forgetting store %" PRId64 ": %s", id,
		  sqlite3_errmsg(db->w.conn));
	return -1;
}

void reviews_db_port(struct reviews_db *db, struct replica_port *port)
{
	memset(port, 0, sizeof(*port));
	port->ctx = db;
	port->held_version = port_held;
	port->upsert = port_upsert;
	port->remove = port_remove;
	port->forget = port_forget;
	port->fields = STORE_F_NAME;
}

static int copy_state(void *ctx, int64_t id, enum ds_store_state *state)
{
	struct reviews_db *db = ctx;
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
	struct reviews_db *db = ctx;
	int rc;

	pthread_mutex_lock(&db->lock);
	rc = copy_upsert(&db->r, store);
	pthread_mutex_unlock(&db->lock);
	return rc;
}

static int copy_tomb(void *ctx, int64_t id, int64_t version)
{
	struct reviews_db *db = ctx;
	int rc;

	pthread_mutex_lock(&db->lock);
	rc = copy_tombstone(&db->r, id, version);
	pthread_mutex_unlock(&db->lock);
	return rc;
}

void reviews_db_copy(struct reviews_db *db, struct ds_copy_ops *ops)
{
	ops->ctx = db;
	ops->state = copy_state;
	ops->put = copy_put;
	ops->tombstone = copy_tomb;
}

/*
 * Inside the open transaction: bumps store_id's summary by delta reviews
 * of rating (negated on delete) into *s, and adds the review.events row.
 */
static int bump_and_announce(struct reviews_db *db, int64_t store_id,
			     int64_t review_id, int delta, int rating,
			     double now_ms, struct review_summary *s)
{
	struct review_event ev = { .review_id = review_id,
				   .store_id = store_id,
				   .type = delta > 0 ? REVIEW_EVENT_CREATED
						     : REVIEW_EVENT_DELETED,
				   .at_ms = now_ms };
	char key[24];
	char *value;
	int rc;

	sqlite3_bind_int64(db->bump, 1, store_id);
	sqlite3_bind_int(db->bump, 2, delta);
	sqlite3_bind_int(db->bump, 3, delta * rating);
	rc = sqlite3_step(db->bump);
	if (rc == SQLITE_ROW) {
		s->store_id = store_id;
		s->count = sqlite3_column_int64(db->bump, 0);
		s->sum = sqlite3_column_int64(db->bump, 1);
		s->version = sqlite3_column_int64(db->bump, 2);
		/* RETURNING rows are all out once the step said ROW; the
		 * statement must still run to its end. */
		rc = sqlite3_step(db->bump);
	}
	sqlite3_reset(db->bump);
	sqlite3_clear_bindings(db->bump);
	if (rc != SQLITE_DONE)
		return -1;
	ev.version = s->version;
	if (review_event_new_id(ev.event_id, sizeof(ev.event_id))) {
		log_error("reviews db: no random event id");
		return -1;
	}
	value = review_event_encode(&ev);
	if (value == NULL)
		return -1;
	snprintf(key, sizeof(key), "%" PRId64, store_id);
	rc = outbox_writer_add(db->outbox, TOPIC_REVIEW_EVENTS, key, value,
			       now_ms);
	free(value);
	return rc;
}

enum reviews_db_result reviews_db_create(struct reviews_db *db,
					 struct review *r,
					 struct review_summary *summary)
{
	enum reviews_db_result result = REVIEWS_DB_ERROR;
	struct review_summary s = { 0 };
	sqlite3 *conn = db->r.conn;
	int rc;

	pthread_mutex_lock(&db->lock);
	/* The check and the write in one transaction: a delete handled
	 * meanwhile cannot slip a review in for a deleted store. */
	if (ds_sqlite_begin(conn))
		goto out;
	sqlite3_bind_int64(db->live, 1, r->store_id);
	rc = sqlite3_step(db->live);
	sqlite3_reset(db->live);
	if (rc == SQLITE_DONE) {
		ds_sqlite_rollback(conn);
		result = REVIEWS_DB_NO_STORE;
		goto out;
	}
	if (rc != SQLITE_ROW)
		goto out;
	sqlite3_bind_int64(db->insert, 1, r->store_id);
	ds_sqlite_bind_text(db->insert, 2, r->user);
	sqlite3_bind_int(db->insert, 3, r->rating);
	ds_sqlite_bind_text(db->insert, 4, r->text);
	sqlite3_bind_double(db->insert, 5, r->created_at_ms);
	if (ds_sqlite_step_done(db->insert))
		goto out;
	r->id = sqlite3_last_insert_rowid(conn);
	if (bump_and_announce(db, r->store_id, r->id, 1, r->rating,
			      r->created_at_ms, &s) ||
	    ds_sqlite_commit(conn))
		goto out;
	if (summary != NULL)
		*summary = s;
	result = REVIEWS_DB_OK;
out:
	if (result == REVIEWS_DB_ERROR) {
		log_error("reviews db: creating a review of store %" PRId64 ": %s",
			  r->store_id, sqlite3_errmsg(conn));
		ds_sqlite_rollback(conn);
	}
	pthread_mutex_unlock(&db->lock);
	return result;
}

enum reviews_db_result reviews_db_delete(struct reviews_db *db, int64_t id,
					 double now_ms,
					 struct review_summary *summary)
{
	enum reviews_db_result result = REVIEWS_DB_ERROR;
	struct review_summary s = { 0 };
	sqlite3 *conn = db->r.conn;
	int64_t store_id;
	int rating, rc;

	pthread_mutex_lock(&db->lock);
	if (ds_sqlite_begin(conn))
		goto out;
	sqlite3_bind_int64(db->get, 1, id);
	rc = sqlite3_step(db->get);
	store_id = rc == SQLITE_ROW ? sqlite3_column_int64(db->get, 0) : 0;
	rating = rc == SQLITE_ROW ? sqlite3_column_int(db->get, 1) : 0;
	sqlite3_reset(db->get);
	if (rc == SQLITE_DONE) {
		ds_sqlite_rollback(conn);
		result = REVIEWS_DB_NOT_FOUND;
		goto out;
	}
	if (rc != SQLITE_ROW)
		goto out;
	sqlite3_bind_int64(db->remove, 1, id);
	if (ds_sqlite_step_done(db->remove) ||
	    bump_and_announce(db, store_id, id, -1, rating, now_ms, &s) ||
	    ds_sqlite_commit(conn))
		goto out;
	if (summary != NULL)
		*summary = s;
	result = REVIEWS_DB_OK;
out:
	if (result == REVIEWS_DB_ERROR) {
		log_error("reviews db: deleting review %" PRId64 ": %s", id,
			  sqlite3_errmsg(conn));
		ds_sqlite_rollback(conn);
	}
	pthread_mutex_unlock(&db->lock);
	return result;
}

json_t *reviews_db_list(struct reviews_db *db, int64_t store_id, int limit)
{
	json_t *list = json_array();
	int rc;

	pthread_mutex_lock(&db->lock);
	sqlite3_bind_int64(db->list, 1, store_id);
	sqlite3_bind_int(db->list, 2, limit);
	while ((rc = sqlite3_step(db->list)) == SQLITE_ROW) {
		struct review r = { 0 };
		const unsigned char *t;

		r.id = sqlite3_column_int64(db->list, 0);
		r.store_id = sqlite3_column_int64(db->list, 1);
		t = sqlite3_column_text(db->list, 2);
		snprintf(r.user, sizeof(r.user), "%s", t ? (const char *)t : "");
		r.rating = sqlite3_column_int(db->list, 3);
		t = sqlite3_column_text(db->list, 4);
		snprintf(r.text, sizeof(r.text), "%s", t ? (const char *)t : "");
		r.created_at_ms = sqlite3_column_double(db->list, 5);
		json_array_append_new(list, reviews_json(&r));
	}
	if (rc != SQLITE_DONE)
		log_error("reviews db: listing store %" PRId64 "'s reviews: %s",
			  store_id, sqlite3_errmsg(db->r.conn));
	sqlite3_reset(db->list);
	pthread_mutex_unlock(&db->lock);
	if (rc != SQLITE_DONE) {
		json_decref(list);
		return NULL;
	}
	return json_pack("{s:I, s:o}", "store_id", (json_int_t)store_id,
			 "reviews", list);
}

int reviews_db_summary(struct reviews_db *db, int64_t store_id,
		       struct review_summary *s)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->store_id = store_id;
	pthread_mutex_lock(&db->lock);
	sqlite3_bind_int64(db->summary, 1, store_id);
	rc = sqlite3_step(db->summary);
	if (rc == SQLITE_ROW) {
		s->count = sqlite3_column_int64(db->summary, 0);
		s->sum = sqlite3_column_int64(db->summary, 1);
		s->version = sqlite3_column_int64(db->summary, 2);
	}
	sqlite3_reset(db->summary);
	pthread_mutex_unlock(&db->lock);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int reviews_db_counts(struct reviews_db *db, int64_t *stores,
		      int64_t *reviews, int64_t *pending,
		      double *oldest_ms)
{
	int rc;

	pthread_mutex_lock(&db->lock);
	rc = sqlite3_step(db->counts);
	if (rc == SQLITE_ROW) {
		*stores = sqlite3_column_int64(db->counts, 0);
		*reviews = sqlite3_column_int64(db->counts, 1);
	}
	sqlite3_reset(db->counts);
	if (rc == SQLITE_ROW &&
	    outbox_pending(db->r.conn, pending, oldest_ms))
		rc = SQLITE_ERROR;
	pthread_mutex_unlock(&db->lock);
	return rc == SQLITE_ROW ? 0 : -1;
}

json_t *reviews_db_replica(struct reviews_db *db, int64_t after, int limit)
{
	json_t *page;

	pthread_mutex_lock(&db->lock);
	sqlite3_bind_int64(db->replica, 1, after);
	sqlite3_bind_int(db->replica, 2, limit);
	page = ds_sqlite_page(db->replica, limit);
	pthread_mutex_unlock(&db->lock);
	return page;
}
