#ifndef STORECTL_DISPLAY_REVIEW_BATCH_H
#define STORECTL_DISPLAY_REVIEW_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "api/reaction.h"

/*
 * display-svc's handling of review.events, without Kafka: decoding one
 * message, collapsing a poll batch per store, and settling each store
 * against its document through two ports (the view database and
 * reviews-svc). Like store.events, review events carry no data: each names
 * a store whose review summary changed and the summary's new version, and
 * the current summary is fetched from reviews-svc.
 *
 * review.events (docs/downstream contracts), key = store id as decimal text:
 * {"event_id":"..","review_id":9,"store_id":42,"type":"created|deleted",
 *  "version":5,"at":"2026-11-24T10:00:00.123Z"}
 * version is the store's review-summary version (+1 per review change).
 */

struct display_review_event {
	char event_id[48];
	int64_t review_id;
	int64_t store_id;
	int64_t version;
	double at_ms;        /* wall-clock ms of the change */
};

/*
 * Checks and decodes one message (key and value as received). The key must
 * be the store id and agree with store_id; type must be created, updated or
 * deleted. Returns 0 with ev filled, or -1 with the reason (for the
 * dead-letter queue) in err.
 */
int display_review_decode(const void *key, size_t key_len, const void *value,
			  size_t value_len, struct display_review_event *ev,
			  char *err, size_t errlen);

/* Every event of one store in the batch, collapsed, and its outcome. */
struct display_review_entry {
	int64_t store_id;
	int64_t version;       /* newest version among the events */
	int coalesced;         /* events collapsed into this entry, >= 1 */
	double first_at_ms;    /* earliest change time, for lag */

	int64_t held_version;  /* what the document held when decided */
	enum reaction_action action;  /* 0 until settled */
	int64_t applied_version;
	double done_ms;        /* monotonic ms of the outcome */
	char error[256];
};

struct display_review_batch {
	struct display_review_entry *entries; /* in order of first event */
	size_t n;
	size_t cap;
};

/* The view database's side. Every function returns 0, or -1 on failure. */
struct display_review_port {
	void *ctx;
	/* Review-summary version the document holds (0 for none). */
	int (*held)(void *ctx, int64_t store_id, int64_t *version);
	/* Stores summary (a display_doc_summary object, borrowed) as the
	 * store's reviews unless the held version is already >= its version;
	 * *stale says which happened. */
	int (*apply)(void *ctx, int64_t store_id, const json_t *summary,
		     int *stale);
};

/* The answer of reviews-svc for one store's summary. */
enum display_review_answer {
	REVIEW_ANSWER_SUMMARY = 1, /* *summary set: the current summary */
	REVIEW_ANSWER_GONE,        /* 404/410: reviews-svc has no such store */
	REVIEW_ANSWER_FAILED,      /* no usable answer; error says why */
};

/* reviews-svc's side: the summary of one store. */
struct display_review_source {
	void *ctx;
	/* On REVIEW_ANSWER_SUMMARY the caller owns *summary (a
	 * display_doc_summary object). */
	enum display_review_answer (*fetch)(void *ctx, int64_t store_id,
					    json_t **summary, char *error,
					    size_t errlen);
};

void display_review_batch_init(struct display_review_batch *b);
void display_review_batch_reset(struct display_review_batch *b);
void display_review_batch_free(struct display_review_batch *b);

/* Collapses ev into its store's entry. 0, or -1 when out of memory. */
int display_review_batch_add(struct display_review_batch *b,
			     const struct display_review_event *ev);

/*
 * Settles every entry, in order:
 *  - skipped_stale when its version is not newer than the held one (no
 *    fetch);
 *  - otherwise the summary is fetched: applied at the summary's version
 *    (skipped_stale when the document already holds that one), or, when
 *    reviews-svc no longer knows the store, an empty summary at the
 *    event's version is applied (deleted);
 *  - failed when the port fails or reviews-svc gives no usable answer.
 *    After the first failed fetch the remaining fetches are not tried
 *    (reviews-svc is likely down): they fail with the same reason.
 * now_ms() gives monotonic ms for done_ms. Returns the number of failed
 * entries; the batch is then to be retried whole.
 */
size_t display_review_batch_settle(struct display_review_batch *b,
				   const struct display_review_port *port,
				   const struct display_review_source *source,
				   double (*now_ms)(void));

#endif
