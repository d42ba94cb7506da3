#ifndef STORECTL_RESYNC_H
#define STORECTL_RESYNC_H

#include <stddef.h>
#include <stdint.h>

#include "cli/audit.h"

/*
 * storectl resync: asks store-svc (POST /ops/resync, operator token) to
 * announce stores again on store.events with "resync":true, so that a new
 * or damaged copy is rebuilt by the ordinary consumer path; "target" names
 * the one service meant, the others skip the event without a fetch
 * (api/event.h). Blocking HTTP calls, like cli/faults.h.
 */

/* The most ids one request carries (store-svc's limit). */
#define RESYNC_IDS_MAX 10000

/*
 * Announces ids[0..n) (in requests of RESYNC_IDS_MAX), or every store when
 * ids is NULL, for target (NULL: every service). *events gets how many
 * events store-svc wrote; *missing (may be NULL) how many ids no store
 * ever had. Returns 0, or -1 with err.
 */
int resync_request(const char *store_url, const char *token,
		   const int64_t *ids, size_t n, const char *target,
		   long long *events, long long *missing, char *err,
		   size_t errlen);

/*
 * Announces what report found drifted: a store that drifted in one
 * service only is announced for that service, one that drifted in several
 * for every service. An "extra" copy (an id no store ever had) cannot be
 * announced: store-svc has nothing to say about it, so it is counted in
 * *unrepairable (may be NULL) and left alone. *events as above. Returns 0,
 * or -1 with err.
 */
int resync_drifted(const char *store_url, const char *token,
		   const struct audit_report *report, long long *events,
		   size_t *unrepairable, char *err, size_t errlen);

/*
 * Parses "1,2,5-9" into a sorted list of distinct ids (*ids, malloc'd; *n).
 * Returns 0, or -1 with err naming the bad item.
 */
int resync_parse_ids(const char *text, int64_t **ids, size_t *n, char *err,
		     size_t errlen);

#endif
