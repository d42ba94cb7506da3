#ifndef STORECTL_REVIEWS_REVIEW_H
#define STORECTL_REVIEWS_REVIEW_H

#include <stdint.h>

#include <jansson.h>

#include "consumer/ds_check.h"

/*
 * A review of a store and a store's review summary. Pure domain:
 * validation, the average and the API representation.
 */

#define REVIEW_USER_MAX 64       /* bytes of A-Z a-z 0-9 _ . @ - */
#define REVIEW_TEXT_MAX 1000     /* characters; line breaks allowed */

struct review {
	int64_t id;             /* 0 until stored */
	int64_t store_id;
	char user[REVIEW_USER_MAX + 1];
	int rating;             /* 1..5 */
	char text[REVIEW_TEXT_MAX * 4 + 1];
	double created_at_ms;
};

struct review_summary {
	int64_t store_id;
	int64_t count;
	int64_t sum;            /* of the ratings */
	int64_t version;        /* +1 per review created or deleted; 0 none yet */
};

/*
 * Checks a POST /stores/{id}/reviews body into r (store_id, created_at
 * and id left to the caller):
 *   user    1-64 of A-Z a-z 0-9 _ . @ -, required
 *   rating  integer 1-5, required
 *   text    0-1000 characters, no control characters but line breaks
 *           and tabs (optional, default "")
 * Any other member is refused ("unknown"). 0, or -1 with the violation.
 */
int reviews_check(const json_t *body, struct review *r,
		  struct ds_violation *v);

/* The average rating rounded to two decimals; 0 when count is 0. */
double reviews_average(int64_t count, int64_t sum);

/* {"id","store_id","user","rating","text","created_at"}; NULL on OOM. */
json_t *reviews_json(const struct review *r);

/* {"store_id","count","average","version"}, average null when count is
 * 0; NULL on OOM. */
json_t *reviews_summary_json(const struct review_summary *s);

#endif
