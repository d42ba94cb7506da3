#ifndef STORECTL_CONSUMER_BACKOFF_H
#define STORECTL_CONSUMER_BACKOFF_H

/*
 * Exponential backoff between retries of a failed batch: the first retry
 * waits min_ms, each further failure doubles the wait up to max_ms, and a
 * success starts over. Pure arithmetic, no clock; the caller sleeps. Kept
 * apart from the consumer loop so that it can grow into a circuit breaker.
 */
struct backoff {
	double min_ms;
	double max_ms;
	double next_ms;      /* the wait the next failure gets */
	unsigned failures;   /* consecutive failures so far */
};

void backoff_init(struct backoff *b, double min_ms, double max_ms);

/* Records a failure; returns how long to wait before the next attempt. */
double backoff_fail(struct backoff *b);

/* Records a success: the next failure waits min_ms again. */
void backoff_succeed(struct backoff *b);

#endif
