#include "store-svc/store_db_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"

#define BUSY_TIMEOUT_MS 5000

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
	"PRAGMA user_version = 1;";

#define STORE_COLS \
	"id, owner, name, category, phone, status, version, created_at," \
	" updated_at, deleted"

const char *const store_db_sql[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_GET] = "SELECT " STORE_COLS " FROM stores WHERE id = ?1",
	[ST_INSERT] = "INSERT INTO stores (owner, name, category, phone,"
		      " status, version, created_at, updated_at)"
		      " VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6)",
	[ST_UPDATE] = "UPDATE stores SET owner = ?1, name = ?2, category = ?3,"
		      " phone = ?4, status = ?5, version = ?6, updated_at = ?7"
		      " WHERE id = ?8",
	[ST_TOMBSTONE] = "UPDATE stores SET deleted = 1, version = ?1,"
			 " updated_at = ?2 WHERE id = ?3",
	[ST_OUTBOX_ADD] = "INSERT INTO outbox (event_id, store_id, type,"
			  " version, fields, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_LIST_ALL] = "SELECT " STORE_COLS " FROM stores"
			" WHERE deleted = 0 AND id > ?1 ORDER BY id LIMIT ?2",
	[ST_LIST_OWNER] = "SELECT " STORE_COLS " FROM stores"
			  " WHERE deleted = 0 AND owner = ?3 AND id > ?1"
			  " ORDER BY id LIMIT ?2",
	[ST_GET_MANY] = "SELECT " STORE_COLS " FROM stores WHERE id IN"
			" (SELECT value FROM json_each(?1)) ORDER BY id",
	[ST_PENDING] = "SELECT id, event_id, store_id, type, version, fields,"
		       " at FROM outbox WHERE sent_at IS NULL AND id > ?1"
		       " ORDER BY id LIMIT ?2",
	[ST_MARK_SENT] = "UPDATE outbox SET sent_at = ?1"
			 " WHERE id = ?2 AND sent_at IS NULL",
	[ST_PRUNE] = "DELETE FROM outbox"
		     " WHERE sent_at IS NOT NULL AND sent_at < ?1",
	[ST_STATS] = "SELECT count(*), min(at) FROM outbox"
		     " WHERE sent_at IS NULL",
};

/*
 * SQLite's default busy handler sleeps in steps of up to 100 ms, while the
 * other connection (HTTP or relay) holds the write lock for about a
 * millisecond: poll finely instead, so a write waiting for the lock costs
 * little latency. Gives up after BUSY_TIMEOUT_MS, or at once in no_wait.
 */
static int on_busy(void *arg, int count)
{
	struct store_db *db = arg;
	double now = clock_mono_ms();

	if (db->no_wait)
		return 0;
	if (count == 0)
		db->busy_since_ms = now;
	else if (now - db->busy_since_ms > BUSY_TIMEOUT_MS)
		return 0;
	usleep(count < 20 ? 50 : count < 200 ? 250 : 1000);
	return 1;
}

void store_db_fail(struct store_db *db, const char *what)
{
	log_error("database: %s: %s", what, sqlite3_errmsg(db->db));
}

void store_db_reset(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* Runs a statement that returns no rows; 0 or -1 (logged). */
int store_db_run(struct store_db *db, enum stmt_id id)
{
	sqlite3_stmt *st = db->st[id];
	int rc = sqlite3_step(st);

	store_db_reset(st);
	if (rc != SQLITE_DONE) {
		store_db_fail(db, store_db_sql[id]);
		return -1;
	}
	return 0;
}

void store_db_rollback(struct store_db *db)
{
	if (sqlite3_get_autocommit(db->db) == 0)
		store_db_run(db, ST_ROLLBACK);
}

void store_db_copy_col(sqlite3_stmt *st, int col, char *dst, size_t len)
{
	const unsigned char *v = sqlite3_column_text(st, col);

	snprintf(dst, len, "%s", v != NULL ? (const char *)v : "");
}

int store_db_commit(struct store_db *db)
{
	if (store_db_run(db, ST_COMMIT)) {
		store_db_rollback(db);
		return -1;
	}
	return 0;
}

static void read_store(sqlite3_stmt *st, struct store *s)
{
	memset(s, 0, sizeof(*s));
	s->id = sqlite3_column_int64(st, 0);
	store_db_copy_col(st, 1, s->owner, sizeof(s->owner));
	store_db_copy_col(st, 2, s->name, sizeof(s->name));
	store_db_copy_col(st, 3, s->category, sizeof(s->category));
	store_db_copy_col(st, 4, s->phone, sizeof(s->phone));
	store_db_copy_col(st, 5, s->status, sizeof(s->status));
	s->version = sqlite3_column_int64(st, 6);
	store_db_copy_col(st, 7, s->created_at, sizeof(s->created_at));
	store_db_copy_col(st, 8, s->updated_at, sizeof(s->updated_at));
	s->deleted = sqlite3_column_int(st, 9) != 0;
}

static int exec_text(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* WAL lets the relay's connection read and mark rows while HTTP writes. */
static int set_wal(sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int ok = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &st,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *mode = sqlite3_column_text(st, 0);

		ok = mode != NULL && strcmp((const char *)mode, "wal") == 0;
	}
	sqlite3_finalize(st);
	if (!ok)
		snprintf(err, errlen, "cannot switch to WAL mode: %s",
			 sqlite3_errmsg(db));
	return ok ? 0 : -1;
}

struct store_db *store_db_open(const char *path, int durable, char *err,
			       size_t errlen)
{
	struct store_db *db = calloc(1, sizeof(*db));
	char why[256];

	if (db == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&db->lock, NULL);
	if (sqlite3_open_v2(path, &db->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				    SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database %s: %s", path,
			 db->db ? sqlite3_errmsg(db->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_handler(db->db, on_busy, db);
	if (set_wal(db->db, why, sizeof(why)) ||
	    exec_text(db->db,
		      durable ? "PRAGMA synchronous = FULL"
			      : "PRAGMA synchronous = NORMAL",
		      why, sizeof(why)) ||
	    exec_text(db->db, schema, why, sizeof(why))) {
		snprintf(err, errlen, "database %s: %s", path, why);
		goto fail;
	}
	for (int i = 0; i < ST_COUNT; i++) {
		if (sqlite3_prepare_v3(db->db, store_db_sql[i], -1,
				       SQLITE_PREPARE_PERSISTENT, &db->st[i],
				       NULL) != SQLITE_OK) {
			snprintf(err, errlen, "database %s: preparing \"%s\": %s",
				 path, store_db_sql[i], sqlite3_errmsg(db->db));
			goto fail;
		}
	}
	return db;
fail:
	store_db_close(db);
	return NULL;
}

void store_db_close(struct store_db *db)
{
	if (db == NULL)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(db->st[i]);
	sqlite3_close(db->db);
	pthread_mutex_destroy(&db->lock);
	free(db);
}

static void bind_fields(sqlite3_stmt *st, const struct store *s)
{
	sqlite3_bind_text(st, 1, s->owner, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, s->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, s->category, -1, SQLITE_TRANSIENT);
	if (s->phone[0] != '\0')
		sqlite3_bind_text(st, 4, s->phone, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 4);
	sqlite3_bind_text(st, 5, s->status, -1, SQLITE_TRANSIENT);
}

int store_db_create(struct store_db *db, struct store *s)
{
	sqlite3_stmt *st = db->st[ST_INSERT];
	char now[32];
	int rc = STORE_DB_ERROR;

	pthread_mutex_lock(&db->lock);
	if (store_db_run(db, ST_BEGIN))
		goto out;
	clock_format_iso(clock_wall_ms(), now, sizeof(now));
	bind_fields(st, s);
	sqlite3_bind_text(st, 6, now, -1, SQLITE_TRANSIENT);
	if (store_db_run(db, ST_INSERT))
		goto out;
	s->id = sqlite3_last_insert_rowid(db->db);
	s->version = 1;
	s->deleted = 0;
	memcpy(s->created_at, now, sizeof(now));
	memcpy(s->updated_at, now, sizeof(now));
	if (store_db_outbox_add(db, s->id, STORE_EVENT_CREATED, 1,
		       store_model_fields(s), now) ||
	    store_db_commit(db))
		goto out;
	rc = STORE_DB_OK;
out:
	if (rc != STORE_DB_OK)
		store_db_rollback(db);
	pthread_mutex_unlock(&db->lock);
	return rc;
}

/* store_db_get with the lock held. */
static int get_locked(struct store_db *db, int64_t id, struct store *out)
{
	sqlite3_stmt *st = db->st[ST_GET];
	int rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_store(st, out);
	store_db_reset(st);
	if (rc == SQLITE_DONE)
		return STORE_DB_NOT_FOUND;
	if (rc != SQLITE_ROW) {
		store_db_fail(db, store_db_sql[ST_GET]);
		return STORE_DB_ERROR;
	}
	return out->deleted ? STORE_DB_GONE : STORE_DB_OK;
}

int store_db_get(struct store_db *db, int64_t id, struct store *out)
{
	int rc;

	pthread_mutex_lock(&db->lock);
	rc = get_locked(db, id, out);
	pthread_mutex_unlock(&db->lock);
	return rc;
}

static int write_update(struct store_db *db, struct store *next,
			uint32_t fields)
{
	sqlite3_stmt *st = db->st[ST_UPDATE];

	bind_fields(st, next);
	sqlite3_bind_int64(st, 6, next->version);
	sqlite3_bind_text(st, 7, next->updated_at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 8, next->id);
	if (store_db_run(db, ST_UPDATE))
		return -1;
	return store_db_outbox_add(db, next->id, STORE_EVENT_UPDATED, next->version,
			  fields, next->updated_at);
}

static int write_tombstone(struct store_db *db, struct store *gone)
{
	sqlite3_stmt *st = db->st[ST_TOMBSTONE];

	sqlite3_bind_int64(st, 1, gone->version);
	sqlite3_bind_text(st, 2, gone->updated_at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, gone->id);
	if (store_db_run(db, ST_TOMBSTONE))
		return -1;
	/* Everything the store had is gone: name every field it held. */
	return store_db_outbox_add(db, gone->id, STORE_EVENT_DELETED, gone->version,
			  store_model_fields(gone), gone->updated_at);
}

int store_db_edit(struct store_db *db, int64_t id, store_edit_fn fn,
		  void *ctx, struct store *result, int *wrote)
{
	struct store cur, next;
	uint32_t fields = 0;
	int rc;

	*wrote = 0;
	pthread_mutex_lock(&db->lock);
	if (store_db_run(db, ST_BEGIN)) {
		rc = STORE_DB_ERROR;
		goto out;
	}
	rc = get_locked(db, id, &cur);
	if (rc != STORE_DB_OK) {
		if (rc == STORE_DB_GONE)
			*result = cur;
		goto out;
	}
	next = cur;
	switch (fn(ctx, &cur, &next, &fields)) {
	case STORE_EDIT_KEEP:
		*result = cur;
		break;
	case STORE_EDIT_REFUSE:
		*result = cur;
		rc = STORE_DB_REFUSED;
		break;
	case STORE_EDIT_WRITE:
		next.id = cur.id;
		next.version = cur.version + 1;
		next.deleted = 0;
		memcpy(next.created_at, cur.created_at, sizeof(cur.created_at));
		clock_format_iso(clock_wall_ms(), next.updated_at,
				 sizeof(next.updated_at));
		if (write_update(db, &next, fields) || store_db_commit(db)) {
			rc = STORE_DB_ERROR;
			break;
		}
		*result = next;
		*wrote = 1;
		break;
	case STORE_EDIT_DELETE:
		next = cur;
		next.version = cur.version + 1;
		next.deleted = 1;
		clock_format_iso(clock_wall_ms(), next.updated_at,
				 sizeof(next.updated_at));
		if (write_tombstone(db, &next) || store_db_commit(db)) {
			rc = STORE_DB_ERROR;
			break;
		}
		*result = next;
		*wrote = 1;
		break;
	}
out:
	store_db_rollback(db); /* a no-op after a commit */
	pthread_mutex_unlock(&db->lock);
	return rc;
}

/* Steps st to the end calling fn per row; OK or ERROR. */
static int each_store(struct store_db *db, enum stmt_id id,
		      void (*fn)(void *ctx, const struct store *s), void *ctx)
{
	sqlite3_stmt *st = db->st[id];
	struct store s;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_store(st, &s);
		fn(ctx, &s);
	}
	store_db_reset(st);
	if (rc != SQLITE_DONE) {
		store_db_fail(db, store_db_sql[id]);
		return STORE_DB_ERROR;
	}
	return STORE_DB_OK;
}

int store_db_list(struct store_db *db, const char *owner, int64_t after_id,
		  int limit, void (*fn)(void *ctx, const struct store *s),
		  void *ctx)
{
	enum stmt_id id = owner != NULL ? ST_LIST_OWNER : ST_LIST_ALL;
	sqlite3_stmt *st = db->st[id];
	int rc;

	pthread_mutex_lock(&db->lock);
	sqlite3_bind_int64(st, 1, after_id);
	sqlite3_bind_int(st, 2, limit);
	if (owner != NULL)
		sqlite3_bind_text(st, 3, owner, -1, SQLITE_TRANSIENT);
	rc = each_store(db, id, fn, ctx);
	pthread_mutex_unlock(&db->lock);
	return rc;
}

int store_db_get_many(struct store_db *db, const int64_t *ids, size_t n,
		      void (*fn)(void *ctx, const struct store *s), void *ctx)
{
	sqlite3_stmt *st = db->st[ST_GET_MANY];
	size_t cap = 2 + n * 21;
	char *list = malloc(cap);
	size_t used = 0;
	int rc;

	if (list == NULL)
		return STORE_DB_ERROR;
	list[used++] = '[';
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(list + used, cap - used, "%s%lld",
					 i ? "," : "", (long long)ids[i]);
	snprintf(list + used, cap - used, "]");
	pthread_mutex_lock(&db->lock);
	sqlite3_bind_text(st, 1, list, -1, SQLITE_TRANSIENT);
	rc = each_store(db, ST_GET_MANY, fn, ctx);
	pthread_mutex_unlock(&db->lock);
	free(list);
	return rc;
}

