#include "store-svc/store_db_priv.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "store-svc/store_validate.h"

#define BUSY_TIMEOUT_MS 5000

#define STORE_COLS \
	"id, owner, name, category, phone, status, version, created_at," \
	" updated_at, deleted, address_road, address_detail, address_postal," \
	" area, hours, status_reason, min_order, delivery_fee, description," \
	" menu, menu_seq"

/* ?1 after id, ?2 limit, ?3 owner, ?4 area, ?5 category, ?6 status,
 * ?7 LIKE pattern of the text. */
#define LIST_FILTERS \
	" AND (?4 IS NULL OR area = ?4)" \
	" AND (?5 IS NULL OR category = ?5)" \
	" AND (?6 IS NULL OR status = ?6)" \
	" AND (?7 IS NULL OR name LIKE ?7 ESCAPE '\\'" \
	"  OR description LIKE ?7 ESCAPE '\\'" \
	"  OR EXISTS (SELECT 1 FROM json_each(stores.menu) AS item" \
	"   WHERE json_extract(item.value, '$.name') LIKE ?7 ESCAPE '\\'))" \
	" ORDER BY id LIMIT ?2"

const char *const store_db_sql[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_GET] = "SELECT " STORE_COLS " FROM stores WHERE id = ?1",
	[ST_INSERT] = "INSERT INTO stores (owner, name, category, phone,"
		      " status, address_road, address_detail, address_postal,"
		      " area, hours, status_reason, min_order, delivery_fee,"
		      " description, menu, menu_seq, version, created_at,"
		      " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
		      " ?10, ?11, ?12, ?13, ?14, ?15, ?16, 1, ?17, ?17)",
	[ST_UPDATE] = "UPDATE stores SET owner = ?1, name = ?2, category = ?3,"
		      " phone = ?4, status = ?5, address_road = ?6,"
		      " address_detail = ?7, address_postal = ?8, area = ?9,"
		      " hours = ?10, status_reason = ?11, min_order = ?12,"
		      " delivery_fee = ?13, description = ?14, menu = ?15,"
		      " menu_seq = ?16, version = ?17, updated_at = ?18"
		      " WHERE id = ?19",
	[ST_TOMBSTONE] = "UPDATE stores SET deleted = 1, version = ?1,"
			 " updated_at = ?2 WHERE id = ?3",
	[ST_OUTBOX_ADD] = "INSERT INTO outbox (event_id, store_id, type,"
			  " version, fields, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_LIST_ALL] = "SELECT " STORE_COLS " FROM stores"
			" WHERE deleted = 0 AND id > ?1"
			" AND (?3 IS NULL OR owner = ?3)" LIST_FILTERS,
	/* The owner's index serves owners listing their own stores. */
	[ST_LIST_OWNER] = "SELECT " STORE_COLS " FROM stores"
			  " WHERE deleted = 0 AND owner = ?3 AND id > ?1"
			  LIST_FILTERS,
	[ST_TOKENS_CLEAR] = "DELETE FROM tokens",
	[ST_TOKENS_ADD] = "INSERT INTO tokens (hash, role, owner)"
			  " VALUES (?1, ?2, ?3)",
	[ST_TOKENS_ALL] = "SELECT hash, role, owner FROM tokens",
	[ST_GET_MANY] = "SELECT " STORE_COLS " FROM stores WHERE id IN"
			" (SELECT value FROM json_each(?1)) ORDER BY id",
	[ST_PENDING] = "SELECT id, event_id, store_id, type, version, fields,"
		       " at, resync, target FROM outbox"
		       " WHERE sent_at IS NULL AND id > ?1"
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
	size_t n = v != NULL ? (size_t)sqlite3_column_bytes(st, col) : 0;

	/* Every read copies some twenty columns: no stdio here. */
	if (n >= len)
		n = len - 1;
	if (n > 0)
		memcpy(dst, v, n);
	dst[n] = '\0';
}

int store_db_commit(struct store_db *db)
{
	if (store_db_run(db, ST_COMMIT)) {
		store_db_rollback(db);
		return -1;
	}
	return 0;
}

/* The hours column back into the model; NULL or corrupt text: no hours. */
static void read_hours(sqlite3_stmt *st, int col, struct store_hours *h)
{
	const char *text = (const char *)sqlite3_column_text(st, col);
	struct store_errors errs;
	json_t *doc;

	memset(h, 0, sizeof(*h));
	if (text == NULL)
		return;
	doc = json_loads(text, 0, NULL);
	if (doc == NULL || store_validate_hours(doc, h, &errs)) {
		log_error("database: store %lld has unreadable hours; treating them as unset",
			  (long long)sqlite3_column_int64(st, 0));
		memset(h, 0, sizeof(*h));
	}
	json_decref(doc);
}

static json_t *read_menu(sqlite3_stmt *st, int col)
{
	const char *text = (const char *)sqlite3_column_text(st, col);
	json_t *menu;

	if (text == NULL)
		return NULL;
	menu = json_loads(text, 0, NULL);
	if (!json_is_array(menu)) {
		log_error("database: store %lld has an unreadable menu; treating it as empty",
			  (long long)sqlite3_column_int64(st, 0));
		json_decref(menu);
		return NULL;
	}
	return menu;
}

/* One row of STORE_COLS into s, which gets its own menu reference. */
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
	store_db_copy_col(st, 10, s->address.road, sizeof(s->address.road));
	store_db_copy_col(st, 11, s->address.detail, sizeof(s->address.detail));
	store_db_copy_col(st, 12, s->address.postal_code,
			  sizeof(s->address.postal_code));
	store_db_copy_col(st, 13, s->area, sizeof(s->area));
	read_hours(st, 14, &s->hours);
	store_db_copy_col(st, 15, s->status_reason, sizeof(s->status_reason));
	s->min_order = sqlite3_column_int64(st, 16);
	s->delivery_fee = sqlite3_column_int64(st, 17);
	store_db_copy_col(st, 18, s->description, sizeof(s->description));
	s->menu = read_menu(st, 19);
	s->menu_seq = sqlite3_column_int64(st, 20);
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
	for (int i = 0; i < STORE_DB_READERS; i++)
		pthread_mutex_init(&db->reader[i].lock, NULL);
	if (strcmp(path, ":memory:") != 0 && path[0] != '\0' &&
	    (db->path = strdup(path)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (sqlite3_open_v2(path, &db->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				    SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database %s: %s", path,
			 db->db ? sqlite3_errmsg(db->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_handler(db->db, on_busy, db);
	if (store_db_exec(db->db, "PRAGMA journal_mode = WAL", "wal", why,
			  sizeof(why)) ||
	    store_db_exec(db->db,
			  durable ? "PRAGMA synchronous = FULL"
				  : "PRAGMA synchronous = NORMAL",
			  NULL, why, sizeof(why))) {
		snprintf(err, errlen, "database %s: %s", path, why);
		goto fail;
	}
	if (store_db_schema_ready(db->db, path, err, errlen))
		goto fail;
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
	for (int i = 0; i < STORE_DB_READERS; i++) {
		sqlite3_finalize(db->reader[i].get);
		sqlite3_close(db->reader[i].db);
		pthread_mutex_destroy(&db->reader[i].lock);
	}
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(db->st[i]);
	sqlite3_close(db->db);
	pthread_mutex_destroy(&db->lock);
	free(db->path);
	free(db);
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s != NULL && s[0] != '\0')
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* Binds a JSON value's compact text (NULL when v is). 0 or -1. */
static int bind_json(sqlite3_stmt *st, int i, const json_t *v)
{
	char *text;

	if (v == NULL) {
		sqlite3_bind_null(st, i);
		return 0;
	}
	text = json_dumps(v, JSON_COMPACT);
	if (text == NULL)
		return -1;
	sqlite3_bind_text(st, i, text, -1, free);
	return 0;
}

/* Parameters 1-16 of ST_INSERT and ST_UPDATE. 0 or -1 (out of memory). */
static int bind_fields(sqlite3_stmt *st, const struct store *s)
{
	json_t *hours = s->hours.set ? store_model_hours_json(&s->hours) : NULL;
	int rc;

	sqlite3_bind_text(st, 1, s->owner, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, s->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, s->category, -1, SQLITE_TRANSIENT);
	bind_text_or_null(st, 4, s->phone);
	sqlite3_bind_text(st, 5, s->status, -1, SQLITE_TRANSIENT);
	bind_text_or_null(st, 6, s->address.road);
	bind_text_or_null(st, 7, s->address.detail);
	bind_text_or_null(st, 8, s->address.postal_code);
	bind_text_or_null(st, 9, s->area);
	rc = bind_json(st, 10, hours);
	json_decref(hours);
	bind_text_or_null(st, 11, s->status_reason);
	sqlite3_bind_int64(st, 12, s->min_order);
	sqlite3_bind_int64(st, 13, s->delivery_fee);
	bind_text_or_null(st, 14, s->description);
	if (bind_json(st, 15, s->menu))
		rc = -1;
	sqlite3_bind_int64(st, 16, s->menu_seq);
	return rc;
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
	if (bind_fields(st, s)) {
		store_db_reset(st);
		log_error("database: out of memory binding a new store");
		goto out;
	}
	sqlite3_bind_text(st, 17, now, -1, SQLITE_TRANSIENT);
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

/* Opens reader r (its lock held); 0, or -1 after logging once. */
static int reader_open(struct store_db *db, struct store_db_reader *r)
{
	if (sqlite3_open_v2(db->path, &r->db,
			    SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(r->db, BUSY_TIMEOUT_MS) != SQLITE_OK ||
	    sqlite3_prepare_v3(r->db, store_db_sql[ST_GET], -1,
			       SQLITE_PREPARE_PERSISTENT, &r->get,
			       NULL) != SQLITE_OK) {
		log_warn("database: no read-only connection (%s); reads share the writer's",
			 r->db ? sqlite3_errmsg(r->db) : "out of memory");
		sqlite3_finalize(r->get);
		sqlite3_close(r->db);
		r->get = NULL;
		r->db = NULL;
		r->failed = 1;
		return -1;
	}
	return 0;
}

/*
 * The reader of the calling thread's slot, locked, or NULL (in memory, or
 * it could not open): then read through the writer's connection.
 */
static struct store_db_reader *reader_take(struct store_db *db)
{
	static atomic_uint next_slot;
	static _Thread_local int slot = -1;
	struct store_db_reader *r;

	if (db->path == NULL)
		return NULL;
	if (slot < 0)
		slot = (int)(atomic_fetch_add(&next_slot, 1) %
			     STORE_DB_READERS);
	r = &db->reader[slot];
	pthread_mutex_lock(&r->lock);
	if (r->failed || (r->db == NULL && reader_open(db, r))) {
		pthread_mutex_unlock(&r->lock);
		return NULL;
	}
	return r;
}

/* store_db_get on a reader. */
static int get_on_reader(struct store_db_reader *r, int64_t id,
			 struct store *out)
{
	int rc;

	sqlite3_bind_int64(r->get, 1, id);
	rc = sqlite3_step(r->get);
	if (rc == SQLITE_ROW)
		read_store(r->get, out);
	store_db_reset(r->get);
	if (rc == SQLITE_DONE)
		return STORE_DB_NOT_FOUND;
	if (rc != SQLITE_ROW) {
		log_error("database: %s: %s", store_db_sql[ST_GET],
			  sqlite3_errmsg(r->db));
		return STORE_DB_ERROR;
	}
	return out->deleted ? STORE_DB_GONE : STORE_DB_OK;
}

int store_db_get(struct store_db *db, int64_t id, struct store *out)
{
	struct store_db_reader *r = reader_take(db);
	int rc;

	/* A found row is read into a zeroed model (read_store); the model
	 * is several KB, so it is not zeroed twice on the hot path. */
	if (r != NULL) {
		rc = get_on_reader(r, id, out);
		pthread_mutex_unlock(&r->lock);
	} else {
		pthread_mutex_lock(&db->lock);
		rc = get_locked(db, id, out);
		pthread_mutex_unlock(&db->lock);
	}
	/* No row was read: nothing was allocated. */
	if (rc != STORE_DB_OK && rc != STORE_DB_GONE)
		memset(out, 0, sizeof(*out));
	return rc;
}

static int write_update(struct store_db *db, struct store *next,
			uint32_t fields)
{
	sqlite3_stmt *st = db->st[ST_UPDATE];

	if (bind_fields(st, next)) {
		store_db_reset(st);
		log_error("database: out of memory binding store %lld",
			  (long long)next->id);
		return -1;
	}
	sqlite3_bind_int64(st, 17, next->version);
	sqlite3_bind_text(st, 18, next->updated_at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 19, next->id);
	if (store_db_run(db, ST_UPDATE))
		return -1;
	return store_db_outbox_add(db, next->id, STORE_EVENT_UPDATED,
				   next->version, fields, next->updated_at);
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
	return store_db_outbox_add(db, gone->id, STORE_EVENT_DELETED,
				   gone->version, store_model_fields(gone),
				   gone->updated_at);
}

int store_db_edit(struct store_db *db, int64_t id, store_edit_fn fn,
		  void *ctx, struct store *result, int *wrote)
{
	struct store cur, next;
	uint32_t fields = 0;
	int rc;

	*wrote = 0;
	memset(result, 0, sizeof(*result));
	memset(&cur, 0, sizeof(cur));
	memset(&next, 0, sizeof(next));
	pthread_mutex_lock(&db->lock);
	if (store_db_run(db, ST_BEGIN)) {
		rc = STORE_DB_ERROR;
		goto out;
	}
	rc = get_locked(db, id, &cur);
	if (rc != STORE_DB_OK) {
		if (rc == STORE_DB_GONE) {
			*result = cur; /* hands over its menu reference */
			cur.menu = NULL;
		}
		goto out;
	}
	store_model_copy(&next, &cur);
	switch (fn(ctx, &cur, &next, &fields)) {
	case STORE_EDIT_KEEP:
		*result = cur;
		cur.menu = NULL;
		break;
	case STORE_EDIT_REFUSE:
		*result = cur;
		cur.menu = NULL;
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
		next.menu = NULL;
		*wrote = 1;
		break;
	case STORE_EDIT_DELETE:
		store_model_clear(&next);
		store_model_copy(&next, &cur);
		next.version = cur.version + 1;
		next.deleted = 1;
		clock_format_iso(clock_wall_ms(), next.updated_at,
				 sizeof(next.updated_at));
		if (write_tombstone(db, &next) || store_db_commit(db)) {
			rc = STORE_DB_ERROR;
			break;
		}
		*result = next;
		next.menu = NULL;
		*wrote = 1;
		break;
	}
out:
	store_db_rollback(db); /* a no-op after a commit */
	pthread_mutex_unlock(&db->lock);
	store_model_clear(&cur);
	store_model_clear(&next);
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
		store_model_clear(&s);
	}
	store_db_reset(st);
	if (rc != SQLITE_DONE) {
		store_db_fail(db, store_db_sql[id]);
		return STORE_DB_ERROR;
	}
	return STORE_DB_OK;
}

/* "%text%" for LIKE, with %, _ and \ in text escaped by \. */
static char *like_pattern(const char *text)
{
	size_t n = strlen(text);
	char *p = malloc(2 * n + 3), *q = p;

	if (p == NULL)
		return NULL;
	*q++ = '%';
	for (const char *s = text; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*q++ = '\\';
		*q++ = *s;
	}
	*q++ = '%';
	*q = '\0';
	return p;
}

int store_db_list(struct store_db *db, const struct store_filter *f,
		  int64_t after_id, int limit,
		  void (*fn)(void *ctx, const struct store *s), void *ctx)
{
	enum stmt_id id = f->owner != NULL ? ST_LIST_OWNER : ST_LIST_ALL;
	sqlite3_stmt *st = db->st[id];
	char *like = NULL;
	int rc;

	if (f->text != NULL && (like = like_pattern(f->text)) == NULL)
		return STORE_DB_ERROR;
	pthread_mutex_lock(&db->lock);
	sqlite3_bind_int64(st, 1, after_id);
	sqlite3_bind_int(st, 2, limit);
	bind_text_or_null(st, 3, f->owner);
	bind_text_or_null(st, 4, f->area);
	bind_text_or_null(st, 5, f->category);
	bind_text_or_null(st, 6, f->status);
	bind_text_or_null(st, 7, like);
	rc = each_store(db, id, fn, ctx);
	pthread_mutex_unlock(&db->lock);
	free(like);
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
