#ifndef STORECTL_CONSUMER_APPLY_H
#define STORECTL_CONSUMER_APPLY_H

#include <stddef.h>

#include <jansson.h>

#include "consumer/batch.h"
#include "consumer/consumer.h"

/*
 * Applies one answer of GET /stores?ids= (api/client.h) for the n ids asked
 * to the replica, for the entries of b that were decided BATCH_FETCH and
 * have no outcome yet:
 *  - in "stores": upsert when its version is newer than held (applied),
 *    otherwise skipped_stale;
 *  - in "deleted": remove at the delete's version (deleted);
 *  - in "missing": remove at the event's version (deleted).
 * An entry a resync asked for is written at whatever version the replica
 * holds when the port has forget: forget first, then upsert or remove
 * (applied or deleted, never skipped_stale). Without forget a resync
 * still upserts the version held, and only that. A port failure, or an entry the answer does not mention, becomes failed
 * with the reason. Ids not asked are ignored. Returns the number of the
 * asked entries that failed (0 when all went well).
 */
size_t apply_fetched(struct batch *b, const int64_t *ids, size_t n,
		     const json_t *body, const struct replica_port *port);

/*
 * Marks every entry still to be fetched (no outcome yet) failed with error.
 * Returns how many were marked.
 */
size_t apply_fail_pending(struct batch *b, const char *error);

#endif
