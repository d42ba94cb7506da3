#ifndef STORECTL_DEMO_TRACK_H
#define STORECTL_DEMO_TRACK_H

#include <stddef.h>
#include <stdint.h>

#include "api/reaction.h"

/*
 * What the downstream services said on store.reactions, per service and
 * store: the newest version each one has handled, and, since the store's
 * current window opened, how many reactions, events and failures there
 * were. A window opens with the first write of a script to a store after
 * its last wait, so a wait can say "30 events in 4 reactions" of a burst.
 * Pure memory; the Kafka tail (cli/demo_tail.c) feeds it.
 */

struct demo_track_entry {
	char service[32];
	int64_t store_id;
	int64_t version;        /* newest version handled (not failed), 0 none */
	/* Counted over the store's window: */
	unsigned reactions;     /* handled (not failed) reactions */
	unsigned events;        /* events those reactions stood for (coalesced) */
	unsigned failures;      /* failed reactions */
	char last_error[256];   /* of the latest failure in the window */
	enum reaction_action last_action;
	double last_took_ms;
};

struct demo_track;

/* A new, empty track; NULL when out of memory. */
struct demo_track *demo_track_new(void);
void demo_track_free(struct demo_track *t);

/* Takes one reaction into account. Returns 0, or -1 when out of memory. */
int demo_track_add(struct demo_track *t, const struct store_reaction *r);

/* The entry of service and store, or NULL when it never reacted. */
const struct demo_track_entry *demo_track_get(const struct demo_track *t,
					      const char *service,
					      int64_t store_id);

/*
 * Opens a window for store_id: its counters start again at zero and count
 * only reactions to versions newer than since.
 */
void demo_track_open(struct demo_track *t, int64_t store_id, int64_t since);

/* How many reactions were added in all. */
size_t demo_track_total(const struct demo_track *t);

#endif
