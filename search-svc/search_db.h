#ifndef STORECTL_SEARCH_DB_H
#define STORECTL_SEARCH_DB_H

#include <stddef.h>
#include <stdint.h>

#include "consumer/consumer.h"
#include "search-svc/query.h"

/*
 * search-svc's SQLite adapter (WAL): table stores(id, name, category,
 * version, deleted) and an FTS5 index with the trigram tokenizer over name
 * and category, kept in sync by triggers inside each write's transaction.
 * Deleted stores stay as tombstones (empty name and category, deleted = 1)
 * so that older events are recognised as stale.
 *
 * Two connections: one writer for the consumer's thread (the replica port),
 * and one reader behind a mutex for the HTTP threads; WAL lets them run at
 * the same time.
 */

struct search_db;

/* Opens (creating when needed) the database at path; NULL with err. */
struct search_db *search_db_open(const char *path, char *err, size_t errlen);

/* Closes both connections; NULL is a no-op. */
void search_db_close(struct search_db *db);

/*
 * Fills port with the writer's functions (held_version, upsert, remove) and
 * fields = STORE_F_NAME | STORE_F_CATEGORY. Use from one thread only.
 */
void search_db_port(struct search_db *db, struct replica_port *port);

/*
 * Live stores matching q, best first (bm25 when q has a word of three or
 * more characters; else stores whose name matches before those whose
 * category does, shorter names first), at most max ids into ids; *n is set
 * to how many. Returns 0, or -1 on a database failure (logged).
 */
int search_db_search(struct search_db *db, const struct search_query *q,
		     int64_t *ids, size_t max, size_t *n);

/* Live stores held into *count; 0, or -1 with the reason in err. */
int search_db_count(struct search_db *db, int64_t *count, char *err,
		    size_t errlen);

#endif
