/*
 * The resync half of the SQLite adapter: outbox rows that announce stores
 * again without changing them (storectl resync, POST /ops/resync), so that
 * a new or damaged downstream copy is rebuilt through the ordinary path.
 */
#include "store-svc/store_db_priv.h"

#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "api/fields.h"
#include "common/clock.h"
#include "common/log.h"

/* Stores announced per transaction, so the writers never wait long. */
#define RESYNC_BATCH 500

static const char sql_one[] =
	"SELECT id, version, deleted FROM stores WHERE id = ?1";
static const char sql_page[] =
	"SELECT id, version, deleted FROM stores WHERE id > ?1"
	" ORDER BY id LIMIT ?2";
static const char sql_mark[] =
	"UPDATE outbox SET resync = 1, target = ?1"
	" WHERE id = last_insert_rowid()";

/* Every field this build names: a resync may touch any column. */
static uint32_t every_field(void)
{
	uint32_t bits = 0;

	for (int b = 0; b < 31; b++)
		if (store_field_name(1u << b) != NULL)
			bits |= 1u << b;
	return bits;
}

struct resync_stmts {
	sqlite3_stmt *one, *page, *mark;
};

static void stmts_free(struct resync_stmts *s)
{
	sqlite3_finalize(s->one);
	sqlite3_finalize(s->page);
	sqlite3_finalize(s->mark);
}

static int stmts_prepare(struct store_db *db, struct resync_stmts *s)
{
	memset(s, 0, sizeof(*s));
	if (sqlite3_prepare_v2(db->db, sql_one, -1, &s->one, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->db, sql_page, -1, &s->page, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->db, sql_mark, -1, &s->mark, NULL) != SQLITE_OK) {
		store_db_fail(db, "preparing the resync statements");
		stmts_free(s);
		return -1;
	}
	return 0;
}

/* The outbox row of one store, marked as a resync; 0 or -1. */
static int announce(struct store_db *db, struct resync_stmts *s, int64_t id,
		    int64_t version, int deleted, const char *target,
		    const char *at)
{
	int rc;

	if (store_db_outbox_add(db, id, deleted ? STORE_EVENT_DELETED :
					   STORE_EVENT_UPDATED,
				version, every_field(), at))
		return -1;
	if (target != NULL)
		sqlite3_bind_text(s->mark, 1, target, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s->mark);
	store_db_reset(s->mark);
	if (rc != SQLITE_DONE) {
		store_db_fail(db, sql_mark);
		return -1;
	}
	return 0;
}

/*
 * One transaction: the stores of ids[*at..n), or the next page of every
 * store after *after_id when ids is NULL, up to RESYNC_BATCH of them.
 * Returns rows written, or -1 (rolled back). *done becomes 1 when nothing
 * is left.
 */
static int64_t resync_batch(struct store_db *db, struct resync_stmts *s,
			    const int64_t *ids, size_t n, size_t *at,
			    int64_t *after_id, const char *target,
			    int64_t *missing, size_t *nmissing, int *done)
{
	char now[32];
	int64_t rows = 0, after = *after_id;
	size_t i = *at, nmiss = *nmissing;
	int failed = 0, step;

	clock_format_iso(clock_wall_ms(), now, sizeof(now));
	if (store_db_run(db, ST_BEGIN))
		return -1;
	if (ids == NULL) {
		sqlite3_bind_int64(s->page, 1, after);
		sqlite3_bind_int(s->page, 2, RESYNC_BATCH);
		while (!failed && (step = sqlite3_step(s->page)) == SQLITE_ROW) {
			after = sqlite3_column_int64(s->page, 0);
			failed = announce(db, s, after,
					  sqlite3_column_int64(s->page, 1),
					  sqlite3_column_int(s->page, 2),
					  target, now);
			rows++;
		}
		if (!failed && step != SQLITE_DONE) {
			store_db_fail(db, sql_page);
			failed = 1;
		}
		store_db_reset(s->page);
	} else {
		size_t end = i + RESYNC_BATCH < n ? i + RESYNC_BATCH : n;

		for (; !failed && i < end; i++) {
			sqlite3_bind_int64(s->one, 1, ids[i]);
			step = sqlite3_step(s->one);
			if (step == SQLITE_DONE) {
				missing[nmiss++] = ids[i];
			} else if (step == SQLITE_ROW) {
				failed = announce(db, s, ids[i],
						  sqlite3_column_int64(s->one, 1),
						  sqlite3_column_int(s->one, 2),
						  target, now);
				rows++;
			} else {
				store_db_fail(db, sql_one);
				failed = 1;
			}
			store_db_reset(s->one);
		}
	}
	if (failed) {
		store_db_rollback(db);
		return -1;
	}
	if (store_db_commit(db))
		return -1;
	/* Only a committed batch moves the cursors on. */
	*after_id = after;
	*at = i;
	*nmissing = nmiss;
	*done = ids == NULL ? rows < RESYNC_BATCH : i == n;
	return rows;
}

int64_t store_db_resync(struct store_db *db, const int64_t *ids, size_t n,
			const char *target, int64_t *missing, size_t *nmissing)
{
	struct resync_stmts s;
	int64_t total = 0, after = 0;
	size_t at = 0;
	int done = 0;

	*nmissing = 0;
	if (target != NULL && *target == '\0')
		target = NULL;
	pthread_mutex_lock(&db->lock);
	if (stmts_prepare(db, &s)) {
		pthread_mutex_unlock(&db->lock);
		return STORE_DB_ERROR;
	}
	while (!done) {
		int64_t rows = resync_batch(db, &s, ids, n, &at, &after, target,
					    missing, nmissing, &done);

		if (rows < 0) {
			total = STORE_DB_ERROR;
			break;
		}
		total += rows;
		/* Each batch is its own transaction: let the requests waiting
		 * on the handle in between, or a large resync stalls them all. */
		pthread_mutex_unlock(&db->lock);
		sched_yield(); /* the mutex is not fair: give waiters a chance */
		pthread_mutex_lock(&db->lock);
	}
	stmts_free(&s);
	pthread_mutex_unlock(&db->lock);
	if (total >= 0)
		log_info("resync: %lld outbox row(s)%s%s", (long long)total,
			 target ? " for " : "", target ? target : "");
	return total;
}
