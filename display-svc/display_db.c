#include "display-svc/display_db.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "api/fields.h"
#include "common/log.h"
#include "display-svc/doc.h"

struct display_db {
	pthread_mutex_t write_lock; /* the two consumers' threads */
	sqlite3 *writer;
	sqlite3_stmt *held;
	sqlite3_stmt *row_reviews;
	sqlite3_stmt *upsert;
	sqlite3_stmt *remove;
	sqlite3_stmt *forget;
	sqlite3_stmt *review_row;
	sqlite3_stmt *review_set;

	pthread_mutex_t read_lock;  /* the HTTP threads */
	sqlite3 *reader;
	sqlite3_stmt *doc;
	sqlite3_stmt *count;
	sqlite3_stmt *replica;
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS docs ("
	" id INTEGER PRIMARY KEY,"
	" version INTEGER NOT NULL DEFAULT 0,"
	" deleted INTEGER NOT NULL DEFAULT 0,"
	" doc TEXT,"
	" review_version INTEGER NOT NULL DEFAULT 0,"
	" reviews TEXT);";

/* Newer versions only: a replayed or reordered write changes nothing. */
static const char sql_upsert[] =
	"INSERT INTO docs (id, version, deleted, doc) VALUES (?1, ?2, 0, ?3)"
	" ON CONFLICT (id) DO UPDATE SET version = excluded.version,"
	" deleted = 0, doc = excluded.doc"
	" WHERE excluded.version > docs.version";

static const char sql_remove[] =
	"INSERT INTO docs (id, version, deleted, doc) VALUES (?1, ?2, 1, NULL)"
	" ON CONFLICT (id) DO UPDATE SET version = excluded.version,"
	" deleted = 1, doc = NULL WHERE excluded.version >= docs.version";

/*
 * The row stays, with its review summary (review.events owns that); only
 * the version goes, so that any store write lands next.
 */
static const char sql_forget[] = "UPDATE docs SET version = 0 WHERE id = ?1";

/* Documents and tombstones; a row that only waits with a review summary
 * holds nothing of the store. */
static const char sql_replica[] =
	"SELECT id, version, deleted, doc FROM docs"
	" WHERE id > ?1 AND (doc IS NOT NULL OR deleted = 1)"
	" ORDER BY id LIMIT ?2";

/* ?4 is the row's document with the new summary in it (NULL without one). */
static const char sql_review_set[] =
	"INSERT INTO docs (id, review_version, reviews) VALUES (?1, ?2, ?3)"
	" ON CONFLICT (id) DO UPDATE SET review_version = excluded.review_version,"
	" reviews = excluded.reviews, doc = ?4"
	" WHERE excluded.review_version > docs.review_version";

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

struct display_db *display_db_open(const char *path, char *err, size_t errlen)
{
	struct display_db *db = calloc(1, sizeof(*db));

	if (db == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&db->write_lock, NULL);
	pthread_mutex_init(&db->read_lock, NULL);
	if (open_conn(path, &db->writer, err, errlen) ||
	    exec(db->writer,
		 "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
		 err, errlen) ||
	    exec(db->writer, schema, err, errlen) ||
	    prepare(db->writer, "SELECT version FROM docs WHERE id = ?1",
		    &db->held, err, errlen) ||
	    prepare(db->writer, "SELECT reviews FROM docs WHERE id = ?1",
		    &db->row_reviews, err, errlen) ||
	    prepare(db->writer, sql_upsert, &db->upsert, err, errlen) ||
	    prepare(db->writer, sql_remove, &db->remove, err, errlen) ||
	    prepare(db->writer, sql_forget, &db->forget, err, errlen) ||
	    prepare(db->writer,
		    "SELECT review_version, doc FROM docs WHERE id = ?1",
		    &db->review_row, err, errlen) ||
	    prepare(db->writer, sql_review_set, &db->review_set, err, errlen) ||
	    open_conn(path, &db->reader, err, errlen) ||
	    prepare(db->reader, "SELECT doc, deleted FROM docs WHERE id = ?1",
		    &db->doc, err, errlen) ||
	    prepare(db->reader,
		    "SELECT count(*) FROM docs WHERE doc IS NOT NULL",
		    &db->count, err, errlen) ||
	    prepare(db->reader, sql_replica, &db->replica, err, errlen)) {
		display_db_close(db);
		return NULL;
	}
	return db;
}

void display_db_close(struct display_db *db)
{
	if (db == NULL)
		return;
	sqlite3_finalize(db->held);
	sqlite3_finalize(db->row_reviews);
	sqlite3_finalize(db->upsert);
	sqlite3_finalize(db->remove);
	sqlite3_finalize(db->forget);
	sqlite3_finalize(db->review_row);
	sqlite3_finalize(db->review_set);
	sqlite3_finalize(db->doc);
	sqlite3_finalize(db->count);
	sqlite3_finalize(db->replica);
	sqlite3_close(db->reader);
	sqlite3_close(db->writer);
	pthread_mutex_destroy(&db->write_lock);
	pthread_mutex_destroy(&db->read_lock);
	free(db);
}

/* Reads one integer column of stmt's row for id: 0 with *out (0 without a
 * row), or -1 (logged). Resets stmt. */
static int read_int(struct display_db *db, sqlite3_stmt *stmt, int64_t id,
		    int64_t *out)
{
	int rc;

	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(stmt, 0);
	else if (rc == SQLITE_DONE)
		*out = 0;
	else
		log_error("display db: reading store %" PRId64 ": %s", id,
			  sqlite3_errmsg(db->writer));
	sqlite3_reset(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Runs a prepared write to completion and resets it; 0 or -1 (logged). */
static int step_write(struct display_db *db, sqlite3_stmt *stmt,
		      const char *what, int64_t id)
{
	int rc = sqlite3_step(stmt);

	if (rc != SQLITE_DONE)
		log_error("display db: %s store %" PRId64 ": %s", what, id,
			  sqlite3_errmsg(db->writer));
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int port_held_version(void *ctx, int64_t store_id, int64_t *version)
{
	struct display_db *db = ctx;
	int rc;

	pthread_mutex_lock(&db->write_lock);
	rc = read_int(db, db->held, store_id, version);
	pthread_mutex_unlock(&db->write_lock);
	return rc;
}

/* The row's review summary as JSON, or NULL when it has none (or on a
 * failure, which *failed reports). */
static json_t *row_reviews(struct display_db *db, int64_t id, int *failed)
{
	json_t *reviews = NULL;
	int rc;

	*failed = 0;
	sqlite3_bind_int64(db->row_reviews, 1, id);
	rc = sqlite3_step(db->row_reviews);
	if (rc == SQLITE_ROW &&
	    sqlite3_column_type(db->row_reviews, 0) == SQLITE_TEXT)
		reviews = json_loads((const char *)sqlite3_column_text(
					     db->row_reviews, 0),
				     0, NULL);
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		log_error("display db: reading store %" PRId64 ": %s", id,
			  sqlite3_errmsg(db->writer));
		*failed = 1;
	}
	sqlite3_reset(db->row_reviews);
	return reviews;
}

static int port_upsert(void *ctx, const json_t *store)
{
	struct display_db *db = ctx;
	json_t *jid = json_object_get(store, "id");
	json_t *reviews, *doc = NULL;
	char *text = NULL;
	int64_t id;
	int failed, rc = -1;

	if (!json_is_integer(jid) || json_integer_value(jid) <= 0) {
		log_error("display db: a store without a valid id");
		return -1;
	}
	id = (int64_t)json_integer_value(jid);
	pthread_mutex_lock(&db->write_lock);
	reviews = row_reviews(db, id, &failed);
	if (!failed)
		doc = display_doc_build(store, reviews);
	if (doc != NULL)
		text = display_doc_dump(doc);
	if (text == NULL) {
		if (!failed)
			log_error("display db: cannot build the document of "
				  "store %" PRId64 " (no valid version?)", id);
	} else {
		sqlite3_bind_int64(db->upsert, 1, id);
		sqlite3_bind_int64(db->upsert, 2,
				   (int64_t)json_integer_value(
					   json_object_get(store, "version")));
		sqlite3_bind_text(db->upsert, 3, text, -1, SQLITE_STATIC);
		rc = step_write(db, db->upsert, "writing", id);
	}
	pthread_mutex_unlock(&db->write_lock);
	free(text);
	json_decref(doc);
	json_decref(reviews);
	return rc;
}

static int port_remove(void *ctx, int64_t store_id, int64_t version)
{
	struct display_db *db = ctx;
	int rc;

	pthread_mutex_lock(&db->write_lock);
	sqlite3_bind_int64(db->remove, 1, store_id);
	sqlite3_bind_int64(db->remove, 2, version);
	rc = step_write(db, db->remove, "removing", store_id);
	pthread_mutex_unlock(&db->write_lock);
	return rc;
}

static int port_forget(void *ctx, int64_t store_id)
{
	struct display_db *db = ctx;
	int rc;

	pthread_mutex_lock(&db->write_lock);
	sqlite3_bind_int64(db->forget, 1, store_id);
	rc = step_write(db, db->forget, "forgetting", store_id);
	pthread_mutex_unlock(&db->write_lock);
	return rc;
}

void display_db_port(struct display_db *db, struct replica_port *port)
{
	memset(port, 0, sizeof(*port));
	port->ctx = db;
	port->held_version = port_held_version;
	port->upsert = port_upsert;
	port->remove = port_remove;
	port->forget = port_forget;
	port->fields = STORE_F_ALL & ~(uint32_t)STORE_F_OWNER;
}

static int review_held(void *ctx, int64_t store_id, int64_t *version)
{
	struct display_db *db = ctx;
	int64_t held = 0;
	int rc;

	pthread_mutex_lock(&db->write_lock);
	sqlite3_bind_int64(db->review_row, 1, store_id);
	rc = sqlite3_step(db->review_row);
	if (rc == SQLITE_ROW)
		held = sqlite3_column_int64(db->review_row, 0);
	else if (rc != SQLITE_DONE)
		log_error("display db: reading store %" PRId64 ": %s",
			  store_id, sqlite3_errmsg(db->writer));
	sqlite3_reset(db->review_row);
	pthread_mutex_unlock(&db->write_lock);
	*version = held;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int review_apply(void *ctx, int64_t store_id, const json_t *summary,
			int *stale)
{
	struct display_db *db = ctx;
	int64_t version = (int64_t)json_integer_value(
		json_object_get(summary, "version"));
	char *reviews = display_doc_dump(summary), *doc = NULL;
	int64_t held = 0;
	int rc = -1, step;

	*stale = 0;
	if (reviews == NULL)
		return -1;
	pthread_mutex_lock(&db->write_lock);
	sqlite3_bind_int64(db->review_row, 1, store_id);
	step = sqlite3_step(db->review_row);
	if (step == SQLITE_ROW) {
		held = sqlite3_column_int64(db->review_row, 0);
		if (held < version &&
		    sqlite3_column_type(db->review_row, 1) == SQLITE_TEXT) {
			doc = display_doc_with_reviews(
				(const char *)sqlite3_column_text(
					db->review_row, 1),
				summary);
			if (doc == NULL) {
				log_error("display db: the document of store %"
					  PRId64 " is not a JSON object",
					  store_id);
				step = SQLITE_ERROR;
			}
		}
	} else if (step != SQLITE_DONE) {
		log_error("display db: reading store %" PRId64 ": %s", store_id,
			  sqlite3_errmsg(db->writer));
	}
	sqlite3_reset(db->review_row);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		goto out;
	if (held >= version) {
		*stale = 1;
		rc = 0;
		goto out;
	}
	sqlite3_bind_int64(db->review_set, 1, store_id);
	sqlite3_bind_int64(db->review_set, 2, version);
	sqlite3_bind_text(db->review_set, 3, reviews, -1, SQLITE_STATIC);
	if (doc != NULL)
		sqlite3_bind_text(db->review_set, 4, doc, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(db->review_set, 4);
	rc = step_write(db, db->review_set, "writing the reviews of", store_id);
out:
	pthread_mutex_unlock(&db->write_lock);
	free(reviews);
	free(doc);
	return rc;
}

void display_db_review_port(struct display_db *db,
			    struct display_review_port *port)
{
	memset(port, 0, sizeof(*port));
	port->ctx = db;
	port->held = review_held;
	port->apply = review_apply;
}

/* The document of id with the reader lock held; see display_db_doc. */
static enum display_db_found lookup(struct display_db *db, int64_t id,
				    char **doc)
{
	enum display_db_found found = DISPLAY_DB_MISSING;
	int rc;

	*doc = NULL;
	sqlite3_bind_int64(db->doc, 1, id);
	rc = sqlite3_step(db->doc);
	if (rc == SQLITE_ROW) {
		if (sqlite3_column_int(db->doc, 1))
			found = DISPLAY_DB_GONE;
		else if (sqlite3_column_type(db->doc, 0) == SQLITE_TEXT) {
			*doc = strdup((const char *)sqlite3_column_text(db->doc, 0));
			found = *doc ? DISPLAY_DB_FOUND : DISPLAY_DB_ERROR;
		}
	} else if (rc != SQLITE_DONE) {
		log_error("display db: reading store %" PRId64 ": %s", id,
			  sqlite3_errmsg(db->reader));
		found = DISPLAY_DB_ERROR;
	}
	sqlite3_reset(db->doc);
	return found;
}

enum display_db_found display_db_doc(struct display_db *db, int64_t id,
				     char **doc)
{
	enum display_db_found found;

	pthread_mutex_lock(&db->read_lock);
	found = lookup(db, id, doc);
	pthread_mutex_unlock(&db->read_lock);
	return found;
}

int display_db_docs(struct display_db *db, const int64_t *ids, size_t n,
		    char **docs)
{
	size_t i;

	memset(docs, 0, n * sizeof(*docs));
	pthread_mutex_lock(&db->read_lock);
	/* Each lookup sees its own snapshot; a store changing in between
	 * shows its old or new document, either of which is fine. */
	for (i = 0; i < n; i++)
		if (lookup(db, ids[i], &docs[i]) == DISPLAY_DB_ERROR)
			break;
	pthread_mutex_unlock(&db->read_lock);
	if (i == n)
		return 0;
	for (size_t k = 0; k < n; k++) {
		free(docs[k]);
		docs[k] = NULL;
	}
	return -1;
}

int display_db_count(struct display_db *db, int64_t *count, char *err,
		     size_t errlen)
{
	int rc;

	pthread_mutex_lock(&db->read_lock);
	rc = sqlite3_step(db->count);
	if (rc == SQLITE_ROW)
		*count = sqlite3_column_int64(db->count, 0);
	else
		snprintf(err, errlen, "%s", sqlite3_errmsg(db->reader));
	sqlite3_reset(db->count);
	pthread_mutex_unlock(&db->read_lock);
	return rc == SQLITE_ROW ? 0 : -1;
}

/*
 * One row of the listing: the document with "deleted":false, and "id" and
 * "version" from the row (what the consumer goes by); a tombstone as
 * {"id","version","deleted":true}. A document that is not a JSON object
 * shows as a row without columns, which an audit finds differing.
 */
static json_t *replica_row(sqlite3_stmt *s)
{
	json_t *row = NULL;

	if (!sqlite3_column_int(s, 2) &&
	    sqlite3_column_type(s, 3) == SQLITE_TEXT)
		row = json_loads((const char *)sqlite3_column_text(s, 3), 0,
				 NULL);
	if (!json_is_object(row)) {
		json_decref(row);
		row = json_object();
	}
	if (row == NULL ||
	    json_object_set_new(row, "id",
				json_integer(sqlite3_column_int64(s, 0))) ||
	    json_object_set_new(row, "version",
				json_integer(sqlite3_column_int64(s, 1))) ||
	    json_object_set_new(row, "deleted",
				json_boolean(sqlite3_column_int(s, 2)))) {
		json_decref(row);
		return NULL;
	}
	return row;
}

json_t *display_db_replica(struct display_db *db, int64_t after, int limit)
{
	json_t *list = json_array(), *row;
	int64_t last = 0;
	int rc = SQLITE_DONE, rows = 0;

	if (list == NULL)
		return NULL;
	pthread_mutex_lock(&db->read_lock);
	sqlite3_bind_int64(db->replica, 1, after);
	sqlite3_bind_int(db->replica, 2, limit);
	while ((rc = sqlite3_step(db->replica)) == SQLITE_ROW) {
		last = sqlite3_column_int64(db->replica, 0);
		rows++;
		row = replica_row(db->replica);
		if (row == NULL || json_array_append_new(list, row)) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		log_error("display db: listing the documents: %s",
			  rc == SQLITE_NOMEM ? "out of memory"
					     : sqlite3_errmsg(db->reader));
	sqlite3_reset(db->replica);
	pthread_mutex_unlock(&db->read_lock);
	if (rc != SQLITE_DONE) {
		json_decref(list);
		return NULL;
	}
	return json_pack("{s:o, s:o}", "stores", list, "next",
			 rows == limit ? json_integer((json_int_t)last)
				       : json_null());
}
