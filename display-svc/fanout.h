#ifndef STORECTL_DISPLAY_FANOUT_H
#define STORECTL_DISPLAY_FANOUT_H

#include <stddef.h>
#include <stdint.h>

/*
 * The list query's fan-out: a few GETs that each answer {"ids":[...]}, all
 * in flight at once on one libcurl multi handle that belongs to the call
 * (so the HTTP server's threads never share one), each bounded by the same
 * per-call timeout. The caller's thread waits in curl_multi_poll until the
 * last one ends, so the whole fan-out takes about as long as its slowest
 * call, never much more than the timeout.
 */

enum display_fanout_status {
	FANOUT_SKIPPED = 0,  /* not called: the query did not need it */
	FANOUT_OK,
	FANOUT_TIMEOUT,      /* no complete answer within the timeout */
	FANOUT_UNREACHABLE,  /* connection refused, reset, name not found... */
	FANOUT_BAD_STATUS,   /* an answer other than 200 */
	FANOUT_BAD_BODY,     /* 200, but not {"ids":[positive integers]} */
	FANOUT_UNCONFIGURED, /* needed, but no base URL was given */
};

#define FANOUT_STATUS_COUNT 7
/* Ids taken from one answer; the rest are ignored. */
#define FANOUT_IDS_MAX 1000

/* "ok", "skipped", "timeout", "unreachable", "bad_status", "bad_body",
 * "unconfigured". */
const char *display_fanout_status_name(enum display_fanout_status s);

struct display_fanout_call {
	/* In: the URL to GET, or NULL to leave the call out (status stays as
	 * the caller set it: FANOUT_SKIPPED or FANOUT_UNCONFIGURED). */
	const char *url;
	/* Out. */
	enum display_fanout_status status;
	long http_status;       /* 0 when no answer came */
	double ms;              /* from the start of the fan-out to its end */
	int64_t *ids;           /* malloc'd on FANOUT_OK (may be NULL if n 0) */
	size_t n;
	char detail[160];       /* why, when not ok */
	/* FANOUT_BAD_STATUS with a problem+json answer naming a parameter
	 * ("field"): that parameter, else "". */
	char field[16];
	char rule[24];          /* and its "rule", else "" */
};

/*
 * Runs calls[0..n) concurrently, each limited to timeout_ms (connecting
 * included), and fills their results. Blocks the calling thread until every
 * call has ended. Thread-safe: every call of it has its own handles. Free
 * the results with display_fanout_clear.
 */
void display_fanout_run(struct display_fanout_call *calls, size_t n,
			long timeout_ms);

/* Frees what the results hold (ids). */
void display_fanout_clear(struct display_fanout_call *calls, size_t n);

#endif
