#ifndef STORECTL_ADS_CAMPAIGN_H
#define STORECTL_ADS_CAMPAIGN_H

#include <stdint.h>

#include <jansson.h>

#include "consumer/ds_check.h"

/*
 * An ad campaign: a store bids to be listed first in an area for a period.
 * Pure domain: validation, status and the API representation; times are
 * wall-clock ms since the epoch.
 */

#define ADS_AREA_MAX 32
#define ADS_BID_MAX 1000000     /* won per listing period; any positive amount */

enum ads_status {
	ADS_SCHEDULED = 1,  /* starts_at still ahead */
	ADS_ACTIVE,         /* running now */
	ADS_ENDED,          /* ended by hand or ends_at passed */
};

struct ads_campaign {
	int64_t id;           /* 0 until stored */
	int64_t store_id;
	char area[ADS_AREA_MAX + 1];
	int64_t bid;
	double starts_at_ms;
	double ends_at_ms;
	double ended_at_ms;   /* 0 while not ended by hand */
	double created_at_ms;
};

/*
 * Checks a POST /campaigns body at now_ms into c (id 0):
 *   store_id   positive integer, required
 *   area       district code (2-32 of a-z 0-9 -), required
 *   bid        integer 1..ADS_BID_MAX, required
 *   starts_at  ISO time "2026-11-24T10:00:00Z" (optional, default now)
 *   ends_at    ISO time after starts_at and after now, required
 * Any other member is refused ("unknown"). 0, or -1 with the violation.
 */
int ads_campaign_check(const json_t *body, double now_ms,
		       struct ads_campaign *c, struct ds_violation *v);

/* The campaign's status at now_ms. */
enum ads_status ads_campaign_status(const struct ads_campaign *c,
				    double now_ms);

/* "scheduled", "active", "ended". */
const char *ads_status_name(enum ads_status s);

/*
 * {"id","store_id","area","bid","starts_at","ends_at","ended_at"|null,
 *  "status","created_at"}: a new reference, NULL when out of memory.
 */
json_t *ads_campaign_json(const struct ads_campaign *c, double now_ms);

#endif
