#ifndef STORECTL_TUI_RATE_H
#define STORECTL_TUI_RATE_H

#include <stddef.h>

/*
 * Events per second over the last minute, for a few series (the stream's
 * service columns): a ring of per-second counters, so memory stays fixed
 * however fast records come. Pure: the caller passes the time.
 */

#define TUI_RATE_SERIES 9 /* the stream's 8 service columns and its events */
#define TUI_RATE_SECONDS 60

struct tui_rate {
	long long second;       /* the newest second counted (floor(ms/1000)) */
	unsigned count[TUI_RATE_SERIES][TUI_RATE_SECONDS];
};

/* Counts one event of series at now_ms (monotonic); other series idle. */
void tui_rate_add(struct tui_rate *r, int series, double now_ms);

/*
 * The last n whole seconds before now_ms of series, oldest first, into out
 * (n <= TUI_RATE_SECONDS - 1). Returns the sum.
 */
unsigned tui_rate_series(const struct tui_rate *r, int series, double now_ms,
			 unsigned *out, size_t n);

/* The latest whole second's count of series. */
unsigned tui_rate_last(const struct tui_rate *r, int series, double now_ms);

/*
 * An ASCII sparkline of v[0..n) into out (n + 1 bytes at least): '_' for
 * zero, then ".-=+*#" scaled to the largest value. ASCII because block
 * glyphs are ambiguous-width and break alignment on CJK terminals.
 */
void tui_sparkline(const unsigned *v, size_t n, char *out, size_t len);

#endif
