#ifndef STORECTL_DISPLAY_REVIEW_CONSUMER_H
#define STORECTL_DISPLAY_REVIEW_CONSUMER_H

#include <signal.h>
#include <stddef.h>

#include "common/kafka.h"
#include "display-svc/display_stats.h"
#include "display-svc/review_batch.h"

/*
 * display-svc's consumer of review.events, at least once: its own group
 * ("display-svc-reviews", or "<group.id>-reviews" when -X sets group.id),
 * per poll batch one summary fetch per store from reviews-svc
 * (GET /stores/{id}/reviews/summary), the summary written into the store's
 * document, and only then the offsets committed. A message that cannot be
 * decoded goes to store.events.dlq with the reason in its headers; one
 * store.reactions record (service "display", "source":"review.events") is
 * published per store handled. While reviews-svc does not answer, the
 * batch is retried with backoff and its offsets stay uncommitted.
 */

struct display_reviews_config {
	const char *brokers;
	const struct kafka_props *props;
	const char *reviews_api;  /* base URL of reviews-svc */
	int batch_max;            /* events per poll batch (default 500) */
};

struct display_reviews;

/*
 * Creates the consumer and subscribes to review.events. port (copied) is
 * the view database's side; stats must outlive the consumer. NULL with a
 * reason in err.
 */
struct display_reviews *display_reviews_new(
	const struct display_reviews_config *cfg,
	const struct display_review_port *port, struct display_stats *stats,
	char *err, size_t errlen);

/* Runs poll batches until *stop becomes non-zero or Kafka fails fatally
 * (then returns early). */
void display_reviews_run(struct display_reviews *r,
			 volatile sig_atomic_t *stop);

/* Leaves the group, flushes reactions and frees; NULL is a no-op. */
void display_reviews_free(struct display_reviews *r);

#endif
