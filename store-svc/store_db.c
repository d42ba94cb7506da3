#include "store-svc/store_db.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "api/fields.h"
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

enum stmt_id {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_GET,
	ST_INSERT,
	ST_UPDATE,
	ST_TOMBSTONE,
	ST_OUTBOX_ADD,
	ST_LIST_ALL,
	ST_LIST_OWNER,
	ST_GET_MANY,
	ST_PENDING,
	ST_MARK_SENT,
	ST_PRUNE,
	ST_STATS,
	ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
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

struct store_db {
	sqlite3 *db;
	pthread_mutex_t lock;
	sqlite3_stmt *st[ST_COUNT];
	/* Busy handler state; only touched with lock held. */
	int no_wait;
	double busy_since_ms;
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

static void db_fail(struct store_db *db, const char *what)
{
	log_error("database: %s: %s", what, sqlite3_errmsg(db->db));
}

static void stmt_done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* Runs a statement that returns no rows; 0 or -1 (logged). */
static int run(struct store_db *db, enum stmt_id id)
{
	sqlite3_stmt *st = db->st[id];
	int rc = sqlite3_step(st);

	stmt_done(st);
	if (rc != SQLITE_DONE) {
		db_fail(db, stmt_sql[id]);
		return -1;
	}
	return 0;
}

static void rollback(struct store_db *db)
{
	if (sqlite3_get_autocommit(db->db) == 0)
		run(db, ST_ROLLBACK);
}

static void copy_col(sqlite3_stmt *st, int col, char *dst, size_t len)
{
	const unsigned char *v = sqlite3_column_text(st, col);

	snprintf(dst, len, "%s", v != NULL ? (const char *)v : "");
}

static void read_store(sqlite3_stmt *st, struct store *s)
{
	memset(s, 0, sizeof(*s));
	s->id = sqlite3_column_int64(st, 0);
	copy_col(st, 1, s->owner, sizeof(s->owner));
	copy_col(st, 2, s->name, sizeof(s->name));
	copy_col(st, 3, s->category, sizeof(s->category));
	copy_col(st, 4, s->phone, sizeof(s->phone));
	copy_col(st, 5, s->status, sizeof(s->status));
	s->version = sqlite3_column_int64(st, 6);
	copy_col(st, 7, s->created_at, sizeof(s->created_at));
	copy_col(st, 8, s->updated_at, sizeof(s->updated_at));
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
		if (sqlite3_prepare_v3(db->db, stmt_sql[i], -1,
				       SQLITE_PREPARE_PERSISTENT, &db->st[i],
				       NULL) != SQLITE_OK) {
			snprintf(err, errlen, "database %s: preparing \"%s\": %s",
				 path, stmt_sql[i], sqlite3_errmsg(db->db));
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

/* A random 128-bit event id as 32 hex digits. */
static int new_event_id(char *buf, size_t len)
{
	unsigned char raw[16];
	size_t got = 0;

	while (got < sizeof(raw)) {
		ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_error("getrandom: %s", strerror(errno));
			return -1;
		}
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof(raw) && 2 * i + 2 < len; i++)
		snprintf(buf + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

/* The names of the bits of fields as a JSON array text: ["name","phone"]. */
static void fields_text(uint32_t fields, char *buf, size_t len)
{
	size_t n = 0;

	n += (size_t)snprintf(buf, len, "[");
	for (int b = 0; b < 32; b++) {
		const char *name = store_field_name(1u << b);

		if (!(fields & (1u << b)) || name == NULL || n >= len)
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s\"%s\"",
				      n > 1 ? "," : "", name);
	}
	if (n < len)
		snprintf(buf + n, len - n, "]");
}

static int outbox_add(struct store_db *db, int64_t store_id,
		      enum store_event_type type, int64_t version,
		      uint32_t fields, const char *at)
{
	sqlite3_stmt *st = db->st[ST_OUTBOX_ADD];
	char event_id[40];
	char names[512];

	if (new_event_id(event_id, sizeof(event_id)))
		return -1;
	fields_text(fields, names, sizeof(names));
	sqlite3_bind_text(st, 1, event_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, store_id);
	sqlite3_bind_text(st, 3, store_event_type_name(type), -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, version);
	sqlite3_bind_text(st, 5, names, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, at, -1, SQLITE_TRANSIENT);
	return run(db, ST_OUTBOX_ADD);
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

static int commit(struct store_db *db)
{
	if (run(db, ST_COMMIT)) {
		rollback(db);
		return -1;
	}
	return 0;
}

int store_db_create(struct store_db *db, struct store *s)
{
	sqlite3_stmt *st = db->st[ST_INSERT];
	char now[32];
	int rc = STORE_DB_ERROR;

	pthread_mutex_lock(&db->lock);
	if (run(db, ST_BEGIN))
		goto out;
	clock_format_iso(clock_wall_ms(), now, sizeof(now));
	bind_fields(st, s);
	sqlite3_bind_text(st, 6, now, -1, SQLITE_TRANSIENT);
	if (run(db, ST_INSERT))
		goto out;
	s->id = sqlite3_last_insert_rowid(db->db);
	s->version = 1;
	s->deleted = 0;
	memcpy(s->created_at, now, sizeof(now));
	memcpy(s->updated_at, now, sizeof(now));
	if (outbox_add(db, s->id, STORE_EVENT_CREATED, 1,
		       store_model_fields(s), now) ||
	    commit(db))
		goto out;
	rc = STORE_DB_OK;
out:
	if (rc != STORE_DB_OK)
		rollback(db);
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
	stmt_done(st);
	if (rc == SQLITE_DONE)
		return STORE_DB_NOT_FOUND;
	if (rc != SQLITE_ROW) {
		db_fail(db, stmt_sql[ST_GET]);
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
	if (run(db, ST_UPDATE))
		return -1;
	return outbox_add(db, next->id, STORE_EVENT_UPDATED, next->version,
			  fields, next->updated_at);
}

static int write_tombstone(struct store_db *db, struct store *gone)
{
	sqlite3_stmt *st = db->st[ST_TOMBSTONE];

	sqlite3_bind_int64(st, 1, gone->version);
	sqlite3_bind_text(st, 2, gone->updated_at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, gone->id);
	if (run(db, ST_TOMBSTONE))
		return -1;
	/* Everything the store had is gone: name every field it held. */
	return outbox_add(db, gone->id, STORE_EVENT_DELETED, gone->version,
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
	if (run(db, ST_BEGIN)) {
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
		if (write_update(db, &next, fields) || commit(db)) {
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
		if (write_tombstone(db, &next) || commit(db)) {
			rc = STORE_DB_ERROR;
			break;
		}
		*result = next;
		*wrote = 1;
		break;
	}
out:
	rollback(db); /* a no-op after a commit */
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
	stmt_done(st);
	if (rc != SQLITE_DONE) {
		db_fail(db, stmt_sql[id]);
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

static enum store_event_type type_from_name(const char *name)
{
	if (strcmp(name, "created") == 0)
		return STORE_EVENT_CREATED;
	if (strcmp(name, "deleted") == 0)
		return STORE_EVENT_DELETED;
	return STORE_EVENT_UPDATED;
}

static uint32_t fields_from_text(const char *text)
{
	json_t *arr = json_loads(text, 0, NULL);
	uint32_t bits = 0;
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (json_is_string(v))
			bits |= store_field_from_name(json_string_value(v));
	json_decref(arr);
	return bits;
}

int store_db_outbox_pending(struct store_db *db, int64_t after_id,
			    struct store_outbox_row *rows, int max)
{
	sqlite3_stmt *st = db->st[ST_PENDING];
	int n = 0;
	int rc = SQLITE_DONE;

	pthread_mutex_lock(&db->lock);
	sqlite3_bind_int64(st, 1, after_id);
	sqlite3_bind_int(st, 2, max);
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_outbox_row *r = &rows[n++];
		const unsigned char *type = sqlite3_column_text(st, 3);
		const unsigned char *fields = sqlite3_column_text(st, 5);
		const unsigned char *at = sqlite3_column_text(st, 6);

		memset(r, 0, sizeof(*r));
		r->id = sqlite3_column_int64(st, 0);
		copy_col(st, 1, r->ev.event_id, sizeof(r->ev.event_id));
		r->ev.store_id = sqlite3_column_int64(st, 2);
		r->ev.type = type_from_name(type ? (const char *)type : "");
		r->ev.version = sqlite3_column_int64(st, 4);
		r->ev.fields = fields ? fields_from_text((const char *)fields)
				      : 0;
		if (at == NULL || clock_parse_iso((const char *)at, &r->ev.at_ms))
			r->ev.at_ms = clock_wall_ms();
	}
	if (n == max)
		rc = SQLITE_DONE;
	stmt_done(st);
	pthread_mutex_unlock(&db->lock);
	if (rc != SQLITE_DONE) {
		db_fail(db, stmt_sql[ST_PENDING]);
		return STORE_DB_ERROR;
	}
	return n;
}

int store_db_outbox_mark_sent(struct store_db *db, const int64_t *ids,
			      size_t n, double now_ms, int wait)
{
	sqlite3_stmt *st = db->st[ST_MARK_SENT];
	char now[32];
	int rc = STORE_DB_ERROR;
	int step;

	if (n == 0)
		return STORE_DB_OK;
	clock_format_iso(now_ms, now, sizeof(now));
	pthread_mutex_lock(&db->lock);
	db->no_wait = !wait;
	step = sqlite3_step(db->st[ST_BEGIN]);
	stmt_done(db->st[ST_BEGIN]);
	db->no_wait = 0;
	if (step == SQLITE_BUSY && !wait) {
		rc = STORE_DB_BUSY;
		goto out;
	}
	if (step != SQLITE_DONE) {
		db_fail(db, stmt_sql[ST_BEGIN]);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, ids[i]);
		if (run(db, ST_MARK_SENT))
			goto out;
	}
	if (commit(db))
		goto out;
	rc = STORE_DB_OK;
out:
	rollback(db);
	pthread_mutex_unlock(&db->lock);
	return rc;
}

int store_db_outbox_prune(struct store_db *db, double before_ms)
{
	sqlite3_stmt *st = db->st[ST_PRUNE];
	char before[32];
	int rc;

	clock_format_iso(before_ms, before, sizeof(before));
	pthread_mutex_lock(&db->lock);
	sqlite3_bind_text(st, 1, before, -1, SQLITE_TRANSIENT);
	rc = run(db, ST_PRUNE) ? STORE_DB_ERROR : sqlite3_changes(db->db);
	pthread_mutex_unlock(&db->lock);
	return rc;
}

int store_db_outbox_stats(struct store_db *db, int64_t *pending,
			  double *oldest_ms)
{
	sqlite3_stmt *st = db->st[ST_STATS];
	int rc;

	*pending = 0;
	*oldest_ms = 0;
	pthread_mutex_lock(&db->lock);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *at = sqlite3_column_text(st, 1);

		*pending = sqlite3_column_int64(st, 0);
		if (at != NULL && clock_parse_iso((const char *)at, oldest_ms))
			*oldest_ms = 0;
	}
	stmt_done(st);
	if (rc != SQLITE_ROW)
		db_fail(db, stmt_sql[ST_STATS]);
	pthread_mutex_unlock(&db->lock);
	return rc == SQLITE_ROW ? STORE_DB_OK : STORE_DB_ERROR;
}
