#ifndef STORECTL_ADS_DB_H
#define STORECTL_ADS_DB_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ads-svc/campaign.h"
#include "consumer/consumer.h"
#include "consumer/ds_lookup.h"

/*
 * ads-svc's SQLite adapter (WAL):
 *   stores(id, area, category, status, version, deleted)  the copy
 *   campaigns(id, store_id, area, bid, starts_at, ends_at, ended_at,
 *             created_at)                                 owned here
 * Two connections: the writer belongs to the consumer's thread (the
 * replica port); the other serves the HTTP threads, one at a time.
 */

struct ads_db;

struct ads_db *ads_db_open(const char *path, char *err, size_t errlen);
void ads_db_close(struct ads_db *db);

/*
 * The writer's port: fields = area, category and status; forget sets the
 * copy's version to 0 (campaigns untouched).
 */
void ads_db_port(struct ads_db *db, struct replica_port *port);

/* The copy for ds_store_known, on the HTTP connection. */
void ads_db_copy(struct ads_db *db, struct ds_copy_ops *ops);

enum ads_db_result {
	ADS_DB_OK = 0,
	ADS_DB_NO_STORE,    /* create: the copy holds no live store */
	ADS_DB_NOT_FOUND,   /* end: no such campaign */
	ADS_DB_ERROR = -1,
};

/* Stores c (id 0) if its store is live in the copy; sets c->id. */
enum ads_db_result ads_db_create(struct ads_db *db, struct ads_campaign *c);

/* Ends campaign id at now_ms (an ended one keeps its end); *c = result. */
enum ads_db_result ads_db_end(struct ads_db *db, int64_t id, double now_ms,
			      struct ads_campaign *c);

/*
 * Campaigns, newest first, of store_id (0: every store), at most limit, as
 * {"campaigns":[...]} with their status at now_ms. NULL on failure.
 */
json_t *ads_db_list(struct ads_db *db, int64_t store_id, int limit,
		    double now_ms);

/*
 * Open, live stores with a campaign active at now_ms, in area and of
 * category (each may be NULL for any), highest bid first (a store's best
 * campaign counts; ties by the older campaign, then id), at most max into
 * ids. 0, or -1.
 */
int ads_db_ads(struct ads_db *db, const char *area, const char *category,
	       double now_ms, int64_t *ids, size_t max, size_t *n);

/* Live stores held and campaigns active at now_ms. 0 or -1. */
int ads_db_counts(struct ads_db *db, double now_ms, int64_t *stores,
		  int64_t *active);

/* A page of the copy for GET /replica/stores. */
json_t *ads_db_replica(struct ads_db *db, int64_t after, int limit);

#endif
