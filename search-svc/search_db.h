#ifndef STORECTL_SEARCH_DB_H
#define STORECTL_SEARCH_DB_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "consumer/consumer.h"
#include "search-svc/query.h"

/*
 * search-svc's SQLite adapter (WAL): table stores(id, name, category, area,
 * menu, version, deleted), where menu is the menu's item names, one per
 * line, and an FTS5 index with the trigram tokenizer over name, category
 * and menu, kept in sync by triggers inside each write's transaction.
 * Deleted stores stay as tombstones (empty texts, deleted = 1) so that
 * older events are recognised as stale.
 *
 * Two connections: one writer for the consumer's thread (the replica port),
 * and one reader behind a mutex for the HTTP threads; WAL lets them run at
 * the same time.
 *
 * A database of the first schema (no area, no menu) is upgraded on open;
 * its live rows are kept but their version is set to 0, so the next event
 * or resync of each store fetches it whole again.
 */

struct search_db;

/* Opens (creating when needed) the database at path; NULL with err. */
struct search_db *search_db_open(const char *path, char *err, size_t errlen);

/* Closes both connections; NULL is a no-op. */
void search_db_close(struct search_db *db);

/*
 * Fills port with the writer's functions (held_version, upsert, remove,
 * forget: the row's version becomes 0, so the next write lands) and fields =
 * name, category, area and menu. Use from one thread only.
 */
void search_db_port(struct search_db *db, struct replica_port *port);

/* The filters of one search; q, area and category may each be NULL. */
struct search_filter {
	const struct search_query *q;
	const char *area;      /* exact district code */
	const char *category;  /* exact category code */
};

/*
 * Live stores matching f, best first, at most max ids into ids; *n is set
 * to how many. With a word of three or more characters in q: bm25 over the
 * trigram index, a name match weighing most, then menu, then category.
 * With short words only: stores whose name matches, then category, then
 * menu, shorter names first. Without q: by name, then id. Returns 0, or -1
 * on a database failure (logged).
 */
int search_db_search(struct search_db *db, const struct search_filter *f,
		     int64_t *ids, size_t max, size_t *n);

/* Live stores held into *count; 0, or -1 with the reason in err. */
int search_db_count(struct search_db *db, int64_t *count, char *err,
		    size_t errlen);

/*
 * The copy's rows with id > after, by id, at most limit, as
 * {"stores":[{"id","version","deleted","name","category","area",
 * "menu":["..."]}],"next":ID|null} (next: the after for the following
 * page). Tombstones are listed too. NULL on a database failure (logged).
 */
json_t *search_db_replica(struct search_db *db, int64_t after, int limit);

#endif
