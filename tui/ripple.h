#ifndef STORECTL_TUI_RIPPLE_H
#define STORECTL_TUI_RIPPLE_H

#include <stddef.h>
#include <stdint.h>

#include "tui/statusbar.h"
#include "tui/stream_model.h"

/*
 * The ripple of one write: after a save the console follows how every
 * downstream service handles the new version and says it in one line,
 * "saved v8: propagated to 5/5 services in 4 ms", or which are still
 * pending or failed. Pure: the caller passes the row and the time.
 */

/* A service that has not answered after this long is called out. */
#define TUI_RIPPLE_WAIT_MS 10000.0

struct tui_ripple {
	int active;
	int64_t store_id, version;
	char verb[24];     /* "saved", "created", "deleted", "paused"... */
	double started_ms; /* monotonic */
	int done;          /* every expected service has answered */
};

void tui_ripple_start(struct tui_ripple *rp, int64_t store_id,
		      int64_t version, const char *verb, double now_ms);

/*
 * Describes the ripple into buf for the expected services (names in
 * column order) given the stream's row of (store_id, version), which may
 * be NULL (the event has not arrived). A service counts as done when it
 * applied, deleted, skipped (stale or fields) or coalesced the version;
 * failed counts as answered but says so. Sets rp->done and returns the
 * level the message deserves.
 */
enum tui_say tui_ripple_describe(struct tui_ripple *rp,
				 const struct stream_model *m,
				 const struct stream_row *row,
				 const char *const *expected, size_t n,
				 double now_ms, char *buf, size_t len);

#endif
