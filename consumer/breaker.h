#ifndef STORECTL_CONSUMER_BREAKER_H
#define STORECTL_CONSUMER_BREAKER_H

#include <stdint.h>

/*
 * A circuit breaker around calls to the store API (DESIGN.md, "Fault
 * isolation"). Pure state and arithmetic: the caller passes the time in
 * (monotonic ms), so tests drive it with a fake clock.
 *
 *   closed     calls go; threshold consecutive failures open it
 *   open       no call goes until the open period has passed; the period
 *              starts at open_min_ms and doubles each time the breaker
 *              opens again without a success in between, up to open_max_ms
 *   half-open  the open period is over: one trial call may go; its success
 *              closes the breaker (and resets the period), its failure
 *              opens it again for the next, longer period
 */

enum breaker_state {
	BREAKER_CLOSED = 0,
	BREAKER_OPEN,
	BREAKER_HALF_OPEN,
};

struct breaker_config {
	unsigned threshold;   /* consecutive failures that open it (3) */
	double open_min_ms;   /* first open period (1000) */
	double open_max_ms;   /* longest open period (8000) */
};

struct breaker {
	struct breaker_config cfg;
	enum breaker_state state;
	unsigned failures;     /* consecutive failures, any state */
	double open_ms;        /* the period the next opening gets */
	double open_until_ms;  /* while open: when a trial may go */
	int trial;             /* half-open: the trial call is under way */
	uint64_t opened;       /* times it opened, for metrics */
};

/* cfg may be NULL; zero members take the defaults above. */
void breaker_init(struct breaker *b, const struct breaker_config *cfg);

/*
 * May a call go at now_ms? Closed: yes. Open: no while the period lasts;
 * afterwards the breaker turns half-open and lets this one call through as
 * the trial. Half-open: no while the trial is under way. A call allowed
 * must be followed by breaker_success or breaker_failure.
 */
int breaker_allow(struct breaker *b, double now_ms);

/* The call succeeded: closed, failures and open period start over. */
void breaker_success(struct breaker *b);

/*
 * The call failed (no answer, or an answer saying the API cannot serve).
 * Opens the breaker when the threshold is reached or the trial failed.
 */
void breaker_failure(struct breaker *b, double now_ms);

/* The state as an observer at now_ms sees it (open turns half-open when
 * its period is over, even before the next call asks). */
enum breaker_state breaker_state_at(const struct breaker *b, double now_ms);

/* Milliseconds until a call may go; 0 when it may go now. */
double breaker_wait_ms(const struct breaker *b, double now_ms);

/* "closed", "open", "half_open". */
const char *breaker_state_name(enum breaker_state state);

#endif
