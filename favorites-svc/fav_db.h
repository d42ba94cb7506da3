#ifndef STORECTL_FAV_DB_H
#define STORECTL_FAV_DB_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "consumer/consumer.h"
#include "consumer/ds_lookup.h"

/*
 * favorites-svc's SQLite adapter (WAL):
 *   stores(id, name, status, version, deleted)  the copy: what a list shows
 *   favorites(user, store_id, added_at)         owned here
 * A deleted store leaves the copy as a tombstone and every user's list in
 * the same transaction.
 *
 * Two connections: the writer belongs to the consumer's thread (the
 * replica port); the other serves the HTTP threads, one at a time.
 */

struct fav_db;

struct fav_db *fav_db_open(const char *path, char *err, size_t errlen);
void fav_db_close(struct fav_db *db);

/*
 * The writer's port: fields = name and status; forget sets the copy's
 * version to 0 (the users' lists untouched). One thread only.
 */
void fav_db_port(struct fav_db *db, struct replica_port *port);

/* The copy for ds_store_known, on the HTTP connection. */
void fav_db_copy(struct fav_db *db, struct ds_copy_ops *ops);

enum fav_add {
	FAV_ADDED = 0,    /* added now or already there */
	FAV_NO_STORE,     /* the copy has no live store of that id */
	FAV_DB_ERROR = -1,
};

/* Adds store_id to user's list if the copy holds it live. */
enum fav_add fav_db_add(struct fav_db *db, const char *user, int64_t store_id,
			double now_ms);

/* Removes store_id from user's list (nothing when absent). 0 or -1. */
int fav_db_remove(struct fav_db *db, const char *user, int64_t store_id);

/*
 * user's list, most recently added first, at most limit entries:
 * {"user":"u1","ids":[3,1],"stores":[{"id":3,"name":"..","status":"open"}]}.
 * NULL on a database failure.
 */
json_t *fav_db_list(struct fav_db *db, const char *user, int limit);

/* Counts for /health and /metrics. 0 or -1. */
int fav_db_counts(struct fav_db *db, int64_t *stores, int64_t *favorites,
		  int64_t *users);

/* A page of the copy for GET /replica/stores (consumer/ds_sqlite.h). */
json_t *fav_db_replica(struct fav_db *db, int64_t after, int limit);

#endif
