#ifndef STORECTL_DISPLAY_STATS_H
#define STORECTL_DISPLAY_STATS_H

#include <stdint.h>

#include "api/reaction.h"
#include "display-svc/fanout.h"

/*
 * display-svc's own counters for /metrics and /health: the list query's
 * fan-out by dependency and outcome (with a latency histogram), and the
 * review.events consumer's work. Updated lock-free from any thread.
 */

/* The dependencies the list query asks, in fan-out order. */
enum display_dep {
	DISPLAY_DEP_ADS = 0,
	DISPLAY_DEP_SEARCH,
	DISPLAY_DEP_FAVORITES,
	DISPLAY_DEP_COUNT,
};

/* "ads", "search", "favorites". */
const char *display_dep_name(enum display_dep d);

/* What reviews-svc's answer to a summary fetch was. */
enum display_review_fetch {
	DISPLAY_FETCH_OK = 0,
	DISPLAY_FETCH_GONE,
	DISPLAY_FETCH_FAILED,
	DISPLAY_FETCH_COUNT,
};

struct display_stats;

/* NULL when out of memory. */
struct display_stats *display_stats_new(void);
void display_stats_free(struct display_stats *s);

/* One list query answered; degraded when a dependency failed. */
void display_stats_list(struct display_stats *s, int degraded);

/* One fan-out call's outcome; ms counts only for calls made. */
void display_stats_fanout(struct display_stats *s, enum display_dep d,
			  enum display_fanout_status status, double ms);

/* review.events: messages received, dead letters, fetches, reactions. */
void display_stats_review_seen(struct display_stats *s, unsigned n);
void display_stats_review_dead(struct display_stats *s);
void display_stats_review_fetch(struct display_stats *s,
				enum display_review_fetch outcome);
void display_stats_review_reaction(struct display_stats *s,
				   enum reaction_action action);

/* Consecutive failed review batches so far (0 after a success). */
void display_stats_review_failing(struct display_stats *s, unsigned n);
unsigned display_stats_review_failures(const struct display_stats *s);

/* Counts for /health. */
uint64_t display_stats_review_count(const struct display_stats *s,
				    enum reaction_action action);
uint64_t display_stats_fanout_count(const struct display_stats *s,
				    enum display_dep d,
				    enum display_fanout_status status);

/*
 * The counters in the Prometheus text format (0.0.4), with documents the
 * number of documents held (negative: unknown, left out):
 *
 *   display_documents                                    gauge
 *   display_list_queries_total{degraded}                 counter
 *   display_fanout_calls_total{service,outcome}          counter
 *   display_fanout_duration_seconds{service}             histogram
 *   display_review_events_total                          counter
 *   display_review_dead_letters_total                    counter
 *   display_review_fetches_total{outcome}                counter
 *   display_review_reactions_total{action}               counter
 *   display_review_consecutive_failures                  gauge
 *
 * Returns a malloc'd string, or NULL when out of memory.
 */
char *display_stats_text(const struct display_stats *s, int64_t documents);

#endif
