/* The outbox half of the SQLite adapter: rows written with each change,
 * read, marked and pruned by the relay, counted for /health. */
#include "store-svc/store_db_priv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <jansson.h>

#include "api/fields.h"
#include "common/clock.h"
#include "common/log.h"

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

int store_db_outbox_add(struct store_db *db, int64_t store_id,
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
	return store_db_run(db, ST_OUTBOX_ADD);
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
		store_db_copy_col(st, 1, r->ev.event_id, sizeof(r->ev.event_id));
		r->ev.store_id = sqlite3_column_int64(st, 2);
		r->ev.type = type_from_name(type ? (const char *)type : "");
		r->ev.version = sqlite3_column_int64(st, 4);
		r->ev.fields = fields ? fields_from_text((const char *)fields)
				      : 0;
		if (at == NULL || clock_parse_iso((const char *)at, &r->ev.at_ms))
			r->ev.at_ms = clock_wall_ms();
		/* A resync row (store_db_resync). */
		r->ev.resync = sqlite3_column_int(st, 7) != 0;
		store_db_copy_col(st, 8, r->ev.target, sizeof(r->ev.target));
	}
	if (n == max)
		rc = SQLITE_DONE;
	store_db_reset(st);
	pthread_mutex_unlock(&db->lock);
	if (rc != SQLITE_DONE) {
		store_db_fail(db, store_db_sql[ST_PENDING]);
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
	store_db_reset(db->st[ST_BEGIN]);
	db->no_wait = 0;
	if (step == SQLITE_BUSY && !wait) {
		rc = STORE_DB_BUSY;
		goto out;
	}
	if (step != SQLITE_DONE) {
		store_db_fail(db, store_db_sql[ST_BEGIN]);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, ids[i]);
		if (store_db_run(db, ST_MARK_SENT))
			goto out;
	}
	if (store_db_commit(db))
		goto out;
	rc = STORE_DB_OK;
out:
	store_db_rollback(db);
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
	rc = store_db_run(db, ST_PRUNE) ? STORE_DB_ERROR : sqlite3_changes(db->db);
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
	store_db_reset(st);
	if (rc != SQLITE_ROW)
		store_db_fail(db, store_db_sql[ST_STATS]);
	pthread_mutex_unlock(&db->lock);
	return rc == SQLITE_ROW ? STORE_DB_OK : STORE_DB_ERROR;
}
